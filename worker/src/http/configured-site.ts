// The site an admin route names, or 404 when none is configured.
import type { Deps } from '../deps'
import type { SiteRecord } from '../storage/types'
import { ApiError } from './api-error'

export async function configuredSite(deps: Deps, siteKey: string): Promise<SiteRecord> {
  const site = await deps.sites.getSite(siteKey)
  if (!site) throw new ApiError(404, 'not_found', `No site "${siteKey}" is configured.`)
  return site
}
