// Campaign spend as it comes in (issue 16): CSV rows `date, utm_source, utm_campaign, cost,
// currency`, or JSON rows with a day or a period (`from`..`to`, spread evenly over its days).
// Every row is checked before anything is stored: a bad row is reported by its line (CSV) or index
// (JSON), and then nothing is imported.
import * as v from 'valibot'
import type { FieldIssue } from '../../../shared/api'

/** One day's spend on one campaign, in the currency's minor units (kopecks, cents). */
export interface SpendDay {
  /** `YYYY-MM-DD` */
  day: string
  utmSource: string
  utmCampaign: string
  costMinor: number
  currency: string
}

export type SpendParse = { ok: true; days: SpendDay[] } | { ok: false; issues: FieldIssue[] }

const DAY_MS = 24 * 60 * 60_000
/** A year of days per row at most: a typo in a period must not write a million rows. */
const MAX_PERIOD_DAYS = 366
export const MAX_SPEND_ROWS = 5000

function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const ms = Date.parse(`${text}T00:00:00Z`)
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === text
}

/** "12500", "12 500,50", "12500.5" → minor units; null when it is not a non-negative amount. */
function minorUnits(text: string): number | null {
  const clean = text.replace(/[\s\u00a0]/g, '').replace(',', '.')
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(clean)) return null
  const [whole, fraction = ''] = clean.split('.')
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}

const TAG = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters'))
const CURRENCY = v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{3}$/, 'must be a currency code like RUB'))

/** Checks one row's fields; the issues name `prefix.field`. */
function checkRow(
  raw: { day?: string; from?: string; to?: string; utmSource: unknown; utmCampaign: unknown; cost: unknown; currency: unknown },
  prefix: string,
): { days: SpendDay[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = []
  const source = v.safeParse(TAG, raw.utmSource)
  const campaign = v.safeParse(TAG, raw.utmCampaign)
  const currency = v.safeParse(CURRENCY, raw.currency)
  const cost = typeof raw.cost === 'number' ? minorUnits(String(raw.cost)) : typeof raw.cost === 'string' ? minorUnits(raw.cost) : null
  if (!source.success) issues.push({ path: `${prefix}utm_source`, message: source.issues[0].message })
  if (!campaign.success) issues.push({ path: `${prefix}utm_campaign`, message: campaign.issues[0].message })
  if (cost === null) issues.push({ path: `${prefix}cost`, message: 'must be an amount like 12500 or 12500.50' })
  if (!currency.success) issues.push({ path: `${prefix}currency`, message: currency.issues[0].message })
  let days: string[] = []
  if (raw.day !== undefined) {
    if (isDay(raw.day)) days = [raw.day]
    else issues.push({ path: `${prefix}date`, message: 'must be a day like 2026-11-23' })
  } else if (raw.from !== undefined && raw.to !== undefined && isDay(raw.from) && isDay(raw.to)) {
    const first = Date.parse(`${raw.from}T00:00:00Z`)
    const last = Date.parse(`${raw.to}T00:00:00Z`)
    const count = (last - first) / DAY_MS + 1
    if (count < 1) issues.push({ path: `${prefix}to`, message: 'must not be before from' })
    else if (count > MAX_PERIOD_DAYS) issues.push({ path: `${prefix}to`, message: `a period is at most ${MAX_PERIOD_DAYS} days` })
    else days = Array.from({ length: count }, (_, i) => new Date(first + i * DAY_MS).toISOString().slice(0, 10))
  } else {
    issues.push({ path: `${prefix}date`, message: 'give a date, or a period from and to (days like 2026-11-23)' })
  }
  if (issues.length > 0 || !source.success || !campaign.success || !currency.success || cost === null) return { days: [], issues }
  // A period's cost spread over its days, the remainder on the first days, so the sum is exact.
  const share = Math.floor(cost / days.length)
  const rest = cost - share * days.length
  return {
    days: days.map((day, i) => ({ day, utmSource: source.output, utmCampaign: campaign.output, costMinor: share + (i < rest ? 1 : 0), currency: currency.output })),
    issues: [],
  }
}

/** The same day and campaign twice in one import would make "which one counts" a guess. */
function duplicates(days: SpendDay[], where: (index: number) => string, owners: number[]): FieldIssue[] {
  const seen = new Map<string, number>()
  const issues: FieldIssue[] = []
  days.forEach((d, i) => {
    const key = JSON.stringify([d.day, d.utmSource, d.utmCampaign, d.currency])
    const first = seen.get(key)
    if (first === undefined) seen.set(key, owners[i]!)
    else if (first !== owners[i]) issues.push({ path: where(owners[i]!), message: `repeats ${d.day} ${d.utmSource} / ${d.utmCampaign} of ${where(first)}` })
  })
  return issues
}

/** RFC 4180 records with the line each starts on (quoted fields may hold commas, quotes and newlines). */
function csvRecords(text: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = []
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let line = 1
  let start = 1
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else {
        if (ch === '\n') line++
        cell += ch
      }
    } else if (ch === '"') quoted = true
    else if (ch === ',' || ch === ';') {
      cells.push(cell)
      cell = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      cells.push(cell)
      records.push({ line: start, cells })
      cells = []
      cell = ''
      line++
      start = line
    } else cell += ch
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell)
    records.push({ line: start, cells })
  }
  return records.filter((r) => r.cells.some((c) => c.trim() !== ''))
}

const COLUMNS = ['date', 'utm_source', 'utm_campaign', 'cost', 'currency'] as const

/** A spreadsheet's CSV (comma or semicolon separated, a BOM allowed), header first. */
export function parseSpendCsv(text: string): SpendParse {
  const records = csvRecords(text.replace(/^\uFEFF/, ''))
  const header = records[0]
  if (!header) return { ok: false, issues: [{ path: 'line 1', message: `the file is empty; the first line names the columns ${COLUMNS.join(', ')}` }] }
  const names = header.cells.map((c) => c.trim().toLowerCase())
  const missing = COLUMNS.filter((c) => !names.includes(c))
  if (missing.length > 0) return { ok: false, issues: [{ path: 'line 1', message: `the header lacks ${missing.join(', ')}` }] }
  if (records.length - 1 > MAX_SPEND_ROWS)
    return { ok: false, issues: [{ path: `line ${records[MAX_SPEND_ROWS + 1]!.line}`, message: `at most ${MAX_SPEND_ROWS} rows per import` }] }
  const at = (cells: string[], column: (typeof COLUMNS)[number]) => cells[names.indexOf(column)] ?? ''
  const issues: FieldIssue[] = []
  const days: SpendDay[] = []
  const owners: number[] = []
  for (const { line, cells } of records.slice(1)) {
    const checked = checkRow(
      { day: at(cells, 'date').trim(), utmSource: at(cells, 'utm_source'), utmCampaign: at(cells, 'utm_campaign'), cost: at(cells, 'cost'), currency: at(cells, 'currency') },
      `line ${line}: `,
    )
    issues.push(...checked.issues)
    for (const d of checked.days) {
      days.push(d)
      owners.push(line)
    }
  }
  issues.push(...duplicates(days, (line) => `line ${line}`, owners))
  return issues.length > 0 ? { ok: false, issues } : { ok: true, days }
}

const JsonRowSchema = v.looseObject({
  date: v.optional(v.string()),
  from: v.optional(v.string()),
  to: v.optional(v.string()),
  utmSource: v.unknown(),
  utmCampaign: v.unknown(),
  cost: v.unknown(),
  currency: v.unknown(),
})
const JsonBodySchema = v.object({ rows: v.pipe(v.array(v.unknown()), v.minLength(1, 'must hold at least one row'), v.maxLength(MAX_SPEND_ROWS, `at most ${MAX_SPEND_ROWS} rows`)) })

/** `{ "rows": [{ "date" | "from" + "to", "utmSource", "utmCampaign", "cost", "currency" }] }`. */
export function parseSpendJson(body: unknown): SpendParse {
  const parsed = v.safeParse(JsonBodySchema, body)
  if (!parsed.success) return { ok: false, issues: [{ path: 'rows', message: parsed.issues[0].message }] }
  const issues: FieldIssue[] = []
  const days: SpendDay[] = []
  const owners: number[] = []
  parsed.output.rows.forEach((raw, index) => {
    const row = v.safeParse(JsonRowSchema, raw)
    if (!row.success) {
      issues.push({ path: `rows.${index}`, message: 'must be an object' })
      return
    }
    const r = row.output
    const checked = checkRow(
      {
        ...(r.date !== undefined ? { day: r.date } : { ...(r.from !== undefined && { from: r.from }), ...(r.to !== undefined && { to: r.to }) }),
        utmSource: r.utmSource,
        utmCampaign: r.utmCampaign,
        cost: r.cost,
        currency: r.currency,
      },
      `rows.${index}.`,
    )
    issues.push(...checked.issues)
    for (const d of checked.days) {
      days.push(d)
      owners.push(index)
    }
  })
  issues.push(...duplicates(days, (index) => `rows.${index}`, owners))
  return issues.length > 0 ? { ok: false, issues } : { ok: true, days }
}
