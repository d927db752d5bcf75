// The chat's CSS, loaded with the chat chunk and added to the widget's shadow root next to CSS.

/**
 * Works from 320 px wide: replies wrap, the text field shrinks (`min-width:0`), bubbles stop at
 * 85%. Relies on the base CSS for `.field`, `.submit`, `.error`, `.consent` and the font, and on
 * the brand's custom properties on the host (launcher-css.ts: --lc-accent, --lc-on-accent, --lc-ink).
 */
export const CHAT_CSS = `
.chat{display:flex;flex-direction:column;gap:8px;min-width:0}
.chat-log{display:flex;flex-direction:column;gap:6px;max-height:min(60vh,420px);overflow-y:auto;overscroll-behavior:contain}
.msg{margin:0;padding:8px 12px;border-radius:12px;max-width:85%;overflow-wrap:anywhere;white-space:pre-wrap}
.msg.bot{align-self:flex-start;background:#eef0f4}
.msg.visitor{align-self:flex-end;background:var(--lc-accent);color:var(--lc-on-accent)}
.msg.note{align-self:center;background:none;font-size:13px;color:#555}
.typing{display:flex;gap:4px;margin:0;padding:10px 12px;align-self:flex-start}
.typing span{width:6px;height:6px;border-radius:50%;background:#888;animation:lc-dot 1s infinite}
.typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}
@keyframes lc-dot{50%{opacity:.3}}
@media (prefers-reduced-motion:reduce){.typing span{animation:none}}
.replies{display:flex;flex-wrap:wrap;gap:6px}
.reply{padding:8px 12px;border:1px solid var(--lc-ink);border-radius:999px;background:#fff;color:var(--lc-ink);cursor:pointer}
.row{display:flex;gap:6px}
.row .field{flex:1;min-width:0}
.send{flex:none;padding:0 14px;border:0;border-radius:min(8px,var(--lc-radius));background:var(--lc-accent);color:var(--lc-on-accent);cursor:pointer}
.multi fieldset{margin:0;padding:0;border:0;display:flex;flex-wrap:wrap;gap:6px 12px}
.choice{display:flex;align-items:center;gap:6px;margin:0}
.chat-actions{display:flex;flex-wrap:wrap;justify-content:space-between;gap:8px}
.link{padding:8px 0;border:0;background:none;color:var(--lc-ink);text-decoration:underline;cursor:pointer}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`

/** Adds the chat's sheet to the shadow root once; a `<style>` where sheets are not constructable. */
export function adoptChatStyles(root: ShadowRoot, css: string = CHAT_CSS): void {
  if ('adoptedStyleSheets' in root) {
    try {
      const sheet = new CSSStyleSheet()
      sheet.replaceSync(css)
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
