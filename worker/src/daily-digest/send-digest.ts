// Sends each site's daily digest on the sweep once the site's digest hour has come in its time
// zone (or the first sweep after, if the server was down then): claimed per local day first, so it
// goes once; a failed send gives the claim back for the next sweep.
import type { TelegramTarget } from '../../../shared/schemas/targets/telegram'
import { targetId } from '../../../shared/schemas/site-config'
import type { Deps } from '../deps'
import { adapterContext } from '../delivery/adapters/adapter-context'
import { field } from '../delivery/adapters/http'
import type { SiteRecord } from '../storage/types'
import { emailManagers, plainText } from '../notify/email-managers'
import { telegramBotApi } from '../notify/telegram-bot-api'
import { digestText, localDay } from './build-digest'

function digestTarget(site: SiteRecord): TelegramTarget | null {
  const wanted = site.config.digest?.targetId
  const index = site.config.targets.findIndex((t, i) => t.type === 'telegram' && (wanted === undefined || targetId(t, i) === wanted))
  const target = site.config.targets[index]
  return target?.type === 'telegram' ? target : null
}

/** The head of sales' own chat with the bot when routing names them with a Telegram id; else the target's chat. */
function digestChat(site: SiteRecord, target: TelegramTarget): number | string {
  const routing = site.config.routing
  const head = routing?.managers.find((m) => m.id === routing.sla?.headOfSales)
  return head?.telegramUserId ?? target.chatId
}

export async function sendDigest(
  deps: Deps,
  site: SiteRecord,
  { now, baseUrl }: { now: number; baseUrl: string | null },
): Promise<'sent' | 'not_due' | 'already_sent' | 'failed' | 'no_target'> {
  const digest = site.config.digest
  if (!digest) return 'not_due'
  const day = localDay(now, site.config.hours?.timezone ?? 'Europe/Moscow')
  if (day.hour < digest.hour) return 'not_due'
  const target = digestTarget(site)
  const mail = (site.config.notifyEmails?.length ?? 0) > 0 && site.config.targets.some((t) => t.type === 'autoreply-email')
  if (!target && !mail) return 'no_target'
  if (!(await deps.digests.claim(site.id, day.today, now))) return 'already_sent'
  const text = digestText({
    site: site.id,
    day: day.yesterday,
    leads: await deps.digests.leads(site.id, day.from, day.to),
    sla: site.config.routing?.sla?.minutes ?? null,
    now,
    reportUrl: baseUrl === null ? null : `${baseUrl}/console/#/report?site=${encodeURIComponent(site.id)}&days=7`,
    locale: target?.locale ?? site.config.locale,
  })
  // Sent when one channel took it; when none did, the claim goes back for the next sweep.
  const [byTelegram, byMail] = await Promise.all([
    target ? sendByTelegram(deps, site, target, text) : Promise.resolve(false),
    mail
      ? emailManagers(deps, site.config, { subject: plainText(text.split('\n')[0]!).replace(/^\S+\s/, ''), text: plainText(text), key: `digest/${site.id}/${day.today}` })
      : Promise.resolve(false),
  ])
  if (byTelegram || byMail) return 'sent'
  await deps.digests.release(site.id, day.today)
  return 'failed'
}

async function sendByTelegram(deps: Deps, site: SiteRecord, target: TelegramTarget, text: string): Promise<boolean> {
  const sendMessage = telegramBotApi(target, adapterContext(deps, 10_000), deps)
  const sent = await sendMessage('sendMessage', { chat_id: digestChat(site, target), text, parse_mode: 'HTML', link_preview_options: { is_disabled: true } })
  if (sent.ok && sent.answer.status === 200 && field(sent.answer.json, 'ok') === true) return true
  console.error('digest not sent by Telegram', site.id, sent.ok ? sent.answer.status : sent.result)
  return false
}

export async function sweepDigests(deps: Deps, options: { now: number; baseUrl: string | null }): Promise<number> {
  let sent = 0
  for (const site of await deps.sites.listSites()) {
    if (!site.config.digest) continue
    const result = await sendDigest(deps, site, options).catch((error: unknown) => {
      console.error('digest failed', site.id, error)
      return 'failed' as const
    })
    if (result === 'sent') sent++
  }
  return sent
}
