#!/bin/sh
# Readers during rebuilds: a writer rebuilds an index again and again
# (lede_index_rebuild, a new directory swapped in at the path each time),
# in turn from a small and a large corpus, while two threads open the path
# afresh and search it, as lede-search does (tests/test_threads). Every
# search must succeed and find every article. Runs SWAPS rebuilds (default
# 1000), for at most SECONDS (default 600).
# Usage: bench/reliability/swaps.sh BUILD_DIR [SWAPS [SECONDS]]
set -u
ASAN_OPTIONS="new_delete_type_mismatch=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export ASAN_OPTIONS
if [ $# -lt 1 ]; then
    echo "usage: $0 BUILD_DIR [SWAPS [SECONDS]]" >&2
    exit 2
fi
build=$1
LEDE_SWAPS=${2:-1000}
LEDE_SWAP_SECONDS=${3:-600}
export LEDE_SWAPS LEDE_SWAP_SECONDS
make -C "$build" tests/test_threads >/dev/null || exit 1
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
status=0
"$build/tests/test_threads" >"$out" 2>&1 || status=1
grep '^# ' "$out"
awk '/^# [0-9]+ searches/ {
    printf "figure: swaps: %d searches, %d failed, across %d swaps\n", $2, $4, $7
}' "$out"
exit $status
