#!/bin/sh
# Time building one corpus as one index and as sets of N shards.
# Usage: bench/scale/build.sh CORPUS N...   e.g. build.sh ~/news 1 2 4
# Run from anywhere; LEDE_BUILD names a configured build directory
# (default: _build beside the sources), TMPDIR where the indexes go (give
# it room: each is removed before the next). Every build is a first run
# (which compacts the index, or each shard), with --jobs equal to the
# number of shards, so each shard has a thread; the first row is the
# ordinary single index (--jobs=1) they are compared with. MB/s is the
# corpus's bytes on disk per second of wall time.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${LEDE_BUILD:-$top/_build}
[ $# -ge 2 ] || {
    echo "usage: $0 CORPUS N..." >&2
    exit 2
}
corpus=$1
shift
index=$build/indexer/lede-index
make -C "$build" -s indexer/lede-index >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lede-scale.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bytes=$(du -sbL "$corpus" | cut -f1)
now() { date +%s.%N; }

# row LABEL ARGS...: build $tmp/index with lede-index ARGS, print a row.
row() {
    label=$1
    shift
    rm -rf "$tmp/index"
    t0=$(now)
    status=0
    "$index" -q "$@" "$tmp/index" "$corpus" || status=$?
    t1=$(now)
    kib=$(du -sk "$tmp/index" | cut -f1)
    awk -v l="$label" -v t0="$t0" -v t1="$t1" -v b="$bytes" -v k="$kib" \
        -v s="$status" 'BEGIN {
            t = t1 - t0
            printf "%-10s %10.2f %10.2f %12.1f %6d\n", l, t, b / t / 1e6,
                k / 1024, s
        }'
}

printf 'corpus: %s (%.1f MB)\n' "$corpus" "$(awk -v b="$bytes" \
    'BEGIN { print b / 1e6 }')"
printf '%-10s %10s %10s %12s %6s\n' build seconds MB/s "index MiB" status
row index --jobs=1
for n in "$@"; do
    row "$n shards" --shards="$n" --jobs="$n"
done
