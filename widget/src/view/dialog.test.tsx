// Tests for where focus goes when a dialog goes away: back to what opened it, never to <body>.
import { cleanup, fireEvent, render, screen } from '@testing-library/preact'
import { createRef } from 'preact'
import { useState } from 'preact/hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { Dialog } from './dialog'

/** A launcher, and a dialog that is either hidden (`keep`) or taken off the page when closed. */
function Harness(props: { keep: boolean; startOpen?: boolean }) {
  const launcher = createRef<HTMLButtonElement>()
  const [open, setOpen] = useState(props.startOpen ?? false)
  const dialog = (
    <Dialog open={open} title="Offer" closeLabel="Close" onClose={() => setOpen(false)} returnFocus={launcher}>
      <input aria-label="Phone" />
    </Dialog>
  )
  return (
    <div>
      <button ref={launcher} type="button" onClick={() => setOpen(true)}>
        Launcher
      </button>
      {props.keep ? dialog : open && dialog}
    </div>
  )
}

afterEach(() => {
  cleanup()
  for (const button of document.querySelectorAll('.page-button')) button.remove()
})

describe('focus when a dialog goes away', () => {
  it('goes back to the launcher when a dialog that unmounts on close had it (the exit offer)', () => {
    render(<Harness keep={false} startOpen />)
    const phone = screen.getByLabelText('Phone')
    expect(document.activeElement).toBe(phone)
    fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Launcher' }))
  })

  it('goes back to the page element that had focus when the dialog opened', () => {
    const pageButton = document.createElement('button')
    pageButton.className = 'page-button'
    pageButton.textContent = 'Call me'
    document.body.append(pageButton)
    pageButton.focus()
    render(<Harness keep startOpen />)
    expect(document.activeElement).toBe(screen.getByLabelText('Phone'))
    fireEvent.keyDown(screen.getByLabelText('Phone'), { key: 'Escape' })
    expect(document.activeElement).toBe(pageButton)
  })

  it('leaves focus alone when it had already moved out of the dialog', () => {
    render(<Harness keep={false} startOpen />)
    const outside = document.createElement('button')
    outside.className = 'page-button'
    document.body.append(outside)
    outside.focus()
    fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(document.activeElement).toBe(outside)
  })
})
