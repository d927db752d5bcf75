// Small pieces every page uses: error text from an API failure, status and temperature badges,
// and a definition list row that shows nothing when there is no value.
import type { ComponentChildren } from 'preact'
import { statusText } from '../../../shared/lead-status-labels'
import type { JunkReason, LeadStatus } from '../../../shared/schemas/lead-status'
import type { Temperature } from '../../../shared/score'
import type { ApiFailure } from './api'
import type { Strings } from './i18n'
import { useStrings } from './i18n'

/** What went wrong, in words; the server's own message for the rare codes without a text here. */
export function errorText(error: ApiFailure, t: Strings): string {
  if (error.kind === 'network') return t.networkError
  switch (error.code) {
    case 'forbidden':
      return t.forbidden
    case 'csrf_failed':
      return t.csrfFailed
    case 'not_found':
      return t.notFound
    case 'lead_erased':
      return t.leadErased
    case 'reason_required':
      return t.reasonRequired
    case 'reason_not_allowed':
      return t.reasonNotAllowed
    case 'already_taken':
      return t.alreadyTaken
    case 'delivery_busy':
      return t.deliveryBusy
    default:
      return error.status >= 500 || error.code.startsWith('http_') ? t.unreachable : t.serverError(error.message)
  }
}

export function ErrorNotice({ error, onRetry }: { error: ApiFailure; onRetry?: () => void }) {
  const { t } = useStrings()
  return (
    <div class="notice error" role="alert">
      <p>{errorText(error, t)}</p>
      {onRetry && (
        <button type="button" class="secondary" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  )
}

export function StatusBadge({ status, reason }: { status: LeadStatus; reason?: JunkReason | null }) {
  const { locale } = useStrings()
  return <span class={`badge status-${status}`}>{statusText(status, reason, locale)}</span>
}

export function TemperatureBadge({ temperature }: { temperature: Temperature }) {
  const { t } = useStrings()
  return <span class={`badge temp-${temperature}`}>{t.temperatures[temperature]}</span>
}

/**
 * A box a wide table scrolls in sideways. Focusable and named, so a keyboard can scroll it too
 * (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard (see above)
    <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  )
}

/** A `<dt>`/`<dd>` pair, left out when the value is empty. */
export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  if (children === undefined || children === null || children === '' || children === false) return null
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  )
}

/**
 * A link only for http(s) URLs. Lead pages and referrers come from the visitor's browser and pass
 * `v.url()`, which `javascript:` URLs pass too: those are shown as text, never as a link.
 */
export function ExternalUrl({ url }: { url: string | undefined }) {
  if (!url) return null
  if (!/^https?:\/\//i.test(url)) return <span class="url">{url}</span>
  return (
    <a class="url" href={url} target="_blank" rel="noopener noreferrer">
      {url}
    </a>
  )
}
