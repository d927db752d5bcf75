// A delivery that sent nothing on purpose reads as skipped in the console, in both languages, with
// its reason; not as delivered.
import { cleanup, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from '../api'
import type { DeliveryView } from '../api-types'
import { fakeFetch, renderIn } from '../testing'
import { DeliveryList } from './deliveries'

afterEach(cleanup)

const skipped: DeliveryView = {
  id: 'msg_1',
  targetId: 'email-reply',
  eventType: 'lead.created',
  status: 'skipped',
  attempts: 1,
  nextAttemptAt: null,
  lastError: 'the visitor left no address for this auto-reply',
  deliveredAt: null,
}

describe('a skipped delivery', () => {
  it.each([
    ['en', 'Skipped'],
    ['ru', 'Не отправлено'],
  ] as const)('is labelled skipped in %s, with why, and styled apart from delivered', (locale, label) => {
    renderIn(locale, <DeliveryList api={createApiClient({ fetch: fakeFetch({}) })} deliveries={[skipped]} onReplayed={() => {}} />)
    const badge = screen.getByText(label)
    expect(badge.className).toBe('badge delivery-skipped')
    expect(screen.getByText('the visitor left no address for this auto-reply')).toBeTruthy()
  })
})
