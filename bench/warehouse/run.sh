#!/usr/bin/env bash
# bench-harness: records (sources bench/lib/common.sh in harness mode, honours BENCH_SMOKE)
# Warehouse benchmark (never part of the test suite): the service's seeded generator builds a community of N RSVPs in
# the source schema, then a full run (bronze, silver, gold) is timed, then a run after a 1 % change (the generator's
# mutation mode), then a run with nothing new. Targets (issue 6): full <= 60 s and 1 % change <= 5 s at 1 M RSVPs.
#
# Two ways to run it:
#   ./footfall bench warehouse [--smoke]   part of the harness (bench/run.sh): the bench stack's analytics-service and
#                                          database (generation resets the warehouse tables there), scales 62,500,
#                                          250,000 and 1,000,000 RSVPs (1x/4x/16x, cost per row), writes
#                                          bench/results/warehouse.{json,md}; smoke: 2,000 RSVPs
#   bench/warehouse/run.sh                 standalone: its own service on BENCH_PORT and database BENCH_DB, one scale
#
# Environment (standalone): BENCH_DB [footfall_bench_wh], BENCH_PORT [18085], BENCH_SCALE [1000000],
# BENCH_FRACTION [0.01], FOOTFALL_DB_HOST/PORT/USER as for the services, JAVA_HOME a JDK >= 21.
#   ./mvnw -pl analytics-service verify -DskipTests && bench/warehouse/run.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export FOOTFALL_DB_HOST="${FOOTFALL_DB_HOST:-127.0.0.1}" FOOTFALL_DB_PORT="${FOOTFALL_DB_PORT:-5432}"
export FOOTFALL_DB_USER="${FOOTFALL_DB_USER:-postgres}"
PSQL=(psql -X -q -w -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER")
FRACTION="${BENCH_FRACTION:-0.01}"

HARNESS=false
[[ -n "${BENCH_RECORDS:-}" ]] && HARNESS=true
if $HARNESS; then
  source "$BENCH_DIR/lib/common.sh"
  URL="$BENCH_ANALYTICS_URL"
  TOKEN="$BENCH_TOKEN_ADMIN"
  SCALES=($(pick "2000" "62500 250000 1000000"))
  RUN_TIMEOUT=$(pick 120 900)
  WORK="$BENCH_WORK"
else
  DB="${BENCH_DB:-footfall_bench_wh}"
  PORT="${BENCH_PORT:-18085}"
  SCALES=("${BENCH_SCALE:-1000000}")
  RUN_TIMEOUT=1800
  URL="http://127.0.0.1:$PORT"
  WORK="$(mktemp -d)"
  TOKEN="$("$ROOT/footfall" token --role admin)"
  source "$HERE/../lib/standalone.sh"
  start_standalone_analytics "$DB" "$PORT" 1g "$HERE/service.log"
  trap 'kill $SERVICE 2>/dev/null || true; rm -rf "$WORK"' EXIT
fi
[[ "$URL" == http://127.0.0.1:* ]] || { echo "refusing a target that is not 127.0.0.1: $URL" >&2; exit 1; }

# call METHOD PATH: one request; fails (printing the answer) on a status >= 400.
call() {
  local out="$WORK/wh-answer.json" code
  code=$(curl -sS -o "$out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" "$URL$2") || code=0
  if ((code >= 400 || code == 0)); then
    echo "$1 $2 -> $code: $(head -c 600 "$out" 2>/dev/null)" >&2
    return 1
  fi
  cat "$out"
}
record_h() { if $HARNESS; then python3 "$BENCH_DIR/lib/report.py" record "$BENCH_RECORDS" "$@" >/dev/null; fi; }

# run CASE SCALE RSVPS [key=value ...]: starts a run, waits for it (bounded), prints wall time, per-layer seconds,
# the slowest steps, and records it with cost per source RSVP.
run() {
  local case="$1" scale="$2" rsvps="$3" id start body status line; shift 3
  start=$(date +%s.%N)
  id=$(call POST /v1/warehouse/runs | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  for ((i = 0; i < RUN_TIMEOUT * 10; i++)); do
    body=$(call GET "/v1/warehouse/runs/$id")
    status=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' <<<"$body")
    [[ "$status" != running ]] && break
    sleep 0.1
  done
  [[ "$status" == succeeded ]] || { echo "run $id: $status after $RUN_TIMEOUT s at most: $body" >&2; return 1; }
  line=$(python3 - "$case" "$start" "$(date +%s.%N)" "$body" "$rsvps" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
label, start, end, rsvps, load = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[5]), sys.argv[6]
r = json.loads(sys.argv[4])
layers = r["layers"]
secs = end - start
parts = ", ".join("%s %.2f s" % (k, v.get("seconds", 0)) for k, v in layers.items())
rows = layers.get("bronze", {}).get("rows", {})
steps = sorted(((s, k) for v in layers.values() for k, s in (v.get("steps") or {}).items()), reverse=True)[:4]
slow = ", ".join("%s %.2f" % (k, s) for s, k in steps)
print("    %-28s %6.2f s  (%s; bronze rsvps %s changed, %s deleted; slowest steps: %s)  [load %s]" % (
    label, secs, parts, rows.get("rsvps"), rows.get("rsvps (deleted)"), slow or "-", load), file=sys.stderr)
fields = ["duration_s=%.3f" % secs, "cost_per_row_us=%.2f" % (secs * 1e6 / max(rsvps, 1)),
          "throughput=%.1f" % (rsvps / max(secs, 0.001)),
          "changed_rsvps=%d" % (rows.get("rsvps") or 0), "deleted_rsvps=%d" % (rows.get("rsvps (deleted)") or 0)]
fields += ["%s_s=%.3f" % (k, v.get("seconds", 0)) for k, v in layers.items()]
print(" ".join(fields))
PY
)
  # shellcheck disable=SC2086
  record_h case="\"$case\"" tool=curl unit='"RSVPs/s"' rows="$rsvps" scale="$scale" errors=0 $line "$@"
}

for scale in "${SCALES[@]}"; do
  echo "  -- generating the source: about $scale RSVPs (seed 1)"
  gen=$(call POST "/v1/warehouse/source/generate?scale=$scale&seed=1")
  rsvps=$(python3 -c 'import json,sys; g = json.load(sys.stdin); print(g["rows"]["rsvps"])' <<<"$gen")
  python3 -c 'import json,sys; g = json.load(sys.stdin); print("    %s in %.1f s (server)" % (g["rows"], g["seconds"]))' <<<"$gen"
  x=$(( ${#SCALES[@]} == 3 ? (scale == SCALES[0] ? 1 : (scale == SCALES[1] ? 4 : 16)) : 1 ))
  full_target=() change_target=()
  if ((scale == 1000000)); then
    full_target=(target.metric=duration_s target.op='"<="' target.value=60 target.text='"full run at 1 M RSVPs ≤ 60 s (issue 6)"')
    change_target=(target.metric=duration_s target.op='"<="' target.value=5 target.text='"1 % change at 1 M RSVPs ≤ 5 s (issue 6)"')
  fi
  run "full run, $scale RSVPs" "$x" "$rsvps" "${full_target[@]}" \
    note="\"POST /v1/warehouse/runs on a fresh warehouse over $rsvps source RSVPs (scale ${x}x); wall time until the run succeeded; cost per source RSVP\""
  mutation=$(call POST "/v1/warehouse/source/mutate?fraction=$FRACTION&seed=2")
  echo "    mutation: $(python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"])' <<<"$mutation")"
  run "run after a $FRACTION change, $scale RSVPs" "$x" "$rsvps" "${change_target[@]}" \
    note="\"the generator's mutation mode changed about $FRACTION of the source (answers, new and deleted RSVPs, members, events); cost per source RSVP\""
  run "run with nothing new, $scale RSVPs" "$x" "$rsvps" note='"the same again at once: only the overlap windows are looked at"'
done

echo "  -- gold sample: top groups in the US"
call GET "/v1/warehouse/gold/top-groups?country=US&top=3" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["items"]:
    print("    #%(rank)d %(group_name)s: %(attendance)d attendees over %(events)d events" % g)'
