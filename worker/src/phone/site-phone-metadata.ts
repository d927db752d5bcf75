// Builds the widget's phone metadata for a site's countries out of libphonenumber's full set
// (which stays here, for validation), and keeps what it built: a site's countries change rarely.
import { buildPhoneMetadata } from '../../../shared/phone-metadata-build'
import { PHONE_METADATA } from './phone-metadata'

/** Built sets by country list; bounded, since sites are few and their lists change rarely. */
const cache = new Map<string, string>()
const CACHE_LIMIT = 200

/** The JSON body for a site's countries, built once per list. */
export function sitePhoneMetadataJson(countries: readonly string[]): string {
  const key = countries.join()
  let json = cache.get(key)
  if (json === undefined) {
    json = JSON.stringify({ countries: buildPhoneMetadata(countries, PHONE_METADATA) })
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value ?? '')
    cache.set(key, json)
  }
  return json
}
