// The score's reasons: built-in rules in the console's language by their rule code, in English
// word for word what the server says; everything else as sent, quoted, with a line saying so.
import { cleanup, render, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_SCORING, scoreLead } from '../../../../shared/score'
import type { ScoreReason } from '../../../../shared/score'
import { STRINGS } from '../i18n'
import { leadView, renderIn } from '../testing'
import { ScoreReasons, reasonText } from './score-reasons'

afterEach(cleanup)

const items = () => screen.getAllByRole('listitem').map((li) => li.textContent)

describe('the score’s reasons', () => {
  it('says the built-in rules in Russian by their code, counting visits and pages in Russian', () => {
    const lead = leadView({
      context: { visits: 3, pagesViewed: 5 },
      reasons: [
        { rule: 'base', points: 10, text: 'left a request' },
        { rule: 'source.callback', points: 30, text: 'asked for a call back' },
        { rule: 'contact.phone', points: 20, text: 'left a valid phone number' },
        { rule: 'behaviour.returning', points: 10, text: 'returning visitor (3 visits)' },
        { rule: 'behaviour.pages', points: 5, text: 'viewed 5 pages' },
        { rule: 'callback.scheduled', points: -5, text: 'asked for a call at a later time' },
      ],
    })
    renderIn('ru', <ScoreReasons lead={lead} />)
    expect(items()).toEqual([
      '+10 оставил(а) заявку',
      '+30 попросил(а) перезвонить',
      '+20 оставил(а) правильный номер телефона',
      '+10 вернулся(-ась) на сайт (3 визита)',
      '+5 просмотрел(а) 5 страниц',
      '-5 попросил(а) позвонить позже',
    ])
    expect(screen.queryByText('В кавычках — как прислал сервер, без перевода.')).toBeNull()
    expect(document.querySelector('q')).toBeNull()
  })

  it('shows the site’s own rules and unknown codes as sent, quoted, and labels the list so', () => {
    const lead = leadView({
      reasons: [
        { rule: 'source.chat', points: 20, text: 'talked to the chatbot' },
        { rule: 'answer.budget', points: 15, text: 'бюджет от 5 млн' },
        { rule: 'flow.score_hot', points: 40, text: 'wants to buy now' },
        { rule: 'behaviour.new_rule', points: 5, text: 'did something new' },
      ],
    })
    renderIn('ru', <ScoreReasons lead={lead} />)
    const quoted = [...document.querySelectorAll('q.as-sent')]
    expect(quoted.map((q) => [q.textContent, q.getAttribute('lang')])).toEqual([
      ['бюджет от 5 млн', null],
      ['wants to buy now', null],
      ['did something new', 'en'],
    ])
    expect(screen.getByText('поговорил(а) с чат-ботом')).toBeTruthy()
    const hint = screen.getByText('В кавычках — как прислал сервер, без перевода.')
    expect(screen.getByRole('list').getAttribute('aria-describedby')).toBe(hint.id)
  })

  it('says the default answer rules and the spam verdict in Russian, from the lead’s own flags', () => {
    const lead = leadView({
      spam: true,
      flags: [
        { code: 'honeypot', detail: 'the hidden field was filled' },
        { code: 'too_fast', detail: 'sent 300 ms after the form appeared' },
      ],
      reasons: [
        { rule: 'answer.timing', points: 15, text: 'wants it within a month' },
        { rule: 'spam', points: -45, text: 'marked as spam (honeypot, too_fast)' },
      ],
    })
    renderIn('ru', <ScoreReasons lead={lead} />)
    expect(items()).toEqual(['+15 хочет в течение месяца', '-45 помечена как спам (honeypot, too_fast)'])
  })

  it('never takes a code for a text it does not have', () => {
    const lead = leadView({ context: {}, flags: [] })
    for (const rule of ['toString', '__proto__', 'constructor', 'behaviour.returning', 'behaviour.pages', 'spam', 'source.fax']) {
      expect(reasonText({ rule, points: 1, text: 'as sent' }, lead, STRINGS.ru), rule).toBeNull()
    }
  })

  it('says in English exactly what the server says, for every built-in rule', () => {
    const cases = [
      scoreLead({ source: 'callback', contact: { name: 'A', phone: '+79123456789', email: 'a@b.example' }, visits: 4, pagesViewed: 7, callbackAt: '2026-12-01T10:00:00Z' }),
      ...(['chat', 'form', 'exit_intent'] as const).map((source) => scoreLead({ source, contact: {}, answers: { budget: '5m', timing: 'now' } })),
      scoreLead({ source: 'chat', contact: {}, answers: { timing: 'just_looking' } }),
      scoreLead({ source: 'form', contact: { phone: '+79123456789' }, spam: ['honeypot', 'too_fast'] }),
    ]
    const seen = new Set<string>()
    for (const result of cases) {
      for (const reason of result.reasons as ScoreReason[]) {
        const lead = { context: { visits: 4, pagesViewed: 7 }, flags: [{ code: 'honeypot', detail: '' }, { code: 'too_fast', detail: '' }] }
        expect(reasonText(reason, lead, STRINGS.en), reason.rule).toBe(reason.text)
        seen.add(reason.rule)
      }
    }
    // Every rule shared/score.ts has, and the default answer rules.
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

  it('shows an English session the same words, unquoted', () => {
    render(<ScoreReasons lead={leadView({ reasons: [{ rule: 'contact.email', points: 10, text: 'left an email address' }] })} />)
    expect(items()).toEqual(['+10 left an email address'])
    expect(document.querySelector('q')).toBeNull()
  })
})
