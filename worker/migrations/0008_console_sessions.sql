-- Console sign-in: site tokens issued to a named manager, and console sessions (a token exchanged
-- for an HttpOnly cookie). Nothing here can be replayed: a session row holds the SHA-256 of the
-- cookie's session id and of its CSRF token, never the values themselves.
ALTER TABLE site_tokens ADD COLUMN manager_id TEXT;

CREATE TABLE console_sessions (
  id_hash      TEXT PRIMARY KEY,    -- SHA-256 (hex) of the session id the cookie carries
  kind         TEXT NOT NULL CHECK (kind IN ('operator', 'site')),
  site_id      TEXT REFERENCES sites(id) ON DELETE CASCADE,
  manager_id   TEXT,
  -- What the session was made from, checked on every use: for a site token its token_hash (the
  -- session ends when the token is revoked); for the operator an HMAC of the session id keyed with
  -- ADMIN_TOKEN (the session ends when ADMIN_TOKEN changes; the row says nothing about the token).
  source_hash  TEXT NOT NULL,
  csrf_hash    TEXT NOT NULL,       -- SHA-256 (hex) of the session's CSRF token
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,    -- at most 12 h after created_at
  revoked_at   INTEGER,
  CHECK ((kind = 'site') = (site_id IS NOT NULL))
);
CREATE INDEX console_sessions_source ON console_sessions (source_hash);
CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
