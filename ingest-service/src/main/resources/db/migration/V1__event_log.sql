-- Time-series tables (this log; count-service's history has the same function in its schema): a TimescaleDB
-- hypertable with compression (and retention, when configured) where the extension is loaded, otherwise a table
-- range-partitioned by month with a default partition for what falls outside the partitions made so far.
CREATE FUNCTION create_time_series(tbl text, columns text, segment_by text, order_by text,
                                   compress_after interval, retain interval) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    timescale boolean := coalesce(current_setting('shared_preload_libraries', true), '') LIKE '%timescaledb%'
                         AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb');
BEGIN
    IF timescale THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb SCHEMA public;
        EXECUTE format('CREATE TABLE %I (%s)', tbl, columns);
        PERFORM public.create_hypertable(tbl::regclass, 'ts', chunk_time_interval => interval '7 days');
        EXECUTE format('ALTER TABLE %I SET (timescaledb.compress, timescaledb.compress_segmentby = %L, '
                       'timescaledb.compress_orderby = %L)', tbl, segment_by, order_by);
        PERFORM public.add_compression_policy(tbl::regclass, compress_after);
        IF retain IS NOT NULL THEN
            PERFORM public.add_retention_policy(tbl::regclass, retain);
        END IF;
    ELSE
        EXECUTE format('CREATE TABLE %I (%s) PARTITION BY RANGE (ts)', tbl, columns);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_default', tbl);
    END IF;
    RETURN timescale;
END $$;

-- Creates the monthly partitions of [from_month, from_month + months) of a partitioned time-series table, moving
-- rows already in its default partition; does nothing for a hypertable (TimescaleDB makes its own chunks).
CREATE FUNCTION ensure_monthly_partitions(tbl text, from_month date, months int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    created int := 0;
    m date;
    part text;
BEGIN
    IF to_regclass(tbl || '_default') IS NULL THEN
        RETURN 0;
    END IF;
    FOR i IN 0 .. months - 1 LOOP
        m := date_trunc('month', from_month)::date + make_interval(months => i);
        part := format('%s_%s', tbl, to_char(m, 'YYYYMM'));
        IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, tbl);
            EXECUTE format('WITH moved AS (DELETE FROM %I WHERE ts >= %L AND ts < %L RETURNING *) '
                           'INSERT INTO %I SELECT * FROM moved', tbl || '_default', m, m + interval '1 month', part);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                           tbl, part, m, m + interval '1 month');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END $$;

-- The raw event log, kept as received, by event time: monthly partitions (or hypertable chunks) can be detached and
-- archived or dropped. Raw events are kept unless FOOTFALL_EVENT_RETENTION (e.g. "400 days") is set. See README.
CREATE SEQUENCE event_seq AS bigint;

SELECT create_time_series('event', $cols$
    seq         bigint       NOT NULL,
    event_id    varchar(128),
    dpu_id      varchar(64)  NOT NULL,
    ts          timestamptz  NOT NULL,
    direction   smallint     NOT NULL CHECK (direction IN (-1, 1)),
    received_at timestamptz  NOT NULL DEFAULT now(),
    source      varchar(128) NOT NULL,
    tenant      varchar(64)  NOT NULL,
    request_id  varchar(128)
    $cols$, 'dpu_id', 'ts, seq', interval '30 days', NULLIF('${event_retention}', 'none')::interval);

CREATE INDEX event_dpu_ts_idx ON event (dpu_id, ts);
CREATE INDEX event_seq_idx ON event (seq);

-- Idempotency across retries, concurrent requests and restarts: one row per event key ever accepted
-- ("i:<id>" or "k:<dpu_id>|<epoch micros>|<direction>"). Not partitioned, so it spans every partition. Byte-wise
-- collation: keys are compared, never sorted for people, and "C" is several times cheaper to index.
CREATE TABLE event_key (
    dedup_key varchar(200) COLLATE "C" PRIMARY KEY
);

-- Events accepted but not yet folded into count history. count-service consumes it (DELETE ... SKIP LOCKED in the
-- same transaction that writes the history), so each event is folded exactly once, across restarts of either side.
CREATE TABLE event_outbox (
    seq       bigint      PRIMARY KEY,
    dpu_id    varchar(64) NOT NULL,
    ts        timestamptz NOT NULL,
    direction smallint    NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now()
);

-- Set while Redis was unreachable for some accepted events; cleared by the real-time rebuild.
CREATE TABLE realtime_state (
    id            boolean     PRIMARY KEY DEFAULT true CHECK (id),
    dirty_since   timestamptz,
    rebuilt_at    timestamptz
);
INSERT INTO realtime_state (id) VALUES (true);
