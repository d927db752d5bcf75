// Caps request bodies before anything parses them, answering 413 in the API's error shape.
import { bodyLimit } from 'hono/body-limit'
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../http/api-error'

export interface JsonBodyLimitOptions {
  /** Bytes; 32 KB holds a long chat transcript many times over. */
  maxBytes?: number
}

export function jsonBodyLimit({ maxBytes = 32 * 1024 }: JsonBodyLimitOptions = {}): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      const error = new ApiError(413, 'payload_too_large', `The request body must be at most ${maxBytes} bytes.`)
      return c.json(error.toBody(), 413)
    },
  })
}
