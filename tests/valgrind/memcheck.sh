#!/bin/sh
# memcheck.sh DIR/PROGRAM ARGS...: run a program of the build under
# valgrind's memcheck, for `./run-tests.sh --valgrind`. Any error, or a
# definite leak, makes it exit 97 (a status no lede program uses), so the
# end-to-end test that ran it fails; the report goes to a file of its own
# in LEDE_VALGRIND_LOGS, one per process, which run-tests.sh counts.
set -u
prog=$1
shift
name=$(basename "$prog")
exec "${LEDE_BUILDDIR:?}/libtool" --mode=execute valgrind --quiet \
    --error-exitcode=97 --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --track-origins=yes \
    --log-file="${LEDE_VALGRIND_LOGS:?}/$name.%p.log" \
    "$LEDE_BUILDDIR/$prog" "$@"
