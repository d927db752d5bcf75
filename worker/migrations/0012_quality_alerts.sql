-- Junk-spike alerts, campaign spend and the daily digest (issue 16): per campaign (utm_source + utm_campaign, or the landing page
-- without UTM tags) what the site was last told, every alert and recovery notice sent, and the
-- indexes a group's recent leads and refusals are read by.

CREATE TABLE quality_groups (
  site_id        TEXT NOT NULL,
  group_key      TEXT NOT NULL,           -- "utm\u0000<source>\u0000<campaign>" or "page\u0000<page>"
  utm_source     TEXT,
  utm_campaign   TEXT,
  page           TEXT,
  alerting       INTEGER NOT NULL DEFAULT 0,
  since          INTEGER,                 -- unix ms: when the current spike was first seen
  last_alert_at  INTEGER,                 -- unix ms: at most one alert a day
  notified       INTEGER NOT NULL DEFAULT 0,
  version        INTEGER NOT NULL DEFAULT 0, -- compare-and-set: two checks at once send one notice
  PRIMARY KEY (site_id, group_key)
);
CREATE INDEX quality_groups_alerting ON quality_groups (alerting);

-- A notice's webhook body is rebuilt from `data` on every retry, so it stays byte-identical.
CREATE TABLE quality_notices (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL,
  group_key  TEXT NOT NULL,
  kind       TEXT NOT NULL,               -- alert | recovered
  data       TEXT NOT NULL,               -- JSON: the quality.alert event's data
  at         INTEGER NOT NULL
);
ALTER TABLE deliveries ADD COLUMN notice_id TEXT REFERENCES quality_notices(id);

CREATE INDEX leads_site_campaign ON leads (site_id, utm_source, utm_campaign, created_at);
CREATE INDEX leads_site_page ON leads (site_id, page, created_at);
CREATE INDEX rejections_site_campaign ON rejections (site_id, code, utm_source, utm_campaign, created_at);

-- Campaign spend for cost per lead (issue 16), one row per day, campaign and currency; an import
-- of the same day and campaign replaces it. In minor units (kopecks, cents).
CREATE TABLE campaign_spend (
  site_id       TEXT NOT NULL,
  day           TEXT NOT NULL,            -- YYYY-MM-DD
  utm_source    TEXT NOT NULL,
  utm_campaign  TEXT NOT NULL,
  currency      TEXT NOT NULL,            -- ISO 4217
  cost_minor    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (site_id, day, utm_source, utm_campaign, currency)
);

-- The daily digest (issue 16): one row per site and local day it went out for, claimed before
-- sending so two sweeps never send it twice.
CREATE TABLE digest_runs (
  site_id  TEXT NOT NULL,
  day      TEXT NOT NULL,                 -- YYYY-MM-DD in the site's time zone: the day it was sent
  sent_at  INTEGER NOT NULL,
  PRIMARY KEY (site_id, day)
);
