#!/usr/bin/env bash
# Demo: people counting on the public DensityCo sample (data/density, see data/README.md). Sets up its floorplan
# through the API (Space A with doorway X in its outer wall, Space B behind doorway Z), places DPU 283 on X and DPU 423
# on Z, loads the 563 raw events (33 of them exact duplicates) and prints the counts of Space A and Space B.
# Called by `./footfall demo counting`; needs a running stack (./footfall up) and python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
URL="${FOOTFALL_URL:-http://127.0.0.1:8080}"
DATA="$ROOT/data/density/dpu_data.csv"
SINCE="2018-01-01T00:00:00Z"
ADMIN="$("$ROOT/footfall" token --role admin)"
SENSOR="$("$ROOT/footfall" token --role sensor)"
READER="$("$ROOT/footfall" token --role reader)"

call() { # method path token [body] -> prints the body, fails on HTTP >= 400
  local method=$1 path=$2 token=$3 body=${4:-}
  curl -sS --fail-with-body -X "$method" "$URL$path" -H "Authorization: Bearer $token" \
       -H 'Content-Type: application/json' ${body:+--data-binary "$body"}
}

echo "==> floorplan"
call PUT /v1/spaces/space-a "$ADMIN" '{"name":"Space A"}' >/dev/null
call PUT /v1/spaces/space-b "$ADMIN" '{"name":"Space B"}' >/dev/null
call PUT /v1/doorways/doorway-x "$ADMIN" "{\"name\":\"Doorway X\",\"spaces\":[{\"space_id\":\"space-a\",\"direction\":1}],\"effective_from\":\"$SINCE\"}" >/dev/null
call PUT /v1/doorways/doorway-z "$ADMIN" "{\"name\":\"Doorway Z\",\"spaces\":[{\"space_id\":\"space-a\",\"direction\":1},{\"space_id\":\"space-b\",\"direction\":-1}],\"effective_from\":\"$SINCE\"}" >/dev/null
call POST /v1/dpus/283/placements "$ADMIN" "{\"doorway_id\":\"doorway-x\",\"installed_at\":\"$SINCE\"}" >/dev/null || true
call POST /v1/dpus/423/placements "$ADMIN" "{\"doorway_id\":\"doorway-z\",\"installed_at\":\"$SINCE\"}" >/dev/null || true
echo "    Space A <- doorway X (DPU 283, +1 enters A); Space A | doorway Z (DPU 423, +1 enters A, leaves B) | Space B"

echo "==> events"
# The CSV quotes directions for one sensor and not the other; the API takes numbers.
BODY="$(python3 - "$DATA" <<'PY'
import csv, json, sys
with open(sys.argv[1], newline="") as f:
    rows = [{"dpu_id": r["dpu_id"], "timestamp": r["timestamp"], "direction": int(r["direction"])}
            for r in csv.DictReader(f)]
print(json.dumps(rows))
PY
)"
echo "    $(call POST /v1/events "$SENSOR" "$BODY")"
LAST="$(python3 -c 'import csv,sys; print(max(r["timestamp"] for r in csv.DictReader(open(sys.argv[1]))))' "$DATA")"

echo "==> counts (reconciled history, as of the last event $LAST)"
sleep 2
for space in space-a space-b; do
  echo "    $space: $(call GET "/v1/spaces/$space/count?at=$LAST" "$READER")"
done
echo "==> Space A by day"
call GET "/v1/spaces/space-a/counts?from=2018-02-24T00:00:00Z&to=2018-02-28T00:00:00Z&interval=1d" "$READER" \
  | python3 -c 'import json,sys; [print("    %s  start %-4s end %-4s min %-4s max %-4s in %-4s out %s" % tuple([b["start"][:10]] + ["-" if b[k] is None else b[k] for k in ("count_start", "count_end", "min", "max", "entrances", "exits")])) for b in json.load(sys.stdin)["buckets"]]'
