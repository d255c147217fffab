#!/usr/bin/env python3
"""How close lede's estimated counts of matching articles come to the truth.

    counts.py LEDE_SEARCH INDEX_DIR QUERIES

Runs each query of QUERIES (one a line, or QID<TAB>query) through
`lede-search --json` (the count it shows with a page of results) and
`lede-search --count` (every match counted), and prints how many counts
were exact, whether each exact one equals the true count, and for the
estimated ones the ratio of estimate to truth (10th, 50th and 90th
percentiles) and the median of |log ratio|.
"""

import json
import math
import subprocess
import sys


def shown(lede, index, q):
    p = subprocess.run([lede, "--json", index, q], capture_output=True,
                       text=True)
    if p.returncode > 1:  # 1: nothing matched
        sys.exit("counts.py: %s --json: %s" % (lede, p.stderr.strip()))
    out = p.stdout
    rows = [line for line in out.splitlines() if line.startswith('{"rank"')]
    if not rows:
        return None
    d = json.loads(rows[-1])
    return d["total"], d["total_exact"]


def true_count(lede, index, q):
    p = subprocess.run([lede, "--count", index, q], capture_output=True,
                       text=True)
    if p.returncode > 1:  # 1: nothing matched
        sys.exit("counts.py: %s --count: %s" % (lede, p.stderr.strip()))
    out = p.stdout.split()
    return int(out[0]) if out else 0


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: counts.py LEDE_SEARCH INDEX_DIR QUERIES")
    lede, index, path = sys.argv[1:]
    exact = wrong = 0
    ratios = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            q = line.rstrip("\n").split("\t")[-1]
            s = shown(lede, index, q)
            if s is None:
                continue
            truth = true_count(lede, index, q)
            if s[1]:
                exact += 1
                wrong += s[0] != truth
            elif truth > 0:
                ratios.append(s[0] / truth)
    ratios.sort()
    logs = sorted(abs(math.log(r)) for r in ratios)
    print("exact counts %d (%d differ from --count)" % (exact, wrong))
    if ratios:
        n = len(ratios)
        print("estimated %d: estimate/true p10 %.2f p50 %.2f p90 %.2f, "
              "median |log ratio| %.3f"
              % (n, ratios[n // 10], ratios[n // 2], ratios[n * 9 // 10],
                 logs[n // 2]))


if __name__ == "__main__":
    main()
