#!/bin/sh
# Every output form over the edge articles of tests/data/edge: a title
# without a body, a body without a title, neither, one word, a 64-byte
# word, other scripts. Human, JSON (with --explain), TREC and the
# library's getters (tests/getters: text, snippet, highlights, explain)
# must give exactly the recorded output: an empty text is an empty
# string, never bytes from memory. Under ./run-tests.sh --valgrind the
# getters run under memcheck too.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
getters=$LEDE_TESTBIN/getters
if [ -n "${LEDE_VALGRIND_LOGS:-}" ]; then
    getters="sh $LEDE_SRCDIR/tests/valgrind/memcheck.sh tests/getters"
fi
long=abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd

run 0 "$LEDE_INDEX" "$idx" "$LEDE_TESTDATA/edge"

# each FORMAT: every query in that form, one after the other.
each() {
    for q in volcano date:2019-03-01 "$long" вулкан 火山 بركان \
        'title:volcanoes'; do
        printf '== %s\n' "$q"
        case $1 in
        human) "$LEDE_SEARCH" --explain "$idx" "$q" ;;
        json) "$LEDE_SEARCH" --json --explain "$idx" "$q" ;;
        trec) "$LEDE_SEARCH" --format=trec "$idx" "$q" ;;
        getters)
            # shellcheck disable=SC2086 # a command with its arguments
            $getters "$idx" "$q"
            ;;
        esac
        printf 'exit %s\n' "$?"
    done
}

for f in human json trec getters; do
    each $f >"$TMP/$f" 2>"$TMP/err"
    [ ! -s "$TMP/err" ] || {
        cat "$TMP/err" >&2
        fail "$f: unexpected messages"
    }
    same "$TMP/$f" "$CLI_DIR/edge_$f.expected"
done
exit 0
