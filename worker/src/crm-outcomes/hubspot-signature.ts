// HubSpot's v3 request signature: base64(HMAC-SHA256(client secret, method + URI + body +
// X-HubSpot-Request-Timestamp)), refused when the timestamp is more than 5 minutes off.
// developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests
import { hmacSha256, sameSecret } from '../security/same-secret'
import { toBase64 } from '../telephony/provider-hashes'

export const HUBSPOT_MAX_AGE_MS = 5 * 60_000

/** HubSpot signs the URI with these characters decoded (its "validate the v3 signature" steps). */
const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
}

export function hubSpotUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (match) => DECODED[match.toUpperCase()] ?? match)
}

export type SignatureCheck = 'ok' | 'missing' | 'expired' | 'mismatch'

export async function hubSpotSignatureV3(clientSecret: string, method: string, uri: string, body: string, timestamp: string): Promise<string> {
  return toBase64(await hmacSha256(clientSecret, `${method}${hubSpotUri(uri)}${body}${timestamp}`))
}

export async function checkHubSpotSignature(
  clientSecret: string,
  request: { method: string; uri: string; body: string; signature: string | undefined; timestamp: string | undefined },
  now: number,
): Promise<SignatureCheck> {
  const { signature, timestamp } = request
  if (!signature || !timestamp || !/^\d{10,16}$/.test(timestamp)) return 'missing'
  // A replayed request keeps its old timestamp, and the timestamp is signed.
  if (Math.abs(now - Number(timestamp)) > HUBSPOT_MAX_AGE_MS) return 'expired'
  const expected = await hubSpotSignatureV3(clientSecret, request.method, request.uri, request.body, timestamp)
  return (await sameSecret(signature, expected)) ? 'ok' : 'mismatch'
}
