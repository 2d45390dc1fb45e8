-- Heartbeat metrics as typed arrays: the numeric value of every catalog metric is taken out of the JSON once, when
-- the event is staged, into a float8[] whose element i is the project's metric with catalog ordinal i (null when the
-- heartbeat lacks it or it is not a number). Curation copies the array and the day rebuild unnests it, instead of
-- parsing jsonb for every metric of every heartbeat on each rebuild (the bulk of the curation time). Version numbers
-- from 50 up are the heartbeat part's, so that they never collide with the warehouse's and sessions' migrations.

-- Ordinals are dense per project (1..n) and never change; new metric names get the next ones (staging assigns them
-- under an advisory lock).
ALTER TABLE hb_metric_catalog ADD COLUMN ordinal integer;
UPDATE hb_metric_catalog k SET ordinal = o.n
FROM (SELECT project_id, metric, row_number() OVER (PARTITION BY project_id ORDER BY first_seen, metric) AS n
      FROM hb_metric_catalog) o
WHERE o.project_id = k.project_id AND o.metric = k.metric;
ALTER TABLE hb_metric_catalog ALTER COLUMN ordinal SET NOT NULL;
CREATE UNIQUE INDEX hb_metric_catalog_ordinal ON hb_metric_catalog (project_id, ordinal);

-- The metric values of an event_info, aligned with the project's catalog as it is now. A metric the catalog does not
-- know yet is not extracted (staging records the names of a batch before it stages the batch's events).
CREATE FUNCTION hb_metric_values(project bigint, event_info jsonb) RETURNS float8[]
    LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
    SELECT ARRAY(
        SELECT CASE WHEN jsonb_typeof(kv.value) = 'number' THEN kv.value::float8 END
        FROM hb_metric_catalog k
        LEFT JOIN jsonb_each(CASE WHEN jsonb_typeof(event_info -> 'metrics') = 'object' THEN event_info -> 'metrics'
                             END) AS kv ON kv.key = k.metric
        WHERE k.project_id = project
        ORDER BY k.ordinal)
$$;

ALTER TABLE hb_stg_event ADD COLUMN metric_values float8[];
UPDATE hb_stg_event SET metric_values = hb_metric_values(project_id, event_info) WHERE type = 'heartbeat';

-- The curated row keeps the typed values only; the JSON stays in staging.
ALTER TABLE hb_heartbeat ADD COLUMN metric_values float8[];
UPDATE hb_heartbeat SET metric_values = hb_metric_values(project_id, jsonb_build_object('metrics', metrics));
ALTER TABLE hb_heartbeat ALTER COLUMN metric_values SET NOT NULL;
ALTER TABLE hb_heartbeat DROP COLUMN metrics;

-- Cells of a day whose heartbeats carry no numeric value of a metric are no longer written (they held n = 0 and
-- empty arrays, which no query reads).
DELETE FROM hb_metric_day WHERE n = 0;

