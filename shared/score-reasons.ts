// A score reason in the reader's language: one table of words for the built-in rules (by their
// stable `rule` code) for the Telegram card, the CRM notes, the CSV export and the console. The
// server stores every reason's `text` in English; a flow's own reason may carry `texts` per
// language; anything else (a site's own answer rules) is shown as the site wrote it.
import type { Locale } from './locales'
import { ruPlural } from './ru-plural'
import type { ScoreReason } from './score'

/** What the counted reasons need: the lead's visits, pages and spam codes. */
export interface ReasonFacts {
  visits?: number | undefined
  pagesViewed?: number | undefined
  spam?: readonly string[] | undefined
}

interface ReasonWords {
  rules: Record<string, string>
  visits(n: number): string
  pages(n: number): string
  spam(codes: string): string
}

// The English words are the server's own, word for word (score-reasons.test.ts checks); this file
// imports no scoring code, so the console can use it without shipping the rules.
const WORDS: Record<Locale, ReasonWords> = {
  en: {
    rules: {
      base: 'left a request',
      'source.callback': 'asked for a call back',
      'source.chat': 'talked to the chatbot',
      'source.form': 'sent a form',
      'source.exit_intent': 'answered the exit offer',
      'contact.name': 'gave a name',
      'contact.phone': 'left a valid phone number',
      'contact.email': 'left an email address',
      'callback.scheduled': 'asked for a call at a later time',
      'answer.budget': 'named a budget',
      'answer.timing': 'wants it within a month',
      'answer.timing.just_looking': 'just looking',
    },
    visits: (n) => `returning visitor (${n} visits)`,
    pages: (n) => `viewed ${n} pages`,
    spam: (codes) => `marked as spam (${codes})`,
  },
  ru: {
    rules: {
      base: 'оставил(а) заявку',
      'source.callback': 'попросил(а) перезвонить',
      'source.chat': 'поговорил(а) с чат-ботом',
      'source.form': 'отправил(а) форму',
      'source.exit_intent': 'откликнулся(-ась) на оффер при уходе',
      'contact.name': 'назвал(а) имя',
      'contact.phone': 'оставил(а) правильный номер телефона',
      'contact.email': 'оставил(а) e-mail',
      'callback.scheduled': 'попросил(а) позвонить позже',
      'answer.budget': 'назвал(а) бюджет',
      'answer.timing': 'хочет в течение месяца',
      'answer.timing.just_looking': 'просто смотрит',
    },
    visits: (n) => `вернулся(-ась) на сайт (${n} ${ruPlural(n, 'визит', 'визита', 'визитов')})`,
    pages: (n) => `просмотрел(а) ${n} ${ruPlural(n, 'страницу', 'страницы', 'страниц')}`,
    spam: (codes) => `помечена как спам (${codes})`,
  },
}

/**
 * The built-in words for a reason, or null: a site's own rule, a code this table does not know,
 * or a count the facts do not have.
 * @example
 * builtInReasonText({ rule: 'behaviour.returning', points: 15, text: 'returning visitor (3 visits)' }, 'ru', { visits: 3 })
 * // → 'вернулся(-ась) на сайт (3 визита)'
 */
export function builtInReasonText(reason: ScoreReason, locale: Locale, facts: ReasonFacts = {}): string | null {
  const words = WORDS[locale]
  const { rule } = reason
  if (rule === 'behaviour.returning') return facts.visits !== undefined ? words.visits(facts.visits) : null
  if (rule === 'behaviour.pages') return facts.pagesViewed !== undefined ? words.pages(facts.pagesViewed) : null
  if (rule === 'spam') return facts.spam && facts.spam.length > 0 ? words.spam(facts.spam.join(', ')) : null
  // Object.hasOwn, not `in`: a code such as "toString" would find the object's prototype.
  if (!Object.hasOwn(words.rules, rule)) return null
  // A default answer rule only with its very words: a site's own rule on the same question has its own.
  if (rule.startsWith('answer.') && reason.text !== WORDS.en.rules[rule]) return null
  return words.rules[rule]!
}

/**
 * What a manager reads for a reason in `locale`: the built-in words, else a flow reason's words in
 * that language, else the text as stored.
 * @example
 * reasonText({ rule: 'flow.score_looking', points: -10, text: 'just looking', texts: { ru: 'просто смотрит', en: 'just looking' } }, 'ru')
 * // → 'просто смотрит'
 */
export function reasonText(reason: ScoreReason, locale: Locale, facts: ReasonFacts = {}): string {
  return builtInReasonText(reason, locale, facts) ?? reason.texts?.[locale] ?? reason.text
}

/** "+15 named a budget", "-10 просто смотрит": the points signed, then the words. */
export function reasonLine(reason: ScoreReason, locale: Locale, facts: ReasonFacts = {}): string {
  return `${reason.points >= 0 ? '+' : ''}${reason.points} ${reasonText(reason, locale, facts)}`
}
