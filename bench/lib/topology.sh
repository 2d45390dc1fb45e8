# Creates the bench topology through count-service's API (idempotent): spaces bench-space-<i>, one doorway
# bench-door-<i> linked (+1) to each, and sensors bench-dpu-<n> placed round-robin on the doorways from 2020-01-01.
# usage: ensure_topology SPACES DPUS
ensure_topology() {
  local spaces="$1" dpus="$2" i have
  have=$(db_value "SELECT count(DISTINCT dpu_id) FROM count.placement WHERE dpu_id LIKE 'bench-dpu-%'" 2>/dev/null || echo 0)
  if ((have >= dpus)); then return 0; fi
  bench_log "topology: $spaces spaces, $spaces doorways, $dpus sensors (through the API)"
  for ((i = 0; i < spaces; i++)); do
    api PUT "$BENCH_COUNT_URL/v1/spaces/bench-space-$i" admin "{\"name\":\"Bench space $i\"}" >/dev/null
    api PUT "$BENCH_COUNT_URL/v1/doorways/bench-door-$i" admin \
      "{\"name\":\"Bench door $i\",\"spaces\":[{\"space_id\":\"bench-space-$i\",\"direction\":1}],\"effective_from\":\"2020-01-01T00:00:00Z\"}" >/dev/null
  done
  for ((i = have; i < dpus; i++)); do
    api POST "$BENCH_COUNT_URL/v1/dpus/bench-dpu-$i/placements" admin \
      "{\"doorway_id\":\"bench-door-$((i % spaces))\",\"installed_at\":\"2020-01-01T00:00:00Z\"}" >/dev/null
  done
  sleep 1   # ingest-service reloads the topology on NOTIFY footfall_topology
}
