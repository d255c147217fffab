#!/bin/sh
# Where lede's time goes: perf profiles (with call graphs) of a full index
# build and of a query run, summarised as the share of samples under each
# of lede's and Xapian's main entry points.
#
#   bench/perf/profile.sh DOCS.jsonl QUERIES.tsv
#
# DOCS.jsonl and QUERIES.tsv as bench/perf/run.sh writes them (WORK/NAME/).
# Needs perf (Debian: linux-perf) and a build in $LEDE_BUILD (default
# _build/, with `make bench`).
set -eu

[ $# -eq 2 ] || {
    echo "usage: bench/perf/profile.sh DOCS.jsonl QUERIES.tsv" >&2
    exit 2
}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${LEDE_BUILD:-$root/_build}
work=$(mktemp -d "${TMPDIR:-/tmp}/lede-profile.XXXXXX")
trap 'rm -rf "$work"' EXIT
export LD_LIBRARY_PATH="$build/lib/.libs"

# summary DATA FUNCTION...: the share of samples under each function.
summary() {
    data=$1
    shift
    perf report -i "$data" --children --stdio -g none --percent-limit 0.5 \
        2>/dev/null >"$work/report"
    for f in "$@"; do
        awk -v f="$f" '$0 ~ "\\] " f "$" || $0 ~ "\\] " f " " {
            printf "%-40s %s\n", f, $1; exit }' "$work/report"
    done
}

# One thread (-j 1), so that the shares are of one build's work.
echo "## Indexing $(basename "$(dirname "$1")"), one thread (share of samples under each)"
perf record -q -F 500 --call-graph dwarf,16384 -o "$work/index.data" \
    "$build/indexer/.libs/lede-index" -j 1 "$work/idx" "$1" >/dev/null 2>&1
summary "$work/index.data" lede__reader_file lede__tokenizer_run \
    lede__segment lede__analysis_stem lede__xdoc_posting lede__store_encode \
    lede__xdb_add lede_index_commit lede__xdb_commit \
    flush_spellings lede__xdb_compact deflateReset
echo
echo "## Queries (share of samples under each)"
perf record -q -F 2000 --call-graph dwarf,16384 -o "$work/query.data" \
    "$build/bench/perf/.libs/lede_query" "$work/idx" "$2" 3 >/dev/null 2>&1
summary "$work/query.data" lede__query_parse lede__xdb_search \
    Xapian::Enquire::get_mset lede__snippet_find lede__tokenizer_run \
    lede__analysis_stem lede__store_decode inflate
echo
echo "## Query latency with parts of lede's work turned off (us)"
n=$(wc -l <"$2")
for s in "" "nohl" "proximity=0" "title=0" "per_article=0" "nodedup" "ids" \
    "ids proximity=0 title=0 per_article=0 nodedup"; do
    # shellcheck disable=SC2086 # settings split on purpose
    "$build/bench/perf/.libs/lede_query" "$work/idx" "$2" 3 $s |
        awk -F'\t' -v q="$n" 'NR > q { print $2 }' | sort -g |
        awk -v s="${s:-defaults}" '{ v[NR] = $1 }
            END { printf "%-48s p50 %6.0f  p99 %6.0f\n", s,
                  v[int(NR * 0.5 + 0.5)], v[int(NR * 0.99 + 0.5)] }'
done
