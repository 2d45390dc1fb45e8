#!/usr/bin/env bash
# Heartbeat benchmark: a realistic fleet (10,000 devices, 10 million heartbeats over 90 days) in its own database,
# curated through the service's API, then percentile queries timed through the API. Not part of the test suite.
#
#   bench/heartbeats/run.sh            (needs the packaged service: ./mvnw -pl analytics-service package)
#
# Environment: BENCH_DB [footfall_bench], BENCH_PORT [18084], BENCH_HISTORY [9000000] heartbeats staged and curated
# before the timed run, BENCH_NEW [1000000] heartbeats of the timed curation, BENCH_MIGRATE [true] (false to reuse a
# database prepared by hand), FOOTFALL_DB_HOST/PORT/USER as for the services, JAVA_HOME a JDK >= 21.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DB="${BENCH_DB:-footfall_bench}"
PORT="${BENCH_PORT:-18084}"
HISTORY="${BENCH_HISTORY:-9000000}"
NEW="${BENCH_NEW:-1000000}"
export FOOTFALL_DB_HOST="${FOOTFALL_DB_HOST:-127.0.0.1}" FOOTFALL_DB_PORT="${FOOTFALL_DB_PORT:-5432}"
export FOOTFALL_DB_USER="${FOOTFALL_DB_USER:-postgres}"
PSQL=(psql -X -q -w -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER")
URL="http://127.0.0.1:$PORT"
JAR="$ROOT/analytics-service/target/quarkus-app/quarkus-run.jar"

[[ -f "$JAR" ]] || { echo "build first: ./mvnw -pl analytics-service package -DskipTests" >&2; exit 1; }
"${PSQL[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 ||
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"

TOKEN="$("$ROOT/footfall" token --role admin)"
echo "==> starting analytics-service on :$PORT against database $DB"
FOOTFALL_DB_NAME="$DB" FOOTFALL_ANALYTICS_PORT="$PORT" FOOTFALL_ANALYTICS_CURATION_EVERY=off \
  FOOTFALL_JWT_PUBLIC_KEY="$ROOT/.footfall/keys/jwt-public.pem" \
  QUARKUS_FLYWAY_MIGRATE_AT_START="${BENCH_MIGRATE:-true}" QUARKUS_LOG_LEVEL=WARN \
  "${JAVA_HOME:-/usr}/bin/java" -Xmx2g -jar "$JAR" > "$HERE/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "$URL/q/health/ready" >/dev/null && break
  sleep 1
done
curl -sf "$URL/q/health/ready" >/dev/null || { echo "service did not start; see $HERE/service.log" >&2; exit 1; }

staged() { "${PSQL[@]}" -d "$DB" -tAc "SELECT count(*) FROM analytics.hb_stg_event"; }
curate() {
  local start end body
  start=$(date +%s.%N)
  body=$(curl -sf -X POST -H "Authorization: Bearer $TOKEN" "$URL/v1/heartbeats/curation")
  end=$(date +%s.%N)
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("    run %d: %s, %d candidates, %d rows loaded, %d days rebuilt, %d partitions created, %.1f s" % (r["id"], r["status"], r["candidates"], r["rows_loaded"], r["days_total"], r["partitions_created"], float(sys.argv[3]) - float(sys.argv[2])))' "$body" "$start" "$end"
}
generate() {
  local first=$1 count=$2 start
  start=$(date +%s)
  "${PSQL[@]}" -d "$DB" -v first="$first" -v count="$count" -f "$HERE/generate.sql"
  echo "    generated $count heartbeats in $(( $(date +%s) - start )) s"
}

have=$(staged)
if (( have < HISTORY )); then
  echo "==> staging the history: heartbeats $have .. $HISTORY"
  generate "$have" $(( HISTORY - have ))
fi
echo "==> curating the history (first run curates everything staged)"
curate

have=$(staged)
echo "==> staging $NEW new heartbeats (the newest days of the fleet)"
generate "$have" "$NEW"
echo "==> timed: curation of the new heartbeats"
curate
echo "==> timed again: nothing new (the overlap is looked at, nothing is loaded)"
curate

LAST=$("${PSQL[@]}" -d "$DB" -tAc "SELECT max(day) + 1 FROM analytics.hb_metric_day")
query() {
  local label=$1 query=$2 times=()
  for _ in 1 2 3 4 5 6; do
    times+=("$(curl -sf -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$URL$query")")
  done
  # The first call warms the prepared statement and caches; the median of the other five is reported.
  printf '    %-58s median %4.0f ms (runs: %s)\n' "$label" \
    "$(printf '%s\n' "${times[@]:1}" | sort -n | sed -n 3p | awk '{print $1 * 1000}')" "${times[*]:1}"
}
P="/v1/projects/1/metrics"
echo "==> timed: percentile queries (to = $LAST)"
FROM7=$(date -u -d "$LAST - 7 days" +%F); FROM90=$(date -u -d "$LAST - 90 days" +%F)
query "7 days, battery_drain_pct_per_hour by software_version" "$P/battery_drain_pct_per_hour/percentiles?p=50,90,99&from=$FROM7&to=$LAST&group_by=software_version"
query "7 days, same, cohort beta, versions 1.4.1 and 1.4.2" "$P/battery_drain_pct_per_hour/percentiles?p=50,90,99&from=$FROM7&to=$LAST&group_by=software_version&cohort=beta"
query "90 days, battery_drain_pct_per_hour by software_version" "$P/battery_drain_pct_per_hour/percentiles?p=50,90,99&from=$FROM90&to=$LAST&group_by=software_version"
query "7 days, cpu_active_ms (25,000 distinct values) by version" "$P/cpu_active_ms/percentiles?p=50,90,99&from=$FROM7&to=$LAST&group_by=software_version"
query "90 days, cpu_active_ms by software_version" "$P/cpu_active_ms/percentiles?p=50,90,99&from=$FROM90&to=$LAST&group_by=software_version"
query "7 days by day, partial days at both ends (timestamps)" "$P/battery_drain_pct_per_hour/percentiles?p=50,90,99&from=${FROM7}T06:30:00Z&to=${LAST}T00:00:00Z&group_by=day"
