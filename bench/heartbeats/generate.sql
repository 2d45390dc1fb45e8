-- Generates a realistic fleet into the heartbeat staging tables of schema analytics (run with psql):
--   psql -v first=0 -v count=9000000 [-v seed=0.42] [-v tenant=default] -f generate.sql
--   (heartbeats number first .. first+count-1, staged for the tenant the benchmark's token names)
-- 10,000 devices in 4 cohorts, 12 software-version ids carrying 8 version strings (rollouts move devices to newer
-- versions over the 90 days), one heartbeat per device about every 2.2 hours: heartbeat number k of device d is
-- captured at start + k * 90 days / 1000 (+ a per-device phase), so 10 million heartbeats span 90 days and
-- generating them in two parts (9 M, then 1 M) stages the newest days last, as a live fleet would.
-- created_date lags captured_date by up to a day, as in the public sample. 12 metrics like the sample's, with
-- battery_drain_pct_per_hour reported in hundredths (fixed point, as firmware does) and depending on the version.
\set ON_ERROR_STOP on
SET search_path = analytics;
\if :{?first}
\else
  \set first 0
\endif
\if :{?count}
\else
  \set count 10000000
\endif
\set devices 10000
\set per_device 1000
\set start '''2025-01-01 00:00:00+00'''
\if :{?seed}
\else
  \set seed 0.42
\endif
\if :{?tenant}
\else
  \set tenant default
\endif
-- Seeded: random() below gives the same values for the same first/count/seed (INSERT ... SELECT runs serially).
SELECT setseed(:seed + :first::float8 / 1e12) \gset

INSERT INTO hb_stg_cohort (tenant, id, project_id, name)
SELECT :'tenant', id, 1, name
FROM (VALUES (1, 'Beta'), (2, 'default'), (3, 'Internal'), (4, 'Production')) AS t(id, name)
ON CONFLICT (tenant, id) DO NOTHING;

INSERT INTO hb_stg_software_version (tenant, id, project_id, version)
SELECT :'tenant', id, 1, v FROM (VALUES (101, '1.3.0'), (102, '1.3.1'), (103, '1.4.0'), (104, '1.4.1'), (105, '1.4.1'),
                             (106, '1.4.2'), (107, '1.4.2'), (108, '1.5.0-beta1'), (109, '1.5.0-beta2'),
                             (110, '1.3.1'), (111, '1.4.0'), (112, '1.4.2')) AS t(id, v)
ON CONFLICT (tenant, id) DO NOTHING;

INSERT INTO hb_stg_device (tenant, id, project_id, device_serial, cohort_id)
SELECT :'tenant', d, 1, 'SN' || lpad(d::text, 8, '0'),
       CASE WHEN d % 20 = 0 THEN 3 WHEN d % 10 = 1 THEN 1 WHEN d % 7 = 2 THEN 2 ELSE 4 END
FROM generate_series(1, :devices) AS d
ON CONFLICT (tenant, id) DO NOTHING;

-- The metric names staging records for heartbeats (the API does this as it stages them).
INSERT INTO hb_metric_catalog (tenant, project_id, metric, ordinal)
SELECT :'tenant', 1, m, o
FROM unnest(ARRAY['battery_perc', 'battery_perc_delta', 'battery_drain_pct_per_hour', 'cpu_active_ms',
    'cpu_deep_sleep_ms', 'charge_time_ms', 'flash_bytes_read', 'flash_bytes_written', 'flash_sector_erases',
    'i2c_accel_ms', 'mem_heap_remaining_bytes', 'main_task_stack_unused_bytes']) WITH ORDINALITY AS t(m, o)
ON CONFLICT DO NOTHING;

-- metric_values as the staging API fills it: the numeric values in catalog order (ordinals 1..12 above).
INSERT INTO hb_stg_event (tenant, id, project_id, captured_date, created_date, type, software_version_id, device_id,
                          event_info, metric_values)
SELECT :'tenant', id, 1, captured, created, 'heartbeat', sv_id, device,
       jsonb_build_object('metrics', jsonb_build_object(
           'battery_perc', m1, 'battery_perc_delta', m2, 'battery_drain_pct_per_hour', m3, 'cpu_active_ms', m4,
           'cpu_deep_sleep_ms', m5, 'charge_time_ms', m6, 'flash_bytes_read', m7, 'flash_bytes_written', m8,
           'flash_sector_erases', m9, 'i2c_accel_ms', m10, 'mem_heap_remaining_bytes', m11,
           'main_task_stack_unused_bytes', m12)),
       ARRAY[m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12]::float8[]
FROM (
SELECT 1000000000 + g.n AS id, c.captured, c.captured + (random() * interval '24 hours') AS created, v.id AS sv_id,
       g.device,
       1000 - (g.k * 37 % 1000) AS m1,
       (4 + random() * 6)::int AS m2,
       round((v.drain + random() * 0.8 + (g.device % 13) * 0.02)::numeric, 2) AS m3,
       (30000 + random() * 25000)::int AS m4,
       (35940000 + random() * 20000)::int AS m5,
       CASE WHEN random() < 0.1 THEN (random() * 600000)::int ELSE 0 END AS m6,
       (100000 + random() * 900)::int AS m7,
       (10000 + random() * 120)::int AS m8,
       (random() * 3)::int AS m9,
       (30000 + random() * 15000)::int AS m10,
       (12800 + random() * 300)::int AS m11,
       (600 + random() * 16)::int AS m12
FROM (SELECT n, (n % :devices) + 1 AS device, n / :devices AS k
      FROM generate_series(:first::bigint, :first::bigint + :count - 1) AS n) AS g
CROSS JOIN LATERAL (SELECT :start::timestamptz + (g.k * interval '90 days' / :per_device)
                           + ((g.device * 7919) % 7800) * interval '1 second' AS captured) AS c
-- Rollouts: a device moves one version up at a device-specific point of each 30-day stretch.
CROSS JOIN LATERAL (SELECT (ARRAY[101, 102, 110, 103, 111, 104, 105, 106, 107, 112, 108, 109])
                               [1 + ((g.device % 4) + (g.k * 3 / :per_device) * 3 + CASE WHEN g.k % 333 > (g.device % 333) THEN 1 ELSE 0 END) % 12] AS id) AS sv
CROSS JOIN LATERAL (SELECT sv.id,
                           CASE WHEN sv.id IN (101, 102, 110) THEN 1.6 WHEN sv.id IN (103, 111) THEN 1.4
                                WHEN sv.id IN (104, 105) THEN 1.2 WHEN sv.id IN (106, 107, 112) THEN 1.1 ELSE 1.5 END AS drain) AS v
OFFSET 0 -- evaluated once per row, before the values are used twice
) AS generated
ON CONFLICT (tenant, id) DO NOTHING;
ANALYZE hb_stg_event;
