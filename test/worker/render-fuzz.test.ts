// Hostile text in every field never becomes markup: the Telegram card stays inside Telegram's HTML
// subset with the inputs as its visible text, and the auto-reply email's HTML has no element or
// attribute from input (checked with workerd's own HTML parser, HTMLRewriter).
import { env } from 'cloudflare:workers'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MARKER, hostileText } from '../../shared/testing/hostile-text'
import { renderHtml, renderText } from '../../worker/src/auto-reply/render-template'
import type { TemplateValues } from '../../worker/src/auto-reply/render-template'
import { TELEGRAM_TEXT_LIMIT, cardLines, renderCard, telegramCard } from '../../worker/src/delivery/adapters/telegram-card'
import type { EventType, LeadPayload } from '../../worker/src/model/lead'
import { sampleLead } from './adapter-helpers'

/** A tenth of the ingest fuzzer's count: 1 000 per CI run, more in `npm run bench:reliability`. */
const RUNS = Math.max(300, Math.floor(Number(env.FUZZ_RUNS ?? 10_000) / 10))
// The run's seed (vitest.config.ts prints it): a failure replays with FUZZ_SEED=<n>.
fc.configureGlobal({ seed: Number(env.FUZZ_SEED ?? 0) })

interface Markup {
  tags: { name: string; closing: boolean; attributes: Record<string, string> }[]
  /** The text as a reader sees it: tags removed, entities decoded. */
  text: string
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" }

/**
 * A strict reader of generated markup: every `<` starts a well-formed tag, every `&` one of the
 * entities our escapers write, and no `>` stands alone. Anything an escaper let through unescaped
 * shows up as a tag here or fails outright.
 */
function readMarkup(html: string): Markup {
  const tags: Markup['tags'] = []
  let text = ''
  let rest = html
  while (rest.length > 0) {
    const tag = /^<(\/?)([a-z][a-z0-9-]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*\/?>/i.exec(rest)
    if (tag) {
      const attributes: Record<string, string> = {}
      for (const [, name, value] of tag[3]!.matchAll(/([a-z-]+)(?:="([^"]*)")?/gi)) attributes[name!] = decode(value ?? '')
      tags.push({ name: tag[2]!.toLowerCase(), closing: tag[1] === '/', attributes })
      rest = rest.slice(tag[0].length)
      continue
    }
    const plain = /^[^<>&]+/.exec(rest)
    if (plain) {
      text += plain[0]
      rest = rest.slice(plain[0].length)
      continue
    }
    const entity = /^&(lt|gt|amp|quot|#39);/.exec(rest)
    if (!entity) throw new Error(`unescaped ${JSON.stringify(rest.slice(0, 40))}`)
    text += ENTITIES[entity[1]!]
    rest = rest.slice(entity[0].length)
  }
  return { tags, text }
}

function decode(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|#39);/g, (_, name: string) => ENTITIES[name]!)
}

/** Every tag closes in order: unbalanced markup is what an injected `</b>` produces. */
function expectBalanced(tags: Markup['tags'], voids: readonly string[] = []) {
  const open: string[] = []
  for (const tag of tags) {
    if (voids.includes(tag.name)) continue
    if (!tag.closing) open.push(tag.name)
    else expect(open.pop(), `</${tag.name}>`).toBe(tag.name)
  }
  expect(open).toEqual([])
}

describe('the Telegram card with hostile text in every field', () => {
  const short = hostileText({ maxLength: 120 })
  const leadArbitrary = fc.record({
    name: hostileText({ minLength: 1, maxLength: 200 }),
    phone: short,
    email: short,
    message: hostileText({ maxLength: 3000 }),
    answers: fc.dictionary(hostileText({ minLength: 1, maxLength: 40 }), fc.oneof(short, fc.array(short, { maxLength: 3 }))),
    page: short,
    utm: fc.record({ source: short, campaign: short }),
    reason: short,
    manager: short,
    callbackAt: short,
  })
  const typeArbitrary = fc.constantFrom<EventType>('lead.created', 'lead.repeated', 'lead.escalated')

  type LeadInputs = typeof leadArbitrary extends fc.Arbitrary<infer T> ? T : never

  function leadOf(input: LeadInputs): LeadPayload {
    return sampleLead({
      contact: { name: input.name, phone: input.phone, email: input.email },
      message: input.message,
      answers: input.answers,
      callbackAt: input.callbackAt,
      context: { page: input.page, utm: input.utm },
      reasons: [{ rule: 'x', points: 5, text: input.reason }],
      manager: { id: 'm', name: input.manager },
      headOfSales: { id: 'h', name: input.manager },
    })
  }

  it('uses only the tags the card builder writes, balanced, with the inputs as visible text, within 4096', () => {
    let cut = 0
    fc.assert(
      fc.property(leadArbitrary, typeArbitrary, fc.boolean(), (input, type, phoneLinks) => {
        const lead = leadOf(input)
        const html = telegramCard(lead, type, { locale: 'en', phoneLinks })
        const { tags, text } = readMarkup(html)
        // Telegram's HTML mode allows more (u, s, code, pre, tg-spoiler, blockquote…); the card
        // writes only these three, so anything else came from input.
        for (const tag of tags) {
          expect(['b', 'i', 'a']).toContain(tag.name)
          const names = Object.keys(tag.attributes)
          expect(names).toEqual(tag.name === 'a' && !tag.closing ? ['href'] : [])
        }
        expectBalanced(tags)
        const hrefs = tags.filter((t) => t.name === 'a' && !t.closing).map((t) => t.attributes.href)
        const links = [...(phoneLinks && input.phone ? [`tel:${input.phone}`] : []), ...(input.email ? [`mailto:${input.email}`] : [])]

        expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT)
        const full = cardLines(lead, type, { locale: 'en', phoneLinks })
          .map((line) => line.map((span) => span.text).join(''))
          .join('\n')
        if (full.length <= TELEGRAM_TEXT_LIMIT) {
          expect(text).toBe(full)
          expect(hrefs).toEqual(links)
          // Independent of cardLines: each visitor text shows verbatim.
          for (const value of [input.name, input.phone, input.email, input.message, input.page, input.reason]) {
            expect(text).toContain(value)
          }
          for (const [question, value] of Object.entries(input.answers)) {
            expect(text).toContain(`${question}: ${Array.isArray(value) ? value.join(', ') : value}`)
          }
        } else {
          cut++
          // Cut at the limit, marked with an ellipsis, never mid-entity or mid-tag (readMarkup passed).
          expect(text.endsWith('…')).toBe(true)
          expect(full.startsWith(text.slice(0, -1))).toBe(true)
          expect(hrefs).toEqual(links.slice(0, hrefs.length))
        }
      }),
      // Shrinking ten fields of up to 3 000 characters runs for minutes and blocks the event loop
      // (no test timeout fires): report the first counterexample and its seed instead.
      { numRuns: RUNS, endOnFailure: true },
    )
    // The cut path must be exercised too, not only short cards.
    expect(cut).toBeGreaterThan(RUNS / 100)
  })
})

describe('a Telegram card cut at the limit', () => {
  // Found by the fuzzer above: a line ending one character short of the limit left no room for the
  // line break and the ellipsis, and the card ended without its cut mark.
  it('marks the cut when a line ends one character short of the limit', () => {
    const html = renderCard([[{ text: 'a'.repeat(TELEGRAM_TEXT_LIMIT - 1) }], [{ text: 'b' }]])
    expect(html.endsWith('…')).toBe(true)
    expect(readMarkup(html).text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT)
  })
})

/** Elements, attributes and comments of a document as workerd's HTML parser (lol-html) sees them. */
async function parseWithHtmlRewriter(html: string) {
  const elements: { tag: string; attributes: string[][] }[] = []
  let comments = 0
  await new HTMLRewriter()
    .on('*', { element: (el) => void elements.push({ tag: el.tagName, attributes: [...el.attributes] }) })
    .onDocument({ comments: () => void comments++ })
    .transform(new Response(html))
    .text()
  return { elements, comments }
}

// HTMLRewriter, the HTML parser this check uses, is a Workers API; the rendering code is shared.
describe.skipIf(env.TEST_RUNTIME === 'node')('the auto-reply email with a hostile template, name, company and callback time', () => {
  const valuesArbitrary = fc.record({
    name: hostileText({ maxLength: 200 }),
    company: hostileText({ maxLength: 100 }),
    callbackAt: hostileText({ maxLength: 60 }),
  })
  // Site owners write the template; its own text is as untrusted as the values.
  const templateArbitrary = fc
    .tuple(hostileText({ maxLength: 300 }), hostileText({ maxLength: 300 }), fc.constantFrom('\n', '\n\n', '\n\n\n', ' '))
    .map(([a, b, gap]) => `${a}{name}${gap}{company}${b}{callbackAt}`)

  it('parses to html, body, p and br only, no attributes or comments, with the plain rendering as text', async () => {
    await fc.assert(
      fc.asyncProperty(templateArbitrary, valuesArbitrary, async (template, values: TemplateValues) => {
        const html = renderHtml(template, values)
        const parsed = await parseWithHtmlRewriter(html)
        expect(parsed.comments).toBe(0)
        for (const element of parsed.elements) {
          expect(['html', 'body', 'p', 'br']).toContain(element.tag)
          expect(element.attributes).toEqual([])
          expect(element.tag.startsWith(MARKER)).toBe(false)
        }

        const body = /^<!doctype html><html><body>(.*)<\/body><\/html>$/s.exec(html)
        expect(body).not.toBeNull()
        const { tags, text } = readMarkup(body![1]!.replaceAll('</p><p>', '</p>\n\n<p>').replaceAll('<br>', '<br>\n'))
        expect(new Set(tags.map((t) => t.name))).toEqual(new Set(['p', ...(tags.some((t) => t.name === 'br') ? ['br'] : [])]))
        expectBalanced(tags, ['br'])
        const plain = renderText(template, values)
          .split(/\n{2,}/)
          .join('\n\n')
        expect(text).toBe(plain)
        // Independent of renderText: every line of every value shows verbatim (runs of line breaks
        // become paragraph breaks, so compare line by line).
        for (const value of [values.name, values.company, values.callbackAt]) {
          for (const line of value.split('\n')) expect(text).toContain(line)
        }
      }),
      { numRuns: Math.max(200, Math.floor(RUNS / 2)) },
    )
  })
})
