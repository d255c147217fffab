#!/bin/sh
# What a nightly job needs: a second indexer exits at once (75) or waits;
# kill -9 at any moment leaves an index that passes --check and that the
# next run completes; SIGTERM commits what is done and exits 143.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
corpus=$TMP/corpus
mkdir "$corpus" || exit 99

# A corpus of 600 one-paragraph articles in 30 directories.
make_corpus() { # make_corpus WORD: the same files, with WORD in each text
    i=0
    while [ $i -lt 600 ]; do
        d=$corpus/d$((i % 30))
        [ -d "$d" ] || mkdir "$d" || exit 99
        printf 'Article %d\n\nArticle %d tells of the %s and number %d.\n' \
            $i $i "$1" $i >"$d/a$i.txt"
        i=$((i + 1))
    done
}

articles() { # the number of articles the index holds
    "$LEDE_INDEX" -v --no-delete "$idx" "$TMP/empty" 2>&1 |
        sed -n 's/.*the index holds \([0-9]*\) articles.*/\1/p'
}
mkdir "$TMP/empty" || exit 99

make_corpus walrus
run 0 "$LEDE_INDEX" --stats "$idx" "$corpus"
contains "$TMP/out" "added=600 "

# ---- a second writer ----------------------------------------------------
"$LEDE_TESTBIN/lockhold" "$idx" "$TMP/locked" &
holder=$!
n=0
while [ ! -e "$TMP/locked" ] && [ $n -lt 100 ]; do
    sleep 0.05
    n=$((n + 1))
done
[ -e "$TMP/locked" ] || fail "lockhold did not take the lock"
run 75 "$LEDE_INDEX" "$idx" "$corpus"
contains "$TMP/err" "another lede-index holds the index lock"
run 75 "$LEDE_INDEX" --wait=1 "$idx" "$corpus"
# --wait without a limit waits until the holder is gone.
"$LEDE_INDEX" --wait --stats "$idx" "$corpus" >"$TMP/waited" 2>&1 &
waiter=$!
sleep 0.3
kill "$holder"
wait "$holder"
wait "$waiter"
status=$?
[ "$status" -eq 0 ] || fail "the waiting indexer exited $status"
contains "$TMP/waited" "unchanged=600"

# ---- kill -9 at many moments of a reindex ------------------------------
# Every article changes (walrus -> narwhal), a tenth of the files vanish
# and others appear, in batches of 10; the run is killed again and again.
make_corpus narwhal
i=0
while [ $i -lt 60 ]; do
    rm -f "$corpus/d$((i % 30))/a$i.txt"
    printf 'New %d\n\nA new article about the beluga %d.\n' $i $i \
        >"$corpus/d$((i % 30))/new$i.txt"
    i=$((i + 1))
done
for delay in 0.01 0.03 0.05 0.08 0.12 0.17 0.25 0.35; do
    "$LEDE_INDEX" -b 10 "$idx" "$corpus" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    run 0 "$LEDE_INDEX" --check "$idx"
    contains "$TMP/out" "sound"
done
run 0 "$LEDE_INDEX" --stats "$idx" "$corpus"
[ "$(articles)" -eq 600 ] || fail "expected 600 articles, found $(articles)"
run 1 "$LEDE_SEARCH" "$idx" walrus
run 0 "$LEDE_SEARCH" -n 1000 --no-dedup "$idx" narwhal
[ "$(grep -c '^ *d[0-9]*/a[0-9]*\.txt #' "$TMP/out")" -eq 540 ] ||
    fail "expected 540 narwhal articles"
run 0 "$LEDE_SEARCH" -n 1000 --no-dedup "$idx" beluga
[ "$(grep -c '^ *d[0-9]*/new[0-9]*\.txt #' "$TMP/out")" -eq 60 ] ||
    fail "expected 60 beluga articles"

# ---- SIGTERM and SIGINT commit what is done ---------------------------
# make_corpus writes a0..a599 again: with the 60 new files, 660 articles.
make_corpus orca
for sig in TERM INT; do
    "$LEDE_INDEX" -b 10 "$idx" "$corpus" >/dev/null 2>"$TMP/sig.err" &
    pid=$!
    sleep 0.05
    kill -s "$sig" "$pid"
    wait "$pid"
    status=$?
    case $sig:$status in
    TERM:143 | INT:130 | *:0) ;;
    *) fail "after SIG$sig lede-index exited $status" ;;
    esac
    run 0 "$LEDE_INDEX" --check "$idx"
done
run 0 "$LEDE_INDEX" --stats "$idx" "$corpus"
run 1 "$LEDE_SEARCH" "$idx" narwhal
n=$(articles)
[ "$n" -eq 660 ] || fail "expected 660 articles after signals, found $n"
exit 0
