// A target URL's user and password as what they mean over HTTP, Basic credentials (RFC 3986
// section 3.2.1, RFC 7617): fetch refuses a URL that carries them, and its error quotes the URL
// whole. And error texts with every URL's secret parts redacted, for the delivery log.
import { redactUrl } from '../../../shared/schemas/redacted'

function decode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

/** The URL without userinfo, and the `Authorization: Basic …` it stands for (null without userinfo). */
export function splitCredentials(raw: string): { url: string; authorization: string | null } {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { url: raw, authorization: null }
  }
  if (!url.username && !url.password) return { url: raw, authorization: null }
  const pair = new TextEncoder().encode(`${decode(url.username)}:${decode(url.password)}`)
  url.username = ''
  url.password = ''
  return { url: url.href, authorization: `Basic ${btoa(String.fromCharCode(...pair))}` }
}

/** The text with every http(s) URL in it as admin reads show URLs: no password, query values or fragment. */
export function scrubUrls(text: string): string {
  return text.replace(/https?:\/\/[^\s"'<>]+/gi, (match) => redactUrl(match))
}
