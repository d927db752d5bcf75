// Bitrix24 adapter: exact crm.lead.add request, lookups that keep retries idempotent, repeats as
// comments, escalations as reassignment, and every documented error mapped to an outcome.
import { describe, expect, it } from 'vitest'
import { forwardToBitrix24, bitrix24LeadFields } from '../../worker/src/delivery/adapters/bitrix24'
import { nextRetryDelaySeconds } from '../../worker/src/delivery/retry-schedule'
import type { Bitrix24Target } from '../../shared/schemas/targets/bitrix24'
import { FIRST_LEAD_ID, LEAD_ID, adapterContext, eventOf, json, recordingFetch, sampleLead } from './adapter-helpers'

const HOOK = 'https://shop.bitrix24.ru/rest/1/k3y5ecr3tc0de/'
const target: Bitrix24Target = { type: 'bitrix24', id: 'b24', webhookUrl: HOOK, assignedById: 7 }

const notFound = json({ result: [], total: 0, time: {} })
const added = json({ result: 3465, time: {} })

describe('a new lead', () => {
  it('looks the lead up by ORIGIN_ID, then sends crm.lead.add with the documented fields', async () => {
    const { fetch, sent, json: body } = recordingFetch(notFound, added)
    const result = await forwardToBitrix24(target, eventOf(sampleLead()), adapterContext(fetch))

    expect(result).toEqual({ outcome: 'delivered', httpStatus: 200 })
    expect(sent.map((r) => r.url)).toEqual([`${HOOK}crm.lead.list.json`, `${HOOK}crm.lead.add.json`])
    expect(sent[0]!.headers['content-type']).toBe('application/json')
    expect(body(0)).toEqual({
      filter: { ORIGINATOR_ID: 'leadcatcher', ORIGIN_ID: LEAD_ID },
      select: ['ID'],
    })
    const add = body(1) as { fields: Record<string, unknown>; params: unknown }
    expect(add.params).toEqual({ REGISTER_SONET_EVENT: 'Y' })
    expect(add.fields).toMatchObject({
      TITLE: 'Обратный звонок: Анна',
      NAME: 'Анна',
      PHONE: [{ VALUE: '+79123456789', VALUE_TYPE: 'WORK' }],
      EMAIL: [{ VALUE: 'anna@example.ru', VALUE_TYPE: 'WORK' }],
      SOURCE_ID: 'CALLBACK',
      SOURCE_DESCRIPTION: 'https://shop.example/kitchens?utm_source=yandex',
      UTM_SOURCE: 'yandex',
      UTM_MEDIUM: 'cpc',
      UTM_CAMPAIGN: 'spring',
      UTM_CONTENT: 'ad1',
      UTM_TERM: 'кухни',
      ORIGINATOR_ID: 'leadcatcher',
      ORIGIN_ID: LEAD_ID,
      ASSIGNED_BY_ID: 7,
      OPENED: 'Y',
    })
    const comments = add.fields.COMMENTS as string
    expect(comments).toContain('Сообщение: Нужна кухня <угловая> & быстро')
    expect(comments).toContain('budget: 150000')
    // The note is Russian throughout: the temperature and the reasons too.
    expect(comments).toContain('Оценка: 85/100 (горячая)')
    expect(comments).toContain('+30 попросил(а) перезвонить')
    const labelled = bitrix24LeadFields(target, sampleLead({ answerLabels: { budget: { question: 'Бюджет?', answer: 'до 200 000 ₽' } } })).COMMENTS as string
    expect(labelled).toContain('Бюджет? — до 200 000 ₽\ntiming: this_week')
  })

  it('uses WEB for sources other than callbacks, and the configured SOURCE_IDs when set', () => {
    expect(bitrix24LeadFields(target, sampleLead({ source: 'chat' })).SOURCE_ID).toBe('WEB')
    const custom = { ...target, sourceIds: { callback: 'CALL', other: 'WEBFORM' } }
    expect(bitrix24LeadFields(custom, sampleLead()).SOURCE_ID).toBe('CALL')
    expect(bitrix24LeadFields(custom, sampleLead({ source: 'form' })).SOURCE_ID).toBe('WEBFORM')
  })

  it('assigns the routed manager over the target default and leaves out contact fields the visitor did not give', () => {
    const fields = bitrix24LeadFields(
      target,
      sampleLead({
        contact: { phone: '+79123456789' },
        manager: { id: 'olga', name: 'Ольга', bitrixUserId: 11 },
      }),
    )
    expect(fields.ASSIGNED_BY_ID).toBe(11)
    expect(fields).not.toHaveProperty('EMAIL')
    expect(fields).not.toHaveProperty('NAME')
    expect(fields.TITLE).toBe('Обратный звонок: +79123456789')
  })

  it('creates nothing when a retry finds the lead an earlier, timed-out attempt already created', async () => {
    const { fetch, sent } = recordingFetch(json({ result: [{ ID: '3465' }], total: 1 }))
    const result = await forwardToBitrix24(target, eventOf(sampleLead()), adapterContext(fetch))
    expect(result).toEqual({ outcome: 'delivered', httpStatus: 200 })
    expect(sent).toHaveLength(1)
  })
})

describe('a repeated lead', () => {
  it('adds a timeline comment to the first lead instead of creating another', async () => {
    const { fetch, sent, json: body } = recordingFetch(json({ result: [{ ID: '3465' }] }), json({ result: 99 }))
    const repeat = sampleLead({
      id: '11111111-2222-4333-8444-555555555555',
      duplicate: true,
      duplicateOf: FIRST_LEAD_ID,
    })
    const result = await forwardToBitrix24(target, eventOf(repeat, 'lead.repeated'), adapterContext(fetch))

    expect(result.outcome).toBe('delivered')
    expect(sent.map((r) => r.url)).toEqual([`${HOOK}crm.lead.list.json`, `${HOOK}crm.timeline.comment.add.json`])
    expect(body(0)).toMatchObject({ filter: { ORIGIN_ID: FIRST_LEAD_ID } })
    const comment = body(1) as {
      fields: { ENTITY_ID: number; ENTITY_TYPE: string; COMMENT: string }
    }
    expect(comment.fields.ENTITY_ID).toBe(3465)
    expect(comment.fields.ENTITY_TYPE).toBe('lead')
    expect(comment.fields.COMMENT).toMatch(/^Повторная заявка\n/)
  })

  it('becomes a lead of its own when the first lead never reached this portal', async () => {
    const { fetch, sent } = recordingFetch(notFound, notFound, added)
    const repeat = sampleLead({ duplicate: true, duplicateOf: FIRST_LEAD_ID })
    const result = await forwardToBitrix24(target, eventOf(repeat, 'lead.repeated'), adapterContext(fetch))
    expect(result.outcome).toBe('delivered')
    expect(sent.map((r) => r.url.split('/').pop())).toEqual(['crm.lead.list.json', 'crm.lead.list.json', 'crm.lead.add.json'])
  })
})

describe('an escalated lead', () => {
  it('reassigns the Bitrix24 lead to the new manager and says why in a comment', async () => {
    const { fetch, sent, json: body } = recordingFetch(json({ result: [{ ID: '3465' }] }), json({ result: true }), json({ result: 5 }))
    const lead = sampleLead({
      manager: { id: 'boss', name: 'Руководитель', bitrixUserId: 3 },
      escalations: 1,
    })
    const result = await forwardToBitrix24(target, eventOf(lead, 'lead.escalated'), adapterContext(fetch))
    expect(result.outcome).toBe('delivered')
    expect(sent[1]!.url).toBe(`${HOOK}crm.lead.update.json`)
    expect(body(1)).toEqual({ id: 3465, fields: { ASSIGNED_BY_ID: 3 } })
    expect((body(2) as { fields: { COMMENT: string } }).fields.COMMENT).toContain('эскалация 1')
  })
})

describe('errors', () => {
  async function answerWith(status: number, error: string, description = 'text') {
    const { fetch } = recordingFetch(notFound, json({ error, error_description: description }, status))
    return forwardToBitrix24(target, eventOf(sampleLead()), adapterContext(fetch))
  }

  it.each(['QUERY_LIMIT_EXCEEDED', 'OVERLOAD_LIMIT'])('retries %s (503) no sooner than 2 s, the portal allowing 2 requests a second', async (code) => {
    const result = await answerWith(503, code, 'Too many requests')
    expect(result).toMatchObject({ outcome: 'retry', httpStatus: 503, retryAfterSeconds: 2 })
    // The schedule honours the floor even where its own slot would be sooner.
    expect(nextRetryDelaySeconds(0, { retryAfterSeconds: 2, random: () => 0.5 })).toBe(2)
  })

  it.each([
    [401, 'NO_AUTH_FOUND', 'the webhook code is wrong'],
    [403, 'INVALID_CREDENTIALS', 'no rights'],
    [403, 'ACCESS_DENIED', 'commercial plans'],
    [403, 'insufficient_scope', '"crm" scope'],
  ])('fails for good on %i %s with a message saying what to fix', async (status, code, hint) => {
    const result = await answerWith(status, code)
    expect(result.outcome).toBe('failed')
    expect(result).toMatchObject({ httpStatus: status })
    expect(result.outcome === 'failed' && result.error).toContain(code)
    expect(result.outcome === 'failed' && result.error).toContain(hint)
  })

  it('fails for good on the method-level "Access denied." that comes with an empty error code', async () => {
    const result = await answerWith(403, '', 'Access denied.')
    expect(result).toMatchObject({ outcome: 'failed', httpStatus: 403 })
    expect(result.outcome === 'failed' && result.error).toBe(
      'Bitrix24 crm.lead.add: HTTP 403 (Access denied.): the webhook user may not read or add leads; ' + "give them CRM lead rights or use another user's webhook",
    )
  })

  it('fails for good on PORTAL_DELETED although it comes as HTTP 500, and on user_access_error', async () => {
    expect(await answerWith(500, 'PORTAL_DELETED', 'Portal was deleted')).toMatchObject({
      outcome: 'failed',
      httpStatus: 500,
      error: expect.stringContaining('the portal was deleted'),
    })
    expect((await answerWith(403, 'user_access_error')).outcome).toBe('failed')
  })

  it('fails for good on 400 INVALID_REQUEST and retries 500 INTERNAL_SERVER_ERROR', async () => {
    expect((await answerWith(400, 'INVALID_REQUEST')).outcome).toBe('failed')
    expect(await answerWith(500, 'INTERNAL_SERVER_ERROR')).toMatchObject({
      outcome: 'retry',
      retryAfterSeconds: null,
    })
  })

  it('retries a 502 from a proxy that answers HTML, and a network error', async () => {
    const html = recordingFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }))
    expect(await forwardToBitrix24(target, eventOf(sampleLead()), adapterContext(html.fetch))).toMatchObject({ outcome: 'retry', httpStatus: 502 })
    const down = recordingFetch(() => Promise.reject(new TypeError('connection refused')))
    expect(await forwardToBitrix24(target, eventOf(sampleLead()), adapterContext(down.fetch))).toMatchObject({ outcome: 'retry', httpStatus: null })
  })
})
