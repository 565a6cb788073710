-- Version 5: when a run was last written (UTC, `YYYY-MM-DD HH:MM:SS`, the writer's
-- clock): for a session written as it goes, the moment of its last write, which
-- `tripoint db runs` shows beside a run still in progress. Empty for runs written before.
ALTER TABLE runs ADD COLUMN updated_utc TEXT;
