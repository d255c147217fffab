#!/bin/sh
# One index against a set of N local shards searched by 1 and by N
# threads at once (lede_search_options.threads), on the same articles and
# queries: what intra-query parallelism gives on this machine.
#
#   bench/perf/threads.sh [--shards=N] DOCS.jsonl QUERIES.tsv
#
# DOCS.jsonl and QUERIES.tsv are what bench/perf/run.sh writes
# (WORK/NAME/docs.jsonl, queries.tsv). Builds one index (lede-index) and
# an N-shard set (lede-index --shards N; default 2), timing each build,
# then runs every query 3 times through bench/perf/lede_query on each
# layout, twice over in turn (one index; the set, 1 thread; the set, N
# threads), and prints per layout the build's wall seconds and, over the
# queries, the p50 and p99 of each query's median after the warm-up pass,
# from the better of the two turns. The lede programs are those of
# $LEDE_BUILD (default _build/).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${LEDE_BUILD:-$here/../../_build}
shards=2
case ${1:-} in
--shards=*)
    shards=${1#--shards=}
    shift
    ;;
esac
[ $# -eq 2 ] || {
    echo "usage: bench/perf/threads.sh [--shards=N] DOCS.jsonl QUERIES.tsv" >&2
    exit 2
}
docs=$1 queries=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/lede-threads.XXXXXX")
trap 'rm -rf "$work"' EXIT

# build SECONDS_FILE lede-index ARG...: time one build.
build() {
    out=$1
    shift
    t0=$(date +%s.%N)
    "$build/indexer/lede-index" "$@" >/dev/null 2>"$work/err" || {
        cat "$work/err" >&2
        exit 1
    }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }' >"$out"
}
build "$work/one.s" "$work/one" "$docs"
build "$work/set.s" --shards "$shards" "$work/set" "$docs"

# lat INDEX SETTING...: "p50 p99" in microseconds.
lat() {
    q=$(wc -l <"$queries")
    "$build/bench/perf/lede_query" "$@" | awk -F'\t' -v q="$q" '
        NR > q { print $1, $2 }' | sort -k1,1 -k2,2g | awk '
        { if ($1 != k) { if (n) out(); k = $1; n = 0 } v[++n] = $2 }
        function out() { print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
        END { if (n) out() }' | sort -g | awk '
        { v[NR] = $1 }
        function p(x,  i) { i = int(x * NR + 0.999999); if (i < 1) i = 1; return v[i] }
        END { printf "%.0f %.0f\n", p(0.5), p(0.99) }'
}
for turn in 1 2; do
    lat "$work/one" "$queries" 3 >>"$work/one.lat"
    lat "$work/set" "$queries" 3 threads=1 >>"$work/set1.lat"
    lat "$work/set" "$queries" 3 "threads=$shards" >>"$work/setn.lat"
    : "$turn"
done
echo "| layout | build s | p50 us | p99 us |"
echo "|---|---|---|---|"
for row in "one index:one:one" "$shards shards, 1 thread:set:set1" \
    "$shards shards, $shards threads:set:setn"; do
    label=${row%%:*}
    rest=${row#*:}
    best=$(sort -n "$work/${rest#*:}.lat" | head -n 1)
    echo "| $label | $(cat "$work/${rest%%:*}.s") | ${best% *} | ${best#* } |"
done
