// The targets editor as data: every target type's fields (path in the target, kind, options, and
// when a field applies), reading and writing a draft at a field's path, and checking a draft with
// the API's own TargetSchema. An unchanged redacted secret (as admin reads show it) is not an
// error here: the admin API keeps the stored secret for it (worker/src/security/config-secrets.ts).
import * as v from 'valibot'
import type { FieldIssue } from '../../../../shared/api'
import { containsRedacted } from '../../../../shared/schemas/redacted'
import { TargetSchema } from '../../../../shared/schemas/site-config'
import type { Target } from '../../../../shared/schemas/site-config'
import { humanMessage, toFieldIssues } from '../../../../shared/valibot-issues'

export type TargetType = Target['type']
/** A target as the editor holds it: JSON as the admin API reads it (secrets redacted), edited in place. */
export type TargetDraft = Record<string, unknown> & { type: TargetType }

/**
 * `secret`: write-only, shown as "•••• set" once stored and only replaced; `list`: comma-separated
 * text for an array of strings; `json`: a nested part (templates, operators, status maps) as JSON.
 */
export type TargetFieldKind = 'text' | 'url' | 'secret' | 'number' | 'select' | 'checkbox' | 'list' | 'json'

export interface TargetField {
  /** Dotted path in the target, as the API's issues name it (`provider.apiKey`). */
  path: string
  kind: TargetFieldKind
  options?: readonly string[]
  /** Shown only while the field at `path` holds one of `values` (a provider's own fields). */
  when?: { path: string; values: readonly string[] }
}

const f = (path: string, kind: TargetFieldKind, extra: Omit<TargetField, 'path' | 'kind'> = {}): TargetField => ({ path, kind, ...extra })
const whenProvider = (...values: string[]) => ({ when: { path: 'provider.name', values } })

/** What the four telephony providers share (shared/schemas/targets/telephony.ts CALL_FLOW). */
const CALL_FLOW: TargetField[] = [
  f('operators', 'json'),
  f('ringSeconds', 'number'),
  f('countries', 'list'),
  f('callsPerHour', 'number'),
  f('callsPerDay', 'number'),
  f('allowRepeats', 'checkbox'),
  f('publicUrl', 'url'),
  f('apiBase', 'url'),
  f('missedSms', 'json'),
]

const SMS_PROVIDER: TargetField[] = [
  f('provider.name', 'select', { options: ['smsru', 'twilio', 'dev'] }),
  f('provider.apiId', 'secret', whenProvider('smsru')),
  f('provider.test', 'checkbox', whenProvider('smsru')),
  f('provider.accountSid', 'text', whenProvider('twilio')),
  f('provider.authToken', 'secret', whenProvider('twilio')),
  f('provider.from', 'text', whenProvider('smsru', 'twilio')),
  f('provider.url', 'url', whenProvider('dev')),
]

/** Every type's fields after `id`, in the order a person fills them in. Record: a new type must be described. */
export const TARGET_FIELDS: Record<TargetType, readonly TargetField[]> = {
  webhook: [f('url', 'url'), f('secret', 'secret')],
  bitrix24: [
    f('webhookUrl', 'secret'),
    f('sourceIds.callback', 'text'),
    f('sourceIds.other', 'text'),
    f('assignedById', 'number'),
    f('outcomes.applicationToken', 'secret'),
    f('outcomes.statuses', 'json'),
  ],
  amocrm: [
    f('baseUrl', 'url'),
    f('token', 'secret'),
    f('mode', 'select', { options: ['', 'unsorted', 'complex'] }),
    f('pipelineId', 'number'),
    f('responsibleUserId', 'number'),
    f('tags', 'list'),
    f('sourceName', 'text'),
    f('utmFieldIds', 'json'),
    f('outcomes.pathSecret', 'secret'),
    f('outcomes.statuses', 'json'),
    f('outcomes.lossReasons', 'json'),
  ],
  hubspot: [
    f('mode', 'select', { options: ['', 'form', 'contact'] }),
    f('portalId', 'text'),
    f('formGuid', 'text'),
    f('accessToken', 'secret'),
    f('outcomes.clientSecret', 'secret'),
    f('outcomes.statuses', 'json'),
  ],
  telegram: [f('botToken', 'secret'), f('chatId', 'text'), f('locale', 'select', { options: ['', 'ru', 'en'] }), f('webhookSecret', 'secret'), f('apiUrl', 'url')],
  'autoreply-email': [
    f('provider.name', 'select', { options: ['resend', 'postmark', 'unisender', 'cloudflare', 'dev'] }),
    f('provider.apiKey', 'secret', whenProvider('resend', 'unisender')),
    f('provider.host', 'select', { options: ['', 'go1.unisender.ru', 'go2.unisender.ru'], ...whenProvider('unisender') }),
    f('provider.serverToken', 'secret', whenProvider('postmark')),
    f('provider.messageStream', 'text', whenProvider('postmark')),
    f('provider.url', 'url', whenProvider('dev')),
    f('from', 'text'),
    f('fromName', 'text'),
    f('replyTo', 'text'),
    f('company', 'text'),
    f('defaultLocale', 'select', { options: ['', 'ru', 'en'] }),
    f('templates', 'json'),
  ],
  'autoreply-sms': [...SMS_PROVIDER, f('company', 'text'), f('defaultLocale', 'select', { options: ['', 'ru', 'en'] }), f('templates', 'json')],
  zadarma: [f('key', 'text'), f('secret', 'secret'), f('sip', 'text'), ...CALL_FLOW],
  uis: [f('accessToken', 'secret'), f('virtualPhoneNumber', 'text'), f('notifyToken', 'secret'), ...CALL_FLOW],
  mango: [f('apiKey', 'text'), f('apiSalt', 'secret'), f('lineNumber', 'text'), ...CALL_FLOW],
  twilio: [f('accountSid', 'text'), f('authToken', 'secret'), f('from', 'text'), ...CALL_FLOW.filter((x) => x.path !== 'publicUrl'), f('publicUrl', 'url')],
}

export const TARGET_TYPES = Object.keys(TARGET_FIELDS) as TargetType[]

/** The value at a dotted path, or undefined. */
export function valueAt(draft: unknown, path: string): unknown {
  let node = draft
  for (const key of path.split('.')) node = typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined
  return node
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A copy with the value at `path` set; `undefined` removes it, and an object left empty goes too. */
export function withValueAt<T extends Record<string, unknown>>(draft: T, path: string, value: unknown): T {
  const [key, ...rest] = path.split('.') as [string, ...string[]]
  const next: Record<string, unknown> = { ...draft }
  const child = rest.length === 0 ? value : withValueAt(isRecord(draft[key]) ? draft[key] : {}, rest.join('.'), value)
  if (child === undefined || (rest.length > 0 && isRecord(child) && Object.keys(child).length === 0)) delete next[key]
  else next[key] = child
  return next as T
}

export function fieldApplies(field: TargetField, draft: TargetDraft): boolean {
  if (!field.when) return true
  const current = valueAt(draft, field.when.path)
  return typeof current === 'string' && field.when.values.includes(current)
}

/** What a field's input shows for the draft's value. */
export function fieldText(field: TargetField, value: unknown): string | boolean {
  if (field.kind === 'checkbox') return value === true
  if (field.kind === 'list') return Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : ''
  if (field.kind === 'json') return value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2)
  return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
}

/**
 * What a field's input means in the draft. Empty text removes the key (the default applies); a
 * number that is not one, or JSON that does not parse, stays text for the schema to name.
 */
export function fieldValue(field: TargetField, input: string | boolean): unknown {
  if (field.kind === 'checkbox') return input === true ? true : undefined
  const text = typeof input === 'string' ? input : ''
  if (text.trim() === '') return undefined
  switch (field.kind) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text
    case 'list':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    case 'json':
      try {
        return JSON.parse(text) as unknown
      } catch {
        // Kept as typed: the check below names it at the field.
        return text
      }
    default:
      return field.path === 'chatId' && /^-?\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : text.trim()
  }
}

/** True while a secret field holds the redacted value it was read with: stored, kept unless replaced. */
export function isKeptSecret(draft: unknown, saved: unknown, path: string): boolean {
  const value = valueAt(draft, path)
  return typeof value === 'string' && containsRedacted(value) && value === valueAt(saved, path)
}

/** The field an issue belongs to: its path or the longest field path it starts with. */
export function fieldOf(type: TargetType, path: string): TargetField | undefined {
  const fields = [f('id', 'text'), ...TARGET_FIELDS[type]]
  return fields.filter((x) => path === x.path || path.startsWith(`${x.path}.`)).sort((a, b) => b.path.length - a.path.length)[0]
}

/**
 * The draft checked by the API's TargetSchema, with the API's paths and words. A kept redacted
 * secret is not reported (the API restores it); a JSON field that does not parse is, at the field.
 */
export function checkTargetDraft(draft: TargetDraft, saved?: TargetDraft): FieldIssue[] {
  const issues: FieldIssue[] = []
  for (const field of TARGET_FIELDS[draft.type] ?? []) {
    const value = valueAt(draft, field.path)
    if (field.kind === 'json' && typeof value === 'string') issues.push({ path: field.path, code: 'invalid_format', message: 'must be valid JSON' })
  }
  const parsed = v.safeParse(TargetSchema, draft, { message: humanMessage })
  if (parsed.success) return issues
  const known = new Set(issues.map((i) => i.path))
  for (const issue of toFieldIssues(parsed.issues, '', TargetSchema)) {
    if (known.has(issue.path)) continue
    if (saved && isKeptSecret(draft, saved, issue.path)) continue
    issues.push(issue)
  }
  return issues
}

/** The API's issues for `targets.<index>.…`, with paths inside the target. */
export function issuesOfTarget(issues: readonly FieldIssue[], index: number): FieldIssue[] {
  const prefix = `targets.${index}.`
  return issues.filter((i) => i.path.startsWith(prefix)).map((i) => ({ ...i, path: i.path.slice(prefix.length) }))
}

/**
 * What a test lead to this type needs from the person testing: auto-replies and calls reach the
 * visitor, so the API takes a test lead for them only with a real contact (never a made-up one).
 */
export function testContactKind(type: TargetType): 'email' | 'phone' | null {
  if (type === 'autoreply-email') return 'email'
  if (type === 'autoreply-sms' || type === 'zadarma' || type === 'uis' || type === 'mango' || type === 'twilio') return 'phone'
  return null
}

/** A webhook signing key as Standard Webhooks has them: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return `whsec_${btoa(String.fromCharCode(...bytes))}`
}

/** A new target of a type, with an id no other target has (deliveries refer to targets by it). */
export function newTargetDraft(type: TargetType, takenIds: readonly string[]): TargetDraft {
  let id: string = type
  for (let n = 2; takenIds.includes(id); n++) id = `${type}-${n}`
  const base: TargetDraft = { type, id }
  switch (type) {
    case 'webhook':
      return { ...base, url: '', secret: newWebhookSecret() }
    case 'autoreply-email':
      return { ...base, provider: { name: 'resend' } }
    case 'autoreply-sms':
      return { ...base, provider: { name: 'smsru' } }
    default:
      return base
  }
}
