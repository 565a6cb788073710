-- Version 2: the reference tables (methods, experts, stations) and the record of runs,
-- drills and live incidents: incidents, plan revisions and their points, tasks, samples
-- with their chain of custody, results, station readings, warnings, drill ratings.
-- Portable SQL, as version 1. Times of a simulated run are seconds from the scenario's
-- clock start (`*_s`); a laboratory's own timestamps are kept as it wrote them (text).

-- Standard operating procedures: one method for one pollutant (HJ / GB method standards).
CREATE TABLE methods (
    id                   TEXT NOT NULL,
    pollutant            TEXT NOT NULL,
    standard             TEXT NOT NULL DEFAULT '',
    setting              TEXT NOT NULL CHECK (setting IN ('field', 'laboratory')),
    instrument           TEXT NOT NULL DEFAULT '',
    detection_limit_mg_l DOUBLE PRECISION CHECK (detection_limit_mg_l > 0),
    holding_time_h       DOUBLE PRECISION CHECK (holding_time_h > 0),
    container            TEXT NOT NULL DEFAULT '',
    preservation         TEXT NOT NULL DEFAULT '',
    qa_qc                TEXT NOT NULL DEFAULT '',
    note                 TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (id, pollutant)
);

-- The expert roster (专家库).
CREATE TABLE experts (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    name_zh       TEXT NOT NULL DEFAULT '',
    expertise     TEXT NOT NULL,
    jurisdiction  TEXT NOT NULL,
    organisation  TEXT NOT NULL DEFAULT '',
    contact       TEXT NOT NULL DEFAULT '',
    availability  TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT ''
);

CREATE TABLE expert_pollutants (
    expert_id  TEXT NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    pollutant  TEXT NOT NULL,
    PRIMARY KEY (expert_id, pollutant)
);

-- Automatic stations, buoys and micro-stations of the scenario the records came from.
CREATE TABLE stations (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    jurisdiction  TEXT NOT NULL,
    lon           DOUBLE PRECISION,
    lat           DOUBLE PRECISION,
    pollutants    TEXT NOT NULL DEFAULT ''
);

-- One run, drill or live session written to the database: every record below names it.
CREATE TABLE runs (
    id             BIGINT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('run', 'drill', 'live')),
    name           TEXT NOT NULL,
    scenario       TEXT NOT NULL,
    scenario_hash  TEXT NOT NULL DEFAULT '',
    policy         TEXT NOT NULL DEFAULT '',
    seed           BIGINT NOT NULL,
    end_s          BIGINT NOT NULL,
    program        TEXT NOT NULL
);

CREATE TABLE readings (
    run_id      BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    station_id  TEXT NOT NULL,
    at_s        BIGINT NOT NULL,
    pollutant   TEXT NOT NULL,
    value_mg_l  DOUBLE PRECISION NOT NULL,
    alarm       BIGINT NOT NULL CHECK (alarm IN (0, 1)),
    PRIMARY KEY (run_id, station_id, at_s, pollutant)
);

CREATE TABLE incidents (
    run_id             BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    name               TEXT NOT NULL DEFAULT '',
    jurisdiction       TEXT NOT NULL,
    pollutant          TEXT NOT NULL,
    start_s            BIGINT NOT NULL,
    discovered_s       BIGINT,
    discovered_by      TEXT,
    plan_s             BIGINT,
    declared_level     TEXT NOT NULL,
    level              TEXT NOT NULL,
    true_mass_kg       DOUBLE PRECISION,
    estimated_mass_kg  DOUBLE PRECISION,
    PRIMARY KEY (run_id, id)
);

-- Every revision of every plan, as issued (the plan document as JSON kept whole).
CREATE TABLE plan_revisions (
    run_id             BIGINT NOT NULL,
    incident_id        TEXT NOT NULL,
    revision           BIGINT NOT NULL,
    issued_s           BIGINT NOT NULL,
    level              TEXT NOT NULL,
    method             TEXT NOT NULL,
    estimated_mass_kg  DOUBLE PRECISION NOT NULL,
    approved_by        TEXT,
    approved_s         BIGINT,
    document           TEXT NOT NULL,
    PRIMARY KEY (run_id, incident_id, revision),
    FOREIGN KEY (run_id, incident_id) REFERENCES incidents (run_id, id) ON DELETE CASCADE
);

CREATE TABLE plan_points (
    run_id            BIGINT NOT NULL,
    incident_id       TEXT NOT NULL,
    revision          BIGINT NOT NULL,
    point_id          TEXT NOT NULL,
    name              TEXT NOT NULL,
    role              TEXT NOT NULL,
    jurisdiction      TEXT NOT NULL,
    team              TEXT,
    lon               DOUBLE PRECISION,
    lat               DOUBLE PRECISION,
    forecast_arrival_s BIGINT,
    limit_mg_l        DOUBLE PRECISION NOT NULL,
    dense_interval_s  BIGINT NOT NULL,
    sparse_interval_s BIGINT NOT NULL,
    PRIMARY KEY (run_id, incident_id, revision, point_id),
    FOREIGN KEY (run_id, incident_id, revision)
        REFERENCES plan_revisions (run_id, incident_id, revision) ON DELETE CASCADE
);

CREATE TABLE tasks (
    run_id        BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    incident_id   TEXT NOT NULL,
    point_id      TEXT NOT NULL,
    role          TEXT NOT NULL,
    jurisdiction  TEXT NOT NULL,
    team          TEXT,
    status        TEXT NOT NULL,
    due_s         BIGINT NOT NULL,
    opened_s      BIGINT,
    assigned_s    BIGINT,
    arrived_s     BIGINT,
    requested_by  TEXT,
    sample_id     TEXT,
    PRIMARY KEY (run_id, seq),
    FOREIGN KEY (run_id, incident_id) REFERENCES incidents (run_id, id) ON DELETE CASCADE
);

-- A sample's id is unique in the whole database (`R<run>-S<n>`): a laboratory's results
-- file names it.
CREATE TABLE samples (
    id           TEXT PRIMARY KEY,
    run_id       BIGINT NOT NULL,
    incident_id  TEXT NOT NULL,
    point_id     TEXT NOT NULL,
    lon          DOUBLE PRECISION,
    lat          DOUBLE PRECISION,
    pollutant    TEXT NOT NULL,
    team         TEXT,
    taken_s      BIGINT NOT NULL,
    duplicate    BIGINT NOT NULL CHECK (duplicate IN (0, 1)),
    sediment     BIGINT NOT NULL CHECK (sediment IN (0, 1)),
    confirms     TEXT,
    FOREIGN KEY (run_id, incident_id) REFERENCES incidents (run_id, id) ON DELETE CASCADE
);

-- Chain of custody: each hand-over, in order (who, when, where, handed to whom).
CREATE TABLE custody_events (
    sample_id  TEXT NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    at_s       BIGINT NOT NULL,
    held_by    TEXT NOT NULL,
    event      TEXT NOT NULL,
    place      TEXT NOT NULL DEFAULT '',
    handed_to  TEXT,
    container  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sample_id, seq)
);

-- Results: a simulated run's, or a laboratory's imported from its file. A value below
-- the detection limit is a non-detect: `value_mg_l` empty, `non_detect` 1 ("<DL").
CREATE TABLE results (
    sample_id             TEXT NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    pollutant             TEXT NOT NULL,
    analysed_at           TEXT NOT NULL,
    analysed_s            BIGINT,
    value_mg_l            DOUBLE PRECISION,
    non_detect            BIGINT NOT NULL CHECK (non_detect IN (0, 1)),
    detection_limit_mg_l  DOUBLE PRECISION,
    method                TEXT NOT NULL,
    instrument            TEXT NOT NULL DEFAULT '',
    lab                   TEXT NOT NULL,
    qa_flag               TEXT NOT NULL DEFAULT '',
    source                TEXT NOT NULL,
    CHECK ((non_detect = 1 AND value_mg_l IS NULL) OR (non_detect = 0 AND value_mg_l IS NOT NULL)),
    PRIMARY KEY (sample_id, pollutant, analysed_at)
);

-- Warnings and intake advice: per incident and intake.
CREATE TABLE warnings (
    run_id                 BIGINT NOT NULL,
    incident_id            TEXT NOT NULL,
    intake                 TEXT NOT NULL,
    threatened             BIGINT NOT NULL CHECK (threatened IN (0, 1)),
    forecast_warning_s     BIGINT,
    confirmed_warning_s    BIGINT,
    plume_over_limit_s     BIGINT,
    warned_before_arrival  BIGINT NOT NULL CHECK (warned_before_arrival IN (0, 1)),
    margin_s               BIGINT,
    PRIMARY KEY (run_id, incident_id, intake),
    FOREIGN KEY (run_id, incident_id) REFERENCES incidents (run_id, id) ON DELETE CASCADE
);

CREATE TABLE drills (
    run_id       BIGINT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    drill        TEXT NOT NULL,
    exercise     TEXT NOT NULL DEFAULT '',
    score        DOUBLE PRECISION NOT NULL,
    grade        TEXT NOT NULL,
    report_path  TEXT,
    report       TEXT NOT NULL
);

CREATE TABLE drill_ratings (
    run_id     BIGINT NOT NULL REFERENCES drills (run_id) ON DELETE CASCADE,
    objective  TEXT NOT NULL,
    target     TEXT NOT NULL,
    title      TEXT NOT NULL,
    owner      TEXT NOT NULL DEFAULT '',
    rating     TEXT,
    PRIMARY KEY (run_id, objective, target)
);

-- A point's series: its samples by time, then each one's results by the key.
CREATE INDEX samples_by_point ON samples (point_id, taken_s);
CREATE INDEX samples_by_run ON samples (run_id);
CREATE INDEX tasks_by_team ON tasks (run_id, incident_id, team);
CREATE INDEX warnings_by_intake ON warnings (intake);
CREATE INDEX expert_pollutants_by_pollutant ON expert_pollutants (pollutant);
