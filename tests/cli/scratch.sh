#!/bin/sh
# The temporary shards of a build by several threads are never synced to
# disk (only the index merged from them is), and a kill -9 while they are
# being written leaves the old index as it was and, after the next run, no
# temporary directory behind.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

corpus=$TMP/corpus
mkdir "$corpus" || exit 99
awk 'BEGIN { for (i = 0; i < 3000; i++)
    printf "{\"id\":\"n%d\",\"title\":\"Note %d\",\"text\":\"Note %d says the tide turned at %d, and the boats went out.\"}\n", i, i, i, i % 97 }' \
    >"$corpus/notes.jsonl"

# ---- what is synced: strace names the file of every sync ---------------
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true 2>/dev/null; then
    # The programs may be libtool wrappers (shell scripts running the
    # real binary): -f follows them. LeakSanitizer cannot run under
    # ptrace; the sanitizer build checks leaks in the rest of the suite.
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -y -e trace=fsync,fdatasync -o "$TMP/trace" \
        "$LEDE_INDEX" -q -j 2 "$TMP/built" "$corpus" >"$TMP/out" \
        2>"$TMP/err" || fail "the build failed: $(cat "$TMP/err")"
    # Each file of the merged index is synced ...
    grep -q "sync([0-9]*</[^>]*/built.rebuild/postlist.glass>" "$TMP/trace" ||
        fail "the merged index's postlist table was not synced"
    # ... and none of the shards'.
    if grep "sync(" "$TMP/trace" | grep -q "built\.rebuild\.[0-9]"; then
        grep "sync(" "$TMP/trace" | grep "built\.rebuild\.[0-9]" | head -3 >&2
        fail "a temporary shard was synced"
    fi
    run 0 "$LEDE_INDEX" --check "$TMP/built"
else
    echo "SKIP: the syncs are not traced (no strace, or not allowed)" >&2
fi

# ---- kill -9 while the shards are written ------------------------------
idx=$TMP/idx
run 0 "$LEDE_INDEX" -q -j 1 "$idx" "$corpus"
run 0 "$LEDE_SEARCH" --format=trec -n 3 "$idx" boats
cp "$TMP/out" "$TMP/before"
# A rebuild with 20 times the articles takes long enough to be caught.
awk 'BEGIN { for (i = 0; i < 60000; i++)
    printf "{\"id\":\"m%d\",\"title\":\"Memo %d\",\"text\":\"Memo %d says the ferry left at %d, full of sheep.\"}\n", i, i, i, i % 89 }' \
    >"$corpus/memos.jsonl"
"$LEDE_INDEX" -q -j 2 --rebuild "$idx" "$corpus" >/dev/null 2>&1 &
pid=$!
n=0
while [ ! -d "$idx.rebuild.1" ] && [ $n -lt 1000 ]; do
    sleep 0.01
    n=$((n + 1))
done
[ -d "$idx.rebuild.1" ] || fail "the rebuild made no temporary shard"
sleep 0.2
kill -9 "$pid"
wait "$pid" 2>/dev/null
run 0 "$LEDE_INDEX" --check "$idx"
run 0 "$LEDE_SEARCH" --format=trec -n 3 "$idx" boats
cmp -s "$TMP/out" "$TMP/before" || fail "the old index changed"
run 1 "$LEDE_SEARCH" --format=trec "$idx" sheep
# The next run clears what the killed one left, and finishes.
rm "$corpus/memos.jsonl"
run 0 "$LEDE_INDEX" -q -j 2 --rebuild "$idx" "$corpus"
left=$(find "$TMP" -maxdepth 1 -name 'idx.*' | wc -l)
[ "$left" -eq 0 ] || fail "$left temporary directories left: $(ls "$TMP")"
run 0 "$LEDE_INDEX" --check "$idx"
exit 0
