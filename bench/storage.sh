#!/bin/sh
# Compare the two ways of storing passage text on real corpora.
# Usage: bench/storage.sh CORPUS_DIR...   (run from a configured build
# directory, or set LEDE_BUILD to one)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LEDE_BUILD:-$top/_build}
[ $# -gt 0 ] || {
    echo "usage: $0 CORPUS_DIR..." >&2
    exit 2
}
make -C "$build" -s bench/storage indexer/lede-index >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for corpus in "$@"; do
    echo "== $corpus"
    "$build/indexer/lede-index" -q "$tmp/index" "$corpus"
    "$build/bench/storage" "$tmp/index"
    echo "index directory: $(du -sk "$tmp/index" | cut -f1) KiB"
    rm -rf "$tmp/index"
done
