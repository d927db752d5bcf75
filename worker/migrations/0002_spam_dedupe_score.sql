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
