#!/bin/sh
# Build lede and run its whole test suite; the last line is
# "N passed, M failed".
# Usage: ./run-tests.sh [--sanitizers | --tsan]
#   --sanitizers  build with AddressSanitizer and UndefinedBehaviorSanitizer
#                 (in _build-san/) and run the suite there
#   --tsan        build with ThreadSanitizer (in _build-tsan/) and run the
#                 tests that use threads there
set -u
cd "$(dirname "$0")" || exit 1
. ./scripts/setup.sh

dir=_build-test
flags=--enable-werror
tests=
case ${1:-} in
--sanitizers)
    dir=_build-san
    flags="--enable-werror --enable-sanitizers --enable-debug"
    ;;
--tsan)
    dir=_build-tsan
    flags="--enable-werror --enable-tsan"
    tests="tests/test_threads tests/test_sync"
    ;;
"") ;;
*)
    say "usage: $0 [--sanitizers | --tsan]"
    exit 2
    ;;
esac

summary() {
    printf '%s passed, %s failed\n' "$1" "$2"
}

if ! ensure_packages; then
    summary 0 1
    exit 1
fi
# shellcheck disable=SC2086 # flags is a list of options
if ! build "$dir" $flags; then
    summary 0 1
    exit 1
fi

jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
say "Running the tests"
if [ -n "$tests" ]; then
    make -C "$LEDE_BUILD" -j"$jobs" check TESTS="$tests" \
        >"$LEDE_BUILD/check.out" 2>&1
else
    make -C "$LEDE_BUILD" -j"$jobs" check >"$LEDE_BUILD/check.out" 2>&1
fi
status=$?
log=$LEDE_BUILD/test-suite.log
if [ ! -f "$log" ]; then
    cat "$LEDE_BUILD/check.out" >&2
    summary 0 1
    exit 1
fi
count() {
    sed -n "s/^# $1: *//p" "$log" | head -n 1
}
pass=$(count PASS)
fail=$(($(count FAIL) + $(count ERROR) + $(count XPASS)))
skip=$(count SKIP)
if [ "$fail" -gt 0 ] || [ "$status" -ne 0 ]; then
    # Show what failed, with its log.
    grep -E '^(FAIL|ERROR|XPASS)' "$LEDE_BUILD/check.out" >&2
    cat "$log" >&2
    [ "$fail" -gt 0 ] || fail=1
fi
[ "$skip" -gt 0 ] && say "$skip skipped (see $log)"
summary "$pass" "$fail"
[ "$fail" -eq 0 ]
