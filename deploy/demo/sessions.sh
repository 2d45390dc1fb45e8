#!/usr/bin/env bash
# Demo: downloads a generated CSV export of the scooter app (`--rows N`, default 200,000; `--seed S`), uploads it
# (streamed, de-duplicated, bad rows reported by line), uploads it again to show that nothing is added, then prints
# the funnel summary per city and one user's sessions. Called by `./footfall demo sessions [--rows N] [--seed S]`;
# needs a running stack (./footfall up) and python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
URL="${FOOTFALL_URL:-http://127.0.0.1:8080}"
ROWS=200000
SEED=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) ROWS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    *) echo "usage: ./footfall demo sessions [--rows N] [--seed S]" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
TOKEN="$("$ROOT/footfall" token --role admin)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "==> sample export: $ROWS rows, seed $SEED"
curl -sS -f -H "Authorization: Bearer $TOKEN" "$URL/v1/sessions/sample.csv?rows=$ROWS&seed=$SEED" -o "$WORK/events.csv"
head -3 "$WORK/events.csv" | sed 's/^/    /'

for attempt in first again; do
  echo "==> upload ($attempt)"
  curl -sS -f -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' --data-binary "@$WORK/events.csv" \
    "$URL/v1/sessions/events" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("    %(rows)d rows: %(inserted)d new, %(duplicates)d duplicates, %(rejected)d rejected; "
      "%(users_rebuilt)d users re-sessionized into %(sessions_written)d sessions" % r)
for e in r["errors"][:3]:
    print("    line %(line)d: %(message)s" % e)
print("    " + r["note"])'
done

echo "==> funnel per city, March 2024"
curl -sS -f -H "Authorization: Bearer $TOKEN" \
  "$URL/v1/sessions/summary?from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z&group_by=city" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["groups"]:
    print("    %-8s sessions %6d  intent %.2f  booked %.2f  conversion %.2f  median %4.0f s" % (
        g["key"], g["sessions"], g["intent_share"], g["booked_share"], g["conversion"], g["median_session_seconds"]))'

USER_ID=$(sed -n 2p "$WORK/events.csv" | cut -d';' -f1)
echo "==> sessions of $USER_ID"
curl -sS -f -G -H "Authorization: Bearer $TOKEN" --data-urlencode "anonymous_id=$USER_ID" --data-urlencode limit=3 \
  "$URL/v1/sessions" | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sessions"]:
    print("    %(started_at)s  %(event_count)2d events  intent=%(has_intent)s booked=%(booked)s" % s)
    for e in s["events"]:
        print("        %(created_at)s %(event_name)s" % e)'
