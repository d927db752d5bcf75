// Calibration of the default scoring against the three demo flows: personas a sales manager would
// grade hot, warm or cold, answered through the flow and scored as the worker scores a chat lead.
import { describe, expect, it } from 'vitest'
import { replayFlow, withFlowScore } from './flow/replay'
import { demoFlow, walk } from './flow/testing'
import type { WalkInput } from './flow/testing'
import type { LeadAnswers } from './schemas/lead'
import { scoreLead } from './score'
import type { ScoreResult, Temperature } from './score'

type FlowName = 'realty' | 'english-school' | 'travel'

interface Persona {
  who: string
  answers: WalkInput[]
  contact: { name?: string; phone?: string; email?: string }
  grade: Temperature
}

const PHONE = '+79123456789'

/** Walks the flow like the visitor, then scores the lead as ingest does: base rules plus the replay. */
function scoreChat(flow: FlowName, persona: Persona): ScoreResult {
  const f = demoFlow(flow)
  const contact = { type: 'contact' as const, ...persona.contact }
  const state = walk(f, [...persona.answers, contact])
  const answers: LeadAnswers = { ...state.answers }
  for (const [name, value] of Object.entries(state.vars)) answers[`var.${name}`] = value
  const base = scoreLead({ source: 'chat', contact: persona.contact, answers })
  return withFlowScore(base, replayFlow(f, answers))
}

const PERSONAS: Record<FlowName, Persona[]> = {
  realty: [
    { who: 'a buyer with 10–20 M, half down, buying now', answers: ['buy', '2', 'new', '10_20m', '20_50', 'now'], contact: { name: 'Анна', phone: PHONE }, grade: 'hot' },
    { who: 'a buyer with 5–10 M this month, no name', answers: ['buy', '1', 'resale', '5_10m', 'under_20', 'this_month'], contact: { phone: PHONE }, grade: 'hot' },
    { who: 'a seller who wants to sell now', answers: ['sell', 'flat', 'now'], contact: { name: 'Олег', phone: PHONE }, grade: 'hot' },
    { who: 'a buyer with a budget in three months', answers: ['buy', '3', 'resale', '5_10m', 'under_20', '3_months'], contact: { name: 'Анна', phone: PHONE }, grade: 'warm' },
    { who: 'a buyer in a hurry with no budget yet', answers: ['buy', 'studio', 'any', 'unknown', 'none', 'this_month'], contact: { phone: PHONE }, grade: 'warm' },
    { who: 'a seller in no hurry', answers: ['sell', 'land', 'later'], contact: { phone: PHONE }, grade: 'warm' },
    { who: 'до 5 млн, без взноса, просто смотрю', answers: ['buy', '1', 'any', 'under_5m', 'none', 'just_looking'], contact: { name: 'Анна', phone: PHONE }, grade: 'cold' },
    { who: 'just looking, no budget', answers: ['buy', 'studio', 'any', 'unknown', 'none', 'just_looking'], contact: { phone: PHONE }, grade: 'cold' },
    { who: 'later, no budget', answers: ['buy', '2', 'any', 'unknown', 'none', 'later'], contact: { name: 'Анна', phone: PHONE }, grade: 'cold' },
  ],
  'english-school': [
    { who: 'an adult who can join a group, with name and phone', answers: ['trial', 'adults', 'intermediate', ['evening']], contact: { name: 'Anna', phone: PHONE }, grade: 'hot' },
    { who: 'a parent booking a beginner child, phone only', answers: ['trial', 'kids', 'beginner', ['weekend']], contact: { phone: PHONE }, grade: 'warm' },
    {
      who: 'a question first, then a trial, by email',
      answers: ['question', 'How much are the lessons?', 'trial', 'teens', 'elementary', ['afternoon']],
      contact: { name: 'Anna', email: 'anna@mail.example' },
      grade: 'warm',
    },
    { who: 'a trial by email only, level unknown', answers: ['trial', 'adults', 'unknown', ['weekend']], contact: { email: 'anna@mail.example' }, grade: 'warm' },
    { who: 'a price question, then "not now", by email', answers: ['question', 'How much are the lessons?', 'not_now'], contact: { email: 'anna@mail.example' }, grade: 'cold' },
    { who: 'a question, then "not now", with a phone', answers: ['question', 'Can I study online?', 'not_now'], contact: { name: 'Anna', phone: PHONE }, grade: 'cold' },
  ],
  travel: [
    { who: 'a couple with dates and a budget', answers: ['Турция', '10–20 июня', 2, 150_000], contact: { name: 'Анна', phone: PHONE }, grade: 'hot' },
    { who: 'a group of eight with dates', answers: ['Сочи', 'с 1 по 10 августа', 8, 60_000], contact: { phone: PHONE }, grade: 'hot' },
    { who: 'a premium trip with dates, by email', answers: ['Мальдивы', '1–10 марта', 2, 400_000], contact: { name: 'Анна', email: 'anna@mail.example' }, grade: 'hot' },
    { who: 'a couple with a budget but no dates yet', answers: ['Турция', 'летом', 2, 100_000], contact: { phone: PHONE }, grade: 'warm' },
    { who: 'dates but no budget, by email', answers: ['Египет', '5–12 мая', 2, 0], contact: { email: 'anna@mail.example' }, grade: 'warm' },
    { who: 'just looking: no dates, no budget, an email', answers: ['пока не знаю', 'не знаю', 1, 0], contact: { email: 'anna@mail.example' }, grade: 'cold' },
  ],
}

describe('the default scoring of a call back', () => {
  const justLooking = { intent: 'buy', budget: 'under_5m', down_payment: 'none', timing: 'just_looking' }

  it('starts a bare callback with a phone warm, not near hot', () => {
    expect(scoreLead({ source: 'callback', contact: { phone: PHONE } })).toMatchObject({ score: 50, temperature: 'warm' })
  })

  it('takes a "call me instead" from a chat that was just looking down to cold, and one buying now up to hot', () => {
    expect(scoreLead({ source: 'callback', contact: { phone: PHONE }, answers: { ...justLooking, budget: 'unknown' } }).temperature).toBe('cold')
    expect(scoreLead({ source: 'callback', contact: { phone: PHONE }, answers: { ...justLooking, timing: 'now' } }).temperature).toBe('hot')
  })

  it('keeps an exit offer left with an email cold, and a returning, engaged caller hot', () => {
    expect(scoreLead({ source: 'exit_intent', contact: { email: 'a@mail.example' } }).temperature).toBe('cold')
    expect(scoreLead({ source: 'callback', contact: { name: 'Анна', phone: PHONE }, visits: 3, pagesViewed: 4 }).temperature).toBe('hot')
  })
})

describe('the default scoring on the demo flows', () => {
  for (const [flow, personas] of Object.entries(PERSONAS) as [FlowName, Persona[]][]) {
    for (const persona of personas) {
      it(`grades ${persona.who} (${flow}) ${persona.grade}`, () => {
        const result = scoreChat(flow, persona)
        expect(result.temperature).toBe(persona.grade)
      })
    }
  }
})
