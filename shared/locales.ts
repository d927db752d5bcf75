// The languages we have texts for. A leaf module: the lead contract and the site config both use
// it, and the site config already imports the lead contract (through routing).
export const LOCALES = ['ru', 'en'] as const
export type Locale = (typeof LOCALES)[number]
