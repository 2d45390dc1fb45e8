#!/usr/bin/env bash
# bench-harness: records (sources bench/lib/common.sh in harness mode, honours BENCH_SMOKE)
# Start-up time and resident memory of each service in JVM mode: the packaged jar started as ./footfall starts it,
# against the bench database, timed from exec to the first 200 of /q/health/ready (and Quarkus' own "started in");
# RSS when ready and after the load benchmarks (the stack's own processes). Native executables are measured the
# same way when one has been built (<module>/target/*-runner); this machine has no GraalVM, so they are "not yet".
set -euo pipefail
source "$BENCH_DIR/lib/common.sh"

RUNS=$(pick 1 3)
SERVICES=($(pick "ingest" "ingest count holiday analytics"))   # smoke: one service, to keep it seconds
IDLE=$(pick 0 2)
PORT=$BENCH_SPARE_PORT
JAVA="${JAVA_HOME:-/usr}/bin/java"
PID=""
trap '[[ -n "$PID" ]] && kill "$PID" 2>/dev/null || true' EXIT

measure() { # measure SERVICE MODE COMMAND...
  local svc="$1" mode="$2"; shift 2
  local log="$BENCH_WORK/startup-$svc-$mode.log" t0 ready_s="" quarkus_s rss_ready rss_idle times=() rss=() idle=() q=()
  local run
  for ((run = 1; run <= RUNS; run++)); do
    : >"$log"
    t0=$(now_s)
    (cd "$BENCH_ROOT/$svc-service" && service_db_env "$svc" && QUARKUS_HTTP_PORT=$PORT FOOTFALL_JWT_PUBLIC_KEY="file:$BENCH_ROOT/.footfall/keys/jwt-public.pem" \
      QUARKUS_LOG_CONSOLE_JSON=false exec "$@" >"$log" 2>&1 </dev/null) &
    PID=$!
    ready_s=""
    for _ in $(seq 1 1200); do
      if [[ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready")" == 200 ]]; then
        ready_s=$(elapsed "$t0"); break
      fi
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.05
    done
    [[ -n "$ready_s" ]] || { tail -n 20 "$log" >&2; echo "$svc ($mode) did not become ready" >&2; return 1; }
    rss_ready=$(rss_kb "$PID")
    sleep "$IDLE"
    rss_idle=$(rss_kb "$PID")
    quarkus_s=$(grep -oE 'started in [0-9.]+s' "$log" | grep -oE '[0-9.]+' | head -1 || true)
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=""
    times+=("$ready_s"); rss+=("$rss_ready"); idle+=("$rss_idle"); q+=("${quarkus_s:-null}")
  done
  python3 - "$BENCH_RECORDS" "$REPORT" "$svc" "$mode" "${times[*]}" "${rss[*]}" "${idle[*]}" "${q[*]}" <<'PY'
import json, statistics, subprocess, sys
recs, report, svc, mode = sys.argv[1:5]
times = [float(x) for x in sys.argv[5].split()]
rss = [int(x) for x in sys.argv[6].split()]
idle = [int(x) for x in sys.argv[7].split()]
q = [float(x) for x in sys.argv[8].split() if x != "null"]
rec = {"case": "start-up of %s-service (%s)" % (svc, mode), "tool": "curl poll", "unit": "s",
       "startup_s_median": round(statistics.median(times), 3), "startup_s_runs": times,
       "quarkus_started_in_s_median": round(statistics.median(q), 3) if q else None,
       "rss_mib_ready": round(statistics.median(rss) / 1024, 1), "rss_mib_idle_2s": round(statistics.median(idle) / 1024, 1),
       "errors": 0,
       "note": "exec to the first 200 of /q/health/ready (polled every 50 ms; includes JVM start, Flyway check, pools); median of %d; RSS from /proc when ready and 2 s later (0 s in smoke): %s MiB" % (len(times), round(statistics.median(rss) / 1024, 1))}
subprocess.run([sys.executable, report, "record", recs] + ["%s=%s" % (k, json.dumps(v)) for k, v in rec.items()], check=True)
PY
}

for svc in "${SERVICES[@]}"; do
  jar="$BENCH_ROOT/$svc-service/target/quarkus-app/quarkus-run.jar"
  [[ -f "$jar" ]] || { echo "missing $jar" >&2; exit 1; }
  measure "$svc" jvm "$JAVA" ${FOOTFALL_JAVA_OPTS:-} -jar "$jar"
  runner=$(ls "$BENCH_ROOT/$svc-service"/target/*-runner 2>/dev/null | head -1 || true)
  if [[ -n "$runner" && -x "$runner" ]]; then
    measure "$svc" native "$runner"
  else
    record case="\"start-up of $svc-service (native)\"" status='"not yet"' \
      note='"no native executable: this machine has no GraalVM/Mandrel and no Docker engine (./mvnw -Pnative package where one exists, then rerun)"'
  fi
done

# RSS of the stack's services after the load benchmarks of this run (ingest, count, holiday ran before this one).
for svc in ingest count holiday analytics; do
  pid=$(cat "$FOOTFALL_RUN_DIR/$svc.pid" 2>/dev/null || true)
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || continue
  record case="\"RSS of the running $svc-service after the benchmarks\"" tool=proc unit='"MiB"' \
    rss_mib="$(python3 -c "print(round($(rss_kb "$pid") / 1024, 1))")" errors=0 \
    note='"VmRSS of the bench stack process after the load benchmarks before it (default JVM heap settings: max heap 1/4 of RAM)"'
done
