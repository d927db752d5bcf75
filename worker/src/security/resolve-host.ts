// DNS look-up for the SSRF check: a public-looking name can point at 127.0.0.1 or the cloud
// metadata address, so the admin API resolves target hosts (DNS over HTTPS, RFC 8484 JSON API)
// and refuses private answers.
import { isPrivateAddress } from './private-target'

const DOH = 'https://cloudflare-dns.com/dns-query'

interface DohAnswer {
  /** The DNS RCODE: 0 NOERROR, 3 NXDOMAIN, anything else (2 SERVFAIL, 5 REFUSED …) is a failure. */
  Status?: number
  Answer?: { type: number; data: string }[]
}

/** A and AAAA records of a host name; IP literals are returned as they are. */
export async function resolveHost(host: string, fetchImpl: typeof fetch): Promise<string[] | null> {
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) return [host.replace(/^\[|\]$/g, '')]
  try {
    const answers = await Promise.all(
      ['A', 'AAAA'].map(async (type) => {
        const response = await fetchImpl(`${DOH}?name=${encodeURIComponent(host)}&type=${type}`, {
          headers: { Accept: 'application/dns-json' },
          signal: AbortSignal.timeout(3000),
        })
        if (!response.ok) throw new Error(`DoH ${response.status}`)
        const body = (await response.json()) as DohAnswer
        if (body.Status !== undefined && body.Status !== 0 && body.Status !== 3) throw new Error(`DNS status ${String(body.Status)}`)
        // 1 = A, 28 = AAAA; CNAME steps (5) are followed by the resolver and listed too.
        return (body.Answer ?? []).filter((a) => a.type === 1 || a.type === 28).map((a) => a.data)
      }),
    )
    return answers.flat()
  } catch (error) {
    console.error('DNS look-up failed', host, error)
    return null
  }
}

/**
 * The private addresses a target URL's host resolves to, or null when the look-up failed. The
 * caller refuses the config then (fails closed): a name nobody could check may point anywhere.
 */
export async function privateAddressesOf(url: string, fetchImpl: typeof fetch): Promise<string[] | null> {
  const host = new URL(url).hostname
  const addresses = await resolveHost(host, fetchImpl)
  return addresses === null ? null : addresses.filter(isPrivateAddress)
}
