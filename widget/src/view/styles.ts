// The CSS of the panels (forms, dialogs, the docked chat, the invite), kept in JS and adopted by the
// app next to the launcher's (launcher.ts, which the first load carries), and how a sheet gets into
// the shadow root.

/**
 * The site's brand arrives as custom properties on the host (launcher.ts): `--lc-accent` behind
 * buttons, `--lc-on-accent` on them, `--lc-ink` for the accent as text on white (links, the focus
 * ring, ticked boxes), `--lc-radius` for corners; controls round at most 8px.
 * The chat docks in the launcher corner without a backdrop, so the page stays usable; on a phone
 * (≤ 480 px) it is a full-height sheet sized to the visual viewport (dialog.tsx sets --lc-vh and
 * --lc-vt), so Send stays above the keyboard, and the callback form is a bottom sheet. In the
 * dock the conversation sits at the bottom, by the typing dots and the field, as in a messenger
 * (an auto margin, not justify-content, which would cut off the top of a long log).
 * Hand-minified a little because every byte ships with the app. Fields use 16px text because iOS
 * Safari zooms the page into smaller ones on focus.
 */
export const CSS = `
*{box-sizing:border-box}
button,input,select{font:inherit;color:inherit}
input{accent-color:var(--lc-ink)}
.overlay{position:fixed;inset:0;display:flex;align-items:center;justify-content:center;padding:16px;background:#0007}
.overlay[hidden]{display:none}
.dialog,.dock{position:relative;width:100%;min-width:0;max-width:380px;max-height:100%;overflow:auto;padding:24px;border-radius:var(--lc-radius);background:#fff;box-shadow:0 8px 32px #0005}
.dialog,.dock,.invite{animation:lc-in .2s ease-out}
@keyframes lc-in{from{opacity:0;transform:translateY(8px)}}
.dialog:focus,.dock:focus{outline:0}
.dock{display:flex;flex-direction:column;width:min(380px,calc(100vw - 40px));height:min(600px,calc(100vh - 140px));padding:16px}
.dock[hidden]{display:none}
.dock .chat{flex:1;min-height:0}
.dock .chat-log{flex:1;max-height:none}
.dock .chat-log>:first-child{margin-top:auto}
@media (max-width:480px){.overlay{align-items:flex-end;padding:0}.dialog{max-width:none;border-radius:var(--lc-radius) var(--lc-radius) 0 0;padding-bottom:calc(24px + env(safe-area-inset-bottom));animation-name:lc-up}.dock{position:fixed;z-index:1;left:0;top:var(--lc-vt,0);width:100%;max-width:none;height:var(--lc-vh,100%);border-radius:0;padding-bottom:calc(12px + env(safe-area-inset-bottom))}}
@keyframes lc-up{from{transform:translateY(100%)}}
.invite{position:relative;max-width:min(300px,calc(100vw - 40px));padding:12px 44px 12px 14px;border-radius:var(--lc-radius);background:#fff;box-shadow:0 4px 16px #0004}
.invite p{margin:0 0 8px}
.invite-open{border:0;border-radius:min(8px,var(--lc-radius));padding:8px 12px;background:var(--lc-accent);color:var(--lc-on-accent);cursor:pointer}
.invite .close{top:4px;right:4px}
h2{margin:0 32px 8px 0;font-size:19px;font-weight:600}
label{display:block;margin:12px 0 4px}
.field{display:block;width:100%;padding:10px 12px;border:1px solid #767680;border-radius:min(8px,var(--lc-radius));background:#fff;font-size:16px}
[aria-invalid=true]{border-color:#b3261e}
.error{margin:4px 0 0;color:#b3261e;font-size:13px}
.slot{display:grid}
.slot>*{grid-area:1/1}
.ghost{visibility:hidden}
.consent{display:flex;gap:8px;align-items:flex-start;margin:12px 0 0;font-size:13px}
.consent input{margin:2px 0 0;flex:none}
.consent label{margin:0}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.submit{width:100%;margin-top:16px;padding:12px;border:0;border-radius:min(8px,var(--lc-radius));background:var(--lc-accent);color:var(--lc-on-accent);cursor:pointer}
.submit:disabled{opacity:.6;cursor:progress}
.close{position:absolute;top:10px;right:10px;width:36px;height:36px;border:0;border-radius:50%;background:none;font-size:24px;line-height:1;cursor:pointer}
.live:not(:empty){margin:12px 0 0}
.row{display:flex;gap:8px}
.country{flex:none;width:auto;max-width:40%;padding:10px 4px}
.note{margin:12px 0 0;font-size:14px;color:#44464f}
.note:empty{margin:0}
.more{margin:4px 0 0 24px;padding:0;border:0;background:none;color:var(--lc-ink);font-size:13px;text-decoration:underline;cursor:pointer}
.consent-full{margin:4px 0 0 24px;max-height:160px;overflow:auto;font-size:12px;white-space:pre-line;color:#44464f}
.consent-full[hidden]{display:none}
:focus-visible{outline:2px solid var(--lc-ink);outline-offset:2px}
`

/**
 * Constructable stylesheets are not `<style>` elements, so a page with `style-src 'self'` in its
 * CSP still styles the widget. Browsers without them (Safari < 16.4) get a `<style>` element.
 */
export function adoptStyles(root: ShadowRoot, css: string): void {
  if ('adoptedStyleSheets' in root) {
    try {
      const sheet = new CSSStyleSheet()
      sheet.replaceSync(css)
      // Added to what is there: the launcher's sheet comes first, the panels' after it.
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
      return
    } catch {
      // An old engine with the property but no constructor: fall through to <style>.
    }
  }
  const style = document.createElement('style')
  style.textContent = css
  root.append(style)
}
