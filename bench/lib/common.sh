# Shared helpers of the bench harness, sourced by bench/run.sh and every bench/<name>/run.sh.
# The harness exports: BENCH_ROOT (repository), BENCH_DIR (bench/), BENCH_SMOKE (true|false), BENCH_WORK (scratch
# directory of this run), BENCH_RECORDS (the .jsonl the current benchmark appends to), BENCH_DATABASE (the bench
# stack's database; BENCH_DB stays free for the standalone scripts' own setting), the stack's URLs
# (BENCH_INGEST_URL, BENCH_COUNT_URL, BENCH_HOLIDAY_URL, BENCH_ANALYTICS_URL, BENCH_GATEWAY_URL) and tokens
# (BENCH_TOKEN_SENSOR, BENCH_TOKEN_READER, BENCH_TOKEN_ADMIN).
: "${BENCH_DIR:?run through bench/run.sh}"
REPORT="$BENCH_DIR/lib/report.py"
WRK_LUA="$BENCH_DIR/lib/wrk.lua"
PSQL=(psql -X -q -w -v ON_ERROR_STOP=1 -h "${FOOTFALL_DB_HOST:-127.0.0.1}" -p "${FOOTFALL_DB_PORT:-5432}" -U "${FOOTFALL_DB_USER:-postgres}")

bench_log() { printf '  -- %s\n' "$*"; }
smoke() { [[ "$BENCH_SMOKE" == true ]]; }
# pick SMOKE FULL: the smoke value in smoke mode, else the full one.
pick() { if smoke; then echo "$1"; else echo "$2"; fi; }

db() { "${PSQL[@]}" -d "$BENCH_DATABASE" "$@"; }
db_value() { "${PSQL[@]}" -d "$BENCH_DATABASE" -tAc "$1"; }

# service_db_env SERVICE: in the subshell that starts a service by hand, what ./footfall up gives it: the four role
# names and that service's own password (./footfall db env), never the admin's.
service_db_env() {
  local exports
  exports="$("$BENCH_ROOT/footfall" db env --service "$1" 2>/dev/null)" || return 1
  eval "$(grep -E '^export FOOTFALL_[A-Z]+_DB_(USER|PASSWORD)=' <<<"$exports")"
  unset FOOTFALL_DB_USER FOOTFALL_DB_PASSWORD PGPASSWORD
}

record() { python3 "$REPORT" record "$BENCH_RECORDS" "$@"; }

now_s() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 3))" "$1" "$(now_s)"; }

# run_wrk CASE SECONDS CONNECTIONS THREADS [report key=value ...]; environment BENCH_WRK_* as in bench/lib/wrk.lua.
# Always against 127.0.0.1; the URL comes from BENCH_WRK_URL.
run_wrk() {
  local case="$1" secs="$2" conns="$3" threads="$4"; shift 4
  [[ "$BENCH_WRK_URL" == http://127.0.0.1:* ]] || { echo "refusing a load target that is not 127.0.0.1: $BENCH_WRK_URL" >&2; return 1; }
  local out="$BENCH_WORK/wrk-$(echo "$case" | tr -c 'A-Za-z0-9' '_').txt" r0
  r0=$(reclaim_ticks)
  BENCH_WRK_THREADS="$threads" timeout $((secs + 30)) wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s \
    -s "$WRK_LUA" "$BENCH_WRK_URL" >"$out" 2>&1 || { cat "$out" >&2; return 1; }
  python3 "$REPORT" wrk "$BENCH_RECORDS" "$out" case="$case" kernel_reclaim_ms_per_s="$(reclaim_ms_per_s "$r0" "$secs")" "$@"
}

# warm_wrk SECONDS CONNECTIONS: an unrecorded run with the same settings (JIT, caches, connection pools).
warm_wrk() {
  [[ "$BENCH_WRK_URL" == http://127.0.0.1:* ]] || return 1
  BENCH_WRK_THREADS=1 timeout $(($1 + 30)) wrk -t1 -c"$2" -d"${1}s" --timeout 10s -s "$WRK_LUA" "$BENCH_WRK_URL" >/dev/null 2>&1 || true
}

# api METHOD URL ROLE [BODY]: one request, fails on a status >= 400 (prints the answer).
api() {
  local method="$1" url="$2" role="$3" body="${4:-}" token out code
  case "$role" in sensor) token="$BENCH_TOKEN_SENSOR" ;; reader) token="$BENCH_TOKEN_READER" ;; *) token="$BENCH_TOKEN_ADMIN" ;; esac
  out="$BENCH_WORK/api.out"
  if [[ -n "$body" ]]; then
    code=$(curl -s -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "$body" "$url")
  else
    code=$(curl -s -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token" "$url")
  fi
  if ((code >= 400 || code == 0)); then
    echo "$method $url -> $code: $(head -c 600 "$out")" >&2
    return 1
  fi
  cat "$out"
}

# rss_kb PID: resident set size in KiB.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# cpu_busy_pct SECONDS: how busy the machine's CPUs were over the next SECONDS (0-100, all cores together).
cpu_busy_pct() {
  local a b
  a=$(awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat)
  sleep "$1"
  b=$(awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat)
  python3 -c "import sys; t0,i0,t1,i1=map(int,sys.argv[1:]); print(round(100*(1-(i1-i0)/max(1,t1-t0))))" $a $b
}

# reclaim_ticks: CPU time (1/100 s ticks) used so far by the kernel's DAMON threads (kdamond), 0 where there are none.
# Some virtual machines run DAMON to page out cold page cache; it runs in bursts of 3-10 ms that a woken thread on
# the same CPU waits behind (measured with perf sched: bench/README.md), so the read cases record its share.
reclaim_ticks() {
  local f total=0
  for f in $(grep -l '^kdamond' /proc/[0-9]*/comm 2>/dev/null); do
    total=$((total + $(awk '{print $14 + $15}' "${f%/comm}/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# reclaim_ms_per_s TICKS_BEFORE SECONDS: the kernel reclaimer's CPU in ms per second since TICKS_BEFORE.
reclaim_ms_per_s() {
  python3 -c "import sys; print(round((int(sys.argv[2]) - int(sys.argv[1])) * 10 / max(1e-9, float(sys.argv[3])), 1))" \
    "$1" "$(reclaim_ticks)" "$2"
}

# wait_quiet [MAX_SECONDS]: before a paced latency case or a throughput case, waits until the CPUs are under 15 % busy
# over 3 s, and the kernel's page reclaimer (reclaim_ticks) under BENCH_QUIET_RECLAIM_MS a second (default 25: idle,
# it used 4 ms/s on one machine of this kind and 18-20 on another; at most MAX_SECONDS, default 90),
# so the case does not measure what the previous one left running: autovacuum after a large load, a service's
# backlog, the JIT after an unpaced run, the page cache a load left behind being paged out. Logs how long it waited.
wait_quiet() {
  local max="${1:-90}" start=$SECONDS busy r0 reclaim
  smoke && return 0
  while :; do
    r0=$(reclaim_ticks)
    busy=$(cpu_busy_pct 3)
    reclaim=$(reclaim_ms_per_s "$r0" 3)
    if { ((busy < 15)) && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$reclaim" "${BENCH_QUIET_RECLAIM_MS:-25}"; } ||
       ((SECONDS - start >= max)); then
      break
    fi
  done
  bench_log "machine quiet check: $busy % CPU busy, kernel page reclaim $reclaim ms/s, after waiting $((SECONDS - start)) s"
}
