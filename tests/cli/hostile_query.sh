#!/bin/sh
# Queries written to hurt: nesting deep enough to overflow a small stack,
# prefixes that would read a whole vocabulary, a time budget, NUL bytes in
# a --queries line, and field names lede does not have. Each is an error
# that names its column (or line), never a crash or a silent other search.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
run 0 "$LEDE_INDEX" "$idx" "$LEDE_TESTDATA/articles"

# 4090 parentheses on a 1 MiB stack: an error at the 65th, not SIGSEGV.
# (Not under valgrind, which needs a larger stack of its own.)
deep=$(awk 'BEGIN { for (i = 0; i < 4090; i++) printf "("; printf "harbour";
    for (i = 0; i < 4090; i++) printf ")" }') || exit 99
if [ -z "${LEDE_VALGRIND_LOGS:-}" ]; then
    # shellcheck disable=SC3045 # dash, bash and busybox sh all have -s
    (ulimit -s 1024 && exec "$LEDE_SEARCH" "$idx" "$deep") \
        >"$TMP/out" 2>"$TMP/err"
    status=$?
    [ "$status" -eq 2 ] || fail "4090 parentheses: exit status $status"
    contains "$TMP/err" \
        "query: more than 64 levels of parentheses at column 65"
fi
run 2 "$LEDE_SEARCH" --parse "$idx" "$deep"
contains "$TMP/err" "query: more than 64 levels of parentheses at column 65"
d64=$(awk 'BEGIN { for (i = 0; i < 64; i++) printf "("; printf "harbour";
    for (i = 0; i < 64; i++) printf ")" }') || exit 99
run 0 "$LEDE_SEARCH" "$idx" "$d64"

# Fields: an unknown one is an error; a colon that makes no field is text.
run 2 "$LEDE_SEARCH" "$idx" 'harbour byline:smith'
contains "$TMP/err" "query: unknown field 'byline:' (this index's fields are \
author, section, source, tag; and title:, date:, dir:, id:; put text with a \
colon in quotes) at column 9"
run 0 "$LEDE_SEARCH" --parse --title-weight 0 "$idx" '10:30 harbour: http://x'
contains "$TMP/out" "(OR (PHRASE 2 10 30) harbour (PHRASE 2 http x))"

# Phrases: ~N at most 100.
run 2 "$LEDE_SEARCH" "$idx" '"harbour ferry"~101'
contains "$TMP/err" "query: '~101' is over the limit of 100 words at column 16"
run 0 "$LEDE_SEARCH" "$idx" '"harbour ferry"~100'

# A NUL byte in a --queries line is refused with its line, not cut at;
# the other lines run.
printf 'harbour\000 NOT harbour\nharbour\n' >"$TMP/q" || exit 99
run 2 "$LEDE_SEARCH" --format trec --queries "$TMP/q" "$idx"
contains "$TMP/err" "$TMP/q:1: query 1: query: a NUL byte at column 8"
[ "$(cut -d' ' -f1 "$TMP/out" | sort -u)" = 2 ] ||
    fail "only line 2's results were expected"
run 2 "$LEDE_SEARCH" --parse --queries "$TMP/q" "$idx"
contains "$TMP/err" "$TMP/q:1: query 1: query: a NUL byte at column 8"

# 20,001 distinct words starting zz (their last letters consonants, which
# no stemmer trims): zzaq...: 10,000, zzbq...: 10,000, and one zzcq.
zz=$TMP/zz
mkdir "$zz" || exit 99
awk 'BEGIN { d = "bcdfghjkmp"
    for (g = 0; g < 3; g++)
        for (i = 0; i < (g < 2 ? 10000 : 1); i++)
            printf "zz%sq%s%s%s%s\n", substr("abc", g + 1, 1),
                substr(d, int(i / 1000) % 10 + 1, 1),
                substr(d, int(i / 100) % 10 + 1, 1),
                substr(d, int(i / 10) % 10 + 1, 1), substr(d, i % 10 + 1, 1)
}' >"$zz/words.txt" || exit 99
zidx=$TMP/zindex
run 0 "$LEDE_INDEX" "$zidx" "$zz"
run 2 "$LEDE_SEARCH" "$zidx" 'zz*'
contains "$TMP/err" "query: 'zz*' matches more than 20000 of the index's \
words; give more letters at column 1"
run 2 "$LEDE_SEARCH" "$zidx" 'zza* zzaq* zzb* zzbq*'
contains "$TMP/err" "query: the query's prefixes match more than 100000 of \
the index's words in all; give fewer or longer prefixes at column 17"
# Written 256 times, a prefix is still read once.
many=$(yes 'zza*' | head -n 256 | tr '\n' ' ') || exit 99
run 0 "$LEDE_SEARCH" --format trec "$zidx" "$many"

# The time budget: reading 90,000 entries of the index takes longer than
# a millisecond on any machine; the search fails rather than answer in
# part. A minute is plenty.
run 2 "$LEDE_SEARCH" --max-time 0.001 "$zidx" 'zza* zzaq* zzb*'
contains "$TMP/err" "lede-search: the search ran over its time budget of 1 ms"
[ -s "$TMP/out" ] && fail "a search over its budget printed results"
run 0 "$LEDE_SEARCH" --max-time 60 --format trec "$zidx" 'zza* zzaq* zzb*'
run 2 "$LEDE_SEARCH" --max-time 0 "$zidx" zzaqbbbb
contains "$TMP/err" "--max-time: '0' is not a number of seconds from 0.001 \
to 86400"
exit 0
