-- Tenancy: every row carries its tenant, the tenant leads every key and index, and row-level security admits only the
-- rows of the tenant set for the transaction (footfall.tenant, SET LOCAL by TenantSql), or every row to the scheduled
-- jobs' system scope. FORCE binds this schema's owner too: the service's role is the owner and is not a superuser.

-- Where TimescaleDB made event a compressed hypertable (create_time_series), its keys and segments cannot change
-- while chunks are compressed: decompress and switch compression off here; it comes back below with the tenant
-- leading the segments. (TimescaleDB is not installed where this was written: this branch has not run.)
CREATE FUNCTION event_is_hypertable() RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        RETURN EXISTS (SELECT 1 FROM timescaledb_information.hypertables
                       WHERE hypertable_schema = current_schema() AND hypertable_name = 'event');
    END IF;
    RETURN false;
END $$;

DO $$
BEGIN
    IF event_is_hypertable() THEN
        PERFORM public.remove_compression_policy('event'::regclass, if_exists => true);
        PERFORM public.decompress_chunk(c, true) FROM public.show_chunks('event'::regclass) AS c;
        ALTER TABLE event SET (timescaledb.compress = false);
    END IF;
END $$;

-- Rows stored before tenancy belong to the default tenant (the token's claim was stored but never enforced).
UPDATE event SET tenant = 'default' WHERE tenant <> 'default';

-- The same event id (or sensor, time and direction) may arrive for two tenants: each is its own event.
ALTER TABLE event_key ADD COLUMN tenant varchar(64) COLLATE "C" NOT NULL DEFAULT 'default';
ALTER TABLE event_key ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE event_key DROP CONSTRAINT event_key_pkey, ADD PRIMARY KEY (tenant, dedup_key);

ALTER TABLE event_outbox ADD COLUMN tenant varchar(64) NOT NULL DEFAULT 'default';
ALTER TABLE event_outbox ALTER COLUMN tenant DROP DEFAULT;

DROP INDEX event_dpu_ts_idx;
CREATE INDEX event_tenant_dpu_ts_idx ON event (tenant, dpu_id, ts);

-- TimescaleDB refuses row-level security on a hypertable with compression (timescale/timescaledb#6827: "cannot
-- enable RLS on hypertables using compression"): where event is one, its compression comes back with the tenant
-- leading the segments and it gets no policies; every statement on it names the tenant (SECURITY.md, "Known limits").
DO $$
DECLARE
    t text;
    hypertable boolean := event_is_hypertable();
BEGIN
    IF hypertable THEN
        EXECUTE format('ALTER TABLE event SET (timescaledb.compress, timescaledb.compress_segmentby = %L, '
                       'timescaledb.compress_orderby = %L)', 'tenant, dpu_id', 'ts, seq');
        PERFORM public.add_compression_policy('event'::regclass, interval '30 days');
        RAISE NOTICE '%', 'event is a compressed TimescaleDB hypertable: no row-level security on it '
                          || '(timescale/timescaledb#6827); every statement names the tenant';
    END IF;
    FOREACH t IN ARRAY ARRAY['event', 'event_key', 'event_outbox'] LOOP
        CONTINUE WHEN t = 'event' AND hypertable;
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_rows ON %I USING (tenant = current_setting(''footfall.tenant'', true)) '
                       'WITH CHECK (tenant = current_setting(''footfall.tenant'', true))', t);
        EXECUTE format('CREATE POLICY system_jobs ON %I USING (current_setting(''footfall.scope'', true) = ''system'')',
                       t);
    END LOOP;
END $$;

-- ---- Published to count-service (granted to its role by name; it cannot read this schema's tables) ----
-- The views run with this schema's privileges and under the tables' policies, so count-service sees what its own
-- transaction's tenant or system scope admits.

-- The log, for re-attributing a sensor's events after a topology change and for replays.
CREATE VIEW logged_event AS SELECT tenant, seq, dpu_id, ts, direction FROM event;

-- Each queued append (oldest first by append_id), and the sequence numbers still waiting to be folded.
CREATE VIEW queued_append AS SELECT append_id, tenant, events, queued_at FROM event_outbox;
CREATE VIEW queued_event AS SELECT o.tenant, u.seq FROM event_outbox o, unnest(o.seq) AS u(seq);

-- Whether Redis missed accepted events (count-service rebuilds the counters and clears the mark).
CREATE VIEW realtime_status AS SELECT dirty_since, rebuilt_at FROM realtime_state WHERE id;

-- Takes whole appends from the queue, oldest first, until at least max_events events are taken or none is left (a
-- slice may exceed it by part of one append); count-service folds them in the same transaction, so an append is
-- folded exactly once or stays queued. The running sum reads at most max_events rows (an append holds at least one
-- event), so a backlog costs no more per slice than a short queue. Planned afresh at each call (EXECUTE): a plan kept
-- from an empty queue scanned the whole queue once it was long.
CREATE FUNCTION take_appends(max_events int)
    RETURNS TABLE (tenant varchar, events int, seq bigint[], dpu_id varchar[], ts timestamptz[], direction smallint[])
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = ingest, pg_temp AS $$
BEGIN
    RETURN QUERY EXECUTE $q$
        DELETE FROM event_outbox WHERE append_id IN (
            SELECT append_id FROM (SELECT append_id, sum(events) OVER (ORDER BY append_id) - events AS before
                                   FROM (SELECT append_id, events FROM event_outbox
                                         ORDER BY append_id LIMIT $1) oldest) appends
            WHERE before < $1)
        RETURNING tenant, events, seq, dpu_id, ts, direction
    $q$ USING max_events;
END $$;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ingest FROM PUBLIC;
-- (Per-schema default privileges cannot revoke; the role creates objects in this schema only.)
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE ON SCHEMA ingest TO ${count_role};
GRANT SELECT ON logged_event, queued_append, queued_event TO ${count_role};
GRANT SELECT, UPDATE ON realtime_status TO ${count_role};
GRANT EXECUTE ON FUNCTION take_appends(int) TO ${count_role};
