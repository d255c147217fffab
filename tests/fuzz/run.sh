#!/bin/sh
# Run libFuzzer targets one after the other (make fuzz).
#
# Usage: run.sh CORPUS BINDIR OUTDIR SECONDS FLAGS NAME...
#   CORPUS   directory of the seed corpora, one subdirectory a target
#   BINDIR   directory of the fuzz_NAME programs
#   OUTDIR   scratch directory: OUTDIR/NAME/corpus is a writable copy of
#            the seeds that grows as the fuzzer finds new inputs,
#            OUTDIR/NAME/crashes receives the inputs that crash (or leak,
#            or run out of time or memory), OUTDIR/NAME/fuzz.out the
#            fuzzer's output; all made afresh for each run
#   SECONDS  time of each target
#   FLAGS    more libFuzzer options (one string; may be empty)
# Prints "fuzz-NAME: N execs, M crashes" for each target; fails if any
# target crashed. libFuzzer stops at the first crash, so M is 0 or 1.
set -u
[ $# -ge 6 ] || {
    echo "usage: $0 CORPUS BINDIR OUTDIR SECONDS FLAGS NAME..." >&2
    exit 2
}
corpus=$1
bin=$2
out=$3
secs=$4
flags=$5
shift 5
status=0
for name in "$@"; do
    dir=$out/$name
    rm -rf "$dir"
    mkdir -p "$dir/corpus" "$dir/crashes" || exit 2
    cp "$corpus/$name"/* "$dir/corpus/" || exit 2
    chmod -R u+w "$dir/corpus"
    echo "fuzzing $name for $secs s (output in $dir/fuzz.out)" >&2
    # -timeout: an input that takes 30 s is a hang, and is reported.
    # shellcheck disable=SC2086 # flags is a list of options
    "$bin/fuzz_$name" -max_total_time="$secs" -timeout=30 \
        -print_final_stats=1 -artifact_prefix="$dir/crashes/" $flags \
        "$dir/corpus" >"$dir/fuzz.out" 2>&1
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
        "$dir/fuzz.out" | tail -n 1)
    crashes=$(find "$dir/crashes" -type f | wc -l | tr -d ' ')
    if [ -z "$execs" ]; then
        echo "$name: the fuzzer gave no statistics; see $dir/fuzz.out" >&2
        status=1
    fi
    if [ "$crashes" -gt 0 ]; then
        echo "$name: crashed; the input is in $dir/crashes/" >&2
        grep -m 1 -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant broken)' \
            "$dir/fuzz.out" >&2
        status=1
    fi
    printf 'fuzz-%s: %s execs, %s crashes\n' "$name" "${execs:-0}" "$crashes"
done
exit $status
