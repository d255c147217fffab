#!/bin/sh
# The same warning on many articles is shown five times a kind, then
# counted in one line a kind at the end; --verbose shows every one, and
# --stats counts them all.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

c=$TMP/corpus
mkdir "$c" || exit 99
i=1
while [ $i -le 40 ]; do
    printf '{"id":"d%d","title":"Tide %d","text":"The tide was high.","date":"the %dth of Smarch"}\n' \
        $i $i $i
    i=$((i + 1))
done >"$c/dates.jsonl"
printf '{"id":"x","title":"%s","text":"Gulls."}\n' A B C D >"$c/twice.jsonl"

date_warning() {
    printf "lede-index: warning: %s/dates.jsonl:%d: date 'the %dth of Smarch' not understood; the article is kept without a date\n" \
        "$c" "$1" "$1"
}
twice_warning() {
    printf "lede-index: warning: %s/twice.jsonl:%d: duplicate id 'x' (also at line %d); this article, at line %d, replaces that one\n" \
        "$c" "$1" $(($1 - 1)) "$1"
}

run 0 "$LEDE_INDEX" --stats "$TMP/idx" "$c"
{
    for i in 1 2 3 4 5; do date_warning $i; done
    for i in 2 3 4; do twice_warning $i; done
    echo "lede-index: warning: 35 more warnings of dates not understood, not shown (--verbose shows all)"
} >"$TMP/want"
same "$TMP/err" "$TMP/want"
contains "$TMP/out" "added=41 updated=0 deleted=0 unchanged=0 skipped=0 errors=0 warnings=43 "

# --verbose: every one (and the summary line, not checked here).
rm -rf "$TMP/idx"
run 0 "$LEDE_INDEX" --verbose "$TMP/idx" "$c"
{
    i=1
    while [ $i -le 40 ]; do
        date_warning $i
        i=$((i + 1))
    done
    for i in 2 3 4; do twice_warning $i; done
} >"$TMP/want"
grep -v '^lede-index: 41 added' "$TMP/err" >"$TMP/warnings"
same "$TMP/warnings" "$TMP/want"

# Five of a kind are all shown, with no line of those not shown.
rm -rf "$TMP/idx"
head -n 5 "$c/dates.jsonl" >"$TMP/five" && mv "$TMP/five" "$c/dates.jsonl"
run 0 "$LEDE_INDEX" "$TMP/idx" "$c"
{
    for i in 1 2 3 4 5; do date_warning $i; done
    for i in 2 3 4; do twice_warning $i; done
} >"$TMP/want"
same "$TMP/err" "$TMP/want"
exit 0
