#!/usr/bin/env bash
# Demo: fills the warehouse's stand-in source database with a generated community (`--scale N` RSVPs, default
# 100,000; `--seed S`), runs bronze -> silver -> gold while printing the run's progress, then shows gold results and
# the data-quality findings. Called by `./footfall demo warehouse [--scale N] [--seed S]`; needs a running stack
# (./footfall up) and python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
URL="${FOOTFALL_URL:-http://127.0.0.1:8080}"
SCALE=100000
SEED=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) SCALE="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    *) echo "usage: ./footfall demo warehouse [--scale N] [--seed S]" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
TOKEN="$("$ROOT/footfall" token --role admin)"
api() { curl -sS -f -X "$1" -H "Authorization: Bearer $TOKEN" "$URL$2"; }

echo "==> generating the source: about $SCALE RSVPs, seed $SEED (replaces the source and resets the warehouse)"
api POST "/v1/warehouse/source/generate?scale=$SCALE&seed=$SEED" | python3 -c '
import json, sys; g = json.load(sys.stdin)
print("    " + ", ".join("%s %d" % kv for kv in g["rows"].items()) + " in %.1f s" % g["seconds"])'

echo "==> warehouse run"
ID=$(api POST /v1/warehouse/runs | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
while :; do
  BODY=$(api GET "/v1/warehouse/runs/$ID")
  STATUS=$(python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["status"] + " " + r["phase"])' <<<"$BODY")
  echo "    run $ID: $STATUS"
  [[ "$STATUS" != running* ]] && break
  sleep 1
done
python3 -c '
import json, sys
r = json.load(sys.stdin)
for name, layer in r["layers"].items():
    rows = {k: v for k, v in layer["rows"].items() if v and "removed" not in k}
    print("    %-6s %.2f s  %s" % (name, layer["seconds"], ", ".join("%s %d" % kv for kv in rows.items())))' <<<"$BODY"

echo "==> top groups per country by attendance (gold)"
api GET "/v1/warehouse/gold/top-groups?top=2&limit=12" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["items"]:
    print("    %(country_code)s #%(rank)d %(group_name)-12s %(attendance)7d attendees, %(events)4d events" % g)'
echo "==> fullest upcoming events (sign-up rate)"
api GET "/v1/warehouse/gold/event-signups?limit=5" | python3 -c '
import json, sys
for e in json.load(sys.stdin)["items"]:
    print("    %(starts_at)s %(event_name)-12s %(country_code)s yes %(yes)4d + guests %(guests)3d / limit %(rsvp_limit)s -> %(signup_rate)s" % e)'
echo "==> monthly active members, last 3 months of the data, US and DE"
for c in US DE; do
  api GET "/v1/warehouse/gold/monthly-active-members?country=$c" | python3 -c '
import json, sys
for m in json.load(sys.stdin)["items"][-3:]:
    print("    %(country_code)s %(month)s %(active_members)6d" % m)'
done
echo "==> data quality"
api GET /v1/warehouse/quality | python3 -c '
import json, sys
for c in json.load(sys.stdin)["checks"]:
    print("    %-32s %6d  e.g. %s" % (c["name"], c["violations"], ", ".join(c["sample_keys"][:3])))'
