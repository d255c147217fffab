#!/bin/sh
# The tables of docs/evaluation.md, measured afresh.
#
#   bench/eval/report.sh DATA_ROOT [PNG]
#
# DATA_ROOT holds the judged collections (cranfield, cisi, med, adi, cacm);
# each table row is one bench/eval/run.sh. Prints Markdown; with PNG (and
# gnuplot installed) also draws nDCG@10 over the k1 x b grid on CACM.
# Takes about fifteen minutes on two cores.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || {
    echo "usage: bench/eval/report.sh DATA_ROOT [PNG]" >&2
    exit 2
}
root=$1
png=${2:-}
colls="cranfield cisi med adi cacm"

# run COLLECTION LABEL OPTION...: one row of measures, tab-separated.
run() {
    c=$1 l=$2
    shift 2
    "$here/run.sh" "$root/$c" --label="$l" "$@"
}

echo "## Systems side by side"
echo
for c in $colls; do
    echo "### $c"
    echo
    echo "| system | nDCG@10 | MAP | P@10 | P@30 | Recall@100 | MRR@10 |"
    echo "|---|---|---|---|---|---|---|"
    {
        run "$c" "lede, defaults"
        run "$c" "lede, Anserini's settings" --anserini
        run "$c" "SQLite FTS5" --system=fts5
        run "$c" "stock Xapian" --system=xapian
    } | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n",
        $2, $3, $4, $5, $6, $7, $8 }'
    echo
done

echo "## Parity with Anserini on CACM"
echo
echo "Anserini's published BM25 run on CACM: MAP 0.3123, P@30 0.1942."
echo
echo "| run | nDCG@10 | MAP | P@10 | P@30 | Recall@100 | MRR@10 |"
echo "|---|---|---|---|---|---|---|"
{
    run cacm "Anserini's settings, Lucene's BM25" --anserini
    run cacm "the same, scored under Anserini's document ids" --anserini \
        --anserini-ids
    run cacm "the same, Xapian's BM25Weight" --anserini --weight=bm25 --k3=1
    run cacm "Lucene's BM25, stop words indexed" --anserini --stopwords=none
} | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n",
    $2, $3, $4, $5, $6, $7, $8 }'
echo

echo "## One choice at a time"
echo
echo "Each row changes one thing from lede's defaults; nDCG@10 / MAP."
echo
printf '| setting |'
for c in $colls; do printf ' %s |' "$c"; done
echo
printf '|---|'
for c in $colls; do printf -- '---|'; done
echo
# row LABEL OPTION...: the setting on every collection, as one table row.
row() {
    l=$1
    shift
    printf '| %s |' "$l"
    for c in $colls; do
        run "$c" "$l" "$@" | awk -F'\t' '{ printf " %s / %s |", $3, $4 }'
    done
    echo
}
row "defaults"
row "passages inside paragraphs" --paragraph-passages
row "passages of 100 words" --passage-words=100
row "passages of 300 words" --passage-words=300
row "whole articles" --passage-words=article
row "no overlap" --passage-overlap=0
row "overlap of 2 sentences" --passage-overlap=2
row "sum of passages, not the best" --aggregate=sum
row "Porter stemmer" --lang=porter
row "no stemming" --lang=none
row "title weight 0 (titles not searched)" --title-weight=0
row "title weight 1" --title-weight=1
row "query stop words kept" --keep-stopwords
row "stop words not indexed" --stopwords=english
row "k3 = 1 (Xapian's default)" --k3=1
row "no proximity" --proximity=0
row "proximity 0.3" --proximity=0.3
row "k1 = 0.9, b = 0.4 (Anserini's)" --k1=0.9 --b=0.4
row "Lucene's BM25" --weight=lucene
echo

echo "## k1 and b on CACM (nDCG@10)"
echo
grid=$(mktemp "${TMPDIR:-/tmp}/lede-grid.XXXXXX")
trap 'rm -f "$grid"' EXIT
ks="0.6 0.9 1.2 1.5 1.8 2.1"
bs="0.3 0.45 0.6 0.75 0.9"
printf '| k1 \\ b |'
for b in $bs; do printf ' %s |' "$b"; done
echo
printf '|---|'
for b in $bs; do printf -- '---|'; done
echo
for k in $ks; do
    printf '| %s |' "$k"
    for b in $bs; do
        v=$(run cacm "$k $b" --k1="$k" --b="$b" | cut -f3)
        printf ' %s |' "$v"
        echo "$k $b $v" >>"$grid"
    done
    echo
done
echo
if [ -n "$png" ] && command -v gnuplot >/dev/null 2>&1; then
    gnuplot <<EOF
set terminal pngcairo noenhanced size 720,480
set output "$png"
set title "lede on CACM: nDCG@10 over k1 and b"
set xlabel "b"
set ylabel "k1"
set view map
set cblabel "nDCG@10"
unset key
set xtics ($(echo "$bs" | sed 's/\([0-9.]*\)/"\1" \1/g; s/ "/, "/g'))
set ytics ($(echo "$ks" | sed 's/\([0-9.]*\)/"\1" \1/g; s/ "/, "/g'))
plot "$grid" using 2:1:3 with image, \
     "$grid" using 2:1:(sprintf("%.3f", \$3)) with labels
EOF
    echo "(drawn in $png)"
fi
