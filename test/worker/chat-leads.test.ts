// Chat leads: the worker walks the site's flow with the submitted answers and scores and routes
// from its own replay, never from what the browser claims.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import realty from '../../demo/flows/realty.json'
import travel from '../../demo/flows/travel.json'
import worker from '../../worker/src/cloudflare/index'
import { WEBHOOK_TARGET, adminRequest, leadRequest, putSite, randomMobile, siteConfig, uniqueSite, validLead } from './helpers'

const realtySite = uniqueSite('realty')
const travelSite = uniqueSite('travel')

beforeAll(async () => {
  await putSite(realtySite, siteConfig({ chat: { flow: realty } }))
  await putSite(
    travelSite,
    siteConfig({
      chat: { flow: travel },
      targets: [WEBHOOK_TARGET],
      routing: {
        managers: [
          { id: 'junior', name: 'Младший' },
          { id: 'senior', name: 'Старший' },
        ],
        rules: [
          { when: { answer: { question: 'route', in: ['senior'] } }, managers: ['senior'] },
          { when: { source: ['chat', 'callback', 'form', 'exit_intent'] }, managers: ['junior'] },
        ],
      },
    }),
  )
})
afterEach(() => {
  vi.restoreAllMocks()
})

async function stored(id: string) {
  const row = await env.DB.prepare('SELECT score, temperature, reasons, payload FROM leads WHERE id = ?').bind(id).first<{
    score: number
    temperature: string
    reasons: string
    payload: string
  }>()
  return { ...row!, reasons: JSON.parse(row!.reasons) as { rule: string; points: number }[], payload: JSON.parse(row!.payload) as Record<string, unknown> }
}

async function submit(lead: ReturnType<typeof validLead>) {
  vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(null, { status: 204 }))
  const ctx = createExecutionContext()
  const response = await worker.fetch(leadRequest(lead), env, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

const transcript = [
  { from: 'bot' as const, text: 'Вы покупаете или продаёте?', at: '2026-11-23T10:00:00.000Z' },
  { from: 'visitor' as const, text: 'Покупаю', at: '2026-11-23T10:00:05.000Z' },
]

describe('chat leads', () => {
  it('make a hot buyer hot with the flow’s reasons and keep the transcript', async () => {
    const lead = validLead(realtySite, {
      source: 'chat',
      contact: { name: 'Анна', phone: randomMobile() },
      answers: { intent: 'buy', rooms: '2', market: 'new', budget: '5_10m', down_payment: '20_50', timing: 'now' },
      transcript,
    })
    expect((await submit(lead)).status).toBe(201)
    const row = await stored(lead.id)
    expect(row.temperature).toBe('hot')
    expect(row.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['flow.score_hot', 'flow.score_down', 'source.chat']))
    expect(row.payload.transcript).toEqual(transcript)
    expect(row.payload.flow).toMatchObject({ status: 'ended' })
  })

  it('give no flow points for answers the flow never offers', async () => {
    const lead = validLead(realtySite, {
      source: 'chat',
      answers: { intent: 'buy', rooms: '2', market: 'new', budget: '5_10m', down_payment: '20_50', timing: 'yesterday', score: 100 },
    })
    expect((await submit(lead)).status).toBe(201)
    const row = await stored(lead.id)
    expect(row.reasons.some((r) => r.rule.startsWith('flow.'))).toBe(false)
    expect(row.payload.flow).toMatchObject({ status: 'invalid' })
  })

  it('route by the server’s replay: a group trip goes to the senior manager', async () => {
    const group = validLead(travelSite, { source: 'chat', answers: { destination: 'Italy', dates: 'summer', travellers: 8, budget: 100000 } })
    const response = await submit(group)
    expect(response.status).toBe(201)
    expect((await stored(group.id)).payload.manager).toMatchObject({ id: 'senior' })
    // A forged "route" answer on a small trip does not buy the senior manager: the replay sets vars.
    const small = validLead(travelSite, { source: 'chat', answers: { destination: 'Italy', dates: 'summer', travellers: 2, budget: 50000 } })
    await submit(small)
    const vars = (await stored(small.id)).payload.flow as { vars: Record<string, string> }
    expect(vars.vars.route).not.toBe('senior')
    expect((await stored(small.id)).payload.manager).toMatchObject({ id: 'junior' })
  })

  it('refuses a broken flow in the site config, naming the node', async () => {
    const broken = { ...realty, nodes: [...realty.nodes, { id: 'orphan', type: 'message', text: { ru: 'x', en: 'x' }, next: 'nowhere' }] }
    const response = await adminRequest('PUT', `/v1/admin/sites/${uniqueSite()}`, siteConfig({ chat: { flow: broken } }))
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { issues: { path: string; message: string }[] } }
    expect(body.error.issues.some((i) => i.path.startsWith('chat.flow') && /orphan|nowhere/.test(`${i.path} ${i.message}`))).toBe(true)
  })

  it('refuses a flow whose regex can backtrack exponentially, saving nothing', async () => {
    const branch = { id: 'slow', type: 'branch', cases: [{ when: { answer: 'name', regex: '^(\\w+\\s?)*$' }, next: realty.start }], else: realty.start }
    const site = uniqueSite()
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, siteConfig({ chat: { flow: { ...realty, start: 'slow', nodes: [branch, ...realty.nodes] } } }))
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { issues: { path: string; code?: string; message: string }[] } }
    expect(body.error.issues).toContainEqual(expect.objectContaining({ path: 'chat.flow.nodes[slow]', code: 'unsafe_regex' }))
    expect((await adminRequest('GET', `/v1/admin/sites/${site}`)).status).toBe(404)
  })
})
