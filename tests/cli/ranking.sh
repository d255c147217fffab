#!/bin/sh
# Ranking regression: the judged fixture in tests/data/ranking (written for
# these tests) is indexed and searched with lede's defaults, and the run's
# nDCG@10, MAP, P@10, P@30, Recall@100 and MRR@10 must be exactly those
# recorded in ranking.expected, and each query's first ten articles those
# of ranking_top10.expected. A change that moves any ranking fails
# here: if it is an improvement, update the file in the same commit, and
# run bench/eval/run.sh on the judged collections to show it holds there.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

[ -n "${LEDE_EVAL:-}" ] || {
    echo "run through 'make check' (LEDE_EVAL)" >&2
    exit 99
}
data=$LEDE_TESTDATA/ranking
idx=$TMP/index

run 0 "$LEDE_INDEX" "$idx" "$data/docs.jsonl"
run 0 "$LEDE_SEARCH" --plain --format=trec -n 1000 \
    --queries="$data/queries.tsv" "$idx"
cp "$TMP/out" "$TMP/run"
# Each query's first ten articles, in order: any change of ranking shows.
awk '$4 <= 10 { print $1, $3, $4 }' "$TMP/run" >"$TMP/top10"
same "$TMP/top10" "$CLI_DIR/ranking_top10.expected"
run 0 "$LEDE_EVAL" "$data/qrels.txt" "$TMP/run"
same "$TMP/out" "$CLI_DIR/ranking.expected"

# lede-eval itself: a document listed twice is an error, unless folded.
printf 'q1 Q0 r01 1 2.0 x\nq1 Q0 r01 2 1.0 x\nq1 Q0 r02 3 0.5 x\n' \
    >"$TMP/dup"
run 2 "$LEDE_EVAL" "$data/qrels.txt" "$TMP/dup"
contains "$TMP/err" "run lists r01 twice for query q1"
run 0 "$LEDE_EVAL" --aggregate=max "$data/qrels.txt" "$TMP/dup"
contains "$TMP/out" "num_q	all	1"
# q1: r01 (gain 2) first, r02 (gain 1) second: MRR@10 is 1.
contains "$TMP/out" "recip_rank_10	all	1.0000"
exit 0
