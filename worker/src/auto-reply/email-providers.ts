// Email providers behind one function each: Resend (default), Postmark, Unisender Go, the Cloudflare
// Email binding, and a dev outbox. Formats and their sources: ../delivery/adapters/README.md.
import type { EmailProvider } from '../../../shared/schemas/targets/auto-reply'
import { exchange, field, genericOutcome, snippet } from '../delivery/adapters/http'
import type { Answer } from '../delivery/adapters/http'
import type { AdapterContext, AdapterResult } from '../delivery/adapters/types'

export interface EmailMessage {
  from: string
  fromName?: string
  to: string
  replyTo?: string
  subject: string
  html: string
  text: string
  /** Stable across retries; providers that support it drop a second send. */
  idempotencyKey: string
}

/**
 * `Name <address>`; a name with RFC 5322 specials (a comma, a dot…) goes in quotes, or the
 * provider reads it as several addresses (Postmark answers ErrorCode 300 "Illegal email address").
 */
function fromHeader(message: EmailMessage): string {
  if (!message.fromName) return message.from
  const name = message.fromName.replace(/[\r\n]+/g, ' ')
  const quoted = /[()<>[\]:;@\\,."]/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : name
  return `${quoted} <${message.from}>`
}

async function postJson(ctx: AdapterContext, url: string, headers: Record<string, string>, body: unknown, label: string) {
  const sent = await exchange(ctx, url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return sent.ok ? { ok: true as const, answer: sent.answer, label } : sent
}

/**
 * Postmark answers every refusal with an ErrorCode (postmarkapp.com/developer/api/overview#error-codes);
 * a 200 carries ErrorCode 0. 401 is a wrong server token, 422 a refused message (300 invalid
 * request, 406 inactive recipient, 412/413 account not allowed to send), 429 throttling, 500/503
 * its servers (postmark.js ErrorHandler maps the same statuses).
 */
function postmarkOutcome(answer: Answer, ctx: AdapterContext): AdapterResult {
  const code = field(answer.json, 'ErrorCode')
  const text = field(answer.json, 'Message')
  if (answer.status === 200 && code === 0) return { outcome: 'delivered', httpStatus: 200 }
  const label = `Postmark ErrorCode ${String(code ?? '?')}${typeof text === 'string' ? `: ${text}` : ''}`
  if (answer.status === 401) return { outcome: 'failed', httpStatus: 401, error: `${label}; the server token is wrong` }
  if (answer.status >= 200 && answer.status < 300) return { outcome: 'failed', httpStatus: answer.status, error: label }
  return genericOutcome(answer, ctx, label, 1)
}

/**
 * Unisender Go answers 200 `{status:"success", job_id, emails, failed_emails?: {address: reason}}`
 * (reasons: invalid, permanent_unavailable, temporary_unavailable, unsubscribed, duplicate — a
 * duplicate is also in `emails`), and 4xx/5xx `{status:"error", message, code}`
 * (godocs.unisender.ru/web-api-ref; django-anymail backends/unisender_go.py).
 */
function unisenderOutcome(answer: Answer, ctx: AdapterContext, to: string): AdapterResult {
  const { status, json } = answer
  if (status >= 200 && status < 300 && field(json, 'status') === 'success') {
    const failed = field(json, 'failed_emails')
    const reason = failed && typeof failed === 'object' ? Object.entries(failed).find(([email]) => email.toLowerCase() === to.toLowerCase())?.[1] : undefined
    if (reason === undefined || reason === 'duplicate') return { outcome: 'delivered', httpStatus: status }
    const error = `Unisender Go did not send to ${to}: ${String(reason)}`
    return reason === 'temporary_unavailable' ? { outcome: 'retry', httpStatus: status, error, retryAfterSeconds: null } : { outcome: 'failed', httpStatus: status, error }
  }
  const code = field(json, 'code')
  const text = field(json, 'message')
  const label = typeof text === 'string' ? `Unisender Go${code === undefined ? '' : ` ${String(code)}`}: ${text}` : 'Unisender Go'
  if (status === 401) return { outcome: 'failed', httpStatus: 401, error: `${label}; the API key is wrong` }
  if (status >= 200 && status < 300) return { outcome: 'failed', httpStatus: status, error: `${label} ${snippet(answer.text)}`.trim() }
  return genericOutcome(answer, ctx, label, 1)
}

/** Refusals the binding reports about its own configuration, which waiting will not fix. */
const CLOUDFLARE_PERMANENT = /not allowed|not verified|unverified|not entitled|invalid|forbidden/i

/** The part of the Cloudflare Email binding (`SendEmail`) used here; absent on the Node runtime. */
export interface EmailBinding {
  send(message: { from: string | { email: string; name: string }; to: string; subject: string; text: string; html: string; replyTo?: string }): Promise<unknown>
}

/**
 * The Cloudflare Email Service binding (`send_email`) with the structured builder that Cloudflare
 * recommends over hand-built MIME (developers.cloudflare.com/email-service/api/send-emails/workers-api).
 */
async function sendThroughBinding(binding: EmailBinding | undefined, message: EmailMessage): Promise<AdapterResult> {
  if (!binding)
    return {
      outcome: 'failed',
      httpStatus: null,
      error:
        'the Cloudflare Email binding is not configured in this deployment: onboard the sending ' + 'domain, then uncomment [[send_email]] name = "SEND_EMAIL" in wrangler.toml',
    }
  try {
    await binding.send({
      from: message.fromName ? { email: message.from, name: message.fromName } : message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      ...(message.replyTo && { replyTo: message.replyTo }),
    })
    return { outcome: 'delivered', httpStatus: null }
  } catch (error) {
    const detail = `Cloudflare Email: ${error instanceof Error ? error.message : String(error)}`
    return CLOUDFLARE_PERMANENT.test(detail)
      ? { outcome: 'failed', httpStatus: null, error: detail }
      : { outcome: 'retry', httpStatus: null, error: detail, retryAfterSeconds: null }
  }
}

export async function sendEmail(provider: EmailProvider, message: EmailMessage, ctx: AdapterContext): Promise<AdapterResult> {
  switch (provider.name) {
    case 'resend': {
      // Idempotency-Key: Resend keeps it 24 h and answers a repeat without sending again.
      const sent = await postJson(
        ctx,
        'https://api.resend.com/emails',
        { Authorization: `Bearer ${provider.apiKey}`, 'Idempotency-Key': message.idempotencyKey },
        {
          from: fromHeader(message),
          to: [message.to],
          subject: message.subject,
          html: message.html,
          text: message.text,
          ...(message.replyTo && { reply_to: message.replyTo }),
        },
        'Resend',
      )
      if (!sent.ok) return sent.result
      // 409 concurrent_idempotent_requests: the same key is still in flight; try later.
      if (sent.answer.status === 409)
        return {
          outcome: 'retry',
          httpStatus: 409,
          error: `Resend: ${snippet(sent.answer.text)}`,
          retryAfterSeconds: 5,
        }
      return genericOutcome(sent.answer, ctx, 'Resend', 1)
    }
    case 'postmark': {
      const sent = await postJson(
        ctx,
        'https://api.postmarkapp.com/email',
        { 'X-Postmark-Server-Token': provider.serverToken },
        {
          From: fromHeader(message),
          To: message.to,
          Subject: message.subject,
          HtmlBody: message.html,
          TextBody: message.text,
          MessageStream: provider.messageStream,
          ...(message.replyTo && { ReplyTo: message.replyTo }),
        },
        'Postmark',
      )
      if (!sent.ok) return sent.result
      return postmarkOutcome(sent.answer, ctx)
    }
    case 'unisender': {
      const sent = await postJson(
        ctx,
        `https://${provider.host}/ru/transactional/api/v1/email/send.json`,
        { 'X-API-KEY': provider.apiKey },
        {
          message: {
            recipients: [{ email: message.to }],
            body: { html: message.html, plaintext: message.text },
            subject: message.subject,
            from_email: message.from,
            ...(message.fromName && { from_name: message.fromName }),
            ...(message.replyTo && { reply_to: message.replyTo }),
          },
        },
        'Unisender Go',
      )
      if (!sent.ok) return sent.result
      return unisenderOutcome(sent.answer, ctx, message.to)
    }
    case 'cloudflare':
      return sendThroughBinding(ctx.email, message)
    case 'dev': {
      const sent = await postJson(ctx, provider.url, { 'Idempotency-Key': message.idempotencyKey }, { channel: 'email', ...message }, 'dev outbox')
      if (!sent.ok) return sent.result
      return genericOutcome(sent.answer, ctx, 'dev outbox')
    }
  }
}
