// Constant-time secret comparison for tokens and webhook secrets.
const encoder = new TextEncoder()

export function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', encoder.encode(text))
}

export function hex(buffer: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** The stored form of a token or session id: its SHA-256 in hex. */
export async function sha256Hex(text: string): Promise<string> {
  return hex(await sha256(text))
}

/** HMAC-SHA256 of `message` keyed with `key` (both as UTF-8). */
export async function hmacSha256(key: string, message: string): Promise<ArrayBuffer> {
  const imported = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return crypto.subtle.sign('HMAC', imported, encoder.encode(message))
}

/**
 * Constant-time equality of two stored digests (hex of the same length): no early exit, so the
 * time says nothing about where they differ.
 */
export function sameDigest(a: string, b: string): boolean {
  let diff = a.length ^ b.length
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0)
  return diff === 0
}

/**
 * Hashing both sides first makes the comparison independent of where the strings differ and of
 * their lengths, so response time says nothing about the secret.
 */
export async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(given), sha256(expected)])
  // Both digests are 32 bytes; the loop has no early exit. Written out because timingSafeEqual is
  // a Workers extension of SubtleCrypto that Node does not have.
  const x = new Uint8Array(a)
  const y = new Uint8Array(b)
  let diff = 0
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!
  return diff === 0
}
