// End to end, on both runtimes (the Node server and `wrangler dev`): a callback on the auto-dial
// demo page makes the fake telephony provider of `npm start` ring the manager; the manager answers
// there, the widget says "calling you", the visitor answers, the widget says "connected", and the
// lead's call timeline shows every step, through the API and on the console's lead card.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it, onTestFailed } from 'vitest'
import { RUNTIMES, adminRequest, getJson, pollUntil, tail } from './harness'
import { ARTIFACTS, useStackAndBrowser } from './suite'

interface FakeCall {
  commandId: string
  extension: string
  visitor: string
  manager: string
  visitorLeg: string
}

interface CallTimeline {
  calls: { state: string; legs: { managerId: string }[]; events: { kind: string }[] }[]
}

describe.each(RUNTIMES)('auto-dial on %s', (runtime) => {
  // Each leg waits for this test to answer or miss it.
  const env = useStackAndBrowser({ runtime, env: { LEADCATCHER_FAKE_TELEPHONY: 'manual' } })

  it('rings the manager through the fake provider and the widget follows the real call', async () => {
    const s = env.stack()
    const page: Page = await env.browser().newPage({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 860 } })
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    onTestFailed(async () => {
      await page.screenshot({ path: join(ARTIFACTS, `auto-dial-${runtime}-failure.png`) }).catch(() => {})
      console.error(`Browser errors: ${JSON.stringify(pageErrors)}\nStack output:\n${tail(s.output())}`)
    })
    const calls = () => getJson<{ calls: FakeCall[] }>(new URL('api/calls', s.inbox).href).then((b) => b.calls)
    const control = async (commandId: string, leg: 'manager' | 'visitor', action: 'answer' | 'miss') => {
      const response = await fetch(new URL(`telephony/calls/${encodeURIComponent(commandId)}/${leg}`, s.inbox), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ action }),
      })
      expect(response.status).toBe(200)
    }

    await page.goto(new URL('auto-dial.html', s.demo).href)
    await page.getByRole('button', { name: 'Перезвоните мне' }).click()
    const phone = page.locator('input[type="tel"]')
    await phone.click()
    // A number of its own: the dial caps keep a number from being rung twice in 30 minutes.
    const digits = String(Math.floor(Math.random() * 1e7)).padStart(7, '0')
    await phone.pressSequentially(`8 (913) ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`, { delay: 60 })
    await page.getByRole('checkbox').check()
    await page.waitForTimeout(1000)
    await page.locator('form [type="submit"]').click()
    await page.getByText(s.reply).waitFor({ state: 'visible', timeout: 20_000 })

    // The routed manager's extension rings at the provider within seconds of the 201.
    const [call] = await pollUntil(calls, (list) => list.some((c) => c.visitor === `7913${digits}`), { timeoutMs: 10_000, what: 'a call at the fake provider' })
    expect(call).toMatchObject({ visitor: `7913${digits}`, manager: 'ringing', visitorLeg: 'waiting' })
    expect(['101', '102']).toContain(call!.extension)

    await control(call!.commandId, 'manager', 'answer')
    await page.getByText('Менеджер на линии: звоним вам, ответьте на звонок.').waitFor({ state: 'visible', timeout: 20_000 })
    await page.screenshot({ path: join(ARTIFACTS, `auto-dial-${runtime}-calling-you.png`) })
    await control(call!.commandId, 'visitor', 'answer')
    await page.getByText('Вы на связи с менеджером.').waitFor({ state: 'visible', timeout: 20_000 })

    const leads = await adminRequest<{ leads: { id: string; contact: { phone?: string } }[] }>(s, 'GET', '/v1/admin/leads?site=auto-dial&limit=20')
    const lead = leads.body.leads.find((l) => l.contact.phone === `+7913${digits}`)
    expect(lead).toBeDefined()
    const timeline = await adminRequest<CallTimeline>(s, 'GET', `/v1/admin/leads/${lead!.id}/calls`)
    expect(timeline.body.calls[0]!.state).toBe('connected')
    expect(timeline.body.calls[0]!.events.map((e) => e.kind)).toEqual(['started', 'ringing_manager', 'manager_answered', 'visitor_answered', 'connected'])
    expect(pageErrors).toEqual([])

    // The console's lead card shows the same call, step by step, in the console's language.
    const manager = call!.extension === '101' ? 'olga' : 'pavel'
    const context = await env.browser().newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } })
    try {
      const consolePage = await context.newPage()
      await consolePage.goto(new URL('/console/', s.worker).href)
      await consolePage.locator('#token').fill(s.adminToken)
      await consolePage.getByRole('button', { name: 'Sign in' }).click()
      await consolePage.getByRole('heading', { level: 1, name: 'Leads' }).waitFor({ state: 'visible', timeout: 10_000 })
      await consolePage.goto(new URL(`/console/#/leads/${lead!.id}?site=auto-dial`, s.worker).href)
      const section = consolePage.getByRole('region', { name: 'Calls' })
      await section.waitFor({ state: 'visible', timeout: 10_000 })
      await expect(section.getByRole('heading', { level: 3 }).textContent()).resolves.toBe('Call 1 connected')
      const steps = (await section.locator('.call-event > p:first-child strong').allTextContents()).map((text) => text.trim())
      // As scripts/start.mjs seeds the auto-dial site: olga on 101, pavel on 102.
      const name = { olga: 'Ольга', pavel: 'Павел' }[manager]
      expect(steps).toEqual(['Auto-dial started', `Ringing ${name}`, `${name} answered`, 'The visitor answered', 'Connected: the manager and the visitor are talking'])
      await consolePage.screenshot({ path: join(ARTIFACTS, `auto-dial-${runtime}-console-timeline.png`), fullPage: true })
    } finally {
      await context.close()
    }
  })
})
