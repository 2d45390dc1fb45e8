#!/usr/bin/env bash
# Same-run comparison with an earlier revision: bench/compare.sh REV [name ...] (names as for bench/run.sh).
#
# Checks REV out beside this checkout (target/bench/baseline/<rev>, a detached git worktree), then for each benchmark
# runs it there and here, one after the other, each on a stack of its own (ports 18380-18385 and database
# footfall_bench_base for the baseline, the usual 18180-18185 and footfall_bench here), so that both are measured on
# the machine as it is in the same hour. Writes bench/results/compare.md: every case both runs have, side by side,
# with the change in throughput and in p99 latency. The two stacks are stopped between benchmarks (only one runs).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
rev="${1:-}"
[[ -n "$rev" ]] || { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
shift
names=("$@")
((${#names[@]})) || names=(ingest count holiday heartbeats warehouse sessions)

commit="$(git -C "$ROOT" rev-parse --short "$rev^{commit}")"
base="$ROOT/target/bench/baseline/$commit"
if [[ ! -d "$base/.git" && ! -f "$base/.git" ]]; then
  echo "==> checking out $commit in ${base#"$ROOT"/}"
  mkdir -p "$(dirname "$base")"
  git -C "$ROOT" worktree add --detach "$base" "$commit" >/dev/null
fi
# The baseline uses this checkout's development keys, so one token works for both.
mkdir -p "$base/.footfall"
[[ -d "$ROOT/.footfall/keys" ]] && rm -rf "$base/.footfall/keys" && cp -r "$ROOT/.footfall/keys" "$base/.footfall/keys"

out="$ROOT/target/bench/compare"
rm -rf "$out"; mkdir -p "$out/base" "$out/head"
for name in "${names[@]}"; do
  echo "==> $name at $commit (baseline)"
  (cd "$base" && BENCH_PORT_BASE=18380 BENCH_DATABASE=footfall_bench_base bench/run.sh "$name") ||
    echo "    baseline $name failed" >&2
  cp "$base/bench/results/$name.json" "$out/base/" 2>/dev/null || true
  echo "==> $name at $(git -C "$ROOT" rev-parse --short HEAD) (this checkout)"
  (cd "$ROOT" && bench/run.sh "$name") || echo "    $name failed" >&2
  cp "$ROOT/bench/results/$name.json" "$out/head/" 2>/dev/null || true
done

python3 - "$out" "$commit" "$(git -C "$ROOT" rev-parse --short HEAD)" "$ROOT/bench/results/compare.md" <<'PY'
import json, os, sys
out, base_rev, head_rev, dest = sys.argv[1:5]
lines = ["# Same-run comparison: %s (baseline) and %s" % (base_rev, head_rev), "",
         "Each benchmark ran at the baseline, then at this revision, one after the other on this machine "
         "(bench/compare.sh). Throughput change: higher is better; p99 change: lower is better.", ""]
for name in sorted(os.listdir(os.path.join(out, "head"))):
    head = json.load(open(os.path.join(out, "head", name)))
    path = os.path.join(out, "base", name)
    if not os.path.exists(path):
        continue
    base = json.load(open(path))
    by_case = {r.get("case"): r for r in base.get("results", [])}
    lines += ["## " + head.get("benchmark", name[:-5]), "",
              "| Case | Throughput, baseline | this | change | p99 ms, baseline | this | change |",
              "|---|---|---|---|---|---|---|"]
    for r in head.get("results", []):
        b = by_case.get(r.get("case"))
        if not b:
            continue
        def tp(x):
            return x.get("throughput", x.get("requests_per_s"))
        def p99(x):
            return (x.get("latency_ms") or {}).get("p99")
        def pct(new, old):
            return "" if new is None or old in (None, 0) else "%+.1f %%" % (100.0 * (new - old) / old)
        def f(x):
            return "" if x is None else ("%.3g" % x if x < 100 else "{:,.0f}".format(x))
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (r.get("case"), f(tp(b)), f(tp(r)), pct(tp(r), tp(b)),
                                                            f(p99(b)), f(p99(r)), pct(p99(r), p99(b))))
    lines.append("")
open(dest, "w").write("\n".join(lines))
print("    comparison: " + os.path.relpath(dest))
PY
