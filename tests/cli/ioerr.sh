#!/bin/sh
# I/O errors: a write, sync or rename fails at eight points of an update
# (strace -e inject); each time the index stays consistent and a rerun
# completes (bench/reliability/ioerr.sh with one point per syscall and
# mode; skipped without strace or ptrace).
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

IOERR_POINTS=1 sh "$LEDE_SRCDIR/bench/reliability/ioerr.sh" \
    >"$TMP/out" 2>&1
status=$?
cat "$TMP/out"
case $status in
0 | 77 | 99) exit $status ;;
*) exit 1 ;;
esac
