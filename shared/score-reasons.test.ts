// Score reasons in the reader's language: the built-in rules by code, word for word the server's in
// English, counts in Russian plural forms, flow reasons per language, everything else as stored.
import { describe, expect, it } from 'vitest'
import { builtInReasonText, reasonLine, reasonText } from './score-reasons'
import { DEFAULT_SCORING, scoreLead } from './score'
import type { ScoreReason } from './score'

const FACTS = { visits: 4, pagesViewed: 7, spam: ['honeypot', 'too_fast'] }

/** One lead per built-in rule, so every rule the server has is checked. */
function everyBuiltInReason(): ScoreReason[] {
  return [
    scoreLead({ source: 'callback', contact: { name: 'A', phone: '+79123456789', email: 'a@b.example' }, visits: 4, pagesViewed: 7, callbackAt: '2026-12-01T10:00:00Z' }),
    ...(['chat', 'form', 'exit_intent'] as const).map((source) => scoreLead({ source, contact: {}, answers: { budget: '5m', timing: 'now' } })),
    scoreLead({ source: 'chat', contact: {}, answers: { timing: 'just_looking' } }),
    scoreLead({ source: 'form', contact: { phone: '+79123456789' }, spam: ['honeypot', 'too_fast'] }),
  ].flatMap((result) => result.reasons)
}

describe('reason words', () => {
  it('say in English exactly what the server says, for every built-in rule and default answer rule', () => {
    const seen = new Set<string>()
    for (const reason of everyBuiltInReason()) {
      expect(builtInReasonText(reason, 'en', FACTS), reason.rule).toBe(reason.text)
      seen.add(reason.rule)
    }
    expect([...seen].sort()).toEqual(
      [
        'base',
        'source.callback',
        'source.chat',
        'source.form',
        'source.exit_intent',
        'contact.name',
        'contact.phone',
        'contact.email',
        'behaviour.returning',
        'behaviour.pages',
        'callback.scheduled',
        ...DEFAULT_SCORING.answers.map((a) => `answer.${a.id ?? a.question}`),
        'spam',
      ].sort(),
    )
  })

  it('have Russian words for every built-in rule, with Russian plural forms for counts', () => {
    for (const reason of everyBuiltInReason()) {
      const ru = builtInReasonText(reason, 'ru', FACTS)
      expect(ru, reason.rule).toMatch(/[а-яё]/i)
      expect(ru).not.toBe(reason.text)
    }
    const returning = { rule: 'behaviour.returning', points: 15, text: 'returning visitor (n visits)' }
    expect([1, 3, 5, 11, 21].map((visits) => builtInReasonText(returning, 'ru', { visits }))).toEqual([
      'вернулся(-ась) на сайт (1 визит)',
      'вернулся(-ась) на сайт (3 визита)',
      'вернулся(-ась) на сайт (5 визитов)',
      'вернулся(-ась) на сайт (11 визитов)',
      'вернулся(-ась) на сайт (21 визит)',
    ])
    expect(builtInReasonText({ rule: 'behaviour.pages', points: 5, text: '' }, 'ru', { pagesViewed: 3 })).toBe('просмотрел(а) 3 страницы')
  })

  it('keep a site’s own answer rule, a flow reason and an unknown code as they came', () => {
    const own = { rule: 'answer.budget', points: 15, text: 'бюджет от 5 млн' }
    expect(builtInReasonText(own, 'en')).toBeNull()
    expect(reasonText(own, 'en')).toBe('бюджет от 5 млн')
    for (const rule of ['toString', '__proto__', 'constructor', 'flow.score_hot', 'source.fax']) {
      expect(builtInReasonText({ rule, points: 1, text: 'as sent' }, 'ru', FACTS), rule).toBeNull()
      expect(reasonText({ rule, points: 1, text: 'as sent' }, 'ru', FACTS)).toBe('as sent')
    }
    // Without the count it would have to make up, the stored text stays.
    expect(reasonText({ rule: 'behaviour.returning', points: 15, text: 'returning visitor (3 visits)' }, 'ru')).toBe('returning visitor (3 visits)')
  })

  it('take a flow reason in the reader’s language when the flow wrote one, and the stored text otherwise', () => {
    const looking: ScoreReason = { rule: 'flow.score_looking', points: -10, text: 'just looking', texts: { ru: 'просто смотрит', en: 'just looking' } }
    expect(reasonText(looking, 'ru')).toBe('просто смотрит')
    expect(reasonText({ ...looking, texts: { en: 'just looking' } }, 'ru')).toBe('just looking')
  })

  it('sign the points in a line', () => {
    expect(reasonLine({ rule: 'base', points: 10, text: 'left a request' }, 'ru')).toBe('+10 оставил(а) заявку')
    expect(reasonLine({ rule: 'answer.timing.just_looking', points: -20, text: 'just looking' }, 'ru')).toBe('-20 просто смотрит')
  })
})
