#!/usr/bin/env python3
"""Which spelling corrections a lede index would offer for words it holds.

    spelling.py [--sample N] [--show N] [--seed N] INDEX_DIR...

lede offers a correction for a query word the index holds when the word
is rare and a word one edit away (Xapian's spelling data) is at least 20
times as frequent. This asks, for words the index holds in 1-3, 4-10 and
11-50 passages, how often such a neighbour exists: a random sample of
each group (fixed seed), the corrections found, and the first of them to
read, so that one can judge which are typos and which are words of their
own. Frequencies are of the English stem in the text terms, as lede
counts them. Reads the database with Xapian's Python bindings (Debian:
python3-xapian).
"""

import argparse
import random
import sys

try:
    import xapian
except ImportError:
    sys.exit("spelling.py: needs Xapian's Python bindings (Debian: "
             "python3-xapian); run it with the system's python3")

GROUPS = [(1, 3), (4, 10), (11, 50)]
RATIO = 20


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--show", type=int, default=25)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("index", nargs="+")
    a = ap.parse_args()
    stem = xapian.Stem("english")
    for path in a.index:
        db = xapian.Database(path)
        groups = {g: [] for g in GROUPS}
        for t in db.spellings():
            w = t.term.decode()
            if not w.isalpha():
                continue
            tf = db.get_termfreq(stem(w))
            for lo, hi in GROUPS:
                if lo <= tf <= hi:
                    groups[(lo, hi)].append((w, tf))
        print("## %s\n" % path)
        print("| passages holding the word | words | sampled "
              "| correction offered | share |")
        print("|---|---|---|---|---|")
        shown = []
        for (lo, hi), words in groups.items():
            rng = random.Random(a.seed)
            sample = rng.sample(words, min(a.sample, len(words)))
            fired = []
            for w, tf in sample:
                sug = db.get_spelling_suggestion(w, 1).decode()
                if sug and db.get_termfreq(stem(sug)) >= tf * RATIO:
                    fired.append("%s -> %s" % (w, sug))
            print("| %d-%d | %d | %d | %d | %.0f%% |"
                  % (lo, hi, len(words), len(sample), len(fired),
                     100.0 * len(fired) / max(1, len(sample))))
            shown.append(((lo, hi), fired[:a.show]))
        for (lo, hi), fired in shown:
            print("\n%d-%d passages: %s" % (lo, hi, ", ".join(fired)))
        print()


if __name__ == "__main__":
    main()
