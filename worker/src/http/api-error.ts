// The one error type routes throw; app.onError turns it into `{ error: { code, message, issues? } }`.
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ApiErrorBody, ErrorCode, FieldIssue } from '../../../shared/api'

export class ApiError extends Error {
  readonly status: ContentfulStatusCode
  readonly code: ErrorCode
  readonly issues: FieldIssue[] | undefined
  readonly headers: Record<string, string> | undefined

  constructor(status: ContentfulStatusCode, code: ErrorCode, message: string, extra: { issues?: FieldIssue[]; headers?: Record<string, string> } = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.issues = extra.issues
    this.headers = extra.headers
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } }
  }
}
