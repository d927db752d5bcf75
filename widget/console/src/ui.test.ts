import { describe, expect, it } from 'vitest'
import { STRINGS } from './i18n'
import { errorText } from './ui'

const failure = (code: string, status = 409) => ({ kind: 'http' as const, status, code, message: 'the server’s English message' })

describe('errorText', () => {
  it('says in the console’s language what the codes it knows mean, the server’s message for the rest', () => {
    expect(errorText(failure('delivery_busy'), STRINGS.ru)).toBe('Эта доставка сейчас отправляется. Повторите, когда попытка закончится.')
    expect(errorText(failure('delivery_busy'), STRINGS.en)).toMatch(/being sent right now/)
    expect(errorText(failure('lead_erased'), STRINGS.ru)).toBe(STRINGS.ru.leadErased)
    expect(errorText(failure('some_new_code', 400), STRINGS.en)).toBe(STRINGS.en.serverError('the server’s English message'))
    expect(errorText(failure('internal_error', 500), STRINGS.ru)).toBe(STRINGS.ru.unreachable)
  })
})
