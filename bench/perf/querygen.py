#!/usr/bin/env python3
"""Queries for the performance benchmark, drawn from the corpus.

    querygen.py DOCS.jsonl [COUNT [SEED]] > QUERIES.tsv

Writes COUNT queries (default 1000, seed 1) as QID<TAB>query: a quarter
each of one, two and three words, and of two-word phrases ("w1 w2", two
neighbouring words of an article). Each word is common or rare with even
odds: common words are the 500 with the most documents (left out: the
English stop words, which lede does not search), rare ones are in 2 to 20
documents. The vocabulary is counted over the first 20000 articles. The
sample queries of lede's README come first. Python 3 standard library.
"""

import json
import random
import re
import sys

SAMPLES = ["Singapore summit", "Hanoi summit", "oil prices", "interest rates",
           '"trade deficit"']
STOP = set("a an and are as at be but by for if in into is it no not of on "
           "or such that the their then there these they this to was will "
           "with".split())
WORD = re.compile(r"[a-z]{3,}")


def main():
    if not 2 <= len(sys.argv) <= 4:
        sys.exit("usage: querygen.py DOCS.jsonl [COUNT [SEED]]")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    df, texts = {}, []
    with open(sys.argv[1], encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n == 20000:
                break
            a = json.loads(line)
            words = WORD.findall((a.get("title", "") + " " +
                                  a.get("text", "")).lower())
            texts.append(words)
            for w in set(words):
                df[w] = df.get(w, 0) + 1
    ranked = sorted((w for w in df if w not in STOP),
                    key=lambda w: (-df[w], w))
    common = ranked[:500]
    rare = sorted(w for w in ranked if 2 <= df[w] <= 20) or ranked[-500:]

    def word():
        return rng.choice(common if rng.random() < 0.5 else rare)

    def phrase():
        while True:
            words = rng.choice(texts)
            if len(words) < 2:
                continue
            i = rng.randrange(len(words) - 1)
            if words[i] not in STOP and words[i + 1] not in STOP:
                return '"%s %s"' % (words[i], words[i + 1])

    out = sys.stdout
    for i, q in enumerate(SAMPLES, start=1):
        out.write("s%d\t%s\n" % (i, q))
    for i in range(1, count + 1):
        kind = i % 4
        q = phrase() if kind == 0 else " ".join(word() for _ in range(kind))
        out.write("q%d\t%s\n" % (i, q))


if __name__ == "__main__":
    main()
