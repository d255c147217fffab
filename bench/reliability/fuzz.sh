#!/bin/sh
# Fuzzing campaign: every libFuzzer target of tests/fuzz (tokenizer,
# passage splitter, query parser, gzip input, JSON Lines, HTML, TREC) run
# for SECONDS, one target at a time, each from its seed corpus.
#
# Usage: bench/reliability/fuzz.sh [SECONDS]
#   SECONDS  time of each target (default 600)
# Environment:
#   LEDE_FUZZ_BUILD  build directory, configured here with --enable-fuzz
#                    when it has no Makefile (default: _build-fuzz in the
#                    checkout)
#   CC, CXX          compilers with libFuzzer (default: clang, clang++)
#   FUZZ_TARGETS     the targets to run (default: all)
# Prints a table, then "figure: fuzz-NAME: N execs, M crashes" for each
# target; exits 1 if any crashed. libFuzzer stops a target at its first
# crash, whose input is kept in BUILD/fuzz-out/NAME/crashes/.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
build=${LEDE_FUZZ_BUILD:-$top/_build-fuzz}
cc=${CC:-clang}
cxx=${CXX:-clang++}

case $secs in
'' | *[!0-9]*)
    echo "usage: $0 [SECONDS]" >&2
    exit 2
    ;;
esac
if [ -f "$top/config.status" ]; then
    echo "$0: the checkout is configured in place; run 'make distclean'" \
        "there first (a fuzz build needs a build directory of its own)" >&2
    exit 2
fi
if [ ! -x "$top/configure" ]; then
    (cd "$top" && ./autogen.sh >/dev/null 2>&1) || {
        echo "$0: autogen.sh failed" >&2
        exit 2
    }
fi
mkdir -p "$build" || exit 2
if [ ! -f "$build/Makefile" ]; then
    echo "Configuring in $build with --enable-fuzz CC=$cc CXX=$cxx" >&2
    (cd "$build" && "$top/configure" --quiet --enable-fuzz CC="$cc" \
        CXX="$cxx") || exit 2
fi
echo "Building" >&2
make -C "$build" -j2 >"$build/fuzz-build.log" 2>&1 || {
    tail -n 20 "$build/fuzz-build.log" >&2
    echo "$0: the build failed; see $build/fuzz-build.log" >&2
    exit 2
}

results=$build/fuzz-results.txt
if [ -n "${FUZZ_TARGETS:-}" ]; then
    make -s --no-print-directory -C "$build" fuzz FUZZ_SECONDS="$secs" \
        FUZZ_TARGETS="$FUZZ_TARGETS" >"$results"
else
    make -s --no-print-directory -C "$build" fuzz FUZZ_SECONDS="$secs" \
        >"$results"
fi
status=$?

echo "# lede fuzzing campaign"
echo
echo "$("$cc" --version | head -n 1); $(getconf _NPROCESSORS_ONLN) cores;" \
    "$secs s a target, one at a time; $(date -u +%Y-%m-%d)"
echo
echo "| target | seconds | execs | execs/s | crashes |"
echo "|---|---|---|---|---|"
sed -n 's/^fuzz-\([a-z]*\): \([0-9]*\) execs, \([0-9]*\) crashes$/\1 \2 \3/p' \
    "$results" | while read -r name execs crashes; do
    rate=$(awk -v e="$execs" -v s="$secs" 'BEGIN { printf "%.0f", e / s }')
    echo "| $name | $secs | $execs | $rate | $crashes |"
done
echo
sed -n 's/^fuzz-/figure: fuzz-/p' "$results"
[ "$status" -eq 0 ] || exit 1
