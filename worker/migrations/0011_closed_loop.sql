-- The closed loop (issue 16): where every lifecycle change came from, the CRM ids our leads got,
-- and per lead and source the last outcome taken from that source, so a repeated or out-of-order
-- CRM event changes nothing twice.

-- admin | telegram | bitrix24 | amocrm | hubspot | call | system; null on events written before
-- this migration (read as admin, or telegram / system by their actor).
ALTER TABLE lead_events ADD COLUMN source TEXT;
-- The source's own name for what happened: a CRM status id, a HubSpot property=value, a call id.
ALTER TABLE lead_events ADD COLUMN source_ref TEXT;

-- The id a CRM gave our lead (an amoCRM lead, a HubSpot contact), recorded with the delivery that
-- created it, so the CRM's events find our lead. A repeat's contact points at the newest lead.
CREATE TABLE lead_external_refs (
  site_id      TEXT NOT NULL,
  target_id    TEXT NOT NULL,
  external_id  TEXT NOT NULL,
  lead_id      TEXT NOT NULL REFERENCES leads(id),
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (site_id, target_id, external_id)
);

-- The last outcome a source reported for a lead, whether or not it changed our status: an event
-- with the same ref, or older than `at`, is a repeat or out of order and is dropped.
CREATE TABLE outcome_cursors (
  lead_id  TEXT NOT NULL REFERENCES leads(id),
  source   TEXT NOT NULL,
  ref      TEXT NOT NULL,
  at       INTEGER NOT NULL,              -- unix ms, when it happened at the source
  PRIMARY KEY (lead_id, source)
);
