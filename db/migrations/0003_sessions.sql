-- Version 3: runs written as they go (a served exercise, a live incident). `session`
-- names the session that writes the run, so that a session resumed after a stop or a
-- crash goes on writing the same run (unique; empty for a run written whole at its end);
-- `in_progress` is 1 while the session may still add to it.
ALTER TABLE runs ADD COLUMN session TEXT;
ALTER TABLE runs ADD COLUMN in_progress BIGINT NOT NULL DEFAULT 0 CHECK (in_progress IN (0, 1));
CREATE UNIQUE INDEX runs_by_session ON runs (session);
