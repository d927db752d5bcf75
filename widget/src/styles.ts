// The widget's CSS, kept in JS (widget.js adopts it before anything lazy arrives, so the facade
// launcher and the real one look the same), and how it gets into the shadow root.

/**
 * `:host { all: initial }` stops the page's inherited styles (font, color, line-height…) at the
 * shadow boundary; custom properties still pass, so a site can set `--lc-accent` on the host.
 * The host is fixed and empty, so adding it never shifts the page; its z-index, the highest there
 * is, puts the launcher and the dialog above the page (a tie goes to the host, appended last).
 * `!important` because a page rule on the host (`* { all: unset }`) beats a normal `:host` rule,
 * while an important `:host` rule beats even the page's important ones (CSS Cascade 4, "Context");
 * without it the page's inherited text styles and z-index wars reach the widget (demo/hostile-css.html).
 * Hand-minified a little because every byte ships with the first load. Fields use 16px text
 * because iOS Safari zooms the page into smaller ones on focus.
 */
export const CSS = `
:host{all:initial!important;position:fixed!important;top:0!important;left:0!important;z-index:2147483647!important}
*{box-sizing:border-box}
.root{font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1b1b1f}
button,input,select{font:inherit;color:inherit}
.launcher{position:fixed;right:20px;bottom:20px;border:0;border-radius:999px;padding:12px 20px;background:var(--lc-accent,#0b57d0);color:#fff;cursor:pointer;box-shadow:0 4px 16px #0004}
.overlay{position:fixed;inset:0;display:flex;align-items:center;justify-content:center;padding:16px;background:#0007}
.overlay[hidden]{display:none}
.dialog{position:relative;width:100%;min-width:0;max-width:380px;max-height:100%;overflow:auto;padding:24px;border-radius:12px;background:#fff;box-shadow:0 8px 32px #0005}
.dialog{animation:lc-in .15s ease-out}
@keyframes lc-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.dialog,.invite{animation:none}}
.dialog:focus{outline:0}
.invite{position:fixed;right:20px;bottom:76px;max-width:min(300px,calc(100vw - 40px));padding:12px 44px 12px 14px;border-radius:12px;background:#fff;box-shadow:0 4px 16px #0004;animation:lc-in .15s ease-out}
.invite p{margin:0 0 8px}
.invite-open{border:0;border-radius:8px;padding:8px 12px;background:var(--lc-accent,#0b57d0);color:#fff;cursor:pointer}
.invite .close{top:4px;right:4px}
h2{margin:0 32px 8px 0;font-size:19px;font-weight:600}
label{display:block;margin:12px 0 4px}
.field{display:block;width:100%;padding:10px 12px;border:1px solid #767680;border-radius:8px;background:#fff;font-size:16px}
[aria-invalid=true]{border-color:#b3261e}
.error{margin:4px 0 0;color:#b3261e;font-size:13px}
.slot{display:grid}
.slot>*{grid-area:1/1}
.ghost{visibility:hidden}
.consent{display:flex;gap:8px;align-items:flex-start;margin:12px 0 0;font-size:13px}
.consent input{margin:2px 0 0;flex:none}
.consent label{margin:0}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.submit{width:100%;margin-top:16px;padding:12px;border:0;border-radius:8px;background:var(--lc-accent,#0b57d0);color:#fff;cursor:pointer}
.submit:disabled{opacity:.6;cursor:progress}
.close{position:absolute;top:10px;right:10px;width:36px;height:36px;border:0;border-radius:50%;background:none;font-size:24px;line-height:1;cursor:pointer}
.live:not(:empty){margin:12px 0 0}
.row{display:flex;gap:8px}
.country{flex:none;width:auto;max-width:96px;padding:10px 4px}
.note{margin:12px 0 0;font-size:14px;color:#44464f}
.note:empty{margin:0}
.more{margin:4px 0 0 24px;padding:0;border:0;background:none;color:var(--lc-accent,#0b57d0);font-size:13px;text-decoration:underline;cursor:pointer}
.consent-full{margin:4px 0 0 24px;max-height:160px;overflow:auto;font-size:12px;white-space:pre-line;color:#44464f}
.consent-full[hidden]{display:none}
:focus-visible{outline:2px solid var(--lc-accent,#0b57d0);outline-offset:2px}
`

/**
 * Constructable stylesheets are not `<style>` elements, so a page with `style-src 'self'` in its
 * CSP still styles the widget. Browsers without them (Safari < 16.4) get a `<style>` element.
 */
export function adoptStyles(root: ShadowRoot, css: string = CSS): void {
  if ('adoptedStyleSheets' in root) {
    try {
      const sheet = new CSSStyleSheet()
      sheet.replaceSync(css)
      root.adoptedStyleSheets = [sheet]
      return
    } catch {
      // An old engine with the property but no constructor: fall through to <style>.
    }
  }
  const style = document.createElement('style')
  style.textContent = css
  root.append(style)
}
