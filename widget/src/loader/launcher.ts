// The launcher corner: the icons, the launcher's text and the plain-DOM facade
// widget.js shows until the app arrives (the view draws the same markup, so nothing moves when it
// is swapped). Its CSS and the brand on the host are launcher-css.ts.
import type { WidgetConfig } from '../core/api'
import { CHAT_LAUNCHER, LAUNCHER } from './locale'
import type { Locale } from './locale'

/**
 * A handset and a speech bubble in a 24 px square, drawn in as few bytes as they can be (both loads
 * carry them). The svg is 24 px wide in the CSS, so it needs no viewBox.
 */
export const ICONS = {
  phone: 'M7 3 4 4C3 12 12 21 20 20l1-3-4-2-2 2c-3-1-6-4-7-7l2-2z',
  chat: 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z',
} as const

/** The callback launcher's text: the site's own, or the widget's in the visitor's language. */
export function launcherText(config: WidgetConfig, locale: Locale): string {
  return config.brand?.launcherText || LAUNCHER[locale]
}

function icon(name: keyof typeof ICONS): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg'
  const svg = document.createElementNS(ns, 'svg')
  const path = document.createElementNS(ns, 'path')
  svg.setAttribute('aria-hidden', 'true')
  path.setAttribute('d', ICONS[name])
  svg.append(path)
  return svg
}

/**
 * The facade: the launchers as plain DOM, same classes and text as the view's, so the swap is
 * invisible. The chat button only when the site has a chat.
 */
export function facadeCorner(config: WidgetConfig, locale: Locale, open: (panel: 'callback' | 'chat') => void): HTMLElement {
  const corner = document.createElement('div')
  const row = document.createElement('div')
  corner.className = 'corner'
  row.className = 'launchers'
  // A primary press held on the facade: the core replaces the facade only after the release
  // (mount.tsx), so that the press and its click land on one element.
  corner.onpointerdown = corner.onpointerup = corner.onpointercancel = (event) => corner.toggleAttribute('data-held', event.buttons === 1)
  const button = (className: string, panel: 'callback' | 'chat', name: keyof typeof ICONS) => {
    const node = document.createElement('button')
    node.type = 'button'
    node.className = className
    node.setAttribute('aria-haspopup', 'dialog')
    node.append(icon(name))
    node.onclick = () => open(panel)
    row.append(node)
    return node
  }
  if (config.chat) button('chat-launcher', 'chat', 'chat').setAttribute('aria-label', CHAT_LAUNCHER[locale])
  const text = document.createElement('span')
  text.textContent = launcherText(config, locale)
  button('launcher', 'callback', config.brand?.launcherIcon ?? 'phone').append(text)
  corner.append(row)
  return corner
}
