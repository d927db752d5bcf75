import { describe, expect, it } from 'vitest'
import { DEFAULT_SCORING, scoreLead } from './score'
import type { ScoringRules } from './score'

describe('scoreLead', () => {
  it('explains every point of a plain callback request', () => {
    expect(scoreLead({ source: 'callback', contact: { phone: '+79123456789' } })).toEqual({
      score: 50,
      temperature: 'warm',
      reasons: [
        { rule: 'base', points: 10, text: 'left a request' },
        { rule: 'source.callback', points: 25, text: 'asked for a call back' },
        { rule: 'contact.phone', points: 15, text: 'left a valid phone number' },
      ],
    })
  })

  it('makes a complete, returning, engaged visitor hot', () => {
    const result = scoreLead({
      source: 'callback',
      contact: { name: 'Анна', phone: '+79123456789', email: 'a@b.ru' },
      visits: 3,
      pagesViewed: 5,
    })
    expect(result.score).toBe(80)
    expect(result.temperature).toBe('hot')
    expect(result.reasons.map((r) => r.rule)).toEqual(['base', 'source.callback', 'contact.name', 'contact.phone', 'contact.email', 'behaviour.returning', 'behaviour.pages'])
  })

  it('scores chatbot answers by the site rules: values, ranges and any answer', () => {
    const rules: ScoringRules = {
      ...DEFAULT_SCORING,
      answers: [
        { question: 'timing', in: ['now', 'month'], points: 15, text: 'wants to buy within a month' },
        { question: 'budget', min: 5_000_000, points: 10, text: 'budget over 5 million' },
        { question: 'rooms', points: 5, text: 'knows the number of rooms' },
        { question: 'mortgage', in: [true], points: -5, text: 'needs a mortgage' },
      ],
    }
    const result = scoreLead({ source: 'chat', contact: { email: 'a@b.ru' }, answers: { timing: ['month'], budget: '8000000', rooms: 2, mortgage: false } }, rules)
    expect(result.reasons.filter((r) => r.rule.startsWith('answer.'))).toEqual([
      { rule: 'answer.timing', points: 15, text: 'wants to buy within a month' },
      { rule: 'answer.budget', points: 10, text: 'budget over 5 million' },
      { rule: 'answer.rooms', points: 5, text: 'knows the number of rooms' },
    ])
    expect(result.score).toBe(10 + 15 + 5 + 30)
  })

  it('rewards a named budget and near timing by default', () => {
    const result = scoreLead({ source: 'chat', contact: { phone: '+7' }, answers: { budget: '5-8m', timing: 'this_month' } })
    expect(result.reasons.slice(-2)).toEqual([
      { rule: 'answer.budget', points: 15, text: 'named a budget' },
      { rule: 'answer.timing', points: 20, text: 'wants it within a month' },
    ])
    expect(scoreLead({ source: 'chat', contact: { phone: '+7' }, answers: { timing: 'next_year' } }).reasons.map((r) => r.rule)).not.toContain('answer.timing')
  })

  it('takes points off "just looking" and gives none for a budget not named', () => {
    const rules = (answers: Record<string, string | number>) => scoreLead({ source: 'chat', contact: { phone: '+7' }, answers }).reasons.filter((r) => r.rule.startsWith('answer.'))
    expect(rules({ timing: 'just_looking' })).toEqual([{ rule: 'answer.timing.just_looking', points: -20, text: 'just looking' }])
    for (const budget of ['unknown', 'not_sure', 0]) expect(rules({ budget }), String(budget)).toEqual([])
    expect(rules({ budget: 120_000 })).toEqual([{ rule: 'answer.budget', points: 15, text: 'named a budget' }])
  })

  it('lets a rule leave answers out and give itself a code of its own', () => {
    const rules: ScoringRules = {
      ...DEFAULT_SCORING,
      answers: [
        { question: 'rooms', except: ['any'], points: 5, text: 'knows the number of rooms' },
        { id: 'rooms.big', question: 'rooms', in: ['4plus'], points: 10, text: 'a big flat' },
      ],
    }
    const codes = (rooms: string | string[]) =>
      scoreLead({ source: 'chat', contact: {}, answers: { rooms } }, rules)
        .reasons.filter((r) => r.rule.startsWith('answer.'))
        .map((r) => r.rule)
    expect(codes('any')).toEqual([])
    expect(codes(['any', '2'])).toEqual(['answer.rooms'])
    expect(codes('4plus')).toEqual(['answer.rooms', 'answer.rooms.big'])
  })

  it('takes points off a callback booked for later', () => {
    const result = scoreLead({ source: 'callback', contact: { phone: '+7' }, callbackAt: '2026-11-24T10:00:00+03:00' })
    expect(result.reasons.at(-1)).toEqual({ rule: 'callback.scheduled', points: -5, text: 'asked for a call at a later time' })
    expect(result.score).toBe(45)
  })

  it('drops spam to 0 and cold, with the penalty as a reason', () => {
    const result = scoreLead({ source: 'callback', contact: { phone: '+7', name: 'x' }, spam: ['honeypot', 'too_fast'] })
    expect(result.score).toBe(0)
    expect(result.temperature).toBe('cold')
    expect(result.reasons.at(-1)).toEqual({ rule: 'spam', points: -55, text: 'marked as spam (honeypot, too_fast)' })
    expect(result.reasons.reduce((s, r) => s + r.points, 0)).toBe(0)
  })

  it('keeps the score within 0–100', () => {
    const generous: ScoringRules = { ...DEFAULT_SCORING, base: 100 }
    expect(scoreLead({ source: 'callback', contact: { phone: '+7' } }, generous).score).toBe(100)
    const harsh: ScoringRules = { ...DEFAULT_SCORING, base: -100 }
    expect(scoreLead({ source: 'exit_intent', contact: { email: 'a@b.ru' } }, harsh).score).toBe(0)
  })
})
