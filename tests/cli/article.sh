#!/bin/sh
# An article given back whole (lede-search --article, people's form and
# JSON), and the list of an index's articles (lede-index --list).
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

c=$TMP/corpus
idx=$TMP/index
mkdir -p "$c/world" "$c/sport" || exit 99
printf 'Summit\n\n  The leaders met.\tThen   they talked.\n\n\nThe end.\n\n' \
    >"$c/world/summit.txt"
printf 'Final\n\nA draw.\n' >"$c/sport/final.txt"
printf '%s\n' '{"id":"j1","title":"Wire","text":"Line one.\n\nLine two.","author":["Kim Lee","Ann Roe"],"url":"https://example.org/j1","date":"2019-02-27T10:00:00Z"}' \
    >"$c/feed.jsonl"
run 0 "$LEDE_INDEX" "$idx" "$c"

# People's form: the text as it is, lines and tabs kept.
run 0 "$LEDE_SEARCH" --article world/summit.txt "$idx"
same "$TMP/out" - <<EOF2
Summit
   world/summit.txt
   section: world
   path: world/summit.txt
   source: $c/world/summit.txt
   1 passage


  The leaders met.	Then   they talked.


The end.

EOF2
# JSON: the text byte for byte (the file after its title line).
run 0 "$LEDE_SEARCH" --json --article j1 "$idx"
same "$TMP/out" - <<EOF2
{"article_id":"j1","title":"Wire","date":"2019-02-27T10:00:00Z","url":"https://example.org/j1","fields":{"author":["Kim Lee","Ann Roe"]},"path":"feed.jsonl","source":"$c/feed.jsonl","passages":[[0,20]],"text":"Line one.\n\nLine two."}
EOF2
run 0 "$LEDE_SEARCH" --json --article world/summit.txt "$idx"
python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
raw = open(sys.argv[2]).read()
sys.exit(0 if o["text"] == raw[raw.index("\n") + 1:] else 1)
' "$TMP/out" "$c/world/summit.txt" || fail "the JSON text is not the file's"
run 1 "$LEDE_SEARCH" --article nope "$idx"
contains "$TMP/err" "lede-search: no article 'nope'"
run 2 "$LEDE_SEARCH" --article j1 "$idx" extra words
contains "$TMP/err" "--article takes INDEX_DIR alone"

# The list: id, a tab, the path; under a folder only.
run 0 "$LEDE_INDEX" --list "$idx"
same "$TMP/out" - <<'EOF2'
j1	feed.jsonl
sport/final.txt	sport/final.txt
world/summit.txt	world/summit.txt
EOF2
run 0 "$LEDE_INDEX" --list=world "$idx"
same "$TMP/out" - <<'EOF2'
world/summit.txt	world/summit.txt
EOF2
run 2 "$LEDE_INDEX" --list "$idx" "$c"
contains "$TMP/err" "--list takes one INDEX_DIR"
exit 0
