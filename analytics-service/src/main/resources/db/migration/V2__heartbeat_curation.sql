-- Device heartbeats: staging tables for every entity of the device-monitoring product, the curated (denormalized,
-- partitioned) heartbeat table, exact per-day pre-aggregates for percentiles, and the curation state and load log.
-- Every table of this part of the service starts with hb_; the warehouse and app sessions use other prefixes.

ALTER TABLE stg_cohort RENAME TO hb_stg_cohort;
ALTER INDEX stg_cohort_pkey RENAME TO hb_stg_cohort_pkey;
CREATE INDEX hb_stg_cohort_loaded_at ON hb_stg_cohort (loaded_at);

-- loaded_at changes only when a row's content changes (the upserts skip identical rows), so it tells curation
-- which dimension rows must be re-applied to the curated heartbeats.
CREATE TABLE hb_stg_device (
    id            bigint      PRIMARY KEY,
    project_id    bigint      NOT NULL,
    device_serial text        NOT NULL,
    cohort_id     bigint,
    loaded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hb_stg_device_loaded_at ON hb_stg_device (loaded_at);
CREATE INDEX hb_stg_device_cohort ON hb_stg_device (cohort_id);

CREATE TABLE hb_stg_software_version (
    id         bigint      PRIMARY KEY,
    project_id bigint      NOT NULL,
    version    text        NOT NULL,
    loaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hb_stg_software_version_loaded_at ON hb_stg_software_version (loaded_at);

-- Events of every type are staged as they come; only type 'heartbeat' is curated. Devices and versions may arrive
-- after the events that name them, so there are no foreign keys.
CREATE TABLE hb_stg_event (
    id                  bigint      PRIMARY KEY,
    project_id          bigint      NOT NULL,
    captured_date       timestamptz NOT NULL,
    created_date        timestamptz NOT NULL,
    type                text        NOT NULL,
    software_version_id bigint,
    device_id           bigint      NOT NULL,
    event_info          jsonb       NOT NULL,
    -- The captured_date of a curated copy that no longer matches this row (its captured_date changed, or it is no
    -- longer a heartbeat); curation deletes that copy and clears the mark.
    stale_curated_at    timestamptz,
    loaded_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hb_stg_event_created ON hb_stg_event (created_date) WHERE type = 'heartbeat';
CREATE INDEX hb_stg_event_loaded ON hb_stg_event (loaded_at) WHERE type = 'heartbeat';
CREATE INDEX hb_stg_event_device ON hb_stg_event (device_id) WHERE type = 'heartbeat';
CREATE INDEX hb_stg_event_version ON hb_stg_event (software_version_id) WHERE type = 'heartbeat';
CREATE INDEX hb_stg_event_stale ON hb_stg_event (id) WHERE stale_curated_at IS NOT NULL;

-- The curated heartbeats: one row per heartbeat event, with its device, cohort and version resolved to what staging
-- says now. Daily partitions by captured_date (UTC days), created ahead by hb_ensure_day_partitions.
CREATE TABLE hb_heartbeat (
    event_id            bigint      NOT NULL,
    project_id          bigint      NOT NULL,
    device_id           bigint      NOT NULL,
    device_serial       text,
    cohort_id           bigint,
    cohort_name         text COLLATE "C",
    software_version_id bigint,
    software_version    text COLLATE "C",
    captured_date       timestamptz NOT NULL,
    created_date        timestamptz NOT NULL,
    metrics             jsonb       NOT NULL,
    curated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, captured_date)
) PARTITION BY RANGE (captured_date);
CREATE INDEX hb_heartbeat_project_captured ON hb_heartbeat (project_id, captured_date);

-- Creates the missing daily partitions for the given UTC days; safe to call again. Returns how many it created.
CREATE FUNCTION hb_ensure_day_partitions(days date[]) RETURNS integer
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    d       date;
    part    text;
    created integer := 0;
BEGIN
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

-- The metric names seen in staged heartbeats, per project: curation extracts exactly these from each heartbeat.
CREATE TABLE hb_metric_catalog (
    project_id bigint NOT NULL,
    metric     text   COLLATE "C" NOT NULL,
    first_seen timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, metric)
);

-- Exact pre-aggregates, rebuilt by curation for every (project, UTC day) it touches. One row per metric and cell
-- (day, version string, cohort): the sorted distinct numeric values and how often each occurs. Percentiles merge the
-- cells of a query and pick the ranks, which is exactly percentile_cont over the curated rows.
CREATE TABLE hb_metric_day (
    project_id       bigint   NOT NULL,
    day              date     NOT NULL,
    metric           text     COLLATE "C" NOT NULL,
    software_version text     COLLATE "C",
    cohort_id        bigint,
    cohort_name      text     COLLATE "C",
    n                bigint   NOT NULL,
    vals             float8[] NOT NULL,
    cnts             int[]    NOT NULL
);
CREATE INDEX hb_metric_day_lookup ON hb_metric_day (project_id, metric, day);
CREATE INDEX hb_metric_day_day ON hb_metric_day (project_id, day);

-- Heartbeats per cell, so that a query can tell how many heartbeats lacked a numeric value of its metric.
CREATE TABLE hb_cell_day (
    project_id       bigint NOT NULL,
    day              date   NOT NULL,
    software_version text   COLLATE "C",
    cohort_id        bigint,
    cohort_name      text   COLLATE "C",
    heartbeats       bigint NOT NULL
);
CREATE INDEX hb_cell_day_lookup ON hb_cell_day (project_id, day);

-- The watermarks of incremental curation (one row).
CREATE TABLE hb_curation_state (
    id                  integer     PRIMARY KEY CHECK (id = 1),
    created_watermark   timestamptz,
    loaded_watermark    timestamptz,
    dimension_watermark timestamptz,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
INSERT INTO hb_curation_state (id) VALUES (1);

-- The load log: one row per curation run, updated as it progresses.
CREATE TABLE hb_curation_run (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger            text        NOT NULL,
    status             text        NOT NULL,
    phase              text        NOT NULL,
    started_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz,
    candidates         bigint      NOT NULL DEFAULT 0,
    rows_loaded        bigint      NOT NULL DEFAULT 0,
    rows_removed       bigint      NOT NULL DEFAULT 0,
    partitions_created integer     NOT NULL DEFAULT 0,
    days_total         integer     NOT NULL DEFAULT 0,
    days_done          integer     NOT NULL DEFAULT 0,
    watermark_from     timestamptz,
    watermark_to       timestamptz,
    error              text
);
CREATE INDEX hb_curation_run_started ON hb_curation_run (started_at DESC);

-- Refreshes the planner statistics of one day's partition after curation has loaded it, so that the pre-aggregation
-- of that day is planned for its real size.
CREATE FUNCTION hb_analyze_day(d date) RETURNS void
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    part text := 'hb_heartbeat_p' || to_char(d, 'YYYYMMDD');
BEGIN
    IF to_regclass(quote_ident(part)) IS NOT NULL THEN
        EXECUTE format('ANALYZE %I', part);
    END IF;
END
$$;
