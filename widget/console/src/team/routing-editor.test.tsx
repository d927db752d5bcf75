// The Team page's routing editor against a fake admin API that merges the PATCH (RFC 7396) and
// checks the result with the API's own RoutingSchema: what is sent, what is stored, and where a
// refusal's message lands.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import * as v from 'valibot'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RoutingSchema } from '../../../../shared/schemas/routing'
import type { Routing } from '../../../../shared/schemas/routing'
import { applyMergePatch } from '../../../../shared/merge-patch'
import { createApiClient } from '../api'
import { jsonResponse, renderIn, requests, fakeFetch } from '../testing'
import { RoutingEditor } from './routing-editor'

function server(routing?: Routing) {
  let config: { routing?: Routing } = routing ? { routing } : {}
  const fetch = fakeFetch({
    'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config }),
    'PATCH /v1/admin/sites/shop': (_url, init) => {
      const merged = applyMergePatch(config, JSON.parse(String(init.body))) as { routing?: unknown }
      if (merged.routing === undefined) {
        config = {}
        return jsonResponse(200, { site: 'shop', config })
      }
      const parsed = v.safeParse(RoutingSchema, merged.routing)
      if (!parsed.success) {
        const issues = parsed.issues.map((issue) => ({ path: ['routing', v.getDotPath(issue)].filter(Boolean).join('.'), code: 'invalid', message: issue.message }))
        return jsonResponse(400, { error: { code: 'validation_failed', message: 'The site configuration is not valid.', issues } })
      }
      // The API's phone check, for Russian numbers: 8… becomes +7…, anything else is refused.
      const phoneIssues = parsed.output.managers.flatMap((m, i) => {
        const digits = m.phone?.replace(/\D/g, '') ?? ''
        if (m.phone === undefined || /^[78]\d{10}$/.test(digits)) return []
        return [{ path: `routing.managers.${i}.phone`, code: 'invalid_format', message: `"${m.phone}" is not a valid phone number in RU` }]
      })
      if (phoneIssues.length > 0) return jsonResponse(400, { error: { code: 'validation_failed', message: 'The site configuration is not valid.', issues: phoneIssues } })
      const managers = parsed.output.managers.map((m) => (m.phone === undefined ? m : { ...m, phone: `+7${m.phone.replace(/\D/g, '').slice(1)}` }))
      config = { routing: { ...parsed.output, managers } }
      return jsonResponse(200, { site: 'shop', config })
    },
  })
  return { fetch, api: createApiClient({ fetch }), stored: () => config }
}

const TEAM: Routing = {
  managers: [
    { id: 'olga', name: 'Olga', telegramUserId: 111 },
    { id: 'pavel', name: 'Pavel' },
  ],
  mode: 'round_robin',
  rules: [{ when: { temperature: ['hot'] }, managers: ['olga', 'pavel'] }],
  sla: { minutes: { hot: 5, warm: 30, cold: 120 }, headOfSales: 'pavel' },
}

const patches = (fetch: ReturnType<typeof fakeFetch>) => requests(fetch).filter((r) => r.method === 'PATCH')
const manager = (n: number) => screen.getByRole('group', { name: `Manager ${n}` })

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('the routing editor', () => {
  it('adds two managers, a rule, the SLA and a head of sales, and sends the lists whole as a merge patch', async () => {
    const { api, fetch, stored } = server()
    render(<RoutingEditor api={api} site="shop" canEdit />)
    await screen.findByText('No managers yet: leads are not assigned to anyone.')
    fireEvent.click(screen.getByRole('button', { name: 'Add a manager' }))
    const first = manager(1)
    fireEvent.input(within(first).getByLabelText('Name'), { target: { value: 'Olga' } })
    fireEvent.input(within(first).getByLabelText('Id'), { target: { value: 'olga' } })
    fireEvent.input(within(screen.getByRole('group', { name: 'Olga' })).getByLabelText('Telegram user id'), { target: { value: '123456' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add a manager' }))
    fireEvent.input(within(manager(2)).getByLabelText('Name'), { target: { value: 'Pavel' } })
    fireEvent.input(within(screen.getByRole('group', { name: 'Pavel' })).getByLabelText('Bitrix24 user id'), { target: { value: '7' } })
    fireEvent.click(screen.getByLabelText('First come: the lead waits until a manager takes it'))
    fireEvent.click(screen.getByRole('button', { name: 'Add a rule' }))
    const rule = screen.getByRole('group', { name: 'Rule 1' })
    fireEvent.click(within(rule).getByLabelText('Hot'))
    fireEvent.input(within(rule).getByLabelText('Page address contains'), { target: { value: '/commercial' } })
    fireEvent.click(within(within(rule).getByRole('group', { name: 'Managers for this rule' })).getByLabelText('Olga'))
    fireEvent.click(screen.getByLabelText('Escalate leads nobody takes in time'))
    fireEvent.input(screen.getByLabelText('Minutes for a hot lead'), { target: { value: '5' } })
    fireEvent.input(screen.getByLabelText('Minutes for a warm lead'), { target: { value: '30' } })
    fireEvent.input(screen.getByLabelText('Minutes for a cold lead'), { target: { value: '240' } })
    fireEvent.change(screen.getByLabelText('Head of sales'), { target: { value: 'manager-2' } })
    expect(screen.getByRole('status').textContent).toBe('You have unsaved changes.')
    fireEvent.click(screen.getByRole('button', { name: 'Save the team' }))
    await screen.findByText('Saved.')

    const [patch] = patches(fetch)
    expect(patch!.headers['Content-Type']).toBe('application/merge-patch+json')
    expect(patch!.body).toEqual({
      routing: {
        managers: [
          { id: 'olga', name: 'Olga', telegramUserId: 123456 },
          { id: 'manager-2', name: 'Pavel', bitrixUserId: 7 },
        ],
        mode: 'first_come',
        rules: [{ when: { temperature: ['hot'], page: '/commercial' }, managers: ['olga'] }],
        sla: { minutes: { hot: 5, warm: 30, cold: 240 }, headOfSales: 'manager-2' },
      },
    })
    expect(stored().routing?.sla?.headOfSales).toBe('manager-2')
    // Saved ids are how leads and tokens name a manager: no longer editable.
    expect(within(screen.getByRole('group', { name: 'Olga' })).getByLabelText('Id')).toHaveProperty('readOnly', true)
  })

  it('refuses to remove a manager a rule names: the message is at the rule, and nothing is stored', async () => {
    const { api, fetch, stored } = server(TEAM)
    render(<RoutingEditor api={api} site="shop" canEdit />)
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Olga' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save the team' }))
    expect((await screen.findByRole('alert')).textContent).toContain('Nothing was saved')
    const ruleManagers = within(screen.getByRole('group', { name: 'Rule 1' })).getByRole('group', { name: 'Managers for this rule' })
    expect(ruleManagers.querySelector('.field-error')?.textContent).toBe('rules and sla.headOfSales may only name listed managers')
    // The id no longer listed stays visible, ticked, so it can be unticked.
    expect(within(ruleManagers).getByLabelText('olga (not in the list)')).toHaveProperty('checked', true)
    await waitFor(() => expect(document.activeElement).toBe(within(ruleManagers).getAllByRole('checkbox')[0]))
    expect(patches(fetch)[0]!.body).toMatchObject({ routing: { managers: [{ id: 'pavel', name: 'Pavel' }] } })
    expect(stored().routing).toEqual(TEAM)
    expect(screen.getByRole('status').textContent).toBe('You have unsaved changes.')
  })

  it("saves a manager's phone as typed and shows it back as the API stored it", async () => {
    const { api, fetch, stored } = server(TEAM)
    render(<RoutingEditor api={api} site="shop" canEdit />)
    const olga = await screen.findByRole('group', { name: 'Olga' })
    const phone = within(olga).getByLabelText('Phone')
    expect(phone.getAttribute('type')).toBe('tel')
    fireEvent.input(phone, { target: { value: ' 8 912 345-67-89 ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save the team' }))
    await screen.findByText('Saved.')
    expect(patches(fetch)[0]!.body).toMatchObject({
      routing: {
        managers: [
          { id: 'olga', name: 'Olga', telegramUserId: 111, phone: '8 912 345-67-89' },
          { id: 'pavel', name: 'Pavel' },
        ],
      },
    })
    expect(stored().routing?.managers[0]?.phone).toBe('+79123456789')
    expect(within(screen.getByRole('group', { name: 'Olga' })).getByLabelText('Phone')).toHaveProperty('value', '+79123456789')
  })

  it("puts a refused phone's message at that manager's phone field, and stores nothing", async () => {
    const { api, stored } = server(TEAM)
    render(<RoutingEditor api={api} site="shop" canEdit />)
    fireEvent.input(within(await screen.findByRole('group', { name: 'Pavel' })).getByLabelText('Phone'), { target: { value: '12345' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save the team' }))
    expect((await screen.findByRole('alert')).textContent).toContain('Nothing was saved')
    const phone = within(screen.getByRole('group', { name: 'Pavel' })).getByLabelText('Phone')
    expect(phone.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(phone.getAttribute('aria-describedby')!.split(' ').at(-1)!)?.textContent).toBe('"12345" is not a valid phone number in RU')
    await waitFor(() => expect(document.activeElement).toBe(phone))
    expect(stored().routing).toEqual(TEAM)
  })

  it('puts a head of sales who is no longer listed at that field', async () => {
    const { api } = server(TEAM)
    render(<RoutingEditor api={api} site="shop" canEdit />)
    fireEvent.click(await screen.findByRole('button', { name: 'Remove rule 1' }))
    fireEvent.click(screen.getByRole('button', { name: 'Remove Pavel' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save the team' }))
    await screen.findByRole('alert')
    const head = screen.getByLabelText('Head of sales')
    expect(head.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(head.getAttribute('aria-describedby')!.split(' ').at(-1)!)?.textContent).toBe('rules and sla.headOfSales may only name listed managers')
  })

  it('removes what the form no longer has with null, and the rules list whole', async () => {
    const { api, fetch, stored } = server(TEAM)
    render(<RoutingEditor api={api} site="shop" canEdit />)
    fireEvent.change(await screen.findByLabelText('Head of sales'), { target: { value: '' } })
    fireEvent.input(within(screen.getByRole('group', { name: 'Olga' })).getByLabelText('Telegram user id'), { target: { value: '' } })
    fireEvent.click(screen.getByRole('button', { name: 'Remove rule 1' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save the team' }))
    await screen.findByText('Saved.')
    expect(patches(fetch)[0]!.body).toEqual({
      routing: {
        managers: [
          { id: 'olga', name: 'Olga' },
          { id: 'pavel', name: 'Pavel' },
        ],
        mode: 'round_robin',
        rules: [],
        sla: { minutes: { hot: 5, warm: 30, cold: 120 }, headOfSales: null },
      },
    })
    expect(stored().routing).toEqual({
      ...TEAM,
      managers: [
        { id: 'olga', name: 'Olga' },
        { id: 'pavel', name: 'Pavel' },
      ],
      rules: [],
      sla: { minutes: TEAM.sla!.minutes },
    })
  })

  it('asks before the page is left with unsaved changes', async () => {
    const { api } = server(TEAM)
    render(<RoutingEditor api={api} site="shop" canEdit />)
    const leave = () => {
      const event = new Event('beforeunload', { cancelable: true })
      dispatchEvent(event)
      return event.defaultPrevented
    }
    await screen.findByRole('button', { name: 'Remove Olga' })
    expect(leave()).toBe(false)
    fireEvent.input(within(screen.getByRole('group', { name: 'Olga' })).getByLabelText('Name'), { target: { value: 'Olga K.' } })
    expect(leave()).toBe(true)
  })

  it('shows a site token the team read-only, with nothing to add, remove or save', async () => {
    const { api, fetch } = server(TEAM)
    render(<RoutingEditor api={api} site="shop" canEdit={false} />)
    expect(await screen.findByText('Only the operator can change the team; a site token sees it read-only.')).toBeTruthy()
    expect(within(screen.getByRole('group', { name: 'Olga' })).getByLabelText('Telegram user id')).toHaveProperty('value', '111')
    expect(screen.getByLabelText('Head of sales')).toHaveProperty('value', 'pavel')
    expect(screen.getByLabelText('Head of sales').closest('fieldset:disabled')).not.toBeNull()
    expect(screen.queryByRole('button', { name: /Save|Add|Remove/ })).toBeNull()
    expect(patches(fetch)).toEqual([])
  })

  it('reads in Russian in a Russian console', async () => {
    renderIn('ru', <RoutingEditor api={server(TEAM).api} site="shop" canEdit />)
    expect(await screen.findByRole('heading', { name: 'Менеджеры и распределение' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Сохранить команду' })).toBeTruthy()
    expect(screen.getByLabelText('Руководитель отдела продаж')).toBeTruthy()
  })
})
