-- Erasing a lead (a person's request, or retention's sweep) finds its rows by lead in every table
-- it touches: without these indexes each erasure walked all of a table (every contact key of every
-- site, every dial, every CRM id). test/node/erase-plan.test.ts checks the plan.
CREATE INDEX contact_keys_lead ON contact_keys (lead_id);
CREATE INDEX dials_lead ON dials (lead_id);
CREATE INDEX lead_external_refs_lead ON lead_external_refs (lead_id);
