#!/bin/sh
# lede-search --json: one JSON object per passage and line, with the
# fields and values of the human output.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
# Passages by paragraph: an article has several, for --per-article 0.
run 0 "$LEDE_INDEX" --paragraph-passages "$idx" "$LEDE_TESTDATA/articles"
run 0 "$LEDE_SEARCH" --json --per-article 0 "$idx" harbour channel
same "$TMP/out" "$CLI_DIR/json_harbour.expected"
run 0 "$LEDE_SEARCH" --json -n 1 --offset 1 --per-article 0 "$idx" harbour \
    channel
same "$TMP/out" "$CLI_DIR/json_harbour_page2.expected"
run 1 "$LEDE_SEARCH" --json "$idx" zeppelin
[ ! -s "$TMP/out" ] || fail "no output expected for a query without matches"
exit 0
