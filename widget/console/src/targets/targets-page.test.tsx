// Targets: the stored targets with their secrets only as "•••• set", a new target checked by the
// API's TargetSchema before anything is sent (errors at the field), a save as a merge patch of the
// whole list that sends a kept secret back exactly as read, the API's 400 issues beside their
// fields, "Send a test lead" with status, HTTP status, duration and excerpt, and Russian words.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApiClient } from '../api'
import { fakeFetch, jsonResponse, renderIn, requests } from '../testing'
import { checkTargetDraft, fieldValue, newTargetDraft, withValueAt } from './target-fields'
import { TargetsPage } from './targets-page'

const HOOK = { type: 'webhook', id: 'crm', url: 'https://crm.example/hook', secret: 'whsec_•••abcd' }
const BOT = { type: 'telegram', id: 'managers', botToken: '123456:•••wxyz', chatId: -1001234567890, locale: 'ru' }
const CONFIG = { origins: ['https://shop.example'], locale: 'en', targets: [HOOK, BOT] }
const NEW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

function client(routes: Record<string, (url: string, init: RequestInit) => Response> = {}) {
  const fetch = fakeFetch({
    'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: CONFIG }),
    'PATCH /v1/admin/sites/shop': (_url, init) => jsonResponse(200, { site: 'shop', config: { ...CONFIG, ...(JSON.parse(String(init.body)) as object) } }),
    ...routes,
  })
  return { fetch, api: createApiClient({ fetch }) }
}

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('the targets page', () => {
  it('lists the targets and edits one with its secret shown only as set, sent back as read', async () => {
    const { api, fetch } = client()
    render(<TargetsPage api={api} site="shop" canEdit />)
    const item = (await screen.findByRole('heading', { name: /crm/ })).closest('li')!
    expect(item.textContent).toContain('https://crm.example/hook')
    fireEvent.click(within(item).getByRole('button', { name: 'Edit' }))
    const secret = screen.getByLabelText('Signing secret') as HTMLInputElement
    expect(secret.value).toBe('')
    expect(secret.placeholder).toBe('•••• set')
    fireEvent.input(screen.getByLabelText('URL'), { target: { value: 'https://crm.example/v2/hook' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save target' }))
    await waitFor(() => expect(screen.getByText('Saved.')).toBeTruthy())
    const patch = requests(fetch).find((r) => r.method === 'PATCH')!
    expect(patch.headers['Content-Type']).toBe('application/merge-patch+json')
    expect(patch.body).toEqual({ targets: [{ ...HOOK, url: 'https://crm.example/v2/hook' }, BOT] })
  })

  it('checks a new target with the API’s schema before sending, with the message at the field', async () => {
    const { api, fetch } = client()
    render(<TargetsPage api={api} site="shop" canEdit />)
    fireEvent.change(await screen.findByLabelText('Type of the new target'), { target: { value: 'telegram' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add a target' }))
    expect((screen.getByLabelText('Target id') as HTMLInputElement).value).toBe('telegram')
    fireEvent.input(screen.getByLabelText('Bot token'), { target: { value: 'not a token' } })
    fireEvent.input(screen.getByLabelText('Chat id'), { target: { value: '-100200300' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save target' }))
    const token = screen.getByLabelText('Bot token')
    await waitFor(() => expect(token.getAttribute('aria-invalid')).toBe('true'))
    expect(document.getElementById(`${token.id}-error`)?.textContent).toContain('must look like "123456:ABC…" from @BotFather')
    expect(requests(fetch).some((r) => r.method === 'PATCH')).toBe(false)
  })

  it('puts the API’s issues for the edited target beside its fields', async () => {
    const refused = () =>
      jsonResponse(400, {
        error: {
          code: 'validation_failed',
          message: 'The site configuration is not valid.',
          issues: [{ path: 'targets.0.url', code: 'private_address', message: 'private, loopback and link-local addresses are not allowed as targets' }],
        },
      })
    render(<TargetsPage api={client({ 'PATCH /v1/admin/sites/shop': refused }).api} site="shop" canEdit />)
    fireEvent.click(within((await screen.findByRole('heading', { name: /crm/ })).closest('li')!).getByRole('button', { name: 'Edit' }))
    fireEvent.input(screen.getByLabelText('URL'), { target: { value: 'http://127.0.0.1/hook' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save target' }))
    const url = screen.getByLabelText('URL')
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'))
    expect(document.getElementById(`${url.id}-error`)?.textContent).toContain('private, loopback')
    expect((url as HTMLInputElement).value).toBe('http://127.0.0.1/hook')
  })

  it('sends a test lead to one target and shows its status, HTTP status, duration and answer as text', async () => {
    const answer = { leadId: 'a1b2', deliveries: [{ targetId: 'crm', type: 'webhook', status: 'delivered', httpStatus: 200, excerpt: '<b>ok</b>', durationMs: 84 }] }
    const { api, fetch } = client({ 'POST /v1/admin/sites/shop/test-leads': () => jsonResponse(201, answer) })
    render(<TargetsPage api={api} site="shop" canEdit={false} />)
    const item = (await screen.findByRole('heading', { name: /crm/ })).closest('li')!
    expect(within(item).queryByRole('button', { name: 'Edit' })).toBeNull()
    fireEvent.click(within(item).getByRole('button', { name: 'Send a test lead' }))
    const outcome = await within(item).findByRole('region', { name: 'Test lead outcome' })
    const facts = [...outcome.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`)
    expect(facts).toEqual(['Status: delivered', 'HTTP: 200', 'Time: 84 ms'])
    expect(within(outcome).getByText('<b>ok</b>').tagName).toBe('CODE')
    expect(requests(fetch).find((r) => r.method === 'POST')!.body).toEqual({ targetId: 'crm' })
  })

  it('sends a test lead to an SMS auto-reply only with the tester’s own phone, as a public lead body', async () => {
    const sms = { type: 'autoreply-sms', id: 'sms', company: 'Shop', provider: { name: 'smsru', apiId: '•••1234' }, templates: { ru: { text: 'Спасибо!' } } }
    const config = { ...CONFIG, consent: { required: true, text: 'I agree.' }, targets: [sms] }
    const answer = { leadId: 'c3d4', deliveries: [{ targetId: 'sms', type: 'autoreply-sms', status: 'delivered', excerpt: '', durationMs: 120 }] }
    const { api, fetch } = client({
      'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config }),
      'POST /v1/admin/sites/shop/test-leads': () => jsonResponse(201, answer),
    })
    render(<TargetsPage api={api} site="shop" canEdit />)
    fireEvent.input(await screen.findByLabelText('Your phone for the test'), { target: { value: '+7 900 123-45-67' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send a test lead' }))
    await screen.findByRole('region', { name: 'Test lead outcome' })
    const body = requests(fetch).find((r) => r.method === 'POST')!.body as { targetId: string; lead: Record<string, unknown> }
    expect(body.targetId).toBe('sms')
    expect(body.lead).toMatchObject({ site: 'shop', source: 'callback', contact: { phone: '+7 900 123-45-67' }, consent: { given: true, text: 'I agree.' } })
  })

  it('reads in Russian in a Russian console', async () => {
    renderIn('ru', <TargetsPage api={client().api} site="shop" canEdit />)
    expect(await screen.findByRole('heading', { name: 'Получатели · shop' })).toBeTruthy()
    expect(await screen.findAllByRole('button', { name: 'Отправить тестовую заявку' })).toHaveLength(2)
  })
})

describe('target drafts', () => {
  it('every type starts as a draft the form can describe, and a kept redacted secret is no error', () => {
    const draft = newTargetDraft('webhook', ['webhook'])
    expect(draft.id).toBe('webhook-2')
    expect(checkTargetDraft({ ...draft, url: 'https://crm.example/hook', secret: NEW_SECRET })).toEqual([])
    expect(checkTargetDraft(HOOK as never, HOOK as never)).toEqual([])
    expect(checkTargetDraft(HOOK as never).map((i) => i.path)).toEqual(['secret'])
  })

  it('turns field input into draft values: numbers, lists, JSON and removal when emptied', () => {
    const draft = newTargetDraft('amocrm', [])
    expect(withValueAt(draft, 'outcomes.pathSecret', undefined)).toEqual(draft)
    expect(fieldValue({ path: 'pipelineId', kind: 'number' }, ' 42 ')).toBe(42)
    expect(fieldValue({ path: 'tags', kind: 'list' }, 'a, b,,c')).toEqual(['a', 'b', 'c'])
    expect(fieldValue({ path: 'utmFieldIds', kind: 'json' }, '{"source": 1}')).toEqual({ source: 1 })
    expect(checkTargetDraft(withValueAt(draft, 'utmFieldIds', '{"source"'))).toContainEqual({ path: 'utmFieldIds', code: 'invalid_format', message: 'must be valid JSON' })
  })
})
