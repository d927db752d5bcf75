// Turns valibot issues into the API's `[{ path, message }]`, one entry per field.
import type { BaseIssue } from 'valibot'
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
