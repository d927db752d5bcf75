// Turns valibot issues into the API's `[{ path, message }]`, one entry per field, and rejects
// invalid request parts with them.
import { safeParse } from 'valibot'
import type { BaseIssue, GenericSchema, InferOutput } from 'valibot'
import { ApiError } from './api-error'
import type { FieldIssue } from '../../../shared/api'

export function toFieldIssues(issues: readonly BaseIssue<unknown>[], prefix = ''): FieldIssue[] {
  const seen = new Set<string>()
  const out: FieldIssue[] = []
  for (const issue of issues) {
    const keys = (issue.path ?? []).map((item) => String(item.key))
    const path = [prefix, ...keys].filter(Boolean).join('.') || '(body)'
    if (seen.has(path)) continue
    seen.add(path)
    out.push({ path, message: issue.message })
  }
  return out
}

/** Parses a request part or answers 400 `validation_failed` naming every invalid field. */
export function parseOrReject<S extends GenericSchema>(schema: S, value: unknown, message: string): InferOutput<S> {
  const parsed = safeParse(schema, value)
  if (!parsed.success) throw new ApiError(400, 'validation_failed', message, { issues: toFieldIssues(parsed.issues) })
  return parsed.output
}
