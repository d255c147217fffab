#!/bin/sh
# Index the fixture articles, search them, change one article and delete
# it, through both programs.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

cp -R "$LEDE_TESTDATA/articles" "$TMP/corpus" || exit 99
idx=$TMP/index

# Not articles: symbolic links (not followed, and named with -v), a hidden
# file, a file of no known format, and anything under a hidden directory.
mkdir "$TMP/outside" "$TMP/corpus/.git" || exit 99
printf 'Linked\n\nPlatypus by link.\n' >"$TMP/outside/linked.txt"
ln -s "$TMP/outside/linked.txt" "$TMP/corpus/link.txt" || exit 99
ln -s "$TMP/outside" "$TMP/corpus/linkdir" || exit 99
printf 'Hidden\n\nPlatypus hidden.\n' >"$TMP/corpus/.hidden.txt"
printf 'Notes\n\nPlatypus notes.\n' >"$TMP/corpus/notes.md"
printf 'Git\n\nPlatypus in git.\n' >"$TMP/corpus/.git/x.txt"

# Passages by paragraph, so that an article has several to replace.
# A link not followed is left out on purpose, as rsync and ripgrep leave
# theirs: ignored, not skipped, so the status is 0 night after night.
run 0 "$LEDE_INDEX" --paragraph-passages --stats -v "$idx" "$TMP/corpus"
contains "$TMP/out" "added=3 updated=0 deleted=0 unchanged=0 skipped=0 errors=0"
not_followed="symbolic link, not followed (--follow-symlinks follows links inside the corpus)"
contains "$TMP/err" "lede-index: $TMP/corpus/link.txt: ignored: $not_followed"
contains "$TMP/err" "lede-index: $TMP/corpus/linkdir: ignored: $not_followed"
contains "$TMP/err" "$TMP/corpus/notes.md: ignored: no known format"
contains "$TMP/err" "the index holds 3 articles in 6 passages"
# Without -v a run says nothing of them.
run 0 "$LEDE_INDEX" "$idx" "$TMP/corpus"
[ ! -s "$TMP/err" ] || fail "links not followed should be ignored quietly"
rm "$TMP/corpus/link.txt" "$TMP/corpus/linkdir"

run 0 "$LEDE_SEARCH" "$idx" harbour channel
same "$TMP/out" "$CLI_DIR/round_trip_harbour.expected"
run 1 "$LEDE_SEARCH" "$idx" platypus

# Re-indexing an unchanged corpus reads nothing and is silent.
run 0 "$LEDE_INDEX" "$idx" "$TMP/corpus"
[ ! -s "$TMP/err" ] || fail "a run without changes should be silent"
run 0 "$LEDE_INDEX" --stats "$idx" "$TMP/corpus"
contains "$TMP/out" "added=0 updated=0 deleted=0 unchanged=3 skipped=0 errors=0"
run 0 "$LEDE_SEARCH" "$idx" harbour channel
same "$TMP/out" "$CLI_DIR/round_trip_harbour.expected"

# Compacting alone changes nothing a search sees and leaves nothing beside
# the index; the next run is incremental as before.
run 0 "$LEDE_INDEX" --compact "$idx"
[ ! -e "$idx.compact" ] || fail "compaction left $idx.compact behind"
run 0 "$LEDE_SEARCH" "$idx" harbour channel
same "$TMP/out" "$CLI_DIR/round_trip_harbour.expected"
run 0 "$LEDE_INDEX" --stats "$idx" "$TMP/corpus"
contains "$TMP/out" "added=0 updated=0 deleted=0 unchanged=3 skipped=0 errors=0"

# A changed article replaces all its passages: its old words no longer
# match, its new ones do.
printf 'Asteroid flies by\n\nA small asteroid flew past the Moon.\n' \
    >"$TMP/corpus/science/comet.txt"
run 0 "$LEDE_INDEX" --stats -v "$idx" "$TMP/corpus"
contains "$TMP/out" "added=0 updated=1 deleted=0 unchanged=2"
contains "$TMP/err" "the index holds 3 articles in 5 passages"
run 1 "$LEDE_SEARCH" "$idx" comet
[ ! -s "$TMP/out" ] || fail "no output expected for a query without matches"
run 0 "$LEDE_SEARCH" "$idx" asteroid
contains "$TMP/out" "1. Asteroid flies by"
contains "$TMP/out" "science/comet.txt #0"

# Deleting it by id removes it.
run 0 "$LEDE_INDEX" -v --delete science/comet.txt "$idx"
contains "$TMP/err" "1 deleted"
contains "$TMP/err" "the index holds 2 articles in 4 passages"
run 1 "$LEDE_SEARCH" "$idx" asteroid
run 1 "$LEDE_INDEX" --delete science/comet.txt "$idx"
contains "$TMP/err" "science/comet.txt: no such article"

# A file that vanishes takes its article with it.
rm "$TMP/corpus/port/ferry.txt"
run 0 "$LEDE_INDEX" --stats "$idx" "$TMP/corpus"
contains "$TMP/out" "deleted=1"
run 1 "$LEDE_SEARCH" "$idx" ferry
run 0 "$LEDE_SEARCH" "$idx" harbour
contains "$TMP/out" "port/harbour.txt"
run 0 "$LEDE_INDEX" --check "$idx"
contains "$TMP/out" "sound"
exit 0
