#!/bin/sh
# What lede-search says besides the passages: the number of matching
# articles (not passages; exact with --count), why nothing is shown when
# a page is past the end or the dates cannot match, spelling suggestions
# beside results, and the one form of missing fields and of dates.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

c=$TMP/corpus
idx=$TMP/index
mkdir "$c" || exit 99
# By hand: "tide" is in 6 passages of 3 articles, "reef" in 2 articles.
printf 'One\n\nThe tide rose early.\n\nA second tide came at noon.\n\nThe evening tide flooded the quay.\n' >"$c/a1.txt"
printf 'Two\n\nFishermen watched the tide.\n\nThe tide turned by dusk.\n' >"$c/a2.txt"
printf 'Three\n\nA spring tide is due.\n\nDivers mapped the reef.\n' >"$c/2018-06-12-a3.txt"
printf 'Four\n\nThe reef is bleaching, scientists said.\n' >"$c/a4.txt"
printf '{"id":"j1","title":"Lagoon","text":"The lagoon froze.","date":"1987-03-02T07:43:41Z"}\n' >"$c/j.jsonl"
run 0 "$LEDE_INDEX" --paragraph-passages "$idx" "$c"

# Articles, not passages, whatever --per-article is.
run 0 "$LEDE_SEARCH" -n 2 "$idx" tide
[ "$(tail -n 1 "$TMP/out")" = "1-2 of 3 matching articles" ] ||
    fail "count line: $(tail -n 1 "$TMP/out")"
run 0 "$LEDE_SEARCH" -n 2 --per-article 0 "$idx" tide
[ "$(tail -n 1 "$TMP/out")" = "passages 1-2, of 3 matching articles" ] ||
    fail "count line: $(tail -n 1 "$TMP/out")"
run 0 "$LEDE_SEARCH" "$idx" lagoon
[ "$(tail -n 1 "$TMP/out")" = "1-1 of 1 matching article" ] ||
    fail "count line: $(tail -n 1 "$TMP/out")"
run 0 "$LEDE_SEARCH" --count "$idx" tide reef
[ "$(cat "$TMP/out")" = 4 ] || fail "--count: $(cat "$TMP/out")"
run 1 "$LEDE_SEARCH" --count "$idx" zeppelin
[ "$(cat "$TMP/out")" = 0 ] || fail "--count: $(cat "$TMP/out")"
run 0 "$LEDE_SEARCH" --count --json "$idx" tide
[ "$(cat "$TMP/out")" = '{"total":3,"total_exact":true}' ] ||
    fail "--count --json: $(cat "$TMP/out")"
run 0 "$LEDE_SEARCH" --json --per-article 0 "$idx" tide
[ "$(grep -c '"total":3,"total_exact":true}$' "$TMP/out")" -eq 6 ] ||
    fail "JSON totals: $(cat "$TMP/out")"

# A page past the end, and dates that cannot match: said, not silent.
run 1 "$LEDE_SEARCH" --offset 5 "$idx" tide
[ ! -s "$TMP/out" ] || fail "output past the end"
[ "$(cat "$TMP/err")" = "lede-search: --offset 5 is past the last result (the query matches 3 articles)" ] ||
    fail "offset message: $(cat "$TMP/err")"
# Near-duplicates folded: fewer results than articles, and both told.
mkdir "$c/dup" || exit 99
for n in 1 2; do
    printf 'Walrus

A walrus hauled out on the pier at dawn and slept there until the harbour master arrived with a camera.
' >"$c/dup/w$n.txt"
done
printf 'Walrus again

Another walrus swam past.
' >"$c/dup/w3.txt"
run 0 "$LEDE_INDEX" "$idx" "$c"
run 0 "$LEDE_SEARCH" -n 5 "$idx" walrus
[ "$(tail -n 1 "$TMP/out")" = "1-2 of 3 matching articles" ] ||
    fail "count line: $(tail -n 1 "$TMP/out")"
run 1 "$LEDE_SEARCH" --offset 2 "$idx" walrus
[ "$(cat "$TMP/err")" = "lede-search: --offset 2 is past the last result: 2 results, as 3 matching articles include 1 near-duplicate folded into others" ] ||
    fail "offset message: $(cat "$TMP/err")"
rm -r "$c/dup"
run 0 "$LEDE_INDEX" "$idx" "$c"
run 1 "$LEDE_SEARCH" "$idx" tide date:2020
[ "$(cat "$TMP/err")" = "lede-search: no match: no article is dated in that range: the index's dates run from 1987-03-02 to 2018-06-12" ] ||
    fail "date message: $(cat "$TMP/err")"
run 1 "$LEDE_SEARCH" "$idx" zeppelin
[ ! -s "$TMP/err" ] || fail "a plain no-match is silent, as grep is"
run 0 "$LEDE_INDEX" "$TMP/undated" "$LEDE_TESTDATA/articles"
run 1 "$LEDE_SEARCH" "$TMP/undated" harbour date:2005
[ "$(cat "$TMP/err")" = "lede-search: no match: no article in the index has a date" ] ||
    fail "date message: $(cat "$TMP/err")"

# A search that runs out of matches has seen them all: its count is
# exact, where the estimate of the matcher (past 500 passages) is not.
big=$TMP/big
mkdir "$big" || exit 99
i=0
while [ $i -lt 600 ]; do
    # Words of their own, so that no two are near-duplicates.
    printf 'Note %s\n\nalpha beta k%s m%s p%s r%s t%s v%s x%s z%s\n' "$i" \
        $((i * 3)) $((i * 5)) $((i * 7)) $((i * 11)) $((i * 13)) $((i * 17)) \
        $((i * 19)) $((i * 23)) >"$big/n$i.txt"
    i=$((i + 1))
done
run 0 "$LEDE_INDEX" "$TMP/bigidx" "$big"
run 0 "$LEDE_SEARCH" --json -n 1000 "$TMP/bigidx" alpha beta
[ "$(grep -c '"total":600,"total_exact":true}$' "$TMP/out")" -eq 600 ] ||
    fail "the last page's total: $(tail -n 1 "$TMP/out")"
run 0 "$LEDE_SEARCH" -n 10 --offset 595 "$TMP/bigidx" alpha beta
[ "$(tail -n 1 "$TMP/out")" = "596-600 of 600 matching articles" ] ||
    fail "the last page's count line: $(tail -n 1 "$TMP/out")"

# A misspelt word is corrected even when the others match.
run 0 "$LEDE_SEARCH" "$idx" tidde reef
[ "$(cat "$TMP/err")" = "lede-search: did you mean: tide reef" ] ||
    fail "suggestion: $(cat "$TMP/err")"
run 0 "$LEDE_SEARCH" --json "$idx" tidde reef
[ "$(head -n 1 "$TMP/out")" = '{"suggestion":"tide reef"}' ] ||
    fail "JSON suggestion: $(head -n 1 "$TMP/out")"

# -j is lede-index's --jobs; lede-search's --json has no short form.
run 2 "$LEDE_SEARCH" -j "$idx" tide
# Missing is null, for the url as for the date; JSON dates are whole
# ISO 8601 times, the human output shows the day.
run 0 "$LEDE_SEARCH" --json "$idx" lagoon
contains "$TMP/out" '"date":"1987-03-02T07:43:41Z","url":null,'
run 0 "$LEDE_SEARCH" --json "$idx" spring
contains "$TMP/out" '"date":"2018-06-12T00:00:00Z","url":null,'
run 0 "$LEDE_SEARCH" "$idx" lagoon
contains "$TMP/out" "   1987-03-02  j1 #0"
exit 0
