import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { LeadPayload } from '../model/lead'
import { sqlDeliveryStore } from '../storage/sql-delivery-store'
import { sqlLeadStore } from '../storage/sql-lead-store'
import { withLeaseRegistry } from './lease-registry'
import { applyMigrations } from './migrate'
import { openSqlite, sqliteDatabase } from './sqlite-database'
import { tempDir } from '../../../test/node-runtime/temp-dir'

function database() {
  const sqlite = openSqlite(join(tempDir('lc-lease-'), 'db.sqlite'))
  applyMigrations(sqlite, join(import.meta.dirname, '..', '..', 'migrations'))
  sqlite.exec("INSERT INTO sites (id, config, created_at, updated_at) VALUES ('s', '{}', 0, 0)")
  return sqliteDatabase(sqlite)
}

const payload = (id: string): LeadPayload => ({
  id,
  site: 's',
  source: 'callback',
  contact: { phone: '+79123456789' },
  createdAt: new Date(0).toISOString(),
  duplicate: false,
  score: 60,
  temperature: 'warm',
  reasons: [],
})

it('hands back the leases a stopping process holds: the next claim succeeds at once, as an interrupted attempt', async () => {
  const db = database()
  const now = 1_000_000
  await sqlLeadStore(db).insertLead(
    { payload: payload('lead-1'), status: 'accepted', flags: [], replyText: '', ip: null, userAgent: null, createdAt: now },
    {
      deliveries: [
        { id: 'msg_a', targetId: 'crm', nextAttemptAt: now },
        { id: 'msg_b', targetId: 'crm', nextAttemptAt: now },
      ],
      dedupeWindowMs: null,
    },
  )
  const registry = withLeaseRegistry(sqlDeliveryStore(db))
  expect(await registry.store.claimDelivery('msg_a', now, 60_000)).not.toBeNull()
  expect(await registry.store.claimDelivery('msg_b', now, 60_000)).not.toBeNull()
  expect(
    await registry.store.finishAttempt(
      { deliveryId: 'msg_b', attempt: 1, startedAt: now, durationMs: 5, httpStatus: 204, outcome: 'delivered', error: null, leaseUntil: now + 60_000 },
      now,
    ),
  ).toBe(true)
  expect(registry.held()).toEqual(['msg_a'])

  const other = sqlDeliveryStore(db)
  // Held: nobody else can claim it for the lease's minute.
  expect(await other.claimDelivery('msg_a', now + 1000, 60_000)).toBeNull()
  expect(await other.releaseLeases(registry.held(), now + 1000)).toBe(1)
  const reclaimed = await other.claimDelivery('msg_a', now + 1000, 60_000)
  expect(reclaimed).toMatchObject({ id: 'msg_a', interrupted: true })
  // A finished delivery is not touched.
  expect(await other.releaseLeases(['msg_b'], now + 2000)).toBe(0)

  // An attempt that outlives its lease while this process claims the delivery again does not make
  // the registry forget the later claim's lease, which a shutdown must still hand back.
  const late = sqlDeliveryStore(db)
  await late.finishAttempt(
    { deliveryId: 'msg_a', attempt: 1, startedAt: now, durationMs: 5, httpStatus: 503, outcome: 'retry', error: 'x', nextAttemptAt: now + 1000, leaseUntil: reclaimed!.leaseUntil },
    now + 1500,
  )
  const slow = await registry.store.claimDelivery('msg_a', now + 1000, 60_000)
  expect(slow).not.toBeNull()
  const again = await registry.store.claimDelivery('msg_a', now + 62_000, 60_000)
  expect(again).not.toBeNull()
  expect(
    await registry.store.finishAttempt(
      { deliveryId: 'msg_a', attempt: 2, startedAt: now + 1000, durationMs: 61_500, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: slow!.leaseUntil },
      now + 62_500,
    ),
  ).toBe(false)
  expect(registry.held()).toEqual(['msg_a'])
  expect(
    await registry.store.finishAttempt(
      { deliveryId: 'msg_a', attempt: 2, startedAt: now + 62_000, durationMs: 10, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: again!.leaseUntil },
      now + 62_010,
    ),
  ).toBe(true)
  expect(registry.held()).toEqual([])
})
