// What a target answered a test lead, for the person who sent it: the last response's body seen
// through a recording fetch, cut to EXCERPT_LENGTH, with the target's own secrets and every URL's
// secret parts taken out (an answer may echo a token or the webhook URL back).
import type { SiteConfig, Target } from '../../../shared/schemas/site-config'
import { REDACTED } from '../../../shared/schemas/redacted'
import { redactSiteConfig } from '../security/config-secrets'
import { scrubUrls } from '../delivery/url-credentials'

export const EXCERPT_LENGTH = 300

export interface RecordedAnswer {
  status: number
  text: string
}

/** A fetch that passes every call through and keeps a copy of the last answer's body. */
export function recordingFetch(inner: typeof fetch): { fetch: typeof fetch; last: () => RecordedAnswer | null } {
  let last: RecordedAnswer | null = null
  const recording: typeof fetch = async (input, init) => {
    const response = await inner(input, init)
    // A clone, so the adapter reads the body as before; reading is bounded by the adapter's own timeout.
    const text = await response
      .clone()
      .text()
      .catch(() => '')
    last = { status: response.status, text: text.slice(0, 4 * EXCERPT_LENGTH) }
    return response
  }
  return { fetch: recording, last: () => last }
}

/** The pieces of a URL that can be a secret: userinfo, query values, fragment, long path parts. */
function urlPieces(value: string, shown: string): string[] {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return []
  }
  const visible = new Set(shown.split('/'))
  return [
    url.username,
    url.password,
    ...[...url.searchParams.values()],
    url.hash.slice(1),
    // Bitrix24's webhook code is a path segment; the redacted form does not show it.
    ...url.pathname.split('/').filter((part) => !visible.has(part)),
  ]
}

/** Every string of the target that its admin read shows redacted, and the secret parts of those. */
export function targetSecrets(config: SiteConfig, target: Target): string[] {
  const shown = redactSiteConfig({ ...config, targets: [target] }).targets[0]
  const secrets: string[] = []
  const walk = (raw: unknown, read: unknown) => {
    if (typeof raw === 'string') {
      if (raw !== read) secrets.push(raw, ...urlPieces(raw, typeof read === 'string' ? read : ''))
    } else if (Array.isArray(raw)) {
      for (const [i, item] of raw.entries()) walk(item, Array.isArray(read) ? read[i] : undefined)
    } else if (typeof raw === 'object' && raw !== null) {
      const other = typeof read === 'object' && read !== null ? (read as Record<string, unknown>) : {}
      for (const [key, item] of Object.entries(raw)) walk(item, other[key])
    }
  }
  walk(target, shown)
  // Short pieces (a "1" query value) would blank out ordinary words; none is a credential.
  return [...new Set(secrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length)
}

/**
 * The answer as the console may show it: secrets replaced by `•••`, at most EXCERPT_LENGTH
 * characters (the cut marked with `…`).
 * @example answerExcerpt('{"ok":false,"token":"s3cr3t-token"}', ['s3cr3t-token']) // '{"ok":false,"token":"•••"}'
 */
export function answerExcerpt(text: string, secrets: readonly string[]): string {
  let clean = text
  for (const secret of secrets) {
    clean = clean.replaceAll(secret, REDACTED).replaceAll(encodeURIComponent(secret), REDACTED)
  }
  clean = scrubUrls(clean).replace(/\s+/g, ' ').trim()
  return clean.length > EXCERPT_LENGTH ? `${clean.slice(0, EXCERPT_LENGTH - 1)}…` : clean
}
