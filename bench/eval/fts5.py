#!/usr/bin/env python3
"""Stock SQLite FTS5 on a converted collection, as a TREC run.

    fts5.py DOCS.jsonl QUERIES.tsv > RUN

An FTS5 table (title, text) with the porter tokenizer over unicode61, both
columns weighted alike; each query is the OR of its words, ranked by
FTS5's bm25() (k1 1.2, b 0.75, built in), 1000 hits. Words are quoted, so
that nothing in a query is read as FTS5 syntax. Python 3 standard library
(its sqlite3 module, which Debian builds with FTS5).
"""

import json
import re
import sqlite3
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fts5.py DOCS.jsonl QUERIES.tsv")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, title, text, "
               "tokenize = 'porter unicode61')")
    with open(sys.argv[1], encoding="utf-8") as f:
        db.executemany("INSERT INTO d VALUES (?, ?, ?)",
                       ((a["id"], a.get("title", ""), a.get("text", ""))
                        for a in map(json.loads, f)))
    out = sys.stdout
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            words = re.findall(r"\w+", text)
            if not words:
                continue
            match = " OR ".join('"%s"' % w for w in words)
            rows = db.execute("SELECT id, bm25(d) FROM d WHERE d MATCH ? "
                              "ORDER BY bm25(d) LIMIT 1000", (match,))
            for rank, (doc, score) in enumerate(rows, start=1):
                # bm25() is lower for better matches.
                out.write("%s Q0 %s %d %.6f fts5\n" % (qid, doc, rank, -score))


if __name__ == "__main__":
    main()
