// Shared fixtures for worker tests: a site config, a valid lead, and request helpers.
import { env, exports } from 'cloudflare:workers'
import type { LeadInput } from '../../shared/schemas/lead'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import type { QueueMessage } from '../../worker/src/delivery/delivery-queue'

export const ADMIN_TOKEN = env.ADMIN_TOKEN
export const ORIGIN = 'https://shop.example'
/** The Standard Webhooks test key (24 bytes). */
export const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

export const WEBHOOK_TARGET = { type: 'webhook', id: 'crm', url: 'https://crm.example/hook', secret: WEBHOOK_SECRET } as const

/** An email auto-reply through the local dev provider: notifyEmails go through a site's first one. */
export const DEV_MAIL_TARGET = {
  type: 'autoreply-email',
  id: 'mail',
  provider: { name: 'dev', url: 'https://outbox.example/send' },
  from: 'hello@shop.example',
  company: 'Shop',
  templates: { ru: { subject: 'Заявка принята', text: 'Спасибо!' } },
} as const

export function siteConfig(overrides: Partial<SiteConfigInput> = {}): SiteConfigInput {
  return {
    origins: [ORIGIN],
    country: 'RU',
    locale: 'ru',
    consent: { required: true, text: 'Я согласен на обработку персональных данных.' },
    reply: { text: 'Спасибо! Перезвоним в течение 5 минут.' },
    // No target by default: route tests must not reach out; delivery tests add WEBHOOK_TARGET.
    targets: [],
    ...overrides,
  }
}

export function validLead(site: string, overrides: Partial<LeadInput> = {}): LeadInput {
  return {
    id: crypto.randomUUID(),
    site,
    source: 'callback',
    contact: { name: 'Анна', phone: randomMobile() },
    consent: { given: true, text: 'Я согласен на обработку персональных данных.' },
    context: {
      page: 'https://shop.example/flats?utm_source=yandex',
      utm: { source: 'yandex', campaign: 'spring' },
      locale: 'ru-RU',
      timezone: 'Europe/Moscow',
    },
    elapsedMs: 5400,
    ...overrides,
  }
}

/** A fresh valid Russian mobile in the visitor's `8 9xx …` habit, so leads are not repeats of each other. */
export function randomMobile(): string {
  const digits = String(Math.floor(Math.random() * 1e7)).padStart(7, '0')
  return `8 912 ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`
}

/**
 * Client addresses of one test file: `ip(n)` is host n of its own /24 in 198.18.0.0/15 (the
 * benchmarking range). IP rate limits count across sites, and the worker project's files share a
 * database, so two files that used the same literal address would spend each other's budget.
 */
export function testNetwork(): (host: number) => string {
  // Counted on globalThis, which outlives vi.resetModules() and the files that share a runtime.
  const counter = globalThis as { leadcatcherTestNetworks?: number }
  counter.leadcatcherTestNetworks ??= Math.floor(Math.random() * 512)
  const net = counter.leadcatcherTestNetworks++ % 512
  return (host) => `198.${18 + (net >> 8)}.${net & 255}.${host}`
}

/**
 * Waits, when the current minute has less than `marginMs` left, for the next one to begin. Rate
 * limits count in fixed windows (a minute, 10 minutes, an hour: all whole minutes), so a test that
 * fills one would see a fresh window halfway through when it straddles an edge.
 */
export async function clearOfWindowEdge(marginMs = 5000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000)
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50))
}

export function uniqueSite(prefix = 'site'): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`
}

export async function adminRequest(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<Response> {
  const headers: Record<string, string> = {}
  if (token !== null) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  return exports.default.fetch(new Request(`https://worker.test${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) }))
}

export async function putSite(site: string, config: SiteConfigInput = siteConfig()): Promise<void> {
  const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, config)
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`PUT site failed: ${response.status} ${await response.text()}`)
  }
}

/**
 * Says which IP a request comes from, in each runtime's own way: the Worker reads
 * CF-Connecting-IP; the Node runtime under test trusts a loopback proxy, so X-Forwarded-For.
 */
export function fromIp(request: Request, ip: string): Request {
  request.headers.set('CF-Connecting-IP', ip)
  request.headers.set('X-Forwarded-For', ip)
  return request
}

export interface PostOptions {
  origin?: string | null
  contentType?: string
}

export function leadRequest(body: unknown, { origin = ORIGIN, contentType = 'application/json' }: PostOptions = {}): Request {
  const headers: Record<string, string> = { 'Content-Type': contentType }
  if (origin !== null) headers.Origin = origin
  return new Request('https://worker.test/v1/leads', {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export async function postLead(body: unknown, options: PostOptions = {}): Promise<Response> {
  return exports.default.fetch(leadRequest(body, options))
}

export async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { error?: { code?: string } }
  return body.error?.code
}

export interface QueuedMessage {
  body: QueueMessage
  delaySeconds: number | undefined
}

/** A queue binding that records what is sent to it instead of delivering it. */
export function fakeQueue(): { messages: QueuedMessage[]; woken: () => string[]; env: Env } {
  const messages: QueuedMessage[] = []
  const queue = {
    send: async (body: QueueMessage, options?: QueueSendOptions) => void messages.push({ body, delaySeconds: options?.delaySeconds }),
    sendBatch: async (batch: Iterable<MessageSendRequest<QueueMessage>>) => {
      for (const m of batch) messages.push({ body: m.body, delaySeconds: m.delaySeconds })
    },
  }
  const woken = () => messages.flatMap((m) => ('deliveryId' in m.body ? [m.body.deliveryId] : []))
  return { messages, woken, env: { ...env, DELIVERY_QUEUE: queue as unknown as Queue } satisfies Env }
}
