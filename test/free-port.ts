// Ports for test servers, shared by the e2e harness and the Node runtime's process tests.
import { createServer } from 'node:net'

/**
 * A port nobody listens on right now, picked at random below Linux's ephemeral range (32768 and
 * up), where listen(0) and outgoing connections take theirs: a port the OS handed out can be handed
 * to another test's listen(0) or to a connection in the seconds before the server binds it.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    if (await canListen(port)) return port
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}
