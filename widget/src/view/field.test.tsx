// Tests for the shared labelled field: label, error description and the row for a picker.
import { render, screen } from '@testing-library/preact'
import { describe, expect, it } from 'vitest'
import { TextField } from './field'

describe('TextField', () => {
  it('ties the label to the input and passes input attributes through', () => {
    render(<TextField id="lc-phone" label="Phone" name="phone" type="tel" maxLength={40} />)
    const input = screen.getByLabelText('Phone') as HTMLInputElement
    expect(input.id).toBe('lc-phone')
    expect(input.name).toBe('phone')
    expect(input.type).toBe('tel')
    expect(input.maxLength).toBe(40)
    expect(input.getAttribute('aria-invalid')).toBe('false')
    expect(input.hasAttribute('aria-describedby')).toBe(false)
  })

  it('shows an error as the description of the input, as text', () => {
    render(<TextField id="lc-name" label="Name" error="<b>too long</b>" />)
    const input = screen.getByLabelText('Name')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    const error = document.getElementById(input.getAttribute('aria-describedby') ?? '')
    expect(error?.textContent).toBe('<b>too long</b>')
    expect(error?.querySelector('b')).toBeNull()
  })

  it('keeps the input in its row whether or not the picker before it is there yet', () => {
    const { container, rerender } = render(<TextField id="lc-phone" label="Phone" before={null} />)
    const input = container.querySelector('input')
    expect(input?.parentElement?.className).toBe('row')
    rerender(<TextField id="lc-phone" label="Phone" before={<select aria-label="Country" />} />)
    // Same element: what the visitor typed and the caret survive the picker arriving.
    expect(container.querySelector('input')).toBe(input)
    expect(input?.previousElementSibling?.localName).toBe('select')
  })
})
