// Tests for the callback form as a visitor uses it, through the real sendLead and a stubbed fetch.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { useState } from 'preact/hooks'
import * as v from 'valibot'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LeadInput } from '../../../shared/schemas/lead'
import { LeadSchema } from '../../../shared/schemas/lead'
import type { PublicSiteConfig } from '../../../shared/schemas/site-config'
import { sendLead } from '../core/api'
import type { Fetch } from '../core/api'
import { App } from '../view/app'
import type { Panel } from '../core/panels'
import { STRINGS } from '../view/i18n'
import { CONSENT_TEXT, ENDPOINT, accepted, acceptingFetch, jsonResponse, sentBody, siteConfig } from '../testing'

const en = STRINGS.en
const PHONE = '+7 912 345-67-89'

/** The widget's view with the panel already open, as after a click on the launcher. */
function renderWidget(fetchMock: Fetch, config: PublicSiteConfig = siteConfig()) {
  const leads: LeadInput[] = []
  function Harness() {
    const [panel, setPanel] = useState<Panel | null>('callback')
    return (
      <App
        site="shop"
        locale={config.locale}
        strings={STRINGS[config.locale]}
        config={config}
        panel={panel}
        onOpen={setPanel}
        onClose={() => setPanel(null)}
        send={(lead) => sendLead(ENDPOINT, lead, fetchMock)}
        onLead={(lead) => leads.push(lead)}
      />
    )
  }
  render(<Harness />)
  return { leads }
}

function fillPhone(value = PHONE) {
  fireEvent.input(screen.getByLabelText(en.phone), { target: { value } })
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: en.submit }))
const liveRegion = () => document.querySelector('[aria-live="polite"]')

beforeEach(() => {
  history.replaceState(null, '', '/sofas?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&yclid=777')
})

afterEach(() => {
  cleanup()
  history.replaceState(null, '', '/')
})

describe('the callback form', () => {
  it('shows a labelled phone field, an optional name and no consent box by default', () => {
    renderWidget(vi.fn<Fetch>())
    const dialog = screen.getByRole('dialog', { name: en.title })
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    const phone = screen.getByLabelText(en.phone)
    expect(phone.getAttribute('type')).toBe('tel')
    expect(phone.hasAttribute('required')).toBe(true)
    expect(document.activeElement).toBe(phone)
    expect(screen.getByLabelText(en.name).hasAttribute('required')).toBe(false)
    expect(screen.queryByRole('checkbox')).toBeNull()
    expect(liveRegion()?.textContent).toBe('')
  })

  it('shows an unticked consent box labelled with the site’s text when consent is needed', () => {
    renderWidget(vi.fn<Fetch>(), siteConfig({ consent: { required: true, text: CONSENT_TEXT } }))
    const box = screen.getByRole('checkbox', { name: CONSENT_TEXT }) as HTMLInputElement
    expect(box.checked).toBe(false)
  })

  it('renders config text as text, never as markup', () => {
    const text = '<img src=x onerror="alert(1)"> I agree'
    renderWidget(vi.fn<Fetch>(), siteConfig({ consent: { required: true, text } }))
    expect(screen.getByText(text).tagName).toBe('LABEL')
    expect(document.querySelector('img')).toBeNull()
  })

  it('speaks Russian when the locale is ru', () => {
    renderWidget(vi.fn<Fetch>(), siteConfig({ locale: 'ru' }))
    expect(screen.getByRole('button', { name: 'Перезвоните мне' })).toBeTruthy()
    expect(screen.getByLabelText('Телефон')).toBeTruthy()
  })

  it('does not send without a phone and says so next to the field', () => {
    const fetchMock = vi.fn<Fetch>()
    renderWidget(fetchMock)
    fillPhone('12')
    submit()
    const phone = screen.getByLabelText(en.phone)
    expect(fetchMock).not.toHaveBeenCalled()
    expect(phone.getAttribute('aria-invalid')).toBe('true')
    const hint = document.getElementById(phone.getAttribute('aria-describedby') ?? '')
    expect(hint?.textContent).toBe(en.phoneInvalid)
  })

  it('does not send until the required consent box is ticked', async () => {
    const fetchMock = acceptingFetch()
    renderWidget(fetchMock, siteConfig({ consent: { required: true, text: CONSENT_TEXT } }))
    fillPhone()
    submit()
    expect(fetchMock).not.toHaveBeenCalled()
    const box = screen.getByRole('checkbox')
    expect(box.getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(box)
    fireEvent.click(box)
    submit()
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock).consent).toEqual({ given: true, text: CONSENT_TEXT })
  })

  it('posts a body the shared LeadSchema accepts, with attribution from the page URL', async () => {
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://yandex.ru/')
    const fetchMock = acceptingFetch()
    renderWidget(fetchMock)
    fillPhone()
    fireEvent.input(screen.getByLabelText(en.name), { target: { value: 'Anna' } })
    submit()
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))

    expect(fetchMock.mock.calls[0]?.[0]).toBe(`${ENDPOINT}/v1/leads`)
    const body = sentBody(fetchMock)
    const parsed = v.safeParse(LeadSchema, body)
    expect(parsed.success).toBe(true)
    expect(body).toMatchObject({
      site: 'shop',
      source: 'callback',
      contact: { phone: PHONE, name: 'Anna' },
      hp: '',
      context: {
        page: `${location.origin}/sofas?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&yclid=777`,
        referrer: 'https://yandex.ru/',
        utm: { source: 'yandex', medium: 'cpc', campaign: 'spring' },
        clickIds: { yclid: '777' },
        locale: navigator.language,
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      },
    })
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(body).not.toHaveProperty('consent')
    expect(body.elapsedMs).toEqual(expect.any(Number))
    expect(body.elapsedMs).toBeGreaterThanOrEqual(0)
    vi.restoreAllMocks()
  })

  it('counts elapsedMs from the moment the form was shown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      const fetchMock = acceptingFetch()
      renderWidget(fetchMock)
      vi.advanceTimersByTime(7250)
      fillPhone()
      submit()
      await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
      expect(sentBody(fetchMock).elapsedMs).toBe(7250)
    } finally {
      vi.useRealTimers()
    }
  })

  it('sends what a bot typed into the hidden honeypot, which people cannot reach', async () => {
    const fetchMock = acceptingFetch()
    renderWidget(fetchMock)
    const honeypot = document.querySelector<HTMLInputElement>('input[name="website"]')
    expect(honeypot?.tabIndex).toBe(-1)
    expect(honeypot?.getAttribute('autocomplete')).toBe('off')
    expect(honeypot?.closest('[aria-hidden="true"]')).not.toBeNull()
    fillPhone()
    fireEvent.input(honeypot as HTMLInputElement, { target: { value: 'https://spam.example' } })
    submit()
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock).hp).toBe('https://spam.example')
  })

  it('shows the reply in the live region and tells "lead" listeners', async () => {
    const fetchMock = acceptingFetch('We will call you within 15 minutes.')
    const { leads } = renderWidget(fetchMock)
    fillPhone()
    submit()
    await waitFor(() => expect(liveRegion()?.textContent).toBe('We will call you within 15 minutes.'))
    expect(screen.queryByLabelText(en.phone)).toBeNull()
    expect(document.activeElement).toBe(liveRegion())
    expect(leads.map((lead) => lead.id)).toEqual([sentBody(fetchMock).id])
  })

  it('sends once however often the button is pressed while sending', async () => {
    let answer: (response: Response) => void = () => {}
    const fetchMock = vi.fn<Fetch>(() => new Promise<Response>((resolve) => (answer = resolve)))
    renderWidget(fetchMock)
    fillPhone()
    const button = screen.getByRole('button', { name: en.submit }) as HTMLButtonElement
    // A double click lands before the re-render that disables the button.
    fireEvent.click(button)
    fireEvent.click(button)
    await waitFor(() => expect(button.disabled).toBe(true))
    expect(button.textContent).toBe(en.sending)
    // Enter in a field submits the form even while the button is disabled.
    fireEvent.submit(document.querySelector('form') as HTMLFormElement)
    answer(accepted(String(sentBody(fetchMock).id)))
    await waitFor(() => expect(liveRegion()?.textContent).not.toBe(''))
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('keeps the same id (and body) when the visitor retries after a network failure', async () => {
    const fetchMock = acceptingFetch().mockRejectedValueOnce(new TypeError('Failed to fetch'))
    renderWidget(fetchMock)
    fillPhone()
    submit()
    await waitFor(() => expect(liveRegion()?.textContent).toBe(en.offline))
    expect(screen.getByLabelText(en.phone)).toBeTruthy()
    submit()
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2))
    expect(sentBody(fetchMock, 1)).toEqual(sentBody(fetchMock, 0))
    await waitFor(() => expect(screen.queryByLabelText(en.phone)).toBeNull())
  })

  it('starts a new lead with a new id when the visitor edits after a failure', async () => {
    const fetchMock = vi.fn<Fetch>(async () => jsonResponse(503, {}))
    renderWidget(fetchMock)
    fillPhone()
    submit()
    await waitFor(() => expect(liveRegion()?.textContent).toBe(en.failed))
    fillPhone('+7 912 345-67-00')
    submit()
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2))
    expect(sentBody(fetchMock, 1).id).not.toBe(sentBody(fetchMock, 0).id)
    expect(sentBody(fetchMock, 1).contact).toEqual({ phone: '+7 912 345-67-00' })
  })

  it('shows the worker’s message next to the field a 400 points at', async () => {
    const message = 'This phone number does not look right. Please check it.'
    const fetchMock = vi.fn<Fetch>(async () =>
      jsonResponse(400, {
        error: { code: 'invalid_phone', message, issues: [{ path: 'contact.phone', message }] },
      }),
    )
    renderWidget(fetchMock)
    fillPhone('+7 000 000-00-00')
    submit()
    const phone = screen.getByLabelText(en.phone)
    await waitFor(() => expect(phone.getAttribute('aria-invalid')).toBe('true'))
    expect(document.getElementById(phone.getAttribute('aria-describedby') ?? '')?.textContent).toBe(message)
    expect(document.activeElement).toBe(phone)
    expect(liveRegion()?.textContent).toBe('')
  })

  it('puts a consent_required answer next to the consent box', async () => {
    const message = 'Please confirm that you agree to the processing of your data.'
    const fetchMock = vi.fn<Fetch>(async () =>
      jsonResponse(400, {
        error: { code: 'consent_required', message, issues: [{ path: 'consent.given', message }] },
      }),
    )
    renderWidget(fetchMock, siteConfig({ consent: { required: true, text: CONSENT_TEXT } }))
    fillPhone()
    fireEvent.click(screen.getByRole('checkbox'))
    submit()
    const box = screen.getByRole('checkbox')
    await waitFor(() => expect(box.getAttribute('aria-invalid')).toBe('true'))
    expect(document.getElementById(box.getAttribute('aria-describedby') ?? '')?.textContent).toBe(message)
  })

  it('shows a general message for a 400 that names no field', async () => {
    const fetchMock = vi.fn<Fetch>(async () =>
      jsonResponse(400, {
        error: {
          code: 'validation_failed',
          message: 'The lead does not match the expected format.',
          issues: [{ path: 'id', message: 'must be a UUID' }],
        },
      }),
    )
    renderWidget(fetchMock)
    fillPhone()
    submit()
    await waitFor(() => expect(liveRegion()?.textContent).toBe('The lead does not match the expected format.'))
  })

  it('asks to try again in a minute on 429', async () => {
    const fetchMock = vi.fn<Fetch>(async () => jsonResponse(429, { error: { code: 'rate_limited', message: 'Too many requests.' } }))
    renderWidget(fetchMock)
    fillPhone()
    submit()
    await waitFor(() => expect(liveRegion()?.textContent).toBe(en.rateLimited))
    expect(en.rateLimited).toMatch(/minute/)
  })
})

describe('the dialog', () => {
  it('closes on Escape and gives focus back to the launcher', () => {
    renderWidget(vi.fn<Fetch>())
    const launcher = screen.getByRole('button', { name: en.launcher })
    expect(launcher.getAttribute('aria-expanded')).toBe('true')
    fireEvent.keyDown(screen.getByLabelText(en.phone), { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(launcher.getAttribute('aria-expanded')).toBe('false')
    expect(document.activeElement).toBe(launcher)
  })

  it('keeps what the visitor typed when it is closed and opened again', () => {
    renderWidget(vi.fn<Fetch>())
    fillPhone()
    fireEvent.click(screen.getByRole('button', { name: en.close }))
    fireEvent.click(screen.getByRole('button', { name: en.launcher }))
    const phone = screen.getByLabelText(en.phone) as HTMLInputElement
    expect(phone.value).toBe(PHONE)
    expect(document.activeElement).toBe(phone)
  })

  it('keeps Tab inside the dialog', () => {
    renderWidget(vi.fn<Fetch>())
    const submitButton = screen.getByRole('button', { name: en.submit })
    submitButton.focus()
    fireEvent.keyDown(submitButton, { key: 'Tab' })
    expect(document.activeElement).toBe(screen.getByRole('button', { name: en.close }))
    fireEvent.keyDown(document.activeElement as Element, { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(submitButton)
  })
})
