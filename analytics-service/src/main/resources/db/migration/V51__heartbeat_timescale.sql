-- Where TimescaleDB is loaded, the curated heartbeats become a hypertable (1-day chunks on captured_date, compressed
-- after 7 days, dropped after ${hb_retention} unless that is 'none'); on plain PostgreSQL nothing changes here: the
-- daily partitions of V2 stay, created by hb_ensure_day_partitions. The detection is ingest-service's
-- (create_time_series): the library preloaded and the extension available.
--
-- TimescaleDB is not installed where this was written, so the Timescale branch has not run; it only uses the
-- documented TimescaleDB 2.x API (create_hypertable, compression settings and policies, add_retention_policy).
CREATE FUNCTION hb_timescale_available() RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('shared_preload_libraries', true), '') LIKE '%timescaledb%'
           AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
$$;

DO $$
DECLARE
    retain interval := NULLIF('${hb_retention}', 'none')::interval;
BEGIN
    IF NOT hb_timescale_available() THEN
        RETURN;
    END IF;
    CREATE EXTENSION IF NOT EXISTS timescaledb SCHEMA public;
    -- A partitioned table cannot become a hypertable: build the hypertable beside it, move the rows, drop the old one.
    ALTER TABLE hb_heartbeat RENAME TO hb_heartbeat_partitioned;
    ALTER TABLE hb_heartbeat_partitioned RENAME CONSTRAINT hb_heartbeat_pkey TO hb_heartbeat_partitioned_pkey;
    ALTER INDEX hb_heartbeat_project_captured RENAME TO hb_heartbeat_partitioned_project_captured;
    CREATE TABLE hb_heartbeat (LIKE hb_heartbeat_partitioned INCLUDING DEFAULTS);
    ALTER TABLE hb_heartbeat ADD PRIMARY KEY (event_id, captured_date);
    PERFORM public.create_hypertable('hb_heartbeat'::regclass, 'captured_date',
                                     chunk_time_interval => interval '1 day');
    CREATE INDEX hb_heartbeat_project_captured ON hb_heartbeat (project_id, captured_date);
    INSERT INTO hb_heartbeat SELECT * FROM hb_heartbeat_partitioned;
    DROP TABLE hb_heartbeat_partitioned;
    -- Upserts and day rebuilds read and write the newest days; chunks older than the curation overlaps are
    -- compressed per project and cell, ordered by time (late rows into them are still accepted, at a cost).
    ALTER TABLE hb_heartbeat SET (timescaledb.compress,
                                  timescaledb.compress_segmentby = 'project_id, software_version, cohort_id',
                                  timescaledb.compress_orderby = 'captured_date');
    PERFORM public.add_compression_policy('hb_heartbeat'::regclass, interval '7 days');
    IF retain IS NOT NULL THEN
        PERFORM public.add_retention_policy('hb_heartbeat'::regclass, retain);
    END IF;
END
$$;

-- Partitions are made by TimescaleDB for a hypertable: the function then creates none.
CREATE OR REPLACE FUNCTION hb_ensure_day_partitions(days date[]) RETURNS integer
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    d       date;
    part    text;
    created integer := 0;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'hb_heartbeat'::regclass) THEN
        RETURN 0;
    END IF;
    FOREACH d IN ARRAY days LOOP
        part := 'hb_heartbeat_p' || to_char(d, 'YYYYMMDD');
        IF to_regclass(quote_ident(part)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF hb_heartbeat FOR VALUES FROM (%L) TO (%L)', part,
                           (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;
