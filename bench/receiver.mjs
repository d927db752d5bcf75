// A local webhook receiver for the benches: verifies every signature (standardwebhooks), counts
// deliveries per webhook-id (so a double forward shows) and keeps each lead's first arrival time.
import { createServer } from 'node:http'
import { Webhook } from 'standardwebhooks'
import { freePort } from '../test/e2e/harness.ts'

/** @param {string} secret `whsec_…` */
export async function startReceiver(secret) {
  const port = await freePort()
  const received = new Map()
  const arrivals = new Map()
  let forged = 0
  const verifier = new Webhook(secret)
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      try {
        const event = verifier.verify(body, req.headers)
        const id = req.headers['webhook-id']
        received.set(id, (received.get(id) ?? 0) + 1)
        if (!arrivals.has(event.data.id)) arrivals.set(event.data.id, performance.now())
        res.writeHead(204).end()
      } catch {
        forged++
        res.writeHead(400).end()
      }
    })
  })
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${port}/hook`, received, arrivals, forged: () => forged, close: () => server.close() }
}

/** A fresh Standard Webhooks secret. */
export const newSecret = () => `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`
