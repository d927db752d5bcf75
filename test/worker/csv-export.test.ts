// The CSV export streams: the file goes out a page of rows at a time, read from the database only
// as the client takes it, so a large export never holds every record at once.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, adminRequest, putSite, uniqueSite } from './helpers'

const LEADS = 450
const PAGE_ROWS = 200

/** Leads at the ingest maximum (a 4000-character message, answers filling the 32 KB body), written straight to the table. */
async function seedLargeLeads(site: string): Promise<void> {
  const message = 'Перезвоните, пожалуйста. '.repeat(160).slice(0, 4000)
  const answers = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`q${i}`, 'ответ '.repeat(200).slice(0, 1000)]))
  const now = Date.now()
  const statements = Array.from({ length: LEADS }, (_, i) => {
    const id = crypto.randomUUID()
    const payload = {
      id,
      site,
      source: 'form',
      contact: { name: `Лид ${i}`, phone: `+7912${String(i).padStart(7, '0')}` },
      message,
      answers,
      createdAt: new Date(now - i).toISOString(),
      duplicate: false,
      score: 50,
      temperature: 'warm',
      reasons: [],
    }
    return env.DB.prepare(`INSERT INTO leads (id, site_id, source, name, phone, payload, reply_text, created_at) VALUES (?, ?, 'form', ?, ?, ?, 'ok', ?)`).bind(
      id,
      site,
      payload.contact.name,
      payload.contact.phone,
      JSON.stringify(payload),
      now - i,
    )
  })
  for (let i = 0; i < statements.length; i += 50) await env.DB.batch(statements.slice(i, i + 50))
}

const site = uniqueSite('csv-big')
beforeAll(async () => {
  await putSite(site)
  await seedLargeLeads(site)
}, 60_000)

describe('CSV export', () => {
  it('streams maximum-size leads in pages of rows instead of one body', async () => {
    const response = await adminRequest('GET', `/v1/admin/leads?site=${site}&format=csv`, undefined, ADMIN_TOKEN)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('X-Truncated')).toBeNull()
    const reader = response.body!.getReader()
    const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })
    const chunks: string[] = []
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(decoder.decode(value, { stream: true }))
    }
    const text = chunks.join('')
    // Every cell is quoted and the message has no line breaks, so a line is a row.
    const rows = text.split('\r\n').filter(Boolean)
    expect(rows).toHaveLength(LEADS + 1)
    expect(rows[0]).toMatch(/^\uFEFF"id","created_at"/)
    expect(rows.filter((row) => row.includes('Перезвоните'))).toHaveLength(LEADS)
    // The body came in several pieces, none holding more than one page of rows.
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(LEADS / PAGE_ROWS))
    for (const chunk of chunks) expect(chunk.split('\r\n').length - 1).toBeLessThanOrEqual(PAGE_ROWS)
  }, 30_000)

  it('keeps the filters and the newest-first order across pages', async () => {
    const text = await (await adminRequest('GET', `/v1/admin/leads?site=${site}&format=csv`)).text()
    const names = text
      .split('\r\n')
      .slice(1)
      .filter(Boolean)
      .map((row) => /"Лид (\d+)"/.exec(row)?.[1])
    expect(names).toEqual(Array.from({ length: LEADS }, (_, i) => String(i)))
    const other = await (await adminRequest('GET', `/v1/admin/leads?site=${uniqueSite('csv-empty')}&format=csv`)).text()
    expect(other.split('\r\n').filter(Boolean)).toHaveLength(1)
  }, 30_000)
})
