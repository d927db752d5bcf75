// amoCRM adapter: unsorted/forms and complex request shapes, the summary note, and problem+json
// errors mapped to outcomes.
import { describe, expect, it } from 'vitest'
import { amoCrmRequest, createdLeadId, forwardToAmoCrm } from '../../worker/src/delivery/adapters/amocrm'
import type { AmoCrmTarget } from '../../shared/schemas/targets/amocrm'
import { LEAD_ID, NOW, adapterContext, eventOf, json, recordingFetch, sampleLead } from './adapter-helpers'

const target: AmoCrmTarget = {
  type: 'amocrm',
  baseUrl: 'https://shop.amocrm.ru',
  token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.long-lived',
  mode: 'unsorted',
  pipelineId: 123,
  tags: ['leadcatcher', 'сайт'],
  sourceName: 'Leadcatcher',
  utmFieldIds: { source: 501, campaign: 503 },
}
const seconds = Math.floor(NOW / 1000)
const contact = {
  first_name: 'Анна',
  custom_fields_values: [
    { field_code: 'PHONE', values: [{ value: '+79123456789', enum_code: 'WORK' }] },
    { field_code: 'EMAIL', values: [{ value: 'anna@example.ru', enum_code: 'WORK' }] },
  ],
}
const lead = {
  name: 'Обратный звонок: Анна',
  pipeline_id: 123,
  custom_fields_values: [
    { field_id: 501, values: [{ value: 'yandex' }] },
    { field_id: 503, values: [{ value: 'spring' }] },
  ],
  _embedded: { tags: [{ name: 'leadcatcher' }, { name: 'сайт' }] },
}

describe('request shape', () => {
  it('sends an unsorted form entry with metadata at the top level, the lead and the contact', () => {
    expect(amoCrmRequest(target, eventOf(sampleLead()))).toEqual({
      path: '/api/v4/leads/unsorted/forms',
      body: [
        {
          source_uid: LEAD_ID,
          source_name: 'Leadcatcher',
          pipeline_id: 123,
          created_at: seconds,
          metadata: {
            form_id: 'leadcatcher-callback',
            form_name: 'Leadcatcher: callback',
            form_page: 'https://shop.example/kitchens?utm_source=yandex',
            form_sent_at: seconds,
            referer: 'https://yandex.ru/',
          },
          _embedded: { leads: [lead], contacts: [contact] },
        },
      ],
    })
  })

  it('sends leads/complex with the contact embedded in the lead when configured', () => {
    const complex = { ...target, mode: 'complex' as const, responsibleUserId: 77 }
    expect(amoCrmRequest(complex, eventOf(sampleLead()))).toEqual({
      path: '/api/v4/leads/complex',
      body: [
        {
          ...lead,
          responsible_user_id: 77,
          _embedded: { tags: lead._embedded.tags, contacts: [contact] },
        },
      ],
    })
  })
})

describe('delivery', () => {
  it('posts with the Bearer token, then adds the answers, score and reasons as a note on the created lead', async () => {
    const complex = { ...target, mode: 'complex' as const }
    const {
      fetch,
      sent,
      json: body,
    } = recordingFetch(json([{ id: 901, contact_id: 55, company_id: null, request_id: ['0'], merged: false }]), json({ _embedded: { notes: [{ id: 1 }] } }))
    const result = await forwardToAmoCrm(complex, eventOf(sampleLead()), adapterContext(fetch))
    // The created lead's id is kept: amoCRM's status_lead events name it.
    expect(result).toEqual({ outcome: 'delivered', httpStatus: 200, externalId: '901' })
    expect(sent[0]!.url).toBe('https://shop.amocrm.ru/api/v4/leads/complex')
    expect(sent[0]!.headers.authorization).toBe(`Bearer ${target.token}`)
    expect(sent[1]!.url).toBe('https://shop.amocrm.ru/api/v4/leads/901/notes')
    const [note] = body(1) as { note_type: string; params: { text: string } }[]
    expect(note!.note_type).toBe('common')
    expect(note!.params.text).toContain('Оценка: 85/100 (горячая)')
    expect(note!.params.text).toContain('+30 попросил(а) перезвонить')
  })

  it('reads the lead id from an unsorted answer too, and still delivers when no id comes back', async () => {
    // The shape amoCRM's own PHP library reads (amocrm/amocrm-api-php EntitiesServices/Unsorted.php
    // processAction: `_embedded.unsorted[]` with uid, request_id, `_embedded.leads[0]`, `_embedded.contacts[0]`).
    const answer = {
      _total_items: 1,
      _embedded: {
        unsorted: [
          {
            uid: 'a1fee7c0fc436088e64ba2e8822ba2b3',
            account_id: 28805383,
            request_id: '0',
            _embedded: { leads: [{ id: 17 }], contacts: [{ id: 3 }], companies: [] },
          },
        ],
      },
    }
    expect(createdLeadId(answer)).toBe(17)
    const unsorted = recordingFetch(json(answer), json({}))
    await forwardToAmoCrm(target, eventOf(sampleLead()), adapterContext(unsorted.fetch))
    expect(unsorted.sent[1]!.url).toBe('https://shop.amocrm.ru/api/v4/leads/17/notes')
    const { fetch, sent } = recordingFetch(json({ _total_items: 1 }))
    const result = await forwardToAmoCrm(target, eventOf(sampleLead()), adapterContext(fetch))
    expect(result).toMatchObject({
      outcome: 'delivered',
      note: expect.stringContaining('no lead id'),
    })
    expect(sent).toHaveLength(1)
  })

  it('marks repeats in the lead name and does not forward escalations', async () => {
    const { fetch, json: body } = recordingFetch(json({}))
    await forwardToAmoCrm(target, eventOf(sampleLead({ duplicate: true }), 'lead.repeated'), adapterContext(fetch))
    expect((body(0) as { _embedded: { leads: { name: string }[] } }[])[0]!._embedded.leads[0]!.name).toBe('Повторная заявка: Обратный звонок: Анна')
    const none = recordingFetch(json({}))
    expect(await forwardToAmoCrm(target, eventOf(sampleLead(), 'lead.escalated'), adapterContext(none.fetch))).toMatchObject({ outcome: 'delivered' })
    expect(none.sent).toHaveLength(0)
  })
})

describe('errors', () => {
  const problem = (status: number, body: unknown) => () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/problem+json' },
    })

  it('fails for good on a 400 validation error and names the field and detail', async () => {
    const { fetch } = recordingFetch(
      problem(400, {
        'validation-errors': [
          {
            request_id: '0',
            errors: [{ code: 'FieldMissing', path: 'metadata', detail: 'This field is missing.' }],
          },
        ],
        title: 'Bad Request',
        type: 'https://httpstatus.es/400',
        status: 400,
        detail: 'Request validation failed',
      }),
    )
    const result = await forwardToAmoCrm(target, eventOf(sampleLead()), adapterContext(fetch))
    expect(result).toEqual({
      outcome: 'failed',
      httpStatus: 400,
      error: 'amoCRM /api/v4/leads/unsorted/forms: HTTP 400 Bad Request; metadata FieldMissing: This field is missing.',
    })
  })

  it.each([401, 403])('fails for good on %i and says to replace the token', async (status) => {
    const { fetch } = recordingFetch(problem(status, { title: 'Unauthorized', status, detail: 'Invalid access token' }))
    const result = await forwardToAmoCrm(target, eventOf(sampleLead()), adapterContext(fetch))
    expect(result.outcome).toBe('failed')
    expect(result.outcome === 'failed' && result.error).toContain('new long-lived token')
  })

  it('retries 429 no sooner than 1 s (7 requests a second) and retries 5xx', async () => {
    const limited = recordingFetch(() => new Response('', { status: 429 }))
    expect(await forwardToAmoCrm(target, eventOf(sampleLead()), adapterContext(limited.fetch))).toMatchObject({ outcome: 'retry', httpStatus: 429, retryAfterSeconds: 1 })
    const down = recordingFetch(problem(503, { title: 'Service Unavailable', status: 503 }))
    expect(await forwardToAmoCrm(target, eventOf(sampleLead()), adapterContext(down.fetch))).toMatchObject({ outcome: 'retry', httpStatus: 503 })
  })
})
