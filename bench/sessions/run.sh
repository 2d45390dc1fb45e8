#!/usr/bin/env bash
# Session benchmark (standalone, never part of the test suite): starts the packaged analytics-service on its own port
# and a fresh database, downloads BENCH_ROWS (default 1,000,000) rows of the service's seeded CSV sample, uploads them
# (streamed), times a full rebuild of every session, then uploads an increment of BENCH_INCREMENT rows (another seed:
# the same users, new events) and reports the time to sessionize it. Targets: full <= 10 s, 10,000-row increment <= 1 s.
#
#   ./mvnw -pl analytics-service verify -DskipTests && bench/sessions/run.sh
#
# Environment: BENCH_DB [footfall_bench_sessions] (dropped and created), BENCH_PORT [18086], BENCH_ROWS [1000000],
# BENCH_INCREMENT [10000], FOOTFALL_DB_HOST/PORT/USER as for the services, JAVA_HOME a JDK >= 21.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export FOOTFALL_DB_HOST="${FOOTFALL_DB_HOST:-127.0.0.1}" FOOTFALL_DB_PORT="${FOOTFALL_DB_PORT:-5432}"
export FOOTFALL_DB_USER="${FOOTFALL_DB_USER:-postgres}"
PSQL=(psql -X -q -w -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER")
DB="${BENCH_DB:-footfall_bench_sessions}"
PORT="${BENCH_PORT:-18086}"
ROWS="${BENCH_ROWS:-1000000}"
INCREMENT="${BENCH_INCREMENT:-10000}"
URL="http://127.0.0.1:$PORT"
JAR="$ROOT/analytics-service/target/quarkus-app/quarkus-run.jar"
[[ -f "$JAR" ]] || { echo "build first: ./mvnw -pl analytics-service verify -DskipTests" >&2; exit 1; }
WORK="$(mktemp -d)"

"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
TOKEN="$("$ROOT/footfall" token --role admin)"
echo "==> starting analytics-service on :$PORT against database $DB"
FOOTFALL_DB_NAME="$DB" FOOTFALL_ANALYTICS_PORT="$PORT" FOOTFALL_ANALYTICS_CURATION_EVERY=off \
  FOOTFALL_ANALYTICS_RETENTION_EVERY=off FOOTFALL_JWT_PUBLIC_KEY="$ROOT/.footfall/keys/jwt-public.pem" \
  QUARKUS_LOG_LEVEL=WARN "${JAVA_HOME:-/usr}/bin/java" -Xmx512m -jar "$JAR" > "$HERE/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
  curl -sf "$URL/q/health/ready" >/dev/null && break
  sleep 1
done
curl -sf "$URL/q/health/ready" >/dev/null || { echo "service did not start; see $HERE/service.log" >&2; exit 1; }

echo "==> sample CSVs: $ROWS rows (seed 1), increment $INCREMENT rows (seed 2)"
curl -sS -f -H "Authorization: Bearer $TOKEN" "$URL/v1/sessions/sample.csv?rows=$ROWS&seed=1" -o "$WORK/full.csv"
curl -sS -f -H "Authorization: Bearer $TOKEN" "$URL/v1/sessions/sample.csv?rows=$INCREMENT&seed=2" -o "$WORK/inc.csv"
ls -l "$WORK"/*.csv | awk '{print "    " $5 " bytes  " $9}'

upload() {
  local start end
  start=$(date +%s.%N)
  curl -sS -f -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' --data-binary "@$1" \
    "$URL/v1/sessions/events" > "$WORK/answer.json"
  end=$(date +%s.%N)
  python3 - "$2" "$start" "$end" "$WORK/answer.json" <<'PY'
import json, sys
label, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
r = json.load(open(sys.argv[4]))
print("    %-18s %7.2f s wall: %d rows, %d new, %d duplicates, %d rejected; load %.2f s, sessionize %.2f s "
      "(%d users, %d sessions)" % (label, end - start, r["rows"], r["inserted"], r["duplicates"], r["rejected"],
                                   r["load_seconds"], r["sessionize_seconds"], r["users_rebuilt"], r["sessions_written"]))
PY
}

echo "==> uploads"
upload "$WORK/full.csv" "first upload"
curl -sS -f -X POST -H "Authorization: Bearer $TOKEN" "$URL/v1/sessions/rebuild" | python3 -c '
import json, sys; r = json.load(sys.stdin); print("    full rebuild       %7.2f s: %d sessions" % (r["seconds"], r["sessions"]))'
upload "$WORK/inc.csv" "increment"
upload "$WORK/inc.csv" "same again"
echo "==> summary by city, March 2024"
curl -sS -f -H "Authorization: Bearer $TOKEN" \
  "$URL/v1/sessions/summary?from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z&group_by=city" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["groups"]:
    print("    %-8s sessions %6d  intent %.3f  booked %.3f  conversion %.3f  median %5.0f s" % (
        g["key"], g["sessions"], g["intent_share"], g["booked_share"], g["conversion"], g["median_session_seconds"]))'
