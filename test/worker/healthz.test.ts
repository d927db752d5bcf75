// GET /healthz on both runtimes: the database, the migrations, the scheduler and overdue work.
import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { KNOWN_MIGRATIONS } from '../../worker/src/storage/migrations'

interface Health {
  ok: boolean
  runtime: string
  database: string
  migrations: { current: boolean; missing: string[]; unknown: string[] }
  scheduler: { kind: string; alive: boolean }
  oldestOverdueDeliveryMs: number | null
}

const health = async () => {
  const response = await exports.default.fetch(new Request('https://worker.test/healthz'))
  return { status: response.status, body: (await response.json()) as Health }
}

describe('GET /healthz', () => {
  it('answers 200 with every migration applied and the runtime named', async () => {
    const { status, body } = await health()
    expect(status).toBe(200)
    expect(body).toMatchObject({
      ok: true,
      runtime: env.TEST_RUNTIME === 'node' ? 'node' : 'cloudflare',
      database: 'ok',
      migrations: { current: true, missing: [], unknown: [] },
      scheduler: { alive: true },
    })
    expect(typeof body.oldestOverdueDeliveryMs).toBe('number')
  })

  it('answers 503 and names the migration when the database has one this version does not know', async () => {
    await env.DB.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind('9999_from_the_future.sql').run()
    try {
      const { status, body } = await health()
      expect(status).toBe(503)
      expect(body.ok).toBe(false)
      expect(body.migrations).toEqual({ current: false, missing: [], unknown: ['9999_from_the_future.sql'] })
    } finally {
      await env.DB.prepare('DELETE FROM d1_migrations WHERE name = ?').bind('9999_from_the_future.sql').run()
    }
  })

  it('reports how late the most overdue pending delivery is', async () => {
    const { results } = await env.DB.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>()
    expect(results.map((r) => r.name)).toEqual([...KNOWN_MIGRATIONS])
    const site = `hz-${crypto.randomUUID().slice(0, 8)}`
    const leadId = crypto.randomUUID()
    // Other files' leftover deliveries share the database (the worker project runs with
    // isolate: false): this one is made the most overdue of all.
    const oldest = await env.DB.prepare("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE status = 'pending'").first<{ at: number | null }>()
    const dueAt = Math.min(Date.now(), oldest?.at ?? Infinity) - 90_000
    await env.DB.prepare("INSERT INTO sites (id, config, created_at, updated_at) VALUES (?, '{}', 0, 0)").bind(site).run()
    await env.DB.prepare("INSERT INTO leads (id, site_id, source, payload, reply_text, created_at) VALUES (?, ?, 'callback', '{}', '', 0)").bind(leadId, site).run()
    await env.DB.prepare(
      "INSERT INTO deliveries (id, lead_id, site_id, target_id, event_type, status, attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, 'crm', 'lead.created', 'pending', 0, ?, 0, 0)",
    )
      .bind(`msg_${crypto.randomUUID().replaceAll('-', '')}`, leadId, site, dueAt)
      .run()
    try {
      const { body } = await health()
      const lateMs = Date.now() - dueAt
      expect(body.oldestOverdueDeliveryMs).toBeGreaterThanOrEqual(lateMs - 30_000)
      expect(body.oldestOverdueDeliveryMs).toBeLessThanOrEqual(lateMs)
    } finally {
      await env.DB.prepare('DELETE FROM deliveries WHERE lead_id = ?').bind(leadId).run()
      await env.DB.prepare('DELETE FROM leads WHERE id = ?').bind(leadId).run()
      await env.DB.prepare('DELETE FROM sites WHERE id = ?').bind(site).run()
    }
  })
})
