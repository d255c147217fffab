#!/bin/sh
# Evaluate one system on one judged collection.
#
#   bench/eval/run.sh DATA_DIR [OPTION...]
#
# DATA_DIR is one of the collections (its name says which: cranfield, cisi,
# med, adi or cacm). The collection is converted (convert.py), indexed and
# searched with every query, and the run is scored by lede-eval; one line
# is printed:
#
#   COLLECTION  LABEL  nDCG@10  MAP  P@10  P@30  Recall@100  MRR@10
#
# Options:
#   --system=lede|fts5|xapian   the system (default lede); fts5 is SQLite
#                               FTS5's bm25(), xapian is stock Xapian
#                               (TermGenerator, QueryParser, BM25Weight)
#   --label=TEXT                the label printed (default: the options)
#   --anserini                  lede with Anserini's BM25 settings: title and
#                               text in one field, whole documents, Porter
#                               stemmer, Lucene's BM25 and stop words,
#                               k1 0.9, b 0.4
#   --one-field                 index onefield.jsonl (title in the text)
#   --index-stats               lede: also print the index's documents, words
#                               and distinct terms (termstats.py) to stderr
#   --anserini-ids              CACM: score the run under the document ids
#                               Anserini gives (the file names, CACM-0001),
#                               which the qrels (CACM-1) do not zero-pad
#   --lang=L --passage-words=N --passage-overlap=N
#                               lede-index options
#   --aggregate=max|sum         score articles from all their passages
#   anything else               a lede-search option (--k1=1.2, --b=0.75,
#                               --title-weight=0, --keep-stopwords, ...)
#
# Every lede run uses --plain --per-article=1 -n 1000 unless --aggregate is
# given (then --per-article=0). Work files go to $LEDE_EVAL_WORK (default
# $TMPDIR/lede-eval); indexes are kept there and reused. The programs are
# $LEDE_INDEX, $LEDE_SEARCH and $LEDE_EVAL, by default those of the build
# in _build/.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${LEDE_BUILD:-$root/_build}
LEDE_INDEX=${LEDE_INDEX:-$build/indexer/lede-index}
LEDE_SEARCH=${LEDE_SEARCH:-$build/searcher/lede-search}
LEDE_EVAL=${LEDE_EVAL:-$build/bench/eval/lede-eval}
work=${LEDE_EVAL_WORK:-${TMPDIR:-/tmp}/lede-eval}

[ $# -ge 1 ] || {
    sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}
data=$1
shift
[ -d "$data" ] || {
    echo "run.sh: $data: no such directory" >&2
    exit 2
}
coll=$(basename "$data" | tr '[:upper:]' '[:lower:]')
case $coll in
cranfield | cisi | med | adi | cacm) ;;
*)
    echo "run.sh: $data: not a known collection" \
        "(cranfield, cisi, med, adi, cacm)" >&2
    exit 2
    ;;
esac
for p in "$LEDE_INDEX" "$LEDE_SEARCH" "$LEDE_EVAL"; do
    [ -x "$p" ] || {
        echo "run.sh: $p not built (make, then make bench/eval/lede-eval)" >&2
        exit 2
    }
done

system=lede label='' input=docs.jsonl aggregate='' padded='' stats=''
index_opts='' search_opts=''
for opt in "$@"; do
    case $opt in
    --system=*) system=${opt#--system=} ;;
    --label=*) label=${opt#--label=} ;;
    --one-field) input=onefield.jsonl ;;
    --anserini)
        input=onefield.jsonl
        index_opts="$index_opts --lang=porter --passage-words=article --stopwords=english"
        search_opts="$search_opts --weight=lucene --k1=0.9 --b=0.4 --proximity=0"
        ;;
    --lang=* | --passage-words=* | --passage-overlap=* | --stopwords=* | \
        --paragraph-passages)
        index_opts="$index_opts $opt"
        ;;
    --aggregate=max | --aggregate=sum) aggregate=$opt ;;
    --anserini-ids) padded=1 ;;
    --index-stats) stats=1 ;;
    *) search_opts="$search_opts $opt" ;;
    esac
done
[ -n "$label" ] || label=$(echo "$system$*" | sed 's/--label=[^ ]*//')

dir=$work/$coll
if [ ! -s "$dir/qrels.txt" ]; then
    mkdir -p "$dir"
    python3 "$here/convert.py" "$coll" "$data" "$dir" 2>/dev/null
fi
# xapian_python: set py to a Python that has Xapian's bindings (Debian's
# python3-xapian is for the system's python3), or exit.
xapian_python() {
    py=python3
    python3 -c 'import xapian' 2>/dev/null || py=/usr/bin/python3
    "$py" -c 'import xapian' 2>/dev/null || {
        echo "run.sh: this needs Python's xapian module" \
            "(Debian: python3-xapian)" >&2
        exit 2
    }
}

run=$dir/run.$$
trap 'rm -f "$run" "$run.ids"' EXIT

case $system in
lede)
    key=$(echo "$input$index_opts" | cksum | cut -d' ' -f1)
    idx=$dir/index.$key
    if [ ! -f "$idx/.complete" ]; then
        rm -rf "$idx" "$dir/in.$key"
        mkdir -p "$dir/in.$key"
        cp "$dir/$input" "$dir/in.$key/docs.jsonl"
        # shellcheck disable=SC2086 # option lists split on purpose
        "$LEDE_INDEX" $index_opts "$idx" "$dir/in.$key" >/dev/null
        touch "$idx/.complete"
    fi
    if [ -n "$stats" ]; then
        xapian_python
        "$py" "$here/termstats.py" "$idx" >&2
    fi
    per=1
    [ -n "$aggregate" ] && per=0
    # shellcheck disable=SC2086
    "$LEDE_SEARCH" --plain --format=trec -n 1000 --per-article=$per \
        $search_opts --queries="$dir/queries.tsv" "$idx" >"$run" ||
        [ $? -eq 1 ]
    ;;
fts5)
    python3 "$here/fts5.py" "$dir/docs.jsonl" "$dir/queries.tsv" >"$run"
    ;;
xapian)
    xapian_python
    "$py" "$here/xapian_ref.py" "$dir/docs.jsonl" "$dir/queries.tsv" \
        "$dir/xapian.db" >"$run"
    ;;
*)
    echo "run.sh: unknown system $system" >&2
    exit 2
    ;;
esac

if [ -n "$padded" ]; then
    awk '{ n = substr($3, 6) + 0
           if ($3 ~ /^CACM-/ && n < 1000) $3 = sprintf("CACM-%04d", n)
           print }' "$run" >"$run.ids" && mv "$run.ids" "$run"
fi

# shellcheck disable=SC2086
"$LEDE_EVAL" $aggregate "$dir/qrels.txt" "$run" | awk -v c="$coll" \
    -v l="$label" -F'\t' '
    $1 == "ndcg_cut_10" { n = $3 } $1 == "map" { m = $3 }
    $1 == "P_10" { p10 = $3 } $1 == "P_30" { p30 = $3 }
    $1 == "recall_100" { r = $3 } $1 == "recip_rank_10" { mrr = $3 }
    END { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c, l, n, m, p10, p30, r, mrr }'
