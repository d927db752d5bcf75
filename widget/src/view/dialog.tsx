// A dialog shell: labelled, takes focus on open, closes on Escape. Modal (a backdrop, Tab kept
// inside) or docked: the chat in the launcher corner, no backdrop and no focus trap, so the page
// stays usable beside it; on a phone the CSS makes that a full-height sheet, sized here to the
// visual viewport so the on-screen keyboard never covers Send.
import type { ComponentChildren, RefObject } from 'preact'
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks'

export interface DialogProps {
  open: boolean
  title: string
  closeLabel: string
  onClose(): void
  /**
   * Gets focus back when the dialog closes (or unmounts) while focus was inside it: the launcher,
   * unless a page element had focus when it opened (a `data-leadcatcher-open` button), which then
   * gets it back, as the dialog pattern asks.
   */
  returnFocus: RefObject<HTMLElement | null>
  children: ComponentChildren
  /** Ids must be unique in the shadow root, and several dialogs can be mounted at once. */
  titleId?: string
  /** Non-modal, in the launcher corner (the chat); it only hides when closed, like the modal. */
  docked?: boolean
}

// The honeypot has tabindex=-1 and must never be focused, nor counted by the Tab trap.
const FOCUSABLE = 'button:not(:disabled),select:not(:disabled),input:not(:disabled):not([tabindex="-1"])'

/** The focused element inside the dialog's own tree: a shadow root hides it from `document`. */
function activeIn(node: Node): Element | null {
  return (node.getRootNode() as Document | ShadowRoot).activeElement
}

/** A page element that has focus now (not the page itself, not our own host). */
function pageFocus(node: Node): HTMLElement | null {
  const active = document.activeElement
  const host = (node.getRootNode() as ShadowRoot).host
  return active instanceof HTMLElement && active !== document.body && active !== host ? active : null
}

/**
 * Follows `visualViewport` while a docked dialog is open: `--lc-vh` is the height the keyboard
 * leaves, `--lc-vt` how far the browser scrolled the visual viewport (iOS does when a field near
 * the bottom gets focus). Only the phone CSS reads them.
 */
export function followViewport(node: HTMLElement): () => void {
  const viewport = window.visualViewport
  if (!viewport) return () => {}
  const fit = () => {
    node.style.setProperty('--lc-vh', `${viewport.height}px`)
    node.style.setProperty('--lc-vt', `${viewport.offsetTop}px`)
  }
  fit()
  viewport.addEventListener('resize', fit)
  viewport.addEventListener('scroll', fit)
  return () => {
    viewport.removeEventListener('resize', fit)
    viewport.removeEventListener('scroll', fit)
  }
}

export function Dialog(props: DialogProps) {
  const { open, title, closeLabel, onClose, returnFocus, children, titleId = 'lc-dialog-title', docked } = props
  const dialog = useRef<HTMLDivElement>(null)
  const opener = useRef<HTMLElement | null>(null)

  const giveFocusBack = (node: HTMLElement) => {
    if (!node.contains(activeIn(node))) return
    const page = opener.current
    if (page?.isConnected) page.focus()
    else returnFocus.current?.focus()
  }

  // A layout effect runs right after the DOM update, before a browser moves focus off the
  // now-hidden dialog, so "was focus inside?" still has its answer.
  useLayoutEffect(() => {
    const node = dialog.current
    if (!node) return
    if (open) {
      opener.current = pageFocus(node)
      const first = node.querySelector<HTMLElement>('input:not([tabindex="-1"])') ?? node
      first.focus()
    } else giveFocusBack(node)
  }, [open])
  useEffect(() => {
    const node = dialog.current
    return docked && open && node ? followViewport(node) : undefined
  }, [open])
  // The exit offer is taken off the page instead of hidden: focus must not fall to <body>.
  useLayoutEffect(() => {
    const node = dialog.current
    return () => node && giveFocusBack(node)
  }, [])

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      // The page may have its own Escape handler (its own modal); this press was ours.
      event.stopPropagation()
      onClose()
      return
    }
    const node = dialog.current
    if (event.key !== 'Tab' || !node || docked) return
    const focusable = Array.from(node.querySelectorAll<HTMLElement>(FOCUSABLE))
    const index = focusable.indexOf(activeIn(node) as HTMLElement)
    // From the first (or from a non-tabbable spot like the reply) wrap around instead of leaving.
    const wrapTo = event.shiftKey ? index <= 0 && focusable[focusable.length - 1] : (index < 0 || index === focusable.length - 1) && focusable[0]
    if (wrapTo) {
      event.preventDefault()
      wrapTo.focus()
    }
  }

  const panel = (
    <div
      ref={dialog}
      class={docked ? 'dock' : 'dialog'}
      role="dialog"
      aria-modal={docked ? undefined : 'true'}
      aria-labelledby={titleId}
      tabIndex={-1}
      hidden={docked && !open}
      onKeyDown={onKeyDown}
    >
      <h2 id={titleId}>{title}</h2>
      <button type="button" class="close" aria-label={closeLabel} onClick={onClose}>
        ×
      </button>
      {children}
    </div>
  )
  return docked ? (
    panel
  ) : (
    // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: a click on the backdrop is the mouse's way out; the keyboard's is Escape on the dialog
    <div class="overlay" hidden={!open} onClick={(event) => event.target === event.currentTarget && onClose()}>
      {panel}
    </div>
  )
}
