// The public base URL the Workers cron puts in its console links (quality alerts, the daily digest):
// a cron has no request to take an origin from, so it is configured (wrangler.toml [vars]
// PUBLIC_URL, e.g. "https://leads.example.ru"). Unset or not an http(s) URL: no link, said once.
let warned = false

export function cronPublicUrl(value: unknown): string | null {
  if (typeof value === 'string' && /^https?:\/\/[^/\s]+/.test(value)) {
    try {
      const url = new URL(value)
      if (url.protocol === 'https:' || url.protocol === 'http:') return value.replace(/\/+$/, '')
    } catch {
      // not a URL: said below
    }
  }
  if (!warned) {
    warned = true
    console.warn(
      typeof value === 'string' && value !== ''
        ? `PUBLIC_URL "${value}" is not an http(s) URL: the cron's alerts and digests go without a console link.`
        : "PUBLIC_URL is not set: the cron's alerts and digests go without a console link. Set it in wrangler.toml [vars] to the worker's public address.",
    )
  }
  return null
}
