// One lead in the inbox: who, when, from where, and where it stands. The whole row links to the
// card. Everything shown here came from a visitor and is rendered as text.
import { formatPhoneForDisplay } from '../../../../shared/phone-display'
import type { LeadView } from '../api-types'
import { formatDateTime } from '../format'
import { useStrings } from '../i18n'
import { hrefOf } from '../router'
import { StatusBadge, TemperatureBadge } from '../ui'

export interface LeadRowProps {
  lead: LeadView
  /** Shown for the operator's "all sites" list. */
  showSite: boolean
  /** The operator's card names the lead's site in its address: the header and the managers follow it. */
  keepSite: boolean
  fresh: boolean
}

export function LeadRow({ lead, showSite, keepSite, fresh }: LeadRowProps) {
  const { t, locale } = useStrings()
  const { name, phone, email } = lead.contact
  const utm = lead.context?.utm
  const where = [showSite ? lead.site : null, t.sources[lead.source], utm?.source, utm?.campaign].filter(Boolean).join(' · ')
  return (
    <a class={`lead-row${fresh ? ' fresh' : ''}`} href={hrefOf(`leads/${lead.id}`, { site: keepSite ? lead.site : undefined })}>
      <span class="lead-who">
        <strong class="lead-name">{lead.erased ? t.erased : name || t.noName}</strong>
        {phone && <span class="lead-phone">{formatPhoneForDisplay(phone)}</span>}
        {email && <span class="lead-email">{email}</span>}
      </span>
      <span class="lead-where">
        <time dateTime={lead.createdAt}>{formatDateTime(lead.createdAt, locale)}</time>
        {where && <span> · {where}</span>}
      </span>
      <span class="badges">
        <StatusBadge status={lead.status} reason={lead.junkReason} />
        <TemperatureBadge temperature={lead.temperature} />
        <span class="badge score" title={t.score}>
          {lead.score}
        </span>
        {lead.spam && <span class="badge spam">{t.spamBadge}</span>}
        {lead.duplicate && <span class="badge repeat">{t.repeatBadge}</span>}
        {lead.test && <span class="badge test">{t.testBadge}</span>}
      </span>
    </a>
  )
}
