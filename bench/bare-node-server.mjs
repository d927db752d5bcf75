// The Node baseline for `npm run bench`: the bare worker's route (bench/bare-worker.ts) on
// @hono/node-server, in a process of its own like the real server. PORT and HOST from the
// environment; prints "listening" once it accepts connections.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.post('/v1/leads', async (c) => {
  await c.req.text()
  return c.json({ id: 'bare', status: 'accepted', duplicate: false, reply: { text: 'ok' } }, 201)
})

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: process.env.HOST ?? '127.0.0.1' }, () => console.log('listening'))
process.once('SIGTERM', () => server.close(() => process.exit(0)))
