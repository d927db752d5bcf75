// Query-string schemas the admin routes share.
import * as v from 'valibot'

/** An ISO 8601 date or date-time (`2026-11-01`, `2026-11-01T10:00:00Z`), as unix ms. */
export const DateParamSchema = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'must be an ISO 8601 date like 2026-11-01'),
  v.transform((s) => Date.parse(s)),
  v.check((ms) => Number.isFinite(ms), 'is not a real date'),
)

export const BooleanParamSchema = v.pipe(
  v.picklist(['true', 'false'], 'must be true or false'),
  v.transform((s) => s === 'true'),
)
