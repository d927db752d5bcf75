// Finds the FAQ entry a visitor's free-text question is about, by key words and their synonyms.
import type { FaqEntry } from './schema'

/** Lower-cased words; `ё` folded into `е` since Russian visitors type either. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
}

/**
 * The entry whose key words (or their synonyms) occur most in the question; ties go to the earlier
 * entry, no hit gives `null`. A key word matches any word that starts with it, so `цен` finds
 * «цена», «цены», «ценах» without a stemmer; multi-word key words must all occur.
 *
 * @example
 * matchFaq('Сколько стоит урок?', [{ id: 'price', keywords: ['стоит', 'цен'], … }]) // → the price entry
 */
export function matchFaq(question: string, entries: readonly FaqEntry[], synonyms: Readonly<Record<string, readonly string[]>> = {}): FaqEntry | null {
  const said = words(question)
  const occurs = (keyword: string) => {
    const parts = words(keyword)
    return parts.length > 0 && parts.every((part) => said.some((word) => word.startsWith(part)))
  }
  let best: FaqEntry | null = null
  let bestHits = 0
  for (const entry of entries) {
    let hits = 0
    for (const keyword of entry.keywords) {
      const variants = [keyword, ...(Object.hasOwn(synonyms, keyword) ? (synonyms[keyword] ?? []) : [])]
      if (variants.some(occurs)) hits++
    }
    if (hits > bestHits) {
      best = entry
      bestHits = hits
    }
  }
  return best
}
