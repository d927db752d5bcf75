// What the inbound CRM routes share: finding the site's target the CRM calls, the adapter context
// for calling the CRM back, and reading a form-encoded body.
import type { Target } from '../../../shared/schemas/site-config'
import { targetId } from '../../../shared/schemas/site-config'
import type { Deps } from '../deps'
import type { AdapterContext } from '../delivery/adapters/types'
import { adapterContext } from '../delivery/adapters/adapter-context'
import { ApiError } from '../http/api-error'
import type { SiteRecord } from '../storage/types'

/** The site and its target of this type with outcomes set up, or a 404 that names neither secret. */
export async function inboundTarget<T extends Target['type']>(
  deps: Deps,
  siteId: string,
  id: string,
  type: T,
): Promise<{ site: SiteRecord; target: Extract<Target, { type: T }>; targetId: string }> {
  const site = await deps.sites.getSite(siteId)
  const index = site?.config.targets.findIndex((t, i) => t.type === type && targetId(t, i) === id) ?? -1
  const target = site?.config.targets[index] as Extract<Target, { type: T }> | undefined
  if (!site || !target || !('outcomes' in target) || !target.outcomes) {
    throw new ApiError(404, 'not_found', `No ${type} outcomes endpoint here: the site, the target or its outcomes block is missing.`)
  }
  return { site, target, targetId: id }
}

/** Calls back to the CRM get the delivery adapters' rules: a timeout, no redirects. */
export function crmContext(deps: Deps): AdapterContext {
  return adapterContext(deps, 10_000)
}

/**
 * Form-encoded keys as the CRMs send them (`data[FIELDS][ID]`), flat. Read as bytes: workerd
 * warns on .text() of a form body, and the decoding is the same.
 */
export async function readForm(request: { arrayBuffer(): Promise<ArrayBuffer> }): Promise<URLSearchParams> {
  return new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()))
}

export function crmUnavailable(crm: string, detail: string): ApiError {
  return new ApiError(502, 'crm_unavailable', `${crm} could not be asked about the lead (${detail}); nothing was changed, send the event again.`)
}
