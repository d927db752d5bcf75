// Pieces every target schema shares: the target id and secret-ish strings.
import * as v from 'valibot'
import { notRedacted } from '../redacted'

export { maskSecret } from '../redacted'

const TARGET_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/

/** Same rule as webhook ids in site-config.ts: deliveries refer to targets by it. */
export const TargetIdSchema = v.pipe(v.string(), v.regex(TARGET_ID, 'must be 1–32 lowercase letters, digits, "_" or "-"'))

export const HttpsUrlSchema = v.pipe(
  v.string(),
  notRedacted,
  v.maxLength(2048),
  v.url('must be an absolute URL'),
  v.check((value) => /^https?:\/\//i.test(value), 'must be an http(s) URL'),
)

/** API keys and tokens: printable, no whitespace (it would break the header they travel in). */
export const TokenSchema = v.pipe(v.string(), notRedacted, v.minLength(8, 'looks too short'), v.maxLength(4096), v.regex(/^\S+$/, 'must not contain spaces'))

export const LocaleSchema = v.picklist(['ru', 'en'], 'must be "ru" or "en"')
