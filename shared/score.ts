// Explainable lead scoring: every point carries its rule and a human reason. Pure, so the worker
// computes it from the submitted answers itself and never trusts a score from the browser.
import type { Locale } from './locales'
import type { LeadAnswers, LeadSource } from './schemas/lead'

export type Temperature = 'hot' | 'warm' | 'cold'

export interface ScoreReason {
  /** Machine-readable rule id, e.g. `source.callback`, `answer.timing`. */
  rule: string
  points: number
  /** In English for the built-in rules; a site's own rule as the site wrote it. */
  text: string
  /** A flow reason written per language: the card, the notes and the console pick theirs (shared/score-reasons.ts). */
  texts?: Partial<Record<Locale, string>>
}

export interface ScoreResult {
  score: number
  temperature: Temperature
  reasons: ScoreReason[]
}

type Scalar = string | number | boolean

/** A site rule on one chatbot answer: points when the answer matches. */
export interface AnswerRule {
  /** The rule's code after `answer.`; the question id when absent (two rules on one question need one). */
  id?: string
  question: string
  /** Matches when the answer (or any element of a multi-choice answer) equals one of these. */
  in?: Scalar[]
  /** Matches a numeric answer in [min, max]. */
  min?: number
  max?: number
  /** Answers that never match ("Not sure yet" is an answer, but no budget). */
  except?: Scalar[]
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

/**
 * Calibrated on the demo flows' personas (score-calibration.test.ts) as a sales manager grades
 * them: intent (budget, timing) moves a lead across the thresholds, the channel and the contact
 * only set where it starts. A bare callback with a phone is warm (50); a chat with a phone and
 * nothing said about budget or timing sits on the warm line (40); "just looking" takes a lead with
 * a phone down to cold; a named budget and timing within a month take it to hot.
 */
export const DEFAULT_SCORING: ScoringRules = {
  base: 10,
  source: { callback: 25, chat: 15, form: 10, exit_intent: 5 },
  name: 5,
  phone: 15,
  email: 5,
  returningVisitor: 15,
  engagedPages: { pages: 3, points: 5 },
  scheduledCallback: -5,
  // Question ids the example chatbot flows use; a site's own `answers` rules replace these.
  answers: [
    { question: 'budget', except: ['unknown', 'not_sure', 0], points: 15, text: 'named a budget' },
    { question: 'timing', in: ['now', 'asap', 'this_week', 'this_month'], points: 20, text: 'wants it within a month' },
    { id: 'timing.just_looking', question: 'timing', in: ['just_looking'], points: -20, text: 'just looking' },
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
  const values = (Array.isArray(value) ? value : [value]).filter((item) => !rule.except?.includes(item))
  if (rule.in) return values.some((item) => rule.in!.includes(item))
  if (rule.min !== undefined || rule.max !== undefined) {
    return values.some((item) => {
      const n = typeof item === 'number' ? item : Number(item)
      return Number.isFinite(n) && n >= (rule.min ?? -Infinity) && n <= (rule.max ?? Infinity)
    })
  }
  return values.length > 0
}

function temperatureOf(score: number, rules: ScoringRules): Temperature {
  return score >= rules.hot ? 'hot' : score >= rules.warm ? 'warm' : 'cold'
}

/**
 * @example
 * scoreLead({ source: 'callback', contact: { phone: '+79123456789' } })
 * // → { score: 50, temperature: 'warm', reasons: [{ rule: 'base', points: 10, … }, …] }
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
    if (answerMatches(rule, input.answers?.[rule.question])) add(`answer.${rule.id ?? rule.question}`, rule.points, rule.text)
  }
  let total = reasons.reduce((sum, r) => sum + r.points, 0)
  if (input.spam && input.spam.length > 0) {
    add('spam', -total, `marked as spam (${input.spam.join(', ')})`)
    total = 0
  }
  const score = Math.max(0, Math.min(100, total))
  return { score, temperature: temperatureOf(score, rules), reasons }
}
