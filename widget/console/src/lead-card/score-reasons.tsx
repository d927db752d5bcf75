// Why a lead has its score. The server words every reason in English; the console says the
// built-in rules in its own language by their stable `rule` code (shared/score-reasons.ts, the same
// words as the Telegram card, the CRM notes and the CSV), a flow's reason in its language when the
// flow wrote one, and shows everything else (the site's own answer rules, codes it does not know)
// as sent, in quotes, with a line saying so: never a made-up translation of free text.
import type { Locale } from '../../../../shared/locales'
import type { ScoreReason } from '../../../../shared/score'
import { builtInReasonText } from '../../../../shared/score-reasons'
import type { LeadView } from '../api-types'
import { useStrings } from '../i18n'

/**
 * The console's words for a reason, or null to show the server's text.
 * @example
 * reasonText({ rule: 'behaviour.returning', points: 10, text: 'returning visitor (3 visits)' }, lead, 'ru')
 * // → 'вернулся(-ась) на сайт (3 визита)' when lead.context.visits is 3
 */
export function reasonText(reason: ScoreReason, lead: Pick<LeadView, 'context' | 'flags'>, locale: Locale): string | null {
  // The spam verdict's codes are the lead's flags (worker/src/pipeline/ingest-lead.ts).
  const facts = { visits: lead.context?.visits, pagesViewed: lead.context?.pagesViewed, spam: lead.flags.map((f) => f.code) }
  return builtInReasonText(reason, locale, facts) ?? reason.texts?.[locale] ?? null
}

export function ScoreReasons({ lead }: { lead: Pick<LeadView, 'reasons' | 'context' | 'flags'> }) {
  const { t, locale } = useStrings()
  const texts = lead.reasons.map((r) => reasonText(r, lead, locale))
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
