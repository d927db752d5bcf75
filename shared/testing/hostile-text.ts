// Test helper: fast-check arbitraries for hostile visitor and site-owner text (HTML/JS payloads,
// entities, template placeholders, unicode tricks), shared by the render fuzz tests of the widget
// (jsdom), the Telegram card and the auto-reply email (workerd). Never imported by production code.
import * as fc from 'fast-check'

/**
 * Tag and attribute names the product never renders, so an element or attribute carrying one can
 * only have come from input.
 */
export const MARKER = 'x-fz'

/** Known payloads: each breaks some naive renderer (innerHTML, markdown, Telegram HTML, templates). */
export const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '</b><script>alert(1)</script>',
  '<script>alert(document.cookie)</script>',
  '<svg onload=alert(1)>',
  '"><iframe srcdoc="<script>parent.alert(1)</script>">',
  "'><a href='javascript:alert(1)'>click</a>",
  '<a href="tg://resolve?domain=evil">x</a>',
  '<b>bold</b><i>it</i><u>u</u><s>s</s><code>c</code><pre>p</pre><tg-spoiler>sp</tg-spoiler>',
  '<blockquote expandable>q</blockquote>',
  '<style>*{display:none}</style>',
  '<!-- comment --><![CDATA[x]]>',
  '<p>para</p><br><hr>',
  '<body onload=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<x-fz-tag x-fz-attr="1">marker</x-fz-tag>',
  '&lt;b&gt;not bold&lt;/b&gt;',
  '&amp;amp; &quot; &#39; &#x3C;script&#x3E; &nbsp; &copy &',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${name}, the placeholder syntax a template must not expand
  '{name} {company} {callbackAt} {{name}} ${name}',
  '*bold* _it_ `code` [link](javascript:alert(1))',
  '\u202Egnp.exe\u202C',
  'zero\u200Bwidth\u200D\uFEFFjoin',
  'nul\u0000byte\u0007bell',
  'emoji 👨‍👩‍👧‍👦 🔥 🇷🇺',
  'lone \uD800 surrogate \uDC00',
  '\r\n\r\n\n\n\t  ',
  '< b >< /b ><<script>>',
] as const

const tagName = fc.constantFrom('script', 'img', 'b', 'i', 'a', 'svg', 'iframe', 'div', `${MARKER}-el`, 'tg-spoiler')
const attrName = fc.constantFrom('onerror', 'onload', 'href', 'src', 'style', `${MARKER}-attr`)
const attrValue = fc.string({ maxLength: 12 })

/** A tag as an attacker would write it, with or without quotes, open or closing. */
const randomTag = fc
  .tuple(tagName, attrName, attrValue, fc.constantFrom('"', "'", ''), fc.boolean())
  .map(([tag, attr, value, quote, closing]) => (closing ? `</${tag}>` : `<${tag} ${attr}=${quote}${value}${quote}>`))

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 3, arbitrary: randomTag },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom('<', '>', '&', '"', "'", '/', '=', ';', '#', '\n') },
)

export interface HostileTextOptions {
  minLength?: number
  maxLength?: number
}

/**
 * Text made of payloads, random tags and random unicode, cut to `maxLength` UTF-16 units.
 * @example
 * fc.assert(fc.property(hostileText({ maxLength: 200 }), (text) => render(text) === text))
 */
export function hostileText({ minLength = 0, maxLength = 500 }: HostileTextOptions = {}): fc.Arbitrary<string> {
  // Pieces average ~20 units: enough of them that long fields reach their limit now and then.
  const pieces = Math.max(8, Math.ceil(maxLength / 10))
  return fc
    .array(piece, { minLength: 1, maxLength: pieces, size: 'max' })
    .map((pieces) => pieces.join('').slice(0, maxLength))
    .filter((text) => text.length >= minLength)
}
