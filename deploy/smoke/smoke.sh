#!/usr/bin/env bash
# End-to-end smoke test: starts a second, throwaway Footfall stack (free ports, its own run
# directory and database) beside any stack the user runs, checks it through the gateway and
# in headless Chromium, then stops it and drops its database. Called by `./footfall test`.
#
# Usage: deploy/smoke/smoke.sh [--no-build]   (--no-build: run the jars as they are)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

UP_ARGS=(-d)
case "${1:-}" in
  "") ;;
  --no-build) UP_ARGS+=(--no-build) ;;
  *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
esac

OUT="$ROOT/target/smoke"
export FOOTFALL_RUN_DIR="$OUT/run"
export FOOTFALL_DB_NAME="footfall_smoke_$$"
export FOOTFALL_DB_HOST="${FOOTFALL_DB_HOST:-127.0.0.1}"
export FOOTFALL_DB_PORT="${FOOTFALL_DB_PORT:-5432}"
export FOOTFALL_DB_USER="${FOOTFALL_DB_USER:-postgres}"

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); printf '  ok    %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf '  FAIL  %s\n' "$1"; [[ -z "${2:-}" ]] || printf '        %s\n' "${2:0:400}"; }
check() { local name="$1"; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

# ---- Free ports: five distinct ones no socket uses, below the kernel's ephemeral range ----
# Outgoing connections (the services' own pools to PostgreSQL and Redis, opened while the others are still
# starting) take their local ports from the ephemeral range; a port picked there could be taken between the
# check and the bind (CI once failed so on 42390). Below the range only a listener can hold a port.

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  command -v ss >/dev/null && [[ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]]
}
pick_ports() {
  local -a picked=()
  local port low=32768 span
  [[ -r /proc/sys/net/ipv4/ip_local_port_range ]] && read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  ((low > 12000)) || low=32768 # a range starting very low leaves no room below it; fall back to the default's
  span=$((low - 10000))
  while ((${#picked[@]} < 5)); do
    port=$((10000 + (RANDOM * 32768 + RANDOM) % span))
    [[ " ${picked[*]} " == *" $port "* ]] && continue
    port_in_use "$port" || picked+=("$port")
  done
  echo "${picked[@]}"
}
read -r GATEWAY_PORT INGEST_PORT COUNT_PORT HOLIDAY_PORT ANALYTICS_PORT < <(pick_ports)
export FOOTFALL_GATEWAY_PORT="$GATEWAY_PORT" FOOTFALL_INGEST_PORT="$INGEST_PORT" FOOTFALL_COUNT_PORT="$COUNT_PORT" \
  FOOTFALL_HOLIDAY_PORT="$HOLIDAY_PORT" FOOTFALL_ANALYTICS_PORT="$ANALYTICS_PORT"
G="http://127.0.0.1:$GATEWAY_PORT"

psql_admin() { psql -X -q -w -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER" -d postgres "$@"; }

CHROME_PROFILE=""
cleanup() {
  local code=$?
  echo "==> smoke: stopping the smoke stack and dropping $FOOTFALL_DB_NAME"
  "$ROOT/footfall" down >/dev/null 2>&1 || echo "  (footfall down failed; see $FOOTFALL_RUN_DIR)"
  psql_admin -c "drop database if exists \"$FOOTFALL_DB_NAME\" with (force)" >/dev/null 2>&1 ||
    echo "  (could not drop database $FOOTFALL_DB_NAME)"
  [[ -z "$CHROME_PROFILE" ]] || rm -rf "$CHROME_PROFILE"
  # An interrupted or crashed run counts as a failure even if no check failed yet.
  if ((code != 0 && FAILED == 0)); then FAILED=1; fi
  echo "$PASSED passed, $FAILED failed"
  ((FAILED == 0)) || exit 1
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
"$ROOT/footfall" down >/dev/null 2>&1 || true   # a stack left by an aborted earlier run
rm -rf "$FOOTFALL_RUN_DIR"

echo "==> smoke: starting a stack on gateway port $GATEWAY_PORT, services $INGEST_PORT $COUNT_PORT $HOLIDAY_PORT $ANALYTICS_PORT, database $FOOTFALL_DB_NAME"
if "$ROOT/footfall" up "${UP_ARGS[@]}"; then
  pass "footfall up -d starts the four services and the gateway"
else
  fail "footfall up -d starts the four services and the gateway"
  exit 1
fi

# ---- HTTP checks through the gateway ----

# http METHOD URL [curl args...]: sets STATUS, CTYPE, BODY.
http() {
  local method="$1" url="$2"; shift 2
  local headers body_file
  headers="$(mktemp)"; body_file="$(mktemp)"
  STATUS="$(curl -s -m 30 -X "$method" -D "$headers" -o "$body_file" -w '%{http_code}' "$@" "$url" || true)"
  CTYPE="$(awk -F': *' 'tolower($1) == "content-type" {sub(/\r$/, "", $2); print $2}' "$headers" | tail -1)"
  BODY="$(cat "$body_file")"
  rm -f "$headers" "$body_file"
}

is_problem() {  # $1 = expected status
  [[ "$STATUS" == "$1" && "$CTYPE" == application/problem+json* ]] &&
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d.get("status")==int(sys.argv[2]) and d.get("title") else 1)' \
      "$BODY" "$1" 2>/dev/null
}

expect_problem() {  # name status
  if is_problem "$2"; then pass "$1"; else fail "$1" "got $STATUS ($CTYPE): $BODY"; fi
}

echo "==> smoke: health and OpenAPI through the gateway"
for svc in ingest count holiday analytics; do
  http GET "$G/$svc/q/health/ready"
  if [[ "$STATUS" == 200 && "$BODY" == *'"status"'*'"UP"'* ]]; then
    pass "$svc: /$svc/q/health/ready is 200 UP"
  else
    fail "$svc: /$svc/q/health/ready is 200 UP" "got $STATUS: $BODY"
  fi
  http GET "$G/$svc/q/openapi?format=json"
  if [[ "$STATUS" == 200 ]] &&
     python3 -c 'import json,sys; sys.exit(0 if "openapi" in json.loads(sys.argv[1]) else 1)' "$BODY" 2>/dev/null; then
    pass "$svc: /$svc/q/openapi?format=json is an OpenAPI JSON document"
  else
    fail "$svc: /$svc/q/openapi?format=json is an OpenAPI JSON document" "got $STATUS: ${BODY:0:200}"
  fi
done

echo "==> smoke: errors are problem+json"
ADMIN="$("$ROOT/footfall" token --role admin)"
malformed() {  # name method path
  http "$2" "$G$3" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' --data-binary '{bad'
  expect_problem "$1: malformed JSON to $2 $3 is a 400 problem" 400
}
malformed ingest POST /v1/events
malformed count PUT /v1/spaces/smoke
malformed holiday POST /v1/locations
malformed analytics POST /v1/heartbeats/cohorts

http GET "$G/v1/nope" -H "Authorization: Bearer $ADMIN"
expect_problem "gateway: unknown path /v1/nope is a 404 problem" 404

BIG="$OUT/body-2mb.json"
head -c 2097152 /dev/zero | tr '\0' ' ' >"$BIG"
http PUT "$G/v1/spaces/smoke" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' --data-binary "@$BIG"
expect_problem "gateway: a 2 MB body to /v1/spaces/smoke is a 413 problem" 413
rm -f "$BIG"

http GET "$G/" -H 'X-Request-Id: smoke-request-1'
if [[ "$STATUS" == 200 ]] &&
   [[ "$(curl -s -o /dev/null -D - -H 'X-Request-Id: smoke-request-1' "$G/count/q/health/live" | tr -d '\r' |
         awk -F': *' 'tolower($1) == "x-request-id" {print $2}')" == smoke-request-1 ]]; then
  pass "gateway: serves / and echoes the client's X-Request-Id"
else
  fail "gateway: serves / and echoes the client's X-Request-Id" "GET / was $STATUS"
fi

# ---- The counting demo (README's ./footfall demo counting) through the gateway, so it cannot rot ----
# The sample holds 563 events of which 33 are exact duplicates (data/README.md); the service's counts are checked
# against the reference model by the count-service tests, here only that the demo prints both spaces' counts.
DEMO_OUT="$OUT/demo-counting.txt"
if FOOTFALL_URL="$G" timeout 300 "$ROOT/footfall" demo counting >"$DEMO_OUT" 2>&1 &&
   grep -q '"accepted":530,"duplicates":33,"unattributed":0' "$DEMO_OUT" &&
   grep -Eq 'space-a: \{"space_id":"space-a","count":[0-9]+' "$DEMO_OUT" &&
   grep -Eq 'space-b: \{"space_id":"space-b","count":[0-9]+' "$DEMO_OUT"; then
  pass "demo counting: 530 accepted, 33 duplicates, counts of Space A and Space B printed"
else
  fail "demo counting: 530 accepted, 33 duplicates, counts of Space A and Space B printed" "$(tail -c 400 "$DEMO_OUT")"
fi

# ---- The Swagger UI in headless Chromium ----

echo "==> smoke: Swagger UI in headless Chromium"
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$CHROMIUM" ]]; then
  echo "  installing chromium with apt"
  if [[ $EUID -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -qq >/dev/null
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  CHROMIUM="$(command -v chromium)"
fi
CHROME_PROFILE="$(mktemp -d)"
chromium_run() {
  # A fresh profile each run, and no background traffic: this machine's network is closed.
  rm -rf "$CHROME_PROFILE" && mkdir -p "$CHROME_PROFILE"
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$CHROME_PROFILE" --virtual-time-budget=15000 "$@" 2>>"$OUT/chromium.log"
}

DOM="$(chromium_run --dump-dom "$G/" || true)"
printf '%s\n' "$DOM" >"$OUT/gateway-dom.html"
# The top bar's definition selector lists the four documents, in order.
SELECT="$(grep -o '<select id="select">.*</select>' <<<"$DOM" | head -1 || true)"
expected_options='<option value="/ingest/q/openapi?format=json">ingest-service</option><option value="/count/q/openapi?format=json">count-service</option><option value="/holiday/q/openapi?format=json">holiday-service</option><option value="/analytics/q/openapi?format=json">analytics-service</option>'
if [[ "$SELECT" == *"$expected_options"* ]]; then
  pass "Swagger UI: the definition selector lists ingest, count, holiday and analytics"
else
  fail "Swagger UI: the definition selector lists ingest, count, holiday and analytics" "selector: ${SELECT:-none}"
fi

# Each document, selected in the page, renders its operations (a path of that service's routes).
declare -A SAMPLE_PATH=([ingest]=/v1/events [count]=/v1/spaces [holiday]=/v1/locations [analytics]=/v1/heartbeats)
for svc in ingest count holiday analytics; do
  DOM="$(chromium_run --dump-dom "$G/?urls.primaryName=$svc-service" || true)"
  printf '%s\n' "$DOM" >"$OUT/gateway-dom-$svc.html"
  if grep -q "data-path=\"${SAMPLE_PATH[$svc]}" <<<"$DOM" && ! grep -q 'Failed to load API definition' <<<"$DOM"; then
    pass "Swagger UI: $svc-service renders its operations (${SAMPLE_PATH[$svc]}...)"
  else
    fail "Swagger UI: $svc-service renders its operations (${SAMPLE_PATH[$svc]}...)" "see $OUT/gateway-dom-$svc.html"
  fi
done

rm -f "$OUT/gateway.png"
chromium_run --screenshot="$OUT/gateway.png" --window-size=1280,900 "$G/" >/dev/null || true
check "Swagger UI: screenshot saved to target/smoke/gateway.png" test -s "$OUT/gateway.png"

# cleanup (the EXIT trap) stops the stack and prints the closing "N passed, M failed" line.
((FAILED == 0))
