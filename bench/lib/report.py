#!/usr/bin/env python3
"""Result records of the bench harness: one JSON object per measured case, appended to a .jsonl file by the
benchmarks, then assembled into bench/results/<name>.json and <name>.md with the machine description.

  report.py machine OUT.json                      describe this machine (cores, memory, JDK, PostgreSQL, Redis, load)
  report.py record FILE.jsonl key=value ...       append one record (values parsed as JSON when they parse)
  report.py wrk FILE.jsonl WRK_OUTPUT key=value   append a record from the WRKJSON line of a wrk run (bench/lib/wrk.lua)
  report.py pgbench FILE.jsonl LOGPREFIX key=value  append a record from pgbench per-transaction logs (-l)
  report.py assemble NAME RECORDS.jsonl MACHINE.json OUTDIR   write OUTDIR/NAME.json and OUTDIR/NAME.md
  report.py summary OUTDIR                        write OUTDIR/summary.md from every OUTDIR/*.json
Record fields: case, tool, throughput + unit, latency_ms {p50,p95,p99,max}, errors, baseline (the case it is
compared with), target {metric, op, value, text}, scale / rows / cost_per_row_us for scaling figures, note, load.
"""
import glob, json, os, platform, re, subprocess, sys, time


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:
        return ""


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def parse_value(v):
    try:
        return json.loads(v)
    except ValueError:
        return v


def kv(args):
    rec = {}
    for a in args:
        k, _, v = a.partition("=")
        cur = rec
        parts = k.split(".")
        for p in parts[:-1]:
            cur = cur.setdefault(p, {})
        cur[parts[-1]] = parse_value(v)
    return rec


def append(path, rec):
    rec.setdefault("load", loadavg())
    rec.setdefault("at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    with open(path, "a") as f:
        f.write(json.dumps(rec) + "\n")
    lat = rec.get("latency_ms") or {}
    tp = rec.get("throughput")
    print("    %-52s %s%s%s  [load %s]" % (
        rec.get("case", "?"),
        "" if tp is None else "%s %s" % (fmt(tp), rec.get("unit", "")),
        "" if not lat else ("  p50 %s p95 %s p99 %s max %s ms" % tuple(fmt(lat.get(k)) for k in ("p50", "p95", "p99", "max"))
                            if lat.get("p50") is not None else "  mean %s ms" % fmt(lat.get("mean"))),
        "" if not rec.get("errors") else "  errors %s" % rec["errors"],
        load_text(rec)), flush=True)


def load_text(rec):
    """The load average, and the kernel page reclaimer's CPU during the case where it was measured (reclaim_ticks)."""
    reclaim = rec.get("kernel_reclaim_ms_per_s")
    return rec.get("load", "") + ("" if reclaim is None else "; kernel reclaim %s ms/s" % fmt(reclaim))


def fmt(x):
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if abs(x) >= 100:
        return "{:,.0f}".format(x)
    if abs(x) >= 10:
        return "%.1f" % x
    return "%.3g" % x


def machine(out):
    java_home = os.environ.get("JAVA_HOME", "")
    java = (java_home + "/bin/java") if java_home else "java"
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")
    pg = "psql -X -q -w -h %s -p %s -U %s -d postgres -tAc" % (
        os.environ.get("FOOTFALL_DB_HOST", "127.0.0.1"), os.environ.get("FOOTFALL_DB_PORT", "5432"),
        os.environ.get("FOOTFALL_DB_USER", "postgres"))
    m = {
        "host": platform.node(),
        "os": sh(". /etc/os-release && echo $PRETTY_NAME"),
        "kernel": platform.release(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "jdk": sh("%s -version 2>&1 | head -1" % java),
        "java_home": java_home,
        "postgresql": sh(pg + " 'SHOW server_version'"),
        "postgresql_settings": sh(pg + " \"SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('autovacuum','checkpoint_timeout','fsync','max_wal_size','shared_buffers','synchronous_commit','wal_compression','wal_level','work_mem')\""),
        "redis": sh("redis-cli -h %s -p %s INFO server | grep redis_version | cut -d: -f2 | tr -d '\\r'" % (
            os.environ.get("FOOTFALL_REDIS_HOST", "127.0.0.1"), os.environ.get("FOOTFALL_REDIS_PORT", "6379"))),
        "wrk": sh("wrk -v 2>&1 | head -1"),
        "pgbench": sh("pgbench --version"),
        "redis_benchmark": sh("redis-benchmark --version 2>/dev/null || dpkg-query -W -f='${Version}' redis-tools"),
        "nginx": sh("nginx -v 2>&1 || /usr/sbin/nginx -v 2>&1"),
        "git_commit": sh("git -C %s rev-parse --short HEAD 2>/dev/null || cut -c1-7 %s/BENCH_SOURCE_COMMIT" % ((os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),) * 2)),
        "git_dirty": bool(sh("git -C %s status --porcelain -- . ':!bench/results'" % os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))),
        "load_at_start": loadavg(),
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "smoke": os.environ.get("BENCH_SMOKE") == "true",
    }
    with open(out, "w") as f:
        json.dump(m, f, indent=2)


def wrk(path, output_file, extra):
    text = open(output_file).read()
    m = re.search(r"^WRKJSON (.*)$", text, re.M)
    if not m:
        sys.exit("no WRKJSON line in %s:\n%s" % (output_file, text[-2000:]))
    w = json.loads(m.group(1))
    secs = w["duration_us"] / 1e6
    errors = sum(w["errors"].values())
    ok_requests = w["requests"] - w["errors"]["status"]
    rec = {"tool": "wrk", "requests": w["requests"], "duration_s": round(secs, 2),
           "requests_per_s": round(w["requests"] / secs, 1),
           "latency_ms": {k: round(w["latency_us"][k] / 1000, 3) for k in ("p50", "p95", "p99", "max", "mean")},
           "errors": errors, "error_detail": w["errors"]}
    rec.update(extra)
    per = rec.pop("items_per_request", None)
    if per:
        rec["throughput"] = round(ok_requests * per / secs, 1)
        rec.setdefault("unit", "events/s")
    else:
        rec["throughput"] = round(ok_requests / secs, 1)
        rec.setdefault("unit", "requests/s")
    # per_row_of=throughput: a scaling point whose cost per row is the time per item (1 / throughput).
    if rec.pop("per_row_of", None) == "throughput" and rec["throughput"]:
        rec["cost_per_row_us"] = round(1e6 / rec["throughput"], 2)
    append(path, rec)


def pgbench(path, prefix, extra):
    lat, lag, first, last = [], [], None, None
    for f in glob.glob(prefix + ".*"):
        if f.endswith(".txt"):
            continue
        for line in open(f):
            p = line.split()
            if len(p) < 6 or not p[2].isdigit():
                continue
            lat.append(int(p[2]) / 1000.0)
            t = int(p[4]) + int(p[5]) / 1e6
            first = t if first is None else min(first, t)
            last = t if last is None else max(last, t)
            if len(p) > 6:
                lag.append(int(p[6]) / 1000.0)
    lat.sort()
    n = len(lat)
    pct = lambda q: lat[min(n - 1, int(q * n))] if n else None
    secs = max(1e-9, (last - first)) if n > 1 else 1
    rec = {"tool": "pgbench", "requests": n, "duration_s": round(secs, 2), "throughput": round(n / secs, 1),
           "unit": "queries/s", "latency_ms": {"p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99),
                                               "max": lat[-1] if n else None, "mean": round(sum(lat) / n, 3) if n else None},
           "errors": 0}
    if lag:
        lag.sort()
        rec["schedule_lag_ms_p99"] = lag[min(len(lag) - 1, int(0.99 * len(lag)))]
    rec.update(extra)
    append(path, rec)


def check_target(r):
    t = r.get("target")
    if not t or "value" not in t:
        return None
    metric = t.get("metric", "throughput")
    v = r.get(metric) if "." not in metric else (r.get(metric.split(".")[0]) or {}).get(metric.split(".")[1])
    if v is None:
        return None
    return v >= t["value"] if t.get("op", ">=") == ">=" else v <= t["value"]


def assemble(name, records_file, machine_file, outdir):
    recs = [json.loads(l) for l in open(records_file)] if os.path.exists(records_file) else []
    m = json.load(open(machine_file))
    m["load_at_end"] = loadavg()
    by_case = {r.get("case"): r for r in recs}
    for r in recs:
        b = by_case.get(r.get("baseline"))
        if b:
            if r.get("throughput") and b.get("throughput"):
                r["ratio_throughput_to_baseline"] = round(r["throughput"] / b["throughput"], 3)
            if (r.get("latency_ms") or {}).get("p99") and (b.get("latency_ms") or {}).get("p99"):
                r["ratio_p99_to_baseline"] = round(r["latency_ms"]["p99"] / b["latency_ms"]["p99"], 2)
        met = check_target(r)
        if met is not None:
            r["target_met"] = met
    doc = {"benchmark": name, "machine": m, "results": recs}
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, name + ".json"), "w") as f:
        json.dump(doc, f, indent=2)
    with open(os.path.join(outdir, name + ".md"), "w") as f:
        f.write(markdown(doc))


def machine_line(m):
    return ("%s cores (%s), %s GiB, %s; %s; PostgreSQL %s (%s); Redis %s; commit %s%s" % (
        m.get("cores"), (m.get("cpu") or "").strip(), m.get("memory_gib"), m.get("os"), m.get("jdk"),
        m.get("postgresql"), m.get("postgresql_settings"), m.get("redis"), m.get("git_commit"),
        " (with uncommitted changes)" if m.get("git_dirty") else ""))


def markdown(doc, level=2):
    m, recs = doc["machine"], doc["results"]
    h = "#" * level
    out = ["%s %s%s\n" % (h, doc["benchmark"], " (smoke: tiny data, not figures)" if m.get("smoke") else ""),
           "Machine: %s. Load average (1/5/15 min) at start %s, at end %s; started %s.\n" % (
               machine_line(m), m.get("load_at_start"), m.get("load_at_end"), m.get("started_at"))]
    if not recs:
        out.append("No results.\n")
        return "\n".join(out)
    notes = [r for r in recs if r.get("status")]
    measured = [r for r in recs if r not in notes]
    if measured:
        out.append("| Case | Tool | Throughput | p50 ms | p95 ms | p99 ms | max ms | Errors | Ratio to baseline | Target | Load |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in measured:
            lat = r.get("latency_ms") or {}
            ratio = []
            if "ratio_throughput_to_baseline" in r:
                ratio.append("%s× throughput" % fmt(r["ratio_throughput_to_baseline"]))
            if "ratio_p99_to_baseline" in r:
                ratio.append("%s× p99" % fmt(r["ratio_p99_to_baseline"]))
            if ratio:
                ratio[-1] += " of *%s*" % r["baseline"]
            tgt = r.get("target") or {}
            tgt_text = tgt.get("text", "")
            if "target_met" in r:
                tgt_text += " — **%s**" % ("met" if r["target_met"] else "missed")
            tp = r.get("throughput")
            tp_text = "" if tp is None else "%s %s" % (fmt(tp), r.get("unit", ""))
            if r.get("duration_s") is not None and r.get("unit") == "rows/s":
                tp_text = "%s s; %s" % (fmt(r["duration_s"]), tp_text)
            if r.get("startup_s_median") is not None:
                tp_text = "ready in %s s (Quarkus: started in %s s); RSS %s MiB when ready, %s MiB 2 s later" % (
                    fmt(r["startup_s_median"]), fmt(r.get("quarkus_started_in_s_median")), fmt(r.get("rss_mib_ready")),
                    fmt(r.get("rss_mib_idle_2s")))
            if r.get("rss_mib") is not None:
                tp_text = "RSS %s MiB" % fmt(r["rss_mib"])
            if r.get("cost_per_row_us") is not None:
                tp_text += " (%s rows; %s µs/row)" % (fmt(r.get("rows")), fmt(r["cost_per_row_us"]))
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                r.get("case"), r.get("tool", ""), tp_text, fmt(lat.get("p50")), fmt(lat.get("p95")),
                fmt(lat.get("p99")), fmt(lat.get("max")), fmt(r.get("errors", 0)), "; ".join(ratio), tgt_text,
                load_text(r)))
        out.append("")
        for r in measured:
            if r.get("note"):
                out.append("- *%s*: %s" % (r["case"], r["note"]))
        out.append("")
    for r in notes:
        out.append("- %s: **%s** — %s" % (r.get("case"), r["status"], r.get("note", "")))
    return "\n".join(out) + "\n"


def summary(outdir):
    docs = []
    for f in sorted(glob.glob(os.path.join(outdir, "*.json"))):
        try:
            d = json.load(open(f))
        except ValueError:
            continue
        if "benchmark" in d:
            docs.append(d)
    lines = ["# Footfall benchmark results\n",
             "Written by `bench/run.sh`; one section per benchmark (bench/results/<name>.json has every field).\n"]
    for d in docs:
        lines.append(markdown(d, level=2))
    with open(os.path.join(outdir, "summary.md"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "machine":
        machine(args[0])
    elif cmd == "record":
        append(args[0], kv(args[1:]))
    elif cmd == "wrk":
        wrk(args[0], args[1], kv(args[2:]))
    elif cmd == "pgbench":
        pgbench(args[0], args[1], kv(args[2:]))
    elif cmd == "assemble":
        assemble(*args)
    elif cmd == "summary":
        summary(args[0])
    else:
        sys.exit("unknown command " + cmd)
