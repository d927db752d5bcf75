-- Manager assignment, first-come taking and SLA escalation.

ALTER TABLE leads ADD COLUMN manager_id TEXT;      -- who the lead is assigned to now
ALTER TABLE leads ADD COLUMN taken_by TEXT;        -- the manager who confirmed they work on it
ALTER TABLE leads ADD COLUMN taken_at INTEGER;
ALTER TABLE leads ADD COLUMN escalations INTEGER NOT NULL DEFAULT 0;

-- Round-robin position per site; incremented atomically with RETURNING.
CREATE TABLE routing_turns (
  site_id  TEXT PRIMARY KEY,
  turn     INTEGER NOT NULL
);
