// Why a lead has its score. The server words every reason in English; the console says the
// built-in rules in its own language by their stable `rule` code, and shows everything else (the
// site's own answer rules and chatbot points, codes it does not know) as sent, in quotes, with a
// line saying so: never a made-up translation of free text.
import type { ScoreReason } from '../../../../shared/score'
import type { LeadView } from '../api-types'
import type { Strings } from '../i18n'
import { STRINGS, useStrings } from '../i18n'

/**
 * The console's words for a reason, or null to show the server's text.
 * @example
 * reasonText({ rule: 'behaviour.returning', points: 10, text: 'returning visitor (3 visits)' }, lead, STRINGS.ru)
 * // → 'вернулся(-ась) на сайт (3 визита)' when lead.context.visits is 3
 */
export function reasonText(reason: ScoreReason, lead: Pick<LeadView, 'context' | 'flags'>, t: Strings): string | null {
  const { rule } = reason
  if (rule === 'behaviour.returning') return lead.context?.visits !== undefined ? t.scoreVisits(lead.context.visits) : null
  if (rule === 'behaviour.pages') return lead.context?.pagesViewed !== undefined ? t.scorePages(lead.context.pagesViewed) : null
  // The spam verdict's codes are the lead's flags (worker/src/pipeline/ingest-lead.ts).
  if (rule === 'spam') return lead.flags.length > 0 ? t.scoreSpam(lead.flags.map((f) => f.code).join(', ')) : null
  // typeof, not `in`: a code such as "toString" finds the object's prototype, never a string.
  const own = t.scoreRules[rule]
  if (typeof own !== 'string') return null
  // A site's own rule on the same question ("answer.budget") has its own words: those stay.
  return rule.startsWith('answer.') && reason.text !== STRINGS.en.scoreRules[rule] ? null : own
}

export function ScoreReasons({ lead }: { lead: Pick<LeadView, 'reasons' | 'context' | 'flags'> }) {
  const { t } = useStrings()
  const texts = lead.reasons.map((r) => reasonText(r, lead, t))
  const asSent = texts.includes(null)
  return (
    <>
      <ul class="reasons" aria-describedby={asSent ? 'reasons-as-sent' : undefined}>
        {lead.reasons.map((r, i) => (
          <li key={i}>
            <span class={r.points >= 0 ? 'plus' : 'minus'}>{`${r.points > 0 ? '+' : ''}${r.points}`}</span>{' '}
            {texts[i] ?? (
              // A built-in code this console does not know yet is the server's English; the site's
              // own rules are in whatever language the site wrote them.
              <q class="as-sent" lang={/^(answer|flow)\./.test(r.rule) ? undefined : 'en'}>
                {r.text}
              </q>
            )}
          </li>
        ))}
      </ul>
      {asSent && (
        <p id="reasons-as-sent" class="hint">
          {t.reasonsAsSent}
        </p>
      )}
    </>
  )
}
