#!/bin/sh
# What a nightly job's log says and what its index keeps: the --stats line
# carries the exit status, a time and the wait apart, and counts only what
# the index kept; a stopped first build (by one thread or several), or a
# directory made beforehand, still gets a first build's compaction, once;
# a file's bad lines are told every night until it changes; --exclude and
# --include are kept with the index.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

c=$TMP/corpus
mkdir -p "$c/sport" "$c/tech" "$TMP/empty" || exit 99

# stats_of FILE: its --stats line, with the times masked.
stats_of() {
    sed -e 's/ seconds=[0-9]*\.[0-9]* wait_seconds=[0-9]*\.[0-9]* / seconds=S wait_seconds=W /' \
        -e 's/ time=[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z$/ time=T/' "$1"
}
# expect_stats A U D N S E STATUS: the masked line of $TMP/out.
expect_stats() {
    want="added=$1 updated=$2 deleted=$3 unchanged=$4 skipped=$5 errors=$6 warnings=0"
    want="$want seconds=S wait_seconds=W status=$7 time=T"
    got=$(stats_of "$TMP/out")
    [ "$got" = "$want" ] || fail "stats line: '$got', expected '$want'"
}
# field FILE NAME: a field of the --stats line.
field() {
    sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$1"
}
# bytes DIR: the size of an index's tables.
bytes() {
    cat "$1"/*.glass | wc -c
}

# ---- the line of a failed run is not a quiet night's -------------------
printf 'Sport one\n\nThe match ended in a draw.\n' >"$c/sport/1.txt"
run 2 "$LEDE_INDEX" --stats "$TMP/no/such/idx" "$c"
expect_stats 0 0 0 0 0 0 2
run 2 "$LEDE_INDEX" --stats --no-such-option "$TMP/idx" "$c"
expect_stats 0 0 0 0 0 0 2

# ---- a file's problems are told until it changes -----------------------
idx=$TMP/idx
printf '%s\n' '{"id":"j1","title":"Ferry","text":"The ferry sailed."}' \
    '{broken' \
    '{"id":"j2","title":"Fog","text":"Fog closed the harbour."}' \
    >"$c/tech/feed.jsonl"
run 1 "$LEDE_INDEX" --stats "$idx" "$c"
expect_stats 3 0 0 0 0 1 1
contains "$TMP/err" "feed.jsonl:2: malformed JSON"
for _ in 2 3; do
    run 1 "$LEDE_INDEX" --stats "$idx" "$c"
    expect_stats 0 0 0 3 0 1 1
    # (Not piped into same: its fail would end only the pipe's subshell.)
    printf 'lede-index: %s: 1 bad part skipped when the file was read; it is unchanged since\n' \
        "$c/tech/feed.jsonl" >"$TMP/want"
    same "$TMP/err" "$TMP/want"
done
printf '%s\n' '{"id":"j1","title":"Ferry","text":"The ferry sailed."}' \
    '{"id":"j2","title":"Fog","text":"Fog closed the harbour."}' \
    >"$c/tech/feed.jsonl"
run 0 "$LEDE_INDEX" --stats "$idx" "$c"
expect_stats 0 0 0 3 0 0 0
same "$TMP/err" /dev/null

# ---- --exclude and --include, kept with the index ----------------------
printf 'README\n\nThis dataset holds articles; the dataset is for research.\n' \
    >"$c/README.TXT"
printf 'Sport two\n\nA dataset of results.\n' >"$c/sport/2.txt"
printf 'Tech one\n\nThe dataset was leaked.\n' >"$c/tech/1.txt"
run 0 "$LEDE_INDEX" --stats "$idx" "$c"
expect_stats 3 0 0 3 0 0 0
run 0 "$LEDE_SEARCH" -n 1 "$idx" dataset
contains "$TMP/out" "README.TXT #0"
run 0 "$LEDE_INDEX" -v --stats --exclude README.TXT "$idx" "$c"
expect_stats 0 0 1 5 0 0 0
contains "$TMP/err" "lede-index: $c/README.TXT: ignored: excluded by 'README.TXT'"
run 0 "$LEDE_SEARCH" -n 3 "$idx" dataset
[ "$(grep -c '#0' "$TMP/out")" -eq 2 ] || fail "expected 2 dataset matches"
contains "$TMP/out" "sport/2.txt #0"
contains "$TMP/out" "tech/1.txt #0"
# A later run without patterns uses the kept ones.
run 0 "$LEDE_INDEX" --stats "$idx" "$c"
expect_stats 0 0 0 5 0 0 0
# Other patterns replace them: '**' spans directories, a name matches at
# any depth; what they leave out goes as a vanished file does.
run 0 "$LEDE_INDEX" --stats --include 'sport/**' --include '*.jsonl' \
    --exclude '2.*' "$idx" "$c"
expect_stats 0 0 2 3 0 0 0
run 0 "$LEDE_INDEX" --stats "$idx" "$c"
expect_stats 0 0 0 3 0 0 0
# A rebuild keeps them too.
run 0 "$LEDE_INDEX" --rebuild -j 2 --stats "$idx" "$c"
expect_stats 3 0 0 0 0 0 0
run 0 "$LEDE_INDEX" --stats "$idx" "$c"
expect_stats 0 0 0 3 0 0 0
run 0 "$LEDE_INDEX" --stats --no-filters "$idx" "$c"
expect_stats 3 0 0 3 0 0 0
run 2 "$LEDE_INDEX" --stats --exclude 'sport/[0-9' "$idx" "$c"
contains "$TMP/err" "exclude: pattern 'sport/[0-9': '[' at byte 7 is never closed"
expect_stats 0 0 0 0 0 0 2

# ---- waiting is counted apart --------------------------------------------
"$LEDE_TESTBIN/lockhold" "$idx" "$TMP/locked" &
holder=$!
n=0
while [ ! -e "$TMP/locked" ] && [ $n -lt 200 ]; do
    sleep 0.05
    n=$((n + 1))
done
[ -e "$TMP/locked" ] || fail "lockhold did not take the lock"
"$LEDE_INDEX" --wait --stats "$idx" "$c" >"$TMP/waited" 2>&1 &
waiter=$!
# Held for 3 s: however slowly the waiter starts (a loaded machine,
# valgrind), it waits for well over half a second of that.
sleep 3
kill "$holder"
wait "$holder"
wait "$waiter" || fail "the waiting indexer failed"
waited=$(field "$TMP/waited" wait_seconds)
worked=$(field "$TMP/waited" seconds)
awk -v w="$waited" -v s="$worked" 'BEGIN { exit !(w >= 0.5 && s < w) }' ||
    fail "waited $waited s, worked $worked s: the wait is not apart"

# ---- a stopped first build, then the run that fills the index -----------
big=$TMP/big
mkdir "$big" || exit 99
awk 'BEGIN { for (i = 0; i < 12000; i++)
    printf "{\"id\":\"n%d\",\"title\":\"Note %d\",\"text\":\"Note %d says the tide turned at %d, and the boats went out.\"}\n", i, i, i, i % 97 }' \
    >"$big/notes.jsonl"
run 0 "$LEDE_INDEX" -j 2 "$TMP/fresh" "$big"
fresh=$(bytes "$TMP/fresh")
stopped=$TMP/stopped
"$LEDE_INDEX" -j 2 --stats "$stopped" "$big" >"$TMP/out" 2>"$TMP/err" &
pid=$!
n=0
while [ ! -d "$stopped.rebuild.1" ] && [ $n -lt 1000 ]; do
    sleep 0.01
    n=$((n + 1))
done
kill -TERM "$pid"
wait "$pid"
status=$?
[ "$status" -eq 143 ] || fail "the stopped build exited $status"
expect_stats 0 0 0 0 0 0 143
run 0 "$LEDE_INDEX" --stats "$stopped" "$big"
expect_stats 12000 0 0 0 0 0 0
# Built and compacted as a first build: not the twice as large tables of
# one grown by adding.
[ "$(bytes "$stopped")" -le $((fresh + fresh / 10)) ] ||
    fail "after a stopped build: $(bytes "$stopped") bytes, fresh $fresh"

# One thread keeps what a stopped first build committed; the run that
# finishes it still compacts, once.
run 0 "$LEDE_INDEX" -j 1 --batch 200 "$TMP/fresh1" "$big"
fresh1=$(bytes "$TMP/fresh1")
stopped=$TMP/stopped1
"$LEDE_INDEX" -j 1 --batch 200 --stats "$stopped" "$big" >"$TMP/out" \
    2>"$TMP/err" &
pid=$!
n=0
until [ "$("$LEDE_SEARCH" --count "$stopped" tide 2>/dev/null)" -gt 0 ] \
    2>/dev/null || [ $n -ge 1000 ]; do
    sleep 0.01
    n=$((n + 1))
done
kill -TERM "$pid"
wait "$pid"
status=$?
[ "$status" -eq 143 ] || fail "the stopped -j 1 build exited $status"
kept=$(sed -n 's/^added=\([0-9]*\) .*/\1/p' "$TMP/out")
case $kept in
[1-9] | [1-9][0-9] | [1-9][0-9][0-9] | [1-9][0-9][0-9][0-9] | 1[01][0-9][0-9][0-9]) ;;
*) fail "the stopped -j 1 build kept '$kept' articles, not some of 12000" ;;
esac
run 0 "$LEDE_INDEX" --check "$stopped"
run 0 "$LEDE_INDEX" -j 1 --batch 200 --stats "$stopped" "$big"
expect_stats $((12000 - kept)) 0 0 "$kept" 0 0 0
[ "$(bytes "$stopped")" -le $((fresh1 + fresh1 / 10)) ] ||
    fail "after a stopped -j 1 build: $(bytes "$stopped") bytes, fresh $fresh1"
# Compacted, the index is no longer a first build: a quiet night leaves
# it in place (a compaction would swap in another directory).
before=$(ls -di "$stopped")
run 0 "$LEDE_INDEX" -j 1 "$stopped" "$big"
[ "$(ls -di "$stopped")" = "$before" ] ||
    fail "a quiet night after the first build compacted again"

# A directory made beforehand (for its mode) is filled the same way, by
# one thread too, and keeps its mode.
for j in 1 2; do
    mkdir -m 750 "$TMP/made$j" || exit 99
    run 0 "$LEDE_INDEX" -j $j --stats "$TMP/made$j" "$big"
    expect_stats 12000 0 0 0 0 0 0
    [ "$(bytes "$TMP/made$j")" -le $((fresh + fresh / 10)) ] ||
        fail "-j $j in a made directory: $(bytes "$TMP/made$j") bytes, fresh $fresh"
    case $(ls -ld "$TMP/made$j") in
    drwxr-x---*) ;;
    *) fail "the made directory's mode changed: $(ls -ld "$TMP/made$j")" ;;
    esac
done
run 0 "$LEDE_SEARCH" -n 1 "$TMP/made2" '"tide turned"'
exit 0
