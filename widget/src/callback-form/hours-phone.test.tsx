// Tests for the callback form's working hours (fixed clock and zone), phone formatting with the
// lazily loaded phone chunk, the RU `8…` habit, the long consent text and the outbox message.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import * as v from 'valibot'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Hours } from '../../../shared/schemas/widget-settings'
import { LeadSchema } from '../../../shared/schemas/lead'
import { sendLead } from '../core/api'
import type { Fetch } from '../core/api'
import { STRINGS } from '../view/i18n'
import { ENDPOINT, TEST_COUNTRIES, acceptingFetch, phoneMetadataFor, sentBody } from '../testing'
import { CallbackForm } from './callback-form'
import type { CallbackFormProps } from './callback-form'

const en = STRINGS.en
const HOURS: Hours = {
  timezone: 'Europe/Moscow',
  week: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] },
  callWithinSeconds: 30,
}
/** Monday 2026-11-23, 10:00 and 20:00 in Moscow. */
const MONDAY_10 = new Date('2026-11-23T07:00:00Z')
const MONDAY_20 = new Date('2026-11-23T17:00:00Z')

function renderForm(fetchMock: Fetch, props: Partial<CallbackFormProps> = {}) {
  const accepted = vi.fn()
  render(<CallbackForm site="shop" strings={en} locale="en" consent={null} send={(lead) => sendLead(ENDPOINT, lead, fetchMock)} onAccepted={accepted} {...props} />)
  return { accepted }
}

const phone = () => screen.getByLabelText(en.phone) as HTMLInputElement
/** The country picker, there once the phone chunk has loaded. */
const countryPicker = async () => (await screen.findByLabelText(en.country, {}, { timeout: 5000 })) as HTMLSelectElement
const type = (value: string) => fireEvent.input(phone(), { target: { value } })
const submit = () => fireEvent.click(screen.getByRole('button', { name: en.submit }))

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('working hours', () => {
  it('promises a call within N seconds inside hours and counts down after sending', async () => {
    vi.useFakeTimers({ now: MONDAY_10, toFake: ['Date'] })
    const fetchMock = acceptingFetch('Calling you now.')
    renderForm(fetchMock, { hours: HOURS })
    expect(screen.getByText(en.callWithin(30))).toBeTruthy()
    expect(screen.queryByLabelText(en.slot)).toBeNull()
    type('+7 912 345-67-89')
    submit()
    await waitFor(() => expect(screen.getByText(en.calling('0:30'))).toBeTruthy())
    expect(sentBody(fetchMock)).not.toHaveProperty('callbackAt')
    await waitFor(() => expect(screen.getByText(en.calling('0:29'))).toBeTruthy(), {
      timeout: 2000,
    })
  })

  it('says it is closed outside hours and sends the chosen next-day slot as callbackAt', async () => {
    vi.useFakeTimers({ now: MONDAY_20, toFake: ['Date'] })
    const fetchMock = acceptingFetch()
    renderForm(fetchMock, { hours: HOURS })
    expect(screen.getByText(en.offHours)).toBeTruthy()
    expect(screen.queryByText(en.callWithin(30))).toBeNull()
    const slot = screen.getByLabelText(en.slot) as HTMLSelectElement
    // Tuesday 09:00 Moscow is the first offer.
    expect(slot.value).toBe('2026-11-24T06:00:00.000Z')
    fireEvent.change(slot, { target: { value: '2026-11-24T06:30:00.000Z' } })
    type('+7 912 345-67-89')
    submit()
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    const body = sentBody(fetchMock)
    expect(body.callbackAt).toBe('2026-11-24T06:30:00.000Z')
    expect(v.safeParse(LeadSchema, body).success).toBe(true)
    expect(screen.queryByText(/0:\d\d/)).toBeNull()
  })
})

describe('working hours with no opening ahead', () => {
  it('says it is closed, offers no slot, and still takes the number without callbackAt', async () => {
    vi.useFakeTimers({ now: MONDAY_20, toFake: ['Date'] })
    const fetchMock = acceptingFetch()
    // Closed for the holidays: no working day within the slots' horizon.
    renderForm(fetchMock, { hours: { ...HOURS, week: {} } })
    expect(screen.getByText(en.closed)).toBeTruthy()
    expect(screen.queryByText(en.callWithin(30))).toBeNull()
    expect(screen.queryByLabelText(en.slot)).toBeNull()
    type('+7 912 345-67-89')
    submit()
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock)).not.toHaveProperty('callbackAt')
    expect(screen.queryByText(/0:\d\d/)).toBeNull()
  })
})

describe('the phone field with the phone chunk', () => {
  // The chunk with the site's countries' metadata, as the worker would send it.
  const loadPhone = () =>
    import('./phone').then((lib) => {
      lib.setPhoneMetadata(phoneMetadataFor(TEST_COUNTRIES))
      return lib
    })
  beforeAll(() => loadPhone(), 30_000)

  it('formats as the visitor types and understands the RU 8 habit', async () => {
    const fetchMock = acceptingFetch()
    renderForm(fetchMock, { loadPhone, country: 'RU' })
    const country = await countryPicker()
    expect(country.value).toBe('RU')
    type('89123456789')
    expect(phone().value).toBe('8 (912) 345-67-89')
    submit()
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    // E.164, so the worker does not have to guess the country.
    expect(sentBody(fetchMock).contact).toEqual({ phone: '+79123456789' })
  })

  it('follows the picker and a typed +code', async () => {
    renderForm(vi.fn<Fetch>(), { loadPhone, country: 'RU' })
    const country = await countryPicker()
    fireEvent.change(country, { target: { value: 'US' } })
    type('2025550123')
    expect(phone().value).toBe('(202) 555-0123')
    type('+44 20 7123 4567')
    expect(country.value).toBe('GB')
  })

  it('takes the international 00 prefix: 0049… is a German number, sent as +49…', async () => {
    const fetchMock = acceptingFetch()
    renderForm(fetchMock, { loadPhone, country: 'RU' })
    const country = await countryPicker()
    type('0049301234567')
    expect(phone().value).toBe('+49 30 1234567')
    expect(country.value).toBe('DE')
    fireEvent.blur(phone())
    expect(phone().getAttribute('aria-invalid')).toBe('false')
    submit()
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock).contact).toEqual({ phone: '+49301234567' })
  })

  it('names the countries in the visitor’s language, the site’s country and likely ones first', async () => {
    renderForm(vi.fn<Fetch>(), {
      loadPhone,
      locale: 'ru',
      country: 'KZ',
      countries: ['UZ', 'RU'],
    })
    const country = await countryPicker()
    const options = Array.from(country.options).map((option) => option.textContent)
    expect(options.slice(0, 4)).toEqual(['Казахстан +7', 'Узбекистан +998', 'Россия +7', 'Австралия +61'])
    expect(country.value).toBe('KZ')
    expect(options).not.toContain('AC +247')
  })

  it('keeps the room of the blur error under the phone, so the consent box does not move', async () => {
    renderForm(vi.fn<Fetch>(), {
      loadPhone,
      country: 'RU',
      consent: { required: true, text: 'I agree.' },
    })
    await countryPicker()
    const slot = phone().parentElement?.nextElementSibling as HTMLElement
    const ghost = slot.querySelector('.ghost')
    expect(slot.className).toBe('slot')
    // Before: the room is held by an invisible copy of the very message the blur check shows.
    expect(ghost?.textContent).toBe(en.phoneInvalid)
    expect(ghost?.getAttribute('aria-hidden')).toBe('true')
    type('8 912 345')
    fireEvent.blur(phone())
    // After: the error sits in the same cell, and the element after the slot is the same one.
    const error = document.getElementById('lc-phone-error')
    expect(error?.parentElement).toBe(slot)
    expect(error?.textContent).toBe(en.phoneInvalid)
    expect(slot.querySelector('.ghost')).toBe(ghost)
  })

  it('says an impossible number is wrong before anything is sent', async () => {
    const fetchMock = vi.fn<Fetch>()
    renderForm(fetchMock, { loadPhone, country: 'RU' })
    await countryPicker()
    type('8 912 345')
    fireEvent.blur(phone())
    expect(phone().getAttribute('aria-invalid')).toBe('true')
    type('8 912 345 67 89 01')
    submit()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(document.getElementById('lc-phone-error')?.textContent).toBe(en.phoneInvalid)
  })
})

describe('the consent box', () => {
  it('shows the first line of a long legal text and expands the rest on request', () => {
    const text = `I agree to the processing of my personal data.\n${'Details of the processing. '.repeat(40)}`
    renderForm(vi.fn<Fetch>(), { consent: { required: true, text } })
    const box = screen.getByRole('checkbox', {
      name: 'I agree to the processing of my personal data.',
    }) as HTMLInputElement
    expect(box.checked).toBe(false)
    const more = screen.getByRole('button', { name: en.consentMore })
    const full = document.getElementById(more.getAttribute('aria-controls') ?? '') as HTMLElement
    expect(full.hidden).toBe(true)
    fireEvent.click(more)
    expect(full.hidden).toBe(false)
    expect(more.getAttribute('aria-expanded')).toBe('true')
    expect(full.textContent).toBe(text)
  })
})

describe('offline', () => {
  it('tells the visitor the lead is saved, not that it failed, when the outbox keeps it', async () => {
    const fetchMock = vi.fn<Fetch>(async () => {
      throw new TypeError('Failed to fetch')
    })
    const { accepted } = renderForm(fetchMock, { queues: true })
    type('+7 912 345-67-89')
    submit()
    await waitFor(() => expect(screen.getByText(en.queued)).toBeTruthy())
    expect(screen.queryByLabelText(en.phone)).toBeNull()
    // "lead" listeners hear about it once the outbox delivers it, not now.
    expect(accepted).not.toHaveBeenCalled()
  })
})
