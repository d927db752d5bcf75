-- Spam verdicts, dedupe keys and explainable scores.

ALTER TABLE leads ADD COLUMN status TEXT NOT NULL DEFAULT 'accepted';  -- accepted | spam
ALTER TABLE leads ADD COLUMN flags TEXT;                               -- JSON [{ code, detail }]: why it is spam
ALTER TABLE leads ADD COLUMN score INTEGER;
ALTER TABLE leads ADD COLUMN temperature TEXT;                         -- hot | warm | cold
ALTER TABLE leads ADD COLUMN reasons TEXT;                             -- JSON [{ rule, points, text }]
CREATE INDEX leads_duplicate_of ON leads (duplicate_of);

-- The first lead of each contact per site. The primary key makes "is this contact new?" and
-- "remember it" one atomic step inside the insert batch, so two tabs submitting at once cannot
-- both create a "new" lead.
CREATE TABLE contact_keys (
  site_id   TEXT NOT NULL,
  kind      TEXT NOT NULL,      -- phone | email
  value     TEXT NOT NULL,      -- E.164 phone or normalized email
  lead_id   TEXT NOT NULL,      -- the first lead with this contact inside the window
  first_at  INTEGER NOT NULL,   -- unix ms
  PRIMARY KEY (site_id, kind, value)
);

-- Attribution copied out of the payload so source-quality stats group by index-friendly columns.
ALTER TABLE leads ADD COLUMN utm_source TEXT;
ALTER TABLE leads ADD COLUMN utm_campaign TEXT;
ALTER TABLE leads ADD COLUMN page TEXT;                                -- origin + path, no query
CREATE INDEX leads_site_status ON leads (site_id, status, created_at);

-- Submissions refused for what the visitor sent (invalid phone, no contact, rate limit …): they
-- are not leads, but the stats must show which campaign sends them.
CREATE TABLE rejections (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id       TEXT NOT NULL,
  code          TEXT NOT NULL,
  source        TEXT,
  utm_source    TEXT,
  utm_campaign  TEXT,
  page          TEXT,
  created_at    INTEGER NOT NULL
);
CREATE INDEX rejections_site_created ON rejections (site_id, created_at);

-- Fixed-window counters, exact (unlike the eventually consistent Rate Limiting binding).
CREATE TABLE rate_limits (
  key           TEXT PRIMARY KEY,   -- e.g. "phone:<site>:+7912…", "ip:<ip>", "site:<site>"
  window_start  INTEGER NOT NULL,
  count         INTEGER NOT NULL
);

-- Right to erasure and retention: personal fields are cleared, the row stays for the counts.
ALTER TABLE leads ADD COLUMN erased_at INTEGER;
CREATE INDEX leads_site_phone ON leads (site_id, phone);
CREATE INDEX leads_site_email ON leads (site_id, email COLLATE NOCASE);
