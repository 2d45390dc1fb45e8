#!/usr/bin/env bash
# End-to-end smoke test: starts a second, throwaway Footfall stack (free ports, its own run
# directory and database) beside any stack the user runs, checks it through the gateway and
# in headless Chromium, then stops it and drops its database. Called by `./footfall test`.
# PostgreSQL and Redis are those ./footfall resolves (FOOTFALL_DB_*, FOOTFALL_REDIS_*, or the
# private servers under .footfall/, which this keeps up until it is done).
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
# The admin connection and Redis as ./footfall resolves them; private servers stay up while this runs.
DB_ENV="$("$ROOT/footfall" db env --hold $$)" || { echo "smoke: no PostgreSQL/Redis (see above)" >&2; exit 1; }
eval "$DB_ENV"
# Gateway rate limit per client: above what any check before the rate-limit one sends (at most ~10 requests at
# once, ~30/s, from one address), below the 200 requests at once that check sends from one token subject.
RATE=20 BURST=60
export FOOTFALL_GATEWAY_RATE=$RATE FOOTFALL_GATEWAY_BURST=$BURST

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

psql_admin() {
  PGPASSWORD="$FOOTFALL_DB_PASSWORD" psql -X -q -w -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER" \
    -d "${PSQL_DB:-postgres}" "$@"
}

CHROME_PROFILE=""
cleanup() {
  local code=$?
  echo "==> smoke: stopping the smoke stack and dropping $FOOTFALL_DB_NAME"
  "$ROOT/footfall" down >/dev/null 2>&1 || echo "  (footfall down failed; see $FOOTFALL_RUN_DIR)"
  psql_admin -c "drop database if exists \"$FOOTFALL_DB_NAME\" with (force)" >/dev/null 2>&1 ||
    echo "  (could not drop database $FOOTFALL_DB_NAME)"
  "$ROOT/footfall" db release $$ || true
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

# ---- The database: each service's role owns its schema, and only the four roles may connect ----

echo "==> smoke: database roles"
ROLES="'$FOOTFALL_INGEST_DB_USER', '$FOOTFALL_COUNT_DB_USER', '$FOOTFALL_HOLIDAY_DB_USER', '$FOOTFALL_ANALYTICS_DB_USER'"
db_check() {  # name query (in the smoke database, as the admin): passes when the query answers t
  local got
  got="$(PSQL_DB="$FOOTFALL_DB_NAME" psql_admin -tAc "$2" 2>&1 || true)"
  if [[ "$got" == t ]]; then pass "$1"; else fail "$1" "got: $got"; fi
}
db_check "database: each service's schema is owned by its role" \
  "select count(*) = 4 from pg_namespace, (values ($ROLES)) v(i, c, h, a)
   where (nspname, pg_get_userbyid(nspowner)) in (('ingest', i), ('count', c), ('holiday', h), ('analytics', a))"
db_check "database: PUBLIC may not connect, the four roles may" \
  "select not has_database_privilege('public', current_database(), 'CONNECT')
          and bool_and(has_database_privilege(r, current_database(), 'CONNECT')) from unnest(array[$ROLES]) r"
for svc in ingest count holiday analytics; do
  user_var="FOOTFALL_${svc^^}_DB_USER"
  got="$("$ROOT/footfall" db psql "$svc" -tAc 'select current_user' 2>&1 || true)"
  if [[ "$got" == "${!user_var}" ]]; then
    pass "database: $svc-service's role logs in with its password over TCP"
  else
    fail "database: $svc-service's role logs in with its password over TCP" "$got"
  fi
done

# ---- HTTP checks through the gateway ----

# http METHOD URL [curl args...]: sets STATUS, HEADERS (one "name: value" a line), CTYPE, BODY.
http() {
  local method="$1" url="$2"; shift 2
  local headers body_file
  headers="$(mktemp)"; body_file="$(mktemp)"
  STATUS="$(curl -s -m 30 -X "$method" -D "$headers" -o "$body_file" -w '%{http_code}' "$@" "$url" || true)"
  HEADERS="$(tr -d '\r' <"$headers")"
  CTYPE="$(header content-type)"
  BODY="$(cat "$body_file")"
  rm -f "$headers" "$body_file"
}

# raw [--split] PRINTF-FORMAT [ARGS...]: sends those bytes to the gateway as they are (no client tidies them up),
# ends its side of the connection and reads the answer; sets STATUS, HEADERS, CTYPE, BODY as http does. --split sends
# the request line first and the rest 0.3 s later, as a client writing line by line does.
raw() {
  local split=false request response
  [[ "$1" == --split ]] && { split=true; shift; }
  request="$(mktemp)"; response="$(mktemp)"
  # shellcheck disable=SC2059 # the format is the request
  printf "$@" >"$request"
  python3 - "$GATEWAY_PORT" "$request" "$response" "$split" <<'PY' 2>/dev/null || true
import socket, sys, time
data = open(sys.argv[2], "rb").read()
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as s, open(sys.argv[3], "wb") as out:
    if sys.argv[4] == "true":
        line_end = data.index(b"\r\n") + 2
        s.sendall(data[:line_end])
        time.sleep(0.3)
        data = data[line_end:]
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the gateway may answer and stop reading before the request ends
    while chunk := s.recv(65536):
        out.write(chunk)
PY
  STATUS="$(head -n 1 "$response" | awk '{print $2}')"
  HEADERS="$(sed -n '2,/^\r\?$/p' "$response" | tr -d '\r')"
  CTYPE="$(header content-type)"
  BODY="$(sed '1,/^\r\?$/d' "$response")"
  rm -f "$request" "$response"
}

# header NAME: the value of that response header (the last one), from HEADERS.
header() { awk -F': *' -v name="$1" 'tolower($1) == name {v = substr($0, length($1) + 1); sub(/^: */, "", v)} END {print v}' <<<"$HEADERS"; }

is_problem() {  # $1 = expected status
  [[ "$STATUS" == "$1" && "$CTYPE" == application/problem+json* ]] &&
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d.get("status")==int(sys.argv[2]) and d.get("title") else 1)' \
      "$BODY" "$1" 2>/dev/null
}

expect_problem() {  # name status
  if is_problem "$2"; then pass "$1"; else fail "$1" "got $STATUS ($CTYPE): $BODY"; fi
}

expect_gateway_problem() {  # name status: a problem the gateway made, with its request id and nosniff
  if is_problem "$2" && [[ -n "$(header x-request-id)" && "$(header x-content-type-options)" == nosniff ]]; then
    pass "$1"
  else
    fail "$1" "got $STATUS ($CTYPE, x-request-id '$(header x-request-id)'): ${BODY:0:200}"
  fi
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

echo "==> smoke: of each service's /q, only health and OpenAPI are public"
for path in /count/q/health /count/q/health/live; do
  http GET "$G$path"
  if [[ "$STATUS" == 200 ]]; then pass "gateway: $path is 200"; else fail "gateway: $path is 200" "got $STATUS: $BODY"; fi
done
for path in /ingest/q/metrics /count/q/metrics /holiday/q/metrics /analytics/q/metrics /count/q/dev /count/q/dev-ui \
            /count/q/swagger-ui /count/q/health/started /count/q /count/q/health/../metrics /count/q/openapi/../metrics; do
  http GET "$G$path" --path-as-is
  expect_gateway_problem "gateway: $path is a 404 problem" 404
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
expect_gateway_problem "gateway: unknown path /v1/nope is a 404 problem" 404
http POST "$G/" --data-binary '{}'
expect_gateway_problem "gateway: POST / is a 405 problem" 405

# Hostile requests, sent raw: some fail before nginx has a URI or a location for them.
raw 'GET /v1/spaces/a\0b HTTP/1.1\r\nHost: smoke\r\nConnection: close\r\n\r\n'
expect_gateway_problem "gateway: a NUL byte in the path is a 400 problem" 400
raw 'GET /v1/spaces/a%%00b HTTP/1.1\r\nHost: smoke\r\nConnection: close\r\n\r\n'
expect_gateway_problem "gateway: %00 in the path is a 400 problem (never reaches a service)" 400
raw --split 'GET /v1/spaces/a%%00b HTTP/1.1\r\nHost: smoke\r\nConnection: close\r\n\r\n'
expect_gateway_problem "gateway: the same, its headers sent after the 400: the client still gets the problem" 400
raw 'GET /v1/spaces/a\001\033b HTTP/1.1\r\nHost: smoke\r\nConnection: close\r\n\r\n'
expect_gateway_problem "gateway: control bytes in the path are a 400 problem" 400
raw 'GET /\377\376\300\257 HTTP/1.1\r\nHost: smoke\r\nConnection: close\r\n\r\n'
expect_gateway_problem "gateway: invalid UTF-8 in an unrouted path is a 404 problem" 404
raw 'POST /v1/events HTTP/1.1\r\nHost: smoke\r\nX-Fuzz: a\001b\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}'
expect_gateway_problem "gateway: a control character in a header value is a 400 problem" 400
raw 'NOT A REQUEST\r\n\r\n'
expect_gateway_problem "gateway: a malformed request line is a 400 problem" 400
raw 'GET / HTTP/7.0\r\nHost: smoke\r\nConnection: close\r\n\r\n'
expect_gateway_problem "gateway: an unknown HTTP version is a 505 problem" 505
raw 'GET /v1/spaces/%s HTTP/1.1\r\nHost: smoke\r\nConnection: close\r\n\r\n' "$(head -c 10240 /dev/zero | tr '\0' a)"
expect_gateway_problem "gateway: a 10 KB URI is a 414 problem" 414
raw 'GET / HTTP/1.1\r\nHost: smoke\r\nX-Big: %s\r\nConnection: close\r\n\r\n' "$(head -c 65536 /dev/zero | tr '\0' a)"
expect_gateway_problem "gateway: a 64 KB header is a 431 problem" 431
raw 'GET / HTTP/1.1\r\nHost: smoke%s\r\nConnection: close\r\n\r\n' "$(for i in $(seq 1000); do printf '\r\nX-Smoke-%04d: %032d' "$i" 0; done)"
expect_gateway_problem "gateway: 1,000 headers (48 KB) are a 431 problem" 431
raw 'POST /v1/spaces/smoke HTTP/1.1\r\nHost: smoke\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n0\r\n\r\n'
expect_gateway_problem "gateway: Content-Length with Transfer-Encoding (request smuggling) is a 400 problem" 400

BIG="$OUT/body-2mb.json"
head -c 2097152 /dev/zero | tr '\0' ' ' >"$BIG"
http PUT "$G/v1/spaces/smoke" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' --data-binary "@$BIG"
expect_gateway_problem "gateway: a 2 MB body to /v1/spaces/smoke is a 413 problem" 413
rm -f "$BIG"

http GET "$G/" -H 'X-Request-Id: smoke-request-1'
if [[ "$STATUS" == 200 ]] &&
   [[ "$(curl -s -o /dev/null -D - -H 'X-Request-Id: smoke-request-1' "$G/count/q/health/live" | tr -d '\r' |
         awk -F': *' 'tolower($1) == "x-request-id" {print $2}')" == smoke-request-1 ]]; then
  pass "gateway: serves / and echoes the client's X-Request-Id"
else
  fail "gateway: serves / and echoes the client's X-Request-Id" "GET / was $STATUS"
fi

echo "==> smoke: security headers"
http GET "$G/"
csp="$(header content-security-policy)"
if [[ "$(header x-content-type-options)" == nosniff && "$(header referrer-policy)" == no-referrer &&
      "$(header x-frame-options)" == DENY && "$csp" == *"frame-ancestors 'none'"* && "$csp" == *"script-src 'self';"* &&
      "$csp" != *unsafe-eval* && "$(header cross-origin-opener-policy)" == same-origin &&
      "$(header permissions-policy)" == *"camera=()"* ]]; then
  pass "gateway: / has a CSP (scripts of its own origin only), nosniff, no-referrer, DENY framing, COOP, Permissions-Policy"
else
  fail "gateway: / has a CSP (scripts of its own origin only), nosniff, no-referrer, DENY framing, COOP, Permissions-Policy" \
    "$HEADERS"
fi
http GET "$G/v1/spaces" -H "Authorization: Bearer $ADMIN"
if [[ "$STATUS" == 200 && "$(header x-content-type-options)" == nosniff &&
      "$(header content-security-policy)" == "default-src 'none'"* ]]; then
  pass "gateway: API responses carry nosniff and a CSP that allows nothing"
else
  fail "gateway: API responses carry nosniff and a CSP that allows nothing" "$STATUS $HEADERS"
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
  # --enable-logging: the page's console (Content-Security-Policy violations included) goes to chromium.log.
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --enable-logging=stderr --v=0 \
    --user-data-dir="$CHROME_PROFILE" --virtual-time-budget=15000 "$@" 2>>"$OUT/chromium.log"
}

: >"$OUT/chromium.log"
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
violations="$(grep -c 'Content Security Policy' "$OUT/chromium.log" || true)"
if ((violations == 0)); then
  pass "Swagger UI: no Content-Security-Policy violations in the page loads above"
else
  fail "Swagger UI: no Content-Security-Policy violations in the page loads above" \
    "$(grep -m 1 'Content Security Policy' "$OUT/chromium.log")"
fi

# ---- Rate limits, then a service down: last, as they spoil the stack for other checks ----

echo "==> smoke: rate limit per token subject ($RATE/s, burst $BURST)"
# Unsigned tokens with chosen subjects: the gateway reads the subject without verifying it, and /v1/nope never
# reaches a service.
token_of() {  # SUBJECT: an unsigned token with that subject (a new one each call)
  local payload
  payload="$(printf '{"sub":"%s","n":%d}' "$1" "$RANDOM" | base64 -w0 | tr '+/' '-_' | tr -d '=')"
  echo "eyJhbGciOiJSUzI1NiJ9.$payload.c2ln"
}
SUBJECT_A="smoke-a-$$" SUBJECT_B="smoke-b-$$"
BURST_DIR="$OUT/rate-limit"
rm -rf "$BURST_DIR" && mkdir -p "$BURST_DIR"
# burst NAME COUNT TOKEN: COUNT requests at once; each answer's body in $BURST_DIR/NAME-i, its status etc. on stdout.
burst() {
  local i urls=()
  local format='%{http_code} %{content_type} retry-after=%header{retry-after} id=%header{x-request-id}'
  for ((i = 1; i <= $2; i++)); do urls+=(-o "$BURST_DIR/$1-$i" "$G/v1/nope?n=$i"); done
  curl -s -m 60 --parallel --parallel-max 50 -H "Authorization: Bearer $3" -w "$format %{filename_effective}\n" \
    "${urls[@]}" 2>/dev/null || true
}
# The second burst, another token of the same subject, follows at once: the first one's excess drains at $RATE/s.
FIRST="$(burst a 200 "$(token_of "$SUBJECT_A")")"
SECOND="$(burst a2 20 "$(token_of "$SUBJECT_A")")"
limited="$(grep -c '^429 ' <<<"$FIRST" || true)" served="$(grep -c '^404 ' <<<"$FIRST" || true)"
if ((limited > 0 && served > BURST && limited + served == 200)); then
  pass "rate limit: 200 requests at once from one subject: $served served (burst $BURST), $limited refused with 429"
else
  fail "rate limit: 200 requests at once from one subject: more than $BURST served, the rest 429" \
    "served $served, refused $limited, other: $(grep -Ev '^(404|429) ' <<<"$FIRST" | cut -d' ' -f1 | sort | uniq -c)"
fi
read -r STATUS CTYPE retry_after request_id file < <(grep -m 1 '^429 ' <<<"$FIRST" || echo "none")
BODY="$(cat "${file:-/nonexistent}" 2>/dev/null || true)"
if is_problem 429 && [[ "$retry_after" == retry-after=1 && "$request_id" == id=?* ]]; then
  pass "rate limit: a refused request is a 429 problem with Retry-After: 1 and its request id"
else
  fail "rate limit: a refused request is a 429 problem with Retry-After: 1 and its request id" \
    "got $STATUS ($CTYPE, $retry_after, $request_id): $BODY"
fi
if grep -q '^429 ' <<<"$SECOND"; then
  pass "rate limit: another token of the same subject shares its limit ($(grep -c '^429 ' <<<"$SECOND") of 20 refused)"
else
  fail "rate limit: another token of the same subject shares its limit" "none of 20 refused"
fi
http GET "$G/v1/nope" -H "Authorization: Bearer $(token_of "$SUBJECT_B")"
expect_gateway_problem "rate limit: another subject from the same address is not limited (404, not 429)" 404
http GET "$G/v1/nope"
expect_gateway_problem "rate limit: a request without a token (keyed by address) is not limited (404, not 429)" 404

echo "==> smoke: a service that is down"
HOLIDAY_PID="$(cat "$FOOTFALL_RUN_DIR/holiday.pid" 2>/dev/null || true)"
if [[ "$HOLIDAY_PID" =~ ^[0-9]+$ ]] && kill "$HOLIDAY_PID" 2>/dev/null; then
  for _ in $(seq 100); do kill -0 "$HOLIDAY_PID" 2>/dev/null || break; sleep 0.2; done
fi
http GET "$G/v1/locations" -H "Authorization: Bearer $ADMIN"
if is_problem 503 && [[ "$(header retry-after)" == 5 && "$BODY" == *holiday-service* ]]; then
  pass "gateway: holiday-service stopped: /v1/locations is a 503 problem naming it, with Retry-After: 5"
else
  fail "gateway: holiday-service stopped: /v1/locations is a 503 problem naming it, with Retry-After: 5" \
    "got $STATUS ($CTYPE, Retry-After '$(header retry-after)'): $BODY"
fi

# cleanup (the EXIT trap) stops the stack and prints the closing "N passed, M failed" line.
((FAILED == 0))
