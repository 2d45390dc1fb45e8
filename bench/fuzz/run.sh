#!/usr/bin/env bash
# bench-harness: records (sources bench/lib/common.sh in harness mode, honours BENCH_SMOKE)
# Hostile input at length: the four services' fuzz tests (OpenApiFuzzTestBase) with a fresh seed and
# BENCH_FUZZ_REQUESTS requests per service (default 5,000), then the same generator through the bench stack's gateway
# (BENCH_FUZZ_GATEWAY_REQUESTS per service, default 1,000), which adds header values with control characters (only
# the gateway can answer those with a problem). Target (issue 19): no 5xx and no error without a problem+json body
# over at least 10,000 requests. BENCH_FUZZ_SEED replays a run.
#
# Smoke mode skips the fuzz tests (./footfall test has just run them, with their fixed seeds) and sends 20 requests
# per service through the gateway, which checks the harness, not the services.
set -euo pipefail
source "$BENCH_DIR/lib/common.sh"

SEED="${BENCH_FUZZ_SEED:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}"
REQUESTS="${BENCH_FUZZ_REQUESTS:-5000}"
GATEWAY_REQUESTS="$(pick 20 "${BENCH_FUZZ_GATEWAY_REQUESTS:-1000}")"
MVN=("$BENCH_ROOT/mvnw" -B -q)
[[ -n "${BENCH_MAVEN_OFFLINE:-}" ]] && MVN+=(-o)
OUT="$BENCH_WORK/fuzz"
mkdir -p "$OUT"
bench_log "seed $SEED"
# A token that will have expired, beyond the services' 60 s of clock skew, by the time the gateway part runs.
EXPIRED_TOKEN="$("$BENCH_ROOT/footfall" token --role admin --ttl 1)"
MINTED=$SECONDS

# record_report FILE CASE TOOL: one record from a FuzzReport JSON (target/fuzz/<service>.json or gateway-<service>.json).
record_report() {
  python3 - "$1" "$2" "$3" "$BENCH_RECORDS" "$BENCH_DIR/lib/report.py" <<'PY'
import json, subprocess, sys
path, case, tool, records, report = sys.argv[1:]
d = json.load(open(path))
broken = d["status_5xx"] + d["not_problem"] + d["no_answer"] + d["accepted_hostile"] + d["stored_by_rejected"]
note = ("%d requests in %.1f s, seed %d; statuses %s; 5xx %d, errors without a problem %d, no answer %d, hostile "
        "requests accepted %d, changes stored by rejected requests %d%s") % (
    d["requests"], d["seconds"], d["seed"], json.dumps(d["statuses"], separators=(",", ":")), d["status_5xx"],
    d["not_problem"], d["no_answer"], d["accepted_hostile"], d["stored_by_rejected"],
    "; open findings left to their owners %d" % d["open_findings"] if d.get("open_findings") else "")
if d.get("findings"):
    note += "; first: %s %s [%s] -> %s" % (d["findings"][0]["rule"], d["findings"][0]["operation"],
                                          d["findings"][0]["kind"], d["findings"][0]["status"])
subprocess.run([sys.executable, report, "record", records, "case=" + case, "tool=" + tool,
                "throughput=%s" % round(d["requests"] / max(d["seconds"], 0.001), 1), "unit=requests/s",
                "errors=%d" % broken, "requests=%d" % d["requests"], "status_5xx=%d" % d["status_5xx"],
                "not_problem=%d" % d["not_problem"], "seed=%d" % d["seed"], "note=" + note], check=True)
PY
}

total=0
failed=false
if smoke; then
  record case="fuzz tests" status="skipped" \
    note="smoke: ./footfall test runs the four *FuzzTest classes in its Maven build, with their fixed seeds"
else
  bench_log "the four fuzz tests, $REQUESTS requests each (mvnw verify -Dtest='*FuzzTest')"
  rm -f "$BENCH_ROOT"/*-service/target/fuzz/{ingest,count,holiday,analytics}.json
  "${MVN[@]}" verify -pl ingest-service,count-service,holiday-service,analytics-service -am \
    -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true \
    -Dfootfall.fuzz.seed="$SEED" -Dfootfall.fuzz.requests="$REQUESTS" >"$OUT/maven.log" 2>&1 ||
    { tail -n 40 "$OUT/maven.log" >&2; failed=true; }
  for svc in ingest count holiday analytics; do
    f="$BENCH_ROOT/$svc-service/target/fuzz/$svc.json"
    if [[ -f "$f" ]]; then
      cp "$f" "$OUT/$svc.json"
      record_report "$f" "$svc-service" "OpenApiFuzzTestBase"
      total=$((total + $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$f")))
    else
      record case="$svc-service" status="failed" note="no report: see the Maven log of the run ($OUT/maven.log)"
      failed=true
    fi
  done
fi

# The gateway: test-support's classes and their dependencies (built by the fuzz tests above, or by ./footfall test).
bench_log "through the gateway, $GATEWAY_REQUESTS requests per service"
"${MVN[@]}" compile -pl test-support -am >/dev/null
"${MVN[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -pl test-support \
  -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
if ! smoke; then
  wait=$((75 - (SECONDS - MINTED)))
  ((wait <= 0)) || sleep "$wait"
  export BENCH_TOKEN_EXPIRED="$EXPIRED_TOKEN"
fi
set +e
"$JAVA_HOME/bin/java" -cp "$BENCH_ROOT/test-support/target/classes:$(cat "$OUT/classpath.txt")" \
  dev.footfall.testing.fuzz.GatewayFuzz "$BENCH_GATEWAY_URL" "$SEED" "$GATEWAY_REQUESTS" "$OUT" >"$OUT/gateway.log" 2>&1
rc=$?
set -e
sed 's/^/    | /' "$OUT/gateway.log" | head -n 60
for svc in ingest count holiday analytics; do
  f="$OUT/gateway-$svc.json"
  if [[ -f "$f" ]]; then
    record_report "$f" "gateway, $svc-service's operations" "GatewayFuzz"
    total=$((total + $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$f")))
  fi
done
((rc == 0)) || failed=true

# The target, over every request above.
broken=$(python3 -c '
import json, sys
print(sum(json.loads(l).get("errors", 0) for l in open(sys.argv[1]) if "requests" in json.loads(l)))' "$BENCH_RECORDS")
record case="all fuzz requests" tool="bench/fuzz" errors="$broken" requests="$total" seed="$SEED" \
  target.metric=errors target.op="<=" target.value=0 \
  target.text="0 5xx and 0 errors without a problem over at least 10,000 requests (issue 19)$( ((total >= 10000)) || echo "; only $total requests here")" \
  note="$total requests: the fuzz tests and the gateway above; replay with BENCH_FUZZ_SEED=$SEED"
[[ $failed == false && "$broken" == 0 ]]
