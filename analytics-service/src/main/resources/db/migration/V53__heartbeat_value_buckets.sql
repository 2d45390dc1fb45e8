-- Exact percentiles that read only the values near the wanted ranks. Each pre-aggregate cell (metric, day, version,
-- cohort) also keeps a histogram of its sorted values over fixed buckets: bkeys the bucket of each run of values,
-- bends the index in vals of the run's last value, bcnts how many heartbeats the run holds. A query sums the bucket
-- counts of its cells per group (a few dozen per cell), finds the bucket that holds each wanted rank, and then merges
-- only those buckets' slices of vals/cnts: the result is still exactly percentile_cont, but a metric with tens of
-- thousands of distinct values per day no longer has all of them merged and sorted per query.

-- The bucket of a value: the top 19 bits of its IEEE 754 representation (sign, exponent and 7 bits of mantissa,
-- 128 buckets per power of two), ordered like the values: non-decreasing in v, the same for every cell and day, so
-- that a cell's buckets are contiguous runs of its sorted values. Negative values count down from -1, -0 is 0, and NaN
-- (which PostgreSQL sorts above every number) gets a bucket above +Infinity's. One expression, not STRICT, so that it
-- is inlined into the statements that call it (a call per value costs several times more).
CREATE FUNCTION hb_value_bucket(v float8) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v = 'NaN'::float8 THEN 524288
                WHEN v < 0 THEN -1 - (((get_byte(float8send(v), 0) & 127) << 11) | (get_byte(float8send(v), 1) << 3)
                                      | (get_byte(float8send(v), 2) >> 5))
                ELSE (get_byte(float8send(v + 0.0), 0) << 11) | (get_byte(float8send(v + 0.0), 1) << 3)
                     | (get_byte(float8send(v + 0.0), 2) >> 5) END
$$;

-- The histogram of a cell from its sorted distinct values and their counts (used by the day rebuild as well).
CREATE FUNCTION hb_value_histogram(vals float8[], cnts int[])
    RETURNS TABLE (bkeys int[], bends int[], bcnts int[])
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT array_agg(bucket ORDER BY bucket), array_agg(last ORDER BY bucket), array_agg(c ORDER BY bucket)
    FROM (SELECT hb_value_bucket(u.v) AS bucket, max(u.i)::int AS last, sum(u.c)::int AS c
          FROM unnest(vals, cnts) WITH ORDINALITY AS u(v, c, i)
          GROUP BY 1) r
$$;

ALTER TABLE hb_metric_day ADD COLUMN bkeys int[], ADD COLUMN bends int[], ADD COLUMN bcnts int[];
UPDATE hb_metric_day d SET (bkeys, bends, bcnts) = (SELECT * FROM hb_value_histogram(d.vals, d.cnts));
ALTER TABLE hb_metric_day ALTER COLUMN bkeys SET NOT NULL, ALTER COLUMN bends SET NOT NULL,
    ALTER COLUMN bcnts SET NOT NULL;
