// POST /v1/admin/erasure: the right to erasure (GDPR art. 17, 152-FZ art. 21) for one person,
// found by phone or email on one site. Reports what was removed.
import { Hono } from 'hono'
import * as v from 'valibot'
import { normalizeEmail } from '../../../shared/email'
import { normalizePhone } from '../../../shared/phone'
import type { CountryCode } from '../../../shared/phone'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import { ApiError } from '../http/api-error'
import { configuredSite } from '../http/configured-site'
import { readJsonBody } from '../http/read-json-body'
import { parseOrReject } from '../http/valibot-issues'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { PHONE_METADATA } from '../phone/phone-metadata'
import { assertSiteAccess } from '../security/access-scope'
import type { AdminEnv } from '../deps'

export const adminErasureRoute = new Hono<AdminEnv>()

const ErasureSchema = v.pipe(
  v.strictObject({
    site: v.pipe(v.string(), v.regex(SITE_KEY_PATTERN, 'must be a site key')),
    phone: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(40))),
    email: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(254))),
  }),
  v.check((body) => body.phone !== undefined || body.email !== undefined, 'give a phone or an email'),
)

/** What an erasure removes, as its answer lists it (LeadStore.erasePersonalData does it). */
export const ERASED_FIELDS = [
  'name',
  'phone',
  'email',
  'message',
  'answers',
  'transcript',
  'page',
  'landing',
  'referrer',
  'first_touch_urls',
  'click_ids',
  'ip',
  'user_agent',
  'consent_text',
  'flag_details',
  'notes',
  'target_answers',
  'dedupe_keys',
  'rate_limit_counters',
]

adminErasureRoute.post('/', jsonBodyLimit({ maxBytes: 4096 }), async (c) => {
  const body = await readJsonBody(c, { allowTextPlain: false })
  const { site: siteKey, phone, email } = parseOrReject(ErasureSchema, body, 'The erasure request is not valid.')
  assertSiteAccess(c, siteKey, 'site')
  const { deps } = c.var
  const site = await configuredSite(deps, siteKey)
  const e164 = phone === undefined ? undefined : normalizePhone(phone, { defaultCountry: site.config.country as CountryCode, metadata: PHONE_METADATA, strictness: 'possible' })
  if (e164 && !e164.ok) throw new ApiError(400, 'invalid_phone', 'This is not a phone number.', { issues: [{ path: 'phone', message: 'not a phone number' }] })
  const normalizedEmail = email === undefined ? undefined : normalizeEmail(email)
  if (normalizedEmail === null) throw new ApiError(400, 'invalid_email', 'This is not an email address.', { issues: [{ path: 'email', message: 'not an email address' }] })

  const ids = await deps.leads.findByContact(site.id, {
    ...(e164?.ok && { phone: e164.e164 }),
    ...(normalizedEmail !== undefined && { email: normalizedEmail }),
  })
  const result = await deps.leads.erasePersonalData(ids, deps.now())
  return c.json({ site: site.id, erasedLeads: result.leads, leadIds: ids, cancelledDeliveries: result.deliveriesCancelled, fields: ERASED_FIELDS })
})
