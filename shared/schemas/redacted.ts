// The redacted form of secrets in admin reads, and how a redacted value sent back is recognised:
// `•••` (U+2022) never occurs in a real key, token or URL the schemas accept, so it cannot be
// mistaken for a secret.
import * as v from 'valibot'

/** Stands in for a secret, or for the secret parts of a URL, in every config read. */
export const REDACTED = '•••'

/** True when the value holds a redacted part, raw or percent-encoded (as a URL parser leaves it). */
export function containsRedacted(value: string): boolean {
  return value.includes('•') || /%E2%80%A2/i.test(value)
}

/** First in the pipe of every secret: a redacted value that was not restored is refused in words. */
export const notRedacted = v.check(
  (value: string) => !containsRedacted(value),
  `is a redacted value (${REDACTED}), not a secret: send the secret itself, or send back exactly what was read to keep the stored one`,
)

/** Shows that a secret is set and its last characters, never the secret. */
export function maskSecret(secret: string): string {
  return `${REDACTED}${secret.slice(-4)}`
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

const isRedacted = (part: string) => decode(part) === REDACTED

/** `a=1&b` as [key, value | null] pairs, raw (still percent-encoded). */
function queryPairs(search: string): [string, string | null][] {
  if (search.length <= 1) return []
  return search
    .slice(1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      return eq < 0 ? [pair, null] : [pair.slice(0, eq), pair.slice(eq + 1)]
    })
}

/**
 * A URL as admin reads show it: the password (or a lone user name, which is then the secret),
 * every query value and the fragment become `•••`; scheme, host, port and path stay.
 *
 * @example redactUrl('https://svc:p4ss@crm.example/hook?api_key=k&v=1') // 'https://svc:•••@crm.example/hook?api_key=•••&v=•••'
 */
export function redactUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return REDACTED
  }
  if (!url.username && !url.password && !url.search && !url.hash) return value
  const userinfo = url.password ? `${url.username}:${REDACTED}@` : url.username ? `${REDACTED}@` : ''
  const query = queryPairs(url.search).map(([key, val]) => (val === null ? (key ? REDACTED : '') : `${key}=${val ? REDACTED : ''}`))
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${query.length ? `?${query.join('&')}` : ''}${url.hash ? `#${REDACTED}` : ''}`
}

/**
 * The URL meant by `incoming`, a URL read back with redacted parts (perhaps with other parts
 * changed): its redacted parts taken from `stored`. Null when a redacted part has nothing to come
 * from, or when scheme, host, port or path changed: a secret belongs to the address it was given for.
 */
export function restoreRedactedUrl(incoming: string, stored: string): string | null {
  if (incoming === redactUrl(stored)) return stored
  let next: URL
  let old: URL
  try {
    next = new URL(incoming)
    old = new URL(stored)
  } catch {
    return null
  }
  if (next.protocol !== old.protocol || next.host !== old.host || next.pathname !== old.pathname) return null

  let userinfo = ''
  if (next.password && isRedacted(next.password)) {
    if (next.username !== old.username || !old.password) return null
    userinfo = `${old.username}:${old.password}@`
  } else if (!next.password && next.username && isRedacted(next.username)) {
    if (!old.username) return null
    userinfo = `${old.username}${old.password ? `:${old.password}` : ''}@`
  } else if (next.username || next.password) {
    userinfo = `${next.username}${next.password ? `:${next.password}` : ''}@`
  }

  const oldPairs = queryPairs(old.search)
  const used = new Set<number>()
  const query: string[] = []
  for (const [index, [key, val]] of queryPairs(next.search).entries()) {
    if (val === null && isRedacted(key)) {
      // A bare redacted piece (`?•••`) is the stored bare piece at the same place.
      const same = oldPairs[index]
      if (!same || same[1] !== null) return null
      used.add(index)
      query.push(same[0])
    } else if (val !== null && isRedacted(val)) {
      const from = oldPairs.findIndex(([k, x], i) => !used.has(i) && x !== null && decode(k) === decode(key))
      if (from < 0) return null
      used.add(from)
      query.push(`${key}=${oldPairs[from]![1]}`)
    } else {
      query.push(val === null ? key : `${key}=${val}`)
    }
  }
  let hash = next.hash
  if (hash && isRedacted(hash.slice(1))) {
    if (!old.hash) return null
    hash = old.hash
  }
  const restored = `${next.protocol}//${userinfo}${next.host}${next.pathname}${query.length ? `?${query.join('&')}` : ''}${hash}`
  return containsRedacted(restored) ? null : restored
}
