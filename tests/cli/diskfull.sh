#!/bin/sh
# A full disk: at three sizes of a tmpfs, lede-index exits 74 naming the
# index and the cause, the index keeps its last commit whole, and a rerun
# with room completes (bench/reliability/diskfull.sh with 3 sizes; skipped
# unless root can mount a tmpfs).
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

DISKFULL_SIZES=3 sh "$LEDE_SRCDIR/bench/reliability/diskfull.sh" \
    >"$TMP/out" 2>&1
status=$?
cat "$TMP/out"
case $status in
0 | 77 | 99) exit $status ;;
*) exit 1 ;;
esac
