// The admin API names the very id a routing rule or the head of sales gets wrong (the console's
// Team page shows the message there), and a refused PATCH leaves the stored routing as it was.
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import { ADMIN_TOKEN, adminRequest, putSite, siteConfig, uniqueSite } from './helpers'

const ROUTING: NonNullable<SiteConfigInput['routing']> = {
  managers: [
    { id: 'olga', name: 'Olga' },
    { id: 'pavel', name: 'Pavel' },
  ],
  rules: [{ when: { temperature: ['hot'] }, managers: ['olga'] }],
  sla: { minutes: { hot: 5, warm: 30, cold: 120 }, headOfSales: 'pavel' },
}

function patch(site: string, body: unknown): Promise<Response> {
  return exports.default.fetch(
    new Request(`https://worker.test/v1/admin/sites/${site}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify(body),
    }),
  )
}

describe('routing issues through the admin API', () => {
  it('puts a removed manager at the rule and the head of sales, and stores nothing', async () => {
    const site = uniqueSite('routing')
    await putSite(site, siteConfig({ routing: ROUTING }))
    const before = await (await adminRequest('GET', `/v1/admin/sites/${site}`)).json()
    const response = await patch(site, { routing: { managers: [{ id: 'ivan', name: 'Ivan' }] } })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: { code: string; issues: { path: string; message: string }[] } }
    expect(error.code).toBe('validation_failed')
    expect(error.issues).toEqual([
      { path: 'routing.rules.0.managers.0', code: 'invalid', message: 'rules and sla.headOfSales may only name listed managers' },
      { path: 'routing.sla.headOfSales', code: 'invalid', message: 'rules and sla.headOfSales may only name listed managers' },
    ])
    expect(await (await adminRequest('GET', `/v1/admin/sites/${site}`)).json()).toEqual(before)
  })

  it('puts a repeated manager id at the second one', async () => {
    const site = uniqueSite('routing')
    await putSite(site)
    const response = await patch(site, {
      routing: {
        managers: [
          { id: 'olga', name: 'Olga' },
          { id: 'olga', name: 'Olga K.' },
        ],
      },
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: { issues: { path: string }[] } }
    expect(error.issues.map((issue) => issue.path)).toEqual(['routing.managers.1.id'])
  })
})
