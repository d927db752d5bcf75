// Constant-time secret comparison for tokens and webhook secrets.
const encoder = new TextEncoder()

export function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', encoder.encode(text))
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
