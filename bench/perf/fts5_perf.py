#!/usr/bin/env python3
"""SQLite FTS5's driver for the performance benchmark.

    fts5_perf.py index DOCS.jsonl INDEX_DIR
    fts5_perf.py query INDEX_DIR QUERIES.tsv ROUNDS

An FTS5 table (id unindexed, title, text) with the `porter unicode61`
tokenizer in INDEX_DIR/fts.db, filled in one transaction; queries are the
OR of their words (each quoted, so that nothing is read as FTS5 syntax),
or a quoted phrase, ranked by bm25(), top 10 with each hit's id and text
read. Prints QID<TAB>MICROSECONDS<TAB>HITS per query and round. Python 3
standard library (its sqlite3 module, Debian's SQLite).
"""

import json
import os
import re
import sqlite3
import sys
import time


def index(docs, path):
    os.makedirs(path, exist_ok=True)
    db = sqlite3.connect(os.path.join(path, "fts.db"))
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, title, text, "
               "tokenize = 'porter unicode61')")
    with open(docs, encoding="utf-8") as f:
        db.executemany("INSERT INTO d VALUES (?, ?, ?)",
                       ((a["id"], a.get("title", ""), a.get("text", ""))
                        for a in map(json.loads, f)))
    db.commit()
    db.close()


def match(text):
    """FTS5 syntax for a query: a phrase stays one, words are OR-ed."""
    text = text.strip()
    if text.startswith('"') and text.endswith('"') and len(text) > 1:
        words = re.findall(r"\w+", text[1:-1])
        return '"' + " ".join(words) + '"'
    return " OR ".join('"%s"' % w for w in re.findall(r"\w+", text))


def query(path, queries, rounds):
    db = sqlite3.connect(os.path.join(path, "fts.db"))
    with open(queries, encoding="utf-8") as f:
        qs = [line.rstrip("\n").split("\t", 1) for line in f if "\t" in line]
    qs = [(qid, match(text)) for qid, text in qs]
    sql = "SELECT id, text FROM d WHERE d MATCH ? ORDER BY rank LIMIT 10"
    out = sys.stdout
    for _ in range(rounds):
        for qid, m in qs:
            t0 = time.perf_counter_ns()
            hits = len(db.execute(sql, (m,)).fetchall()) if m else 0
            t1 = time.perf_counter_ns()
            out.write("%s\t%.1f\t%d\n" % (qid, (t1 - t0) / 1000, hits))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "index":
        index(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "query":
        query(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__.strip().split("\n\n")[1])


if __name__ == "__main__":
    main()
