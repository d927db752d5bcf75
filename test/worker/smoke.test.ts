import { env } from 'cloudflare:workers'
import { expect, it } from 'vitest'
it('has migrated tables', async () => {
  const row = await env.DB.prepare("select count(*) as n from sqlite_master where name='leads'").first<{ n: number }>()
  expect(row?.n).toBe(1)
})
