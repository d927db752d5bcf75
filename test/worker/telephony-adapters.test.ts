// Telephony adapters: the exact request each provider gets (signature included) against the
// provider's documented example or a vector computed independently (Python's hmac/hashlib and
// urllib.parse.quote_plus, the same steps as the official PHP client), and every documented error
// class mapped to delivered / retry / failed. Notifications: the provider's own signature scheme.
import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { MangoTargetSchema, TwilioTargetSchema, UisTargetSchema, ZadarmaTargetSchema, redactTelephony } from '../../shared/schemas/targets/telephony'
import { placeCall } from '../../worker/src/telephony/providers'
import { mangoSign, readMangoNotification } from '../../worker/src/telephony/providers/mango'
import { readTwilioNotification, twilioSignature } from '../../worker/src/telephony/providers/twilio'
import type { CallOrder } from '../../worker/src/telephony/providers/types'
import { readUisNotification } from '../../worker/src/telephony/providers/uis'
import { readZadarmaNotification, zadarmaAuthorization, zadarmaQuery } from '../../worker/src/telephony/providers/zadarma'
import { md5Hex } from '../../worker/src/telephony/provider-hashes'
import { adapterContext, json, recordingFetch } from './adapter-helpers'

const OPERATORS = [{ manager: 'olga', number: '+79001112233' }]
const zadarma = v.parse(ZadarmaTargetSchema, { type: 'zadarma', key: 'zd_key_0123456789', secret: 'zd_secret_0123456789', sip: '100', operators: OPERATORS })
const uis = v.parse(UisTargetSchema, {
  type: 'uis',
  accessToken: 'uis_token_0123456789',
  virtualPhoneNumber: '74951234567',
  notifyToken: 'notify_token_0123456789',
  operators: OPERATORS,
})
const mango = v.parse(MangoTargetSchema, {
  type: 'mango',
  apiKey: 'mango_key_0123456789',
  apiSalt: 'mango_salt_0123456789',
  lineNumber: '74951234567',
  operators: [{ manager: 'olga', number: '101' }],
})
const twilio = v.parse(TwilioTargetSchema, {
  type: 'twilio',
  accountSid: `AC${'0'.repeat(32)}`,
  authToken: 'twilio_token_0123456789',
  from: '+15005550006',
  publicUrl: 'https://leads.example',
  operators: [{ manager: 'olga', number: '+15005550001' }],
})

function order(overrides: Partial<CallOrder> = {}): CallOrder {
  return { legId: 'leg-1', operator: '+79001112233', visitor: '+79123456789', ringSeconds: 20, notifyUrl: null, locale: 'ru', ...overrides }
}

describe('md5', () => {
  it('matches the RFC 1321 test suite', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e')
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72')
    expect(md5Hex('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0')
    expect(md5Hex('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe('57edf4a22be3c955ac49da2e2107b67a')
  })
})

describe('zadarma', () => {
  it('sends GET /v1/request/callback/ with the sorted RFC 1738 query and key:base64(hex hmac) as documented', async () => {
    expect(zadarmaQuery({ from: '+79001112233', to: '79123456789', sip: '100', format: 'json' })).toBe('format=json&from=%2B79001112233&sip=100&to=79123456789')
    const { fetch, sent } = recordingFetch(json({ status: 'success', from: '79001112233', to: '79123456789', time: 1700000000 }))
    const result = await placeCall(zadarma, order(), adapterContext(fetch))
    expect(result).toEqual({ outcome: 'delivered', httpStatus: 200, providerCallId: null })
    expect(sent[0]!.method).toBe('GET')
    expect(sent[0]!.url).toBe('https://api.zadarma.com/v1/request/callback/?format=json&from=%2B79001112233&sip=100&to=79123456789')
    // Computed independently: base64(hmac.new(secret, method + query + md5(query), sha1).hexdigest())
    expect(sent[0]!.headers.authorization).toBe('zd_key_0123456789:NDVlYWQ1MTkwZDg4ZGRhYTE1YzU1YWE2MzdjOTYzMzIzZDBmN2JkYQ==')
    expect(await zadarmaAuthorization('zd_key_0123456789', 'zd_secret_0123456789', '/v1/request/callback/', 'format=json&from=%2B79001112233&sip=100&to=79123456789')).toBe(
      sent[0]!.headers.authorization,
    )
  })

  it('uses the sandbox host when apiBase says so', async () => {
    const { fetch, sent } = recordingFetch(json({ status: 'success' }))
    await placeCall({ ...zadarma, apiBase: 'https://api-sandbox.zadarma.com' }, order(), adapterContext(fetch))
    expect(sent[0]!.url.startsWith('https://api-sandbox.zadarma.com/v1/request/callback/?')).toBe(true)
  })

  it('fails for a wrong key or a refusal in words, retries rate limits and outages', async () => {
    const ctx = (answer: () => Response) => adapterContext(recordingFetch(answer).fetch)
    expect(await placeCall(zadarma, order(), ctx(json({ status: 'error', message: 'Not authorized' }, 401)))).toMatchObject({ outcome: 'failed', httpStatus: 401 })
    expect(await placeCall(zadarma, order(), ctx(json({ status: 'error', message: 'Wrong parameters!' }, 400)))).toMatchObject({
      outcome: 'failed',
      error: 'Zadarma: Wrong parameters!',
    })
    expect(await placeCall(zadarma, order(), ctx(json({ status: 'error', message: 'Not enough money' }, 200)))).toMatchObject({ outcome: 'failed' })
    expect(await placeCall(zadarma, order(), ctx(json({ status: 'error', message: 'Too many requests' }, 429)))).toMatchObject({ outcome: 'retry', retryAfterSeconds: 60 })
    expect(
      await placeCall(
        zadarma,
        order(),
        ctx(() => new Response('oops', { status: 503 })),
      ),
    ).toMatchObject({ outcome: 'retry', httpStatus: 503 })
  })

  it('accepts a notification only with the Signature the docs describe', async () => {
    const form = new URLSearchParams({ event: 'NOTIFY_OUT_START', call_start: '2026-11-23 14:31:15', pbx_call_id: 'out_1', internal: '101', destination: '79123456789' })
    const good = await readZadarmaNotification(zadarma, form, 'MjQ4MGExZmQzYWE5YzUwMjYxMmMzZTc0ZTY2YmQxMTk0ZjVlZmQ1ZQ==')
    expect(good).toEqual({ ok: true, events: [{ kind: 'manager_answered', visitor: '+79123456789', detail: 'Zadarma NOTIFY_OUT_START' }] })
    expect(await readZadarmaNotification(zadarma, form, 'bm9wZQ==')).toMatchObject({ ok: false, status: 401, code: 'unauthorized' })
    expect(await readZadarmaNotification(zadarma, form, null)).toMatchObject({ ok: false, status: 401 })
  })
})

describe('uis', () => {
  it('posts start.simple_call as JSON-RPC 2.0 with first_call "operator"', async () => {
    const { fetch, sent, json: body } = recordingFetch(json({ jsonrpc: '2.0', id: 'leg-1', result: { data: { call_session_id: 12345 }, metadata: { limits: {} } } }))
    const result = await placeCall(uis, order(), adapterContext(fetch))
    expect(result).toEqual({ outcome: 'delivered', httpStatus: 200, providerCallId: '12345' })
    expect(sent[0]!.url).toBe('https://callapi.uiscom.ru/v4.0')
    expect(sent[0]!.method).toBe('POST')
    expect(body(0)).toEqual({
      jsonrpc: '2.0',
      id: 'leg-1',
      method: 'start.simple_call',
      params: {
        access_token: 'uis_token_0123456789',
        first_call: 'operator',
        switch_at_once: true,
        virtual_phone_number: '74951234567',
        contact: '79123456789',
        operator: '79001112233',
        direction: 'out',
        external_id: 'leg-1',
      },
    })
  })

  it('fails on JSON-RPC refusals, waits out limits, retries outages', async () => {
    const ctx = (answer: () => Response) => adapterContext(recordingFetch(answer).fetch)
    const error = (code: number, mnemonic: string) => json({ jsonrpc: '2.0', id: 'leg-1', error: { code, message: mnemonic, data: { mnemonic } } })
    expect(await placeCall(uis, order(), ctx(error(-32001, 'access_token_invalid')))).toMatchObject({ outcome: 'failed' })
    expect(await placeCall(uis, order(), ctx(error(-32602, 'invalid_parameter_value')))).toMatchObject({ outcome: 'failed' })
    expect(await placeCall(uis, order(), ctx(error(-32700, 'parse_error')))).toMatchObject({ outcome: 'failed' })
    expect(await placeCall(uis, order(), ctx(error(-32029, 'limit_exceeded')))).toMatchObject({ outcome: 'retry', retryAfterSeconds: 60 })
    expect(
      await placeCall(
        uis,
        order(),
        ctx(() => new Response('', { status: 502 })),
      ),
    ).toMatchObject({ outcome: 'retry', httpStatus: 502 })
  })

  it('takes a notification only with the target’s token', async () => {
    const body = { external_id: 'leg-1', call_session_id: 12345, state: 'operator_answered' }
    expect(await readUisNotification(uis, body, 'notify_token_0123456789')).toEqual({
      ok: true,
      events: [{ kind: 'manager_answered', legId: 'leg-1', providerCallId: '12345', detail: 'UIS operator_answered' }],
    })
    expect(await readUisNotification(uis, body, 'notify_token_wrong')).toMatchObject({ ok: false, status: 401 })
    expect(await readUisNotification(uis, { nothing: 1 }, 'notify_token_0123456789')).toMatchObject({ ok: false, status: 400 })
  })
})

describe('mango', () => {
  it('posts commands/callback with sign = sha256(key + json + salt) and our command_id', async () => {
    const { fetch, sent } = recordingFetch(json({ result: 1000 }))
    const result = await placeCall(mango, order({ operator: '101' }), adapterContext(fetch))
    // The call's own id comes later, with its first events/call (what a hang-up at T needs).
    expect(result).toEqual({ outcome: 'delivered', httpStatus: 200, providerCallId: null })
    expect(sent[0]!.url).toBe('https://app.mango-office.ru/vpbx/commands/callback')
    expect(sent[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(sent[0]!.body)
    expect(form.get('vpbx_api_key')).toBe('mango_key_0123456789')
    expect(form.get('json')).toBe('{"command_id":"leg-1","from":{"extension":"101"},"to_number":"79123456789","line_number":"74951234567"}')
    // Computed independently: hashlib.sha256(key + json + salt).hexdigest()
    expect(form.get('sign')).toBe('88e8d150b4904d7625884c6a2fa6d027f107641776fd4b729a592d65f95515ef')
  })

  it('maps result codes: 1000 placed, 3xxx/4xxx refused, 5xxx retried; HTTP 401 refused, 5xx retried', async () => {
    const ctx = (answer: () => Response) => adapterContext(recordingFetch(answer).fetch)
    expect(await placeCall(mango, order(), ctx(json({ result: 3102 })))).toMatchObject({ outcome: 'failed' })
    expect(await placeCall(mango, order(), ctx(json({ result: 4001 })))).toMatchObject({ outcome: 'failed' })
    expect(await placeCall(mango, order(), ctx(json({ result: 5001 })))).toMatchObject({ outcome: 'retry', retryAfterSeconds: 30 })
    expect(
      await placeCall(
        mango,
        order(),
        ctx(() => new Response('', { status: 401 })),
      ),
    ).toMatchObject({ outcome: 'failed', httpStatus: 401 })
    expect(
      await placeCall(
        mango,
        order(),
        ctx(() => new Response('', { status: 500 })),
      ),
    ).toMatchObject({ outcome: 'retry', httpStatus: 500 })
  })

  it('checks the sign of events/call and reads the manager’s and the visitor’s legs', async () => {
    const event = (body: unknown) => {
      const j = JSON.stringify(body)
      return mangoSign(mango, j).then((sign) => new URLSearchParams({ vpbx_api_key: 'mango_key_0123456789', sign, json: j }))
    }
    // Mango's documented callback example: the manager's leg appears first, naming its call_id.
    const appeared = await event({
      call_id: '100:500:251',
      command_id: 'leg-1',
      call_state: 'Appeared',
      from: { extension: '5555', number: '74955404444' },
      to: { extension: '101', number: '12345678' },
    })
    expect(await readMangoNotification(mango, appeared, '/v1/telephony/s/t/events/call')).toMatchObject({
      ok: true,
      events: [{ kind: 'manager_ringing', legId: 'leg-1', providerCallId: '100:500:251' }],
    })
    const answered = await event({ command_id: 'leg-1', call_state: 'Connected', to: { extension: '101' } })
    expect(await readMangoNotification(mango, answered, '/v1/telephony/s/t/events/call')).toMatchObject({ ok: true, events: [{ kind: 'manager_answered', legId: 'leg-1' }] })
    const visitor = await event({ command_id: 'leg-1', call_state: 'Disconnected', to: { number: '79123456789' }, disconnect_reason: 1110 })
    expect(await readMangoNotification(mango, visitor, '/v1/telephony/s/t/events/call')).toMatchObject({ ok: true, events: [{ kind: 'visitor_missed' }] })
    answered.set('sign', '0'.repeat(64))
    expect(await readMangoNotification(mango, answered, '/v1/telephony/s/t/events/call')).toMatchObject({ ok: false, status: 401 })
  })
})

describe('twilio', () => {
  it('computes X-Twilio-Signature as Twilio’s documented example', async () => {
    const params = new URLSearchParams({ CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' })
    expect(await twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=')
  })

  it('posts Calls.json: To the manager, Twiml dialling the visitor, StatusCallback for our leg', async () => {
    const { fetch, sent } = recordingFetch(json({ sid: 'CAaaaa', status: 'queued' }, 201))
    const notifyUrl = 'https://leads.example/v1/telephony/shop/phone'
    const result = await placeCall(twilio, order({ operator: '+15005550001', notifyUrl }), adapterContext(fetch))
    expect(result).toEqual({ outcome: 'delivered', httpStatus: 201, providerCallId: 'CAaaaa' })
    expect(sent[0]!.url).toBe(`https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Calls.json`)
    expect(sent[0]!.headers.authorization).toBe(`Basic ${btoa(`AC${'0'.repeat(32)}:twilio_token_0123456789`)}`)
    const form = new URLSearchParams(sent[0]!.body)
    expect(form.get('To')).toBe('+15005550001')
    expect(form.get('From')).toBe('+15005550006')
    expect(form.get('Timeout')).toBe('20')
    expect(form.get('Twiml')).toBe(
      '<Response><Say language="ru-RU">Соединяем с клиентом.</Say><Dial callerId="+15005550006" timeout="20" action="https://leads.example/v1/telephony/shop/phone?leg=leg-1&#38;party=visitor">+79123456789</Dial></Response>',
    )
    expect(form.get('StatusCallback')).toBe(`${notifyUrl}?leg=leg-1&party=manager`)
    expect(form.getAll('StatusCallbackEvent')).toEqual(['initiated', 'ringing', 'answered', 'completed'])
  })

  it('fails on refusals (400 number, 401 credentials, 404), retries 429 and outages', async () => {
    const ctx = (answer: () => Response) => adapterContext(recordingFetch(answer).fetch)
    const error = (status: number, code: number) => json({ code, message: `error ${code}`, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, status)
    expect(await placeCall(twilio, order(), ctx(error(400, 21211)))).toMatchObject({ outcome: 'failed', error: 'Twilio 400 (21211): error 21211' })
    expect(await placeCall(twilio, order(), ctx(error(401, 20003)))).toMatchObject({ outcome: 'failed', httpStatus: 401 })
    expect(await placeCall(twilio, order(), ctx(error(404, 20404)))).toMatchObject({ outcome: 'failed' })
    expect(await placeCall(twilio, order(), ctx(error(429, 20429)))).toMatchObject({ outcome: 'retry', httpStatus: 429 })
    expect(await placeCall(twilio, order(), ctx(error(503, 20503)))).toMatchObject({ outcome: 'retry', httpStatus: 503 })
  })

  it('reads status callbacks and the Dial action only when signed', async () => {
    const url = 'https://leads.example/v1/telephony/shop/phone?leg=leg-1&party=manager'
    const form = new URLSearchParams({ CallSid: 'CAaaaa', CallStatus: 'no-answer', To: '+15005550001' })
    const signature = await twilioSignature('twilio_token_0123456789', url, form)
    expect(await readTwilioNotification(twilio, url, form, signature)).toEqual({
      ok: true,
      events: [{ kind: 'manager_missed', legId: 'leg-1', providerCallId: 'CAaaaa', detail: 'Twilio CallStatus no-answer' }],
    })
    expect(await readTwilioNotification(twilio, url, form, 'AAAA')).toMatchObject({ ok: false, status: 401 })
    const dialUrl = 'https://leads.example/v1/telephony/shop/phone?leg=leg-1&party=visitor'
    const dial = new URLSearchParams({ CallSid: 'CAaaaa', DialCallStatus: 'completed' })
    const dialed = await readTwilioNotification(twilio, dialUrl, dial, await twilioSignature('twilio_token_0123456789', dialUrl, dial))
    expect(dialed).toMatchObject({ ok: true, events: [{ kind: 'visitor_answered' }], reply: { contentType: 'text/xml' } })
  })
})

describe('telephony target configs', () => {
  it('redacts every secret on read', () => {
    expect(JSON.stringify([zadarma, uis, mango, twilio].map(redactTelephony))).not.toMatch(
      /zd_secret_0123456789|uis_token_0123456789|notify_token_0123456789|mango_salt_0123456789|twilio_token_0123456789/,
    )
  })

  it('needs publicUrl for Twilio, which must be told where to post', () => {
    const { publicUrl: _omitted, ...rest } = twilio
    expect(v.safeParse(TwilioTargetSchema, rest).success).toBe(false)
  })
})
