// A site's scoring overrides over the defaults: each field on its own, answer rules as a whole.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { SiteConfigSchema } from '../../../shared/schemas/site-config'
import { DEFAULT_SCORING, scoreLead } from '../../../shared/score'
import { scoringRulesFor } from './scoring-rules'

const config = (scoring?: unknown) =>
  v.parse(SiteConfigSchema, { origins: ['https://shop.example'], country: 'RU', locale: 'ru', targets: [], ...(scoring !== undefined && { scoring }) })

describe('scoringRulesFor', () => {
  it('is the defaults without overrides', () => {
    expect(scoringRulesFor(config())).toBe(DEFAULT_SCORING)
  })

  it('takes each override on its own and keeps every other default', () => {
    const rules = scoringRulesFor(config({ source: { exit_intent: 15 }, hot: 75 }))
    expect(rules).toEqual({ ...DEFAULT_SCORING, source: { ...DEFAULT_SCORING.source, exit_intent: 15 }, hot: 75 })
  })

  it('replaces the default answer rules with the site’s, ids and exceptions included', () => {
    const rules = scoringRulesFor(
      config({
        answers: [
          { question: 'budget', except: ['unknown'], points: 15, text: 'named a budget' },
          { question: 'budget', id: 'budget.big', min: 10_000_000, points: 15, text: '10 M ₽ or more' },
        ],
      }),
    )
    const reasons = (budget: string | number) =>
      scoreLead({ source: 'chat', contact: {}, answers: { budget, timing: 'now' } }, rules).reasons.filter((r) => r.rule.startsWith('answer.'))
    expect(reasons(20_000_000).map((r) => r.rule)).toEqual(['answer.budget', 'answer.budget.big'])
    expect(reasons('unknown')).toEqual([])
  })
})
