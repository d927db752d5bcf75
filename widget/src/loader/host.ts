// The widget's host on the page: a <leadcatcher-widget> element with an open shadow root, the
// launchers' sheet, the site's brand and the facade launcher. The loader builds it once, and the
// core (app.js) takes it over: there is no other way onto a page.
import type { WidgetConfig } from '../core/api'
import { facadeCorner } from './launcher'
import { LAUNCHER_CSS, applyBrand } from './launcher-css'
import type { Locale } from './locale'
import { adoptStyles } from '../view/styles'

/** Appends the host to `document.body`, with the facade calling `open` on a click. */
export function createHost(config: WidgetConfig, locale: Locale, open: (panel: 'callback' | 'chat') => void): HTMLElement {
  const host = document.createElement('leadcatcher-widget')
  const shadow = host.attachShadow({ mode: 'open' })
  adoptStyles(shadow, LAUNCHER_CSS)
  applyBrand(host, config.brand)
  // The facade: same classes and text as the real launchers, so nothing moves when they swap.
  shadow.append(facadeCorner(config, locale, open))
  document.body.append(host)
  return host
}
