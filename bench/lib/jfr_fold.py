#!/usr/bin/env python3
"""Folds the execution samples of a JFR recording into collapsed stacks (one line "frame;frame;... count", the input
of flamegraph.pl / speedscope / https://www.speedscope.app), and prints the top self and total frames.

  jfr_fold.py RECORDING.jfr OUT.folded OUT-top.txt      (uses $JAVA_HOME/bin/jfr)
"""
import collections, os, re, subprocess, sys

jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jfr")
rec, folded_out, top_out = sys.argv[1:4]
text = subprocess.run([jfr, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", rec],
                      capture_output=True, text=True, check=True).stdout
stacks = collections.Counter()
frames, inside, thread = [], False, ""
for line in text.splitlines():
    s = line.strip()
    if s.startswith("sampledThread"):
        thread = s.split("=", 1)[1].strip().strip('"').split('"')[0]
    elif s.startswith("stackTrace = ["):
        inside, frames = True, []
    elif inside and s == "]":
        inside = False
        if frames:
            # Group the Vert.x event loops and worker threads, keep other thread names.
            t = re.sub(r"-\d+$", "", re.sub(r"\s*\(.*\)$", "", thread)) or "thread"
            stacks[";".join([t] + list(reversed(frames)))] += 1
    elif inside and s and s != "...":
        frames.append(re.sub(r"\s+line:.*$", "", s).replace(";", ","))
with open(folded_out, "w") as f:
    for k, v in stacks.most_common():
        f.write("%s %d\n" % (k, v))
total = sum(stacks.values()) or 1
self_c, incl = collections.Counter(), collections.Counter()
for k, v in stacks.items():
    parts = k.split(";")
    self_c[parts[-1]] += v
    for p in set(parts[1:]):
        incl[p] += v
with open(top_out, "w") as f:
    f.write("%d execution samples (JFR, settings=profile)\n\nTop frames by self time:\n" % total)
    for k, v in self_c.most_common(30):
        f.write("%6.1f%%  %s\n" % (100.0 * v / total, k))
    f.write("\nTop frames by total time (the frame and what it calls):\n")
    for k, v in incl.most_common(40):
        f.write("%6.1f%%  %s\n" % (100.0 * v / total, k))
print(open(top_out).read()[:3000])
