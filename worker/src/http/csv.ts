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
  return '\uFEFF' + csvLines([header, ...rows])
}

/** Rows as CSV lines, each ended by CRLF: a piece of a streamed file (toCsv's BOM and header first). */
export function csvLines(rows: unknown[][]): string {
  return rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('')
}

/**
 * A CSV file as a stream: the BOM and header, then each page `nextPage` gives, read only when the
 * client takes more (highWaterMark 0), so one page at a time is in memory, never the whole file.
 * `nextPage` answers null when there is nothing more.
 */
export function csvStream(header: string[], nextPage: () => Promise<unknown[][] | null>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let headerSent = false
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true
          controller.enqueue(encoder.encode(toCsv(header, [])))
          return
        }
        // Each pull must enqueue or close, or the reader waits for ever: an empty page reads on.
        for (;;) {
          const rows = await nextPage()
          if (rows === null) return controller.close()
          if (rows.length > 0) return controller.enqueue(encoder.encode(csvLines(rows)))
        }
      },
    },
    { highWaterMark: 0 },
  )
}
