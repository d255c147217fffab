#!/bin/sh
# The effect of each optimisation on indexing: build each named commit of
# this repository in a scratch worktree and time its lede-index on the
# same JSON Lines corpus.
#
#   bench/perf/steps.sh DOCS.jsonl COMMIT...
#
# For each commit prints: commit, the least wall seconds and user seconds
# of five full builds of a new index (the least, because on a shared
# virtual machine the same run varies by up to a third from one try to the
# next, always upwards), its size in MB, and MB/s of text. With STEPS_IR=1
# it counts instead the instructions of one build under valgrind's
# callgrind, which do not vary from run to run: give it a small corpus;
# builds then use one thread (-j 1, where the commit has it; STEPS_JOBS=N
# for N), so that the count is the work of a build. With STEPS_QUERIES=QUERIES.tsv as well, it
# also counts the instructions of lede_search() over those queries (one
# pass, on the index just built; with STEPS_QUERY_INDEX=DIR, on that index
# instead, built once, so that queries are counted on a corpus too large
# to build under callgrind for every commit). DOCS.jsonl and QUERIES.tsv
# are what bench/perf/run.sh writes (WORK/NAME/docs.jsonl, queries.tsv).
set -eu

[ $# -ge 2 ] || {
    echo "usage: bench/perf/steps.sh DOCS.jsonl COMMIT..." >&2
    exit 2
}
docs=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/lede-steps.XXXXXX")
trap 'git -C "$repo" worktree prune; rm -rf "$work"' EXIT
bytes=$(python3 -c '
import json, sys
b = 0
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    b += len(a.get("title", "").encode()) + len(a.get("text", "").encode())
print(b)' "$docs")

if [ "${STEPS_IR:-}" = 1 ]; then
    echo "commit instructions index_mb${STEPS_QUERIES:+ query_instructions}"
else
    echo "commit wall_s user_s index_mb mb_per_s"
fi
for c in "$@"; do
    tree=$work/tree
    rm -rf "$tree"
    git -C "$repo" worktree add -q --detach "$tree" "$c"
    (cd "$tree" && ./autogen.sh && ./configure -q && make -j2) \
        >"$work/build.log" 2>&1 || {
        tail -n 20 "$work/build.log" >&2
        exit 1
    }
    if [ "${STEPS_IR:-}" = 1 ]; then
        rm -rf "$work/idx"
        jobs=
        if "$tree/indexer/lede-index" --help | grep -q -- --jobs; then
            jobs="-j ${STEPS_JOBS:-1}"
        fi
        # shellcheck disable=SC2086 # empty or two words
        (cd "$tree" && ./libtool --mode=execute valgrind --tool=callgrind \
            --callgrind-out-file=/dev/null indexer/lede-index $jobs \
            "$work/idx" "$docs") >/dev/null 2>"$work/vg"
        ir=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/vg")
        mb=$(du -sb "$work/idx" | awk '{ printf "%.1f", $1 / 1e6 }')
        qir=
        if [ -n "${STEPS_QUERIES:-}" ]; then
            (cd "$tree" && make -j2 bench) >"$work/build.log" 2>&1 || {
                tail -n 20 "$work/build.log" >&2
                exit 1
            }
            (cd "$tree" && ./libtool --mode=execute valgrind \
                --tool=callgrind --toggle-collect=lede_search \
                --callgrind-out-file=/dev/null bench/perf/lede_query \
                "${STEPS_QUERY_INDEX:-$work/idx}" "$STEPS_QUERIES" 1) \
                >/dev/null 2>"$work/vg"
            qir=" $(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/vg")"
        fi
        echo "$(git -C "$repo" rev-parse --short "$c") $ir $mb$qir"
        git -C "$repo" worktree remove --force "$tree"
        continue
    fi
    : >"$work/times"
    for _ in 1 2 3 4 5; do
        rm -rf "$work/idx"
        /usr/bin/time -f '%e %U' -a -o "$work/times" \
            "$tree/indexer/lede-index" "$work/idx" "$docs" >/dev/null 2>&1
    done
    mb=$(du -sb "$work/idx" | awk '{ printf "%.1f", $1 / 1e6 }')
    awk -v c="$(git -C "$repo" rev-parse --short "$c")" -v mb="$mb" \
        -v b="$bytes" '
        NR == 1 || $1 < w { w = $1 } NR == 1 || $2 < u { u = $2 }
        END { printf "%s %.2f %.2f %s %.2f\n", c, w, u, mb, b / 1e6 / w }' \
        "$work/times"
    git -C "$repo" worktree remove --force "$tree"
done
