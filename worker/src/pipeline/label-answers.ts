// The lead's answers as the visitor saw them (shared/flow/answer-labels.ts), from the site's own
// flow: for a chat lead and for a "call me instead" lead, whose answers came from the chat.
import { answerLabels, checkFlow, replayFlow } from '../../../shared/flow'
import type { AnswerLabel, CheckFlowResult, Locale, ReplayResult } from '../../../shared/flow'
import type { LeadAnswers } from '../../../shared/schemas/lead'
import type { SiteConfig } from '../../../shared/schemas/site-config'

/**
 * Labels in the visitor's language, or undefined when the site has no valid flow or no question
 * of it was answered. `checked` and `replay` save the work when ingest did it already.
 */
export function labelAnswers(
  config: SiteConfig,
  answers: LeadAnswers | undefined,
  locale: Locale,
  checked: CheckFlowResult | null = null,
  replay: ReplayResult | null = null,
): Record<string, AnswerLabel> | undefined {
  if (!answers || !config.chat) return undefined
  const flow = checked ?? checkFlow(config.chat.flow)
  if (!flow.ok) return undefined
  const labels = answerLabels(flow.flow, answers, locale, (replay ?? replayFlow(flow.flow, answers)).path)
  return Object.keys(labels).length > 0 ? labels : undefined
}
