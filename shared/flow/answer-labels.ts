// A chat's answers as the visitor saw them: the question the bot asked and the label of the button
// they clicked, in their language, for the manager's card, the CRM note and the "call me instead"
// message. The codes stay in `answers` for machines; these are words for people.
import { answerKey, localize } from './engine'
import type { AnswerValue, Locale } from './engine'
import type { Flow, FlowNode } from './schema'

export interface AnswerLabel {
  /** The question as the bot asked it. */
  question: string
  /** The label the visitor clicked (several joined by ", "), or what they typed. */
  answer: string
}

type AnsweringNode = Extract<FlowNode, { type: 'ask' | 'faq' }>

function answerWords(node: AnsweringNode, value: AnswerValue, locale: Locale): string {
  const values = Array.isArray(value) ? value : [value]
  if (node.type === 'ask' && node.options) {
    const options = node.options
    return values
      .map((item) => {
        const option = options.find((o) => o.value === String(item))
        return option ? localize(option.label, locale) : String(item)
      })
      .join(', ')
  }
  // Numbers as the visitor's language writes them: 150 000 in Russian, 150,000 in English.
  return values.map((item) => (typeof item === 'number' ? new Intl.NumberFormat(locale).format(item) : String(item))).join(', ')
}

/**
 * Labels for the answers a flow asked for; keys that no question of the flow asks for (`var.*`,
 * a stale answer) get none. When two questions share a key (a buyer's and a seller's `timing`),
 * the one on `path`, the nodes the conversation went through, is the one the visitor saw.
 *
 * @example
 * answerLabels(realty, { budget: 'under_5m' }, 'ru')
 * // → { budget: { question: 'Какой у вас бюджет?', answer: 'до 5 млн ₽' } }
 */
export function answerLabels(flow: Flow, answers: Readonly<Record<string, AnswerValue>>, locale: Locale, path: readonly string[] = []): Record<string, AnswerLabel> {
  const nodes = flow.nodes.filter((n): n is AnsweringNode => n.type === 'ask' || n.type === 'faq')
  const labels: Record<string, AnswerLabel> = {}
  for (const [key, value] of Object.entries(answers)) {
    const candidates = nodes.filter((n) => answerKey(n) === key)
    // The last one on the path: the widget's older browsers have no Array#findLast.
    const node = candidates.filter((n) => path.includes(n.id)).pop() ?? candidates[0]
    if (!node) continue
    labels[key] = { question: localize(node.text, locale), answer: answerWords(node, value, locale) }
  }
  return labels
}

/** "Какой у вас бюджет? — до 5 млн ₽": one answer as a person reads it. */
export function answerLine(label: AnswerLabel): string {
  return `${label.question} — ${label.answer}`
}
