-- Tenancy: every row carries its tenant, ids are unique per tenant (two tenants may each have a space "lobby"), the
-- tenant leads every key and index, and row-level security admits only the rows of the tenant set for the transaction
-- (footfall.tenant, SET LOCAL by TenantSql), or every row to the scheduled jobs' system scope. FORCE binds this
-- schema's owner too: the service's role is the owner and is not a superuser.

-- Where TimescaleDB made space_event a compressed hypertable (create_time_series), its keys and segments cannot change
-- while chunks are compressed: decompress and switch compression off here; it comes back below with the tenant
-- leading the segments. (TimescaleDB is not installed where this was written: this branch has not run.)
CREATE FUNCTION space_event_is_hypertable() RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        RETURN EXISTS (SELECT 1 FROM timescaledb_information.hypertables
                       WHERE hypertable_schema = current_schema() AND hypertable_name = 'space_event');
    END IF;
    RETURN false;
END $$;

DO $$
BEGIN
    IF space_event_is_hypertable() THEN
        PERFORM public.remove_compression_policy('space_event'::regclass, if_exists => true);
        PERFORM public.decompress_chunk(c, true) FROM public.show_chunks('space_event'::regclass) AS c;
        ALTER TABLE space_event SET (timescaledb.compress = false);
    END IF;
END $$;

-- Rows stored before tenancy belong to the default tenant (the token's claim was stored but never enforced).
UPDATE space SET tenant = 'default' WHERE tenant <> 'default';
UPDATE doorway SET tenant = 'default' WHERE tenant <> 'default';
ALTER TABLE doorway_link ADD COLUMN tenant varchar(64) NOT NULL DEFAULT 'default';
ALTER TABLE placement ADD COLUMN tenant varchar(64) NOT NULL DEFAULT 'default';
ALTER TABLE space_event ADD COLUMN tenant varchar(64) NOT NULL DEFAULT 'default';
ALTER TABLE refold ADD COLUMN tenant varchar(64) NOT NULL DEFAULT 'default';
ALTER TABLE replay ADD COLUMN tenant varchar(64) NOT NULL DEFAULT 'default';
ALTER TABLE space_offset ADD COLUMN tenant varchar(64) NOT NULL DEFAULT 'default';
ALTER TABLE doorway_link ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE placement ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE space_event ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE refold ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE replay ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE space_offset ALTER COLUMN tenant DROP DEFAULT;

-- Keys: the references first, then the keys they point at.
ALTER TABLE space DROP CONSTRAINT space_parent_id_fkey;
ALTER TABLE doorway_link DROP CONSTRAINT doorway_link_space_id_fkey, DROP CONSTRAINT doorway_link_doorway_id_fkey;
ALTER TABLE placement DROP CONSTRAINT placement_doorway_id_fkey;
ALTER TABLE space_event DROP CONSTRAINT space_event_space_id_fkey;
ALTER TABLE refold DROP CONSTRAINT refold_space_id_fkey;
ALTER TABLE replay DROP CONSTRAINT replay_space_id_fkey;
ALTER TABLE space_offset DROP CONSTRAINT space_offset_space_id_fkey;

ALTER TABLE space DROP CONSTRAINT space_pkey, ADD PRIMARY KEY (tenant, space_id);
ALTER TABLE doorway DROP CONSTRAINT doorway_pkey, ADD PRIMARY KEY (tenant, doorway_id);
ALTER TABLE placement DROP CONSTRAINT placement_pkey, ADD PRIMARY KEY (tenant, dpu_id, installed_at);
ALTER TABLE space_event DROP CONSTRAINT space_event_pkey,
    ADD PRIMARY KEY (tenant, space_id, ts, seq) INCLUDE (count_after, delta);
ALTER TABLE refold DROP CONSTRAINT refold_pkey, ADD PRIMARY KEY (tenant, space_id);
ALTER TABLE replay DROP CONSTRAINT replay_pkey, ADD PRIMARY KEY (tenant, replay_id);
ALTER TABLE space_offset DROP CONSTRAINT space_offset_pkey,
    ADD PRIMARY KEY (tenant, space_id, ts, seq) INCLUDE (count_offset);

ALTER TABLE space ADD FOREIGN KEY (tenant, parent_id) REFERENCES space (tenant, space_id);
ALTER TABLE doorway_link ADD FOREIGN KEY (tenant, doorway_id) REFERENCES doorway (tenant, doorway_id),
    ADD FOREIGN KEY (tenant, space_id) REFERENCES space (tenant, space_id);
ALTER TABLE placement ADD FOREIGN KEY (tenant, doorway_id) REFERENCES doorway (tenant, doorway_id);
ALTER TABLE space_event ADD FOREIGN KEY (tenant, space_id) REFERENCES space (tenant, space_id);
ALTER TABLE refold ADD FOREIGN KEY (tenant, space_id) REFERENCES space (tenant, space_id);
ALTER TABLE replay ADD FOREIGN KEY (tenant, space_id) REFERENCES space (tenant, space_id);
ALTER TABLE space_offset ADD FOREIGN KEY (tenant, space_id) REFERENCES space (tenant, space_id);

DROP INDEX space_parent_idx;
CREATE INDEX space_parent_idx ON space (tenant, parent_id);
DROP INDEX doorway_link_doorway_idx;
CREATE INDEX doorway_link_doorway_idx ON doorway_link (tenant, doorway_id, valid_from);
DROP INDEX placement_doorway_idx;
CREATE INDEX placement_doorway_idx ON placement (tenant, doorway_id);
DROP INDEX space_event_dpu_idx;
CREATE INDEX space_event_dpu_idx ON space_event (tenant, dpu_id, ts);

-- TimescaleDB refuses row-level security on a hypertable with compression (timescale/timescaledb#6827: "cannot
-- enable RLS on hypertables using compression"): where space_event is one, its compression comes back with the tenant
-- leading the segments and it gets no policies; every statement on it names the tenant (SECURITY.md, "Known limits").
DO $$
DECLARE
    t text;
    hypertable boolean := space_event_is_hypertable();
BEGIN
    IF hypertable THEN
        EXECUTE format('ALTER TABLE space_event SET (timescaledb.compress, timescaledb.compress_segmentby = %L, '
                       'timescaledb.compress_orderby = %L)', 'tenant, space_id', 'ts, seq');
        PERFORM public.add_compression_policy('space_event'::regclass, interval '90 days');
        RAISE NOTICE '%', 'space_event is a compressed TimescaleDB hypertable: no row-level security on it '
                          || '(timescale/timescaledb#6827); every statement names the tenant';
    END IF;
    FOREACH t IN ARRAY ARRAY['space', 'doorway', 'doorway_link', 'placement', 'space_event', 'refold', 'replay',
                                   'space_offset'] LOOP
        CONTINUE WHEN t = 'space_event' AND hypertable;
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_rows ON %I USING (tenant = current_setting(''footfall.tenant'', true)) '
                       'WITH CHECK (tenant = current_setting(''footfall.tenant'', true))', t);
        EXECUTE format('CREATE POLICY system_jobs ON %I USING (current_setting(''footfall.scope'', true) = ''system'')',
                       t);
    END LOOP;
END $$;

-- ---- Published to ingest-service (granted to its role by name; it cannot read this schema's tables) ----
-- The topology it attributes real-time events by; the views run under the tables' policies (ingest-service loads
-- every tenant's topology in its system scope).
CREATE VIEW sensor_placement AS SELECT tenant, dpu_id, doorway_id, installed_at, removed_at FROM placement;
CREATE VIEW doorway_space_link AS SELECT tenant, doorway_id, space_id, direction, valid_from, valid_to FROM doorway_link;
CREATE VIEW space_reset AS SELECT tenant, space_id, timezone, daily_reset FROM space WHERE daily_reset IS NOT NULL;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA count FROM PUBLIC;
-- (Per-schema default privileges cannot revoke; the role creates objects in this schema only.)
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE ON SCHEMA count TO ${ingest_role};
GRANT SELECT ON sensor_placement, doorway_space_link, space_reset TO ${ingest_role};
