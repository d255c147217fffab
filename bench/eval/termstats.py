#!/usr/bin/env python3
"""The size of a lede index's vocabulary, as Anserini reports its own.

    termstats.py INDEX_DIR

Prints documents (passages), words (the occurrences of all terms) and
distinct terms, counting only the words of the text: lede's own terms
(article ids, titles, dates) start with an upper-case prefix letter and
are left out. Reads the Xapian database with Xapian's Python bindings
(Debian: python3-xapian).
"""

import sys

import xapian


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: termstats.py INDEX_DIR")
    db = xapian.Database(sys.argv[1])
    words = distinct = 0
    for t in db.allterms():
        if t.term[:1].isupper():
            continue
        distinct += 1
        words += db.get_collection_freq(t.term)
    print("documents %d, words %d, distinct terms %d"
          % (db.get_doccount(), words, distinct))


if __name__ == "__main__":
    main()
