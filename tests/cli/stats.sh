#!/bin/sh
# --stats prints its line at the end of every run, whatever the mode:
# a compaction of an index or a set (no articles counted: zeros), a
# check, and a failed compaction, each with its exit status.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

corpus=$TMP/corpus
mkdir "$corpus" || exit 99
for i in 1 2 3; do
    printf 'Article %d\n\nThe walrus number %d.\n' $i $i >"$corpus/a$i.txt"
done

# The line with its times masked.
masked() {
    sed 's/seconds=[0-9.]*/seconds=S/g; s/time=[^ ]*$/time=T/' "$TMP/out"
}

# expect STATUS: the line a run counting nothing prints, ending so.
expect() {
    printf 'added=0 updated=0 deleted=0 unchanged=0 skipped=0 errors=0 '
    printf 'warnings=0 seconds=S wait_seconds=S status=%d time=T\n' "$1"
}

check_line() { # check_line STATUS
    masked >"$TMP/got"
    expect "$1" >"$TMP/want"
    same "$TMP/got" "$TMP/want"
}

run 0 "$LEDE_INDEX" -q "$TMP/index" "$corpus"
run 0 "$LEDE_INDEX" --compact --stats "$TMP/index"
check_line 0
run 0 "$LEDE_INDEX" --check --stats "$TMP/index"
contains "$TMP/out" "$TMP/index: sound"
sed 1d "$TMP/out" >"$TMP/line"
mv "$TMP/line" "$TMP/out"
check_line 0

# A set of two shards, merged into one index.
run 0 "$LEDE_INDEX" -q --shards 2 "$TMP/set" "$corpus"
run 0 "$LEDE_INDEX" --compact --stats "$TMP/set"
check_line 0

# No index to compact: it cannot be opened (status 2), and the message
# does not call it complete.
run 2 "$LEDE_INDEX" --compact --stats "$TMP/none"
check_line 2
same "$TMP/err" /dev/stdin <<EOF
lede-index: $TMP/none: no such index
EOF

# A file where the index should be: not called a shard set.
: >"$TMP/file"
run 2 "$LEDE_INDEX" "$TMP/file" "$corpus"
same "$TMP/err" /dev/stdin <<EOF
lede-index: $TMP/file: is a file, not an index (an index is a directory; a stub file listing shards is opened for searching only)
EOF
