-- "Is the tag live?" (issue 15): the widget's config fetches counted per site, allowed origin and
-- UTC day, and when the last one came. Nothing about the visitor: no IP, no user agent, no page
-- path, only the Origin header's value, and only when the site's allowlist names it.
CREATE TABLE tag_seen (
  site_id         TEXT NOT NULL,
  origin          TEXT NOT NULL,      -- scheme://host[:port], one of the site's allowed origins
  day             TEXT NOT NULL,      -- YYYY-MM-DD, UTC
  loads           INTEGER NOT NULL,   -- config fetches counted that day
  last_loaded_at  INTEGER NOT NULL,   -- unix ms of the latest write that day
  PRIMARY KEY (site_id, origin, day)
);
