#!/bin/sh
# `lede-index --check` on an index with bytes flipped in, and truncations
# of, each of its files: the short version of bench/reliability/mutate.sh
# (300 mutations), run only in a build with the sanitizers, where a read
# out of bounds is seen. The seed is printed, so a failure can be replayed
# with the campaign script.
if [ "${LEDE_SANITIZERS:-no}" != yes ]; then
    echo "SKIP: needs a build configured with --enable-sanitizers"
    exit 77
fi
exec sh "$LEDE_SRCDIR/bench/reliability/mutate.sh" 300
