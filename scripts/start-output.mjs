// What `npm start` prints: wrangler's output boiled down to what a site owner needs once, and the
// lines that tell the owner how to point a site of their own at the local CRM inbox.

/**
 * One line for what `wrangler d1 migrations apply` printed: it redraws its table of all migrations
 * after each one it applies, one table per migration.
 */
export function summarizeMigrations(output) {
  if (/No migrations to apply/i.test(output)) return 'D1 migrations are up to date.'
  const names = [...new Set(output.match(/\b\d{4}_[\w-]+\.sql\b/g) ?? [])]
  return names.length > 0 ? `D1 migrations applied: ${names.join(', ')}` : 'D1 migrations applied.'
}

/**
 * A line filter for `wrangler dev`'s output: its bindings table is printed once, not again on
 * every reload, and each reload is one line instead of three plus the table. Returns the line to
 * print, or null to drop it.
 */
export function createWranglerOutputFilter() {
  let tablesSeen = 0
  let inTable = false
  return function filterLine(line) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what starts the colour codes taken out here
    const plain = line.replace(/\u001b\[[0-9;]*m/g, '')
    if (/Your Worker has access to the following bindings/.test(plain)) {
      tablesSeen += 1
      inTable = true
      return tablesSeen === 1 ? line : null
    }
    if (inTable) {
      // The table ends with a blank line.
      if (plain.trim() === '') inTable = false
      return tablesSeen === 1 ? line : null
    }
    // Reload chatter, and the types hint that is for whoever edits wrangler.toml, not for a trial.
    if (/Connection status updated|Local server updated and ready|Your types might be out of date/.test(plain)) return null
    if (/Reloading local server/.test(plain)) return 'Reloading after a file change …'
    return line
  }
}

/** The webhook target that delivers a site's leads to the local CRM inbox. */
export function inboxTarget(inboxOrigin, site, secret) {
  return { type: 'webhook', id: 'crm-inbox', url: `${inboxOrigin}/hooks/${site}`, secret }
}

/** The lines of the start banner that show how a new site reaches the CRM inbox. */
export function inboxHowTo({ inboxOrigin, workerOrigin, secret, secretSource }) {
  const target = JSON.stringify(inboxTarget(inboxOrigin, 'YOUR-SITE', secret))
  return [
    '  Your own site → the CRM inbox: add this target to its config (PUT or PATCH',
    `  ${workerOrigin}/v1/admin/sites/YOUR-SITE; docs/development.md shows the command):`,
    `    ${target}`,
    `  The inbox checks every webhook with this secret (${secretSource}); any name after /hooks/ works.`,
  ]
}
