#!/bin/sh
# Peak memory of lede-index for one article of the largest size it
# accepts (16 MiB, LEDE_DEFAULT_MAX_ARTICLE_BYTES), against a corpus of
# one small article: what one indexing thread needs for its biggest input.
# Usage: bench/reliability/articlemem.sh BUILD_DIR [MIB]
#   (or LEDE_INDEX and LEDE_SEARCH set, and MIB as argument)
#   MIB  size of the article (default 16)
# The article is English-like prose of distinct made-up words (about
# 2.6 million words at 16 MiB) in paragraphs of 100 words. Prints
# "figure: articlemem: N MiB article: peak RSS P MB (small article: Q MB)".
# shellcheck source=bench/reliability/lib.sh
. "$(dirname "$0")/lib.sh"

mib=${1:-16}
if [ ! -x /usr/bin/time ]; then
    echo "$0: needs GNU time (/usr/bin/time)" >&2
    exit 2
fi

# article FILE BYTES: a title, then paragraphs of words, just under BYTES.
article() {
    awk -v bytes="$2" 'BEGIN {
        srand(1)
        s = "A very long report\n\n"
        n = length(s)
        printf "%s", s
        while (n < bytes - 1000) {
            p = ""
            for (i = 0; i < 100; i++)
                p = p sprintf("w%x ", int(rand() * 200000))
            p = p "end.\n\n"
            n += length(p)
            printf "%s", p
        }
    }' >"$1"
}

# peak DIR: lede-index's peak resident set, in MB, indexing DIR afresh.
peak() {
    rm -rf "$RTMP/idx"
    /usr/bin/time -f '%M' -o "$RTMP/time" "$LEDE_INDEX" -q -j 1 \
        "$RTMP/idx" "$1" >"$RTMP/out" 2>&1 || {
        cat "$RTMP/out" >&2
        rel_fail "indexing $1 failed"
    }
    awk '{ printf "%.0f", $1 / 1024 }' "$RTMP/time"
}

mkdir -p "$RTMP/big" "$RTMP/small"
article "$RTMP/big/big.txt" $((mib * 1048576))
article "$RTMP/small/small.txt" 4096
small=$(peak "$RTMP/small")
big=$(peak "$RTMP/big")
echo "article: $(wc -c <"$RTMP/big/big.txt") bytes," \
    "$(wc -w <"$RTMP/big/big.txt") words"
echo "figure: articlemem: $mib MiB article: peak RSS $big MB" \
    "(small article: $small MB)"
