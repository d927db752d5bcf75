// The lead "send a test lead" sends when the caller gives none: an obviously made-up person with a
// valid mobile number of the site's country, so every target's own checks accept it.
import examples from 'libphonenumber-js/examples.mobile.json'
import type { LeadOutput } from '../../../shared/schemas/lead'
import type { SiteConfig } from '../../../shared/schemas/site-config'

const NAMES = { ru: 'Тест Тестов (Leadcatcher)', en: 'Test Lead (Leadcatcher)' } as const
const MESSAGES = {
  ru: 'Тестовая заявка из консоли Leadcatcher: проверка доставки. Перезванивать не нужно.',
  en: 'A test lead from the Leadcatcher console, to check the delivery. Please do not call back.',
} as const

/** libphonenumber's example mobile of the country (national digits), valid by its own metadata. */
export function exampleMobile(country: string): string | undefined {
  return (examples as Record<string, string | undefined>)[country]
}

export function generatedTestLead(site: string, config: SiteConfig, id: string): LeadOutput {
  const locale = config.locale === 'en' ? 'en' : 'ru'
  const phone = exampleMobile(config.country)
  return {
    id,
    site,
    source: 'callback',
    // A country without an example gets an address on example.com (RFC 2606), never a real one.
    contact: { name: NAMES[locale], ...(phone ? { phone } : { email: 'test-lead@example.com' }) },
    message: MESSAGES[locale],
    ...(config.consent && { consent: { given: true, text: config.consent.text } }),
    locale,
    context: { ...(config.origins[0] && { page: `${config.origins[0]}/` }) },
  }
}
