#!/usr/bin/env bash
# bench-harness: records (sources bench/lib/common.sh in harness mode, honours BENCH_SMOKE)
# Holiday queries: one location's 2026 calendar (GET /v1/locations/{id}/holidays?from=2026-01-01&to=2026-12-31) for
# the 13 seed locations, paced at 1,000/s for latency and unpaced for throughput, against the same JSON served as a
# static file by nginx (the ceiling: no auth, no lookup, no serialisation).
set -euo pipefail
source "$BENCH_DIR/lib/common.sh"

SECS=$(pick 1 15); WARM=$(pick 1 5); SEED=42
SEED_CSV="$BENCH_ROOT/holiday-service/src/main/resources/seed/locations.csv"
mapfile -t IDS < <(grep -E '^[0-9a-f-]{36},' "$SEED_CSV" | cut -d, -f1)
Q="from=2026-01-01&to=2026-12-31"
STATIC="$BENCH_WORK/static"
rm -rf "$STATIC"; mkdir -p "$STATIC"
for id in "${IDS[@]}"; do
  mkdir -p "$STATIC/v1/locations/$id"
  api GET "$BENCH_HOLIDAY_URL/v1/locations/$id/holidays?$Q" reader >"$STATIC/v1/locations/$id/holidays"
done
bench_log "${#IDS[@]} locations; answer size $(wc -c <"$STATIC/v1/locations/${IDS[0]}/holidays") bytes (first)"
python3 - "$BENCH_WORK/holiday-paths.txt" "$SEED" "$Q" "${IDS[@]}" <<'PY'
import random, sys
out, seed, q, ids = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
r = random.Random(seed)
with open(out, "w") as f:
    for _ in range(20000):
        f.write("/v1/locations/%s/holidays?%s\n" % (ids[r.randrange(len(ids))], q))
PY

# The static ceiling: nginx serving the same bytes (query string ignored), as the gateway's nginx is configured.
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
NG="$BENCH_WORK/nginx-static"; mkdir -p "$NG/logs" "$NG/temp"
cat >"$NG/nginx.conf" <<CONF
$([[ $EUID -eq 0 ]] && echo "user root;")
worker_processes auto;
pid $NG/nginx.pid;
error_log $NG/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $NG/temp; proxy_temp_path $NG/temp; fastcgi_temp_path $NG/temp; uwsgi_temp_path $NG/temp; scgi_temp_path $NG/temp;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$BENCH_SPARE_PORT;
    location / { root $STATIC; default_type application/json; }
  }
}
CONF
"$NGINX" -p "$NG" -c "$NG/nginx.conf" -g 'daemon off;' >"$NG/logs/stdout.log" 2>&1 &
NGINX_PID=$!
trap 'kill $NGINX_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$BENCH_SPARE_PORT/v1/locations/${IDS[0]}/holidays?$Q" && break; sleep 0.1; done
cmp -s <(curl -sf "http://127.0.0.1:$BENCH_SPARE_PORT/v1/locations/${IDS[0]}/holidays?$Q") "$STATIC/v1/locations/${IDS[0]}/holidays" ||
  { echo "the static nginx does not serve the file" >&2; exit 1; }

export BENCH_WRK_MODE=get BENCH_WRK_TOKEN="$BENCH_TOKEN_READER" BENCH_WRK_PATHS="$BENCH_WORK/holiday-paths.txt" BENCH_WRK_SEED=$SEED
export BENCH_WRK_URL="http://127.0.0.1:$BENCH_SPARE_PORT"
BENCH_WRK_RATE=0 warm_wrk "$WARM" 16
wait_quiet
BENCH_WRK_RATE=1000 run_wrk "nginx static file, 1000/s" "$SECS" 16 1 \
  note='"the same JSON bytes as files, served by nginx (worker_processes auto, keep-alive), paced to 1,000/s"'
BENCH_WRK_RATE=0 run_wrk "nginx static file, unpaced" "$SECS" 32 2 note='"wrk -t2 -c32 as fast as it goes"'

export BENCH_WRK_URL="$BENCH_HOLIDAY_URL"
BENCH_WRK_RATE=0 warm_wrk "$WARM" 16
wait_quiet
BENCH_WRK_RATE=1000 run_wrk "holiday one-year query, 1000/s" "$SECS" 16 1 baseline='"nginx static file, 1000/s"' \
  target.metric=latency_ms.p99 target.op='"<="' target.value=3 target.text='"p99 ≤ 3 ms (issue 4)"' \
  note='"wrk paced to 1,000/s (16 connections), a seeded random seed location, straight to holiday-service (JWT checked, in-process cache)"'
BENCH_WRK_RATE=0 run_wrk "holiday one-year query, unpaced" "$SECS" 32 2 baseline='"nginx static file, unpaced"' \
  target.metric=throughput target.op='">="' target.value=10000 target.text='"≥ 10,000 requests/s (issue 4)"' \
  note='"wrk -t2 -c32 as fast as it goes; wrk itself uses part of the 2 cores"'
if ! smoke; then
  export BENCH_WRK_URL="$BENCH_GATEWAY_URL"
  wait_quiet
  BENCH_WRK_RATE=1000 run_wrk "holiday one-year query through the gateway, 1000/s" "$SECS" 16 1 \
    baseline='"holiday one-year query, 1000/s"' note='"the same, through the nginx gateway (one more proxy hop)"'
fi
