-- Loads one chunk of the count benchmark's history straight into count.space_event, for the tenant of the bench's
-- tokens, 'default' (run with psql as the admin):
--   psql -v spaces=100 -v v0=0 -v v1=3125 -v chunk=0 -v seed=42 -f load.sql
-- Each space bench-asof-<s> gets visits v0 .. v1-1: a person enters at 2025-01-01 + v * 30 s (+ chunk * 3 h, + a
-- seeded 0-29 s jitter) and leaves 1 min to 2 h later; two events per visit, seq unique per event. The count is the
-- number of people inside, which is never negative, so max(0, count + delta) never clamps and the count after each
-- event is the plain running sum of the deltas in (ts, seq) order: exactly what count-service's fold stores (the
-- spaces have no daily reset). Chunks are 3 h apart and every visit ends within 2 h, so each chunk starts at count 0
-- and its running sum does not need the chunks before it.
\set ON_ERROR_STOP on
SET work_mem = '256MB';
INSERT INTO count.space_event (tenant, space_id, ts, seq, dpu_id, delta, count_after)
SELECT 'default', space_id, ts, seq, dpu_id, delta,
       sum(delta) OVER (PARTITION BY space_id ORDER BY ts, seq ROWS UNBOUNDED PRECEDING)
FROM (
    SELECT 'bench-asof-' || s AS space_id, 'bench-asof-dpu-' || s AS dpu_id,
           CASE WHEN e.kind = 0 THEN t.enter ELSE t.enter + t.stay END AS ts,
           9000000000000 + (v::bigint * 2 + e.kind) * 1000 + s AS seq,
           CASE WHEN e.kind = 0 THEN 1 ELSE -1 END::smallint AS delta
    FROM generate_series(0, :spaces - 1) AS s
    CROSS JOIN generate_series(:v0, :v1 - 1) AS v
    CROSS JOIN LATERAL (SELECT ((s::bigint * 2654435761 + v::bigint * 40503 + :seed) % 2147483647) AS h) AS hh
    CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 00:00:00+00' + v * interval '30 seconds'
                               + :chunk * interval '3 hours' + (hh.h % 30) * interval '1 second' AS enter,
                               (60 + (hh.h / 30) % 7140) * interval '1 second' AS stay) AS t
    CROSS JOIN (VALUES (0), (1)) AS e(kind)
) AS x;
