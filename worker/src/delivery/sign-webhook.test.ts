import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { signWebhook } from './sign-webhook'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

describe('signWebhook', () => {
  it('reproduces the fixed vector of the official Standard Webhooks library', async () => {
    const signature = await signWebhook(SECRET, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })

  it('produces signatures the official verifier accepts, and that fail once anything is changed', async () => {
    const body = JSON.stringify({ type: 'lead.created', data: { phone: '+79123456789', name: 'Анна <b>' } })
    const id = 'msg_test'
    const timestamp = Math.floor(Date.now() / 1000)
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': await signWebhook(SECRET, id, timestamp, body) }
    const verifier = new Webhook(SECRET)
    expect(verifier.verify(body, headers)).toEqual(JSON.parse(body))
    expect(() => verifier.verify(body.replace('7912', '7913'), headers)).toThrow()
    expect(() => verifier.verify(body, { ...headers, 'webhook-id': 'msg_other' })).toThrow()
    expect(() => new Webhook('whsec_' + btoa('another key of 24 bytes!')).verify(body, headers)).toThrow()
  })

  it('is refused by the verifier when replayed outside the 5-minute tolerance', async () => {
    const body = '{"type":"lead.created"}'
    const old = Math.floor(Date.now() / 1000) - 10 * 60
    const headers = { 'webhook-id': 'msg_old', 'webhook-timestamp': String(old), 'webhook-signature': await signWebhook(SECRET, 'msg_old', old, body) }
    expect(() => new Webhook(SECRET).verify(body, headers)).toThrow(/timestamp/i)
  })
})
