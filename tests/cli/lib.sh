# shellcheck shell=sh
# Shared by the end-to-end tests: paths, a scratch directory that is
# removed on exit, and small assertions. Exit 77 means skipped, 99 a hard
# error (Automake's conventions).

set -u

if [ -z "${LEDE_INDEX:-}" ] || [ -z "${LEDE_SEARCH:-}" ] ||
    [ -z "${LEDE_SRCDIR:-}" ]; then
    echo "run through 'make check' (LEDE_INDEX, LEDE_SEARCH, LEDE_SRCDIR)" >&2
    exit 99
fi
LEDE_TESTDATA=${LEDE_TESTDATA:-$LEDE_SRCDIR/tests/data}
# shellcheck disable=SC2034 # used by the tests that source this file
CLI_DIR=$LEDE_SRCDIR/tests/cli

TMP=$(mktemp -d "${TMPDIR:-/tmp}/lede-cli.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
trap 'exit 99' INT TERM

fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

# nobody_prefix WHAT: print the command prefix that runs a program as the
# account nobody, for the checks of permissions that root would pass; or
# print nothing, and say on stderr that WHAT is skipped, when that cannot
# be done: no setpriv, or nobody cannot reach the programs (a checkout in
# a directory other users cannot enter).
nobody_prefix() {
    p="setpriv --reuid=65534 --regid=65534 --clear-groups"
    # shellcheck disable=SC2086 # p is a command and its options
    if ! command -v setpriv >/dev/null 2>&1 || ! $p true 2>/dev/null; then
        echo "SKIP: $1 needs setpriv when run as root" >&2
    elif ! $p "$LEDE_INDEX" --version >/dev/null 2>&1; then
        echo "SKIP: $1: the account nobody cannot run $LEDE_INDEX" \
            "(a checkout in a directory other users cannot enter?)" >&2
    else
        printf '%s\n' "$p"
    fi
}

# run STATUS CMD...: run CMD with output in $TMP/out and $TMP/err; fail
# unless it exits with STATUS.
run() {
    want=$1
    shift
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        printf 'stdout:\n' >&2
        cat "$TMP/out" >&2
        printf 'stderr:\n' >&2
        cat "$TMP/err" >&2
        fail "exit status $got, expected $want: $*"
    fi
}

# contains FILE TEXT: fail unless FILE holds the fixed string TEXT.
contains() {
    grep -qF -- "$2" "$1" || {
        cat "$1" >&2
        fail "$1 lacks: $2"
    }
}

# same FILE EXPECTED: fail unless the files are identical.
# With LEDE_UPDATE_EXPECTED=1 a recorded FILE2 under tests/ is rewritten
# instead (review the diff before committing it).
same() {
    if [ "${LEDE_UPDATE_EXPECTED:-}" = 1 ] && [ "$2" != /dev/stdin ]; then
        cp "$1" "$2"
        return
    fi
    diff -u "$2" "$1" >&2 || fail "$1 differs from $2"
}

# first_line FILE: the first line of FILE.
first_line() {
    sed -n 1p "$1"
}
