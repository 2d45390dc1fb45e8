#!/usr/bin/env bash
# bench-harness: records (sources bench/lib/common.sh in harness mode, honours BENCH_SMOKE)
# JMH: ingest-service's event parser (the first hot path of POST /v1/events) against Jackson's readTree of the same
# bytes, and the timestamp parser. Builds bench/jmh (a standalone Maven project on the installed footfall artifacts)
# when stale, runs JMH with a warm-up, and records each score.
set -euo pipefail
source "$BENCH_DIR/lib/common.sh"

HERE="$BENCH_DIR/jmh"
JAR="$HERE/target/footfall-jmh-0.1.0-SNAPSHOT.jar"
INSTALLED="$HOME/.m2/repository/dev/footfall/ingest-service/0.1.0-SNAPSHOT/ingest-service-0.1.0-SNAPSHOT.jar"
# bench/jmh builds against the installed ingest-service and common: install them when missing or older than their
# sources (a fresh machine has none). The Quarkus build is skipped, so a running stack's application is not touched.
if [[ ! -f "$INSTALLED" || -n "$(find "$BENCH_ROOT/ingest-service/src/main" "$BENCH_ROOT/common/src/main" "$BENCH_ROOT/pom.xml" -newer "$INSTALLED" -print -quit)" ]]; then
  bench_log "installing common and ingest-service for bench/jmh"
  (cd "$BENCH_ROOT" && { ./mvnw -B -q -o install -DskipTests -Dquarkus.build.skip=true -pl ingest-service -am ||
     ./mvnw -B -q install -DskipTests -Dquarkus.build.skip=true -pl ingest-service -am; } >"$BENCH_WORK/jmh-install.log" 2>&1) ||
    { tail -n 30 "$BENCH_WORK/jmh-install.log" >&2; exit 1; }
fi
if [[ ! -f "$JAR" || ! -f "$HERE/target/classpath.txt" || -n "$(find "$HERE/pom.xml" "$HERE/src" "$INSTALLED" -newer "$JAR" -print -quit)" ]]; then
  bench_log "building bench/jmh"
  (cd "$BENCH_ROOT" && ./mvnw -B -q -f bench/jmh/pom.xml package -DskipTests >"$BENCH_WORK/jmh-build.log" 2>&1) ||
    { tail -n 30 "$BENCH_WORK/jmh-build.log" >&2; exit 1; }
fi
if smoke; then
  opts=(-f 1 -wi 1 -w 200ms -i 1 -r 300ms)
else
  opts=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
fi
OUT="$BENCH_WORK/jmh.json"
"${JAVA_HOME:-/usr}/bin/java" -cp "$JAR:$(cat "$HERE/target/classpath.txt")" org.openjdk.jmh.Main "${opts[@]}" \
  -rf json -rff "$OUT" 'dev.footfall.ingest.service.EventParserBenchmark' >"$BENCH_WORK/jmh.txt" 2>&1 ||
  { tail -n 40 "$BENCH_WORK/jmh.txt" >&2; exit 1; }
python3 - "$OUT" "$BENCH_RECORDS" "$REPORT" "${opts[*]}" <<'PY'
import json, subprocess, sys
results, records, report, opts = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], sys.argv[4]
for r in results:
    name = r["benchmark"].rsplit(".", 1)[1]
    events = int((r.get("params") or {}).get("events", 1))
    m = r["primaryMetric"]
    try:
        m["scoreError"] = float(m["scoreError"])
    except (TypeError, ValueError):
        m["scoreError"] = float("nan")
    unit = m["scoreUnit"]
    per_op_us = m["score"] / 1000.0 if unit.startswith("ns") else m["score"]
    label = "%s (%d event%s)" % (name, events, "" if events == 1 else "s") if name != "parseTimestamp" else name
    rec = {"case": "jmh " + label, "tool": "jmh", "score": m["score"], "score_error": None if m["scoreError"] != m["scoreError"] else m["scoreError"], "score_unit": unit,
           "throughput": round(events * 1e6 / per_op_us, 1), "unit": "events/s" if name != "parseTimestamp" else "timestamps/s",
           "latency_ms": {"mean": round(per_op_us / 1000.0, 6)}, "errors": 0,
           "note": "%.3f ± %.3f %s (99.9%% interval; nan with one iteration), JMH %s, average time per operation, one thread" % (m["score"], m["scoreError"], unit, opts)}
    if name == "parseEvents":
        rec["baseline"] = "jmh jacksonReadTree (%d event%s)" % (events, "" if events == 1 else "s")
    subprocess.run([sys.executable, report, "record", records] + ["%s=%s" % (k, json.dumps(v)) for k, v in rec.items()], check=True)
PY
