#!/bin/sh
# How lede's ranking defaults were chosen: a grid of settings, each run on
# every judged collection, ranked by its worst margin over the better of
# SQLite FTS5 and stock Xapian.
#
#   bench/eval/tune.sh DATA_ROOT
#
# DATA_ROOT holds the judged collections (cranfield, cisi, med, adi, cacm).
# For each setting (k1, b, passage words, title weight; the other defaults
# as they are) and each collection, the margin is how far lede's nDCG@10
# and MAP lie above the better baseline's, relative to it; a setting's
# score is its smallest margin over the five collections and both
# measures, so a setting is only as good as on its worst collection.
# Prints every setting, best first: worst margin, mean margin, the setting
# and its nDCG@10 / MAP per collection. Takes about ten minutes on two
# cores; each row is one bench/eval/run.sh.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || {
    echo "usage: bench/eval/tune.sh DATA_ROOT" >&2
    exit 2
}
root=$1
colls="cranfield cisi med adi cacm"
out=$(mktemp "${TMPDIR:-/tmp}/lede-tune.XXXXXX")
trap 'rm -f "$out"' EXIT

for c in $colls; do
    "$here/run.sh" "$root/$c" --system=fts5 --label=baseline
    "$here/run.sh" "$root/$c" --system=xapian --label=baseline
    for w in 200 300; do
        for k1 in 0.9 1.2 1.5; do
            for b in 0.4 0.6 0.75 0.8; do
                for t in 0.5 1; do
                    "$here/run.sh" "$root/$c" --passage-words=$w --k1=$k1 \
                        --b=$b --title-weight=$t \
                        --label="words $w, k1 $k1, b $b, title $t"
                done
            done
        done
    done
done >"$out"

awk -F'\t' '
    $2 == "baseline" {
        if ($3 > bn[$1]) bn[$1] = $3
        if ($4 > bm[$1]) bm[$1] = $4
        next
    }
    {
        if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 }
        nd[$2, $1] = $3; map[$2, $1] = $4
    }
    END {
        split("cranfield cisi med adi cacm", cs, " ")
        for (i = 1; i <= n; i++) {
            s = order[i]; worst = 1e9; sum = 0; line = ""
            for (j = 1; j <= 5; j++) {
                c = cs[j]
                a = (nd[s, c] - bn[c]) / bn[c]
                m = (map[s, c] - bm[c]) / bm[c]
                if (a < worst) worst = a
                if (m < worst) worst = m
                sum += a + m
                line = line sprintf("  %s %s/%s", c, nd[s, c], map[s, c])
            }
            printf "%+.4f\t%+.4f\t%s\t%s\n", worst, sum / 10, s, line
        }
    }' "$out" | sort -t'	' -k1,1gr -k2,2gr
