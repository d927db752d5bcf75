// Property-based fuzzing of the public and admin APIs: whatever arrives, the answer is a 2xx or a
// documented 4xx, never a 5xx, and a refused request changes nothing stored.
import { env, exports } from 'cloudflare:workers'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../shared/api'
import { ORIGIN, putSite, siteConfig, uniqueSite, validLead } from './helpers'

/** 10 000 bodies per CI run by default; FUZZ_RUNS scales it (the bench runs more). */
const RUNS = Number(env.FUZZ_RUNS ?? 10_000)
// The run's seed (vitest.config.ts prints it): a failure replays with FUZZ_SEED=<n>.
fc.configureGlobal({ seed: Number(env.FUZZ_SEED ?? 0) })
const ALLOWED_STATUSES = new Set([200, 201, 400, 403, 405, 409, 413, 415, 429])

const site = uniqueSite('fuzz')
beforeAll(async () => {
  await putSite(site, siteConfig({ rateLimits: { perPhonePerHour: 10_000, perSitePerMinute: 1_000_000 } }))
})

const tricky = fc.constantFrom(
  '\u202Eevil\u202C',
  'zero\u200Bwidth',
  '😀'.repeat(50),
  'nul\u0000byte',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  'javascript:alert(1)',
  '=cmd|"/c calc"!A1',
  '__proto__',
  'constructor',
  ' '.repeat(10),
  'x'.repeat(5000),
)
const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), tricky)
const phone = fc.oneof(
  fc.constantFrom(
    '8 (912) 345-67-89',
    '+7 912 345 67 89',
    '89123456789',
    '+79123456789',
    '0079123456789',
    '+1 (212) 555-0100',
    '+44 909 876 5432',
    '123',
    '+0',
    '+',
    '8',
    '+7 000 000 00 00',
  ),
  fc.stringMatching(/^[+()\d\s-]{0,25}$/),
  text,
  fc.integer().map(String),
)
const anything = fc.oneof(fc.anything({ maxDepth: 3 }), text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null))
const deep = fc.integer({ min: 50, max: 400 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown)

/** A valid lead with some fields replaced by hostile or wrong values. */
const mutatedLead = fc
  .record({
    name: fc.option(text, { nil: undefined }),
    phone: fc.option(phone, { nil: undefined }),
    email: fc.option(fc.oneof(fc.emailAddress(), text), { nil: undefined }),
    message: fc.option(text, { nil: undefined }),
    replace: fc.dictionary(
      fc.constantFrom('id', 'site', 'source', 'contact', 'answers', 'callbackAt', 'consent', 'context', 'hp', 'elapsedMs', '__proto__', 'constructor'),
      fc.oneof(anything, deep),
      { maxKeys: 3 },
    ),
    answers: fc.option(fc.dictionary(fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'prototype')), anything, { maxKeys: 5 }), { nil: undefined }),
  })
  .map(({ name, phone: p, email, message, replace, answers }) => {
    const lead: Record<string, unknown> = { ...validLead(site, { contact: { name, phone: p, email }, message }) }
    if (answers) lead.answers = answers
    for (const [key, value] of Object.entries(replace)) Object.defineProperty(lead, key, { value, enumerable: true, writable: true, configurable: true })
    return JSON.stringify(lead)
  })

/** Valid in shape, hostile in content: text fields carry markup, RTL overrides, NUL, emoji. */
const plausibleLead = fc
  .record({
    name: fc.option(text, { nil: undefined }),
    message: fc.option(text, { nil: undefined }),
    phone: fc.constantFrom('8 (912) 345-67-89', '+7 912 345 67 89', '+79123456789', '+1 212 555 0100', '+44 20 7946 0958'),
    answers: fc.option(
      fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), fc.oneof(text, fc.integer(), fc.boolean(), fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 })), { maxKeys: 5 }),
      { nil: undefined },
    ),
    referrer: fc.option(fc.oneof(fc.webUrl(), text), { nil: undefined }),
  })
  .map(({ name, message, phone: p, answers, referrer }) =>
    JSON.stringify(validLead(site, { contact: { name, phone: p }, message, answers, context: { page: 'https://shop.example/', referrer } })),
  )

const body = fc.oneof(
  { weight: 4, arbitrary: plausibleLead },
  { weight: 5, arbitrary: mutatedLead },
  { weight: 2, arbitrary: fc.json().map(String) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: deep.map((d) => JSON.stringify(d)) },
)

async function leadCount(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM leads').first<{ n: number }>())!.n
}

async function checkAnswer(response: Response): Promise<{ ok: boolean; status: number }> {
  expect(ALLOWED_STATUSES, `status ${response.status}`).toContain(response.status)
  const json = (await response.json()) as { error?: { code: string; message: string } }
  if (response.status >= 400) {
    expect(ERROR_CODES).toContain(json.error?.code)
    expect(typeof json.error?.message).toBe('string')
  }
  return { ok: response.status < 300, status: response.status }
}

describe('fuzzing POST /v1/leads', () => {
  it(`answers ${RUNS} generated bodies with 2xx or a documented 4xx, and refused ones store nothing`, async () => {
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('application/json', 'text/plain;charset=UTF-8'), async (raw, contentType) => {
        const before = await leadCount()
        const response = await exports.default.fetch(
          new Request('https://worker.test/v1/leads', { method: 'POST', headers: { 'Content-Type': contentType, Origin: ORIGIN }, body: raw }),
        )
        const { ok, status } = await checkAnswer(response)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        const after = await leadCount()
        // A refused request stores nothing; an accepted one stores at most one lead.
        expect(after - before).toBe(ok && status === 201 ? 1 : 0)
      }),
      { numRuns: RUNS },
    )
    // The generator must reach both sides of the contract, or the test proves little.
    expect(statuses.get(201) ?? 0).toBeGreaterThan(RUNS / 100)
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 100)
  }, 600_000)
})

describe('fuzzing the admin API', () => {
  it('answers generated site configs with 2xx or a documented 4xx, and a refused one leaves the stored config as it was', async () => {
    const target = uniqueSite('fuzzadmin')
    await putSite(target)
    const stored = async () => (await env.DB.prepare('SELECT config FROM sites WHERE id = ?').bind(target).first<{ config: string }>())!.config
    const config = fc.oneof(
      fc.json().map(String),
      fc
        .record({
          origins: fc.oneof(fc.array(fc.oneof(fc.webUrl(), text)), anything),
          country: fc.oneof(fc.constantFrom('RU', 'US', 'XX', 'ru'), text),
          locale: anything,
          targets: fc.oneof(fc.array(anything, { maxLength: 3 }), anything),
          extra: fc.option(anything, { nil: undefined }),
        })
        .map((c) => JSON.stringify(c)),
    )
    await fc.assert(
      fc.asyncProperty(config, async (raw) => {
        const before = await stored()
        const response = await exports.default.fetch(
          new Request(`https://worker.test/v1/admin/sites/${target}`, {
            method: 'PUT',
            headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
            body: raw,
          }),
        )
        const { ok } = await checkAnswer(response)
        if (!ok) expect(await stored()).toBe(before)
        else await putSite(target)
      }),
      { numRuns: Math.max(200, Math.floor(RUNS / 10)) },
    )
  }, 600_000)
})
