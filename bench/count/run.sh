#!/usr/bin/env bash
# bench-harness: records (sources bench/lib/common.sh in harness mode, honours BENCH_SMOKE)
# Count reads at 1,000 requests/s: as-of reads (GET /v1/spaces/{id}/count?at=T) against pgbench running the same
# index lookup, at 1x, 4x and 16x stored history (16x = 10 million events, the condition of issue 3's targets), and
# real-time reads (GET /v1/spaces/{id}/count, a Redis hash) against redis-benchmark HMGET on the same key shape.
# The history is generated in PostgreSQL by load.sql (seeded), not through HTTP (see bench/README.md).
set -euo pipefail
source "$BENCH_DIR/lib/common.sh"

SPACES=$(pick 4 100)
TOTAL=$(pick 16000 10000000)             # events at 16x
SECS=$(pick 1 30); WARM=$(pick 1 10); RATE=1000
SEED=42
T_BASE_EPOCH=$(date -u -d '2025-01-01T00:00:00Z' +%s)

# Spaces through the API (so count-service knows them); history straight into the table.
have=$(db_value "SELECT count(*) FROM count.space WHERE space_id LIKE 'bench-asof-%'")
for ((i = have; i < SPACES; i++)); do
  api PUT "$BENCH_COUNT_URL/v1/spaces/bench-asof-$i" admin "{\"name\":\"Bench as-of $i\"}" >/dev/null
done
bench_log "clearing the benchmark's history (TRUNCATE count.space_event and its count offsets in database $BENCH_DATABASE)"
# Offsets belong to the rows they correct: they go with them (space_offset exists from count-service's V3 on).
db -c "DO \$\$ BEGIN IF to_regclass('count.space_offset') IS NULL THEN TRUNCATE count.space_event; ELSE TRUNCATE count.space_event, count.space_offset; END IF; END \$\$" >/dev/null

paths_file() { # paths_file FILE SPAN_S: 20,000 seeded as-of paths within the loaded span
  python3 - "$1" "$2" "$SPACES" "$T_BASE_EPOCH" "$SEED" <<'PY'
import random, sys, datetime
out, span, spaces, base, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
r = random.Random(seed)
with open(out, "w") as f:
    for _ in range(20000):
        t = datetime.datetime.fromtimestamp(base + r.randrange(span), datetime.timezone.utc)
        f.write("/v1/spaces/bench-asof-%d/count?at=%s\n" % (r.randrange(spaces), t.strftime("%Y-%m-%dT%H:%M:%SZ")))
PY
}

run_pgbench() { # run_pgbench CASE SCRIPT RATE [key=value ...]
  local case="$1" script="$2" rate="$3"; shift 3
  local prefix="$BENCH_WORK/pgbench_$(echo "$case" | tr -c 'A-Za-z0-9' '_')"
  rm -f "$prefix"*
  local r0; r0=$(reclaim_ticks)
  local rate_args=(); [[ "$rate" != 0 ]] && rate_args=(-R "$rate")
  (cd "$BENCH_WORK" && timeout $((SECS + 30)) pgbench -n -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER" \
    -c 4 -j 1 -T "$SECS" "${rate_args[@]}" -M prepared --random-seed=$SEED -l --log-prefix="$(basename "$prefix")" \
    -f "$script" "$BENCH_DATABASE" >"$prefix.txt" 2>&1) || { cat "$prefix.txt" >&2; return 1; }
  python3 "$REPORT" pgbench "$BENCH_RECORDS" "$prefix" case="\"$case\"" kernel_reclaim_ms_per_s="$(reclaim_ms_per_s "$r0" "$SECS")" "$@"
}

# Warm-up before each paced case: unpaced first (about 100,000 requests, so the JIT has compiled the read path; at
# 1,000/s alone the p99 was still falling after a minute), then at the measured rate.
warm_reads() {
  BENCH_WRK_RATE=0 warm_wrk "$WARM" 16
  BENCH_WRK_RATE=$RATE warm_wrk "$WARM" 16
}

v_done=0
for scale in 1 4 16; do
  events=$((TOTAL * scale / 16))
  v1=$((events / SPACES / 2))
  chunk=$(( scale == 1 ? 0 : (scale == 4 ? 1 : 2) ))
  bench_log "history at ${scale}x: $events events in $SPACES spaces (visits $v_done..$v1)"
  t=$(now_s)
  db -v spaces="$SPACES" -v v0="$v_done" -v v1="$v1" -v chunk="$chunk" -v seed="$SEED" -f "$BENCH_DIR/count/load.sql" >/dev/null
  load_s=$(elapsed "$t")
  t=$(now_s)
  db -c "VACUUM (ANALYZE) count.space_event" >/dev/null
  vac_s=$(elapsed "$t")
  # The load's dirty pages are written now, not by a spread checkpoint during the paced cases.
  db -c "CHECKPOINT" >/dev/null
  added=$(( (v1 - v_done) * SPACES * 2 ))
  record case="\"load of the history to ${scale}x ($events events)\"" tool=psql scale=$scale rows=$added \
    throughput="$(python3 -c "print(round($added / $load_s, 1))")" unit='"rows/s"' duration_s="$load_s" \
    cost_per_row_us="$(python3 -c "print(round($load_s * 1e6 / $added, 3))")" vacuum_s="$vac_s" errors=0 \
    note="\"INSERT … SELECT of $added rows (window sum for count_after) into count.space_event with its three indexes; then VACUUM (ANALYZE) in $vac_s s so the as-of lookup is an index-only scan\""
  v_done=$v1
  span=$((v1 * 30 + chunk * 3 * 3600))
  paths_file "$BENCH_WORK/asof-paths.txt" "$span"
  cat >"$BENCH_WORK/asof.sql" <<SQL
\\set s random(0, $((SPACES - 1)))
\\set t random(0, $((span - 1)))
SELECT e.ts, e.count_after + coalesce((SELECT o.count_offset FROM count.space_offset o WHERE o.tenant = e.tenant AND o.space_id = e.space_id AND (o.ts, o.seq) <= (e.ts, e.seq) ORDER BY o.ts DESC, o.seq DESC LIMIT 1), 0) AS count_after FROM (SELECT tenant, space_id, ts, seq, count_after FROM count.space_event WHERE tenant = 'default' AND space_id = 'bench-asof-' || :s AND ts <= timestamptz '2025-01-01 00:00:00+00' + :t * interval '1 second' ORDER BY ts DESC, seq DESC LIMIT 1) e;
SQL

  export BENCH_WRK_URL="$BENCH_COUNT_URL" BENCH_WRK_MODE=get BENCH_WRK_TOKEN="$BENCH_TOKEN_READER"
  export BENCH_WRK_PATHS="$BENCH_WORK/asof-paths.txt" BENCH_WRK_SEED=$SEED
  warm_reads
  wait_quiet 240
  target=(); [[ $scale == 16 ]] && target=(target.metric=latency_ms.p99 target.op='"<="' target.value=5 target.text='"p99 ≤ 5 ms at 1,000/s with 10 M events (issue 3)"')
  run_pgbench "pgbench as-of lookup at ${scale}x, $RATE/s" "$BENCH_WORK/asof.sql" $RATE scale=$scale rows=$events \
    note='"the same SQL as count-service (a backward index-only scan on the primary key of count.space_event, then the count offset in force), random space and instant, pgbench -R 1000 -c 4 -M prepared, as the admin (no tenant transaction, no row-level security); latency excludes schedule lag"'
  BENCH_WRK_RATE=$RATE run_wrk "as-of count at ${scale}x, $RATE/s" "$SECS" 16 1 scale=$scale rows=$events \
    baseline="\"pgbench as-of lookup at ${scale}x, $RATE/s\"" "${target[@]}" \
    note='"wrk paced to 1,000/s (16 connections), GET /v1/spaces/{id}/count?at=T for a seeded random space and instant inside the stored history, straight to count-service"'
done

# ---- At 16x (10 M events): real-time reads, and the ceilings without pacing ----
bench_log "real-time counters rebuilt from history (POST /v1/spaces/realtime/rebuild)"
api POST "$BENCH_COUNT_URL/v1/spaces/realtime/rebuild" admin >/dev/null
KEY="${FOOTFALL_REDIS_KEY_PREFIX}rt:{default}:bench-asof-0"
redis-cli -h "$FOOTFALL_REDIS_HOST" -p "$FOOTFALL_REDIS_PORT" EXISTS "$KEY" | grep -q 1 || { echo "no Redis counter $KEY after the rebuild" >&2; exit 1; }
python3 - "$BENCH_WORK/rt-paths.txt" "$SPACES" "$SEED" <<'PY'
import random, sys
r = random.Random(int(sys.argv[3]))
with open(sys.argv[1], "w") as f:
    for _ in range(20000):
        f.write("/v1/spaces/bench-asof-%d/count\n" % r.randrange(int(sys.argv[2])))
PY
export BENCH_WRK_PATHS="$BENCH_WORK/rt-paths.txt"
warm_reads
n=$(( $(pick 2000 20000) ))
redis-benchmark -h "$FOOTFALL_REDIS_HOST" -p "$FOOTFALL_REDIS_PORT" -c 1 -n "$n" --csv HMGET "$KEY" count ts reset >"$BENCH_WORK/redis-benchmark.csv" 2>&1 ||
  { cat "$BENCH_WORK/redis-benchmark.csv" >&2; exit 1; }
python3 - "$BENCH_WORK/redis-benchmark.csv" "$BENCH_RECORDS" "$REPORT" <<'PY'
import csv, subprocess, sys, json
rows = list(csv.reader(open(sys.argv[1])))
head, vals = rows[0], rows[-1]
d = dict(zip(head, vals))
rec = {"case": "redis-benchmark HMGET of a counter", "tool": "redis-benchmark", "throughput": float(d["rps"]),
       "unit": "requests/s", "latency_ms": {"p50": float(d["p50_latency_ms"]), "p95": float(d["p95_latency_ms"]),
       "p99": float(d["p99_latency_ms"]), "max": float(d["max_latency_ms"]), "mean": float(d["avg_latency_ms"])},
       "errors": 0, "scale": 16,
       "note": "redis-benchmark -c 1 HMGET <prefix>rt:{<tenant>}:<space> count ts reset, the command count-service sends; one connection, not paced (it has no rate option), so its latency is the floor and its rate the single-connection ceiling"}
subprocess.run([sys.executable, sys.argv[3], "record", sys.argv[2]] + ["%s=%s" % (k, json.dumps(v)) for k, v in rec.items()], check=True)
PY
wait_quiet 240
BENCH_WRK_RATE=$RATE run_wrk "real-time count, $RATE/s" "$SECS" 16 1 scale=16 \
  baseline='"redis-benchmark HMGET of a counter"' \
  target.metric=latency_ms.p99 target.op='"<="' target.value=2 target.text='"p99 ≤ 2 ms at 1,000/s (issue 3)"' \
  note='"wrk paced to 1,000/s (16 connections), GET /v1/spaces/{id}/count for a seeded random space of 100, straight to count-service"'

BENCH_WRK_RATE=0 run_wrk "real-time count, unpaced (ceiling)" "$SECS" 16 1 scale=16 \
  note='"wrk, 16 connections as fast as they go: the saturation throughput of count-service on this machine (latency here is queueing)"'
export BENCH_WRK_PATHS="$BENCH_WORK/asof-paths.txt"
BENCH_WRK_RATE=0 run_wrk "as-of count at 16x, unpaced (ceiling)" "$SECS" 16 1 scale=16 rows=$TOTAL \
  baseline='"pgbench as-of lookup at 16x, unpaced"' \
  note='"wrk, 16 connections as fast as they go"'
run_pgbench "pgbench as-of lookup at 16x, unpaced" "$BENCH_WORK/asof.sql" 0 scale=16 rows=$TOTAL \
  note='"pgbench -c 4 -M prepared, as fast as it goes"'
