-- Test leads (issue 15): a lead made by "send a test lead" in the console, or sent from the live
-- preview. It is stored and delivered like any other (the payload carries "test": true), and the
-- stats, speed-to-lead, cost per lead, the daily digest and junk-spike alerts leave it out: the
-- queries filter on this column, so it is a column, not a field inside the payload.
ALTER TABLE leads ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
