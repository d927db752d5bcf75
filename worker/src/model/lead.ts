// What a lead is once the pipeline has judged it: the payload targets receive in `data`, and why
// a lead is spam. Storage, delivery and the pipeline all speak these types; none owns them.
import type { LeadAnswers, LeadContext, LeadOutput, LeadSource } from '../../../shared/schemas/lead'
import type { Locale } from '../../../shared/schemas/site-config'
import type { ScoreReason, Temperature } from '../../../shared/score'
import type { Manager } from '../../../shared/schemas/routing'
import type { AnswerLabel } from '../../../shared/flow/answer-labels'

/** `lead.status_changed` goes to webhook targets only (docs/webhooks.md). */
export type EventType =
  | 'lead.created'
  | 'lead.repeated'
  | 'lead.escalated'
  | 'lead.status_changed'
  /** A campaign's junk spike and its end: webhook and Telegram targets only, riding on the group's newest lead. */
  | 'quality.alert'
  | 'quality.recovered'

export type SpamCode = 'honeypot' | 'too_fast' | 'disposable_email' | 'premium_number' | 'gibberish_name' | 'link_in_name' | 'turnstile_failed'

export interface SpamFlag {
  code: SpamCode
  detail: string
}

export interface LeadContact {
  name?: string
  /** E.164 */
  phone?: string
  /** Domain lower-cased. */
  email?: string
}

/** The lead as targets receive it in `data`. */
export interface LeadPayload {
  id: string
  site: string
  source: LeadSource
  contact: LeadContact
  message?: string
  /** Codes, as the flow names them (`budget: "under_5m"`): for machines. */
  answers?: LeadAnswers
  /** The same answers as the visitor saw them, in their language: the question and the label clicked. */
  answerLabels?: Record<string, AnswerLabel>
  transcript?: LeadOutput['transcript']
  /** Where the server's replay of the chatbot flow ended and the variables it set (e.g. `route`). */
  flow?: { status: string; vars: Record<string, string | number | boolean> }
  callbackAt?: string
  consent?: { given: boolean; text: string }
  context?: LeadContext
  /** The language the visitor saw the widget in (the lead's `locale`): auto-replies speak it. */
  locale?: Locale
  createdAt: string
  duplicate: boolean
  /** The first lead of this contact inside the dedupe window. */
  duplicateOf?: string
  score: number
  temperature: Temperature
  reasons: ScoreReason[]
  /** The responsible manager, from the site's routing (absent in first-come mode until taken). */
  manager?: Manager
  /** How many times the SLA moved the lead on because nobody took it. */
  escalations?: number
  /** Set once the lead escalated: who is told about it. */
  headOfSales?: Manager
  /**
   * A test lead (the console's "send a test lead", the live preview): delivered like any other so
   * the target can be checked, and left out of stats, digests and junk-spike alerts. Absent on real leads.
   */
  test?: true
}
