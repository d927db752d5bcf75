// Per-site admin tokens: site A's token reads site A and nothing of site B.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { adminRequest, errorCode, postLead, putSite, uniqueSite, validLead } from './helpers'

const siteA = uniqueSite('tok-a')
const siteB = uniqueSite('tok-b')
let tokenA = ''
const leadA = validLead(siteA)
const leadB = validLead(siteB)

beforeAll(async () => {
  await putSite(siteA)
  await putSite(siteB)
  expect((await postLead(leadA)).status).toBe(201)
  expect((await postLead(leadB)).status).toBe(201)
  const minted = await adminRequest('POST', `/v1/admin/sites/${siteA}/tokens`, { label: 'crm sync' })
  expect(minted.status).toBe(201)
  tokenA = ((await minted.json()) as { token: string }).token
})

describe('site tokens', () => {
  it('are shown once and stored only as a hash', async () => {
    expect(tokenA).toMatch(/^lct_[A-Za-z0-9_-]{43}$/)
    const { results } = await env.DB.prepare('SELECT token_hash, label FROM site_tokens WHERE site_id = ?').bind(siteA).all<{ token_hash: string; label: string }>()
    expect(results).toHaveLength(1)
    expect(results[0]!.label).toBe('crm sync')
    expect(results[0]!.token_hash).not.toContain(tokenA)
    expect(results[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('read their own site’s leads, lead, stats and config', async () => {
    const list = await adminRequest('GET', '/v1/admin/leads', undefined, tokenA)
    expect(list.status).toBe(200)
    const ids = ((await list.json()) as { leads: { id: string; site: string }[] }).leads.map((l) => l.id)
    expect(ids).toEqual([leadA.id])
    expect((await adminRequest('GET', `/v1/admin/leads/${leadA.id}`, undefined, tokenA)).status).toBe(200)
    expect((await adminRequest('GET', `/v1/admin/stats?site=${siteA}`, undefined, tokenA)).status).toBe(200)
    expect((await adminRequest('GET', `/v1/admin/sites/${siteA}`, undefined, tokenA)).status).toBe(200)
  })

  it('read their own site’s stats and trend without naming it; the operator must name one', async () => {
    for (const path of ['/v1/admin/stats', '/v1/admin/stats/trend']) {
      const own = await adminRequest('GET', path, undefined, tokenA)
      expect(own.status, path).toBe(200)
      expect(((await own.json()) as { site: string }).site).toBe(siteA)
      const operator = await adminRequest('GET', path)
      expect(operator.status, path).toBe(400)
      const body = (await operator.json()) as { error: { issues: { path: string; code: string; message: string }[] } }
      expect(body.error.issues).toEqual([{ path: 'site', code: 'required', message: expect.stringContaining('operator token') }])
    }
  })

  it('never see another site: its leads, lead, stats, config, CSV or erasure answer as if nothing existed', async () => {
    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/admin/leads?site=${siteB}`],
      ['GET', `/v1/admin/leads?site=${siteB}&format=csv`],
      ['GET', `/v1/admin/leads/${leadB.id}`],
      ['GET', `/v1/admin/stats?site=${siteB}`],
      ['GET', `/v1/admin/sites/${siteB}`],
      ['POST', '/v1/admin/erasure', { site: siteB, phone: '+79123456789' }],
      ['POST', `/v1/admin/sites/${siteB}/replay-failed`],
      ['POST', `/v1/admin/leads/${leadB.id}/take`, { managerId: 'x' }],
    ]
    for (const [method, path, body] of attempts) {
      const response = await adminRequest(method, path, body, tokenA)
      expect(response.status, `${method} ${path}`).toBe(404)
      expect(await response.text()).not.toContain(leadB.id)
    }
  })

  it('cannot change configs or make tokens: that needs the operator', async () => {
    const put = await adminRequest('PUT', `/v1/admin/sites/${siteA}`, { origins: [] }, tokenA)
    expect(put.status).toBe(403)
    expect(await errorCode(put)).toBe('forbidden')
    expect((await adminRequest('POST', `/v1/admin/sites/${siteA}/tokens`, {}, tokenA)).status).toBe(403)
  })

  it('stop working when revoked; made-up tokens never work', async () => {
    expect((await adminRequest('GET', '/v1/admin/leads', undefined, `lct_${'A'.repeat(43)}`)).status).toBe(401)
    const other = (await (await adminRequest('POST', `/v1/admin/sites/${siteB}/tokens`, {})).json()) as { token: string }
    expect((await adminRequest('GET', '/v1/admin/leads', undefined, other.token)).status).toBe(200)
    const revoked = await adminRequest('DELETE', `/v1/admin/sites/${siteB}/tokens`)
    expect(await revoked.json()).toEqual({ site: siteB, revoked: 1 })
    expect((await adminRequest('GET', '/v1/admin/leads', undefined, other.token)).status).toBe(401)
  })
})
