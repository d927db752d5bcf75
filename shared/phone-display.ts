// How a stored phone (E.164) is shown to a person, without phone metadata: the console must not pay
// libphonenumber's 30 KB to put spaces into a number. Numbers of the +7 plan (Russia, Kazakhstan)
// get the national grouping; others are shown as stored, which every dialler and CRM accepts.

/**
 * @example
 * formatPhoneForDisplay('+79123456789') // → '+7 912 345-67-89'
 * formatPhoneForDisplay('+4930123456')  // → '+4930123456'
 */
export function formatPhoneForDisplay(e164: string): string {
  const ru = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(e164)
  if (ru) return `+7 ${ru[1]} ${ru[2]}-${ru[3]}-${ru[4]}`
  return e164
}

/** The digits a `tel:` link dials: the leading `+` and digits only (RFC 3966 global number). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`
}
