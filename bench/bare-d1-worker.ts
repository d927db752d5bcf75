// The floor under the ingest benchmark: a Hono worker that keeps each request's body with one D1
// statement before it answers 201, the least a worker that stores a lead first can do. Between
// the bare worker and this one lies what one D1 call costs under `wrangler dev`.
import { Hono } from 'hono'

interface Env {
  DB: D1Database
}

let table: Promise<unknown> | null = null
const app = new Hono<{ Bindings: Env }>()
app.post('/v1/leads', async (c) => {
  const body = await c.req.text()
  table ??= c.env.DB.exec('CREATE TABLE IF NOT EXISTS leads (id TEXT PRIMARY KEY, body TEXT NOT NULL)')
  await table
  await c.env.DB.batch([c.env.DB.prepare('INSERT INTO leads (id, body) VALUES (?1, ?2)').bind(crypto.randomUUID(), body)])
  return c.json({ id: 'bare', status: 'accepted', duplicate: false, reply: { text: 'ok' } }, 201)
})

export default app
