// CSV for spreadsheet exports (RFC 4180), safe to open in Excel and LibreOffice.

/**
 * Quotes every cell, and prefixes cells a spreadsheet would run as a formula (=, +, -, @, tab, CR)
 * with an apostrophe: visitor text must never become a formula in a manager's spreadsheet (OWASP
 * "CSV injection").
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return `"${text.replaceAll('"', '""')}"`
}

export function toCsv(header: string[], rows: unknown[][]): string {
  // A BOM makes Excel read UTF-8 (Cyrillic names) correctly.
  return '\uFEFF' + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
