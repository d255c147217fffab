#!/usr/bin/env python3
"""What the news-archive features cost a search, as ratios in one run.

    LEDE_LIBRARY=BUILD/lib/.libs/liblede.so archive.py INDEX QUERIES FACETS [N]

Runs the first N (default 300) queries of QUERIES (one a line, or
QID<TAB>query, as bench/perf/run.sh writes them) through one open index,
in rounds that alternate: plain (lede's defaults, a page of 10), with
FACETS counted (e.g. "section,date:month"), and the related stories of N
articles of the index (`like`, no query). Prints, for each, the median
and 99th percentile of the milliseconds a search took (the best of three
rounds), and the ratio of the medians to the plain search's.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "bindings", "python"))
import lede  # noqa: E402


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))]


def timed(fn, items):
    out = []
    for it in items:
        t0 = time.perf_counter()
        fn(it)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__.strip())
    index, qfile, facets = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) == 5 else 300
    idx = lede.Index(index)
    queries = []
    for line in open(qfile, encoding="utf-8"):
        q = line.rstrip("\n").split("\t")[-1]
        if q.strip():
            queries.append(q)
    queries = queries[:n]
    ids = [a for a, _p, _s in idx.articles()]
    step = max(1, len(ids) // n)
    ids = ids[::step][:n]

    def plain(q):
        try:
            idx.search(q)
        except lede.Error:
            pass

    def faceted(q):
        try:
            idx.search(q, facets=facets)
        except lede.Error:
            pass

    def like(a):
        try:
            idx.search("", like=a)
        except lede.Error:
            pass

    best = {}
    for _ in range(3):
        for name, fn, items in (("plain", plain, queries),
                                ("facets", faceted, queries),
                                ("like", like, ids)):
            ms = timed(fn, items)
            p50, p99 = pct(ms, 0.5), pct(ms, 0.99)
            if name not in best or p50 < best[name][0]:
                best[name] = (p50, p99, len(items))
    base = best["plain"][0]
    print("| search | p50 ms | p99 ms | p50 / plain | searches |")
    print("|---|---|---|---|---|")
    labels = {"plain": "plain (defaults)",
              "facets": "with facets %s" % facets,
              "like": "related stories (like)"}
    for name in ("plain", "facets", "like"):
        p50, p99, k = best[name]
        print("| %s | %.3f | %.3f | %.2f | %d |"
              % (labels[name], p50, p99, p50 / base, k))


if __name__ == "__main__":
    main()
