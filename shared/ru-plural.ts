// The Russian plural of a count, for the console's texts and the score reasons' words.

/**
 * Russian: 1 визит, 2 визита, 5 визитов; 11–14 take the third form.
 * @example
 * ruPlural(3, 'визит', 'визита', 'визитов') // → 'визита'
 */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const tens = n % 100
  const units = n % 10
  if (tens >= 11 && tens <= 14) return many
  if (units === 1) return one
  if (units >= 2 && units <= 4) return few
  return many
}
