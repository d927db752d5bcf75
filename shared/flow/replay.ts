// Server-side re-evaluation of a chat lead: walks the flow with the submitted answers and computes
// the flow's points itself, so a score sent by the browser is never needed nor trusted.
import type { ScoreReason, ScoreResult, ScoringRules } from '../score'
import { DEFAULT_SCORING } from '../score'
import { answerKey, findNode, startFlow, stepFlow } from './engine'
import type { AnswerValue, FlowReason, FlowState } from './engine'
import type { Flow, Scalar } from './schema'

export interface ReplayResult {
  /** `incomplete`: an answer the path needs is missing; `invalid`: an answer the node refuses. */
  status: 'ended' | 'handoff' | 'incomplete' | 'invalid' | 'broken'
  /** The node the replay stopped at. */
  at: string
  score: number
  reasons: FlowReason[]
  vars: Record<string, Scalar>
  /** Only the answers the path actually asked for and accepted. */
  answers: Record<string, AnswerValue>
  /** The nodes the replay went through. */
  path: string[]
}

/** Enough for any validated flow (at most 200 nodes); stops a loop fed by the same stored answer. */
const MAX_INPUTS = 200

/**
 * Recomputes the flow's score, reasons and variables from the answers in a lead. Contact nodes
 * are passed as given: the worker checks the lead's contact itself.
 *
 * @example
 * const replay = replayFlow(flow, lead.answers ?? {})
 * if (replay.vars.route === 'senior') assignSeniorManager()
 */
export function replayFlow(flow: Flow, answers: Readonly<Record<string, AnswerValue>>): ReplayResult {
  let state: FlowState = startFlow(flow, { locale: 'en' })
  let status: ReplayResult['status'] | null = null
  for (let i = 0; i < MAX_INPUTS && state.status === 'waiting'; i++) {
    const node = findNode(flow, state.at)
    if (!node) break
    let next: FlowState
    if (node.type === 'contact') {
      // Any syntactically present contact passes; the real check is the worker's own.
      next = stepFlow(
        flow,
        state,
        { type: 'contact', phone: '00000', email: 'replay@example.com' },
        {
          locale: 'en',
          checkPhone: (raw) => raw,
          checkEmail: (raw) => raw,
        },
      )
    } else {
      const value = Object.hasOwn(answers, answerKey(node)) ? answers[answerKey(node)] : undefined
      if (value === undefined) {
        status = 'incomplete'
        break
      }
      next = stepFlow(flow, state, { type: 'answer', value }, { locale: 'en' })
      if (next.error) {
        status = 'invalid'
        break
      }
    }
    state = next
  }
  const accepted: Record<string, AnswerValue> = {}
  for (const [key, value] of Object.entries(state.answers)) accepted[key] = value
  return {
    status: status ?? (state.status === 'waiting' ? 'incomplete' : state.status),
    at: state.at,
    score: state.score,
    reasons: state.reasons,
    vars: state.vars,
    answers: accepted,
    path: state.path,
  }
}

/**
 * Adds the flow's points to the server's base score (shared/score.ts), clamps to 0–100 and
 * recomputes the temperature with the site's thresholds.
 *
 * @example
 * const base = scoreLead({ source: 'chat', contact, answers }, rules)
 * const final = withFlowScore(base, replayFlow(flow, answers), rules)
 */
export function withFlowScore(base: ScoreResult, replay: Pick<ReplayResult, 'reasons'>, rules: Pick<ScoringRules, 'hot' | 'warm'> = DEFAULT_SCORING): ScoreResult {
  // A spam verdict zeroes the lead; flow points must not lift it back up.
  if (base.reasons.some((r) => r.rule === 'spam')) return base
  const reasons: ScoreReason[] = [...base.reasons, ...replay.reasons]
  const total = reasons.reduce((sum, r) => sum + r.points, 0)
  const score = Math.max(0, Math.min(100, total))
  const temperature = score >= rules.hot ? 'hot' : score >= rules.warm ? 'warm' : 'cold'
  return { score, temperature, reasons }
}
