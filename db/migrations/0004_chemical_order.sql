-- Version 4: the order of a source's chemicals. A scenario lists a source's chemicals in
-- its own order, and the order matters where a chemical is drawn at random (a trial's
-- release); `seq` keeps it (0, 1, … within the source, as imported). Rows written before
-- this version all get 0 and so keep coming back in pollutant order.
ALTER TABLE risk_source_chemicals ADD COLUMN seq BIGINT NOT NULL DEFAULT 0 CHECK (seq >= 0);
