#!/bin/sh
# The sample corpus and the sample query: the passage about the June 2018
# Singapore summit comes first, above Singapore news and other summits.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
run 0 "$LEDE_INDEX" "$idx" "$LEDE_SRCDIR/corpus"

run 0 "$LEDE_SEARCH" --json "$idx" Singapore summit
first_line "$TMP/out" >"$TMP/first"
contains "$TMP/first" '"rank":1,'
contains "$TMP/first" \
    '"article_id":"diplomacy/2018-06-12-trump-kim-singapore-summit.txt"'
contains "$TMP/first" '"passage":0,'
contains "$TMP/first" 'in the first summit between a sitting American president'
[ "$(wc -l <"$TMP/out")" -eq 10 ] || fail "expected 10 results"
# The distractors are there, below it: ASEAN summits held in Singapore.
contains "$TMP/out" '"article_id":"summits/2018-11-15-asean-33rd-summit-singapore.txt"'

run 0 "$LEDE_SEARCH" "$idx" Singapore summit
first_line "$TMP/out" >"$TMP/first"
contains "$TMP/first" \
    "1. Trump and Kim pledge new relations and denuclearization at Singapore summit"

run 1 "$LEDE_SEARCH" "$idx" qwzxyvkj
exit 0
