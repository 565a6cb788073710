-- Version 1: the risk-source register (HJ 941-2018 style) and its chemicals.
-- Portable SQL: the same text runs on SQLite and PostgreSQL (TEXT, DOUBLE PRECISION,
-- BIGINT, CHECK, foreign keys, ON CONFLICT upserts).

CREATE TABLE risk_sources (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    name_zh             TEXT NOT NULL DEFAULT '',
    kind                TEXT NOT NULL,
    sector              TEXT NOT NULL DEFAULT '',
    jurisdiction        TEXT NOT NULL,
    lon                 DOUBLE PRECISION,
    lat                 DOUBLE PRECISION,
    -- HJ 941-2018 environmental risk grade: general (一般), larger (较大), major (重大).
    risk_grade          TEXT CHECK (risk_grade IN ('general', 'larger', 'major')),
    -- Where it discharges: a reach and the metres along it, or a node of the network (a
    -- junction, a lake).
    reach               TEXT,
    chainage_m          DOUBLE PRECISION CHECK (chainage_m >= 0),
    node                TEXT,
    road_node           TEXT NOT NULL,
    outfall             TEXT NOT NULL DEFAULT '',
    receiving_water     TEXT NOT NULL DEFAULT '',
    contact             TEXT NOT NULL DEFAULT '',
    last_inspection     TEXT,
    annual_probability  DOUBLE PRECISION NOT NULL CHECK (annual_probability >= 0 AND annual_probability <= 1),
    note                TEXT NOT NULL DEFAULT '',
    CHECK ((reach IS NOT NULL AND chainage_m IS NOT NULL AND node IS NULL)
        OR (reach IS NULL AND chainage_m IS NULL AND node IS NOT NULL))
);

CREATE TABLE risk_source_chemicals (
    source_id       TEXT NOT NULL REFERENCES risk_sources (id) ON DELETE CASCADE,
    pollutant       TEXT NOT NULL,
    max_on_site_kg  DOUBLE PRECISION CHECK (max_on_site_kg > 0),
    max_release_kg  DOUBLE PRECISION NOT NULL CHECK (max_release_kg > 0),
    PRIMARY KEY (source_id, pollutant)
);

CREATE INDEX risk_sources_by_jurisdiction ON risk_sources (jurisdiction);
CREATE INDEX risk_source_chemicals_by_pollutant ON risk_source_chemicals (pollutant);
