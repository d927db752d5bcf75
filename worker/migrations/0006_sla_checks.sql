-- SLA checks as rows. The queue (Workers) or the in-process scheduler (Node) only wakes a check
-- up; the row is the record, so a crash between the lead insert and the scheduling, or a lost
-- queue message, cannot leave a lead that nobody escalates: the sweep finds the overdue row.
CREATE TABLE sla_checks (
  lead_id  TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  round    INTEGER NOT NULL,        -- the lead's escalation count when the check was set
  due_at   INTEGER NOT NULL,
  done_at  INTEGER,
  PRIMARY KEY (lead_id, round)
);
CREATE INDEX sla_checks_due ON sla_checks (done_at, due_at);
