#!/bin/sh
# Growth with corpus size: index time, index size and query p50 of each
# system over the synthetic corpora in bench/perf/run.sh's results, on
# log-log axes.
#
#   bench/perf/plot.sh RESULTS.csv OUT.png
#
# Uses the last row of each synthetic-N corpus and system. Needs gnuplot.
set -eu

[ $# -eq 2 ] || {
    echo "usage: bench/perf/plot.sh RESULTS.csv OUT.png" >&2
    exit 2
}
command -v gnuplot >/dev/null 2>&1 || {
    echo "plot.sh: gnuplot is not installed (Debian: gnuplot-nox)" >&2
    exit 2
}
work=$(mktemp -d "${TMPDIR:-/tmp}/lede-plot.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One file per system: articles index_s index_mb p50_us, by size.
awk -F, 'NR > 1 && $2 ~ /^synthetic-/ { last[$3 "," $4] = $0 }
    END { for (k in last) print last[k] }' "$1" |
    awk -F, -v d="$work" '{ print $4, $6, $10, $12 > (d "/" $3 ".dat") }'
systems=$(find "$work" -name '*.dat' | sed 's|.*/||; s/\.dat$//' | sort)
[ -n "$systems" ] || {
    echo "plot.sh: no synthetic-N rows in $1" >&2
    exit 1
}
for s in $systems; do sort -n -o "$work/$s.dat" "$work/$s.dat"; done

# plot COLUMN: the gnuplot plot command of one panel.
plot() {
    sep="plot"
    for s in $systems; do
        printf '%s "%s/%s.dat" using 1:%s with linespoints title "%s"' \
            "$sep" "$work" "$s" "$1" "$s"
        sep=","
    done
    echo
}
gnuplot <<EOF2
set terminal pngcairo noenhanced size 1200,400
set output "$2"
set multiplot layout 1,3 title "Growth with corpus size (synthetic news, bench/perf/run.sh)"
set logscale xy
set xlabel "articles"
set key top left
set grid
set title "index build, seconds"
$(plot 2)
set title "index size, MB"
$(plot 3)
set title "query p50, microseconds"
$(plot 4)
unset multiplot
EOF2
echo "plot.sh: wrote $2"
