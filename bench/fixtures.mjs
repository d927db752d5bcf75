// What the benches send: the site config with raised rate limits, lead bodies, and the admin PUT
// that seeds a site (the same on both runtimes).

/** A site anyone may post to, with rate limits far above any bench's load (the schema's maximums). */
export const OPEN_SITE = { origins: [], country: 'RU', locale: 'ru', rateLimits: { perPhonePerHour: 1000, perIpPer10Minutes: 100000, perSitePerMinute: 1000000 } }

export async function putSite(server, token, site, config) {
  const response = await fetch(`${server}/v1/admin/sites/${site}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(config),
  })
  if (response.status >= 300) throw new Error(`PUT ${site}: ${response.status} ${await response.text()}`)
}

/** A Russian mobile number; distinct for i below 9 000 000. */
export const phone = (i) => `+7912${String(1_000_000 + (i % 9_000_000)).padStart(7, '0')}`

/** A callback lead with a fresh id and a phone picked at random around i. */
export const lead = (site, i) =>
  JSON.stringify({ id: crypto.randomUUID(), site, source: 'callback', contact: { phone: phone(i + Math.floor(Math.random() * 1e6)) }, elapsedMs: 5000 })

/** The same lead with exactly phone(i): distinct ids and distinct phones for distinct i. */
export const distinctLead = (site, i) => JSON.stringify({ id: crypto.randomUUID(), site, source: 'callback', contact: { phone: phone(i) }, elapsedMs: 5000 })
