// Email syntax check and normalization. No network look-ups: they do not belong on the ingest path.
import * as v from 'valibot'

const EmailSchema = v.pipe(v.string(), v.email())

/** Returns the address with its domain lower-cased, or null when the syntax is wrong. */
export function normalizeEmail(raw: string): string | null {
  const text = raw.trim()
  if (!v.is(EmailSchema, text)) return null
  const at = text.lastIndexOf('@')
  return `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`
}
