#!/bin/sh
# The tests that run a program as another account (errors.sh: an
# unreadable file, as nobody) skip that part, and say so, when the
# account cannot reach the programs: a checkout inside a directory other
# users cannot enter. They used to fail with "Permission denied", 126.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: runs only as root (the other account is nobody)" >&2
    exit 77
fi
# The program, reached through a directory nobody cannot enter.
mkdir -m 0700 "$TMP/private" || exit 99
ln -s "$LEDE_INDEX" "$TMP/private/" || exit 99
LEDE_INDEX=$TMP/private/$(basename "$LEDE_INDEX") \
    sh "$CLI_DIR/errors.sh" >"$TMP/out" 2>"$TMP/err"
st=$?
[ "$st" -eq 0 ] || {
    cat "$TMP/err" >&2
    fail "errors.sh from an unreachable build: exit status $st"
}
contains "$TMP/err" "SKIP: the unreadable-file check: the account nobody cannot run $TMP/private/"
