// Response bodies of the console's sign-in API (/v1/console/session) and the site-token listing,
// shared so the console UI and the tests read the same shapes. Types only: nothing here is bundled.

/** Who the console is signed in as. */
export type ConsoleScope =
  | { kind: 'operator' }
  | {
      kind: 'site'
      site: string
      /** Present when the token was issued to a named manager: takes and status changes are theirs. */
      managerId?: string
      /** The manager's name in the site's routing (absent if the manager was removed since). */
      managerName?: string
    }

/** `POST /v1/console/session` (200) and `GET /v1/console/session` (200). */
export interface ConsoleSessionBody {
  scope: ConsoleScope
  /** Send as `X-CSRF-Token` with every POST, PUT, PATCH and DELETE made with the session cookie. */
  csrfToken: string
  /** ISO 8601; the session ends then at the latest (12 h after sign-in). */
  expiresAt: string
}

/** One row of `GET /v1/admin/sites/:site/tokens`: never the token itself. */
export interface SiteTokenSummary {
  /** The first 8 hex digits of the token's SHA-256: what `DELETE …/tokens/:id` takes. */
  id: string
  label: string | null
  managerId: string | null
  /** ISO 8601 */
  createdAt: string
}

/** `GET /v1/admin/sites/:site/tag-status`: "Is the tag live?", one entry per allowed origin. */
export interface TagStatus {
  site: string
  origins: TagStatusOrigin[]
}

export interface TagStatusOrigin {
  origin: string
  /** ISO 8601 of the latest counted config fetch from this origin; null when the widget never loaded there. */
  lastLoadedAt: string | null
  /** Config fetches counted today (UTC). */
  loadsToday: number
}
