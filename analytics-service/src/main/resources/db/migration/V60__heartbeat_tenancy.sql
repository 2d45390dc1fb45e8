-- Heartbeat tenancy: every heartbeat row carries its tenant, ids are unique per tenant (two tenants may each stage a
-- project 1, a cohort 7, a device 42), the tenant leads every key and index, and row-level security admits only the
-- rows of the tenant set for the transaction (footfall.tenant, SET LOCAL by TenantSql), or every row to the scheduled
-- job's system scope. FORCE binds this schema's owner too: the service's role is the owner and is not a superuser.
-- Curation state and the load log are per tenant: a run curates one tenant's staged rows and is numbered per tenant.
-- The warehouse's and sessions' tables are V61's.

-- Where V51 made hb_heartbeat a compressed TimescaleDB hypertable, its key and segments cannot change while chunks
-- are compressed: decompress them and switch compression off here; it is switched on again below with the tenant
-- leading the segments. (TimescaleDB is not installed where this was written: this branch has not run.) The function
-- tells V51's hypertable from the plain partitioned table.
CREATE FUNCTION hb_heartbeat_is_hypertable() RETURNS boolean
    LANGUAGE plpgsql STABLE SET search_path FROM CURRENT AS $$
DECLARE
    found boolean := false;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        EXECUTE 'SELECT EXISTS (SELECT 1 FROM timescaledb_information.hypertables
                                WHERE hypertable_schema = current_schema() AND hypertable_name = ''hb_heartbeat'')'
            INTO found;
    END IF;
    RETURN found;
END $$;

DO $$
BEGIN
    IF hb_heartbeat_is_hypertable() THEN
        PERFORM public.remove_compression_policy('hb_heartbeat'::regclass, if_exists => true);
        PERFORM public.decompress_chunk(c, true) FROM public.show_chunks('hb_heartbeat'::regclass) AS c;
        ALTER TABLE hb_heartbeat SET (timescaledb.compress = false);
    END IF;
END $$;

-- Rows stored before tenancy belong to the default tenant (add with a default, then drop it: no row is rewritten).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['hb_stg_cohort', 'hb_stg_device', 'hb_stg_software_version', 'hb_stg_event',
                             'hb_heartbeat', 'hb_metric_catalog', 'hb_metric_day', 'hb_cell_day', 'hb_curation_state',
                             'hb_curation_run'] LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN tenant varchar(64) COLLATE "C" NOT NULL DEFAULT ''default''', t);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN tenant DROP DEFAULT', t);
    END LOOP;
END $$;

-- Keys: staged ids are the product's ids, unique per tenant.
ALTER TABLE hb_stg_cohort DROP CONSTRAINT hb_stg_cohort_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE hb_stg_device DROP CONSTRAINT hb_stg_device_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE hb_stg_software_version DROP CONSTRAINT hb_stg_software_version_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE hb_stg_event DROP CONSTRAINT hb_stg_event_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE hb_heartbeat DROP CONSTRAINT hb_heartbeat_pkey, ADD PRIMARY KEY (tenant, event_id, captured_date);
ALTER TABLE hb_metric_catalog DROP CONSTRAINT hb_metric_catalog_pkey, ADD PRIMARY KEY (tenant, project_id, metric);

-- One row of watermarks per tenant (a tenant's first run adds it); the single row so far is the default tenant's.
ALTER TABLE hb_curation_state DROP CONSTRAINT hb_curation_state_pkey, DROP COLUMN id, ADD PRIMARY KEY (tenant);

-- Runs are numbered per tenant (1, 2, 3 ...: a tenant's run ids say nothing of other tenants' runs), under the
-- tenant's curation lock; the default tenant's runs keep their ids. The log is read by id, never by start time.
ALTER TABLE hb_curation_run ALTER COLUMN id DROP IDENTITY;
ALTER TABLE hb_curation_run DROP CONSTRAINT hb_curation_run_pkey, ADD PRIMARY KEY (tenant, id);
DROP INDEX hb_curation_run_started;

DROP INDEX hb_stg_cohort_loaded_at;
CREATE INDEX hb_stg_cohort_loaded_at ON hb_stg_cohort (tenant, loaded_at);
DROP INDEX hb_stg_device_loaded_at;
CREATE INDEX hb_stg_device_loaded_at ON hb_stg_device (tenant, loaded_at);
DROP INDEX hb_stg_device_cohort;
CREATE INDEX hb_stg_device_cohort ON hb_stg_device (tenant, cohort_id);
DROP INDEX hb_stg_software_version_loaded_at;
CREATE INDEX hb_stg_software_version_loaded_at ON hb_stg_software_version (tenant, loaded_at);
DROP INDEX hb_stg_event_created;
CREATE INDEX hb_stg_event_created ON hb_stg_event (tenant, created_date) WHERE type = 'heartbeat';
DROP INDEX hb_stg_event_loaded;
CREATE INDEX hb_stg_event_loaded ON hb_stg_event (tenant, loaded_at) WHERE type = 'heartbeat';
DROP INDEX hb_stg_event_device;
CREATE INDEX hb_stg_event_device ON hb_stg_event (tenant, device_id) WHERE type = 'heartbeat';
DROP INDEX hb_stg_event_version;
CREATE INDEX hb_stg_event_version ON hb_stg_event (tenant, software_version_id) WHERE type = 'heartbeat';
DROP INDEX hb_stg_event_stale;
CREATE INDEX hb_stg_event_stale ON hb_stg_event (tenant, id) WHERE stale_curated_at IS NOT NULL;
DROP INDEX hb_heartbeat_project_captured;
CREATE INDEX hb_heartbeat_project_captured ON hb_heartbeat (tenant, project_id, captured_date);
DROP INDEX hb_metric_catalog_ordinal;
CREATE UNIQUE INDEX hb_metric_catalog_ordinal ON hb_metric_catalog (tenant, project_id, ordinal);
DROP INDEX hb_metric_day_lookup;
CREATE INDEX hb_metric_day_lookup ON hb_metric_day (tenant, project_id, metric, day);
DROP INDEX hb_metric_day_day;
CREATE INDEX hb_metric_day_day ON hb_metric_day (tenant, project_id, day);
DROP INDEX hb_cell_day_lookup;
CREATE INDEX hb_cell_day_lookup ON hb_cell_day (tenant, project_id, day);

-- Used by V50 only, to fill the arrays of rows staged before it; it reads a project's catalog without a tenant.
DROP FUNCTION hb_metric_values(bigint, jsonb);

-- Row-level security on every heartbeat table, with the policies of the other services' tables: each setting is read
-- once per statement (a scalar subquery, which PostgreSQL runs once as an InitPlan), not once per row; curation checks
-- a million rows per statement, and a call of current_setting per row nearly doubled a plain scan of the curated rows
-- (0.23 s to 0.41 s of CPU a million rows; 0.29 s with the subquery). TimescaleDB refuses row-level security on a
-- hypertable with compression (timescale/timescaledb#6827: "cannot enable RLS on hypertables using compression"), so
-- where V51 made hb_heartbeat one, its compression comes back with the tenant leading the segments and it gets no
-- policies: the curated rows are then kept apart by the tenant every statement names (and every other heartbeat table
-- still has its policies).
DO $$
DECLARE
    t          text;
    hypertable boolean := hb_heartbeat_is_hypertable();
BEGIN
    IF hypertable THEN
        ALTER TABLE hb_heartbeat SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'tenant, project_id, software_version, cohort_id',
            timescaledb.compress_orderby = 'captured_date');
        PERFORM public.add_compression_policy('hb_heartbeat'::regclass, interval '7 days');
        RAISE NOTICE '%', 'hb_heartbeat is a compressed TimescaleDB hypertable: no row-level security on it '
                          || '(timescale/timescaledb#6827); every statement names the tenant';
    END IF;
    FOREACH t IN ARRAY ARRAY['hb_stg_cohort', 'hb_stg_device', 'hb_stg_software_version', 'hb_stg_event',
                             'hb_heartbeat', 'hb_metric_catalog', 'hb_metric_day', 'hb_cell_day', 'hb_curation_state',
                             'hb_curation_run'] LOOP
        CONTINUE WHEN t = 'hb_heartbeat' AND hypertable;
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_rows ON %I '
                       'USING (tenant = (SELECT current_setting(''footfall.tenant'', true))) '
                       'WITH CHECK (tenant = (SELECT current_setting(''footfall.tenant'', true)))', t);
        EXECUTE format('CREATE POLICY system_jobs ON %I '
                       'USING ((SELECT current_setting(''footfall.scope'', true)) = ''system'')', t);
    END LOOP;
END $$;

-- Statistics that know the tenant column: without them the planner takes a tenant for a two-hundredth of a table and
-- plans the default tenant, which holds every row so far, as if it held a few; autovacuum would analyze a table only
-- once a tenth of it has changed.
ANALYZE hb_stg_cohort, hb_stg_device, hb_stg_software_version, hb_stg_event, hb_heartbeat, hb_metric_catalog,
    hb_metric_day, hb_cell_day, hb_curation_state, hb_curation_run;
