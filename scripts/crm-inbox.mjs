// Local "CRM inbox" for `npm start`: receives the worker's signed webhooks, verifies them with the official verifier and shows them, with the worker's stored leads, on a page.
// It is also the dev outbox: auto-replies (the `dev` email/SMS provider) and Telegram cards (a stand-in for the Bot API's sendMessage) land here instead of going out.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Webhook } from 'standardwebhooks'
import { createFakeTelephony } from './fake-telephony.mjs'

const UI_DIR = join(dirname(fileURLToPath(import.meta.url)), 'crm-inbox-ui')
const HOST = '127.0.0.1'
const MAX_BODY_BYTES = 1024 * 1024
// Old events are dropped so a long-running inbox (or a retry storm) cannot grow without bound.
const MAX_EVENTS = 500
const HOOK_PATH = /^\/hooks\/([A-Za-z0-9_-]{1,64})$/
const TELEGRAM_PATH = /^\/telegram\/bot(\d{1,20}):[A-Za-z0-9_-]+\/sendMessage$/
const CALL_CONTROL_PATH = /^\/telephony\/calls\/([A-Za-z0-9_.-]{1,128})\/(manager|visitor)$/

// The secret and the admin token come from the environment (start.mjs sets them) so they do not show up in `ps`.
const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    worker: { type: 'string' },
    site: { type: 'string' },
    secret: { type: 'string' },
  },
})
const PORT = Number(args.port ?? process.env.LEADCATCHER_INBOX_PORT ?? 8790)
const WORKER_URL = (args.worker ?? process.env.LEADCATCHER_WORKER_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '')
const SITE = args.site ?? process.env.LEADCATCHER_SITE ?? 'demo'
const SECRET = args.secret ?? process.env.LEADCATCHER_WEBHOOK_SECRET ?? ''
const ADMIN_TOKEN = process.env.LEADCATCHER_ADMIN_TOKEN ?? ''

if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65535) {
  console.error(`crm-inbox: invalid port "${args.port ?? process.env.LEADCATCHER_INBOX_PORT}"`)
  process.exit(2)
}

let verifier = null
let verifierError = 'no webhook secret configured (set LEADCATCHER_WEBHOOK_SECRET)'
if (SECRET) {
  try {
    verifier = new Webhook(SECRET)
  } catch (error) {
    verifierError = `unusable webhook secret: ${error.message}`
  }
}
if (!verifier) console.warn(`crm-inbox: ${verifierError}; every webhook will be rejected`)

/** Arrival order; a verified webhook-id appears once, its redeliveries only raise `deliveries`. */
const events = []
const verifiedById = new Map()
let nextSeq = 1
/** What the system would send to people: Telegram cards and auto-replies; a repeated idempotency key is counted, not listed again. */
const outbox = []
const outboxByKey = new Map()
let nextOutboxSeq = 1
let nextMessageId = 1

const UI_FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/inbox.css': ['inbox.css', 'text/css; charset=utf-8'],
  '/inbox.js': ['inbox.js', 'text/javascript; charset=utf-8'],
}
// The page renders untrusted lead data; a strict CSP backs up its textContent-only rendering.
const UI_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** The fake telephony provider (Mango Office's API) of the demo site's auto-dial target. */
const telephony = createFakeTelephony({
  // The demo site that dials through it (demo/auto-dial.html, seeded by start.mjs).
  site: 'auto-dial',
  notifyUrl: (site) => `${WORKER_URL}/v1/telephony/${site}`,
  // By default every leg answers after 2 s, so a demo callback goes all the way to "connected";
  // LEADCATCHER_FAKE_TELEPHONY=manual leaves each leg to the page's buttons (or a test).
  auto: process.env.LEADCATCHER_FAKE_TELEPHONY !== 'manual',
})

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error('crm-inbox: request failed:', error)
    if (!res.headersSent) sendJson(res, 500, { error: { message: 'internal error' } })
    else res.destroy()
  })
})

async function handle(req, res) {
  // Loopback servers are reachable from any web page through DNS rebinding; only our own Host names are served.
  if (!isLoopbackHost(req.headers.host)) return sendJson(res, 403, { error: { message: 'forbidden host' } })
  const { pathname } = new URL(req.url ?? '/', 'http://inbox.invalid')

  const hook = HOOK_PATH.exec(pathname)
  if (hook) {
    if (req.method !== 'POST') return sendJson(res, 405, { error: { message: 'use POST' } }, { allow: 'POST' })
    return receiveWebhook(req, res, hook[1])
  }
  if (pathname === '/vpbx/commands/callback' && req.method === 'POST') {
    const placed = telephony.placeCall(new URLSearchParams((await readBody(req, MAX_BODY_BYTES)) ?? ''))
    return sendJson(res, placed.status, placed.body)
  }
  if (pathname === '/vpbx/commands/call/hangup' && req.method === 'POST') {
    const done = telephony.hangUp(new URLSearchParams((await readBody(req, MAX_BODY_BYTES)) ?? ''))
    return sendJson(res, done.status, done.body)
  }
  const control = CALL_CONTROL_PATH.exec(pathname)
  if (control && req.method === 'POST') {
    // JSON only: a form on another page cannot post JSON without a preflight this server never answers.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return sendJson(res, 415, { error: { message: 'send JSON' } })
    let action
    try {
      action = JSON.parse((await readBody(req, MAX_BODY_BYTES)) ?? '').action
    } catch {
      return sendJson(res, 400, { error: { message: 'not JSON' } })
    }
    const done = await telephony.control(control[1], control[2], action)
    return sendJson(res, done.status, done.body)
  }
  const telegram = TELEGRAM_PATH.exec(pathname)
  if (telegram || pathname === '/outbox') {
    if (req.method !== 'POST') return sendJson(res, 405, { error: { message: 'use POST' } }, { allow: 'POST' })
    return telegram ? receiveTelegram(req, res, telegram[1]) : receiveOutbox(req, res)
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(res, 405, { error: { message: 'method not allowed' } }, { allow: 'GET, HEAD' })
  }
  if (pathname === '/api/events') return sendJson(res, 200, { events })
  if (pathname === '/api/setup') return sendJson(res, 200, setup())
  if (pathname === '/api/outbox') return sendJson(res, 200, { messages: outbox })
  if (pathname === '/api/calls') return sendJson(res, 200, { calls: telephony.calls })
  if (pathname === '/api/leads') return proxyStoredLeads(res)
  if (pathname === '/favicon.ico') {
    res.writeHead(204)
    return res.end()
  }
  const file = UI_FILES[pathname]
  if (file) {
    // Read on every request so edits to the page show up without restarting `npm start`.
    const body = readFileSync(join(UI_DIR, file[0]))
    res.writeHead(200, {
      'content-type': file[1],
      'cache-control': 'no-store',
      'content-security-policy': UI_CSP,
      'x-content-type-options': 'nosniff',
    })
    return res.end(req.method === 'HEAD' ? undefined : body)
  }
  sendJson(res, 404, { error: { message: 'not found' } })
}

async function receiveWebhook(req, res, hook) {
  const raw = await readBody(req, MAX_BODY_BYTES)
  if (raw === null) return sendJson(res, 413, { error: { message: `body over ${MAX_BODY_BYTES} bytes` } })
  const headers = {
    'webhook-id': header(req, 'webhook-id'),
    'webhook-timestamp': header(req, 'webhook-timestamp'),
    'webhook-signature': header(req, 'webhook-signature'),
  }

  let payload = null
  let error = null
  try {
    if (!verifier) throw new Error(verifierError)
    // The raw body, not a re-serialization: the signature covers the exact bytes sent.
    payload = verifier.verify(raw, headers)
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught)
  }
  const verified = error === null
  const now = new Date().toISOString()

  // Standard Webhooks retries reuse webhook-id: that is the receiver's idempotency key. Only a
  // verified message may claim an id, so a forged request cannot hide or alter a real one.
  const seen = verified ? verifiedById.get(headers['webhook-id']) : undefined
  if (seen) {
    seen.deliveries += 1
    seen.lastReceivedAt = now
    logEvent(seen, `repeat #${seen.deliveries}, ignored`)
    res.writeHead(204)
    return res.end()
  }

  const event = {
    seq: nextSeq++,
    hook,
    receivedAt: now,
    lastReceivedAt: now,
    deliveries: 1,
    verified,
    error,
    webhookId: headers['webhook-id'] || null,
    webhookTimestamp: headers['webhook-timestamp'] || null,
    type: null,
    payload: null,
    // Kept only when the body is not JSON, so a rejected request can still be inspected.
    raw: null,
  }
  if (verified) {
    event.payload = payload ?? null
  } else {
    try {
      event.payload = JSON.parse(raw)
    } catch {
      event.raw = raw.slice(0, 10_000)
    }
  }
  if (event.payload && typeof event.payload === 'object' && typeof event.payload.type === 'string') {
    event.type = event.payload.type
  }
  events.push(event)
  if (verified) verifiedById.set(event.webhookId, event)
  while (events.length > MAX_EVENTS) {
    const dropped = events.shift()
    if (dropped.verified && verifiedById.get(dropped.webhookId) === dropped) verifiedById.delete(dropped.webhookId)
  }
  logEvent(event, verified ? 'verified' : `REJECTED: ${error}`)

  if (verified) {
    res.writeHead(204)
    return res.end()
  }
  sendJson(res, 400, { error: { message: `invalid webhook signature: ${error}` } })
}

async function readJson(req, res) {
  const raw = await readBody(req, MAX_BODY_BYTES)
  if (raw === null) {
    sendJson(res, 413, { error: { message: `body over ${MAX_BODY_BYTES} bytes` } })
    return null
  }
  try {
    const body = JSON.parse(raw)
    if (body && typeof body === 'object' && !Array.isArray(body)) return body
  } catch {
    // answered below
  }
  sendJson(res, 400, { error: { message: 'body must be a JSON object' } })
  return null
}

function keepOutbox(message) {
  outbox.push(message)
  if (message.idempotencyKey) outboxByKey.set(message.idempotencyKey, message)
  while (outbox.length > MAX_EVENTS) {
    const dropped = outbox.shift()
    if (dropped.idempotencyKey && outboxByKey.get(dropped.idempotencyKey) === dropped) outboxByKey.delete(dropped.idempotencyKey)
  }
  console.log([message.receivedAt, `/outbox ${message.channel}`, message.idempotencyKey ?? '', 'kept'].join(' '))
}

/** The `dev` auto-reply provider: `{ channel: 'email' | 'sms', to, …, idempotencyKey }`. Same key again = a retry, counted like Resend would dedupe it. */
async function receiveOutbox(req, res) {
  const body = await readJson(req, res)
  if (!body) return
  if (body.channel !== 'email' && body.channel !== 'sms') return sendJson(res, 400, { error: { message: 'channel must be "email" or "sms"' } })
  const key = typeof body.idempotencyKey === 'string' ? body.idempotencyKey : null
  const now = new Date().toISOString()
  const seen = key ? outboxByKey.get(key) : undefined
  if (seen) {
    seen.deliveries += 1
    seen.lastReceivedAt = now
    return sendJson(res, 200, { ok: true, duplicate: true })
  }
  keepOutbox({ seq: nextOutboxSeq++, channel: body.channel, receivedAt: now, lastReceivedAt: now, deliveries: 1, idempotencyKey: key, message: body })
  sendJson(res, 200, { ok: true })
}

/** A stand-in for the Bot API's sendMessage, answering as Telegram does, so the real adapter code runs. */
async function receiveTelegram(req, res, botId) {
  const body = await readJson(req, res)
  if (!body) return
  if (body.chat_id === undefined || typeof body.text !== 'string' || body.text.length === 0) {
    return sendJson(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat_id and text are required' })
  }
  const now = new Date().toISOString()
  const messageId = nextMessageId++
  keepOutbox({ seq: nextOutboxSeq++, channel: 'telegram', receivedAt: now, lastReceivedAt: now, deliveries: 1, idempotencyKey: null, botId, message: body })
  sendJson(res, 200, { ok: true, result: { message_id: messageId, chat: { id: body.chat_id }, date: Math.floor(Date.now() / 1000), text: body.text } })
}

/**
 * How a site of the owner's own reaches this inbox: the hook URL and the secret every webhook is
 * checked with. Shown on the page (loopback only, like everything here) so it never has to be dug out.
 */
function setup() {
  const origin = `http://${HOST}:${PORT}`
  return {
    hookUrl: `${origin}/hooks/<your-site>`,
    secret: verifier ? SECRET : null,
    secretProblem: verifier ? null : verifierError,
    target: { type: 'webhook', id: 'crm-inbox', url: `${origin}/hooks/<your-site>`, secret: verifier ? SECRET : '<secret>' },
    workerUrl: WORKER_URL,
  }
}

/** The worker's admin list, fetched here so the admin token never reaches the browser. */
async function proxyStoredLeads(res) {
  if (!ADMIN_TOKEN) {
    return sendJson(res, 503, { error: { message: 'no admin token configured (set LEADCATCHER_ADMIN_TOKEN)' } })
  }
  const url = `${WORKER_URL}/v1/admin/leads?site=${encodeURIComponent(SITE)}&limit=50`
  let upstream
  try {
    upstream = await fetch(url, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    })
  } catch (error) {
    return sendJson(res, 502, { error: { message: `worker not reachable at ${WORKER_URL}: ${error.message}` } })
  }
  const text = await upstream.text()
  let body
  try {
    body = JSON.parse(text)
  } catch {
    return sendJson(res, 502, { error: { message: `worker answered ${upstream.status} with non-JSON` } })
  }
  if (!upstream.ok) {
    const message = body?.error?.message ?? `HTTP ${upstream.status}`
    return sendJson(res, 502, { error: { message: `worker answered ${upstream.status}: ${message}` } })
  }
  sendJson(res, 200, body)
}

// Lead ids and sources only: names and phone numbers stay out of terminal logs. No prefix: start.mjs adds one.
function logEvent(event, outcome) {
  const lead = event.payload?.data ?? {}
  const parts = [event.lastReceivedAt, `/hooks/${event.hook}`, event.type ?? '(no type)', outcome, `webhook-id=${event.webhookId ?? '-'}`]
  if (typeof lead.id === 'string') parts.push(`lead=${lead.id}`)
  if (typeof lead.source === 'string') parts.push(`source=${lead.source}`)
  if (lead.duplicate === true) parts.push('duplicate')
  console.log(parts.join(' '))
}

function header(req, name) {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(' ') : (value ?? '')
}

/** Resolves to the UTF-8 body, or null once it exceeds `limit` bytes. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk) => {
      size += chunk.length
      if (size > limit) tooLarge = true
      else chunks.push(chunk)
    })
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function isLoopbackHost(host) {
  if (!host) return false
  const name = host.replace(/:\d+$/, '').toLowerCase()
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]'
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  })
  res.end(text)
}

server.on('error', (error) => {
  console.error(`crm-inbox: cannot listen on ${HOST}:${PORT}: ${error.message}`)
  process.exit(1)
})
server.listen(PORT, HOST, () => {
  console.log(
    `listening on http://${HOST}:${PORT}/ (webhooks: POST /hooks/<name>; outbox: POST /outbox and /telegram/bot<token>/sendMessage; stored leads of "${SITE}" from ${WORKER_URL})`,
  )
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close()
    server.closeAllConnections()
    process.exit(0)
  })
}
