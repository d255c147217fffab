#!/bin/sh
# Build lede, index the sample articles in corpus/, and search them.
# Usage: ./quickstart.sh [QUERY...]      (default query: Singapore summit)
set -u
cd "$(dirname "$0")" || exit 1
. ./scripts/setup.sh

ensure_packages || exit 1
build _build || exit 1

index=_quickstart/index
rm -rf "$index"
mkdir -p _quickstart || exit 1
say ""
say "\$ $LEDE_BUILD/indexer/lede-index -v $index corpus"
"$LEDE_BUILD/indexer/lede-index" -v "$index" corpus || exit 1

if [ $# -eq 0 ]; then
    set -- Singapore summit
fi
say ""
say "\$ $LEDE_BUILD/searcher/lede-search -n 3 $index $*"
"$LEDE_BUILD/searcher/lede-search" -n 3 "$index" "$@"
