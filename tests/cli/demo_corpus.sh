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

# Built by one thread or by three, with shards merged: the same passages
# with the same scores (listed by id, as equal scores may come in another
# order), the same article count, and nothing left beside the index.
run 0 "$LEDE_INDEX" -j 1 -v "$TMP/j1" "$LEDE_SRCDIR/corpus"
contains "$TMP/err" "the index holds 44 articles in 87 passages"
run 0 "$LEDE_INDEX" --jobs=3 -v "$TMP/j3" "$LEDE_SRCDIR/corpus"
contains "$TMP/err" "44 added, 0 updated, 0 deleted"
contains "$TMP/err" "the index holds 44 articles in 87 passages"
[ "$(find "$TMP" -maxdepth 1 -name 'j3.*' | wc -l)" -eq 0 ] ||
    fail "the parallel build left files beside the index"
for q in "Singapore summit" "trade war tariffs" '"North Korea"' climate; do
    for j in j1 j3; do
        run 0 "$LEDE_SEARCH" --format=trec --no-dedup -n 200 "$TMP/$j" "$q"
        awk '{ print $3, $5 }' "$TMP/out" | sort >"$TMP/$j.hits"
    done
    [ -s "$TMP/j1.hits" ] || fail "no hits for $q"
    same "$TMP/j3.hits" "$TMP/j1.hits"
done
run 0 "$LEDE_INDEX" --stats "$TMP/j3" "$LEDE_SRCDIR/corpus"
contains "$TMP/out" "added=0 updated=0 deleted=0 unchanged=44 skipped=0"
run 0 "$LEDE_INDEX" --check "$TMP/j3"
run 2 "$LEDE_INDEX" -j 0 "$TMP/j0" "$LEDE_SRCDIR/corpus"
contains "$TMP/err" "--jobs"
exit 0
