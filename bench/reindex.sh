#!/bin/sh
# How much a nightly reindex costs: for each collection, the time of a
# full index, of a rerun with nothing changed, and of a rerun after 1% of
# the files changed.
#
# Usage: bench/reindex.sh DATA_DIR...
#   DATA_DIR  a collection directory. When it holds .sgm files (Reuters-
#             21578) only those are used; otherwise every file lede reads.
# Environment: LEDE_BUILD, a configured and built build directory
# (default: _build, as quickstart.sh makes it); RUNS, reruns to take the
# median of (default 5).
# Prints a Markdown table; times are wall-clock seconds of the whole
# lede-index process, files are copied to a scratch directory first.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LEDE_BUILD:-$top/_build}
runs=${RUNS:-5}
index_bin=$build/indexer/lede-index
[ $# -gt 0 ] || {
    echo "usage: $0 DATA_DIR..." >&2
    exit 2
}
[ -x "$index_bin" ] || {
    echo "$0: build lede first ($index_bin is missing)" >&2
    exit 2
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f\n", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
run_index() { # run_index INDEX CORPUS: seconds, and the --stats line
    t0=$(now)
    "$index_bin" --stats --quiet "$1" "$2" >"$tmp/stats" 2>"$tmp/err" || true
    t1=$(now)
    elapsed "$t0" "$t1"
}

echo "# lede-index reindex benchmark"
echo
echo "lede $("$index_bin" --version | cut -d' ' -f2); $(nproc) cores;" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1);" \
    "$(date -u +%Y-%m-%d)"
echo
echo "| collection | files | articles | MB | full index s | no change s (% of full) | 1% of files changed s | articles updated |"
echo "|---|---|---|---|---|---|---|---|"
for data in "$@"; do
    name=$(basename "$data")
    corpus=$tmp/corpus
    rm -rf "$corpus" "$tmp/index"
    mkdir -p "$corpus"
    if ls "$data"/*.sgm >/dev/null 2>&1; then
        cp "$data"/*.sgm "$corpus"/
    else
        cp -R "$data"/. "$corpus"/
    fi
    files=$(find "$corpus" -type f | wc -l)
    mb=$(find "$corpus" -type f -exec cat {} + | wc -c |
        awk '{ printf "%.1f", $1 / 1e6 }')

    full=$(run_index "$tmp/index" "$corpus")
    articles=$(sed -n 's/.*added=\([0-9]*\).*/\1/p' "$tmp/stats")

    i=0
    while [ $i -lt "$runs" ]; do
        run_index "$tmp/index" "$corpus"
        i=$((i + 1))
    done >"$tmp/nochange"
    nochange=$(median <"$tmp/nochange")

    # Change 1% of the files (at least one): one word in each, so one
    # article per file changes; every 100th file in sorted order.
    find "$corpus" -type f | sort | awk 'NR % 100 == 1' >"$tmp/chosen"
    while read -r f; do
        sed -i '0,/ the / s// thy /' "$f"
    done <"$tmp/chosen"
    changed=$(run_index "$tmp/index" "$corpus")
    updated=$(sed -n 's/.*updated=\([0-9]*\).*/\1/p' "$tmp/stats")

    pct=$(awk -v a="$nochange" -v b="$full" 'BEGIN { print 100 * a / b }')
    printf '| %s | %s | %s | %s | %.2f | %.3f (%.1f%%) | %.2f | %s |\n' \
        "$name" "$files" "$articles" "$mb" "$full" "$nochange" "$pct" \
        "$changed" "$updated"
done
