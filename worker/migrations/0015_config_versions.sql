-- Config versions (issue 15): every saved site config is kept, with who saved it and when, so the
-- console can show what changed between two and restore an old one. The config is stored as the
-- live `sites` row stores it (secrets included, as the delivery code needs them to restore);
-- admin reads redact it. The store keeps the newest 100 per site.
CREATE TABLE config_versions (
  site_id        TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  version        INTEGER NOT NULL,  -- 1, 2, … per site, never reused
  config         TEXT NOT NULL,     -- JSON, as sites.config
  saved_by_kind  TEXT NOT NULL,     -- admin_token | console_session | site_token | system
  saved_by       TEXT NOT NULL,     -- a readable name: "admin token", a token's label, "before versions"
  restored_from  INTEGER,           -- the version a restore copied
  saved_at       INTEGER NOT NULL,  -- unix ms
  PRIMARY KEY (site_id, version)
);

-- The configs saved before versions existed become each site's version 1, dated by its last save.
INSERT INTO config_versions (site_id, version, config, saved_by_kind, saved_by, restored_from, saved_at)
SELECT id, 1, config, 'system', 'before versions', NULL, updated_at FROM sites;
