// POST /v1/leads through the real worker and D1: the instant reply by working hours and by what the
// lead asked for, and visitor-facing texts in the language the visitor saw (`locale`).
// The worker reads the real clock, so schedules are built around it: open all week, closed all
// week, or open only on the day three days from now.
import { beforeAll, describe, expect, it } from 'vitest'
import type { LeadInput } from '../../shared/schemas/lead'
import { postLead, putSite, randomMobile, siteConfig, uniqueSite, validLead, clearOfWindowEdge } from './helpers'

const ALL_DAY = [['00:00', '24:00']] as [string, string][]
const EVERY_DAY = { sun: ALL_DAY, mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY }
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const
/** In three days the weekday is named even if the UTC date turns while the test runs (2 or 3 days ahead). */
const OPEN_DAY = new Date(Date.now() + 3 * 86_400_000).getUTCDay()

const openSite = uniqueSite('reply-open')
const closedSite = uniqueSite('reply-closed')
const laterSite = uniqueSite('reply-later')
const russianSite = uniqueSite('reply-ru')
const ownTextsSite = uniqueSite('reply-own')

/** English defaults (no reply texts, no consent), the visitor's language not stated. */
const englishSite = (overrides: Parameters<typeof siteConfig>[0]) => siteConfig({ locale: 'en', consent: undefined, reply: undefined, ...overrides })

beforeAll(async () => {
  await putSite(openSite, englishSite({ hours: { timezone: 'Europe/Moscow', week: EVERY_DAY, callWithinSeconds: 20 } }))
  await putSite(closedSite, englishSite({ hours: { timezone: 'Europe/Moscow', week: {}, callWithinSeconds: 20 } }))
  await putSite(laterSite, englishSite({ hours: { timezone: 'UTC', week: { [DAY_KEYS[OPEN_DAY]!]: [['09:00', '18:00']] }, callWithinSeconds: 20 } }))
  // Russian, consent required, no reply text of its own, one lead per phone an hour.
  await putSite(russianSite, siteConfig({ reply: undefined, rateLimits: { perPhonePerHour: 1 } }))
  await putSite(ownTextsSite, siteConfig({ consent: undefined, reply: { text: 'Перезвоним через минуту.', exitIntent: 'Скидка ваша!' } }))
})

async function replyTo(lead: LeadInput): Promise<string> {
  const response = await postLead(lead)
  expect(response.status).toBe(201)
  return ((await response.json()) as { reply: { text: string } }).reply.text
}

async function errorOf(response: Response): Promise<{ code: string; message: string; issues?: { path: string; message: string }[] }> {
  return ((await response.json()) as { error: { code: string; message: string; issues?: { path: string; message: string }[] } }).error
}

describe('the instant reply', () => {
  it('promises a lead without a phone an answer by email, never a call, on screen and in the stored reply', async () => {
    const email = () => ({ email: `r${crypto.randomUUID().slice(0, 8)}@mail.ru` })
    expect(await replyTo(validLead(ownTextsSite, { source: 'form', contact: email(), consent: undefined }))).toBe('Спасибо! Заявка принята, скоро ответим вам по e-mail.')
    expect(await replyTo(validLead(closedSite, { source: 'callback', contact: email(), consent: undefined }))).toBe(
      'Thank you! We have your request. We are closed right now and will answer you by email as soon as we open.',
    )
    // The exit offer's own text has no call in it: it stays. With a phone the call-back text stays too.
    expect(await replyTo(validLead(ownTextsSite, { source: 'exit_intent', contact: email(), consent: undefined }))).toBe('Скидка ваша!')
    expect(await replyTo(validLead(ownTextsSite, { source: 'form', contact: { phone: randomMobile(), ...email() }, consent: undefined }))).toBe('Перезвоним через минуту.')
  })

  it('promises in hours the widget’s own "within N seconds"', async () => {
    expect(await replyTo(validLead(openSite, { consent: undefined }))).toBe('Thank you! We will call you back within 20 seconds.')
  })

  it('off hours with a chosen callback time promises that time', async () => {
    const lead = validLead(closedSite, { consent: undefined, callbackAt: new Date(Date.now() + 86_400_000).toISOString() })
    expect(await replyTo(lead)).toBe('Thank you! We are closed right now and will call you back at the time you chose.')
  })

  it('off hours without a callback time says we are closed, never "at the time you chose"', async () => {
    const text = await replyTo(validLead(closedSite, { consent: undefined }))
    expect(text).toBe('Thank you! We are closed right now and will call you back as soon as we open.')
  })

  it('off hours names the next opening in the site’s time and offset', async () => {
    const text = await replyTo(validLead(laterSite, { consent: undefined }))
    expect(text).toBe(`Thank you! We are closed right now and will call you back when we open, on ${DAY_NAMES[OPEN_DAY]} at 09:00 (UTC).`)
  })

  it('answers an exit-offer lead about the offer, in hours and off hours', async () => {
    const exit = (site: string) => validLead(site, { source: 'exit_intent', consent: undefined, contact: { email: 'anna@mail.ru' } })
    expect(await replyTo(exit(openSite))).toBe('Thank you! We have your request for the offer and will get in touch shortly.')
    expect(await replyTo(exit(closedSite))).toBe('Thank you! We have your request for the offer. We are closed right now and will get in touch as soon as we open.')
  })
})

describe('the visitor’s locale', () => {
  it('answers in English on a Russian site when the visitor saw the widget in English', async () => {
    expect(await replyTo(validLead(russianSite, { locale: 'en' }))).toBe('Thank you! We will call you back shortly.')
    // The site's own language without `locale`, so the English above came from it.
    expect(await replyTo(validLead(russianSite))).toBe('Спасибо! Мы скоро перезвоним.')
  })

  it('keeps the site’s own reply texts as written, whatever the visitor’s locale', async () => {
    expect(await replyTo(validLead(ownTextsSite, { locale: 'en' }))).toBe('Перезвоним через минуту.')
    const exit = validLead(ownTextsSite, { source: 'exit_intent', locale: 'en', contact: { email: 'anna@mail.ru' } })
    expect(await replyTo(exit)).toBe('Скидка ваша!')
    // No chat text of its own: the default, in the visitor's language.
    const chat = validLead(ownTextsSite, { source: 'chat', locale: 'en', contact: { email: 'ivan@mail.ru' } })
    expect(await replyTo(chat)).toBe('Thank you! We have your answers and will get in touch shortly.')
  })

  it('gives English 400 messages on a Russian site, in the error and in its issues', async () => {
    const cases = [
      [{ contact: { phone: '12345' } }, 'invalid_phone', 'This phone number does not look right. Please check it.'],
      [{ contact: { name: 'Anna' } }, 'contact_required', 'Please leave a phone number or an email address.'],
      [{ consent: undefined }, 'consent_required', 'Please confirm that you agree to the processing of your data.'],
    ] as const
    for (const [overrides, code, message] of cases) {
      const english = await postLead(validLead(russianSite, { ...overrides, locale: 'en' }))
      expect(english.status).toBe(400)
      const error = await errorOf(english)
      expect(error).toMatchObject({ code, message })
      expect(error.issues?.[0]?.message).toBe(message)
      const russian = await errorOf(await postLead(validLead(russianSite, overrides)))
      expect(russian.code).toBe(code)
      expect(russian.message).not.toBe(message)
    }
  })

  it('gives the English 429 message on a Russian site', async () => {
    await clearOfWindowEdge()
    const phone = randomMobile()
    expect((await postLead(validLead(russianSite, { contact: { phone }, locale: 'en' }))).status).toBe(201)
    const limited = await postLead(validLead(russianSite, { contact: { phone }, locale: 'en' }))
    expect(limited.status).toBe(429)
    expect(await errorOf(limited)).toMatchObject({ code: 'rate_limited', message: 'Too many requests. Please try again in a minute.' })
    // clearOfWindowEdge may wait up to 5 s first: more than vitest's default timeout.
  }, 15_000)

  it('takes a lead with a locale it has no texts for (a newer widget) and answers in the site’s language', async () => {
    const response = await postLead({ ...validLead(russianSite), locale: 'de' })
    expect(response.status).toBe(201)
    const body = (await response.json()) as { reply: { text: string } }
    expect(body.reply.text).toMatch(/[а-я]/)
  })
})
