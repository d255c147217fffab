#!/bin/sh
# Index the fixture articles, search them, change one article and delete
# it, through both programs.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

cp -R "$LEDE_TESTDATA/articles" "$TMP/corpus" || exit 99
idx=$TMP/index

# Not articles: a symbolic link (never followed), a hidden file, a file
# without the .txt suffix, and anything under a hidden directory.
mkdir "$TMP/outside" "$TMP/corpus/.git" || exit 99
printf 'Linked\n\nPlatypus by link.\n' >"$TMP/outside/linked.txt"
ln -s "$TMP/outside/linked.txt" "$TMP/corpus/link.txt" || exit 99
ln -s "$TMP/outside" "$TMP/corpus/linkdir" || exit 99
printf 'Hidden\n\nPlatypus hidden.\n' >"$TMP/corpus/.hidden.txt"
printf 'Notes\n\nPlatypus notes.\n' >"$TMP/corpus/notes.md"
printf 'Git\n\nPlatypus in git.\n' >"$TMP/corpus/.git/x.txt"

run 0 "$LEDE_INDEX" "$idx" "$TMP/corpus"
contains "$TMP/err" "3 articles indexed"
contains "$TMP/err" "the index holds 3 articles in 6 passages"

run 0 "$LEDE_SEARCH" "$idx" harbour channel
same "$TMP/out" "$CLI_DIR/round_trip_harbour.expected"
run 1 "$LEDE_SEARCH" "$idx" platypus

# Re-indexing an unchanged corpus keeps the same passages.
run 0 "$LEDE_INDEX" "$idx" "$TMP/corpus"
contains "$TMP/err" "the index holds 3 articles in 6 passages"
run 0 "$LEDE_SEARCH" "$idx" harbour channel
same "$TMP/out" "$CLI_DIR/round_trip_harbour.expected"

# A changed article replaces all its passages: its old words no longer
# match, its new ones do.
printf 'Asteroid flies by\n\nA small asteroid flew past the Moon.\n' \
    >"$TMP/corpus/science/comet.txt"
run 0 "$LEDE_INDEX" "$idx" "$TMP/corpus"
contains "$TMP/err" "the index holds 3 articles in 5 passages"
run 1 "$LEDE_SEARCH" "$idx" comet
[ ! -s "$TMP/out" ] || fail "no output expected for a query without matches"
run 0 "$LEDE_SEARCH" "$idx" asteroid
contains "$TMP/out" "1. Asteroid flies by"
contains "$TMP/out" "science/comet.txt  passage 0  bytes 1-37"

# Deleting it removes it.
run 0 "$LEDE_INDEX" --delete science/comet.txt "$idx"
contains "$TMP/err" "1 deleted"
contains "$TMP/err" "the index holds 2 articles in 4 passages"
run 1 "$LEDE_SEARCH" "$idx" asteroid
run 1 "$LEDE_INDEX" --delete science/comet.txt "$idx"
contains "$TMP/err" "science/comet.txt: no such article"

# The other articles still answer.
run 0 "$LEDE_SEARCH" "$idx" ferry
contains "$TMP/out" "port/ferry.txt"
exit 0
