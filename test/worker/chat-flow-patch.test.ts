// The chatbot flow through PATCH /v1/admin/sites/:site, as the console's Chatbot page saves it: a
// broken flow is refused with each problem at its node's field path and nothing stored; the
// console's merge patch (replacingPatch) replaces the stored flow whole, where a plain one would
// leave the old flow's FAQ behind.
import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { DEMO_JSON } from '../../shared/flow/testing'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { replacingPatch } from '../../widget/console/src/chatbot/flow-draft'
import { putSite, siteConfig, uniqueSite } from './helpers'

type Node = { id: string; next?: string; input?: string }
type Flow = { id: string; nodes: Node[]; faq?: unknown; synonyms?: unknown }

const realty = DEMO_JSON.realty as Flow
const travel = DEMO_JSON.travel as Flow

function patch(site: string, body: unknown): Promise<Response> {
  return exports.default.fetch(
    new Request(`https://worker.test/v1/admin/sites/${site}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify(body),
    }),
  )
}

async function storedFlow(site: string) {
  const record = await createDeps(env).sites.getSite(site)
  return { flow: record!.config.chat?.flow as Flow | undefined, updatedAt: record!.updatedAt }
}

async function siteWith(flow: Flow) {
  const site = uniqueSite('flowpatch')
  await putSite(site, siteConfig({ chat: { flow } }))
  return site
}

describe('a chat flow saved by PATCH', () => {
  it('is refused when broken, each problem at its node, and the stored flow stays as it was', async () => {
    const site = await siteWith(realty)
    const before = await storedFlow(site)
    const broken = {
      ...realty,
      nodes: realty.nodes.map((node) => (node.id === 'hello' ? { ...node, next: 'intnet' } : node.id === 'rooms' ? { ...node, input: 'txt' } : node)),
    }
    const response = await patch(site, { chat: { flow: replacingPatch(realty, broken) } })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; issues: { path: string; code?: string; message: string }[] } }
    expect(body.error.code).toBe('validation_failed')
    const rooms = realty.nodes.findIndex((node) => node.id === 'rooms')
    expect(body.error.issues).toContainEqual(expect.objectContaining({ path: `chat.flow.nodes.${rooms}.input`, code: 'schema' }))
    expect(await storedFlow(site)).toEqual(before)

    // The schema problem fixed, the graph's is left: named at its node.
    const typo = { ...realty, nodes: realty.nodes.map((node) => (node.id === 'hello' ? { ...node, next: 'intnet' } : node)) }
    const second = await patch(site, { chat: { flow: replacingPatch(realty, typo) } })
    expect(second.status).toBe(400)
    expect(((await second.json()) as { error: { issues: unknown[] } }).error.issues).toEqual([
      { path: 'chat.flow.nodes[hello]', code: 'unknown_node', message: expect.stringContaining('did you mean "intent"') },
    ])
    expect(await storedFlow(site)).toEqual(before)
  })

  it('replaces the stored flow whole with the console’s patch; a plain merge patch would keep the old FAQ', async () => {
    const plain = await siteWith(realty)
    expect((await patch(plain, { chat: { flow: travel } })).status).toBe(200)
    const merged = (await storedFlow(plain)).flow!
    expect(merged.faq).toEqual(realty.faq)

    const site = await siteWith(realty)
    expect((await patch(site, { chat: { flow: replacingPatch(realty, travel) } })).status).toBe(200)
    expect((await storedFlow(site)).flow).toEqual(travel)
  })
})
