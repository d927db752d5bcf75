// Mail to the site's own people (notifyEmails): junk-spike alerts and the daily digest, through
// the provider and sender of the site's first autoreply-email target, the only mail setup a site has.
import type { SiteConfig } from '../../../shared/schemas/site-config'
import { sendEmail } from '../auto-reply/email-providers'
import { escapeHtml } from '../auto-reply/render-template'
import type { Deps } from '../deps'
import { ADAPTER_TIMEOUT_MS, adapterContext } from '../delivery/adapters/adapter-context'

export interface ManagerMail {
  subject: string
  text: string
  /** Stable for one notice: providers with idempotency drop a second send. */
  key: string
}

/** Telegram HTML as plain text: tags dropped, entities back, each link's address kept. */
export function plainText(html: string): string {
  return html
    .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, (_, href: string, label: string) => `${label}: ${href}`)
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
}

/** Sends to every address; true when the site has addresses and a sender, and all of them took it. */
export async function emailManagers(deps: Deps, config: SiteConfig, mail: ManagerMail): Promise<boolean> {
  const to = config.notifyEmails ?? []
  const sender = config.targets.find((t) => t.type === 'autoreply-email')
  if (to.length === 0 || sender?.type !== 'autoreply-email') return false
  const html = mail.text
    .split('\n')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('')
  const results = await Promise.all(
    to.map((address) =>
      sendEmail(
        sender.provider,
        {
          from: sender.from,
          ...(sender.fromName && { fromName: sender.fromName }),
          to: address,
          subject: mail.subject,
          text: mail.text,
          html,
          idempotencyKey: `${mail.key}/${address}`,
        },
        adapterContext(deps, ADAPTER_TIMEOUT_MS),
      ).catch((error: unknown) => ({ outcome: 'failed' as const, httpStatus: null, error: String(error) })),
    ),
  )
  const failed = results.filter((r) => r.outcome !== 'delivered')
  if (failed.length > 0)
    console.error(
      'manager email not sent',
      failed.map((r) => ('error' in r ? r.error : '')),
    )
  return failed.length === 0
}
