// GET /v1/admin/deliveries: a site's failed and pending deliveries across its leads, for the
// console's deliveries page; scoped like every admin route.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { WEBHOOK_TARGET, adminRequest, errorCode, postLead, putSite, siteConfig, uniqueSite, validLead } from './helpers'

interface Listed {
  site: string
  deliveries: { id: string; leadId: string; status: string; attempts: number; lastError: string | null; createdAt: string }[]
  nextCursor: string | null
}

const site = uniqueSite('dlist')
const other = uniqueSite('dlist-other')
let token = ''

beforeAll(async () => {
  await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET] }))
  await putSite(other, siteConfig({ targets: [WEBHOOK_TARGET] }))
  const made = await adminRequest('POST', `/v1/admin/sites/${site}/tokens`, { label: 'console' })
  token = ((await made.json()) as { token: string }).token
})
afterEach(() => vi.restoreAllMocks())

/** Leads whose first attempt is answered by `status`; the first attempt runs in the background. */
async function leadsAnswered(siteKey: string, count: number, status: number): Promise<string[]> {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response('down', { status }))
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const lead = validLead(siteKey)
    expect((await postLead(lead)).status).toBe(201)
    ids.push(lead.id)
  }
  return ids
}

const list = (query: string, as?: string | null) => adminRequest('GET', `/v1/admin/deliveries?${query}`, undefined, ...(as === undefined ? [] : [as]))

describe('GET /v1/admin/deliveries', () => {
  it('lists a site’s failed and pending deliveries newest first, page by page, and nothing of other sites', async () => {
    const mine = await leadsAnswered(site, 3, 500)
    await leadsAnswered(other, 1, 500)
    // The first attempt runs after the 201: wait until all three are recorded as retrying.
    await expect.poll(async () => ((await (await list(`site=${site}`)).json()) as Listed).deliveries.filter((d) => d.attempts === 1).length, { timeout: 5000 }).toBe(3)

    const first = (await (await list(`site=${site}&limit=2`)).json()) as Listed
    expect(first.site).toBe(site)
    expect(first.deliveries).toHaveLength(2)
    expect(first.deliveries.every((d) => d.status === 'pending' && d.lastError !== null)).toBe(true)
    expect(first.nextCursor).not.toBeNull()
    const second = (await (await list(`site=${site}&limit=2&cursor=${first.nextCursor}`)).json()) as Listed
    const leadIds = [...first.deliveries, ...second.deliveries].map((d) => d.leadId)
    expect(leadIds).toEqual([...mine].reverse())
    expect(second.nextCursor).toBeNull()
  })

  it('filters by status, and a site token sees its own site without naming it', async () => {
    // 410 Gone: the target says it will never take it, so the delivery fails at once.
    const [gone] = await leadsAnswered(site, 1, 410)
    await expect.poll(async () => ((await (await list('status=failed', token)).json()) as Listed).deliveries.map((d) => d.leadId), { timeout: 5000 }).toEqual([gone])
    const response = await list('status=failed', token)
    expect(response.status).toBe(200)
    const body = (await response.json()) as Listed
    expect(body.site).toBe(site)
    expect(body.deliveries.map((d) => d.status)).toEqual(['failed'])
    expect((await list(`site=${other}`, token)).status).toBe(404)
  })

  it('refuses bad queries with 400 and a code', async () => {
    for (const query of ['', `site=${site}&status=lost`, `site=${site}&limit=0`, `site=${site}&cursor=nonsense`, 'site=Bad Key']) {
      const response = await list(query)
      expect(response.status, query).toBe(400)
      expect(await errorCode(response)).toBe('validation_failed')
    }
    expect((await list(`site=${site}`, null)).status).toBe(401)
  })
})
