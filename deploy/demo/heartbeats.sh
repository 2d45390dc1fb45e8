#!/usr/bin/env bash
# Demo: loads the public device-monitoring sample (gunbinn/memfault via Footfall's shared data; a copy lives in
# analytics-service/src/test/resources/heartbeats) through the heartbeat staging API, runs curation, and asks the
# question the firmware team asks: battery drain percentiles per software version over the last week of the sample.
# Called by `./footfall demo heartbeats`; needs a running stack (./footfall up) and python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
URL="${FOOTFALL_URL:-http://127.0.0.1:8080}"
DATA="${FOOTFALL_HEARTBEAT_DATA:-$ROOT/analytics-service/src/test/resources/heartbeats}"
CHUNK=1000   # events per request: about 450 KB, under the 1 MB body limit

command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }
TOKEN="$("$ROOT/footfall" token --role admin)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# TSV (header, JSON column quoted as PostgreSQL's CSV export writes it) -> NDJSON files of at most CHUNK lines.
python3 - "$DATA" "$WORK" "$CHUNK" <<'PY'
import csv, json, os, sys
data, out, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
ints = {"id", "project_id", "cohort_id", "software_version_id", "device_id"}

def rows(name):
    with open(os.path.join(data, name), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            item = {}
            for key, value in row.items():
                if key in ints:
                    item[key] = int(value) if value else None
                elif key == "event_info":
                    item[key] = json.loads(value)
                else:
                    item[key] = value
            yield item

for table in ("cohorts", "devices", "software_versions", "events"):
    items = list(rows(table + ".csv"))
    for n, start in enumerate(range(0, len(items), chunk)):
        with open(os.path.join(out, "%s.%03d.ndjson" % (table, n)), "w", encoding="utf-8") as f:
            f.writelines(json.dumps(i) + "\n" for i in items[start:start + chunk])
PY

post() {  # post FILE PATH: prints the answer; fails on an error answer
  local answer status
  answer="$(curl -sS -w '\n%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/x-ndjson' --data-binary "@$1" "$URL$2")"
  status="${answer##*$'\n'}"
  answer="${answer%$'\n'*}"
  if [[ "$status" != 2* ]]; then
    echo "POST $2 answered $status: $answer" >&2
    exit 1
  fi
  echo "$answer"
}

echo "==> staging the sample at $URL (events first: devices and versions may arrive later)"
for table in events cohorts devices software_versions; do
  received=0 upserted=0
  for file in "$WORK/$table".*.ndjson; do
    answer="$(post "$file" "/v1/heartbeats/$table")"
    received=$((received + $(python3 -c 'import json,sys; print(json.load(sys.stdin)["received"])' <<<"$answer")))
    upserted=$((upserted + $(python3 -c 'import json,sys; print(json.load(sys.stdin)["upserted"])' <<<"$answer")))
  done
  printf '    %-18s %5d received, %5d new or changed\n' "$table" "$received" "$upserted"
done

echo "==> curating"
curl -sS -f -X POST -H "Authorization: Bearer $TOKEN" "$URL/v1/heartbeats/curation" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("    run %(id)s %(status)s: %(candidates)s heartbeats looked at, %(rows_loaded)s loaded, %(days_total)s days "
      "aggregated, %(partitions_created)s partitions created" % r)'

echo "==> metrics of project 367"
curl -sS -f -H "Authorization: Bearer $TOKEN" "$URL/v1/projects/367/metrics" | python3 -c '
import json, sys
for m in json.load(sys.stdin)["metrics"]:
    print("    %-30s %5d values  %s .. %s" % (m["name"], m["values"], m["first_day"], m["last_day"]))'

QUERY="/v1/projects/367/metrics/battery_perc_delta/percentiles?p=50,90,99&from=2021-06-07&to=2021-06-14&group_by=software_version&cohort=production"
echo "==> p50/p90/p99 battery drain (battery_perc_delta) per software version, cohort Production, 2021-06-07 .. 06-13"
echo "    GET $QUERY"
curl -sS -f -H "Authorization: Bearer $TOKEN" "$URL$QUERY" | python3 -c '
import json, sys
r = json.load(sys.stdin)
for g in r["groups"]:
    p = g["percentiles"]
    print("    %-22s n=%5d skipped=%d  p50=%s p90=%s p99=%s" % (g["key"], g["n"], g["skipped"], p["p50"], p["p90"], p["p99"]))'
