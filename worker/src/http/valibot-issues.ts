// Rejects invalid request parts with the API's `[{ path, code, message }]` in plain words; the
// wording itself is shared/valibot-issues.ts (the console checks its drafts with it too).
import { safeParse } from 'valibot'
import type { GenericSchema, InferOutput } from 'valibot'
import { ApiError } from './api-error'
import { humanMessage, toFieldIssues } from '../../../shared/valibot-issues'

export { humanMessage, issueCode, toFieldIssues } from '../../../shared/valibot-issues'

/** Parses a request part or answers 400 `validation_failed` naming every invalid field. */
export function parseOrReject<S extends GenericSchema>(schema: S, value: unknown, message: string): InferOutput<S> {
  const parsed = safeParse(schema, value, { message: humanMessage })
  if (!parsed.success) throw new ApiError(400, 'validation_failed', message, { issues: toFieldIssues(parsed.issues, '', schema) })
  return parsed.output
}
