-- Per-site admin tokens: a site owner's integrations read that site's leads and nothing else.
-- Only the SHA-256 of a token is stored; the token itself is shown once, when it is made.
CREATE TABLE site_tokens (
  token_hash  TEXT PRIMARY KEY,
  site_id     TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  label       TEXT,
  created_at  INTEGER NOT NULL
);
CREATE INDEX site_tokens_site ON site_tokens (site_id);
