-- The raw event log, kept as received. Partitioned by event time (monthly) so that old months can be detached and
-- archived or dropped; events outside the created partitions land in the default partition. See README.
CREATE SEQUENCE event_seq AS bigint;

CREATE TABLE event (
    seq         bigint       NOT NULL,
    event_id    varchar(128),
    dpu_id      varchar(64)  NOT NULL,
    ts          timestamptz  NOT NULL,
    direction   smallint     NOT NULL CHECK (direction IN (-1, 1)),
    received_at timestamptz  NOT NULL DEFAULT now(),
    source      varchar(128) NOT NULL,
    tenant      varchar(64)  NOT NULL,
    request_id  varchar(128)
) PARTITION BY RANGE (ts);

CREATE TABLE event_default PARTITION OF event DEFAULT;
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

-- Creates the monthly partitions for [from_month, from_month + months); called at start and by a daily job.
CREATE FUNCTION ensure_event_partitions(from_month date, months int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    created int := 0;
    m date;
    name text;
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        m := date_trunc('month', from_month)::date + make_interval(months => i);
        name := format('event_%s', to_char(m, 'YYYYMM'));
        IF to_regclass(name) IS NULL THEN
            -- Rows already in the default partition for this month must move into the new one.
            EXECUTE format('CREATE TABLE %I (LIKE event INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
            EXECUTE format('WITH moved AS (DELETE FROM event_default WHERE ts >= %L AND ts < %L RETURNING *) '
                           'INSERT INTO %I SELECT * FROM moved', m, m + interval '1 month', name);
            EXECUTE format('ALTER TABLE event ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                           name, m, m + interval '1 month');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END $$;
