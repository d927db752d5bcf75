// Email providers behind one function each: Resend (default), Postmark, Unisender Go, the Cloudflare
// Email binding, and a dev outbox. Formats: resend.com/docs/api-reference/emails/send-email,
// postmarkapp.com/developer/api/email-api, godocs.unisender.ru (email/send.json).
import type { EmailProvider } from '../../../shared/schemas/targets/auto-reply'
import { exchange, field, genericOutcome, snippet } from '../delivery/adapters/http'
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

/** The Cloudflare Email Service binding's shape (`send_email`); only present when the deployment binds one. */
export interface EmailBinding {
  send(message: {
    from: string
    to: string
    subject: string
    html: string
    text: string
  }): Promise<unknown>
}

function fromHeader(message: EmailMessage): string {
  return message.fromName
    ? `${message.fromName.replaceAll('"', '')} <${message.from}>`
    : message.from
}

async function postJson(
  ctx: AdapterContext,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  label: string,
) {
  const sent = await exchange(ctx, url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return sent.ok ? { ok: true as const, answer: sent.answer, label } : sent
}

export async function sendEmail(
  provider: EmailProvider,
  message: EmailMessage,
  ctx: AdapterContext,
  binding?: EmailBinding,
): Promise<AdapterResult> {
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
      // Postmark answers 422 with an ErrorCode for every refusal (bad address, inactive recipient…).
      const code = field(sent.answer.json, 'ErrorCode')
      if (sent.answer.status === 200 && code === 0) return { outcome: 'delivered', httpStatus: 200 }
      return genericOutcome(sent.answer, ctx, `Postmark ErrorCode ${String(code ?? '?')}`, 1)
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
      return genericOutcome(sent.answer, ctx, 'Unisender Go', 1)
    }
    case 'cloudflare': {
      if (!binding)
        return {
          outcome: 'failed',
          httpStatus: null,
          error: 'the Cloudflare Email binding is not configured in this deployment',
        }
      try {
        await binding.send({
          from: message.from,
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
        })
        return { outcome: 'delivered', httpStatus: null }
      } catch (error) {
        return {
          outcome: 'retry',
          httpStatus: null,
          error: `Cloudflare Email: ${error instanceof Error ? error.message : String(error)}`,
          retryAfterSeconds: null,
        }
      }
    }
    case 'dev': {
      const sent = await postJson(
        ctx,
        provider.url,
        { 'Idempotency-Key': message.idempotencyKey },
        { channel: 'email', ...message },
        'dev outbox',
      )
      if (!sent.ok) return sent.result
      return genericOutcome(sent.answer, ctx, 'dev outbox')
    }
  }
}
