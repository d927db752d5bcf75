// Reads a JSON request body after the content-type and size checks, mapping each failure to its code.
import type { Context } from 'hono'
import { ApiError } from './api-error'

/** `text/plain` is accepted because `navigator.sendBeacon` cannot send `application/json` without a preflight. */
const JSON_TYPES = new Set(['application/json', 'text/plain'])

export async function readJsonBody(c: Context, { allowTextPlain = true } = {}): Promise<unknown> {
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!JSON_TYPES.has(mediaType) || (!allowTextPlain && mediaType !== 'application/json')) {
    const accepted = allowTextPlain ? 'application/json or text/plain (JSON)' : 'application/json'
    throw new ApiError(415, 'unsupported_media_type', `Content-Type must be ${accepted}.`)
  }
  const text = await c.req.text()
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.')
  }
}
