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

/** `limit`: a page size from 1 to 200, 50 when absent. */
export const LimitParamSchema = v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number from 1 to 200'), v.transform(Number), v.minValue(1), v.maxValue(200)), '50')

/** Where a page ended: the last row's creation time and id (the rows are newest first). */
export interface PageCursor {
  createdAt: number
  id: string
}

/** `cursor`: a `nextCursor` of an earlier page, whose id matches `idPattern` (a regex source). */
export function cursorParam(idPattern: string) {
  const shape = new RegExp(`^(\\d{1,15}):(${idPattern})$`)
  return v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => {
        try {
          return atob(s.replaceAll('-', '+').replaceAll('_', '/'))
        } catch {
          return ''
        }
      }),
      v.regex(shape, 'is not a cursor from a previous page'),
      v.transform((s): PageCursor => {
        const [, createdAt, id] = shape.exec(s)!
        return { createdAt: Number(createdAt), id: id! }
      }),
    ),
  )
}

/** The opaque `nextCursor` of a page ending at this row (base64url of "createdAt:id"). */
export function encodeCursor({ createdAt, id }: PageCursor): string {
  return btoa(`${createdAt}:${id}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}
