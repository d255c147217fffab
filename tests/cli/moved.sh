#!/bin/sh
# A corpus synced from another path than its index was built from: each
# article's id belongs to the file at the old path, so each is an error;
# five are shown, then one line counts the rest and says that --rebuild
# indexes the corpus from where it is. The next run reports each file,
# unchanged since, with the same cap; --verbose shows every one.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

mkdir "$TMP/a" || exit 99
for i in 1 2 3 4 5 6 7 8; do
    printf 'Story %d\n\nThe tide rose %d feet.\n' $i $i >"$TMP/a/s$i.txt"
done
cp -r "$TMP/a" "$TMP/b" || exit 99
run 0 "$LEDE_INDEX" "$TMP/idx" "$TMP/a"

run 1 "$LEDE_INDEX" --stats "$TMP/idx" "$TMP/b"
{
    for i in 1 2 3 4 5; do
        echo "lede-index: $TMP/b/s$i.txt:1: article 's$i.txt' belongs to another file ($TMP/a/s$i.txt); not indexed from this one"
    done
    echo "lede-index: 3 more articles whose ids other files hold, not shown (--verbose shows all)"
    echo "lede-index: an article's id belongs to the file it was first read from; if the corpus moved, --rebuild indexes it from where it is"
} >"$TMP/want"
sort "$TMP/err" >"$TMP/got"
sort "$TMP/want" >"$TMP/want.sorted"
same "$TMP/got" "$TMP/want.sorted"
contains "$TMP/out" "added=0 updated=0 deleted=0 unchanged=0 skipped=0 errors=8 warnings=0 "

run 1 "$LEDE_INDEX" "$TMP/idx" "$TMP/b"
{
    for i in 1 2 3 4 5; do
        echo "lede-index: $TMP/b/s$i.txt: 1 bad part skipped when the file was read; it is unchanged since"
    done
    echo "lede-index: 3 more files unchanged since bad parts were found in them, not shown (--verbose shows all)"
} >"$TMP/want"
same "$TMP/err" "$TMP/want"

run 1 "$LEDE_INDEX" --verbose "$TMP/idx" "$TMP/b"
[ "$(grep -c 'unchanged since$' "$TMP/err")" = 8 ] ||
    fail "--verbose: not every file shown: $(cat "$TMP/err")"

# --rebuild indexes it from where it is.
run 0 "$LEDE_INDEX" --rebuild "$TMP/idx" "$TMP/b"
run 0 "$LEDE_INDEX" "$TMP/idx" "$TMP/b"
exit 0
