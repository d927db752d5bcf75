// The phone metadata a visitor downloads beside the widget's files: the worker builds it for the
// site's countries (GET /v1/sites/:site/phone-metadata), so it is in no file of dist/widget. The
// size and bench scripts count it for a reference site with the same builder the worker runs.
import { createRequire } from 'node:module'
import { buildPhoneMetadata } from '../shared/phone-metadata-build.ts'

/** A site in Russia whose visitors also come from its neighbours: five countries, a typical list. */
export const REFERENCE_COUNTRIES = ['RU', 'KZ', 'BY', 'UA', 'UZ']

const metadata = createRequire(import.meta.url)('libphonenumber-js/metadata.max.json')

/** The response body for `countries`, as the worker sends it. */
export function phoneMetadataBody(countries = REFERENCE_COUNTRIES) {
  return Buffer.from(JSON.stringify({ countries: buildPhoneMetadata(countries, metadata) }))
}

/** The most a site can name (its country and 20 more): the 21 countries with the most formats. */
export function heaviestCountries() {
  const weight = (code) => JSON.stringify(metadata.countries[code][4] ?? '').length
  return Object.keys(metadata.countries)
    .sort((a, b) => weight(b) - weight(a))
    .slice(0, 21)
}
