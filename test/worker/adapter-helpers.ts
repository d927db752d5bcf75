// Fixtures for adapter tests: a recorded fake fetch, an adapter context, a full lead payload.
import type { AdapterContext, DeliveryEvent } from '../../worker/src/delivery/adapters/types'
import type { EventType, LeadPayload } from '../../worker/src/model/lead'

export interface SentRequest {
  url: string
  method: string
  headers: Record<string, string>
  body: string
}

/** A fetch that records every request and answers with the next answer (the last one repeats). */
export function recordingFetch(...answers: (() => Response | Promise<Response>)[]) {
  const sent: SentRequest[] = []
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init)
    sent.push({
      url: request.url,
      method: request.method,
      headers: Object.fromEntries(request.headers),
      body: new TextDecoder().decode(await request.arrayBuffer()),
    })
    const answer = answers[Math.min(sent.length - 1, answers.length - 1)]
    if (!answer) throw new Error('no answer configured')
    return answer()
  }
  return { fetch, sent, json: (i: number) => JSON.parse(sent[i]!.body) as unknown }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): () => Response {
  return () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    })
}

export const NOW = Date.parse('2026-11-23T11:31:13.000Z')

export function adapterContext(fetch: typeof globalThis.fetch): AdapterContext {
  return { fetch, now: () => NOW, timeoutMs: 15_000 }
}

export const LEAD_ID = '0b9f3c1e-2f4a-4c51-9a43-7d2e5b8c6a10'
export const FIRST_LEAD_ID = '7c3a1f0e-9b2d-4e8f-a1c6-5d4b3a2f1e0d'

export function sampleLead(overrides: Partial<LeadPayload> = {}): LeadPayload {
  return {
    id: LEAD_ID,
    site: 'shop',
    source: 'callback',
    contact: { name: 'Анна', phone: '+79123456789', email: 'anna@example.ru' },
    message: 'Нужна кухня <угловая> & быстро',
    answers: { budget: 150000, timing: 'this_week' },
    callbackAt: '2026-11-24T10:00:00+03:00',
    consent: { given: true, text: 'Я согласен на обработку персональных данных.' },
    context: {
      page: 'https://shop.example/kitchens?utm_source=yandex',
      referrer: 'https://yandex.ru/',
      utm: { source: 'yandex', medium: 'cpc', campaign: 'spring', term: 'кухни', content: 'ad1' },
      locale: 'ru-RU',
      timezone: 'Europe/Moscow',
    },
    createdAt: new Date(NOW).toISOString(),
    duplicate: false,
    score: 85,
    temperature: 'hot',
    reasons: [
      { rule: 'base', points: 10, text: 'left a request' },
      { rule: 'source.callback', points: 30, text: 'asked for a call back' },
    ],
    ...overrides,
  }
}

export function eventOf(lead: LeadPayload, type: EventType = 'lead.created'): DeliveryEvent {
  return { deliveryId: 'msg_0123456789abcdef0123456789abcdef', type, lead, occurredAt: NOW }
}
