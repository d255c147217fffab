#!/bin/sh
# Out of memory: tests/test_api runs a small session (tokenize, read a
# JSON Lines file, create an index, add, sync a corpus with a gzip file,
# commit, search with explain and snippets, spelling, describe a query,
# delete, check) once to count its allocations, then again once per
# allocation with that allocation failing. Each run must give LEDE_ENOMEM
# (never another error, an abort or a crash) and leave a sound index.
# Run it from a build configured with --enable-sanitizers so that a leak
# or a bad access on any of those paths fails too.
# Then, from a build without sanitizers (which reserve too much address
# space for a cap), bench/reliability/oomcap runs a session under STEPS
# address-space caps, so that allocations fail in Xapian, ICU and the C++
# library too.
# Usage: bench/reliability/oom.sh BUILD_DIR [STEPS]
set -u
# As in make check: libxapian 1.4.22's own check frees an object through
# a base-class pointer of a smaller type, which AddressSanitizer flags.
ASAN_OPTIONS="new_delete_type_mismatch=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export ASAN_OPTIONS
if [ $# -lt 1 ]; then
    echo "usage: $0 BUILD_DIR [STEPS]" >&2
    exit 2
fi
make -C "$1" tests/test_api >/dev/null || exit 1
out=$("$1/tests/test_api" 2>&1)
status=$?
line=$(printf '%s\n' "$out" | grep '^# [0-9]* allocations')
if grep -q -- '-fsanitize=address' "$1/Makefile"; then
    san="under AddressSanitizer and UBSan"
else
    san="without sanitizers"
fi
printf '%s\n' "$out" | grep -E '^(not ok|# [0-9]+ allocations)'
if [ "$status" -ne 0 ] || [ -z "$line" ]; then
    printf '%s\n' "$out" >&2
    echo "figure: oom: FAILED (tests/test_api exited $status, $san)"
    exit 1
fi
echo "$line" | awk -v san="$san" '{
    printf "figure: oom: %d allocations failed one at a time, %d gave " \
        "LEDE_ENOMEM, no abort, crash or other error (%s)\n", $2, $4, san }'

[ "$san" = "without sanitizers" ] || exit 0
make -C "$1" bench/reliability/oomcap >/dev/null || exit 1
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT
out=$("$1/bench/reliability/oomcap" "$scratch" "${2:-200}")
status=$?
printf '%s\n' "$out"
printf '%s\n' "$out" | awk -v status="$status" '/^# [0-9]+ caps/ {
    printf "figure: oom-cap: %d address-space caps: %d runs succeeded, %d " \
        "stopped with LEDE_ENOMEM (each leaving a sound index that the " \
        "next run completes), %d failed otherwise\n", $2, $4, $6, $11 }'
exit "$status"
