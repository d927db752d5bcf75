// The score's reasons: built-in rules in the console's language by their rule code (the shared
// table, checked word for word against the server in shared/score-reasons.test.ts), a flow's
// reason in the console's language when the flow wrote one; everything else as sent, quoted.
import { cleanup, render, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { scoreLead } from '../../../../shared/score'
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
      expect(reasonText({ rule, points: 1, text: 'as sent' }, lead, 'ru'), rule).toBeNull()
    }
  })

  it('says in English exactly what the server says', () => {
    const result = scoreLead({ source: 'callback', contact: { name: 'A', phone: '+79123456789' }, visits: 4, answers: { timing: 'just_looking' } })
    const lead = { context: { visits: 4 }, flags: [] }
    for (const reason of result.reasons) expect(reasonText(reason, lead, 'en'), reason.rule).toBe(reason.text)
  })

  it('says a flow’s reason in the console’s language when the flow wrote one, and quotes it otherwise', () => {
    const lead = leadView({
      reasons: [
        { rule: 'flow.score_looking', points: -10, text: 'just looking', texts: { ru: 'просто смотрит', en: 'just looking' } },
        { rule: 'flow.score_hot', points: 20, text: 'concrete budget and buying within a month' },
      ],
    })
    renderIn('ru', <ScoreReasons lead={lead} />)
    expect(items()).toEqual(['-10 просто смотрит', '+20 concrete budget and buying within a month'])
    expect([...document.querySelectorAll('q.as-sent')].map((q) => q.textContent)).toEqual(['concrete budget and buying within a month'])
  })

  it('shows an English session the same words, unquoted', () => {
    render(<ScoreReasons lead={leadView({ reasons: [{ rule: 'contact.email', points: 10, text: 'left an email address' }] })} />)
    expect(items()).toEqual(['+10 left an email address'])
    expect(document.querySelector('q')).toBeNull()
  })
})
