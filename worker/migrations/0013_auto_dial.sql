-- Auto-dial (issue 17). A call is one delivery of a lead to a telephony target: the delivery row
-- carries its schedule, retries and attempt log; these tables hold what the delivery machinery
-- does not know: the call's state, each manager's leg, what the provider told us, and the dials
-- the caps count. No phone number is stored here, only its SHA-256, so erasing a lead leaves
-- nothing personal behind.
CREATE TABLE calls (
  delivery_id   TEXT PRIMARY KEY REFERENCES deliveries(id),
  lead_id       TEXT NOT NULL REFERENCES leads(id),
  site_id       TEXT NOT NULL,
  state         TEXT NOT NULL,      -- skipped | scheduled | ringing_manager | calling_you | connected | missed | failed
  reason        TEXT,               -- why skipped, missed or failed
  scheduled_at  INTEGER,            -- unix ms, for a call outside working hours or at callbackAt
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX calls_lead ON calls (lead_id);

-- One manager rung: the routed manager first, the next one after T seconds without an answer.
CREATE TABLE call_legs (
  id                   TEXT PRIMARY KEY,        -- our id: Mango's command_id, UIS's external_id
  delivery_id          TEXT NOT NULL REFERENCES calls(delivery_id),
  seq                  INTEGER NOT NULL,
  manager_id           TEXT NOT NULL,
  provider_call_id     TEXT,
  visitor_hash         TEXT NOT NULL,           -- SHA-256 of the E.164 number (Zadarma's events name only it)
  placed_at            INTEGER NOT NULL,
  manager_answered_at  INTEGER,
  ended_at             INTEGER,
  outcome              TEXT,                    -- manager_missed | visitor_answered | visitor_missed | failed
  UNIQUE (delivery_id, seq)
);
CREATE INDEX call_legs_provider ON call_legs (provider_call_id);
CREATE INDEX call_legs_visitor ON call_legs (visitor_hash, placed_at);

-- The call's timeline, as the console shows it: placed, answered, missed, scheduled, SMS sent.
CREATE TABLE call_events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id  TEXT NOT NULL REFERENCES calls(delivery_id),
  lead_id      TEXT NOT NULL,
  leg_id       TEXT,
  at           INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  detail       TEXT
);
CREATE INDEX call_events_lead ON call_events (lead_id, at);

-- Every call started, for the caps: the same number across all sites, and each site's budget.
CREATE TABLE dials (
  phone_hash  TEXT NOT NULL,
  site_id     TEXT NOT NULL,
  lead_id     TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX dials_phone ON dials (phone_hash, at);
CREATE INDEX dials_site ON dials (site_id, at);
