#!/usr/bin/env python3
"""Stock Xapian on a converted collection, as a TREC run.

    xapian_ref.py DOCS.jsonl QUERIES.tsv DB_DIR > RUN

What a Xapian user gets by following its documentation: TermGenerator with
the English stemmer over title and text (one field), QueryParser with the
English stemmer (STEM_SOME, default operator OR), BM25Weight with its
defaults (k1 1, k2 0, k3 1, b 0.5, min_normlen 0.5), 1000 hits. Written in
Python with Xapian's own bindings (Debian: python3-xapian) because lede's
only C++ is its shim.
"""

import json
import os
import shutil
import sys

import xapian


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: xapian_ref.py DOCS.jsonl QUERIES.tsv DB_DIR")
    docs, queries, path = sys.argv[1:]
    if os.path.exists(path):
        shutil.rmtree(path)
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
            doc.set_data(a["id"])
            doc.add_boolean_term("Q" + a["id"])
            db.add_document(doc)
    db.commit()

    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("english"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_database(db)
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight())
    out = sys.stdout
    with open(queries, encoding="utf-8") as f:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            try:
                query = qp.parse_query(text)
            except xapian.QueryParserError:
                # What a user sees for a query with stray syntax: parse it
                # again as plain words.
                query = qp.parse_query(text, 0)
            enquire.set_query(query)
            for rank, m in enumerate(enquire.get_mset(0, 1000), start=1):
                out.write("%s Q0 %s %d %.6f xapian\n" %
                          (qid, m.document.get_data().decode("utf-8"), rank,
                           m.weight))


if __name__ == "__main__":
    main()
