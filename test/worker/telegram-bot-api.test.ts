// The bot webhook's own calls to the Telegram API (answerCallbackQuery, editMessageText) follow
// no redirect and never go to an apiUrl on a private address, like the delivery adapter's.
import * as v from 'valibot'
import { env, exports } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { SiteConfigSchema } from '../../shared/schemas/site-config'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import { siteConfig, uniqueSite } from './helpers'

const SECRET = 'tg-webhook-secret-0123456789'
const BOT = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Stores the config directly, as if saved while ALLOW_PRIVATE_TARGETS was on (the save refuses it now). */
async function storeSite(apiUrl: string | undefined): Promise<string> {
  const site = uniqueSite('tgapi')
  const telegram = { type: 'telegram', id: 'managers', botToken: BOT, chatId: -1001234567890, webhookSecret: SECRET, ...(apiUrl && { apiUrl }) }
  const config = v.parse(
    SiteConfigSchema,
    siteConfig({ targets: [telegram] as unknown as SiteConfigInput['targets'], routing: { mode: 'first_come', managers: [{ id: 'olga', name: 'Ольга', telegramUserId: 111 }] } }),
  )
  await createDeps(env).sites.putSite(site, config, Date.now())
  return site
}

/** A press on a button for a lead that does not exist: the handler answers it through the bot API. */
function press(site: string) {
  return exports.default.fetch(
    new Request(`https://worker.test/v1/telegram/${site}/managers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
      body: JSON.stringify({
        update_id: 1,
        callback_query: { id: 'cb-1', from: { id: 111, first_name: 'x' }, data: `take:${crypto.randomUUID()}`, message: { message_id: 7, chat: { id: -1001234567890 } } },
      }),
    }),
  )
}

describe('the bot webhook’s Telegram calls', () => {
  it('do not follow a redirect', async () => {
    const site = await storeSite(undefined)
    const seen: { url: string; redirect: RequestInit['redirect'] }[] = []
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      seen.push({ url: new Request(input, init).url, redirect: init?.redirect })
      return new Response(null, { status: 302, headers: { Location: 'https://evil.example/steal' } })
    })
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect((await press(site)).status).toBe(200)
    expect(seen).toEqual([{ url: `https://api.telegram.org/bot${BOT}/answerCallbackQuery`, redirect: 'manual' }])
  })

  it('never go to an apiUrl on a private address', async () => {
    const site = await storeSite('http://169.254.169.254/telegram')
    const spy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json({ ok: true, result: true }))
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect((await press(site)).status).toBe(200)
    expect(spy).not.toHaveBeenCalled()
    expect(logged.mock.calls.some(([message]) => String(message).includes('private address'))).toBe(true)
  })
})
