#!/usr/bin/env bash
# bench-harness: records (sources bench/lib/common.sh in harness mode, honours BENCH_SMOKE)
# Session benchmark (never part of the test suite): downloads N rows of the service's seeded CSV sample, uploads them
# (streamed; the upload sessionizes what it stored), times a full rebuild of every session, then uploads an increment
# of 10,000 rows (another seed: the same users, new events) and times it, then the same increment again (all
# duplicates). Targets (issue 6): full rebuild of 1 M events <= 10 s, increment of 10,000 rows <= 1 s.
#
# Two ways to run it:
#   ./footfall bench sessions [--smoke]   part of the harness (bench/run.sh): the bench stack's analytics-service and
#                                         database (its sess_* tables are emptied before each scale), scales 62,500,
#                                         250,000 and 1,000,000 events (1x/4x/16x, cost per row), writes
#                                         bench/results/sessions.{json,md}; smoke: 2,000 rows, increment 200
#   bench/sessions/run.sh                 standalone: its own service on BENCH_PORT and a fresh database BENCH_DB
#
# Environment (standalone): BENCH_DB [footfall_bench_sessions] (dropped and created), BENCH_PORT [18086],
# BENCH_ROWS [1000000], BENCH_INCREMENT [10000], FOOTFALL_DB_HOST/PORT/USER as for the services, JAVA_HOME a JDK >= 21.
#   ./mvnw -pl analytics-service verify -DskipTests && bench/sessions/run.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export FOOTFALL_DB_HOST="${FOOTFALL_DB_HOST:-127.0.0.1}" FOOTFALL_DB_PORT="${FOOTFALL_DB_PORT:-5432}"
export FOOTFALL_DB_USER="${FOOTFALL_DB_USER:-postgres}"
PSQL=(psql -X -q -w -v ON_ERROR_STOP=1 -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER")

HARNESS=false
[[ -n "${BENCH_RECORDS:-}" ]] && HARNESS=true
if $HARNESS; then
  source "$BENCH_DIR/lib/common.sh"
  DB="$BENCH_DATABASE"
  URL="$BENCH_ANALYTICS_URL"
  TOKEN="$BENCH_TOKEN_ADMIN"
  SIZES=($(pick "2000" "62500 250000 1000000"))
  INCREMENT=$(pick 200 10000)
  WORK="$BENCH_WORK/sessions"
  mkdir -p "$WORK"
else
  DB="${BENCH_DB:-footfall_bench_sessions}"
  PORT="${BENCH_PORT:-18086}"
  SIZES=("${BENCH_ROWS:-1000000}")
  INCREMENT="${BENCH_INCREMENT:-10000}"
  URL="http://127.0.0.1:$PORT"
  WORK="$(mktemp -d)"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  TOKEN="$("$ROOT/footfall" token --role admin)"
  source "$HERE/../lib/standalone.sh"
  start_standalone_analytics "$DB" "$PORT" 512m "$HERE/service.log"
  trap 'kill $SERVICE 2>/dev/null || true; rm -rf "$WORK"' EXIT
fi
[[ "$URL" == http://127.0.0.1:* ]] || { echo "refusing a target that is not 127.0.0.1: $URL" >&2; exit 1; }

record_h() { if $HARNESS; then python3 "$BENCH_DIR/lib/report.py" record "$BENCH_RECORDS" "$@" >/dev/null; fi; }
# call METHOD PATH [curl options]: one request to the service; fails (printing the answer) on a status >= 400.
call() {
  local method="$1" path="$2" out="$WORK/answer.json" code; shift 2
  code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" "$@" "$URL$path") || code=0
  if ((code >= 400 || code == 0)); then
    echo "$method $path -> $code: $(head -c 600 "$out" 2>/dev/null)" >&2
    return 1
  fi
  cat "$out"
}

# upload FILE CASE SCALE [key=value ...]: streams the CSV, prints and records wall time, load and sessionize seconds.
upload() {
  local file="$1" case="$2" scale="$3" start answer line; shift 3
  start=$(date +%s.%N)
  answer=$(call POST /v1/sessions/events -H 'Content-Type: text/csv' --data-binary "@$file")
  line=$(python3 - "$case" "$start" "$(date +%s.%N)" "$answer" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
label, start, end, load = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[5]
r = json.loads(sys.argv[4])
secs = end - start
print("    %-34s %7.2f s wall: %d rows, %d new, %d duplicates, %d rejected; load %.2f s, sessionize %.2f s "
      "(%d users, %d sessions)  [load %s]" % (label, secs, r["rows"], r["inserted"], r["duplicates"], r["rejected"],
      r["load_seconds"], r["sessionize_seconds"], r["users_rebuilt"], r["sessions_written"], load), file=sys.stderr)
print("duration_s=%.3f rows=%d inserted=%d load_s=%.3f sessionize_s=%.3f users_rebuilt=%d sessions_written=%d "
      "cost_per_row_us=%.2f throughput=%.1f" % (secs, r["rows"], r["inserted"], r["load_seconds"],
      r["sessionize_seconds"], r["users_rebuilt"], r["sessions_written"], secs * 1e6 / max(r["rows"], 1),
      r["rows"] / max(secs, 0.001)))
PY
)
  # shellcheck disable=SC2086
  record_h case="\"$case\"" tool=curl unit='"rows/s"' scale="$scale" errors=0 $line "$@"
}

echo "  -- sample CSVs (seed 1 for the history, seed 2 for the increment)"
curl -sS -f -H "Authorization: Bearer $TOKEN" "$URL/v1/sessions/sample.csv?rows=$INCREMENT&seed=2" -o "$WORK/inc.csv"
for size in "${SIZES[@]}"; do
  x=$(( ${#SIZES[@]} == 3 ? (size == SIZES[0] ? 1 : (size == SIZES[1] ? 4 : 16)) : 1 ))
  curl -sS -f -H "Authorization: Bearer $TOKEN" "$URL/v1/sessions/sample.csv?rows=$size&seed=1" -o "$WORK/full.csv"
  echo "  -- $size rows ($(stat -c %s "$WORK/full.csv") bytes), scale ${x}x"
  if $HARNESS; then
    "${PSQL[@]}" -d "$DB" -c "TRUNCATE analytics.sess_event, analytics.sess_session, analytics.sess_dirty RESTART IDENTITY" >/dev/null
  fi
  upload "$WORK/full.csv" "upload of $size rows" "$x" \
    note="\"POST /v1/sessions/events of the seeded sample into empty tables (streamed; stores and sessionizes everything)\""
  start=$(date +%s.%N)
  rebuild=$(call POST /v1/sessions/rebuild)
  read -r secs server sessions < <(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("%.3f %.3f %d" % (float(sys.argv[3]) - float(sys.argv[2]), r["seconds"], r["sessions"]))' "$rebuild" "$start" "$(date +%s.%N)")
  printf '    %-34s %7.2f s wall (server %.2f s): %d sessions  [load %s]\n' "full rebuild of $size rows" "$secs" "$server" "$sessions" "$(cut -d' ' -f1-3 /proc/loadavg)"
  target=()
  ((size == 1000000)) && target=(target.metric=duration_s target.op='"<="' target.value=10 target.text='"full sessionizing of 1 M events ≤ 10 s (issue 6)"')
  record_h case="\"full rebuild, $size rows\"" tool=curl unit='"rows/s"' scale="$x" errors=0 duration_s="$secs" server_s="$server" \
    sessions="$sessions" rows="$size" cost_per_row_us="$(python3 -c "print(round($secs * 1e6 / $size, 2))")" \
    throughput="$(python3 -c "print(round($size / max($secs, 0.001), 1))")" "${target[@]}" \
    note='"POST /v1/sessions/rebuild: every session again from every stored event, wall time through the API"'
  target=()
  ((size == 1000000)) && target=(target.metric=duration_s target.op='"<="' target.value=1 target.text="\"increment of $INCREMENT rows ≤ 1 s (issue 6)\"")
  upload "$WORK/inc.csv" "increment of $INCREMENT rows on $size" "$x" "${target[@]}" \
    note="\"POST /v1/sessions/events of $INCREMENT new rows (seed 2: the same users, new events) on top of $size; wall time: load plus incremental sessionizing\""
  upload "$WORK/inc.csv" "same increment again on $size" "$x" note='"every row a duplicate: nothing stored, nothing sessionized"'
done

echo "  -- summary by city, March 2024"
call GET "/v1/sessions/summary?from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z&group_by=city" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["groups"]:
    print("    %-8s sessions %6d  intent %.3f  booked %.3f  conversion %s  median %5.0f s" % (
        g["key"], g["sessions"], g["intent_share"] or 0, g["booked_share"] or 0, g["conversion"], g["median_session_seconds"] or 0))'
