-- Doorways and their links to spaces, with validity periods: changing a doorway's links at T closes the old ones at T.
CREATE TABLE doorway (
    doorway_id  varchar(64)  PRIMARY KEY,
    tenant      varchar(64)  NOT NULL,
    name        text         NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE doorway_link (
    doorway_id  varchar(64)  NOT NULL REFERENCES doorway (doorway_id),
    space_id    varchar(64)  NOT NULL REFERENCES space (space_id),
    direction   smallint     NOT NULL CHECK (direction IN (-1, 1)),
    valid_from  timestamptz  NOT NULL,
    valid_to    timestamptz,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX doorway_link_doorway_idx ON doorway_link (doorway_id, valid_from);

-- Sensor placements: one doorway at a time (doorway_id NULL: uninstalled); moving at T ends the previous one at T.
CREATE TABLE placement (
    dpu_id       varchar(64)  NOT NULL,
    doorway_id   varchar(64)  REFERENCES doorway (doorway_id),
    installed_at timestamptz  NOT NULL,
    removed_at   timestamptz,
    PRIMARY KEY (dpu_id, installed_at),
    CHECK (removed_at IS NULL OR removed_at > installed_at)
);
CREATE INDEX placement_doorway_idx ON placement (doorway_id);

-- Time-series tables: a TimescaleDB hypertable with compression where the extension is loaded, otherwise a table
-- range-partitioned by month with a default partition (the same functions as ingest-service's, in this schema).
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

-- The count history: one row per event contributing to a space, with the space's count right after it.
-- The count as of T is the row with the greatest (ts, seq) <= T: one backward step on the primary key (see
-- HistoryRepository). Chunks older than 90 days are compressed; late events older than that still fold, slower.
SELECT create_time_series('space_event', $cols$
    space_id    varchar(64)  NOT NULL REFERENCES space (space_id),
    ts          timestamptz  NOT NULL,
    seq         bigint       NOT NULL,
    dpu_id      varchar(64)  NOT NULL,
    delta       smallint     NOT NULL,
    count_after integer,
    PRIMARY KEY (space_id, ts, seq) INCLUDE (count_after, delta)
    $cols$, 'space_id', 'ts, seq', interval '90 days', NULL);
CREATE INDEX space_event_dpu_idx ON space_event (dpu_id, ts);

-- Spaces whose history must be refolded from a given instant (topology or reset changes, replays).
CREATE TABLE refold (
    space_id  varchar(64)  PRIMARY KEY REFERENCES space (space_id),
    from_ts   timestamptz  NOT NULL
);

-- Replays: a window of history recomputed from the raw event log, with progress.
CREATE TABLE replay (
    replay_id    bigserial    PRIMARY KEY,
    space_id     varchar(64)  NOT NULL REFERENCES space (space_id),
    from_ts      timestamptz  NOT NULL,
    to_ts        timestamptz  NOT NULL,
    status       varchar(16)  NOT NULL DEFAULT 'queued',
    events_total bigint,
    events_done  bigint       NOT NULL DEFAULT 0,
    error        text,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
