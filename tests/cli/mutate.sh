#!/bin/sh
# `lede-index --check` on an index with bytes flipped in, and truncations
# of, each of its files: the short version of bench/reliability/mutate.sh
# (300 mutations), run only in a build with the sanitizers, where a read
# out of bounds is seen. The seed is fixed, so that every run tries the
# same mutations (among them a term list whose damage crashes Xapian's own
# check: lede must report it, not crash); the campaign script tries new
# ones.
if [ "${LEDE_SANITIZERS:-no}" != yes ]; then
    echo "SKIP: needs a build configured with --enable-sanitizers"
    exit 77
fi
exec sh "$LEDE_SRCDIR/bench/reliability/mutate.sh" 300 1796655587
