-- The lead lifecycle (shared/schemas/lead-status.ts) and its history. `status` stays the ingest
-- verdict (accepted | spam); `stage` is where a manager has got with the lead.

ALTER TABLE leads ADD COLUMN stage TEXT NOT NULL DEFAULT 'new';  -- new | in_work | qualified | won | not_now | junk
ALTER TABLE leads ADD COLUMN junk_reason TEXT;                   -- wrong_number | spam | off_target | duplicate | other; only with junk
ALTER TABLE leads ADD COLUMN first_action_at INTEGER;            -- unix ms: the first take or status change by a person
ALTER TABLE leads ADD COLUMN stage_changed_at INTEGER;           -- unix ms
CREATE INDEX leads_site_stage ON leads (site_id, stage, created_at);

-- Spam caught at ingest is junk/spam from the start, nobody having touched it; taken leads are in work.
UPDATE leads SET stage = 'junk', junk_reason = 'spam', stage_changed_at = created_at WHERE status = 'spam';
UPDATE leads SET stage = 'in_work', stage_changed_at = taken_at, first_action_at = taken_at
  WHERE status = 'accepted' AND taken_at IS NOT NULL;

-- Every take, status change and note, with who made it. A change and its event are one batch.
CREATE TABLE lead_events (
  id           TEXT PRIMARY KEY,
  lead_id      TEXT NOT NULL REFERENCES leads(id),
  site_id      TEXT NOT NULL,
  at           INTEGER NOT NULL,          -- unix ms
  actor_kind   TEXT NOT NULL,             -- operator | site_token | manager | telegram | crm | system
  actor_id     TEXT,                      -- manager id, Telegram user id, CRM name; null otherwise
  kind         TEXT NOT NULL,             -- status | take | note
  from_status  TEXT,                      -- null when the status did not change
  to_status    TEXT,
  reason       TEXT,                      -- the junk reason
  note         TEXT                       -- may hold personal data: erasure clears it
);
CREATE INDEX lead_events_lead ON lead_events (lead_id, at);

-- A lead.status_changed delivery carries its event: the webhook body is rebuilt from it on every
-- retry, so it stays byte-identical under the same webhook-id.
ALTER TABLE deliveries ADD COLUMN event_id TEXT REFERENCES lead_events(id);
