#!/bin/sh
# A file whose name is not UTF-8 gives an article id that is not, which
# the index refuses: the file is named with the byte, and the run exits
# 1; later runs do not read it again while it is unchanged, but say so
# and still exit 1 (its record keeps the refusal), and a change reads it
# again.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

c=$TMP/corpus
idx=$TMP/index
mkdir "$c"
bad=$c/$(printf 'caf\351').txt
printf 'Cafe\n\nA walrus at the cafe.\n' >"$bad"
printf 'Pier\n\nA walrus at the pier.\n' >"$c/pier.txt"
run 1 "$LEDE_INDEX" --stats "$idx" "$c"
same "$TMP/err" /dev/stdin <<ERR
lede-index: $c/caf\\xe9.txt:1: article id has invalid UTF-8 at byte 3
ERR
contains "$TMP/out" "added=1 "
contains "$TMP/out" "errors=1 "
run 1 "$LEDE_INDEX" --stats "$idx" "$c"
same "$TMP/err" /dev/stdin <<ERR
lede-index: $c/caf\xe9.txt: 1 bad part skipped when the file was read; it is unchanged since
ERR
contains "$TMP/out" "errors=1 "
run 0 "$LEDE_SEARCH" --format trec "$idx" walrus
[ "$(cut -d' ' -f3 "$TMP/out")" = pier.txt ] ||
    fail "search: $(cat "$TMP/out")"
# Changed, it is read again and refused again.
sleep 1
printf 'Cafe\n\nTwo walruses at the cafe.\n' >"$bad"
run 1 "$LEDE_INDEX" "$idx" "$c"
contains "$TMP/err" "article id has invalid UTF-8 at byte 3"
