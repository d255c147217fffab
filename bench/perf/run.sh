#!/bin/sh
# Indexing speed, index size and query latency of lede, stock Xapian,
# SQLite FTS5 and Sphinx, on the same articles, in one run.
#
#   bench/perf/run.sh [OPTION...] CORPUS...
#
# CORPUS is a corpus directory or file (any format lede-index reads; all
# its files), or synthetic:N for N articles of bench/perf/newsgen. Each is
# exported once to JSON Lines (bench/perf/export), which every system
# indexes; 1000 queries are drawn from it (querygen.py). Then, rounds
# times, each system in turn builds its index afresh (wall time, peak RSS,
# size on disk), and every system runs the queries (top 10, one thread,
# one open index; lede both with its defaults and without highlights),
# then again as two clients at once (two processes, each with the index
# open, each running every query: QPS 2 is all their queries over the
# wall time of both).
# Prints a Markdown table per corpus, then lede's ratio to each peer (above
# 1: lede is better), and appends CSV rows to WORK/results.csv.
#
# Options:
#   --systems=LIST   comma-separated, of lede,xapian,fts5,sphinx (default
#                    all; Sphinx is skipped with a message when absent)
#   --rounds=N       index builds per system (default 3; the median counts)
#   --query-rounds=N passes over the queries (default 3; the first is a
#                    warm-up, then each query's median counts; with 1,
#                    that one pass counts)
#   --queries=N      queries drawn from the corpus (default 1000)
#
# Work files go to $LEDE_PERF_WORK (default $TMPDIR/lede-perf). The lede
# programs are those of $LEDE_BUILD (default _build/; `make bench` there
# builds export, lede_query and newsgen).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${LEDE_BUILD:-$root/_build}
work=${LEDE_PERF_WORK:-${TMPDIR:-/tmp}/lede-perf}
systems=lede,xapian,fts5,sphinx rounds=3 qrounds=3 nqueries=1000

usage() {
    sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case $1 in
    --systems=*) systems=${1#--systems=} ;;
    --rounds=*) rounds=${1#--rounds=} ;;
    --query-rounds=*) qrounds=${1#--query-rounds=} ;;
    --queries=*) nqueries=${1#--queries=} ;;
    -h | --help) usage ;;
    -*)
        echo "run.sh: unknown option $1" >&2
        usage
        ;;
    *) break ;;
    esac
    shift
done
[ $# -ge 1 ] || usage
for p in indexer/lede-index bench/perf/export bench/perf/lede_query; do
    [ -x "$build/$p" ] || {
        echo "run.sh: $build/$p is not built (make && make bench)" >&2
        exit 2
    }
done
mkdir -p "$work"
csv=$work/results.csv
[ -s "$csv" ] || echo "date,corpus,system,articles,text_mb,index_s,mb_per_s,articles_per_s,peak_rss_mb,index_mb,size_ratio,p50_us,p95_us,p99_us,qps,qps_2_clients" >"$csv"

# xapian_python: a Python with Xapian's bindings in $py, or none.
xapian_python() {
    py=python3
    python3 -c 'import xapian' 2>/dev/null || py=/usr/bin/python3
    "$py" -c 'import xapian' 2>/dev/null
}

# cmdline SYSTEM index|query ARG...: the command line of a system's driver
# (its arguments are work paths, which hold no quotes or spaces).
cmdline() {
    s=$1
    shift
    case $s in
    lede)
        if [ "$1" = index ]; then
            echo "$build/indexer/lede-index $3 $2"
        else
            echo "$build/bench/perf/lede_query $2 $3 $4"
        fi
        ;;
    xapian) echo "$py $here/xapian_perf.py $*" ;;
    fts5) echo "python3 $here/fts5_perf.py $*" ;;
    sphinx) echo "python3 $here/sphinx.py $*" ;;
    esac
}

# two_clients SYSTEM [SETTING]: queries per second of two clients at once
# over the system's index, each running every query qrounds times: two
# processes of the query driver (Sphinx: two connections to one searchd).
two_clients() {
    if [ "$1" = sphinx ]; then
        python3 "$here/sphinx.py" clients 2 "$dir/index.sphinx" \
            "$dir/queries.tsv" "$qrounds"
        return
    fi
    c=$(cmdline "$1" query "$dir/index.$1" "$dir/queries.tsv" "$qrounds")
    t0=$(date +%s.%N)
    sh -c "exec $c $2" >/dev/null &
    p1=$!
    sh -c "exec $c $2" >/dev/null &
    p2=$!
    rc=0
    wait "$p1" || rc=$?
    wait "$p2" || rc=$?
    [ "$rc" -eq 0 ] || {
        echo "run.sh: two clients of $1 failed" >&2
        exit 1
    }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" -v q="$(wc -l <"$dir/queries.tsv")" \
        -v r="$qrounds" 'BEGIN { printf "%.0f\n", 2 * q * r / (b - a) }'
}

# median: the median of the numbers on standard input.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

have_xapian=1
xapian_python || have_xapian=0
today=$(date -u +%Y-%m-%d)

for corpus in "$@"; do
    case $corpus in
    synthetic:*)
        n=${corpus#synthetic:}
        name=synthetic-$n
        dir=$work/$name
        mkdir -p "$dir"
        [ -x "$build/bench/perf/newsgen" ] || {
            echo "run.sh: $build/bench/perf/newsgen is not built" \
                "(make bench)" >&2
            exit 2
        }
        [ -s "$dir/docs.jsonl" ] ||
            "$build/bench/perf/newsgen" --articles="$n" "$dir/docs.jsonl"
        ;;
    *)
        [ -e "$corpus" ] || {
            echo "run.sh: $corpus: no such file or directory" >&2
            exit 2
        }
        name=$(basename "$corpus")
        dir=$work/$name
        mkdir -p "$dir"
        if [ ! -s "$dir/docs.jsonl" ]; then
            # Corpus files, not the collection's notes.
            find "$corpus" -type f ! -name 'README*' ! -name '*.md' \
                ! -name '*.dtd' ! -name 'all-*' ! -name 'cat-*' \
                ! -name 'feldman-*' -print | LC_ALL=C sort >"$dir/files"
            tr '\n' '\0' <"$dir/files" |
                xargs -0 "$build/bench/perf/export" --root="$corpus" \
                    >"$dir/docs.jsonl"
        fi
        ;;
    esac
    # Drawn again when --queries asks for another number than last time.
    if [ ! -s "$dir/queries.tsv" ] ||
        [ "$(cat "$dir/queries.n" 2>/dev/null)" != "$nqueries" ]; then
        python3 "$here/querygen.py" "$dir/docs.jsonl" "$nqueries" \
            >"$dir/queries.tsv"
        echo "$nqueries" >"$dir/queries.n"
    fi
    size=$(python3 -c '
import json, sys
n = b = 0
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    n += 1
    b += len(a.get("title", "").encode()) + len(a.get("text", "").encode())
print(n, b)' "$dir/docs.jsonl")
    articles=${size% *} bytes=${size#* }
    mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
    echo "## $name: $articles articles, $mb MB of text"
    echo

    # Which systems run here.
    run_systems=
    for s in $(echo "$systems" | tr ',' ' '); do
        case $s in
        lede | fts5 | sphinx) ;;
        xapian)
            [ "$have_xapian" = 1 ] || {
                echo "run.sh: xapian skipped: no Python xapian module" \
                    "(Debian: python3-xapian)" >&2
                continue
            }
            ;;
        *)
            echo "run.sh: unknown system $s" >&2
            exit 2
            ;;
        esac
        run_systems="$run_systems $s"
    done

    # Indexing: each round builds every system's index afresh, in turn.
    for s in $run_systems; do : >"$dir/index.$s.tsv"; done
    r=1
    while [ "$r" -le "$rounds" ]; do
        for s in $run_systems; do
            idx=$dir/index.$s
            rm -rf "$idx"
            rc=0
            /usr/bin/time -f '%e %M' -o "$dir/time" \
                sh -c "exec $(cmdline "$s" index "$dir/docs.jsonl" "$idx")" \
                >/dev/null 2>"$dir/err" || rc=$?
            if [ "$rc" -eq 77 ]; then
                cat "$dir/err" >&2
                run_systems=$(echo "$run_systems" | sed "s/ $s\$//; s/ $s / /")
                continue
            fi
            [ "$rc" -eq 0 ] || {
                cat "$dir/err" >&2
                echo "run.sh: $s failed to index $name" >&2
                exit 1
            }
            echo "$(tail -n 1 "$dir/time") $(du -sb "$idx" | cut -f1)" \
                >>"$dir/index.$s.tsv"
        done
        r=$((r + 1))
    done

    # Queries: every system in turn, the same queries, qrounds passes;
    # lede twice, with its defaults and without highlights (its texts as
    # the others' drivers read theirs), the second row sharing the index.
    rows=
    for s in $run_systems; do
        sh -c "exec $(cmdline "$s" query "$dir/index.$s" "$dir/queries.tsv" \
            "$qrounds")" >"$dir/lat.$s.tsv"
        two_clients "$s" "" >"$dir/qps2.$s"
        rows="$rows $s"
        if [ "$s" = lede ]; then
            sh -c "exec $(cmdline lede query "$dir/index.lede" \
                "$dir/queries.tsv" "$qrounds") nohl" >"$dir/lat.lede-nohl.tsv"
            two_clients lede nohl >"$dir/qps2.lede-nohl"
            cp "$dir/index.lede.tsv" "$dir/index.lede-nohl.tsv"
            rows="$rows lede-nohl"
        fi
    done

    echo "| system | index s | MB/s | articles/s | peak RSS MB | index MB | index / text | p50 us | p95 us | p99 us | QPS | QPS 2 clients |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    : >"$dir/rows.csv"
    for s in $rows; do
        secs=$(cut -d' ' -f1 "$dir/index.$s.tsv" | median)
        rss=$(cut -d' ' -f2 "$dir/index.$s.tsv" | median)
        isize=$(cut -d' ' -f3 "$dir/index.$s.tsv" | median)
        # Each query's median over the passes after the first, then the
        # percentiles over the queries.
        # (With one pass, that pass counts: there is no warm-up.)
        lat=$(awk -F'\t' -v q="$(wc -l <"$dir/queries.tsv")" \
            -v r="$qrounds" 'r == 1 || NR > q { print $1, $2 }' \
            "$dir/lat.$s.tsv" |
            sort -k1,1 -k2,2g | awk '
            { if ($1 != k) { if (n) out(); k = $1; n = 0 } v[++n] = $2 }
            function out() { print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
            END { if (n) out() }' | sort -g | awk '
            { v[NR] = $1; sum += $1 }
            function p(x,  i) { i = int(x * NR + 0.999999); if (i < 1) i = 1; return v[i] }
            END { printf "%.0f %.0f %.0f %.0f", p(0.5), p(0.95), p(0.99), 1e6 * NR / sum }')
        # shellcheck disable=SC2086 # four numbers, split on purpose
        set -- $lat
        row=$(awk -v s="$s" -v t="$secs" -v rss="$rss" -v i="$isize" \
            -v b="$bytes" -v a="$articles" -v p50="$1" -v p95="$2" \
            -v p99="$3" -v qps="$4" -v qps2="$(cat "$dir/qps2.$s")" 'BEGIN {
            printf "%s,%.2f,%.2f,%.0f,%.0f,%.1f,%.2f,%s,%s,%s,%s,%s", s, t,
                b / 1e6 / t, a / t, rss / 1024, i / 1e6, i / b, p50, p95,
                p99, qps, qps2 }')
        echo "$today,$name,$s,$articles,$mb,${row#*,}" >>"$csv"
        echo "$row" >>"$dir/rows.csv"
        echo "$row" | awk -F, '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
            $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }'
    done
    echo

    # lede against each peer: above 1 is better for lede in every column.
    if grep -q '^lede,' "$dir/rows.csv" && [ "$(wc -l <"$dir/rows.csv")" -gt 2 ]; then
        echo "| lede vs | indexing speed | index size | p50 (defaults) | p99 (defaults) | p50 (no highlights) | p99 (no highlights) |"
        echo "|---|---|---|---|---|---|---|"
        awk -F, '
            { mbs[$1] = $3; size[$1] = $6; p50[$1] = $8; p99[$1] = $10 }
            $1 != "lede" && $1 != "lede-nohl" { peers[++n] = $1 }
            END {
                for (i = 1; i <= n; i++) {
                    p = peers[i]
                    printf "| %s | %.2fx | %.2fx | %.2fx | %.2fx | %.2fx | %.2fx |\n",
                        p, mbs["lede"] / mbs[p], size[p] / size["lede"],
                        p50[p] / p50["lede"], p99[p] / p99["lede"],
                        p50[p] / p50["lede-nohl"], p99[p] / p99["lede-nohl"]
                }
            }' "$dir/rows.csv"
        echo
    fi
done
