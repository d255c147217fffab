#!/usr/bin/env python3
"""Stock Xapian's driver for the performance benchmark.

    xapian_perf.py index DOCS.jsonl INDEX_DIR
    xapian_perf.py query INDEX_DIR QUERIES.tsv ROUNDS

What a Xapian user gets by following its documentation: one document per
article, TermGenerator with the English stemmer over the title and the
text (positions kept, for phrases), the article stored as the document's
data; queries through QueryParser (English stemmer, STEM_SOME, default
operator OR, phrases in quotes), BM25Weight with its defaults, top 10,
each hit's data read. A query's time is parse, match and reading the ten
documents, measured in-process; it prints QID<TAB>MICROSECONDS<TAB>HITS
per query and round. Written with Xapian's own Python bindings (Debian:
python3-xapian) because lede's only C++ is its shim; the bindings call
the same C++ code a C++ program would.
"""

import json
import sys
import time

import xapian


def index(docs, path):
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    with open(docs, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(a.get("title", ""))
            tg.increase_termpos()
            tg.index_text(a.get("text", ""))
            doc.set_data(line)
            doc.add_boolean_term("Q" + a["id"])
            db.replace_document("Q" + a["id"], doc)
    db.commit()
    db.close()


def query(path, queries, rounds):
    db = xapian.Database(path)
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("english"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_database(db)
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight())
    with open(queries, encoding="utf-8") as f:
        qs = [line.rstrip("\n").split("\t", 1) for line in f if "\t" in line]
    out = sys.stdout
    for _ in range(rounds):
        for qid, text in qs:
            t0 = time.perf_counter_ns()
            enquire.set_query(qp.parse_query(text, qp.FLAG_DEFAULT))
            mset = enquire.get_mset(0, 10)
            hits = 0
            for m in mset:
                m.document.get_data()
                hits += 1
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
