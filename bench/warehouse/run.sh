#!/usr/bin/env bash
# Warehouse benchmark (standalone, never part of the test suite): starts the packaged analytics-service on its own
# port and database, generates a community of BENCH_SCALE RSVPs (default 1,000,000) with the service's seeded
# generator, times a full run (bronze, silver, gold), then a run after a 1 % change (the generator's mutation mode),
# then a run with nothing new. Targets: full <= 60 s, 1 % change <= 5 s.
#
#   ./mvnw -pl analytics-service verify -DskipTests && bench/warehouse/run.sh
#
# Environment: BENCH_DB [footfall_bench_wh], BENCH_PORT [18085], BENCH_SCALE [1000000], BENCH_FRACTION [0.01],
# FOOTFALL_DB_HOST/PORT/USER as for the services, JAVA_HOME a JDK >= 21.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export FOOTFALL_DB_HOST="${FOOTFALL_DB_HOST:-127.0.0.1}" FOOTFALL_DB_PORT="${FOOTFALL_DB_PORT:-5432}"
export FOOTFALL_DB_USER="${FOOTFALL_DB_USER:-postgres}"
PSQL=(psql -X -q -w -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER")
DB="${BENCH_DB:-footfall_bench_wh}"
PORT="${BENCH_PORT:-18085}"
SCALE="${BENCH_SCALE:-1000000}"
FRACTION="${BENCH_FRACTION:-0.01}"
URL="http://127.0.0.1:$PORT"
JAR="$ROOT/analytics-service/target/quarkus-app/quarkus-run.jar"
[[ -f "$JAR" ]] || { echo "build first: ./mvnw -pl analytics-service verify -DskipTests" >&2; exit 1; }

"${PSQL[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 ||
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
TOKEN="$("$ROOT/footfall" token --role admin)"
echo "==> starting analytics-service on :$PORT against database $DB"
FOOTFALL_DB_NAME="$DB" FOOTFALL_ANALYTICS_PORT="$PORT" FOOTFALL_ANALYTICS_CURATION_EVERY=off \
  FOOTFALL_ANALYTICS_RETENTION_EVERY=off FOOTFALL_JWT_PUBLIC_KEY="$ROOT/.footfall/keys/jwt-public.pem" \
  QUARKUS_LOG_LEVEL=WARN "${JAVA_HOME:-/usr}/bin/java" -Xmx1g -jar "$JAR" > "$HERE/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "$URL/q/health/ready" >/dev/null && break
  sleep 1
done
curl -sf "$URL/q/health/ready" >/dev/null || { echo "service did not start; see $HERE/service.log" >&2; exit 1; }

api() { curl -sS -f -X "$1" -H "Authorization: Bearer $TOKEN" "$URL$2"; }

# run LABEL: starts a run, waits for it, prints wall time and per-layer seconds and the main row counts.
run() {
  local id start end body
  start=$(date +%s.%N)
  id=$(api POST /v1/warehouse/runs | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    body=$(api GET "/v1/warehouse/runs/$id")
    [[ "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' <<<"$body")" != running ]] && break
    sleep 0.2
  done
  end=$(date +%s.%N)
  python3 - "$1" "$start" "$end" "$body" <<'PY'
import json, sys
label, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
r = json.loads(sys.argv[4])
layers = r["layers"]
parts = ", ".join("%s %.2f s" % (k, v.get("seconds", 0)) for k, v in layers.items())
rows = layers.get("bronze", {}).get("rows", {})
print("    %-22s %-9s %6.2f s  (%s; bronze rsvps %s changed, %s deleted)" % (
    label, r["status"], end - start, parts, rows.get("rsvps"), rows.get("rsvps (deleted)")))
PY
}

echo "==> generating the source: about $SCALE RSVPs (seed 1)"
start=$(date +%s.%N)
api POST "/v1/warehouse/source/generate?scale=$SCALE&seed=1" | python3 -c '
import json, sys; g = json.load(sys.stdin); print("    %s in %.1f s (server)" % (g["rows"], g["seconds"]))'
echo "==> runs"
run "full"
api POST "/v1/warehouse/source/mutate?fraction=$FRACTION&seed=2" | python3 -c '
import json, sys; g = json.load(sys.stdin); print("    mutation: %s" % g["rows"])'
run "change of $FRACTION"
run "nothing new"
echo "==> gold sample: top groups in the US"
api GET "/v1/warehouse/gold/top-groups?country=US&top=3" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["items"]:
    print("    #%(rank)d %(group_name)s: %(attendance)d attendees over %(events)d events" % g)'
