// POST /v1/telephony/:site/:target[/…]: call outcomes from the telephony provider, each checked by
// the provider's own scheme (Zadarma's Signature, Mango's sign, Twilio's X-Twilio-Signature, the
// UIS token in the URL) before anything is read. GET answers Zadarma's zd_echo check of the URL.
import { Hono } from 'hono'
import type { Context } from 'hono'
import { targetId } from '../../../shared/schemas/site-config'
import { isTelephonyTarget } from '../../../shared/schemas/targets/telephony'
import type { TelephonyTarget } from '../../../shared/schemas/targets/telephony'
import type { AppEnv } from '../deps'
import { ApiError } from '../http/api-error'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { applyCallEvent } from '../telephony/apply-call-event'
import { readMangoNotification } from '../telephony/providers/mango'
import { readTwilioNotification } from '../telephony/providers/twilio'
import type { NotificationResult } from '../telephony/providers/types'
import { readUisNotification } from '../telephony/providers/uis'
import { readZadarmaNotification } from '../telephony/providers/zadarma'

export const telephonyNotificationsRoute = new Hono<AppEnv>()

async function targetOf(c: Context<AppEnv>): Promise<{ target: TelephonyTarget; scope: { siteId: string; targetId: string } }> {
  const site = await c.var.deps.sites.getSite(c.req.param('site') ?? '')
  const wanted = c.req.param('target')
  const target = site?.config.targets.find((t, i) => targetId(t, i) === wanted)
  if (!site || !target || !isTelephonyTarget(target)) throw new ApiError(404, 'not_found', 'No telephony target here.')
  return { target, scope: { siteId: site.id, targetId: wanted ?? '' } }
}

/** The URL the provider signed: the public one it was given (behind a proxy the host may differ). */
function signedUrl(c: Context<AppEnv>, target: TelephonyTarget): string {
  const url = new URL(c.req.url)
  return target.publicUrl ? `${target.publicUrl.replace(/\/+$/, '')}${url.pathname}${url.search}` : url.toString()
}

async function read(c: Context<AppEnv>, target: TelephonyTarget): Promise<NotificationResult> {
  // Read as bytes: the bodies are form-encoded or JSON, and workerd warns on .text() of a form.
  const text = new TextDecoder().decode(await c.req.arrayBuffer())
  switch (target.type) {
    case 'zadarma':
      return readZadarmaNotification(target, new URLSearchParams(text), c.req.header('Signature') ?? null)
    case 'mango':
      return readMangoNotification(target, new URLSearchParams(text), new URL(c.req.url).pathname)
    case 'twilio':
      return readTwilioNotification(target, signedUrl(c, target), new URLSearchParams(text), c.req.header('X-Twilio-Signature') ?? null)
    case 'uis': {
      let body: unknown = null
      try {
        body = JSON.parse(text)
      } catch {
        body = null
      }
      return readUisNotification(target, body, c.req.query('token') ?? null)
    }
  }
}

async function handle(c: Context<AppEnv>): Promise<Response> {
  const { target, scope } = await targetOf(c)
  const result = await read(c, target)
  if (!result.ok) throw new ApiError(result.status, result.code, result.message)
  for (const event of result.events) await applyCallEvent(c.var.deps, scope, target, event)
  if (result.reply) return c.body(result.reply.body, 200, { 'Content-Type': result.reply.contentType })
  return c.json({ ok: true })
}

telephonyNotificationsRoute.post('/:site/:target', jsonBodyLimit({ maxBytes: 64 * 1024 }), handle)
// Mango posts to <url>/events/call, <url>/events/summary, <url>/result/callback…
telephonyNotificationsRoute.post('/:site/:target/*', jsonBodyLimit({ maxBytes: 64 * 1024 }), handle)

telephonyNotificationsRoute.get('/:site/:target', async (c) => {
  const { target } = await targetOf(c)
  const echo = c.req.query('zd_echo')
  // Zadarma checks a notification URL by asking it to echo a value back.
  if (target.type === 'zadarma' && echo !== undefined) return c.text(echo.slice(0, 200))
  throw new ApiError(405, 'method_not_allowed', 'Notifications are POSTed.')
})
