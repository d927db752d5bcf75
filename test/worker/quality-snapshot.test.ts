// The quality store counts a campaign's windows in SQL; these counts must be what judgeGroup's
// countWindow makes of the same items: the last N (whatever their age) and the last 24 h.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { DAY_MS, countWindow, type QualityItem } from '../../worker/src/quality/junk-spike'
import { ADMIN_TOKEN, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const deps = createDeps(env)
const site = uniqueSite('snapshot')
const group = { utmSource: 'vk', utmCampaign: 'mixed', page: null }

async function run(request: Request): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, env, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

async function store(): Promise<string> {
  const body = validLead(site, { context: { page: 'https://shop.example/', utm: { source: 'vk', campaign: 'mixed' } } })
  expect((await run(leadRequest(body))).status).toBe(201)
  return body.id!
}

async function mark(id: string, reason: string): Promise<void> {
  const response = await run(
    new Request(`https://worker.test/v1/admin/leads/${id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'junk', reason }),
    }),
  )
  expect(response.status).toBe(200)
}

beforeAll(async () => {
  await putSite(site, siteConfig({ consent: undefined, quality: { enabled: false } }))
})

describe('quality snapshot windows', () => {
  it('counts the last N and the last 24 h in SQL as countWindow counts the items', async () => {
    const now = Date.now()
    // Six leads two days old (three of them wrong numbers), then four of today: spam-free, one off-target.
    const old: string[] = []
    for (let i = 0; i < 6; i++) old.push(await store())
    for (const id of old.slice(0, 3)) await mark(id, 'wrong_number')
    const ages = old.map((id, i) => ({ id, at: now - 2 * DAY_MS - i * 1000 }))
    for (const { id, at } of ages) await env.DB.prepare('UPDATE leads SET created_at = ? WHERE id = ?').bind(at, id).run()
    const fresh: string[] = []
    for (let i = 0; i < 4; i++) fresh.push(await store())
    await mark(fresh[1]!, 'off_target')
    // And a refused invalid phone today.
    const refused = validLead(site, { contact: { phone: '123' }, context: { page: 'https://shop.example/', utm: { source: 'vk', campaign: 'mixed' } } })
    expect((await run(leadRequest(refused))).status).toBe(400)

    const rows = await env.DB.prepare(
      `SELECT created_at AS at, CASE WHEN stage = 'junk' THEN junk_reason ELSE 'ok' END AS kind FROM leads WHERE site_id = ?
       UNION ALL SELECT created_at AS at, 'invalid_phone' AS kind FROM rejections WHERE site_id = ? ORDER BY at DESC`,
    )
      .bind(site, site)
      .all<QualityItem>()
    const items = rows.results
    expect(items).toHaveLength(11)
    for (const windowLeads of [3, 8, 20]) {
      const snapshot = await deps.quality.snapshot(site, group, { limit: 200, windowLeads, dayFrom: now - DAY_MS, baselineFrom: 0, now: now + 60_000, fresh: true })
      expect(snapshot.recent).toEqual(countWindow(items.slice(0, windowLeads)))
      expect(snapshot.day).toEqual(countWindow(items.filter((item) => item.at > now - DAY_MS)))
    }
    // The day window is today's five (one off-target, one invalid phone); the last 8 reach back two days.
    const snapshot = await deps.quality.snapshot(site, group, { limit: 200, windowLeads: 8, dayFrom: now - DAY_MS, baselineFrom: 0, now: now + 60_000 })
    expect(snapshot.day).toEqual({ leads: 5, junk: 2, spam: 0, invalidPhone: 1, wrongNumber: 0, offTarget: 1 })
    expect(snapshot.recent).toEqual({ leads: 8, junk: 5, spam: 0, invalidPhone: 1, wrongNumber: 3, offTarget: 1 })
  })
})
