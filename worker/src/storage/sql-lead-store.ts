// LeadStore on SQL (D1 or node:sqlite): a lead, its dedupe keys and its deliveries go in one batch (one transaction), so
// "is this contact new?" and "remember it" cannot interleave between two concurrent requests. A take
// or a status change, its history event and its deliveries are one batch too.
import * as v from 'valibot'
import type { SqlDatabase, SqlStatement, SqlValue } from './sql-database'
import { landingPage } from '../model/landing-page'
import { clientNetwork } from '../security/client-network'
import { closedLimit, counterRead, hitDecision, hitStatement, hitStatements, openLimits, refusalOf } from './sql-rate-limiter'
import type { LeadEvent, LeadEventKind, LeadRecord, LeadStatus, LeadStore, NewDelivery } from './types'
import type { LeadPayload, SpamFlag } from '../model/lead'
import { EVENT_SOURCES, type EventSourceKind, type JunkReason, type LeadActor, type LeadStatus as LeadStage } from '../../../shared/schemas/lead-status'

interface LeadRow {
  payload: string
  status: LeadStatus
  flags: string | null
  reply_text: string
  created_at: number
  taken_by: string | null
  erased_at: number | null
  stage: LeadStage
  junk_reason: JunkReason | null
  first_action_at: number | null
  test: number
}

/** The insert's RETURNING row: the lead it repeats, and the campaign totals read with it, if asked. */
const InsertedRowSchema = v.object({ duplicate_of: v.nullable(v.string()), totals: v.optional(v.unknown()) })

const LEAD_COLUMNS = 'payload, status, flags, reply_text, created_at, taken_by, erased_at, stage, junk_reason, first_action_at, test'

export interface EventRow {
  id: string
  lead_id: string
  site_id: string
  at: number
  actor_kind: LeadActor['kind']
  actor_id: string | null
  kind: LeadEventKind
  from_status: LeadStage | null
  to_status: LeadStage | null
  reason: JunkReason | null
  note: string | null
  source: string | null
  source_ref: string | null
}

export const EVENT_COLUMNS = 'e.id, e.lead_id, e.site_id, e.at, e.actor_kind, e.actor_id, e.kind, e.from_status, e.to_status, e.reason, e.note, e.source, e.source_ref'

/** Events written before sources were recorded (0011) came from the admin API, Telegram or the system. */
function sourceKindOf(row: EventRow): EventSourceKind {
  const stored = EVENT_SOURCES.find((kind) => kind === row.source)
  if (stored) return stored
  return row.actor_kind === 'telegram' ? 'telegram' : row.actor_kind === 'system' ? 'system' : 'admin'
}

export function toLeadEvent(row: EventRow): LeadEvent {
  return {
    id: row.id,
    leadId: row.lead_id,
    siteId: row.site_id,
    at: row.at,
    actor: { kind: row.actor_kind, id: row.actor_id },
    kind: row.kind,
    from: row.from_status,
    to: row.to_status,
    reason: row.reason,
    note: row.note,
    source: { kind: sourceKindOf(row), ref: row.source_ref },
  }
}

function toRecord(row: LeadRow): LeadRecord {
  // The column decides whether a lead is a test lead (the stats filter on it); the payload follows it.
  const { test: _stored, ...payload } = JSON.parse(row.payload) as LeadPayload
  return {
    payload: row.test === 1 ? { ...payload, test: true } : payload,
    status: row.status,
    flags: row.flags ? (JSON.parse(row.flags) as SpamFlag[]) : [],
    replyText: row.reply_text,
    createdAt: row.created_at,
    takenBy: row.taken_by,
    erased: row.erased_at !== null,
    stage: row.stage,
    junkReason: row.junk_reason,
    firstActionAt: row.first_action_at,
  }
}

/**
 * SQLite's lower() folds ASCII only (on D1 and node:sqlite alike), so a search for "анна" would
 * miss "Анна". This folds the Russian, Ukrainian and Belarusian capitals first; the search text is
 * folded with toLowerCase() to match.
 */
const CYRILLIC_CAPITALS = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯІЇЄҐЎ'
function foldedSql(column: string): string {
  let expression = column
  for (const capital of CYRILLIC_CAPITALS) expression = `replace(${expression}, '${capital}', '${capital.toLowerCase()}')`
  return `lower(${expression})`
}
const FOLDED_NAME = foldedSql('name')

/** The `lead.status_changed` deliveries of an event, written only when the event changed the status. */
function statusChangedDeliveries(db: SqlDatabase, eventId: string, deliveries: NewDelivery[]): SqlStatement[] {
  return deliveries.map((d) =>
    db
      .prepare(
        `INSERT INTO deliveries (id, lead_id, site_id, target_id, event_type, status, attempts, next_attempt_at,
           created_at, updated_at, event_id)
         SELECT ?1, e.lead_id, e.site_id, ?2, 'lead.status_changed', 'pending', 0, ?3, e.at, e.at, e.id
         FROM lead_events e WHERE e.id = ?4 AND e.to_status IS NOT NULL`,
      )
      .bind(d.id, d.targetId, d.nextAttemptAt, eventId),
  )
}

function isUniqueViolation(error: unknown): boolean {
  // Only the lead's own id: D1 appends SQLITE_CONSTRAINT_PRIMARYKEY to every primary-key clash, and
  // a clash on a delivery id must fail loudly, not pass for an idempotent replay.
  return error instanceof Error && /UNIQUE constraint failed: leads\.id\b/.test(error.message)
}

/** Mailboxes are case-insensitive in practice, so `Ivan@x.ru` and `ivan@x.ru` are one person. */
function emailKey(email: string | undefined): string | undefined {
  return email?.toLowerCase()
}

/** What erasure leaves in a cancelled delivery, and in place of what a target answered. */
export const ERASED_CANCEL = 'cancelled: personal data erased'
export const ERASED_ERROR = '(erased with the personal data)'
/** In place of the SHA-256 of an erased number: no number hashes to it, so no cap or event matches it. */
const ERASED_HASH = 'erased'

/** Rate-limit windows are at most an hour and their counters are dropped two hours on: three is safe. */
const COUNTER_LIFETIME_MS = 3 * 60 * 60 * 1000

/** Larger than any timestamp: with it no earlier lead is "inside the window". */
const NEVER = Number.MAX_SAFE_INTEGER

export function sqlLeadStore(db: SqlDatabase): LeadStore {
  return {
    async findLead(id) {
      const row = await db.prepare(`SELECT ${LEAD_COLUMNS} FROM leads WHERE id = ?`).bind(id).first<LeadRow>()
      return row ? toRecord(row) : null
    },

    async admitLead(id, limits, now) {
      const find = db.prepare(`SELECT ${LEAD_COLUMNS} FROM leads WHERE id = ?`).bind(id)
      const closed = closedLimit(limits, now)
      if (limits.length === 0 || closed) {
        const row = await find.first<LeadRow>()
        return row ? { existing: toRecord(row) } : { existing: null, decision: closed ?? { allowed: true } }
      }
      const [found, counted, counters] = await db.batch<unknown>(
        [find, ...hitStatements(db, limits, now, { sql: (n) => `NOT EXISTS (SELECT 1 FROM leads WHERE id = ?${n})`, values: [id] })],
        // As RateLimiter.hit: the counters may go with the power; nothing else is written here.
        { durable: false },
      )
      const row = found?.results[0] as LeadRow | undefined
      if (row) return { existing: toRecord(row) }
      return { existing: null, decision: hitDecision(counted, counters, limits, now) }
    },

    async insertLead(lead, plan) {
      const { payload } = lead
      const limits = plan.limits ?? []
      const closed = closedLimit(limits, lead.createdAt)
      if (closed) {
        // A limit of 0 stores nothing; a replay still gets its first answer.
        const row = await db.prepare('SELECT 1 AS found FROM leads WHERE id = ?').bind(payload.id).first<{ found: number }>()
        return row ? { status: 'exists' } : { status: 'limited', decision: closed }
      }
      // Numbered after the insert's own 26 values.
      const open = limits.length === 0 ? null : openLimits(limits, lead.createdAt, 27)
      // Then the read returned with the row, which sees it (the campaign's totals with this lead).
      const after = plan.after?.column(27 + (open?.values.length ?? 0))
      const windowStart = plan.dedupeWindowMs === null ? NEVER : lead.createdAt - plan.dedupeWindowMs
      const keys =
        plan.dedupeWindowMs === null
          ? []
          : [
              ['phone', payload.contact.phone],
              ['email', emailKey(payload.contact.email)],
            ].filter((k): k is [string, string] => k[1] !== undefined)

      // `prior` is the earlier of two key lookups (min()'s row): the same answer as one OR'd
      // lookup sorted by first_at, which made SQLite merge both index walks and sort them, a
      // temporary b-tree per lead (110 of this insert's 135 µs on node:sqlite).
      const insertLead = db
        .prepare(
          `WITH prior AS (
             SELECT lead_id FROM (
               SELECT lead_id, min(first_at) FROM (
                 SELECT lead_id, first_at FROM contact_keys WHERE site_id = ?2 AND kind = 'phone' AND value = ?4 AND first_at >= ?3
                 UNION ALL
                 SELECT lead_id, first_at FROM contact_keys WHERE site_id = ?2 AND kind = 'email' AND value = ?20 AND first_at >= ?3))
             WHERE lead_id IS NOT NULL
           )${open ? `, ${open.cte}` : ''}
           INSERT INTO leads (id, site_id, source, name, phone, email, payload, reply_text, duplicate, duplicate_of,
             status, flags, score, temperature, reasons, consent_given, consent_text, ip, user_agent, created_at,
             utm_source, utm_campaign, page, manager_id, escalations, stage, junk_reason, stage_changed_at, test)
           SELECT ?1, ?2, ?6, ?7, ?4, ?5,
             CASE WHEN p.lead_id IS NULL THEN ?8 ELSE json_set(?8, '$.duplicate', json('true'), '$.duplicateOf', p.lead_id) END,
             ?9, p.lead_id IS NOT NULL, p.lead_id, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?21, ?22, ?23, ?24, ?25,
             -- Spam caught here is junk/spam from the start: nobody has to mark it.
             CASE WHEN ?10 = 'spam' THEN 'junk' ELSE 'new' END,
             CASE WHEN ?10 = 'spam' THEN 'spam' END,
             CASE WHEN ?10 = 'spam' THEN ?19 END,
             ?26
           FROM (SELECT 1) LEFT JOIN prior p
           -- Over a limit: no row (and no keys, deliveries or SLA check: they ask the same).
           WHERE ${open ? open.condition : '1'}
           RETURNING duplicate_of${after ? `, ${after.sql} AS totals` : ''}`,
        )
        .bind(
          payload.id,
          payload.site,
          windowStart,
          payload.contact.phone ?? null,
          payload.contact.email ?? null,
          payload.source,
          payload.contact.name ?? null,
          JSON.stringify(payload),
          lead.replyText,
          lead.status,
          lead.flags.length > 0 ? JSON.stringify(lead.flags) : null,
          payload.score,
          payload.temperature,
          JSON.stringify(payload.reasons),
          payload.consent ? (payload.consent.given ? 1 : 0) : null,
          payload.consent?.text ?? null,
          lead.ip,
          lead.userAgent,
          lead.createdAt,
          emailKey(payload.contact.email) ?? null,
          payload.context?.utm?.source ?? null,
          payload.context?.utm?.campaign ?? null,
          landingPage(payload.context?.page),
          payload.manager?.id ?? null,
          payload.escalations ?? 0,
          payload.test === true ? 1 : 0,
          ...(open?.values ?? []),
          ...(after?.values ?? []),
        )
      // What the stored row brings with it selects that row, and where limits apply, it also asks
      // the insert's own question of the counters (not yet counted: the hit comes last). A new id
      // refused by a full key has no row; a replay refused by one has its first row, which must
      // not get a second set of deliveries or a refreshed contact key.
      const storedOnly = (firstParam: number): { with: string; and: string; values: SqlValue[] } => {
        if (limits.length === 0) return { with: '', and: '', values: [] }
        const guard = openLimits(limits, lead.createdAt, firstParam)
        return { with: `WITH ${guard.cte} `, and: ` AND ${guard.condition}`, values: guard.values }
      }
      // A repeat's new contact points at the same first lead, so the chain never forks. The phone
      // and the email are one statement: each statement of a D1 batch costs about 0.1 ms.
      const keysGuard = storedOnly(5 + 2 * keys.length)
      const rememberKeys =
        keys.length === 0
          ? []
          : [
              db
                .prepare(
                  `${keysGuard.with}INSERT INTO contact_keys (site_id, kind, value, lead_id, first_at)
                   SELECT ?1, k.column1, k.column2, COALESCE(l.duplicate_of, l.id), ?2
                   FROM leads l, (VALUES ${keys.map((_, i) => `(?${5 + 2 * i}, ?${6 + 2 * i})`).join(', ')}) k WHERE l.id = ?3${keysGuard.and}
                   ON CONFLICT (site_id, kind, value) DO UPDATE SET lead_id = excluded.lead_id, first_at = excluded.first_at
                   WHERE contact_keys.first_at < ?4`,
                )
                .bind(payload.site, lead.createdAt, payload.id, windowStart, ...keys.flat(), ...keysGuard.values),
            ]
      const deliveryGuard = storedOnly(6)
      const insertDeliveries = plan.deliveries.map((d) =>
        db
          .prepare(
            `${deliveryGuard.with}INSERT INTO deliveries (id, lead_id, site_id, target_id, event_type, status, attempts, next_attempt_at,
               created_at, updated_at)
             SELECT ?1, l.id, l.site_id, ?2,
               CASE WHEN l.duplicate_of IS NULL THEN 'lead.created' ELSE 'lead.repeated' END,
               'pending', 0, ?3, ?4, ?4
             FROM leads l WHERE l.id = ?5${deliveryGuard.and}`,
          )
          .bind(d.id, d.targetId, d.nextAttemptAt, lead.createdAt, payload.id, ...deliveryGuard.values),
      )
      const slaGuard = storedOnly(3)
      const firstSlaCheck =
        plan.slaDueAt === undefined
          ? []
          : [
              db
                .prepare(`${slaGuard.with}INSERT INTO sla_checks (lead_id, round, due_at) SELECT l.id, 0, ?2 FROM leads l WHERE l.id = ?1${slaGuard.and}`)
                .bind(payload.id, plan.slaDueAt, ...slaGuard.values),
            ]
      // Counted after the insert, on the same counters its guard read, so both agree; a replay's
      // insert fails and rolls the count back with it.
      const counting = limits.length === 0 ? [] : [hitStatement(db, limits, lead.createdAt)]
      try {
        const own = [insertLead, ...rememberKeys, ...insertDeliveries, ...firstSlaCheck, ...counting]
        const results = await db.batch<unknown>(own)
        const returned = results[0]?.results[0]
        const inserted = returned === undefined ? undefined : v.parse(InsertedRowSchema, returned)
        if (!inserted && limits.length > 0 && (results.at(-1)?.results.length ?? 0) === 0) {
          // Refused by a full key. Which key, and whether this id came first (a replay over the
          // limit is still a replay: its first answer, not a 429), is read only now: refusals are
          // rare, and every lead's batch is two statements shorter for it.
          const [found, counters] = await db.batch<unknown>([db.prepare('SELECT 1 AS found FROM leads WHERE id = ?').bind(payload.id), counterRead(db, limits)])
          return (found?.results.length ?? 0) > 0 ? { status: 'exists' } : { status: 'limited', decision: refusalOf(counters, limits, lead.createdAt) }
        }
        if (!inserted) throw new Error(`lead ${payload.id} was neither stored nor refused`)
        return { status: 'inserted', duplicateOf: inserted.duplicate_of, ...(plan.after && { after: plan.after.read(inserted.totals) }) }
      } catch (error) {
        // Two requests with one id raced past the look-up; the batch rolled back, the first one won.
        if (isUniqueViolation(error)) return { status: 'exists' }
        throw error
      }
    },

    async listLeads({ siteId, from, to, temperature, spam, duplicate, stages, junkReason, utmSource, utmCampaign, source, page, managerId, search, limit, before, offset = 0 }) {
      const where: string[] = []
      const params: (string | number | null)[] = []
      const add = (clause: string, ...values: (string | number | null)[]) => {
        where.push(clause)
        params.push(...values)
      }
      if (siteId !== undefined) add('site_id = ?', siteId)
      if (from !== undefined) add('created_at >= ?', from)
      if (to !== undefined) add('created_at < ?', to)
      if (temperature !== undefined) add('temperature = ?', temperature)
      if (spam !== undefined) add('status = ?', spam ? 'spam' : 'accepted')
      if (duplicate !== undefined) add('duplicate = ?', duplicate ? 1 : 0)
      if (stages !== undefined) add('stage IN (SELECT value FROM json_each(?))', JSON.stringify(stages))
      if (junkReason !== undefined) add("stage = 'junk' AND junk_reason = ?", junkReason)
      if (utmSource !== undefined) add('utm_source = ?', utmSource)
      if (utmCampaign !== undefined) add('utm_campaign = ?', utmCampaign)
      if (source !== undefined) add('source = ?', source)
      if (page !== undefined) add('page = ?', page)
      if (managerId !== undefined) add('manager_id = ?', managerId)
      if (search !== undefined) {
        // instr, not LIKE: the text needs no escaping of % and _.
        add(
          `(instr(${FOLDED_NAME}, ?) > 0 OR instr(lower(email), ?) > 0 OR phone IN (SELECT value FROM json_each(?))
            OR (? IS NOT NULL AND instr(phone, ?) > 0))`,
          search.text.toLowerCase(),
          search.text.toLowerCase(),
          JSON.stringify(search.phones),
          search.digits ?? null,
          search.digits ?? null,
        )
      }
      if (before) add('(created_at < ? OR (created_at = ? AND id < ?))', before.createdAt, before.createdAt, before.id)
      const sql = `SELECT ${LEAD_COLUMNS} FROM leads
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`
      const { results } = await db
        .prepare(sql)
        .bind(...params, limit, offset)
        .all<LeadRow>()
      return results.map(toRecord)
    },

    async findByContact(siteId, { phone, email }) {
      const { results } = await db
        .prepare(
          `SELECT id FROM leads WHERE site_id = ?1 AND erased_at IS NULL
             AND ((?2 IS NOT NULL AND phone = ?2) OR (?3 IS NOT NULL AND email = ?3 COLLATE NOCASE))`,
        )
        .bind(siteId, phone ?? null, email ?? null)
        .all<{ id: string }>()
      return results.map((r) => r.id)
    },

    async listExpired(siteId, before, limit) {
      const { results } = await db
        .prepare('SELECT id FROM leads WHERE site_id = ? AND created_at < ? AND erased_at IS NULL LIMIT ?')
        .bind(siteId, before, limit)
        .all<{ id: string }>()
      return results.map((r) => r.id)
    },

    async erasePersonalData(leadIds, now) {
      if (leadIds.length === 0) return { leads: 0, deliveriesCancelled: 0 }
      const ids = JSON.stringify(leadIds)
      const ofLeads = 'lead_id IN (SELECT value FROM json_each(?1))'
      // Read once what the keys are made of, so the deletes below go by primary key, not by a scan.
      const { results: erased } = await db
        .prepare('SELECT site_id, phone, email, ip, created_at FROM leads WHERE id IN (SELECT value FROM json_each(?1))')
        .bind(ids)
        .all<{ site_id: string; phone: string | null; email: string | null; ip: string | null; created_at: number }>()
      // A repeat's new contact is remembered under the first lead's id, so dedupe keys are forgotten
      // by value as well as by lead.
      const contactKeys = erased.flatMap((row) => [
        ...(row.phone === null ? [] : [[row.site_id, 'phone', row.phone]]),
        ...(row.email === null ? [] : [[row.site_id, 'email', emailKey(row.email)]]),
      ])
      // Rate-limit counters keyed by the person's phone, email or network ("phone:<site>:+7…"; the
      // per-IP one by the client's network, an IPv6 /64, not the address). Counters live at most
      // two hours, so only recent leads can have one: retention's old leads cost no scan.
      const counterSuffixes = [
        ...new Set(
          erased
            .filter((row) => row.created_at >= now - COUNTER_LIFETIME_MS)
            .flatMap((row) => [row.phone, emailKey(row.email ?? undefined), row.ip, row.ip === null ? undefined : clientNetwork(row.ip)])
            .filter((value): value is string => typeof value === 'string'),
        ),
      ]
      const results = await db.batch([
        db
          .prepare(
            `DELETE FROM contact_keys WHERE (site_id, kind, value) IN (
               SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?1))`,
          )
          .bind(JSON.stringify(contactKeys)),
        // Matched by the key's last part, so a new kind of contact counter is forgotten too.
        ...(counterSuffixes.length === 0
          ? []
          : [
              db
                .prepare(
                  `DELETE FROM rate_limits WHERE EXISTS (
                     SELECT 1 FROM json_each(?1) s WHERE substr(rate_limits.key, -length(s.value) - 1) = ':' || s.value)`,
                )
                .bind(JSON.stringify(counterSuffixes)),
            ]),
        // Everything the visitor typed or their browser sent about them goes; what the counts and
        // the campaign report need (source, UTM tags, score, stage) stays.
        db
          .prepare(
            `UPDATE leads SET name = NULL, phone = NULL, email = NULL, ip = NULL, user_agent = NULL, consent_text = NULL,
               page = NULL, erased_at = ?1,
               payload = json_set(json_remove(payload, '$.message', '$.answers', '$.answerLabels', '$.transcript', '$.context.page',
                 '$.context.referrer', '$.context.landing', '$.context.clickIds', '$.context.firstTouch.referrer',
                 '$.context.firstTouch.landing', '$.context.firstTouch.clickIds', '$.consent.text'),
                 '$.contact', json('{}'), '$.erased', json('true')),
               -- A spam verdict's detail may quote the name ("Ммммарфа" repeats one letter).
               flags = CASE WHEN flags IS NULL THEN NULL ELSE (
                 SELECT json_group_array(json_object('code', json_extract(f.value, '$.code'), 'detail', 'erased'))
                 FROM json_each(leads.flags) f) END
             WHERE id IN (SELECT value FROM json_each(?2))`,
          )
          .bind(now, ids),
        db.prepare(`DELETE FROM contact_keys WHERE ${ofLeads}`).bind(ids),
        db
          .prepare(
            // The lease stays: an attempt under way still holds it, and finishes as erasure says
            // (delivered if the target took it, else cancelled), while "failed" keeps out any other.
            `UPDATE deliveries SET status = 'failed', last_error = '${ERASED_CANCEL}', updated_at = ?2
             WHERE ${ofLeads} AND status = 'pending'`,
          )
          .bind(ids, now),
        // What the targets answered may echo the lead back (a 422 quoting the phone).
        db
          .prepare(`UPDATE deliveries SET last_error = '${ERASED_ERROR}' WHERE ${ofLeads} AND last_error IS NOT NULL AND status <> 'pending' AND last_error <> '${ERASED_CANCEL}'`)
          .bind(ids),
        db
          .prepare(
            `UPDATE delivery_attempts SET error = '${ERASED_ERROR}'
             WHERE error IS NOT NULL AND delivery_id IN (SELECT id FROM deliveries WHERE ${ofLeads})`,
          )
          .bind(ids),
        // A note may name the person or quote what they said.
        db.prepare(`UPDATE lead_events SET note = NULL WHERE ${ofLeads} AND note IS NOT NULL`).bind(ids),
        // Auto-dial keeps the number's SHA-256, and a hash of a phone number is found again by
        // hashing every number there is; what a provider told us may name it too.
        db.prepare(`UPDATE call_legs SET visitor_hash = '${ERASED_HASH}' WHERE delivery_id IN (SELECT id FROM deliveries WHERE ${ofLeads})`).bind(ids),
        db.prepare(`UPDATE dials SET phone_hash = '${ERASED_HASH}' WHERE ${ofLeads}`).bind(ids),
        db.prepare(`UPDATE call_events SET detail = NULL WHERE detail IS NOT NULL AND ${ofLeads}`).bind(ids),
        // A CRM's id for the person (a HubSpot contact) links the erased lead to them there.
        db.prepare(`DELETE FROM lead_external_refs WHERE ${ofLeads}`).bind(ids),
      ])
      const shift = counterSuffixes.length === 0 ? 0 : 1
      return { leads: results[1 + shift]?.meta.changes ?? 0, deliveriesCancelled: results[3 + shift]?.meta.changes ?? 0 }
    },

    async nextRoutingTurn(siteId) {
      const row = await db
        .prepare(
          `INSERT INTO routing_turns (site_id, turn) VALUES (?, 0)
           ON CONFLICT (site_id) DO UPDATE SET turn = turn + 1 RETURNING turn`,
        )
        .bind(siteId)
        .first<{ turn: number }>()
      return row?.turn ?? 0
    },

    async firstLeadManager(siteId, contact, since) {
      // The same look-up as the insert's link to an earlier lead, so a repeat's manager and its
      // duplicateOf name the same first lead.
      const row = await db
        .prepare(
          `SELECT l.manager_id FROM contact_keys k JOIN leads l ON l.id = k.lead_id
           WHERE k.site_id = ?1 AND k.first_at >= ?2
             AND ((k.kind = 'phone' AND k.value = ?3) OR (k.kind = 'email' AND k.value = ?4))
           ORDER BY k.first_at LIMIT 1`,
        )
        .bind(siteId, since, contact.phone ?? null, emailKey(contact.email) ?? null)
        .first<{ manager_id: string | null }>()
      return row?.manager_id ?? null
    },

    async takeLead(leadId, manager, now, { actor = { kind: 'manager', id: manager.id }, source, plan } = {}) {
      const eventId = plan?.eventId ?? crypto.randomUUID()
      // One transaction: the event reads the status before the update changes it (all see the same
      // untaken row), and the last statement answers who holds the lead now, so neither the caller
      // nor this method reads the lead again outside it.
      // An erased lead is taken by nobody: an old Telegram card's button would otherwise record the
      // take and tell the targets about a lead that is gone.
      const results = await db.batch<{ to_status: string | null; taken_by: string | null; mine: number; erased: number }>([
        db
          .prepare(
            `INSERT INTO lead_events (id, lead_id, site_id, at, actor_kind, actor_id, kind, from_status, to_status, source, source_ref)
             SELECT ?1, id, site_id, ?3, ?4, ?5, 'take',
               CASE WHEN stage = 'new' THEN 'new' END, CASE WHEN stage = 'new' THEN 'in_work' END, ?6, ?7
             FROM leads WHERE id = ?2 AND taken_by IS NULL AND erased_at IS NULL
             RETURNING to_status`,
          )
          .bind(eventId, leadId, now, actor.kind, actor.id, source?.kind ?? 'admin', source?.ref ?? null),
        ...statusChangedDeliveries(db, eventId, plan?.deliveries ?? []),
        db
          .prepare(
            `UPDATE leads SET taken_by = ?2, taken_at = ?3, manager_id = ?2, payload = json_set(payload, '$.manager', json(?4)),
               first_action_at = COALESCE(first_action_at, ?3),
               stage_changed_at = CASE WHEN stage = 'new' THEN ?3 ELSE stage_changed_at END,
               stage = CASE WHEN stage = 'new' THEN 'in_work' ELSE stage END
             WHERE id = ?1 AND taken_by IS NULL AND erased_at IS NULL`,
          )
          .bind(leadId, manager.id, now, JSON.stringify(manager)),
        db.prepare('SELECT taken_by, erased_at IS NOT NULL AS erased, EXISTS (SELECT 1 FROM lead_events WHERE id = ?2) AS mine FROM leads WHERE id = ?1').bind(leadId, eventId),
      ])
      const holder = results.at(-1)?.results[0]
      if (!holder) return { status: 'not_found' }
      if (holder.mine) return { status: 'taken', statusChanged: results[0]?.results[0]?.to_status === 'in_work' }
      if (holder.taken_by === null && holder.erased) return { status: 'erased' }
      return { status: 'already_taken', takenBy: holder.taken_by ?? '' }
    },

    async changeStatus({ leadId, to, reason, note, actor, at, source = { kind: 'admin', ref: null }, sourceAt }, { eventId, deliveries }) {
      const junkReason = to === 'junk' ? reason : null
      const same = 'stage = ?6 AND junk_reason IS ?7'
      // An outside source's event is stale when that source already reported this same ref last, or
      // anything newer: a repeated or out-of-order event then changes nothing.
      const cursor = source.ref !== null && sourceAt !== undefined ? { ref: source.ref, at: sourceAt } : null
      const fresh = `NOT EXISTS (SELECT 1 FROM outcome_cursors c WHERE c.lead_id = ?2 AND c.source = ?9 AND (c.at > ?11 OR c.ref = ?10))`
      const [stale, event] = await db.batch<{ kind?: LeadEventKind; stale?: number }>([
        // Read before the cursor moves: says why nothing changed.
        db
          .prepare(
            `SELECT ?3 IS NOT NULL AND EXISTS (SELECT 1 FROM outcome_cursors c WHERE c.lead_id = ?1 AND c.source = ?2
               AND (c.at > ?4 OR c.ref = ?3)) AS stale`,
          )
          .bind(leadId, source.kind, cursor?.ref ?? null, cursor?.at ?? 0),
        db
          .prepare(
            `INSERT INTO lead_events (id, lead_id, site_id, at, actor_kind, actor_id, kind, from_status, to_status, reason, note,
               source, source_ref)
             SELECT ?1, id, site_id, ?3, ?4, ?5,
               CASE WHEN ${same} THEN 'note' ELSE 'status' END,
               CASE WHEN ${same} THEN NULL ELSE stage END,
               CASE WHEN ${same} THEN NULL ELSE ?6 END,
               CASE WHEN ${same} THEN NULL ELSE ?7 END,
               ?8, ?9, ?10
             FROM leads WHERE id = ?2 AND erased_at IS NULL AND (NOT (${same}) OR ?8 IS NOT NULL)
               AND (?12 = 0 OR ${fresh})
             RETURNING kind`,
          )
          .bind(eventId, leadId, at, actor.kind, actor.id, to, junkReason, note, source.kind, source.ref, cursor?.at ?? 0, cursor ? 1 : 0),
        ...statusChangedDeliveries(db, eventId, deliveries),
        db
          .prepare(
            `UPDATE leads SET stage = ?2, junk_reason = ?3, stage_changed_at = ?4, first_action_at = COALESCE(first_action_at, ?4)
             WHERE id = ?1 AND EXISTS (SELECT 1 FROM lead_events WHERE id = ?5 AND kind = 'status')`,
          )
          .bind(leadId, to, junkReason, at, eventId),
        // The source's cursor moves on every fresh event, whether or not our status changed.
        ...(cursor === null
          ? []
          : [
              db
                .prepare(
                  `INSERT INTO outcome_cursors (lead_id, source, ref, at)
                   SELECT id, ?2, ?3, ?4 FROM leads WHERE id = ?1 AND erased_at IS NULL
                   ON CONFLICT (lead_id, source) DO UPDATE SET ref = excluded.ref, at = excluded.at
                   WHERE outcome_cursors.at <= excluded.at AND outcome_cursors.ref <> excluded.ref`,
                )
                .bind(leadId, source.kind, cursor.ref, cursor.at),
            ]),
      ])
      const kind = event?.results[0]?.kind
      if (kind === 'status') return { status: 'changed' }
      if (kind === 'note') return { status: 'noted' }
      const row = await db.prepare('SELECT erased_at FROM leads WHERE id = ?').bind(leadId).first<{ erased_at: number | null }>()
      if (!row) return { status: 'not_found' }
      if (row.erased_at !== null) return { status: 'erased' }
      return { status: stale?.results[0]?.stale ? 'stale' : 'unchanged' }
    },

    async findByExternalId(siteId, targetId, externalId) {
      const row = await db
        .prepare('SELECT lead_id FROM lead_external_refs WHERE site_id = ? AND target_id = ? AND external_id = ?')
        .bind(siteId, targetId, externalId)
        .first<{ lead_id: string }>()
      return row?.lead_id ?? null
    },

    async listEvents(leadId) {
      const { results } = await db.prepare(`SELECT ${EVENT_COLUMNS} FROM lead_events e WHERE e.lead_id = ? ORDER BY e.at, e.rowid`).bind(leadId).all<EventRow>()
      return results.map(toLeadEvent)
    },

    async escalateLead({ leadId, siteId, round, manager, headOfSales, notices, nextCheckAt }, now) {
      // The round escalates only a lead still as the check saw it: untaken, not erased or spam, and
      // still at the previous round. A take, or the same round run twice (a late queue message and
      // the sweep's), commits first or not at all, so it is never escalated over, or twice. The
      // notices and the next check ask before the lead's update, which moves it to this round.
      const untaken = `id = ?2 AND escalations = ?6 AND taken_by IS NULL AND erased_at IS NULL AND status <> 'spam'`
      const results = await db.batch([
        ...notices.map((n) =>
          db
            .prepare(
              `INSERT INTO deliveries (id, lead_id, site_id, target_id, event_type, status, attempts, next_attempt_at,
                 created_at, updated_at)
               SELECT ?1, ?2, ?3, ?4, 'lead.escalated', 'pending', 0, ?5, ?5, ?5 FROM leads WHERE ${untaken}`,
            )
            .bind(n.id, leadId, siteId, n.targetId, now, round - 1),
        ),
        ...(nextCheckAt === null
          ? []
          : [
              db
                .prepare(`INSERT INTO sla_checks (lead_id, round, due_at) SELECT ?2, ?1, ?3 FROM leads WHERE ${untaken} ON CONFLICT (lead_id, round) DO NOTHING`)
                .bind(round, leadId, nextCheckAt, null, null, round - 1),
            ]),
        db.prepare('UPDATE sla_checks SET done_at = ?3 WHERE lead_id = ?1 AND round = ?2 AND done_at IS NULL').bind(leadId, round - 1, now),
        db
          .prepare(
            `UPDATE leads SET manager_id = ?3, escalations = ?1,
               payload = json_set(payload, '$.manager', json(?4), '$.escalations', ?1, '$.headOfSales', json(?5))
             WHERE ${untaken}`,
          )
          .bind(round, leadId, manager?.id ?? null, JSON.stringify(manager ?? null), JSON.stringify(headOfSales ?? null), round - 1),
      ])
      return (results.at(-1)?.meta.changes ?? 0) > 0
    },
  }
}
