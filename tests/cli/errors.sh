#!/bin/sh
# Bad input gets a clear message naming the file or the query position and
# the documented exit status, and the index keeps answering afterwards.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

cp -R "$LEDE_TESTDATA/articles" "$TMP/corpus" || exit 99
idx=$TMP/index
run 0 "$LEDE_INDEX" "$idx" "$TMP/corpus"

still_answers() {
    run 0 "$LEDE_SEARCH" "$idx" comet
    contains "$TMP/out" "science/comet.txt"
}

# ---- lede-search ----------------------------------------------------------
run 2 "$LEDE_SEARCH" "$TMP/missing" comet
contains "$TMP/err" "$TMP/missing: no such index"
run 2 "$LEDE_SEARCH" "$TMP/corpus" comet
contains "$TMP/err" "$TMP/corpus: not a lede index"
run 2 "$LEDE_SEARCH" "$idx" ""
contains "$TMP/err" "query: no words to search for"
run 2 "$LEDE_SEARCH" "$idx" '?!' '...'
contains "$TMP/err" "query: no words to search for"
run 2 "$LEDE_SEARCH" "$idx" "$(printf 'comet \377tail')"
contains "$TMP/err" "query: invalid UTF-8 at byte 6"
run 2 "$LEDE_SEARCH" "$idx"
contains "$TMP/err" "missing QUERY"
run 2 "$LEDE_SEARCH" -n ten "$idx" comet
contains "$TMP/err" "--limit: 'ten' is not a number"
run 2 "$LEDE_SEARCH" --b 2 "$idx" comet
contains "$TMP/err" "b must be between 0 and 1"
# getopt's messages name the program as it is installed, not the path
# of the binary that libtool's wrapper runs in a build tree.
run 2 "$LEDE_SEARCH" --no-such-option "$idx" comet
same "$TMP/err" /dev/stdin <<'ERR'
lede-search: unrecognized option '--no-such-option'
Try 'lede-search --help' for more information.
ERR
run 2 "$LEDE_SEARCH" -n
same "$TMP/err" /dev/stdin <<'ERR'
lede-search: option requires an argument -- 'n'
Try 'lede-search --help' for more information.
ERR
run 2 "$LEDE_INDEX" --jobs
same "$TMP/err" /dev/stdin <<'ERR'
lede-index: option '--jobs' requires an argument
Try 'lede-index --help' for more information.
ERR
still_answers

# ---- lede-index -------------------------------------------------------------
# A file that is not UTF-8 is indexed, with a warning naming the file and
# the first byte that is not; it is read as Windows-1252.
mkdir "$TMP/more" || exit 99
printf 'Latin-1 title\n\nCaf\351 owners protest parking rules.\n' \
    >"$TMP/more/latin1.txt"
run 0 "$LEDE_INDEX" "$idx" "$TMP/more"
contains "$TMP/err" \
    "warning: $TMP/more/latin1.txt:1: not UTF-8 (invalid at byte 18); read as windows-1252"
run 0 "$LEDE_SEARCH" "$idx" parking
contains "$TMP/out" "$(printf 'Caf\303\251 owners protest parking rules.')"
still_answers

# A binary file is refused; the rest of the corpus is indexed (status 1).
printf 'Title\n\nbinary\000data\n' >"$TMP/more/blob.txt"
printf 'Good one\n\nWalrus sighted on the beach.\n' >"$TMP/more/good.txt"
run 1 "$LEDE_INDEX" --stats "$idx" "$TMP/more"
contains "$TMP/err" "$TMP/more/blob.txt: skipped: binary file (NUL bytes)"
contains "$TMP/out" "skipped=1 errors=0"
run 0 "$LEDE_SEARCH" "$idx" walrus
rm "$TMP/more/blob.txt"

# An unreadable file: reported by name, the others indexed (status 1).
# Root reads any file, so as root the indexer runs as nobody.
printf 'Secret\n\nHidden narwhal.\n' >"$TMP/more/secret.txt"
chmod 000 "$TMP/more/secret.txt"
printf 'Visible\n\nA visible narwhal.\n' >"$TMP/more/visible.txt"
as_user=""
if [ "$(id -u)" -eq 0 ]; then
    as_user=$(nobody_prefix "the unreadable-file check")
    if [ -n "$as_user" ]; then
        chmod -R a+rwX "$TMP" || exit 99
        chmod 000 "$TMP/more/secret.txt"
    fi
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$as_user" ]; then
    # shellcheck disable=SC2086 # as_user is a command and its options
    run 1 $as_user "$LEDE_INDEX" "$idx" "$TMP/more"
    contains "$TMP/err" "$TMP/more/secret.txt: skipped: Permission denied"
    run 0 "$LEDE_SEARCH" "$idx" narwhal
    contains "$TMP/out" "visible.txt"
fi
rm -f "$TMP/more/secret.txt"
still_answers

# A missing corpus directory (an unmounted disk?) is an error, and nothing
# is taken for vanished.
run 2 "$LEDE_INDEX" "$idx" "$TMP/corpus" "$TMP/no-such-corpus"
contains "$TMP/err" "$TMP/no-such-corpus: No such file or directory"
still_answers

# Swapped arguments must not turn a corpus into an index.
run 2 "$LEDE_INDEX" "$TMP/corpus" "$idx"
contains "$TMP/err" "$TMP/corpus: directory is not empty and not an index"
[ ! -e "$TMP/corpus/iamglass" ] || fail "an index was created in the corpus"

# Options that contradict the index.
run 2 "$LEDE_INDEX" --lang french "$idx" "$TMP/corpus"
contains "$TMP/err" "the index language is 'english'"
run 2 "$LEDE_INDEX" --lang klingon "$TMP/new-index" "$TMP/corpus"
contains "$TMP/err" "unknown language 'klingon'"
[ ! -e "$TMP/new-index" ] || fail "an index was created for a bad language"
run 2 "$LEDE_INDEX" --batch 0 "$idx" "$TMP/corpus"
contains "$TMP/err" "--batch: '0' is not a number from 1"
run 2 "$LEDE_INDEX" "$idx"
contains "$TMP/err" "missing CORPUS"
still_answers
exit 0
