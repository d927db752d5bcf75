// The managers' bot's Bot API client, for the lead card, the button presses and the daily digest:
// `apiUrl` or api.telegram.org, the token in the path, a JSON body, the adapters' timeout and no
// redirects (a redirect would carry the bot token to a host nobody vetted; see exchange).
import type { TelegramTarget } from '../../../shared/schemas/targets/telegram'
import { exchange } from '../delivery/adapters/http'
import type { Exchange } from '../delivery/adapters/http'
import type { AdapterContext } from '../delivery/adapters/types'
import { isPrivateTarget } from '../security/private-target'

const API = 'https://api.telegram.org'

export type BotApiCall = (method: string, body: Record<string, unknown>) => Promise<Exchange>

/**
 * A caller of the target's Bot API. Unless `allowPrivateTargets`, an `apiUrl` on a private address
 * is never called: each call fails at once, as a delivery to such a URL does.
 * @example await telegramBotApi(target, ctx, { allowPrivateTargets: false })('sendMessage', { chat_id, text })
 */
export function telegramBotApi(target: TelegramTarget, ctx: AdapterContext, { allowPrivateTargets }: { allowPrivateTargets: boolean }): BotApiCall {
  const base = (target.apiUrl ?? API).replace(/\/+$/, '')
  const refused = !allowPrivateTargets && isPrivateTarget(base)
  return async (method, body) => {
    if (refused) return { ok: false, result: { outcome: 'failed', httpStatus: null, error: 'target URL points to a private address' } }
    return exchange(ctx, `${base}/bot${target.botToken}/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
  }
}
