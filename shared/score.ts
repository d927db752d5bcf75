// Explainable lead scoring: every point carries its rule and a human reason. Pure, so the worker
// computes it from the submitted answers itself and never trusts a score from the browser.
import type { LeadAnswers, LeadSource } from './schemas/lead'

export type Temperature = 'hot' | 'warm' | 'cold'

export interface ScoreReason {
  /** Machine-readable rule id, e.g. `source.callback`, `answer.timing`. */
  rule: string
  points: number
  text: string
}

export interface ScoreResult {
  score: number
  temperature: Temperature
  reasons: ScoreReason[]
}

/** A site rule on one chatbot answer: points when the answer matches. */
export interface AnswerRule {
  question: string
  /** Matches when the answer (or any element of a multi-choice answer) equals one of these. */
  in?: (string | number | boolean)[]
  /** Matches a numeric answer in [min, max]. */
  min?: number
  max?: number
  /** Matches any non-empty answer when neither `in` nor a range is given. */
  points: number
  text: string
}

export interface ScoringRules {
  base: number
  source: Record<LeadSource, number>
  name: number
  phone: number
  email: number
  returningVisitor: number
  /** Points once this many pages were viewed. */
  engagedPages: { pages: number; points: number }
  /** A callback booked for later (outside working hours) is a little less urgent. */
  scheduledCallback: number
  answers: AnswerRule[]
  hot: number
  warm: number
}

export const DEFAULT_SCORING: ScoringRules = {
  base: 10,
  source: { callback: 30, chat: 20, form: 15, exit_intent: 10 },
  name: 5,
  phone: 20,
  email: 10,
  returningVisitor: 10,
  engagedPages: { pages: 3, points: 5 },
  scheduledCallback: -5,
  // Question ids the example chatbot flows use; a site's own `answers` rules replace these.
  answers: [
    { question: 'budget', points: 10, text: 'named a budget' },
    { question: 'timing', in: ['now', 'asap', 'this_week', 'this_month'], points: 15, text: 'wants it within a month' },
  ],
  hot: 70,
  warm: 40,
}

export interface ScoreInput {
  source: LeadSource
  contact: { name?: string; phone?: string; email?: string }
  answers?: LeadAnswers
  callbackAt?: string
  visits?: number
  pagesViewed?: number
  /** Spam verdict codes; any makes the lead cold with the penalty explained. */
  spam?: string[]
}

const SOURCE_TEXT: Record<LeadSource, string> = {
  callback: 'asked for a call back',
  chat: 'talked to the chatbot',
  form: 'sent a form',
  exit_intent: 'answered the exit offer',
}

function answerMatches(rule: AnswerRule, value: LeadAnswers[string] | undefined): boolean {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return false
  const values = Array.isArray(value) ? value : [value]
  if (rule.in) return values.some((item) => rule.in!.includes(item))
  if (rule.min !== undefined || rule.max !== undefined) {
    return values.some((item) => {
      const n = typeof item === 'number' ? item : Number(item)
      return Number.isFinite(n) && n >= (rule.min ?? -Infinity) && n <= (rule.max ?? Infinity)
    })
  }
  return true
}

function temperatureOf(score: number, rules: ScoringRules): Temperature {
  return score >= rules.hot ? 'hot' : score >= rules.warm ? 'warm' : 'cold'
}

/**
 * @example
 * scoreLead({ source: 'callback', contact: { phone: '+79123456789' } })
 * // → { score: 60, temperature: 'warm', reasons: [{ rule: 'base', points: 10, … }, …] }
 */
export function scoreLead(input: ScoreInput, rules: ScoringRules = DEFAULT_SCORING): ScoreResult {
  const reasons: ScoreReason[] = []
  const add = (rule: string, points: number, text: string) => {
    if (points !== 0) reasons.push({ rule, points, text })
  }
  add('base', rules.base, 'left a request')
  add(`source.${input.source}`, rules.source[input.source], SOURCE_TEXT[input.source])
  if (input.contact.name) add('contact.name', rules.name, 'gave a name')
  if (input.contact.phone) add('contact.phone', rules.phone, 'left a valid phone number')
  if (input.contact.email) add('contact.email', rules.email, 'left an email address')
  if ((input.visits ?? 1) > 1) add('behaviour.returning', rules.returningVisitor, `returning visitor (${input.visits} visits)`)
  if ((input.pagesViewed ?? 0) >= rules.engagedPages.pages) {
    add('behaviour.pages', rules.engagedPages.points, `viewed ${input.pagesViewed} pages`)
  }
  if (input.callbackAt) add('callback.scheduled', rules.scheduledCallback, 'asked for a call at a later time')
  for (const rule of rules.answers) {
    if (answerMatches(rule, input.answers?.[rule.question])) add(`answer.${rule.question}`, rule.points, rule.text)
  }
  let total = reasons.reduce((sum, r) => sum + r.points, 0)
  if (input.spam && input.spam.length > 0) {
    add('spam', -total, `marked as spam (${input.spam.join(', ')})`)
    total = 0
  }
  const score = Math.max(0, Math.min(100, total))
  return { score, temperature: temperatureOf(score, rules), reasons }
}
