#!/bin/sh
# Build lede and run its whole test suite; the last line is
# "N passed, M failed".
# Usage: ./run-tests.sh [--sanitizers | --tsan | --valgrind]
#   --sanitizers  build with AddressSanitizer and UndefinedBehaviorSanitizer
#                 (in _build-san/) and run the suite there
#   --tsan        build with ThreadSanitizer (in _build-tsan/) and run the
#                 tests that use threads there
#   --valgrind    run the end-to-end tests of the CLIs with every lede-index
#                 and lede-search under valgrind's memcheck (in _build-test/);
#                 any memory error or definite leak fails
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
    tests="tests/test_threads tests/test_sync tests/test_parallel"
    ;;
--valgrind)
    # Not the campaigns that time kills and lock races (kill.sh,
    # cron2.sh, shard_index.sh: their checks hold at any speed, but the
    # runs they time would take minutes each), nor those that trace or
    # cap the programs (ioerr.sh, diskfull.sh, oomcap.sh), nor the Python
    # install and deployment tests, nor unreachable.sh (errors.sh again).
    for t in tests/cli/*.sh; do
        case $t in
        */lib.sh | */kill.sh | */cron2.sh | */shard_index.sh | \
            */ioerr.sh | */diskfull.sh | */oomcap.sh | */python.sh | \
            */install.sh | */deploy.sh | */exports.sh | */unreachable.sh) ;;
        *) tests="$tests $t" ;;
        esac
    done
    if ! command -v valgrind >/dev/null 2>&1; then
        say "valgrind is not installed (Debian/Ubuntu: apt-get install valgrind)"
        summary 0 1
        exit 1
    fi
    ;;
"") ;;
*)
    say "usage: $0 [--sanitizers | --tsan | --valgrind]"
    exit 2
    ;;
esac

summary() {
    printf '%s passed, %s failed\n' "$1" "$2"
}

# The tests also start real shard servers (xapian-tools), inject I/O
# errors (strace) and measure peak memory (GNU time); --valgrind needs
# valgrind.
LEDE_PACKAGES="$LEDE_PACKAGES xapian-tools strace time"
[ "${1:-}" = --valgrind ] && LEDE_PACKAGES="$LEDE_PACKAGES valgrind"
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
if [ "${1:-}" = --valgrind ]; then
    LEDE_VALGRIND_LOGS=$LEDE_BUILD/valgrind
    rm -rf "$LEDE_VALGRIND_LOGS"
    mkdir -p "$LEDE_VALGRIND_LOGS" || exit 1
    # errors.sh runs the indexer as nobody when run as root.
    chmod 1777 "$LEDE_VALGRIND_LOGS" || exit 1
    export LEDE_VALGRIND_LOGS
fi
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
if [ "${1:-}" = --valgrind ]; then
    # Each report file holds only errors (--quiet): an empty one is a
    # clean run.
    runs=$(find "$LEDE_VALGRIND_LOGS" -type f | wc -l)
    bad=$(find "$LEDE_VALGRIND_LOGS" -type f -size +0 | wc -l)
    say "valgrind memcheck: $runs runs of lede-index and lede-search," \
        "$bad with errors or definite leaks (reports in $LEDE_VALGRIND_LOGS)"
    if [ "$bad" -gt 0 ]; then
        find "$LEDE_VALGRIND_LOGS" -type f -size +0 -exec cat {} + | head -n 80 >&2
        fail=$((fail + 1))
    fi
    if [ "$runs" -eq 0 ]; then
        say "valgrind ran nothing"
        fail=$((fail + 1))
    fi
fi
summary "$pass" "$fail"
[ "$fail" -eq 0 ]
