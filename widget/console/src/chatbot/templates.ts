// The three demo flows (demo/flows/) as templates to start a site's chatbot from. Imported as JSON
// into the Chatbot page's lazy chunk only, so the console's first load does not carry them.
import englishSchool from '../../../../demo/flows/english-school.json'
import realty from '../../../../demo/flows/realty.json'
import travel from '../../../../demo/flows/travel.json'
import type { Locale } from '../../../../shared/flow/engine'

export interface FlowTemplate {
  id: string
  title: Record<Locale, string>
  flow: unknown
}

/** The demo's `$schema` is a path inside this repository; a site's flow has no use for it. */
function withoutSchemaPath({ $schema: _path, ...flow }: { $schema?: string }): unknown {
  return flow
}

export const FLOW_TEMPLATES: readonly FlowTemplate[] = [
  { id: 'realty', title: { en: 'Real estate agency', ru: 'Агентство недвижимости' }, flow: withoutSchemaPath(realty) },
  { id: 'english-school', title: { en: 'English school', ru: 'Школа английского' }, flow: withoutSchemaPath(englishSchool) },
  { id: 'travel', title: { en: 'Travel agency', ru: 'Турагентство' }, flow: withoutSchemaPath(travel) },
]
