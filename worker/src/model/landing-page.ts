// The landing page of a lead for reports: origin and path, without the query string that differs
// on every ad click (UTM tags, click ids).
export function landingPage(url: string | undefined): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return null
  }
}
