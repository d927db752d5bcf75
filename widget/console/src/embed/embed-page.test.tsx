// Embed: the README's tag with this server's origin and the site key, copied by the button (or
// selected when the clipboard is refused), and the platforms' steps in both languages.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderIn } from '../testing'
import { EmbedPage, JS_API_SNIPPET, embedTag } from './embed-page'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('the embed page', () => {
  it('builds the tag the README gives, with the server’s origin and the site key', () => {
    expect(embedTag('https://leads.example', 'shop')).toBe('<script src="https://leads.example/widget.js" data-site="shop" async></script>')
    render(<EmbedPage site="shop" origin="https://leads.example" />)
    expect(screen.getByLabelText('The tag')).toHaveProperty('value', '<script src="https://leads.example/widget.js" data-site="shop" async></script>')
  })

  it('copies the tag and the JS API snippet, and says so', async () => {
    const writeText = vi.fn(async (_text: string) => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    render(<EmbedPage site="shop" origin="https://leads.example" />)
    fireEvent.click(screen.getByRole('button', { name: 'Copy the tag' }))
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(embedTag('https://leads.example', 'shop')))
    expect(screen.getAllByRole('status')[0]!.textContent).toBe('Copied')
    fireEvent.click(screen.getByRole('button', { name: 'Copy the snippet' }))
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith(JS_API_SNIPPET))
  })

  it('selects the tag for Ctrl+C when the clipboard is refused', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) }, configurable: true })
    render(<EmbedPage site="shop" origin="https://leads.example" />)
    const field = screen.getByLabelText('The tag') as HTMLTextAreaElement
    fireEvent.click(screen.getByRole('button', { name: 'Copy the tag' }))
    await waitFor(() => expect(screen.getAllByRole('status')[0]!.textContent).toMatch(/press Ctrl\+C/))
    expect(field.selectionEnd - field.selectionStart).toBe(field.value.length)
  })

  it('gives the steps for each platform, Tilda’s by its own Russian names', () => {
    renderIn('ru', <EmbedPage site="shop" origin="https://leads.example" />)
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)
    expect(headings).toEqual(['Обычный HTML', 'Tilda', 'WordPress', 'Google Tag Manager', '1С-Битрикс', 'JavaScript API'])
    const tilda = screen.getByRole('region', { name: 'Tilda' })
    expect(
      within(tilda)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
        .join(' '),
    ).toMatch(/«HTML-код для вставки внутрь HEAD».*T123.*Опубликовать/s)
    expect(within(screen.getByRole('region', { name: 'Google Tag Manager' })).getByText(/Пользовательский HTML/)).toBeTruthy()
  })
})
