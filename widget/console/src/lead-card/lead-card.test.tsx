// The lead card: links to call and write, where the lead came from, the erased state, "Take it",
// and (fuzzed) every text from a lead rendered as text, never as markup.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import * as fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MARKER, hostileText } from '../../../../shared/testing/hostile-text'
import { createApiClient } from '../api'
import type { ApiResult } from '../api'
import type { LeadDetail } from '../api-types'
import { fakeFetch, jsonResponse, leadDetail, requests } from '../testing'
import { LeadCard, LeadCardView } from './lead-card'

afterEach(cleanup)

/** jsdom renders of the whole card are slow next to pure functions: a hundred or so cases. */
const RUNS = Number(process.env.RENDER_FUZZ_RUNS ?? 120)

/** Elements the card never renders; seeing one means input became markup. */
const FOREIGN = 'script, img, iframe, svg, math, style, object, embed, link, meta, base, b, i, u, s, pre, hr, tg-spoiler, blockquote'

function expectNoMarkupFromInput(root: ParentNode) {
  expect(root.querySelector(FOREIGN)?.outerHTML ?? null).toBeNull()
  for (const element of root.querySelectorAll('*')) {
    expect(element.localName.startsWith(MARKER), element.localName).toBe(false)
    for (const attribute of element.getAttributeNames()) {
      expect(attribute.startsWith(MARKER) || attribute.startsWith('on'), attribute).toBe(false)
    }
  }
  for (const link of root.querySelectorAll('a')) {
    expect(link.getAttribute('href') ?? '', link.outerHTML).toMatch(/^(tel:\+?\d*$|mailto:|#\/|https?:\/\/)/)
  }
}

const ok = async (): Promise<ApiResult<unknown>> => ({ ok: true, value: {} })
const api = createApiClient({ fetch: fakeFetch({}) })

function view(lead: LeadDetail, scope: Parameters<typeof LeadCardView>[0]['scope'] = { kind: 'site', site: 'shop' }) {
  return render(<LeadCardView lead={lead} scope={scope} managers={[{ id: 'olga', name: 'Ольга' }]} api={api} onStatus={ok} onTake={ok} onReload={vi.fn()} />)
}

describe('the lead card', () => {
  it('links the phone and the email to call and write', () => {
    view(leadDetail({ contact: { name: 'Анна', phone: '+79123456789', email: 'anna@mail.example' } }))
    expect(screen.getByRole('link', { name: '+7 912 345-67-89' }).getAttribute('href')).toBe('tel:+79123456789')
    expect(screen.getByRole('link', { name: 'anna@mail.example' }).getAttribute('href')).toBe('mailto:anna@mail.example')
  })

  it('shows where the lead came from, and a javascript: page as text only', () => {
    view(
      leadDetail({
        context: {
          page: 'javascript:alert(1)',
          referrer: 'https://yandex.ru/',
          utm: { source: 'yandex', campaign: 'spring' },
          clickIds: { yclid: '123' },
          firstTouch: { utm: { source: 'google' }, landing: 'https://shop.example/' },
        },
      }),
    )
    expect(screen.getByText('javascript:alert(1)').closest('a')).toBeNull()
    expect(screen.getByRole('link', { name: 'https://yandex.ru/' }).getAttribute('rel')).toBe('noopener noreferrer')
    expect(screen.getByText('spring')).toBeTruthy()
    expect(screen.getByText('123')).toBeTruthy()
    expect(screen.getByText('First touch')).toBeTruthy()
  })

  it('names the CRM status a change came from, beside the CRM', () => {
    view(
      leadDetail({
        status: 'qualified',
        history: [
          {
            id: 'e1',
            at: '2026-11-01T10:00:00Z',
            kind: 'status',
            from: 'new',
            to: 'qualified',
            reason: null,
            note: null,
            by: { kind: 'crm', id: 'bitrix24' },
            source: { kind: 'bitrix24', ref: 'PROCESSED' },
          },
        ],
      }),
    )
    const entry = document.querySelector('.history li')!
    expect(entry.textContent).toContain('CRM bitrix24 (PROCESSED)')
  })

  it('shows an erased lead as erased, with no take and a locked status form', () => {
    view(leadDetail({ erased: true, contact: {}, takenBy: null }))
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Erased')
    expect(screen.getByRole('note').textContent).toContain('personal data was erased')
    expect(screen.queryByRole('button', { name: 'Take it' })).toBeNull()
    expect(screen.getByRole('combobox', { name: 'Status' }).matches(':disabled')).toBe(true)
  })

  it('lets a manager’s session take the lead without naming anyone', async () => {
    const id = leadDetail().id
    let taken = false
    const fetch = fakeFetch({
      [`GET /v1/admin/leads/${id}`]: () => jsonResponse(200, leadDetail({ id, takenBy: taken ? 'olga' : null })),
      [`POST /v1/admin/leads/${id}/take`]: () => {
        taken = true
        return jsonResponse(200, { id, takenBy: 'olga' })
      },
    })
    render(<LeadCard api={createApiClient({ fetch })} id={id} scope={{ kind: 'site', site: 'shop', managerId: 'olga' }} managers={[{ id: 'olga', name: 'Ольга' }]} />)
    expect(screen.queryByLabelText('Take it as')).toBeNull()
    fireEvent.click(await screen.findByRole('button', { name: 'Take it' }))
    expect(await screen.findByText('Taken by Ольга')).toBeTruthy()
    expect(requests(fetch).find((r) => r.method === 'POST')?.body).toEqual({})
  })

  it('lets the operator take the lead as a manager of the site', async () => {
    const onTake = vi.fn(ok)
    render(
      <LeadCardView
        lead={leadDetail()}
        scope={{ kind: 'operator' }}
        managers={[
          { id: 'olga', name: 'Ольга' },
          { id: 'boss', name: 'Босс' },
        ]}
        api={api}
        onStatus={ok}
        onTake={onTake}
        onReload={vi.fn()}
      />,
    )
    fireEvent.change(screen.getByLabelText('Take it as'), { target: { value: 'boss' } })
    fireEvent.click(screen.getByRole('button', { name: 'Take it' }))
    await waitFor(() => expect(onTake).toHaveBeenCalledWith('boss'))
  })

  it('shows the answers as the visitor saw them, and by code where there is no label', () => {
    view(
      leadDetail({
        answers: { budget: 'under_5m', timing: 'just_looking', 'var.route': 'standard' },
        answerLabels: {
          budget: { question: 'Какой у вас бюджет?', answer: 'до 5 млн ₽' },
          timing: { question: 'Когда планируете покупку?', answer: 'Просто смотрю' },
        },
      }),
    )
    const answers = document.querySelector('dl.answers')!
    const pairs = [...answers.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])
    expect(pairs).toEqual([
      ['Какой у вас бюджет?', 'до 5 млн ₽'],
      ['Когда планируете покупку?', 'Просто смотрю'],
      ['var.route', 'standard'],
    ])
  })

  it('says a missing lead is missing, not a blank page', async () => {
    render(<LeadCard api={createApiClient({ fetch: fakeFetch({}) })} id="00000000-0000-4000-8000-000000000999" scope={{ kind: 'site', site: 'shop' }} managers={[]} />)
    expect((await screen.findByRole('alert')).textContent).toBe('There is no such lead, or it belongs to another site.')
  })
})

describe('hostile text in the lead card', () => {
  it('shows every text a lead carries as text', () => {
    const text = hostileText({ minLength: 1, maxLength: 300 })
    fc.assert(
      fc.property(fc.array(text, { minLength: 12, maxLength: 12 }), ([name, message, answer, said, note, reply, detail, campaign, reason, error, question, choice]) => {
        const lead = leadDetail({
          contact: { name: name!, phone: '+79123456789', email: 'x@mail.example' },
          message: message!,
          answers: { budget: answer!, rooms: 2, mortgage: true, [/^[A-Za-z0-9_.-]{1,64}$/.test(question!) ? question! : 'q']: [choice!, 'b'] },
          transcript: [
            { from: 'bot', text: said!, at: '2026-11-01T10:00:00Z' },
            { from: 'visitor', text: said!, at: '2026-11-01T10:00:05Z' },
          ],
          context: { page: 'https://shop.example/flats', utm: { campaign: campaign!, source: campaign! }, referrer: 'javascript:alert(1)' },
          reasons: [{ rule: 'x', points: 5, text: reason! }],
          reply: { text: reply! },
          spam: true,
          flags: [{ code: 'gibberish_name', detail: detail! }],
          manager: { id: 'olga', name: name! },
          history: [
            {
              id: 'e1',
              at: '2026-11-01T10:00:00Z',
              kind: 'note',
              from: null,
              to: null,
              reason: null,
              note: note!,
              by: { kind: 'manager', id: 'olga' },
              source: { kind: 'admin', ref: null },
            },
          ],
          deliveries: [
            {
              id: 'msg_1',
              targetId: 'crm',
              eventType: 'lead.created',
              status: 'failed',
              attempts: 1,
              nextAttemptAt: null,
              lastError: error!,
              deliveredAt: null,
              log: [{ attempt: 1, at: '2026-11-01T10:00:00Z', durationMs: 10, httpStatus: 500, outcome: 'failed', error: error! }],
            },
          ],
        })
        const { container } = view(lead)
        try {
          expectNoMarkupFromInput(container)
          expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(name)
          const saids = Array.from(container.querySelectorAll('.said')).map((e) => e.textContent)
          expect(saids).toEqual([message, said, said, reply])
          expect(container.querySelector('.note')?.textContent).toBe(note)
          expect(container.textContent).toContain(answer)
          expect(container.textContent).toContain(detail)
          expect(container.textContent).toContain(error)
          expect(container.textContent).toContain(reason)
        } finally {
          cleanup()
        }
      }),
      { numRuns: RUNS },
    )
  }, 300_000)
})
