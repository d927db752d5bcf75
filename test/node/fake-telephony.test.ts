// The fake Mango Office of `npm start`: it takes a callback only with the documented signature and
// reports each leg to the worker as a signed events/call, which the worker's own reader accepts.
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script without types
import { FAKE_MANGO, createFakeTelephony, mangoSign } from '../../scripts/fake-telephony.mjs'
import { readMangoNotification } from '../../worker/src/telephony/providers/mango'
import type { MangoTarget } from '../../shared/schemas/targets/telephony'

const target = {
  type: 'mango',
  ...FAKE_MANGO,
  operators: [{ manager: 'olga', number: '101' }],
  ringSeconds: 20,
  callsPerHour: 30,
  callsPerDay: 200,
  allowRepeats: false,
} as MangoTarget

function command(json: string, sign = mangoSign(json)) {
  return new URLSearchParams({ vpbx_api_key: FAKE_MANGO.apiKey, sign, json })
}

describe('the fake telephony provider', () => {
  it('refuses a callback whose sign is not sha256(key + json + salt)', () => {
    const fake = createFakeTelephony({ site: 'demo', notifyUrl: () => 'http://worker.test' })
    const json = JSON.stringify({ command_id: 'leg-1', from: { extension: '101' }, to_number: '79123456789' })
    expect(fake.placeCall(command(json, '0'.repeat(64)))).toMatchObject({ status: 401 })
    expect(fake.calls).toHaveLength(0)
    expect(fake.placeCall(command(json))).toEqual({ status: 200, body: { result: 1000 } })
    expect(fake.calls[0]).toMatchObject({ commandId: 'leg-1', extension: '101', visitor: '79123456789', manager: 'ringing' })
  })

  it('reports an answered manager and a missed visitor as signed events the worker accepts', async () => {
    const posted: { url: string; form: URLSearchParams }[] = []
    const fetchStub = async (url: string, init: RequestInit) => {
      posted.push({ url, form: new URLSearchParams(String(init.body)) })
      return new Response('{"ok":true}')
    }
    const fake = createFakeTelephony({ site: 'demo', notifyUrl: (site: string) => `http://worker.test/v1/telephony/${site}`, fetch: fetchStub })
    fake.placeCall(command(JSON.stringify({ command_id: 'leg-1', from: { extension: '101' }, to_number: '79123456789' })))
    expect(await fake.control('leg-1', 'manager', 'answer')).toMatchObject({ status: 200, body: { workerStatus: 200 } })
    expect(await fake.control('leg-1', 'visitor', 'miss')).toMatchObject({ status: 200 })
    expect(posted.map((p) => p.url)).toEqual(['http://worker.test/v1/telephony/demo/phone/events/call', 'http://worker.test/v1/telephony/demo/phone/events/call'])
    const read = await Promise.all(posted.map((p) => readMangoNotification(target, p.form, new URL(p.url).pathname)))
    expect(read).toEqual([
      { ok: true, events: [expect.objectContaining({ kind: 'manager_answered', legId: 'leg-1' })] },
      { ok: true, events: [expect.objectContaining({ kind: 'visitor_missed', legId: 'leg-1' })] },
    ])
    expect(fake.calls[0]).toMatchObject({ manager: 'answered', visitorLeg: 'missed' })
    expect(await fake.control('nope', 'manager', 'answer')).toMatchObject({ status: 404 })
  })
})
