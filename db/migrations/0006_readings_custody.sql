-- Version 6: station readings and the containers of a sample's chain of custody.
-- `readings` holds every reading a run's stations took (before, only those that raised an
-- alarm), each with a QA flag. `station_readings` holds the readings of real automatic
-- stations imported from their own records (`tripoint db import-readings`): they belong to
-- no run, so they are kept by station, pollutant and the station's own timestamp.
-- `custody_events.preservation`: how the sample was preserved (from the method's
-- procedure, as `container`).
ALTER TABLE readings ADD COLUMN qa_flag TEXT NOT NULL DEFAULT '';

CREATE TABLE station_readings (
    station_id   TEXT NOT NULL,
    pollutant    TEXT NOT NULL,
    measured_at  TEXT NOT NULL,
    value_mg_l   DOUBLE PRECISION NOT NULL CHECK (value_mg_l >= 0),
    qa_flag      TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL,
    PRIMARY KEY (station_id, pollutant, measured_at)
);

ALTER TABLE custody_events ADD COLUMN preservation TEXT NOT NULL DEFAULT '';

CREATE INDEX readings_by_station ON readings (station_id, pollutant, at_s);
