// End to end on the Node runtime: the console's Chatbot page in Chromium (issue 15, "a broken flow
// shows its problems and cannot be saved"). A flow broken in the editor lists its problems by node,
// a click selects the node's JSON and marks its step, Save is disabled, and a save forced through
// the API is refused with the stored flow unchanged; fixed and saved, the demo page's chat speaks the
// new flow. The page passes axe at 360x640, with a screenshot.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { adminRequest, type Stack, patchSite } from './harness'
import { DESKTOP, axePage, signInConsole, settledConsolePage } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser({ runtime: 'node' })

type FlowNode = { id: string; next?: string; text?: { ru?: string; en?: string } }
type Flow = { id: string; nodes: FlowNode[] }

interface SiteView {
  config: { chat?: { flow: Flow } }
  updatedAt: string
}

const signedInConsole = (stack: Stack, viewport?: { width: number; height: number }) =>
  signInConsole(env.browser(), stack, { name: 'console-chatbot', ...(viewport && { viewport }) })

async function openChatbot(page: Page, stack: Stack) {
  await page.goto(new URL(`/console/#/chatbot?site=${stack.site}`, stack.worker).href)
  await page.getByRole('heading', { level: 1, name: `Chatbot · ${stack.site}` }).waitFor({ state: 'visible' })
  await page.getByText('No problems found.').waitFor({ state: 'visible', timeout: 10_000 })
}

const editor = (page: Page) => page.getByRole('textbox', { name: 'Flow JSON' })
const text = (flow: unknown) => `${JSON.stringify(flow, null, 2)}\n`

const storedSite = async (stack: Stack) => {
  const { status, body } = await adminRequest<SiteView>(stack, 'GET', `/v1/admin/sites/${stack.site}`)
  expect(status).toBe(200)
  return body
}

describe('the console’s Chatbot page on the Node runtime', () => {
  it('shows a broken flow’s problems by node and cannot save it; a save forced through the API is refused, the stored flow unchanged', async () => {
    const s = env.stack()
    const before = await storedSite(s)
    const flow = before.config.chat!.flow
    const { page, errors } = await signedInConsole(s)
    await openChatbot(page, s)
    expect(JSON.parse(await editor(page).inputValue())).toEqual(flow)

    const broken = { ...flow, nodes: flow.nodes.map((node) => (node.id === 'hello' ? { ...node, next: 'intnet' } : node)) }
    await editor(page).fill(text(broken))
    const problems = page.getByRole('region', { name: 'Problems' })
    await problems.getByRole('heading', { name: 'Node "hello"' }).waitFor({ state: 'visible' })
    const problem = problems.getByRole('button', { name: 'No such node: node "hello": goes to "intnet", which does not exist (did you mean "intent"?)' })
    await expect(problem.isVisible()).resolves.toBe(true)
    await expect(page.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true)
    await expect(page.getByRole('status').filter({ hasText: 'Fix the problems' }).textContent()).resolves.toBe('Fix the problems before saving.')

    await problem.click()
    const selected = await editor(page).evaluate((area: HTMLTextAreaElement) => area.value.slice(area.selectionStart, area.selectionEnd))
    expect(JSON.parse(selected)).toMatchObject({ id: 'hello', next: 'intnet' })
    await expect(page.locator('#step-hello').getAttribute('class')).resolves.toBe('step marked')
    await page.screenshot({ path: join(ARTIFACTS, 'console-chatbot-broken.png'), fullPage: true })

    // The button is only the console's courtesy: the API itself refuses the same flow.
    const forced = await patchSite<{ error?: { code: string; issues?: { path: string; code?: string; message: string }[] } }>(s, { chat: { flow: broken } })
    expect(forced.status).toBe(400)
    expect(forced.body.error?.issues).toContainEqual({ path: 'chat.flow.nodes[hello]', code: 'unknown_node', message: expect.stringContaining('did you mean "intent"') })
    const after = await storedSite(s)
    expect(after.config.chat?.flow).toEqual(flow)
    expect(after.updatedAt).toBe(before.updatedAt)
    expect(errors).toEqual([])
  })

  it('saves the fixed flow, and the demo page’s chat speaks it', async () => {
    const s = env.stack()
    const flow = (await storedSite(s)).config.chat!.flow
    const { page, errors } = await signedInConsole(s)
    await openChatbot(page, s)
    const greeting = `Здравствуйте! Это новый сценарий ${Date.now() % 10_000}.`
    const changed = { ...flow, nodes: flow.nodes.map((node) => (node.id === 'hello' ? { ...node, next: 'intnet', text: { ...node.text, ru: greeting } } : node)) }
    await editor(page).fill(text(changed))
    await page.getByRole('heading', { name: 'Node "hello"' }).waitFor({ state: 'visible' })
    // Fixed: the typo goes, the problems with it, and Save comes back.
    await editor(page).fill(text({ ...changed, nodes: changed.nodes.map((node) => (node.id === 'hello' ? { ...node, next: 'intent' } : node)) }))
    await page.getByText('No problems found.').waitFor({ state: 'visible' })
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved.').waitFor({ state: 'visible' })
    const stored = (await storedSite(s)).config.chat!.flow
    expect(stored.nodes.find((node) => node.id === 'hello')?.text?.ru).toBe(greeting)
    expect(stored.nodes).toHaveLength(flow.nodes.length)

    const visitor = await env.browser().newPage({ ...DESKTOP, locale: 'ru-RU' })
    try {
      await visitor.goto(s.demo)
      await visitor.getByRole('link', { name: 'Подобрать квартиру в чате' }).click()
      await visitor.getByText(greeting).waitFor({ state: 'visible', timeout: 15_000 })
    } finally {
      await visitor.close()
    }
    expect(errors).toEqual([])
  })

  it('passes axe at 360x640 with a hot lead simulated to the end, and with problems listed', async () => {
    const s = env.stack()
    const { page, errors } = await signedInConsole(s, { width: 360, height: 640 })
    await openChatbot(page, s)
    // A hot buyer, as in the chat's own e2e test, played in the simulator to the end.
    const simulator = page.getByRole('region', { name: 'Simulator' })
    for (const answer of ['Buying', '2', 'New building', '5–10M ₽', '20–50%', 'Right now']) {
      await simulator.getByRole('button', { name: answer, exact: true }).click()
    }
    await simulator.getByLabel('Phone').fill('+7 912 555-44-33')
    await simulator.getByRole('button', { name: 'Send', exact: true }).click()
    const result = simulator.getByRole('region', { name: 'Result' })
    await result.waitFor({ state: 'visible' })
    await expect(result.getByText('Hot', { exact: true }).isVisible()).resolves.toBe(true)
    await expect(result.locator('.sim-flow-reasons').textContent()).resolves.toContain('flow.score_hot')
    await simulator.screenshot({ path: join(ARTIFACTS, 'console-chatbot-simulator-360.png') })
    await settledConsolePage(page)
    const clean = await axePage(page)
    await page.screenshot({ path: join(ARTIFACTS, 'console-chatbot-360x640.png'), fullPage: true })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

    const flow = JSON.parse(await editor(page).inputValue()) as Flow
    await editor(page).fill(text({ ...flow, nodes: [...flow.nodes, { id: 'orphan', type: 'message', text: 'x', next: 'nowhere' }] }))
    await page.getByRole('heading', { name: 'Node "orphan"' }).waitFor({ state: 'visible' })
    const broken = await axePage(page)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    expect({ clean, broken }).toEqual({ clean: [], broken: [] })
    expect(errors).toEqual([])
  })
})
