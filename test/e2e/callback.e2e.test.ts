// End to end, on both runtimes (the Node server of `npm run serve`, and `wrangler dev`): a visitor of the demo page asks for a callback, and the lead reaches the CRM inbox exactly once, signed.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it, onTestFailed } from 'vitest'
import { RUNTIMES, delay, getJson, inboxEvents, pollUntil, tail, type InboxEvent } from './harness'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const isVerifiedLead = (event: InboxEvent) => event.verified && event.type === 'lead.created'

interface StoredLeads {
  leads: Array<{ id: string; deliveries: Array<{ targetId: string; status: string; attempts: number }> }>
}

describe.each(RUNTIMES)('on %s', (runtime) => {
  const env = useStackAndBrowser({ runtime })

  it('delivers a callback request from the demo page to the CRM inbox once, signed, with the UTM tags', async () => {
    const s = env.stack()
    const page: Page = await env.browser().newPage({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 860 } })
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text())
    })
    onTestFailed(async () => {
      await page.screenshot({ path: join(ARTIFACTS, `callback-${runtime}-failure.png`), fullPage: false }).catch(() => {})
      console.error(`Browser errors: ${JSON.stringify(pageErrors)}\nStack output:\n${tail(s.output())}`)
    })

    await page.goto(`${s.demo}?utm_source=yandex&utm_campaign=spring`)

    // The launcher lives in the widget's open shadow root; playwright's role and CSS locators pierce it.
    // Its label is the one the README tells visitors to click.
    await page.getByRole('button', { name: 'Перезвоните мне' }).click()
    // At a person's pace: the worker flags a form sent within 2 s of appearing as a bot (stored, never forwarded).
    const phone = page.locator('input[type="tel"]')
    await phone.click()
    await phone.pressSequentially('8 (912) 345-67-89', { delay: 90 })
    await page.getByRole('checkbox').check()
    await page.waitForTimeout(1000)
    await page.locator('form [type="submit"]').click()

    await page.getByText(s.reply).waitFor({ state: 'visible', timeout: 20_000 })
    await page.screenshot({ path: join(ARTIFACTS, `callback-${runtime}.png`) })

    const events = await pollUntil(
      () => inboxEvents(s),
      (list) => list.some(isVerifiedLead),
      {
        timeoutMs: 30_000,
        what: 'a verified lead.created webhook in the CRM inbox',
      },
    ).catch(async (error: Error) => {
      // Why nothing arrived is usually in what the worker stored (flagged as spam, delivery failing…).
      const stored = await getJson(new URL('api/leads', s.inbox).href).catch((e: Error) => e.message)
      throw new Error(`${error.message}\nStored leads: ${JSON.stringify(stored, null, 2)}`)
    })
    const leads = events.filter(isVerifiedLead)
    expect(leads).toHaveLength(1)
    const data = leads[0]!.payload!.data!
    expect(data.site).toBe(s.site)
    expect(data.source).toBe('callback')
    expect(data.contact.phone).toBe('+79123456789')
    expect(data.context?.utm?.source).toBe('yandex')
    expect(data.context?.utm?.campaign).toBe('spring')
    expect(data.consent?.given).toBe(true)
    expect(data.duplicate).toBe(false)
    expect(events.filter((event) => !event.verified)).toEqual([])

    // The worker records the 2xx: every delivery of the stored lead turns "delivered", except the
    // email auto-reply, "skipped" because the visitor left a phone only.
    const settled = (d: { targetId: string; status: string }) => d.status === (d.targetId === 'email-reply' ? 'skipped' : 'delivered')
    const stored = await pollUntil(
      () => getJson<StoredLeads>(new URL('api/leads', s.inbox).href),
      (body) => body.leads.some((lead) => lead.id === data.id && lead.deliveries.every(settled)),
      { timeoutMs: 15_000, what: `lead ${data.id}'s deliveries to be settled in GET /v1/admin/leads` },
    )
    const deliveries = stored.leads.find((lead) => lead.id === data.id)!.deliveries
    expect(deliveries.map((d) => d.targetId)).toContain('email-reply')
    expect(deliveries.filter((d) => d.status === 'delivered').length).toBeGreaterThan(0)

    // A late redelivery or a second lead would show up within a few seconds (queue batches wait 1 s).
    await delay(4000)
    const later = await inboxEvents(s)
    expect(later.filter(isVerifiedLead)).toHaveLength(1)
    expect(later.filter(isVerifiedLead)[0]!.payload!.data!.id).toBe(data.id)
    expect(pageErrors).toEqual([])

    const inboxPage = await env.browser().newPage({ viewport: { width: 1280, height: 900 } })
    await inboxPage.goto(s.inbox)
    await inboxPage.getByText('+79123456789').first().waitFor({ state: 'visible', timeout: 10_000 })
    await inboxPage.screenshot({ path: join(ARTIFACTS, `crm-inbox-${runtime}.png`), fullPage: true })
  })

  // Many at once, each a real request of its own: on Node they share commits (the driver's group
  // commit), on the Worker they race for D1; each must still get its own lead's answer.
  it('answers leads that arrive at once each with its own, a retry as its replay, a shared phone as a repeat', async () => {
    const s = env.stack()
    const site = `burst-${runtime}`
    const rateLimits = { perPhonePerHour: 1000, perIpPer10Minutes: 100000, perSitePerMinute: 100000 }
    const put = await fetch(new URL(`v1/admin/sites/${site}`, s.worker), {
      method: 'PUT',
      headers: { Authorization: `Bearer ${s.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ origins: [], country: 'RU', locale: 'ru', rateLimits, targets: [] }),
    })
    expect(put.status).toBeLessThan(300)
    const lead = (i: number, id: string = crypto.randomUUID()) => ({ id, site, source: 'callback', contact: { phone: `+7912555${String(i).padStart(4, '0')}` }, elapsedMs: 5000 })
    const bodies = Array.from({ length: 24 }, (_, i) => lead(i))
    bodies.push(bodies[5]!, lead(11))
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const response = await fetch(new URL('v1/leads', s.worker), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
        return { status: response.status, body: (await response.json()) as { id: string; duplicate: boolean } }
      }),
    )
    expect(answers.map((a) => a.body.id)).toEqual(bodies.map((b) => b.id))
    expect(answers.filter((a) => a.status === 200).map((a) => a.body.id)).toEqual([bodies[5]!.id])
    expect(answers.filter((a) => a.status === 201)).toHaveLength(25)
    // Whichever reached the database first is the original; the other is its repeat.
    expect([answers[11]!.body.duplicate, answers[25]!.body.duplicate].sort()).toEqual([false, true])
    const listed = await fetch(new URL(`v1/admin/leads?site=${site}&limit=100`, s.worker), { headers: { Authorization: `Bearer ${s.adminToken}` } })
    const { leads } = (await listed.json()) as { leads: Array<{ id: string }> }
    expect(leads.map((l) => l.id).sort()).toEqual([...new Set(bodies.map((b) => b.id))].sort())
  })
})
