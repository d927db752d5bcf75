// The baseline for the ingest benchmark: a Hono worker that answers 201 without doing any work.
import { Hono } from 'hono'

const app = new Hono()
app.post('/v1/leads', async (c) => {
  await c.req.text()
  return c.json({ id: 'bare', status: 'accepted', duplicate: false, reply: { text: 'ok' } }, 201)
})

export default app
