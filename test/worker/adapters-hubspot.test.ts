// HubSpot adapter: Forms v3 submission with context and consent, CRM v3 contacts, error mapping.
import { describe, expect, it } from 'vitest'
import { forwardToHubSpot } from '../../worker/src/delivery/adapters/hubspot'
import type { HubSpotTarget } from '../../shared/schemas/targets/hubspot'
import { NOW, adapterContext, eventOf, json, recordingFetch, sampleLead } from './adapter-helpers'

const FORM = '6d6f3c2a-1b2c-4d3e-8f40-123456789abc'
const form: HubSpotTarget = { type: 'hubspot', mode: 'form', portalId: '2001', formGuid: FORM }
const contacts: HubSpotTarget = {
  type: 'hubspot',
  mode: 'contact',
  accessToken: 'pat-eu1-0123456789abcdef',
}

describe('Forms v3', () => {
  it('submits email, first name and phone with the page context and the consent text', async () => {
    const { fetch, sent, json: body } = recordingFetch(json({ inlineMessage: 'Thanks for submitting the form.' }))
    const result = await forwardToHubSpot(form, eventOf(sampleLead()), adapterContext(fetch))
    expect(result).toEqual({ outcome: 'delivered', httpStatus: 200 })
    expect(sent[0]!.url).toBe(`https://api.hsforms.com/submissions/v3/integration/submit/2001/${FORM}`)
    expect(sent[0]!.headers.authorization).toBeUndefined()
    expect(body(0)).toEqual({
      submittedAt: String(NOW),
      fields: [
        { objectTypeId: '0-1', name: 'email', value: 'anna@example.ru' },
        { objectTypeId: '0-1', name: 'firstname', value: 'Анна' },
        { objectTypeId: '0-1', name: 'phone', value: '+79123456789' },
      ],
      context: {
        pageUri: 'https://shop.example/kitchens?utm_source=yandex',
        pageName: '/kitchens',
      },
      legalConsentOptions: {
        consent: { consentToProcess: true, text: 'Я согласен на обработку персональных данных.' },
      },
    })
  })

  it('uses the secure endpoint with a Bearer token when one is configured, and sends no consent that was not given', async () => {
    const { fetch, sent, json: body } = recordingFetch(json({ inlineMessage: 'ok' }))
    await forwardToHubSpot({ ...form, accessToken: 'pat-eu1-secret-token' }, eventOf(sampleLead({ consent: { given: false, text: 'x' } })), adapterContext(fetch))
    expect(sent[0]!.url).toBe(`https://api.hsforms.com/submissions/v3/integration/secure/submit/2001/${FORM}`)
    expect(sent[0]!.headers.authorization).toBe('Bearer pat-eu1-secret-token')
    expect(body(0)).not.toHaveProperty('legalConsentOptions')
  })

  it("fails for good on a 400 validation error with HubSpot's message", async () => {
    const { fetch } = recordingFetch(
      json(
        {
          status: 'error',
          message: 'The request is not valid',
          errors: [
            {
              message: "Error in 'fields.phone'. Field does not exist",
              errorType: 'FIELD_NOT_IN_FORM_DEFINITION',
            },
          ],
          correlationId: 'c1',
        },
        400,
      ),
    )
    const result = await forwardToHubSpot(form, eventOf(sampleLead()), adapterContext(fetch))
    expect(result).toEqual({
      outcome: 'failed',
      httpStatus: 400,
      error: "HubSpot: HTTP 400 The request is not valid; Error in 'fields.phone'. Field does not exist",
    })
  })

  it('fails for good on 404 (no such form) and retries 429 after a 10 s window and 5xx', async () => {
    expect((await forwardToHubSpot(form, eventOf(sampleLead()), adapterContext(recordingFetch(json({ status: 'error', message: 'Not found' }, 404)).fetch))).outcome).toBe('failed')
    const limited = await forwardToHubSpot(form, eventOf(sampleLead()), adapterContext(recordingFetch(json({ status: 'error', category: 'RATE_LIMITS' }, 429)).fetch))
    expect(limited).toMatchObject({ outcome: 'retry', retryAfterSeconds: 10 })
    expect((await forwardToHubSpot(form, eventOf(sampleLead()), adapterContext(recordingFetch(json({}, 503)).fetch))).outcome).toBe('retry')
  })
})

describe('CRM v3 contacts', () => {
  it('creates a contact with the token and treats 409 "already exists" as delivered with a note', async () => {
    const {
      fetch,
      sent,
      json: body,
    } = recordingFetch(
      json(
        {
          status: 'error',
          message: 'Contact already exists. Existing ID: 123',
          category: 'CONFLICT',
          correlationId: 'c2',
        },
        409,
      ),
    )
    const result = await forwardToHubSpot(contacts, eventOf(sampleLead()), adapterContext(fetch))
    expect(sent[0]!.url).toBe('https://api.hubapi.com/crm/v3/objects/contacts')
    expect(sent[0]!.headers.authorization).toBe('Bearer pat-eu1-0123456789abcdef')
    expect(body(0)).toEqual({
      properties: { email: 'anna@example.ru', firstname: 'Анна', phone: '+79123456789' },
    })
    expect(result).toEqual({
      outcome: 'delivered',
      httpStatus: 409,
      note: 'HubSpot: HTTP 409 CONFLICT Contact already exists. Existing ID: 123',
      // The existing contact is the one its propertyChange events will name.
      externalId: '123',
    })
  })

  it('keeps the id of a created contact', async () => {
    const { fetch } = recordingFetch(json({ id: '512', properties: {} }, 201))
    expect(await forwardToHubSpot(contacts, eventOf(sampleLead()), adapterContext(fetch))).toEqual({
      outcome: 'delivered',
      httpStatus: 201,
      externalId: '512',
    })
  })

  it('fails for good on 401 with an expired token', async () => {
    const { fetch } = recordingFetch(
      json(
        {
          status: 'error',
          message: 'Authentication credentials not found.',
          category: 'INVALID_AUTHENTICATION',
        },
        401,
      ),
    )
    expect(await forwardToHubSpot(contacts, eventOf(sampleLead()), adapterContext(fetch))).toMatchObject({ outcome: 'failed', httpStatus: 401 })
  })

  it('sends repeats and escalations nowhere, since HubSpot would count them as new conversions', async () => {
    const { fetch, sent } = recordingFetch(json({}))
    expect((await forwardToHubSpot(form, eventOf(sampleLead(), 'lead.repeated'), adapterContext(fetch))).outcome).toBe('delivered')
    expect(sent).toHaveLength(0)
  })
})
