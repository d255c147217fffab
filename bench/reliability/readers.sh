#!/bin/sh
# Readers during writes: eight threads search through the library while a
# writer commits (tests/test_threads), ROUNDS times (default 5).
# Usage: bench/reliability/readers.sh BUILD_DIR [ROUNDS]
set -u
# As in make check: libxapian 1.4.22's own check frees an object through
# a base-class pointer of a smaller type, which AddressSanitizer flags.
ASAN_OPTIONS="new_delete_type_mismatch=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export ASAN_OPTIONS
if [ $# -lt 1 ]; then
    echo "usage: $0 BUILD_DIR [ROUNDS]" >&2
    exit 2
fi
build=$1
rounds=${2:-5}
make -C "$build" tests/test_threads >/dev/null || exit 1
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
status=0
r=0
while [ "$r" -lt "$rounds" ]; do
    "$build/tests/test_threads" >>"$out" 2>&1 || status=1
    r=$((r + 1))
done
grep '^# [0-9]* queries' "$out"
awk -v rounds="$rounds" '
/^# [0-9]+ queries/ {
    q += $2; f += $4; c += $6; reopen += $14; retry += $19
}
END {
    printf "figure: readers: %d queries, %d failed, during %d commits " \
        "(%d rounds); %d reopens by the readers, %d reads retried on a " \
        "newer revision\n", q, f, c, rounds, reopen, retry
}' "$out"
exit $status
