#!/bin/sh
# The limits on one search, each an error that names the limit: result
# count, offset, query length and words. Just under each, the search runs.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
run 0 "$LEDE_INDEX" "$idx" "$LEDE_TESTDATA/articles"

run 2 "$LEDE_SEARCH" -n 10001 "$idx" harbour
contains "$TMP/err" "--limit: '10001' is not a number from 0 to 10000"
run 0 "$LEDE_SEARCH" -n 10000 "$idx" harbour

run 2 "$LEDE_SEARCH" --offset 100001 "$idx" harbour
contains "$TMP/err" "--offset: '100001' is not a number from 0 to 100000"
run 1 "$LEDE_SEARCH" --offset 100000 "$idx" harbour
[ -s "$TMP/out" ] && fail "a page past the end printed something"

# 8193 bytes: one space too many; 8192 bytes are searched.
pad=$(head -c 8185 /dev/zero | tr '\0' ' ') || exit 99
run 2 "$LEDE_SEARCH" "$idx" "harbour$pad "
contains "$TMP/err" "query: 8193 bytes is over the limit of 8192"
run 0 "$LEDE_SEARCH" "$idx" "harbour$pad"

# 257 words: one too many; 256 are searched.
words=$(yes harbour | head -n 257 | tr '\n' ' ') || exit 99
run 2 "$LEDE_SEARCH" "$idx" "$words"
contains "$TMP/err" "query: more than 256 words at column"
run 0 "$LEDE_SEARCH" "$idx" "${words#harbour }"
exit 0
