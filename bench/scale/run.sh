#!/bin/sh
# Scale-out figures: build a corpus as one index and as sets of N shards,
# and time the same queries on each, locally and, for the sets, through
# Xapian's remote backend with one xapian-tcpsrv per shard on 127.0.0.1.
# Usage: bench/scale/run.sh CORPUS QUERIES.tsv N...   e.g. ... 1 2 4
#   CORPUS: what lede-index reads (a directory or a file);
#   QUERIES.tsv: QID<TAB>query lines (bench/perf/querygen.py writes them);
#   N: 1 for one index, more for a set of N shards; in the order given.
# LEDE_BUILD names a configured build directory (default: _build beside
# the sources); TMPDIR where the indexes go (each is removed before the
# next: give it room for one); ROUNDS (default 3) how many times each
# query runs; ONE_JOBS (default "1 2") the --jobs of the one-index
# builds, each a row (queries are timed on the first). Every build is a
# first run; a set of N shards is built with --jobs=N. Each row is also
# printed on stderr as soon as it is measured.
# Latency is lede_search() alone, per query and round (bench/perf's
# lede_query: the best 10 passages with lede's defaults, highlights
# included); p50/p95/p99 over all rounds, QPS one query at a time.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${LEDE_BUILD:-$top/_build}
rounds=${ROUNDS:-3}
[ $# -ge 2 ] || {
    echo "usage: $0 CORPUS QUERIES.tsv N..." >&2
    exit 2
}
corpus=$1
queries=$2
shift 2
make -C "$build" -s indexer/lede-index bench/perf/lede_query >/dev/null
index=$build/indexer/lede-index
query=$build/bench/perf/lede_query
command -v xapian-tcpsrv >/dev/null 2>&1 || {
    echo "$0: xapian-tcpsrv not found (Debian: xapian-tools); remote rows skipped" >&2
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lede-scale.XXXXXX")
servers=
# xapian-tcpsrv answers SIGTERM by signalling its whole process group,
# this script included: servers are stopped with SIGKILL, children first.
stop_servers() {
    for p in $servers; do
        pkill -9 -P "$p" 2>/dev/null || true
        kill -9 "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    servers=
}
cleanup() {
    stop_servers
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

bytes=$(du -sbL "$corpus" | cut -f1)
now() { date +%s.%N; }

# latency LABEL PATH: time the queries on PATH, print a row.
latency() {
    "$query" "$2" "$queries" "$rounds" >"$tmp/times"
    sort -t "$(printf '\t')" -k2,2n "$tmp/times" | awk -F '\t' -v l="$1" '
        { t[NR] = $2; sum += $2 }
        END {
            p50 = t[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1]
            p95 = t[int(NR * 0.95) > 0 ? int(NR * 0.95) : 1]
            p99 = t[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]
            printf "| %s | %.0f | %.0f | %.0f | %.0f |\n", l, p50, p95, p99,
                NR / (sum / 1e6)
        }' >"$tmp/row"
    cat "$tmp/row" >>"$tmp/latency.md"
    cat "$tmp/row" >&2
}

# free_port: a TCP port nothing listens on now (the kernel's pick).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# serve SET: one xapian-tcpsrv per shard of SET; writes $tmp/remote.stub.
serve() {
    : >"$tmp/remote.stub"
    for shard in "$1"/shard-*; do
        port=$(free_port)
        xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" \
            "$shard" >/dev/null 2>&1 &
        servers="$servers $!"
        i=0
        until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
            i=$((i + 1))
            [ $i -lt 100 ] || {
                echo "$0: xapian-tcpsrv on port $port did not start" >&2
                exit 1
            }
            sleep 0.1
        done
        echo "remote 127.0.0.1:$port" >>"$tmp/remote.stub"
    done
}

# build LABEL ARGS...: a first run into $tmp/index, a row of the table.
build() {
    label=$1
    shift
    rm -rf "$tmp/index"
    t0=$(now)
    "$index" -q "$@" "$tmp/index" "$corpus"
    t1=$(now)
    kib=$(du -sk "$tmp/index" | cut -f1)
    awk -v l="$label" -v t0="$t0" -v t1="$t1" -v b="$bytes" -v k="$kib" \
        'BEGIN { t = t1 - t0
            printf "| %s | %.1f | %.2f | %.2f |\n", l, t, b / t / 1e6, k / 1048576 }' \
        >"$tmp/row"
    cat "$tmp/row" >>"$tmp/build.md"
    cat "$tmp/row" >&2
}

printf '| build | seconds | MB/s | index GiB |\n|---|---|---|---|\n' >"$tmp/build.md"
printf '| searched | p50 us | p95 us | p99 us | QPS |\n|---|---|---|---|---|\n' \
    >"$tmp/latency.md"
for n in "$@"; do
    if [ "$n" -eq 1 ]; then
        timed=
        for j in ${ONE_JOBS:-1 2}; do
            build "one index, $j thread$([ "$j" -eq 1 ] || echo s)" --jobs="$j"
            [ -n "$timed" ] || latency "one index" "$tmp/index"
            timed=1
        done
        continue
    fi
    build "$n shards, $n threads" --shards="$n" --jobs="$n"
    latency "$n shards, local" "$tmp/index"
    if command -v xapian-tcpsrv >/dev/null 2>&1; then
        serve "$tmp/index"
        latency "$n shards, remote (127.0.0.1)" "$tmp/remote.stub"
        stop_servers
    fi
done

printf 'corpus: %s (%.1f MB), %s queries x %s rounds, %s\n' "$corpus" \
    "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" \
    "$(wc -l <"$queries")" "$rounds" "$(date -u +%Y-%m-%d)"
echo
cat "$tmp/build.md"
echo
cat "$tmp/latency.md"
