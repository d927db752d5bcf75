// Auto-reply to the visitor: each email and SMS provider's exact request, error mapping, the
// idempotency key that stays the same on every retry, and leads with nothing to reply to.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { sendAutoReplyEmail, sendAutoReplySms } from '../../worker/src/auto-reply/send-auto-reply'
import type { AutoReplyEmailTarget, AutoReplySmsTarget, EmailProvider, SmsProvider } from '../../shared/schemas/targets/auto-reply'
import { LEAD_ID, adapterContext, eventOf, json, recordingFetch, sampleLead } from './adapter-helpers'

function emailTarget(provider: EmailProvider): AutoReplyEmailTarget {
  return {
    type: 'autoreply-email',
    provider,
    from: 'hello@shop.example',
    fromName: 'Кухни Уют',
    replyTo: 'sales@shop.example',
    company: 'Кухни Уют',
    defaultLocale: 'ru',
    templates: {
      ru: {
        subject: '{name}, мы получили заявку',
        text: 'Здравствуйте, {name}!\n\n{company} перезвонит {callbackAt}.',
      },
      en: { subject: 'We got your request', text: 'Hi {name}' },
    },
  }
}

function smsTarget(provider: SmsProvider): AutoReplySmsTarget {
  return {
    type: 'autoreply-sms',
    provider,
    company: 'Уют',
    defaultLocale: 'ru',
    templates: { ru: { text: '{company}: перезвоним {callbackAt}' } },
  }
}

/** A stand-in for the `send_email` binding that records the builder it was given. */
function fakeEmailBinding(messages: EmailMessageBuilder[], failure?: Error): SendEmail {
  const send = async (message: EmailMessage | EmailMessageBuilder): Promise<EmailSendResult> => {
    if (failure) throw failure
    messages.push(message as EmailMessageBuilder)
    return { messageId: '<0123@shop.example>' }
  }
  return { send } as SendEmail
}

const visitor = sampleLead({
  contact: { name: 'Анна <Ann>', phone: '+79123456789', email: 'anna@example.ru' },
})

describe('email through Resend', () => {
  const target = emailTarget({ name: 'resend', apiKey: 're_123456789abcdef' })

  it('posts the rendered message with an Idempotency-Key of lead/<id>, escaping the name in HTML', async () => {
    const { fetch, sent, json: body } = recordingFetch(json({ id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' }))
    const result = await sendAutoReplyEmail(target, eventOf(visitor), adapterContext(fetch))
    expect(result).toEqual({ outcome: 'delivered', httpStatus: 200 })
    expect(sent[0]!.url).toBe('https://api.resend.com/emails')
    expect(sent[0]!.headers.authorization).toBe('Bearer re_123456789abcdef')
    expect(sent[0]!.headers['idempotency-key']).toBe(`lead/${LEAD_ID}`)
    const email = body(0) as Record<string, unknown>
    expect(email).toMatchObject({
      from: 'Кухни Уют <hello@shop.example>',
      to: ['anna@example.ru'],
      subject: 'Анна <Ann>, мы получили заявку',
      reply_to: 'sales@shop.example',
    })
    expect(email.text).toMatch(/^Здравствуйте, Анна <Ann>!\n\nКухни Уют перезвонит 24 нояб\. 2026 г\., 10:00\.$/)
    expect(email.html).toContain('<p>Здравствуйте, Анна &lt;Ann&gt;!</p>')
  })

  it('sends the same Idempotency-Key on a retry, so Resend never sends the reply twice', async () => {
    const { fetch, sent } = recordingFetch(() => new Response('{"statusCode":500,"name":"internal_server_error"}', { status: 500 }), json({ id: 'x' }))
    const first = await sendAutoReplyEmail(target, eventOf(visitor), adapterContext(fetch))
    const second = await sendAutoReplyEmail(target, eventOf(visitor), adapterContext(fetch))
    expect(first.outcome).toBe('retry')
    expect(second.outcome).toBe('delivered')
    expect(sent[0]!.headers['idempotency-key']).toBe(sent[1]!.headers['idempotency-key'])
    expect(sent[0]!.body).toBe(sent[1]!.body)
  })

  it('fails for good on 422 validation_error and retries 429 no sooner than 1 s', async () => {
    const invalid = recordingFetch(json({ statusCode: 422, name: 'validation_error', message: 'Invalid `from` field.' }, 422))
    expect(await sendAutoReplyEmail(target, eventOf(visitor), adapterContext(invalid.fetch))).toMatchObject({ outcome: 'failed', httpStatus: 422 })
    const limited = recordingFetch(json({ statusCode: 429, name: 'rate_limit_exceeded' }, 429))
    expect(await sendAutoReplyEmail(target, eventOf(visitor), adapterContext(limited.fetch))).toMatchObject({ outcome: 'retry', retryAfterSeconds: 1 })
  })

  it('greets an email-only lead without an empty name and promises no call', async () => {
    // The exit offer's email-only lead from the walkthrough: no name, no phone, no callback time.
    const emailOnly = sampleLead({ source: 'exit_intent', contact: { email: 'anna@example.ru' }, callbackAt: undefined })
    const { fetch, json: body } = recordingFetch(json({ id: 'x' }), json({ id: 'y' }), json({ id: 'z' }))
    await sendAutoReplyEmail(target, eventOf(emailOnly), adapterContext(fetch))
    expect(body(0)).toMatchObject({
      subject: 'Заявка принята',
      text: 'Здравствуйте!\n\nКухни Уют: заявка принята. Ответим вам на этот адрес в ближайшее время.',
    })
    await sendAutoReplyEmail(target, eventOf({ ...emailOnly, context: { locale: 'en-GB' } }), adapterContext(fetch))
    expect(body(1)).toMatchObject({
      subject: 'We have your request',
      text: 'Hello,\n\nКухни Уют has your request and will answer you at this address shortly.',
    })
    // The site's own words for such leads win over the built-in ones; a name is kept.
    const own = { ...target, templates: { ru: { ...target.templates.ru!, withoutPhone: { subject: '{name}, спасибо', text: 'Пришлём подборку, {name}.' } } } }
    await sendAutoReplyEmail(own, eventOf({ ...emailOnly, contact: { name: 'Анна', email: 'anna@example.ru' } }), adapterContext(fetch))
    expect(body(2)).toMatchObject({ subject: 'Анна, спасибо', text: 'Пришлём подборку, Анна.' })
    for (const i of [0, 1, 2]) expect(JSON.stringify(body(i))).not.toMatch(/перезвон|call/i)
  })

  it('sends nothing when the visitor left no email, or for an escalation', async () => {
    const { fetch, sent } = recordingFetch(json({}))
    const noEmail = await sendAutoReplyEmail(target, eventOf(sampleLead({ contact: { phone: '+79123456789' } })), adapterContext(fetch))
    expect(noEmail).toMatchObject({
      outcome: 'delivered',
      httpStatus: null,
      note: expect.stringContaining('no address'),
    })
    expect((await sendAutoReplyEmail(target, eventOf(visitor, 'lead.escalated'), adapterContext(fetch))).outcome).toBe('delivered')
    expect(sent).toHaveLength(0)
  })

  it("answers in English when the visitor's browser is English and a template exists", async () => {
    const { fetch, json: body } = recordingFetch(json({ id: 'x' }))
    await sendAutoReplyEmail(target, eventOf(sampleLead({ context: { locale: 'en-US' } })), adapterContext(fetch))
    expect(body(0)).toMatchObject({ subject: 'We got your request', text: 'Hi Анна' })
  })
})

describe('email through Postmark, Unisender Go, Cloudflare and the dev outbox', () => {
  it('Postmark: server token header and PascalCase body; ErrorCode 0 is success, 422 a refusal', async () => {
    const target = emailTarget({
      name: 'postmark',
      serverToken: 'POSTMARK_API_TEST',
      messageStream: 'outbound',
    })
    const { fetch, sent, json: body } = recordingFetch(json({ To: 'anna@example.ru', ErrorCode: 0, Message: 'OK', MessageID: 'b7bc2f4a' }))
    expect(await sendAutoReplyEmail(target, eventOf(visitor), adapterContext(fetch))).toEqual({
      outcome: 'delivered',
      httpStatus: 200,
    })
    expect(sent[0]!.url).toBe('https://api.postmarkapp.com/email')
    expect(sent[0]!.headers['x-postmark-server-token']).toBe('POSTMARK_API_TEST')
    expect(body(0)).toMatchObject({
      From: 'Кухни Уют <hello@shop.example>',
      To: 'anna@example.ru',
      MessageStream: 'outbound',
      ReplyTo: 'sales@shop.example',
    })
    expect(Object.keys(body(0) as object)).toEqual(expect.arrayContaining(['Subject', 'HtmlBody', 'TextBody']))
    const refused = recordingFetch(json({ ErrorCode: 300, Message: 'Invalid email request' }, 422))
    const result = await sendAutoReplyEmail(target, eventOf(visitor), adapterContext(refused.fetch))
    expect(result).toMatchObject({ outcome: 'failed', httpStatus: 422 })
    expect(result.outcome === 'failed' && result.error).toContain('ErrorCode 300')
  })

  it('Unisender Go: X-API-KEY and the message envelope on the chosen host', async () => {
    const target = emailTarget({
      name: 'unisender',
      apiKey: 'unisender-key-1234',
      host: 'go2.unisender.ru',
    })
    const { fetch, sent, json: body } = recordingFetch(json({ status: 'success', job_id: '1ZymBc-00041N-9X', emails: ['anna@example.ru'] }))
    expect((await sendAutoReplyEmail(target, eventOf(visitor), adapterContext(fetch))).outcome).toBe('delivered')
    expect(sent[0]!.url).toBe('https://go2.unisender.ru/ru/transactional/api/v1/email/send.json')
    expect(sent[0]!.headers['x-api-key']).toBe('unisender-key-1234')
    expect(body(0)).toMatchObject({
      message: {
        recipients: [{ email: 'anna@example.ru' }],
        from_email: 'hello@shop.example',
        from_name: 'Кухни Уют',
        subject: 'Анна <Ann>, мы получили заявку',
      },
    })
  })

  it('Cloudflare Email: sends the structured message through the SEND_EMAIL binding', async () => {
    const target = emailTarget({ name: 'cloudflare' })
    const messages: EmailMessageBuilder[] = []
    const email = fakeEmailBinding(messages)
    const { fetch, sent } = recordingFetch()
    expect(await sendAutoReplyEmail(target, eventOf(visitor), { ...adapterContext(fetch), email })).toEqual({ outcome: 'delivered', httpStatus: null })
    expect(sent).toHaveLength(0)
    expect(messages).toEqual([
      {
        from: { email: 'hello@shop.example', name: 'Кухни Уют' },
        to: 'anna@example.ru',
        subject: 'Анна <Ann>, мы получили заявку',
        text: 'Здравствуйте, Анна <Ann>!\n\nКухни Уют перезвонит 24 нояб. 2026 г., 10:00.',
        html: '<!doctype html><html><body><p>Здравствуйте, Анна &lt;Ann&gt;!</p>' + '<p>Кухни Уют перезвонит 24 нояб. 2026 г., 10:00.</p></body></html>',
        replyTo: 'sales@shop.example',
      },
    ])
  })

  it('Cloudflare Email: fails clearly without the binding, for good on a refused sender, later on anything else', async () => {
    const target = emailTarget({ name: 'cloudflare' })
    const ctx = adapterContext(recordingFetch().fetch)
    expect(await sendAutoReplyEmail(target, eventOf(visitor), ctx)).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining('uncomment [[send_email]]'),
    })
    const refusing = fakeEmailBinding([], new Error('email from hello@shop.example not allowed'))
    expect(await sendAutoReplyEmail(target, eventOf(visitor), { ...ctx, email: refusing })).toEqual({
      outcome: 'failed',
      httpStatus: null,
      error: 'Cloudflare Email: email from hello@shop.example not allowed',
    })
    const flaky = fakeEmailBinding([], new Error('internal error'))
    expect(await sendAutoReplyEmail(target, eventOf(visitor), { ...ctx, email: flaky })).toEqual({
      outcome: 'retry',
      httpStatus: null,
      error: 'Cloudflare Email: internal error',
      retryAfterSeconds: null,
    })
  })

  // The Email binding exists only on Workers; the Node runtime refuses such targets at save (test/node).
  it.skipIf(env.TEST_RUNTIME === 'node')("Cloudflare Email: the local simulator of the real binding accepts the message and enforces the binding's sender list", async () => {
    const target = emailTarget({ name: 'cloudflare' })
    const ctx = { ...adapterContext(recordingFetch().fetch), email: env.SEND_EMAIL! }
    expect(await sendAutoReplyEmail(target, eventOf(visitor), ctx)).toEqual({
      outcome: 'delivered',
      httpStatus: null,
    })
    expect(await sendAutoReplyEmail({ ...target, from: 'sales@shop.example' }, eventOf(visitor), ctx)).toEqual({
      outcome: 'failed',
      httpStatus: null,
      error: 'Cloudflare Email: email from sales@shop.example not allowed',
    })
  })

  it('dev: posts the whole message to the local inbox outbox', async () => {
    const target = emailTarget({ name: 'dev', url: 'http://127.0.0.1:8790/outbox' })
    const { fetch, sent, json: body } = recordingFetch(json({ ok: true }))
    expect((await sendAutoReplyEmail(target, eventOf(visitor), adapterContext(fetch))).outcome).toBe('delivered')
    expect(sent[0]!.url).toBe('http://127.0.0.1:8790/outbox')
    expect(body(0)).toMatchObject({
      channel: 'email',
      to: 'anna@example.ru',
      idempotencyKey: `lead/${LEAD_ID}`,
    })
  })
})

describe('SMS', () => {
  it('SMS.ru: form fields with the number without "+", JSON answer mapped per number', async () => {
    const target = smsTarget({
      name: 'smsru',
      apiId: '00000000-0000-0000-0000-000000000000',
      from: 'Uyut',
      test: true,
    })
    const { fetch, sent } = recordingFetch(
      json({
        status: 'OK',
        status_code: 100,
        sms: { '79123456789': { status: 'OK', status_code: 100, sms_id: '000000-10000000' } },
        balance: 4122.56,
      }),
    )
    expect((await sendAutoReplySms(target, eventOf(visitor), adapterContext(fetch))).outcome).toBe('delivered')
    expect(sent[0]!.url).toBe('https://sms.ru/sms/send')
    expect(sent[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(sent[0]!.body)
    expect(Object.fromEntries(form)).toEqual({
      api_id: '00000000-0000-0000-0000-000000000000',
      to: '79123456789',
      msg: 'Уют: перезвоним 24 нояб. 2026 г., 10:00',
      json: '1',
      from: 'Uyut',
      test: '1',
    })
  })

  it('SMS.ru: a refused number fails for good, a temporary outage is retried', async () => {
    const target = smsTarget({ name: 'smsru', apiId: 'api-id-123456', test: false })
    const bad = recordingFetch(
      json({
        status: 'OK',
        status_code: 100,
        sms: {
          '79123456789': {
            status: 'ERROR',
            status_code: 202,
            status_text: 'Неправильно указан получатель',
          },
        },
      }),
    )
    expect(await sendAutoReplySms(target, eventOf(visitor), adapterContext(bad.fetch))).toMatchObject({ outcome: 'failed', error: 'SMS.ru 202: Неправильно указан получатель' })
    const key = recordingFetch(json({ status: 'ERROR', status_code: 200, status_text: 'Неправильный api_id' }))
    expect((await sendAutoReplySms(target, eventOf(visitor), adapterContext(key.fetch))).outcome).toBe('failed')
    const busy = recordingFetch(json({ status: 'ERROR', status_code: 220, status_text: 'Сервис временно недоступен' }))
    expect(await sendAutoReplySms(target, eventOf(visitor), adapterContext(busy.fetch))).toMatchObject({ outcome: 'retry', retryAfterSeconds: 60 })
  })

  it('Twilio: Basic auth with the account SID, form To/From/Body; 201 delivered, 400 refused', async () => {
    const sid = `AC${'0123456789abcdef'.repeat(2)}`
    const target = smsTarget({
      name: 'twilio',
      accountSid: sid,
      authToken: 'twilio-auth-token',
      from: '+15005550006',
    })
    const { fetch, sent } = recordingFetch(json({ sid: 'SM123', status: 'queued' }, 201))
    expect(await sendAutoReplySms(target, eventOf(visitor), adapterContext(fetch))).toEqual({
      outcome: 'delivered',
      httpStatus: 201,
    })
    expect(sent[0]!.url).toBe(`https://api.twilio.com/2010-04-01/Accounts/${sid}/Messages.json`)
    expect(sent[0]!.headers.authorization).toBe(`Basic ${btoa(`${sid}:twilio-auth-token`)}`)
    expect(Object.fromEntries(new URLSearchParams(sent[0]!.body))).toEqual({
      To: '+79123456789',
      Body: 'Уют: перезвоним 24 нояб. 2026 г., 10:00',
      From: '+15005550006',
    })
    const refused = recordingFetch(json({ code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 }, 400))
    const result = await sendAutoReplySms(target, eventOf(visitor), adapterContext(refused.fetch))
    expect(result).toMatchObject({ outcome: 'failed', httpStatus: 400 })
    expect(result.outcome === 'failed' && result.error).toContain('Twilio 21211')
  })

  it('sends no SMS to a visitor who left only an email, nor a second one for a repeated lead', async () => {
    const { fetch, sent } = recordingFetch(json({}))
    const target = smsTarget({ name: 'dev', url: 'http://127.0.0.1:8790/outbox' })
    expect((await sendAutoReplySms(target, eventOf(sampleLead({ contact: { email: 'a@b.ru' } })), adapterContext(fetch))).outcome).toBe('delivered')
    const repeat = await sendAutoReplySms(target, eventOf(visitor, 'lead.repeated'), adapterContext(fetch))
    expect(repeat).toMatchObject({
      outcome: 'delivered',
      note: 'no SMS auto-reply for a repeated lead',
    })
    expect(sent).toHaveLength(0)
  })
})

describe("each provider's documented answers", () => {
  const postmark = emailTarget({ name: 'postmark', serverToken: 'pm-token', messageStream: 'outbound' })

  it('Postmark: quotes a sender name with punctuation, as Postmark asks (ErrorCode 300 otherwise)', async () => {
    const { fetch, json: body } = recordingFetch(json({ ErrorCode: 0, Message: 'OK' }))
    await sendAutoReplyEmail({ ...postmark, fromName: 'Кухни, Уют "Люкс"' }, eventOf(visitor), adapterContext(fetch))
    expect(body(0)).toMatchObject({ From: '"Кухни, Уют \\"Люкс\\"" <hello@shop.example>' })
  })

  it.each([
    [401, { ErrorCode: 10, Message: 'Bad or missing API token' }, 'failed', 'server token is wrong'],
    [422, { ErrorCode: 406, Message: 'You tried to send to a recipient that has been marked as inactive.' }, 'failed', 'ErrorCode 406'],
    [422, { ErrorCode: 412, Message: 'Account is pending' }, 'failed', 'ErrorCode 412'],
    [200, { ErrorCode: 300, Message: 'Invalid email request' }, 'failed', 'ErrorCode 300'],
    [429, { ErrorCode: 429, Message: 'Rate limit exceeded' }, 'retry', 'ErrorCode 429'],
    [503, { ErrorCode: 100, Message: 'Maintenance' }, 'retry', 'ErrorCode 100'],
  ] as const)('Postmark: HTTP %i %j is %s', async (status, answer, outcome, text) => {
    const { fetch } = recordingFetch(json(answer, status))
    const result = await sendAutoReplyEmail(postmark, eventOf(visitor), adapterContext(fetch))
    expect(result).toMatchObject({ outcome, httpStatus: status })
    expect(result.outcome !== 'delivered' && result.error).toContain(text)
  })

  const unisender = emailTarget({ name: 'unisender', apiKey: 'uni-key-123456', host: 'go1.unisender.ru' })
  const accepted = (failed?: Record<string, string>) =>
    json({
      status: 'success',
      job_id: '1ZymBc-00041N-9X',
      emails: failed?.['anna@example.ru'] === 'duplicate' || !failed ? ['anna@example.ru'] : [],
      ...(failed && { failed_emails: failed }),
    })

  it.each([
    [undefined, 'delivered'],
    [{ 'anna@example.ru': 'duplicate' }, 'delivered'],
    [{ 'anna@example.ru': 'invalid' }, 'failed'],
    [{ 'Anna@Example.ru': 'unsubscribed' }, 'failed'],
    [{ 'anna@example.ru': 'permanent_unavailable' }, 'failed'],
    [{ 'anna@example.ru': 'temporary_unavailable' }, 'retry'],
  ] as const)('Unisender Go: 200 with failed_emails %j is %s', async (failed, outcome) => {
    const { fetch } = recordingFetch(accepted(failed))
    const result = await sendAutoReplyEmail(unisender, eventOf(visitor), adapterContext(fetch))
    expect(result.outcome).toBe(outcome)
    if (result.outcome !== 'delivered') expect(result.error).toBe(`Unisender Go did not send to anna@example.ru: ${Object.values(failed!)[0]}`)
  })

  it('Unisender Go: reads {status:"error", code, message}; a wrong key fails, throttling retries', async () => {
    const wrongKey = recordingFetch(json({ status: 'error', code: 102, message: 'Invalid API key' }, 401))
    expect(await sendAutoReplyEmail(unisender, eventOf(visitor), adapterContext(wrongKey.fetch))).toEqual({
      outcome: 'failed',
      httpStatus: 401,
      error: 'Unisender Go 102: Invalid API key; the API key is wrong',
    })
    const bad = recordingFetch(json({ status: 'error', code: 204, message: 'Invalid from_email' }, 400))
    expect(await sendAutoReplyEmail(unisender, eventOf(visitor), adapterContext(bad.fetch))).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining('Unisender Go 204: Invalid from_email'),
    })
    const busy = recordingFetch(json({ status: 'error', code: 429, message: 'Too many requests' }, 429))
    expect(await sendAutoReplyEmail(unisender, eventOf(visitor), adapterContext(busy.fetch))).toMatchObject({
      outcome: 'retry',
      retryAfterSeconds: 1,
    })
  })

  const smsru = smsTarget({ name: 'smsru', apiId: 'api-id-123456', test: false })
  const smsAnswer = (status_code: number, status_text: string) =>
    json({
      status: 'OK',
      status_code: 100,
      sms: { '79123456789': { status: 'ERROR', status_code, status_text } },
      balance: 12.5,
    })

  it('SMS.ru: an identical text already sent to the number (231, 232) counts as delivered, with a note', async () => {
    const { fetch } = recordingFetch(smsAnswer(232, 'Превышен лимит одинаковых сообщений на этот номер в день'))
    expect(await sendAutoReplySms(smsru, eventOf(visitor), adapterContext(fetch))).toEqual({
      outcome: 'delivered',
      httpStatus: 200,
      note: 'SMS.ru 232: Превышен лимит одинаковых сообщений на этот номер в день (the visitor already has this text)',
    })
  })

  it('SMS.ru: 500 ("repeat the request") is retried; no money and daily limits fail with what to fix', async () => {
    const server = recordingFetch(json({ status: 'ERROR', status_code: 500, status_text: 'Ошибка на сервере. Повторите запрос.' }))
    expect(await sendAutoReplySms(smsru, eventOf(visitor), adapterContext(server.fetch))).toMatchObject({
      outcome: 'retry',
      retryAfterSeconds: 60,
    })
    const broke = recordingFetch(json({ status: 'ERROR', status_code: 201, status_text: 'Не хватает средств на лицевом счету' }))
    expect(await sendAutoReplySms(smsru, eventOf(visitor), adapterContext(broke.fetch))).toEqual({
      outcome: 'failed',
      httpStatus: 200,
      error: 'SMS.ru 201: Не хватает средств на лицевом счету; the SMS.ru balance is too low',
    })
    for (const code of [206, 230, 209, 207]) {
      const { fetch } = recordingFetch(smsAnswer(code, 'limit or refusal'))
      expect((await sendAutoReplySms(smsru, eventOf(visitor), adapterContext(fetch))).outcome).toBe('failed')
    }
  })

  const twilio = smsTarget({
    name: 'twilio',
    accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
    authToken: 'twilio-auth-token',
    from: `MG${'fedcba9876543210'.repeat(2)}`,
  })

  it('Twilio: a Messaging Service SID goes as MessagingServiceSid; 401 says the credentials are wrong; 429 waits', async () => {
    const { fetch, sent } = recordingFetch(json({ sid: 'SM1', status: 'accepted' }, 201))
    await sendAutoReplySms(twilio, eventOf(visitor), adapterContext(fetch))
    expect(new URLSearchParams(sent[0]!.body).get('MessagingServiceSid')).toBe(`MG${'fedcba9876543210'.repeat(2)}`)
    const denied = recordingFetch(json({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 }, 401))
    expect(await sendAutoReplySms(twilio, eventOf(visitor), adapterContext(denied.fetch))).toEqual({
      outcome: 'failed',
      httpStatus: 401,
      error: 'Twilio 20003: Authenticate; the account SID or auth token is wrong',
    })
    const full = recordingFetch(json({ code: 20429, message: 'Too Many Requests', status: 429 }, 429))
    expect(await sendAutoReplySms(twilio, eventOf(visitor), adapterContext(full.fetch))).toMatchObject({
      outcome: 'retry',
      retryAfterSeconds: 1,
    })
  })
})
