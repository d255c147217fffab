#!/bin/sh
# Shard sets: one corpus indexed as 1, 2 and 4 shards gives the same top
# 100 passages and scores, with the shards local or served by real
# xapian-tcpsrv processes; snippets, explanations and grouping work across
# shards; a dead or stopped shard server gives a clear error within the
# timeout, or with --allow-partial the live shards' results.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

if ! command -v xapian-tcpsrv >/dev/null 2>&1; then
    echo "xapian-tcpsrv not found (Debian: xapian-tools): skipped" >&2
    exit 77
fi

# Every server started is killed on exit, whatever happened.
SERVERS=""
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    for p in $SERVERS; do
        kill -9 "$p" 2>/dev/null
        command -v pkill >/dev/null && pkill -9 -P "$p" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

# start_server DB: serve DB on a free port of 127.0.0.1; sets PORT and PID.
start_server() {
    tries=0
    while [ "$tries" -lt 20 ]; do
        tries=$((tries + 1))
        port=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000))
        log=$TMP/server.$port.log
        xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$1" >"$log" 2>&1 &
        PID=$!
        SERVERS="$SERVERS $PID"
        waited=0
        while [ "$waited" -lt 100 ]; do
            if grep -q Listening "$log"; then
                PORT=$port
                return 0
            fi
            kill -0 "$PID" 2>/dev/null || break
            sleep 0.05
            waited=$((waited + 1))
        done
        kill -9 "$PID" 2>/dev/null # the port was taken, or it hung
    done
    fail "cannot start xapian-tcpsrv"
}

now_ms() {
    echo $(($(date +%s%N) / 1000000))
}
# Time bounds below allow for the program's own start; under valgrind
# that takes seconds.
slack=0
[ -z "${LEDE_VALGRIND_LOGS:-}" ] || slack=30000

# A corpus of varied text: 400 articles of made-up words, drawn so that
# some are common and most are rare, in paragraphs of sentences.
mkdir "$TMP/corpus" || exit 99
awk 'BEGIN {
    seed = 12345
    split("ka lo min tes ar vel qu si dor an pe rum il ost bra ne fi gal", syl)
    for (w = 1; w <= 600; w++) {
        word = ""
        n = 2 + w % 3
        for (k = 0; k < n; k++) {
            seed = seed * 16807 % 2147483647
            word = word syl[1 + int(seed / 4096) % 18]
        }
        vocab[w] = word
    }
    for (a = 1; a <= 400; a++) {
        title = ""
        seed = seed * 16807 % 2147483647
        nt = 2 + int(seed / 4096) % 5
        for (k = 0; k < nt; k++) title = title (k ? " " : "") pick()
        body = ""
        seed = seed * 16807 % 2147483647
        np = 1 + int(seed / 4096) % 4
        for (p = 0; p < np; p++) {
            seed = seed * 16807 % 2147483647
            ns = 1 + int(seed / 4096) % 6
            for (s = 0; s < ns; s++) {
                seed = seed * 16807 % 2147483647
                nw = 4 + int(seed / 4096) % 14
                sent = ""
                for (k = 0; k < nw; k++) sent = sent (k ? " " : "") pick()
                body = body toupper(substr(sent, 1, 1)) substr(sent, 2) ". "
            }
            body = body "\\n\\n"
        }
        printf "{\"id\":\"a%04d\",\"title\":\"%s\",\"text\":\"%s\"}\n", a, title, body
    }
}
function pick(r) {
    seed = seed * 16807 % 2147483647
    r = seed / 2147483647
    return vocab[1 + int(600 * r * r * r)]
}' >"$TMP/corpus/all.jsonl" || exit 99
[ "$(wc -l <"$TMP/corpus/all.jsonl")" -eq 400 ] || fail "corpus not made"

# The corpus as one index, and as sets of 2 and 4 shards. Which shard an
# article goes to does not change the results; here article k goes to
# shard k mod N.
run 0 "$LEDE_INDEX" "$TMP/one" "$TMP/corpus/all.jsonl"
for n in 2 4; do
    mkdir "$TMP/set$n" || exit 99
    : >"$TMP/set$n/XAPIANDB"
    s=0
    while [ "$s" -lt "$n" ]; do
        mkdir "$TMP/in$n-$s" || exit 99
        awk -v n="$n" -v s="$s" '(NR - 1) % n == s' "$TMP/corpus/all.jsonl" \
            >"$TMP/in$n-$s/part.jsonl"
        run 0 "$LEDE_INDEX" "$TMP/set$n/shard-00$s" "$TMP/in$n-$s"
        echo "auto shard-00$s" >>"$TMP/set$n/XAPIANDB"
        s=$((s + 1))
    done
done
# A stub given directly, with a comment, a blank line and absolute paths.
{
    echo "# the four shards"
    echo
    for s in 0 1 2 3; do echo "auto $TMP/set4/shard-00$s"; done
} >"$TMP/local4.stub"

# The same shards served by xapian-tcpsrv.
for n in 2 4; do
    : >"$TMP/remote$n"
    s=0
    while [ "$s" -lt "$n" ]; do
        start_server "$TMP/set$n/shard-00$s"
        echo "remote 127.0.0.1:$PORT" >>"$TMP/remote$n"
        s=$((s + 1))
    done
done

# Query words: frequent, middling and rare words of the corpus.
words=$(tr -c 'a-z\n' '\n' <"$TMP/corpus/all.jsonl" | grep -E '^[a-z]{4,}$' |
    grep -vE '^(title|text)$' | sort | uniq -c | sort -k1,1nr -k2 |
    awk 'NR % 7 == 1 { print $2 }' | head -40)
# shellcheck disable=SC2086 # one word each
set -- $words
[ $# -ge 40 ] || fail "too few words for queries: $#"
queries=$TMP/queries
{
    echo "$1"
    echo "$2 $3"
    echo "$4 $5 $6"
    echo "\"$7 $8\""
    echo "$9 ${10} ${11} ${12}"
    echo "+${13} ${14}"
    echo "${15} -${16}"
    echo "title:${17} ${18}"
    echo "${19} AND ${20}"
    echo "(${21} OR ${22}) ${23}"
    echo "${24}"
    echo "${25} ${26}"
    echo "\"${27} ${28}\"~3 ${29}"
    echo "${30} ${31} ${32} ${33} ${34}"
    echo "${35}"
    echo "${36} ${37}"
    echo "${38} ${1} ${2}"
    echo "${39} ${40}"
    echo "${3} ${1}"
    echo "${5} ${38}"
} >"$queries"
[ "$(wc -l <"$queries")" -eq 20 ] || exit 99

# top100 INDEX OUT [OPTIONS]: each query's top 100 as "qid id passage score",
# equal scores in id order (their order otherwise follows document numbers,
# which differ between layouts).
top100() {
    t_ix=$1
    t_out=$2
    shift 2
    "$LEDE_SEARCH" --json -n 100 "$@" --queries="$queries" "$t_ix" \
        >"$t_out.json" 2>"$t_out.err"
    st=$?
    [ "$st" -le 1 ] || {
        cat "$t_out.err" >&2
        fail "lede-search $* $t_ix: exit status $st"
    }
    if grep -q missing_shards "$t_out.json"; then
        fail "$t_ix: shards missing in a complete set"
    fi
    sed -n 's/^{"rank":[0-9]*,"score":\([^,]*\),"article_id":"\([^"]*\)",.*"passage":\([0-9]*\),.*"qid":"\([0-9]*\)".*/\4 \2 \3 \1/p' \
        "$t_out.json" | awk '{ printf "%s %.7f %s %s %s\n", $1, $4, $2, $3, $4 }' |
        sort -k1,1n -k2,2gr -k3,3 -k4,4n | awk '{ print $1, $3, $4, $5 }' >"$t_out"
    [ "$(wc -l <"$t_out")" -eq "$(grep -c '^{"rank"' "$t_out.json")" ] ||
        fail "$t_ix: lines of lede-search --json not understood"
}

# same_top A B: the same passages in the same order, scores within 1e-9.
same_top() {
    [ "$(wc -l <"$1")" -eq "$(wc -l <"$2")" ] ||
        fail "$1 and $2: $(wc -l <"$1") and $(wc -l <"$2") results"
    paste -d ' ' "$1" "$2" | awk -v a="$1" -v b="$2" '
        {
            d = $4 - $8
            if ($1 != $5 || $2 != $6 || $3 != $7 || d > 1e-9 || d < -1e-9) {
                printf "FAIL: %s and %s differ at line %d: %s\n", a, b, NR, $0 > "/dev/stderr"
                exit 1
            }
        }' || exit 1
}

top100 "$TMP/one" "$TMP/t1"
[ "$(wc -l <"$TMP/t1")" -ge 900 ] || fail "too few results: $(wc -l <"$TMP/t1")"
for ix in set2 set4 local4.stub remote2 remote4; do
    top100 "$TMP/$ix" "$TMP/t-$ix"
    same_top "$TMP/t1" "$TMP/t-$ix"
done
# Every passage of every article, and near-duplicates kept.
top100 "$TMP/one" "$TMP/p1" --per-article=0 --no-dedup
for ix in set4 remote2 remote4; do
    top100 "$TMP/$ix" "$TMP/p-$ix" --per-article=0 --no-dedup
    same_top "$TMP/p1" "$TMP/p-$ix"
done

# Snippets, highlights, explanations and grouping: the same text. The
# last line's estimate comes from the first articles in document order,
# which differs between a set and one index; exact counts are the same.
for q in "$4 $5 $6" "title:${17} ${18}" "$1 $2"; do
    run 0 "$LEDE_SEARCH" --explain --per-article=2 -n 20 "$TMP/one" "$q"
    sed '$d' "$TMP/out" >"$TMP/h1"
    run 0 "$LEDE_SEARCH" --count "$TMP/one" "$q"
    mv "$TMP/out" "$TMP/c1"
    for ix in set2 remote4; do
        run 0 "$LEDE_SEARCH" --explain --per-article=2 -n 20 "$TMP/$ix" "$q"
        sed '$d' "$TMP/out" >"$TMP/h2"
        same "$TMP/h2" "$TMP/h1"
        run 0 "$LEDE_SEARCH" --count "$TMP/$ix" "$q"
        same "$TMP/out" "$TMP/c1"
    done
done
contains "$TMP/h1" "tf "
contains "$TMP/h1" "title:"

# Lucene's weighting runs on local shards, not remote ones.
run 0 "$LEDE_SEARCH" --weight=lucene "$TMP/one" "$1 $2"
mv "$TMP/out" "$TMP/l1"
run 0 "$LEDE_SEARCH" --weight=lucene "$TMP/set4" "$1 $2"
same "$TMP/out" "$TMP/l1"
run 2 "$LEDE_SEARCH" --weight=lucene "$TMP/remote2" "$1 $2"
contains "$TMP/err" "Lucene weighting cannot run on remote shards"

# lede-index syncs only the sets it made (a directory of shard-000, ...
# with their articles placed by id): a stub file of remote shards, or a
# directory of others, is refused and left as it was.
cp "$TMP/remote2" "$TMP/remote2.before"
run 2 "$LEDE_INDEX" "$TMP/remote2" "$TMP/corpus/all.jsonl"
contains "$TMP/err" "a shard set is opened for searching only"
same "$TMP/remote2" "$TMP/remote2.before"
mkdir "$TMP/other"
printf 'auto %s\n' "$TMP/set2/shard-000" >"$TMP/other/XAPIANDB"
run 2 "$LEDE_INDEX" "$TMP/other" "$TMP/corpus/all.jsonl"
contains "$TMP/err" "a shard set is opened for searching only"
# Shards whose settings differ are refused, naming them.
run 0 "$LEDE_INDEX" --lang=french "$TMP/french" "$TMP/in2-0"
printf 'auto %s\nauto %s\n' "$TMP/set2/shard-000" "$TMP/french" >"$TMP/mixed"
run 2 "$LEDE_SEARCH" "$TMP/mixed" "$1"
contains "$TMP/err" "lede:language is 'english' and 'french'"
printf 'auto %s\nmystery thing\n' "$TMP/set2/shard-000" >"$TMP/bad"
run 2 "$LEDE_SEARCH" "$TMP/bad" "$1"
contains "$TMP/err" "bad:2: 'mystery thing' is not a shard lede can open"

# A dead server: an error naming the shard, at once.
start_server "$TMP/set2/shard-000"
live=$PORT
start_server "$TMP/set2/shard-001"
dead=$PORT
kill -9 "$PID"
wait "$PID" 2>/dev/null
printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$live" "$dead" \
    >"$TMP/dead"
t0=$(now_ms)
run 2 "$LEDE_SEARCH" --timeout=2 "$TMP/dead" "$1 $2"
t1=$(now_ms)
contains "$TMP/err" "dead:2: shard 'remote 127.0.0.1:$dead'"
contains "$TMP/err" "remote timeout 2 s"
[ $((t1 - t0)) -lt $((4000 + slack)) ] || fail "a dead shard took $((t1 - t0)) ms"
# With --allow-partial: the live shard's results, as if it were alone.
run 0 "$LEDE_SEARCH" --timeout=2 --allow-partial -n 100 "$TMP/dead" "$1 $2"
contains "$TMP/err" "warning: shard 'remote 127.0.0.1:$dead' is missing"
run 0 "$LEDE_SEARCH" --allow-partial --json -n 100 --qid=7 "$TMP/dead" "$1 $2"
first_line "$TMP/out" >"$TMP/m"
echo "{\"missing_shards\":[\"remote 127.0.0.1:$dead\"],\"qid\":\"7\"}" |
    same "$TMP/m" /dev/stdin
sed 1d "$TMP/out" | sed 's/,"qid":"7"//' >"$TMP/partial"
run 0 "$LEDE_SEARCH" --json -n 100 "$TMP/set2/shard-000" "$1 $2"
same "$TMP/partial" "$TMP/out"
"$LEDE_TESTBIN/jsoncheck" <"$TMP/out" >/dev/null || fail "jsoncheck"
"$LEDE_SEARCH" --allow-partial --json "$TMP/dead" "$1 $2" 2>/dev/null |
    "$LEDE_TESTBIN/jsoncheck" >/dev/null || fail "jsoncheck with missing_shards"

# A stopped server (it accepts, and never answers): a timeout, not a hang.
start_server "$TMP/set2/shard-001"
stopped=$PORT
kill -STOP "$PID"
printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$live" "$stopped" \
    >"$TMP/stopped"
t0=$(now_ms)
run 2 "$LEDE_SEARCH" --timeout=1 "$TMP/stopped" "$1 $2"
t1=$(now_ms)
contains "$TMP/err" "stopped:2: shard 'remote 127.0.0.1:$stopped'"
contains "$TMP/err" "Timeout"
[ $((t1 - t0)) -lt $((3000 + slack)) ] || fail "a stopped shard took $((t1 - t0)) ms"
t0=$(now_ms)
run 0 "$LEDE_SEARCH" --timeout=1 --allow-partial --json -n 100 \
    "$TMP/stopped" "$1 $2"
t1=$(now_ms)
[ $((t1 - t0)) -lt $((3000 + slack)) ] || fail "a stopped shard took $((t1 - t0)) ms"
first_line "$TMP/out" >"$TMP/m"
echo "{\"missing_shards\":[\"remote 127.0.0.1:$stopped\"]}" |
    same "$TMP/m" /dev/stdin
sed 1d "$TMP/out" >"$TMP/partial"
run 0 "$LEDE_SEARCH" --json -n 100 "$TMP/set2/shard-000" "$1 $2"
same "$TMP/partial" "$TMP/out"

# A server lost after the set was opened, during a search: with
# --allow-partial, the search is run again without it. lede-search opens
# the set, then waits for the queries from a FIFO while the server and
# its connection are killed.
for partial in no yes; do
    start_server "$TMP/set2/shard-001"
    lost=$PORT
    printf 'auto %s\nremote 127.0.0.1:%s\n' "$TMP/set2/shard-000" "$lost" \
        >"$TMP/lost"
    rm -f "$TMP/fifo"
    mkfifo "$TMP/fifo" || exit 99
    if [ "$partial" = yes ]; then
        opt=--allow-partial
    else
        opt=--timeout=2
    fi
    "$LEDE_SEARCH" "$opt" --json -n 100 --queries="$TMP/fifo" "$TMP/lost" \
        >"$TMP/lost.out" 2>"$TMP/lost.err" &
    searcher=$!
    waited=0
    until grep -q "Connection from" "$TMP/server.$lost.log"; do
        [ "$waited" -lt 100 ] || fail "lede-search did not connect"
        sleep 0.05
        waited=$((waited + 1))
    done
    sleep 1 # the set is open; lede-search waits for the FIFO
    pkill -9 -P "$PID"
    kill -9 "$PID"
    printf '5\t%s\n' "$1 $2" >"$TMP/fifo"
    wait "$searcher"
    st=$?
    if [ "$partial" = no ]; then
        [ "$st" -eq 2 ] || fail "a lost shard: exit status $st, not 2"
        contains "$TMP/lost.err" "lost:2: shard 'remote 127.0.0.1:$lost'"
        continue
    fi
    [ "$st" -eq 0 ] || fail "a lost shard, --allow-partial: exit status $st: $(cat "$TMP/lost.err")"
    first_line "$TMP/lost.out" >"$TMP/m"
    echo "{\"missing_shards\":[\"remote 127.0.0.1:$lost\"],\"qid\":\"5\"}" |
        same "$TMP/m" /dev/stdin
    sed 1d "$TMP/lost.out" | sed 's/,"qid":"5"//' >"$TMP/partial"
    run 0 "$LEDE_SEARCH" --json -n 100 "$TMP/set2/shard-000" "$1 $2"
    same "$TMP/partial" "$TMP/out"
done
exit 0
