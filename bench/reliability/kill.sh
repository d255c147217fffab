#!/bin/sh
# kill -9 of lede-index at random moments of a reindex that changes,
# adds and deletes articles, then SIGTERM and SIGINT the same way.
# Usage: bench/reliability/kill.sh BUILD_DIR [ROUNDS [SEED]]
#   (or LEDE_INDEX and LEDE_SEARCH set, and ROUNDS, SEED as arguments)
#
# Each round starts from the same index of the old corpus, reindexes the
# new corpus (commits every 10 changed articles) and kills it after a
# random delay within the length of an uninterrupted run. After the kill,
# `lede-index --check` must pass and every article must be wholly its old
# or wholly its new version (rel_judge); that round "survived". Then a
# rerun must exit 0 and leave exactly the new corpus; it "recovered".
# ROUNDS (default 50) kills, then ROUNDS/5 each of SIGTERM and SIGINT,
# which must exit 143 or 130 (or 0 if the run had finished) with the
# index in the same state as the one --stats reports.
# shellcheck source=bench/reliability/lib.sh
. "$(dirname "$0")/lib.sh"

rounds=${1:-50}
seed=${2:-$(date +%s)}
echo "kill campaign: $rounds rounds, seed $seed"

corpus=$RTMP/corpus
base=$RTMP/base
idx=$RTMP/idx
rel_corpus "$corpus" old
"$LEDE_INDEX" -q --paragraph-passages -j 1 "$base" "$corpus" ||
    rel_fail "indexing the old corpus failed"
rel_state "$base" >"$RTMP/s" || rel_fail "cannot search the old index"
[ "$(rel_judge "$RTMP/s")" = "old $((REL_CHANGED + 2 * REL_OTHER)) new 0" ] ||
    rel_fail "the old index is not the old corpus"
# The new corpus, with later modification times than the records.
sleep 1
rel_corpus "$corpus" new
find "$corpus" -type f -exec touch {} +

# restore: the index as the old corpus left it.
restore() {
    rm -rf "$idx"
    cp -R "$base" "$idx"
}

# An uninterrupted run, timed, gives the span the kills are spread over.
restore
start=$(date +%s.%N)
"$LEDE_INDEX" -q -b 10 "$idx" "$corpus" || rel_fail "a full reindex failed"
end=$(date +%s.%N)
span=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
rel_state "$idx" >"$RTMP/s" || rel_fail "cannot search the new index"
all_new="old 0 new $((REL_CHANGED + 2 * REL_OTHER))"
[ "$(rel_judge "$RTMP/s")" = "$all_new" ] ||
    rel_fail "a full reindex did not give the new corpus"
echo "an uninterrupted reindex takes ${span}s"

# round SIGNAL DELAY: one interrupted run and its checks. Sets survived
# and recovered to 1 or 0, and partial to 1 when the index held both
# versions (the signal came between the first and the last commit).
round() {
    survived=0
    recovered=0
    partial=0
    restore
    "$LEDE_INDEX" -q --stats -b 10 "$idx" "$corpus" >"$RTMP/stats" \
        2>"$RTMP/err" &
    pid=$!
    sleep "$2"
    kill -s "$1" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    status=$?
    case $1:$status in
    KILL:137 | KILL:0 | TERM:143 | TERM:0 | INT:130 | INT:0) ;;
    *)
        echo "  SIG$1 after $2 s: lede-index exited $status" >&2
        cat "$RTMP/err" >&2
        return
        ;;
    esac
    if ! "$LEDE_INDEX" --check "$idx" >"$RTMP/check" 2>&1; then
        echo "  SIG$1 after $2 s: --check failed" >&2
        cat "$RTMP/check" >&2
        return
    fi
    rel_state "$idx" >"$RTMP/s" || return
    judged=$(rel_judge "$RTMP/s") || {
        echo "  SIG$1 after $2 s: an article is neither old nor new" >&2
        return
    }
    if [ "$1" != KILL ] && [ "$status" -ne 0 ]; then
        # The work reported done is the work in the index: the stats
        # line's updated, added and deleted are the new articles.
        done=$(sed -n 's/^added=\([0-9]*\) updated=\([0-9]*\) deleted=\([0-9]*\).*/\1 \2 \3/p' \
            "$RTMP/stats" | awk '{ print $1 + $2 + $3 }')
        [ "$judged" = "old $((REL_CHANGED + 2 * REL_OTHER - ${done:-0})) new ${done:-0}" ] || {
            echo "  SIG$1 after $2 s: stats say $done done, index has $judged" >&2
            return
        }
    fi
    survived=1
    case $judged in
    "old 0 "* | *" new 0") ;;
    *) partial=1 ;;
    esac
    if ! "$LEDE_INDEX" -q "$idx" "$corpus" >"$RTMP/err" 2>&1; then
        echo "  SIG$1 after $2 s: the rerun failed" >&2
        cat "$RTMP/err" >&2
        return
    fi
    if ! rel_state "$idx" >"$RTMP/s" ||
        [ "$(rel_judge "$RTMP/s")" != "$all_new" ] ||
        ! "$LEDE_INDEX" --check "$idx" >/dev/null 2>&1; then
        echo "  SIG$1 after $2 s: the rerun did not give the new corpus" >&2
        return
    fi
    recovered=1
}

# campaign SIGNAL N SEED: N rounds with delays drawn in [0, span).
campaign() {
    n_survived=0
    n_recovered=0
    n_partial=0
    for r in $(rel_rand "$3" "$2"); do
        delay=$(awk -v r="$r" -v s="$span" 'BEGIN { printf "%.3f", r * s }')
        round "$1" "$delay"
        n_survived=$((n_survived + survived))
        n_recovered=$((n_recovered + recovered))
        n_partial=$((n_partial + partial))
    done
    echo "figure: kill-$1: survived $n_survived/$2, recovered $n_recovered/$2 ($n_partial landed between the first and the last commit)"
    [ "$n_survived" -eq "$2" ] && [ "$n_recovered" -eq "$2" ]
}

status=0
campaign KILL "$rounds" "$seed" || status=1
others=$(((rounds + 4) / 5))
campaign TERM "$others" "$((seed + 1))" || status=1
campaign INT "$others" "$((seed + 2))" || status=1
exit $status
