// End to end: a lead sent while the worker cannot be reached waits in the outbox and arrives exactly
// once later (next page load, or the browser coming back online); the exit-intent offer appears
// after the minimum time on the page, once per page view, and its form leaves an exit_intent lead.
// Everything runs on both runtimes: the Node server of `npm run serve`, and `wrangler dev`.
// The page's clock is Playwright's (it runs on its own; the tests jump it over the waits the
// widget makes by design: the spam rules' pause, the outbox's first backoff, the exit offer's
// minimum time on the page), so none of them is waited out in real time.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { RUNTIMES, delay, pollUntil } from './harness'
import { HUMAN_PAUSE_MS, axeWidget, leadsFor, openPage, storedLeads, typeSlowly } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

// Visitor-facing texts of the demo site (scripts/start.mjs) and the widget's Russian strings.
const LAUNCHER = 'Перезвоните мне'
const SUBMIT = 'Жду звонка'
const QUEUED = 'Заявка сохранена: отправим её, как только появится интернет.'
const OFFER_TITLE = 'Подождите! Подборка со скидкой'
const OFFER_BUTTON = 'Получить подборку'
const MIN_SECONDS_ON_PAGE = 5
/** widget/src/core/outbox.ts backoffMs(1): the wait after the first failed attempt. */
const FIRST_BACKOFF_MS = 5000
/** widget/src/core/outbox.ts OUTBOX_KEY: the outbox survives the page in localStorage. */
const OUTBOX_KEY = 'leadcatcher:outbox'
/** A late second delivery (queue batches wait 1 s, beacons race the reload) would show up by then. */
const SETTLE_MS = 4000

interface OutboxEntry {
  lead: { id: string; source: string }
  attempts: number
}

const readOutbox = (page: Page): Promise<OutboxEntry[]> => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]') as OutboxEntry[], OUTBOX_KEY)

/** Fills the demo site's callback form like a person, up to (not including) the submit. */
async function fillCallback(page: Page, phone: string) {
  await page.getByRole('button', { name: LAUNCHER }).click()
  await typeSlowly(page, page.getByRole('textbox', { name: 'Телефон', exact: true }), phone)
  await page.getByRole('checkbox', { name: /Я даю согласие/ }).check()
  // The spam rules' minimum time on the form, on the page's clock.
  await page.clock.fastForward(HUMAN_PAUSE_MS)
}

/** The pointer goes up and out through the top edge of the window, as to the tab bar. */
async function leaveThroughTop(page: Page) {
  await page.mouse.move(640, 420)
  await page.mouse.move(640, 200, { steps: 4 })
  await page.mouse.move(640, -20, { steps: 4 })
}

/** How long the page has been open, as the widget counts time on the page (`performance.timeOrigin`). */
const timeOnPage = (page: Page): Promise<number> => page.evaluate(() => Date.now() - performance.timeOrigin)

/** Stops the page's clock a moment from now (pauseAt refuses a time the running clock has passed). */
async function pauseClock(page: Page) {
  for (let tries = 1; ; tries++) {
    try {
      return await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 200)
    } catch (error) {
      if (tries === 3) throw error
    }
  }
}

/**
 * Stops the page's clock where it is, leaves through the top a few times (each must be ignored
 * while under the minimum time), jumps to just under the minimum and leaves again (ignored too),
 * then to just past it, lets the clock run again and leaves once more. Returns how many exits
 * were ignored and when, on the page's clock, the offer showed (null: it never did).
 */
async function exitAcrossMinimumTime(page: Page): Promise<{ ignored: number; shownAfterMs: number | null }> {
  const offer = page.getByRole('dialog', { name: OFFER_TITLE })
  const minimumMs = MIN_SECONDS_ON_PAGE * 1000
  await pauseClock(page)
  let ignored = 0
  for (let i = 0; i < 4; i++) {
    await leaveThroughTop(page)
    expect(await offer.isVisible(), `the offer after ${await timeOnPage(page)} ms on the page`).toBe(false)
    ignored += 1
  }
  const early = await timeOnPage(page)
  expect(early, 'the early exits came after the minimum time').toBeLessThan(minimumMs - 300)
  await page.clock.fastForward(minimumMs - 300 - early)
  await leaveThroughTop(page)
  expect(await offer.isVisible(), `the offer after ${await timeOnPage(page)} ms on the page`).toBe(false)
  ignored += 1
  await page.clock.fastForward(600)
  await page.clock.resume()
  await leaveThroughTop(page)
  try {
    await offer.waitFor({ state: 'visible', timeout: 5000 })
  } catch {
    return { ignored, shownAfterMs: null }
  }
  return { ignored, shownAfterMs: await timeOnPage(page) }
}

/**
 * Opens the demo page and resolves once exit intent is armed. The widget arms it right after the
 * exit offer's chunk has been evaluated (widget/src/core/mount.tsx), in the same run of
 * microtasks; importing that chunk again from the page resolves on the same evaluation, after the
 * widget's own import, so no pointer event can come between. (Waiting for app.js alone left the
 * arming to a race with the first exits under load.)
 */
async function gotoDemo(page: Page, url: string, workerOrigin: string): Promise<void> {
  const chunk = page.waitForRequest((request) => request.url().startsWith(`${workerOrigin}/chunks/exit-offer-`), { timeout: 20_000 })
  await page.goto(url)
  const chunkUrl = (await chunk).url()
  // A string, not a function: vitest would rewrite a function's import() into its own loader.
  await page.evaluate(`import(${JSON.stringify(chunkUrl)}).then(() => true)`)
}

describe.each(RUNTIMES)('on %s', (runtime) => {
  const env = useStackAndBrowser({ runtime })

  describe('outbox', () => {
    it('keeps a lead sent while the worker is unreachable and delivers it once on the next page load', async () => {
      const s = env.stack()
      const { page, errors } = await openPage(env.browser(), s, `offline-reload-${runtime}`)
      await page.clock.install()
      await page.goto(s.demo)
      await fillCallback(page, '8 (912) 111-22-33')

      // The worker's origin goes away right at the submit, as on a train going into a tunnel.
      const blocked = `${s.worker}/**`
      await page.route(blocked, (route) => route.abort('internetdisconnected'))
      await page.getByRole('button', { name: SUBMIT }).click()
      await page.getByText(QUEUED).waitFor({ state: 'visible', timeout: 10_000 })
      await page.screenshot({ path: join(ARTIFACTS, `offline-saved-${runtime}.png`) })

      const waiting = await readOutbox(page)
      expect(waiting).toHaveLength(1)
      const id = waiting[0]!.lead.id
      expect(await leadsFor(s, { phone: '+79121112233' })).toEqual([])

      await page.unroute(blocked)
      // The reload sends it twice on purpose: a beacon at pagehide and the outbox flush on load.
      await page.reload()
      const leads = await pollUntil(
        () => leadsFor(s, { phone: '+79121112233' }),
        (list) => list.length > 0,
        {
          timeoutMs: 30_000,
          what: 'the saved lead in the CRM inbox after the reload',
        },
      )
      expect(leads[0]!.id).toBe(id)
      expect(leads[0]!.source).toBe('callback')
      await pollUntil(
        () => readOutbox(page),
        (entries) => entries.length === 0,
        { what: 'an empty outbox' },
      )

      await delay(SETTLE_MS)
      expect(await leadsFor(s, { phone: '+79121112233' })).toHaveLength(1)
      const stored = (await storedLeads(s)).filter((lead) => lead.contact?.phone === '+79121112233')
      expect(stored.map((lead) => lead.id)).toEqual([id])
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([])
    })

    it('retries with backoff while offline and sends at once when the browser is back online', async () => {
      const s = env.stack()
      const { page, errors } = await openPage(env.browser(), s, `offline-online-${runtime}`)
      await page.clock.install()
      await page.goto(s.demo)
      await fillCallback(page, '8 (912) 444-55-66')

      await page.context().setOffline(true)
      await page.getByRole('button', { name: SUBMIT }).click()
      await page.getByText(QUEUED).waitFor({ state: 'visible', timeout: 10_000 })
      await pollUntil(
        () => readOutbox(page),
        (entries) => (entries[0]?.attempts ?? 0) >= 1,
        { what: 'a first failed attempt in the outbox' },
      )
      expect((await readOutbox(page))[0]!.attempts).toBe(1)
      // The first backoff (5 s) passes on the page's clock and the retry fails too; the next one is 10 s away.
      await page.clock.fastForward(FIRST_BACKOFF_MS)
      const retried = await pollUntil(
        () => readOutbox(page),
        (entries) => (entries[0]?.attempts ?? 0) >= 2,
        {
          timeoutMs: 5000,
          what: 'a second failed attempt in the outbox',
        },
      )
      expect(retried).toHaveLength(1)
      expect(await leadsFor(s, { phone: '+79124445566' })).toEqual([])

      const backOnline = Date.now()
      await page.context().setOffline(false)
      const leads = await pollUntil(
        () => leadsFor(s, { phone: '+79124445566' }),
        (list) => list.length > 0,
        {
          timeoutMs: 30_000,
          what: 'the saved lead in the CRM inbox once online',
        },
      )
      // Well before the 10 s backoff (the page's clock runs at the real pace again): the `online` event sent it.
      expect(Date.now() - backOnline).toBeLessThan(8000)
      expect(leads[0]!.id).toBe(retried[0]!.lead.id)
      await delay(SETTLE_MS)
      expect(await leadsFor(s, { phone: '+79124445566' })).toHaveLength(1)
      expect(await readOutbox(page)).toEqual([])
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([])
    })
  })

  describe('exit intent', () => {
    it('shows the offer only after the minimum time on the page, and once per page view', async () => {
      const s = env.stack()
      const { page, errors } = await openPage(env.browser(), s, `exit-intent-${runtime}`)
      await page.clock.install()
      await gotoDemo(page, s.demo, s.worker)

      const first = await exitAcrossMinimumTime(page)
      expect(first.shownAfterMs, 'the offer never appeared').not.toBeNull()
      // Exits before the minimum time were ignored, not just absent.
      expect(first.ignored).toBeGreaterThan(3)
      expect(first.shownAfterMs).toBeGreaterThanOrEqual(MIN_SECONDS_ON_PAGE * 1000)
      const offer = page.getByRole('dialog', { name: OFFER_TITLE })
      await expect.poll(() => offer.count()).toBe(1)
      await page.screenshot({ path: join(ARTIFACTS, `exit-offer-${runtime}.png`) })

      await offer.getByRole('button', { name: 'Нет, спасибо' }).click()
      await offer.waitFor({ state: 'hidden' })
      for (let i = 0; i < 3; i++) {
        await leaveThroughTop(page)
        // Showing is synchronous on mouseout; give a render a moment to prove nothing comes.
        await delay(300)
        expect(await offer.isVisible()).toBe(false)
      }

      // A new page view inside capPerDays (1 day) keeps quiet too: one interruption per day.
      // (Playwright's clock keeps the first view's origin, so this view's time on the page is
      // already past the minimum; it is made sure of, and only the daily cap can hold it back.)
      await gotoDemo(page, s.demo, s.worker)
      await page.clock.fastForward(Math.max(0, MIN_SECONDS_ON_PAGE * 1000 + 500 - (await timeOnPage(page))))
      expect(await timeOnPage(page)).toBeGreaterThan(MIN_SECONDS_ON_PAGE * 1000)
      for (let i = 0; i < 3; i++) {
        await leaveThroughTop(page)
        await delay(300)
        expect(await offer.isVisible()).toBe(false)
      }
      expect(errors).toEqual([])
    })

    it('turns the offer form into one exit_intent lead', async () => {
      const s = env.stack()
      const { page, errors } = await openPage(env.browser(), s, `exit-offer-submit-${runtime}`)
      await page.clock.install()
      await gotoDemo(page, `${s.demo}?utm_source=exit-test`, s.worker)
      const shown = await exitAcrossMinimumTime(page)
      expect(shown.shownAfterMs, 'the offer never appeared').not.toBeNull()

      const offer = page.getByRole('dialog', { name: OFFER_TITLE })
      // The offer under axe too: its own title, text, field, consent and two buttons.
      const axe = await axeWidget(page)
      expect(axe.serious).toEqual([])
      expect(axe.shadowPasses).toBeGreaterThan(5)
      await typeSlowly(page, offer.getByRole('textbox', { name: 'Телефон или e-mail' }), 'anna.petrova@mail.ru')
      await offer.getByRole('checkbox').check()
      await page.clock.fastForward(HUMAN_PAUSE_MS)
      await offer.getByRole('button', { name: OFFER_BUTTON }).click()
      await page.getByText(s.exitReply).waitFor({ state: 'visible', timeout: 20_000 })

      const leads = await pollUntil(
        () => leadsFor(s, { email: 'anna.petrova@mail.ru' }),
        (list) => list.length > 0,
        {
          timeoutMs: 30_000,
          what: 'the exit_intent lead in the CRM inbox',
        },
      )
      await delay(SETTLE_MS)
      expect(await leadsFor(s, { email: 'anna.petrova@mail.ru' })).toHaveLength(1)
      expect(leads[0]!.source).toBe('exit_intent')
      expect(leads[0]!.consent?.given).toBe(true)
      expect(leads[0]!.context?.utm?.source).toBe('exit-test')
      expect(errors).toEqual([])
    })
  })
})
