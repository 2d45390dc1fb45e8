#!/usr/bin/env bash
# The Footfall performance harness. Usage (normally through ./footfall bench):
#
#   bench/run.sh [--smoke] [name ...]     names: ingest count holiday startup heartbeats jmh warehouse sessions fuzz
#                                         (default: all of them, in that order)
#
# Full mode builds what is stale and starts its own stack (run dir .footfall/bench, ports 18180-18184, database
# footfall_bench, Redis key prefix footfall-bench:), or uses that stack when it is already running, generates every
# data set from fixed seeds, runs each benchmark after a warm-up and writes bench/results/<name>.json, <name>.md and
# summary.md. --smoke runs every benchmark for seconds on tiny data against a throw-away stack (run dir
# .footfall/bench-smoke, ports 18280-18284, database footfall_bench_smoke, started with --no-build when the jars
# exist, stopped and dropped at the end) and writes bench/results/smoke/; it checks the harness, not the speed.
#
# Environment: BENCH_KEEP_STACK=true keeps a stack this run started; BENCH_PORT_BASE [18180 | 18280 for --smoke];
# BENCH_DATABASE [footfall_bench | footfall_bench_smoke] (the Redis key prefix follows it), so that two runs
# on one machine can stay apart;
# BENCH_BUILD=false runs the jars as they are (./footfall up --no-build);
# BENCH_PROFILE=ingest|count|holiday|analytics records that service with JFR during the run (bench/README.md);
# FOOTFALL_DB_HOST/PORT/USER/PASSWORD, FOOTFALL_REDIS_HOST/PORT, FOOTFALL_DB_MODE, FOOTFALL_REDIS_MODE as for
# ./footfall (which resolves them: `./footfall db env`; private servers stay up while this runs).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
ALL=(ingest count holiday startup heartbeats jmh warehouse sessions fuzz)
HTTP_BENCHES=" ingest count holiday startup heartbeats warehouse sessions fuzz "

BENCH_SMOKE=false
names=()
for arg in "$@"; do
  case "$arg" in
    --smoke) BENCH_SMOKE=true ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    all) names+=("${ALL[@]}") ;;
    -*) echo "bench: unknown option '$arg'" >&2; exit 2 ;;
    *) [[ " ${ALL[*]} " == *" $arg "* ]] || { echo "bench: unknown benchmark '$arg' (${ALL[*]})" >&2; exit 2; }
       names+=("$arg") ;;
  esac
done
((${#names[@]})) || names=("${ALL[@]}")

export BENCH_DIR BENCH_ROOT BENCH_SMOKE
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
# The admin connection and Redis as ./footfall resolves them. PGPASSWORD: every psql and pgbench of the benchmarks
# runs as the admin (./footfall never hands it to a service).
DB_ENV="$("$BENCH_ROOT/footfall" db env --hold $$)" || { echo "bench: no PostgreSQL/Redis (see above)" >&2; exit 1; }
eval "$DB_ENV"
export PGPASSWORD="$FOOTFALL_DB_PASSWORD"
if [[ "$BENCH_SMOKE" == true ]]; then
  BASE="${BENCH_PORT_BASE:-18280}"
  export BENCH_DATABASE="${BENCH_DATABASE:-footfall_bench_smoke}" FOOTFALL_RUN_DIR="$BENCH_ROOT/.footfall/bench-smoke"
  export FOOTFALL_REDIS_KEY_PREFIX="${BENCH_DATABASE//_/-}:"
  OUT="$BENCH_DIR/results/smoke"
else
  BASE="${BENCH_PORT_BASE:-18180}"
  export BENCH_DATABASE="${BENCH_DATABASE:-footfall_bench}" FOOTFALL_RUN_DIR="$BENCH_ROOT/.footfall/bench"
  export FOOTFALL_REDIS_KEY_PREFIX="${BENCH_DATABASE//_/-}:"
  OUT="$BENCH_DIR/results"
fi
export FOOTFALL_DB_NAME="$BENCH_DATABASE"
export FOOTFALL_GATEWAY_PORT=$BASE FOOTFALL_INGEST_PORT=$((BASE + 1)) FOOTFALL_COUNT_PORT=$((BASE + 2))
export FOOTFALL_HOLIDAY_PORT=$((BASE + 3)) FOOTFALL_ANALYTICS_PORT=$((BASE + 4))
# Ports the benchmarks may use for their own processes (static nginx, start-up probes, the heartbeat service).
export BENCH_SPARE_PORT=$((BASE + 5))
export BENCH_GATEWAY_URL="http://127.0.0.1:$BASE" BENCH_INGEST_URL="http://127.0.0.1:$((BASE + 1))"
export BENCH_COUNT_URL="http://127.0.0.1:$((BASE + 2))" BENCH_HOLIDAY_URL="http://127.0.0.1:$((BASE + 3))"
export BENCH_ANALYTICS_URL="http://127.0.0.1:$((BASE + 4))"
# The holiday benchmark sends 1,000 requests/s with one token through the gateway: limits far above that, so it
# measures the proxy hop (rate limiter included) and no 429s.
export FOOTFALL_GATEWAY_RATE=100000 FOOTFALL_GATEWAY_BURST=100000
export FOOTFALL_GATEWAY_ADDRESS_RATE=100000 FOOTFALL_GATEWAY_ADDRESS_BURST=100000
# The analytics schedulers stay off on the bench stack: the heartbeat benchmark times curation itself, and the
# warehouse retention job would take the warehouse lock in the middle of a timed run.
export FOOTFALL_ANALYTICS_CURATION_EVERY=off FOOTFALL_ANALYTICS_RETENTION_EVERY=off

if [[ -z "${JAVA_HOME:-}" || ! -x "${JAVA_HOME:-}/bin/java" ]]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [[ -x "$j/bin/java" ]] && "$j/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' && { export JAVA_HOME="$j"; break; }
  done
fi

export BENCH_WORK="$BENCH_ROOT/target/bench/$([[ $BENCH_SMOKE == true ]] && echo smoke || echo full)"
# BENCH_PROFILE=<service>: record that service with JFR while the benchmarks run; the figures of such a run are
# perturbed, so they go to target/bench/profiled/, and the profile to bench/results/profiles/.
PROFILE="${BENCH_PROFILE:-}"
if [[ -n "$PROFILE" ]]; then
  [[ "$PROFILE" =~ ^(ingest|count|holiday|analytics)$ ]] || { echo "bench: BENCH_PROFILE must be ingest, count, holiday or analytics" >&2; exit 2; }
  BENCH_WORK="$BENCH_ROOT/target/bench/profiled"; OUT="$BENCH_WORK/results"
fi
rm -rf "$BENCH_WORK"; mkdir -p "$BENCH_WORK" "$OUT"
START=$SECONDS
echo "==> footfall bench ($([[ $BENCH_SMOKE == true ]] && echo smoke || echo full)): ${names[*]}"
echo "    machine load (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

for tool in wrk pgbench redis-benchmark psql redis-cli curl python3; do
  command -v "$tool" >/dev/null 2>&1 && continue
  case "$tool" in
    wrk) pkg=wrk ;; pgbench|psql) pkg=postgresql-client ;; redis-benchmark|redis-cli) pkg=redis-tools ;; *) pkg="$tool" ;;
  esac
  echo "==> installing $pkg (for $tool)"
  if [[ $EUID -eq 0 ]]; then apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
  else sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; fi
done

python3 "$BENCH_DIR/lib/report.py" machine "$BENCH_WORK/machine.json"

# ---- The stack ----
STARTED_STACK=false
need_stack=false
for n in "${names[@]}"; do [[ "$HTTP_BENCHES" == *" $n "* ]] && need_stack=true; done

stack_down() {
  if $STARTED_STACK && [[ "${BENCH_KEEP_STACK:-false}" != true ]]; then
    echo "==> stopping the bench stack"
    "$BENCH_ROOT/footfall" down >/dev/null || true
    if [[ "$BENCH_SMOKE" == true ]]; then
      psql -X -q -w -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER" -d postgres \
        -c "DROP DATABASE IF EXISTS $BENCH_DATABASE WITH (FORCE)" >/dev/null 2>&1 || true
      redis-cli -h "$FOOTFALL_REDIS_HOST" -p "$FOOTFALL_REDIS_PORT" --scan --pattern "${FOOTFALL_REDIS_KEY_PREFIX}*" |
        head -n 100000 | xargs -r -n 500 redis-cli -h "$FOOTFALL_REDIS_HOST" -p "$FOOTFALL_REDIS_PORT" DEL >/dev/null || true
    fi
  fi
  # Private servers stop here unless a stack (this one, kept) or another command still uses them.
  "$BENCH_ROOT/footfall" db release $$ >/dev/null || true
}
trap stack_down EXIT

if $need_stack; then
  if "$BENCH_ROOT/footfall" status |
     awk '$1 ~ /^(ingest|count|holiday|analytics|gateway)$/ && $2 != "up" {bad = 1} END {exit bad}'; then
    echo "==> using the running bench stack (run dir ${FOOTFALL_RUN_DIR#"$BENCH_ROOT"/}, database $BENCH_DATABASE)"
  else
    up_flags=(-d)
    [[ "${BENCH_BUILD:-true}" == false ]] && up_flags+=(--no-build)
    if [[ "$BENCH_SMOKE" == true && "${BENCH_BUILD:-true}" != false ]]; then
      ls "$BENCH_ROOT"/*-service/target/quarkus-app/quarkus-run.jar >/dev/null 2>&1 &&
        [[ $(ls "$BENCH_ROOT"/*-service/target/quarkus-app/quarkus-run.jar | wc -l) -eq 4 ]] && up_flags+=(--no-build)
      psql -X -q -w -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER" -d postgres \
        -c "DROP DATABASE IF EXISTS $BENCH_DATABASE WITH (FORCE)" >/dev/null
    fi
    echo "==> starting the bench stack: ./footfall up ${up_flags[*]} (run dir ${FOOTFALL_RUN_DIR#"$BENCH_ROOT"/}, ports $BASE-$((BASE + 4)), database $BENCH_DATABASE)"
    STARTED_STACK=true
    "$BENCH_ROOT/footfall" up "${up_flags[@]}" >"$BENCH_WORK/up.log" 2>&1 || { tail -n 40 "$BENCH_WORK/up.log" >&2; exit 1; }
    grep -E 'ready after|built in|up to date' "$BENCH_WORK/up.log" | sed 's/^ */    /' || true
  fi
else
  # Benchmarks without HTTP still need the database, made as ./footfall up makes it (roles, schemas, owners).
  "$BENCH_ROOT/footfall" db setup "$BENCH_DATABASE" >/dev/null
fi
export BENCH_TOKEN_SENSOR BENCH_TOKEN_READER BENCH_TOKEN_ADMIN
BENCH_TOKEN_SENSOR="$("$BENCH_ROOT/footfall" token --role sensor --ttl 7200)"
BENCH_TOKEN_READER="$("$BENCH_ROOT/footfall" token --role reader --ttl 7200)"
BENCH_TOKEN_ADMIN="$("$BENCH_ROOT/footfall" token --role admin --ttl 7200)"

# ---- The benchmarks ----
failed=()
if [[ -n "$PROFILE" ]]; then
  PROFILE_PID="$(cat "$FOOTFALL_RUN_DIR/$PROFILE.pid")"
  PROFILE_JFR="$BENCH_WORK/$PROFILE.jfr"
  "$JAVA_HOME/bin/jcmd" "$PROFILE_PID" JFR.start name=bench settings=profile filename="$PROFILE_JFR" >/dev/null
  echo "==> recording $PROFILE-service (pid $PROFILE_PID) with JFR, and PostgreSQL's wait events"
  # What the database sessions of the bench database wait on, sampled 10 times a second (bounded: at most 30 min).
  (for ((i = 0; i < 18000; i++)); do
     psql -X -q -w -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER" -d postgres -tAc \
       "SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') || ' ' || state FROM pg_stat_activity WHERE datname = '$BENCH_DATABASE' AND pid <> pg_backend_pid() AND state <> 'idle'" 2>/dev/null
     sleep 0.1
   done >"$BENCH_WORK/pg-waits.txt") &
  WAITS_PID=$!
fi
for name in "${names[@]}"; do
  export BENCH_RECORDS="$BENCH_WORK/$name.jsonl"
  : >"$BENCH_RECORDS"
  script="$BENCH_DIR/$name/run.sh"
  echo "==> $name (load $(cut -d' ' -f1-3 /proc/loadavg))"
  t0=$SECONDS
  if [[ ! -x "$script" ]]; then
    why="bench/$name/run.sh is missing"
    echo "    not yet: $why"
    python3 "$BENCH_DIR/lib/report.py" record "$BENCH_RECORDS" case="$name" status="not yet" note="$why" >/dev/null
  elif ! grep -q '^# bench-harness: records' "$script"; then
    # A benchmark written to run on its own (its own service, port and database): run it as it is in full mode and
    # keep its output; smoke mode skips it (it has no tiny mode). Every benchmark of bench/ is harness-aware today.
    if [[ "$BENCH_SMOKE" == true ]]; then
      echo "    skipped in smoke: bench/$name/run.sh is standalone (no '# bench-harness: records' line, no smoke mode)"
      python3 "$BENCH_DIR/lib/report.py" record "$BENCH_RECORDS" case="$name" status="skipped" \
        note="bench/$name/run.sh is a standalone script without a smoke mode; run ./footfall bench $name" >/dev/null
    else
      set +e
      (unset BENCH_RECORDS BENCH_SMOKE; exec "$script") 2>&1 | tee "$OUT/$name.log" | sed 's/^/    | /'
      rc=${PIPESTATUS[0]}
      set -e
      python3 "$BENCH_DIR/lib/report.py" record "$BENCH_RECORDS" case="$name" status="$([[ $rc == 0 ]] && echo "ran standalone" || echo "failed")" \
        note="bench/$name/run.sh runs on its own and writes no records; its output (exit $rc) is bench/results/$name.log" >/dev/null
      ((rc == 0)) || failed+=("$name")
    fi
  elif ! "$script"; then
    echo "    FAILED: $name (after $((SECONDS - t0)) s)" >&2
    failed+=("$name")
  fi
  python3 "$BENCH_DIR/lib/report.py" assemble "$name" "$BENCH_RECORDS" "$BENCH_WORK/machine.json" "$OUT"
  echo "    $name: $((SECONDS - t0)) s -> ${OUT#"$BENCH_ROOT"/}/$name.json, $name.md"
done
if [[ -n "$PROFILE" ]]; then
  "$JAVA_HOME/bin/jcmd" "$PROFILE_PID" JFR.stop name=bench >/dev/null
  kill "$WAITS_PID" 2>/dev/null || true
  mkdir -p "$BENCH_DIR/results/profiles"
  base="$BENCH_DIR/results/profiles/$(IFS=-; echo "${names[*]}")-$PROFILE-service"
  python3 "$BENCH_DIR/lib/jfr_fold.py" "$PROFILE_JFR" "$base.folded" "$base-top.txt" | head -45
  { echo "PostgreSQL wait events of the active sessions of $BENCH_DATABASE, sampled every 100 ms during the run (count, event state):"
    sort "$BENCH_WORK/pg-waits.txt" | uniq -c | sort -rn | head -25; } | tee "$base-pg-waits.txt"
  echo "    profile: ${base#"$BENCH_ROOT"/}.folded (collapsed stacks: flamegraph.pl or speedscope), ${base#"$BENCH_ROOT"/}-top.txt; recording $PROFILE_JFR"
fi
python3 "$BENCH_DIR/lib/report.py" summary "$OUT"
echo "==> done in $((SECONDS - START)) s (load $(cut -d' ' -f1-3 /proc/loadavg)); summary: ${OUT#"$BENCH_ROOT"/}/summary.md"
if ((${#failed[@]})); then
  echo "bench: failed: ${failed[*]}" >&2
  exit 1
fi
