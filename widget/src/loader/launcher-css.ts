// The launcher corner's CSS and the site's brand on the host: all the look the first load
// (widget.js) carries. The panels' CSS is styles.ts, which comes with the app; the app needs this
// module only when mounted without the loader (tests, previews), so it is a lazy chunk there.
import type { PublicBrand } from '../../../shared/brand'

/**
 * `:host { all: initial }` stops the page's inherited styles (font, color, line-height…) at the
 * shadow boundary; custom properties still pass it and `all` leaves them alone, so the defaults
 * below lose to the brand the loader sets inline. The host is fixed and empty, so adding it never
 * shifts the page; its z-index, the highest there is, puts the widget above the page (a tie goes
 * to the host, appended last). `!important` because a page rule on the host (`* { all: unset }`)
 * beats a normal `:host` rule, while an important `:host` rule beats even the page's important
 * ones (CSS Cascade 4, "Context"); without it the page's inherited text styles and z-index wars
 * reach the widget (demo/hostile-css.html).
 * The corner holds the launchers, the invite and the docked chat; it lets clicks through
 * (pointer-events, inherited by what is inside them) so the page beside them stays usable. env(safe-area-inset-*) keeps it off a
 * notch and the home bar (every browser with Shadow DOM and import() knows env(), so no fallback).
 * Under 480 px the launchers are round icons (the text, at font-size 0, stays their name).
 * The focus ring and box-sizing come with the panels' CSS: the facade needs neither (a browser's
 * own ring until then). Hand-minified a little because every byte ships with the first load.
 */
export const LAUNCHER_CSS = `
:host{all:initial!important;position:fixed!important;top:0!important;left:0!important;z-index:2147483647!important;--lc-accent:#0b57d0;--lc-on-accent:#fff;--lc-ink:var(--lc-accent);--lc-radius:12px}
.corner,.root{font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1b1b1f}
.corner{--lc-e:20px;position:fixed;right:calc(var(--lc-e) + env(safe-area-inset-right));bottom:calc(var(--lc-e) + env(safe-area-inset-bottom));display:flex;flex-direction:column;align-items:flex-end;gap:12px;pointer-events:none}
:host([data-side=left]) .corner{right:auto;left:calc(var(--lc-e) + env(safe-area-inset-left));align-items:flex-start}
.corner>*{pointer-events:auto}
.launchers{display:flex;gap:12px}
.launchers button{display:flex;align-items:center;justify-content:center;gap:8px;height:48px;padding:0 20px 0 16px;border:0;border-radius:calc(var(--lc-radius)*4);background:var(--lc-accent);color:var(--lc-on-accent);font:inherit;cursor:pointer;box-shadow:0 4px 16px #0004;transition:transform .2s}
.chat-launcher{width:48px;padding:0}
.launchers>:hover{transform:translateY(-2px)}
svg{width:24px;height:24px;fill:currentColor;flex:none}
@media (max-width:480px){.corner{--lc-e:16px}.launchers button{width:56px;height:56px;padding:0}.launcher span{position:absolute;font-size:0}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`

/**
 * Paints the host with the site's brand: custom properties set through the CSSOM (a strict
 * `style-src` allows it) and the side as an attribute the CSS reads. Nothing without a brand, so
 * an older server's config keeps the defaults.
 */
export function applyBrand(host: HTMLElement, brand: PublicBrand | null | undefined): void {
  if (!brand) return
  const { style } = host
  style.setProperty('--lc-accent', brand.accent)
  style.setProperty('--lc-on-accent', brand.onAccent)
  style.setProperty('--lc-ink', brand.ink)
  style.setProperty('--lc-radius', `${brand.radius}px`)
  host.dataset.side = brand.position
}
