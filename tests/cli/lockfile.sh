#!/bin/sh
# The index's own files against a hostile neighbour: a lock file or table
# replaced by a symbolic link is refused, and the file it points to is left
# alone; a lock file the indexer may not write is reported as that, not as
# a lock someone holds, even with --wait; SIGTERM ends a --wait at once.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
corpus=$TMP/corpus
mkdir "$corpus" || exit 99
printf 'Harbour\n\nThe harbour walrus sleeps.\n' >"$corpus/a.txt"
run 0 "$LEDE_INDEX" "$idx" "$corpus"
[ -e "$idx/flintlock" ] || exit 99

# ---- a symbolic link as the lock file ----------------------------------
printf 'precious\n' >"$TMP/victim"
rm "$idx/flintlock" && ln -s "$TMP/victim" "$idx/flintlock" || exit 99
printf 'More\n\nA second walrus.\n' >"$corpus/b.txt"
run 2 "$LEDE_INDEX" "$idx" "$corpus"
same "$TMP/err" - <<EOF
lede-index: $idx/flintlock: is a symbolic link; lede does not open an index's files through links
EOF
[ "$(cat "$TMP/victim")" = precious ] || fail "the link's target was changed"
run 74 "$LEDE_INDEX" --rebuild -j1 "$idx" "$corpus"
contains "$TMP/err" "$idx/flintlock: is a symbolic link"
[ "$(cat "$TMP/victim")" = precious ] || fail "the link's target was changed"
rm "$idx/flintlock" || exit 99

# ---- a symbolic link as a table: readers refuse it too -------------------
mv "$idx/docdata.glass" "$TMP/docdata.glass" &&
    ln -s "$TMP/docdata.glass" "$idx/docdata.glass" || exit 99
run 2 "$LEDE_SEARCH" "$idx" walrus
contains "$TMP/err" "$idx/docdata.glass: is a symbolic link"
rm "$idx/docdata.glass" && mv "$TMP/docdata.glass" "$idx/docdata.glass" ||
    exit 99
run 0 "$LEDE_INDEX" "$idx" "$corpus"
run 0 "$LEDE_SEARCH" "$idx" walrus

# ---- a lock file the indexer may not write ------------------------------
# Another user's 0600 lock file in an index shared on purpose. Root may
# write any file, so as root the indexer runs as nobody.
as_user=""
if [ "$(id -u)" -eq 0 ]; then
    as_user=$(nobody_prefix "the permission check")
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$as_user" ]; then
    chmod -R a+rwX "$TMP" || exit 99
    # A lock file the indexer may read but not write.
    chmod 0444 "$idx/flintlock" || exit 99
    [ "$(id -u)" -eq 0 ] && chmod 0644 "$idx/flintlock"
    # shellcheck disable=SC2086 # as_user is a command and its options
    run 2 $as_user "$LEDE_INDEX" "$idx" "$corpus"
    same "$TMP/err" - <<EOF
lede-index: $idx/flintlock: Permission denied
EOF
    start=$(date +%s)
    # shellcheck disable=SC2086
    run 2 $as_user "$LEDE_INDEX" --wait=5 "$idx" "$corpus"
    contains "$TMP/err" "$idx/flintlock: Permission denied"
    [ $(($(date +%s) - start)) -lt 4 ] || fail "--wait waited on a permission error"
    # Another user's 0600 lock file: not even readable.
    if [ "$(id -u)" -eq 0 ]; then
        chmod 0600 "$idx/flintlock" || exit 99
        start=$(date +%s)
        # shellcheck disable=SC2086
        run 2 $as_user "$LEDE_INDEX" --wait=5 "$idx" "$corpus"
        contains "$TMP/err" "flintlock: Permission denied"
        [ $(($(date +%s) - start)) -lt 4 ] ||
            fail "--wait waited on a permission error"
    fi
    chmod 0600 "$idx/flintlock" || exit 99
fi

# ---- SIGTERM while waiting for the lock ---------------------------------
"$LEDE_TESTBIN/lockhold" "$idx" "$TMP/locked" &
holder=$!
n=0
while [ ! -e "$TMP/locked" ] && [ $n -lt 100 ]; do
    sleep 0.05
    n=$((n + 1))
done
[ -e "$TMP/locked" ] || fail "lockhold did not take the lock"
"$LEDE_INDEX" --wait "$idx" "$corpus" >"$TMP/out" 2>"$TMP/err" &
waiter=$!
# Under valgrind the program starts slowly: let it reach the wait.
settle=0.5 patience=3
[ -z "${LEDE_VALGRIND_LOGS:-}" ] || settle=5 patience=15
sleep "$settle"
kill -s TERM "$waiter"
# One signal must do: a waiter still there after a while has ignored it.
( sleep "$patience" && kill -9 "$waiter" 2>/dev/null ) &
watchdog=$!
wait "$waiter"
status=$?
kill "$watchdog" 2>/dev/null
wait "$watchdog" 2>/dev/null
kill "$holder"
wait "$holder"
[ "$status" -eq 143 ] || fail "after SIGTERM the waiting lede-index exited $status"
same "$TMP/err" - <<EOF
lede-index: $idx: stopped while waiting for another writer's lock
EOF
run 0 "$LEDE_INDEX" "$idx" "$corpus"
exit 0
