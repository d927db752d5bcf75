// The chatbot flow API both sides use: the format, its checks, the engine and the server replay.
export * from './schema'
export { checkFlow, graphProblems, successors } from './validate'
export type { CheckFlowResult, FlowProblem, FlowProblemCode } from './validate'
export {
  MAX_AUTO_STEPS,
  acceptAnswer,
  answerKey,
  findNode,
  handoffPrefill,
  localize,
  startFlow,
  stepFlow,
  testWhen,
} from './engine'
export type {
  AnswerValue,
  EngineOptions,
  FlowContact,
  FlowEvent,
  FlowMessage,
  FlowReason,
  FlowState,
  InputError,
  Locale,
} from './engine'
export { answerLabels, answerLine } from './answer-labels'
export type { AnswerLabel } from './answer-labels'
export { matchFaq, words } from './faq'
export { replayFlow, withFlowScore } from './replay'
export type { ReplayResult } from './replay'
