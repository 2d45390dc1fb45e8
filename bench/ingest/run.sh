#!/usr/bin/env bash
# bench-harness: records (sources bench/lib/common.sh in harness mode, honours BENCH_SMOKE)
# Ingest: POST /v1/events through HTTP (wrk), batched (1,000 events a request) and one event a request, against two
# baselines measured in the same run: PostgreSQL's own COPY of the same rows into an unindexed table (the ceiling)
# and one INSERT per event over one connection (the naive design, pgbench). After each HTTP case, the time
# count-service needs to fold what is still queued (the outbox drained), as events/s, so each case starts idle. Last, the scaling figure: the batched case again with 1x, 4x
# and 16x events already in the log (SCALE_BASE, default 250,000 in full mode), loaded in SQL, with the cost per event.
set -euo pipefail
source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/topology.sh"

SPACES=$(pick 2 10); DPUS=$(pick 20 100)
WARM=$(pick 1 30); SECS=$(pick 2 20); SINGLE_SECS=$(pick 1 15)
BATCH=1000
COPY_ROWS=$(pick 10000 1000000)

# drain_outbox CASE [WHAT]: waits until count-service has folded everything queued in ingest.event_outbox and records
# the rate (timed from the call until the outbox is empty, polled each second), WHAT saying what was folded; with an
# empty CASE it only waits.
# queued_events: how many events ingest.event_outbox holds (one row per append, each with its event count).
queued_events() { db_value "SELECT coalesce(sum(events), 0) FROM ingest.event_outbox"; }

drain_outbox() {
  local case="$1" t left total secs deadline
  local what="${2:-what was still queued in ingest.event_outbox when the HTTP run stopped}"
  t=$(now_s)
  left=$(queued_events)
  total=$left
  deadline=$((SECONDS + $(pick 60 300)))
  while ((left > 0 && SECONDS < deadline)); do
    sleep 1
    left=$(queued_events)
  done
  secs=$(elapsed "$t")
  if [[ -z "$case" ]]; then
    return 0
  elif ((total == 0)); then
    record case="\"$case\"" status='"skipped"' note='"nothing was queued any more when ingest stopped (the reconciler kept up)"'
  elif ((left == 0)); then
    record case="\"$case\"" tool=psql throughput="$(python3 -c "print(round($total / max($secs, 0.001), 1))")" \
      unit='"events/s"' rows="$total" duration_s="$secs" errors=0 \
      note="\"count-service folding $what (timed from then until the outbox is empty, polled each second)\""
  else
    record case="\"$case\"" status='"skipped"' note="\"$left of $total events still queued after $secs s\""
  fi
}

# analyze_log WHEN: VACUUM (ANALYZE) of the event log, the outbox and the count history, as autovacuum would.
analyze_log() {
  local t
  t=$(now_s)
  db -c "VACUUM (ANALYZE) ingest.event, ingest.event_key, ingest.event_outbox, count.space_event" >/dev/null
  bench_log "VACUUM (ANALYZE) of the event log, outbox and count history $1: $(elapsed "$t") s"
}

ensure_topology "$SPACES" "$DPUS"
export BENCH_WRK_URL="$BENCH_INGEST_URL" BENCH_WRK_MODE=ingest BENCH_WRK_TOKEN="$BENCH_TOKEN_SENSOR" BENCH_WRK_DPUS="$DPUS"
export BENCH_WRK_RATE=0
NOW_MS=$(( $(date +%s) * 1000 ))
# Each case's events start at the wall-clock time the case starts (the timeline advances more slowly than the clock:
# at most 10 s of event time per 20 s case), so every case, and every run, continues the history in time order, as
# sensors report. Late events take the reconciler's other path (reading the tail of the history); they have their own
# case below, and mixing them into the throughput cases measured that path instead of ingest.
case_t0() { date +%s%3N; }

# Warm-up: the same request shape, other timestamps (so the measured run stores only new keys). 30 s: after 5 s the
# first 20 s case ran at 39,500-44,000 events/s and the same case right after it at 53,000 (JIT of both services and
# the reconciler's first slices; measured by hand, 2026-12-03); after 30 s both ran at 55,000.
BENCH_WRK_BATCH=$BATCH BENCH_WRK_T0_MS=$(case_t0) warm_wrk "$WARM" 4
drain_outbox ""
# What autovacuum would have done after the warm-up's burst (this machine's PostgreSQL runs with it off): statistics
# of the tables the warm-up filled from empty, so the first case is not planned for empty tables.
analyze_log "after the warm-up"
events_before=$(db_value "SELECT count(*) FROM ingest.event_key")

wait_quiet
BATCHED_T0=$(case_t0)
BENCH_WRK_BATCH=$BATCH BENCH_WRK_T0_MS=$BATCHED_T0 \
  run_wrk "HTTP batched, $BATCH events/request" "$SECS" 4 1 items_per_request=$BATCH \
  target.metric=throughput target.op='">="' target.value=50000 target.text='"≥ 50,000 events/s durable (issue 3)"' \
  baseline='"COPY into an unindexed table"' \
  note='"wrk, 4 connections, each request a JSON array of 1,000 new events (100 sensors on 10 doorways); 202 only after commit (synchronous_commit on); the reconciler of count-service folds the same events concurrently on the same 2 cores"'
stored=$(( $(db_value "SELECT count(*) FROM ingest.event_key") - events_before ))
bench_log "event keys stored by the batched run: $stored"
# The next case starts from an empty queue, so that it does not share the 2 cores with folding this one's backlog.
drain_outbox "reconciliation: outbox drained after the batched run"
# Late events: a short burst on the batched case's own timeline shifted back by 2 ms (so each instant carries the
# opposite direction of the event already there: new keys), landing inside the history just folded: every later
# count of its space changes (the reconciler's tail path).
late_before=$(db_value "SELECT count(*) FROM ingest.event_key")
BENCH_WRK_BATCH=$BATCH BENCH_WRK_T0_MS=$((BATCHED_T0 - 2)) warm_wrk "$(pick 1 2)" 1
bench_log "late events stored: $(( $(db_value "SELECT count(*) FROM ingest.event_key") - late_before ))"
drain_outbox "reconciliation: late events folded into the history" \
  "a burst of late events, each landing inside the history so that every later count of its space changes"
# What autovacuum does within a minute or two of such a burst (VACUUM of the event log's new rows and the outbox's
# deleted ones, statistics), so that the next case measures steady single-event ingest rather than the burst's
# aftermath (folds planned on empty-table statistics, autovacuum on the same 2 cores).
analyze_log "after the batched run"

# One-event requests take other paths than batches (small groups, many commits): the JIT needs a longer warm-up
# (measured by hand: the first 15 s after a 15 s warm-up ran at about half the rate of the next ones).
# One connection per sensor (DPUS of them): each sensor posts its own events, so that is the concurrency the target
# is judged at. Single events are bound by commit latency until the cores are busy, so the rate grows with the
# number of senders (by hand, 2026-12-03 18:30: 3,192-3,545/s with 32 connections, 4,445-5,210 with 64, 4,036-6,419
# with 128); the 32-connection case is kept beside it for comparison with earlier runs.
BENCH_WRK_BATCH=1 BENCH_WRK_T0_MS=$(case_t0) warm_wrk "$(pick 1 30)" "$DPUS"
drain_outbox ""
wait_quiet
BENCH_WRK_BATCH=1 BENCH_WRK_T0_MS=$(case_t0) \
  run_wrk "HTTP single event/request, one connection per sensor" "$SINGLE_SECS" "$DPUS" 2 items_per_request=1 \
  target.metric=throughput target.op='">="' target.value=5000 target.text='"≥ 5,000 requests/s (issue 3)"' \
  baseline='"one INSERT per event, one connection"' \
  note="\"wrk, $DPUS connections (one per sensor of the topology), one JSON event object per request; concurrent requests are grouped into one statement and commit (group commit)\""
drain_outbox ""
wait_quiet
BENCH_WRK_BATCH=1 BENCH_WRK_T0_MS=$(case_t0) \
  run_wrk "HTTP single event/request, 32 connections" "$SINGLE_SECS" 32 2 items_per_request=1 \
  baseline='"one INSERT per event, one connection"' \
  note='"wrk, 32 connections (the case of earlier runs), one JSON event object per request"'
drain_outbox "reconciliation: outbox drained after the single-event run"

# ---- Baselines ----
db -c "CREATE SCHEMA IF NOT EXISTS bench" \
   -c "DROP TABLE IF EXISTS bench.event_copy, bench.event_single" \
   -c "CREATE TABLE bench.event_copy (LIKE ingest.event INCLUDING DEFAULTS)" \
   -c "CREATE TABLE bench.event_single (LIKE ingest.event INCLUDING DEFAULTS)" \
   -c "CREATE INDEX ON bench.event_single (dpu_id, ts)" -c "CREATE INDEX ON bench.event_single (seq)" \
   -c "CREATE SEQUENCE IF NOT EXISTS bench.single_seq" >/dev/null
CSV="$BENCH_WORK/events.csv"
# The same rows the HTTP run stores (sensor, timestamp, direction pattern), generated from the same formula.
db -c "\\copy (SELECT g, NULL, 'bench-dpu-' || (g % $DPUS), to_timestamp($NOW_MS / 1000.0) + (g / $DPUS) * interval '1 millisecond', CASE WHEN (g / $DPUS) % 4 < 2 THEN 1 ELSE -1 END, now(), 'footfall-cli', 'default', 'bench' FROM generate_series(1, $COPY_ROWS) g) TO '$CSV' CSV"
t=$(now_s)
db -c "\\copy bench.event_copy FROM '$CSV' CSV" >/dev/null
secs=$(elapsed "$t")
record case='"COPY into an unindexed table"' tool=psql throughput="$(python3 -c "print(round($COPY_ROWS / $secs, 1))")" \
  unit='"events/s"' rows="$COPY_ROWS" duration_s="$secs" errors=0 \
  note='"psql \\copy of the same rows (CSV from the client) into a logged table shaped like ingest.event without indexes, one transaction: the practical ceiling of durable ingest on this PostgreSQL"'
db -c "DROP TABLE bench.event_copy" >/dev/null

cat >"$BENCH_WORK/insert.sql" <<SQL
\\set g random(1, 1000000000)
INSERT INTO bench.event_single (seq, event_id, dpu_id, ts, direction, source, tenant, request_id) VALUES (nextval('bench.single_seq'), NULL, 'bench-dpu-' || (:g % $DPUS), now() - (:g * interval '1 millisecond'), CASE WHEN :g % 2 = 0 THEN 1 ELSE -1 END, 'footfall-cli', 'default', 'bench');
SQL
rm -f "$BENCH_WORK"/pgbench_insert*
(cd "$BENCH_WORK" && timeout $((SINGLE_SECS + 30)) pgbench -n -h "$FOOTFALL_DB_HOST" -p "$FOOTFALL_DB_PORT" -U "$FOOTFALL_DB_USER" \
  -c 1 -j 1 -T "$SINGLE_SECS" -M prepared -l --log-prefix=pgbench_insert -f "$BENCH_WORK/insert.sql" "$BENCH_DATABASE" >"$BENCH_WORK/pgbench-insert.txt" 2>&1) ||
  { cat "$BENCH_WORK/pgbench-insert.txt" >&2; exit 1; }
python3 "$REPORT" pgbench "$BENCH_RECORDS" "$BENCH_WORK/pgbench_insert" case='"one INSERT per event, one connection"' unit='"events/s"' \
  note='"pgbench -c 1 -M prepared: one autocommitted INSERT per event into a table shaped like ingest.event with indexes on (dpu_id, ts) and on seq (the naive design)"'
db -c "DROP TABLE bench.event_single" >/dev/null

# ---- Scaling: the batched case with 1x, 4x and 16x events already stored ----
# The rows are loaded in SQL (sensors without a placement, timestamps over the last 30 days so that they share the
# partitions the measured events land in) into event_key and event, as the append would store them; not queued in
# the outbox, so count-service has nothing to fold for them. The log is emptied first, so each point holds exactly
# its scale plus the measured runs' own events.
SCALE_BASE=$(pick 2000 250000)
SCALE_SECS=$(pick 1 10)
# Exactly 1x/4x/16x in the log: the earlier cases' events (all folded by now) and earlier runs' go first.
drain_outbox ""
db -c "TRUNCATE ingest.event_key, ingest.event" >/dev/null
loaded=0
for scale in 1 4 16; do
  target_rows=$((SCALE_BASE * scale))
  t=$(now_s)
  db -c "INSERT INTO ingest.event_key (tenant, dedup_key) SELECT 'default', 'k:bench-load-' || (g % 1000) || '|' || (1700000000000000 + g) || '|1' FROM generate_series($((loaded + 1)), $target_rows) g" \
     -c "INSERT INTO ingest.event (seq, dpu_id, ts, direction, source, tenant, request_id) SELECT nextval('ingest.event_seq'), 'bench-load-' || (g % 1000), now() - ((g::bigint * 7919) % 2592000000) * interval '1 millisecond', 1, 'bench-load', 'default', 'bench-load' FROM generate_series($((loaded + 1)), $target_rows) g" \
     -c "VACUUM (ANALYZE) ingest.event_key, ingest.event" >/dev/null
  load_s=$(elapsed "$t")
  bench_log "log at ${scale}x: $target_rows events loaded beside the runs' own ($(( target_rows - loaded )) added in $load_s s)"
  loaded=$target_rows
  stored_before=$(db_value "SELECT count(*) FROM ingest.event_key")
  BENCH_WRK_BATCH=$BATCH BENCH_WRK_T0_MS=$(case_t0) \
    run_wrk "HTTP batched at ${scale}x stored ($stored_before events)" "$SCALE_SECS" 4 1 items_per_request=$BATCH \
    scale=$scale rows="$stored_before" per_row_of=throughput \
    note="\"the batched case for $SCALE_SECS s with $stored_before event keys already stored (event_key primary key, event's (dpu_id, ts) index); cost per row = 1 / events per second\""
done
