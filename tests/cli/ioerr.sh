#!/bin/sh
# I/O errors: a write, sync or rename fails at eight points of an update
# (strace -e inject); each time the index stays consistent and a rerun
# completes (bench/reliability/ioerr.sh with one point per syscall and
# mode; skipped without strace or ptrace). Then the point where Xapian's
# own recovery from a failed commit damaged the index: the library must
# repair it, for lede-index and for a program of its own alike.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

IOERR_POINTS=1 sh "$LEDE_SRCDIR/bench/reliability/ioerr.sh" \
    >"$TMP/out" 2>&1
status=$?
cat "$TMP/out"
case $status in
0) ;;
77 | 99) exit $status ;;
*) exit 1 ;;
esac

# The ninth rename of a five-commit update (-b 100) fails: Xapian 1.4.22
# puts the tables back at the last commit and writes a revision whose
# free-block list holds a block twice, which fails the check and every
# later write. lede_index_commit() checks after a failed commit and
# compacts.
# shellcheck source=bench/reliability/diskio_lib.sh
. "$LEDE_SRCDIR/bench/reliability/diskio_lib.sh"
find_binaries ""
make_corpus "$TMP/corpus" old
"$LEDE_INDEX" -q -j1 --paragraph-passages "$TMP/idx" "$TMP/corpus" ||
    fail "indexing the old corpus failed"
make_corpus "$TMP/corpus" new
# shellcheck disable=SC2086 # RUN is a command prefix
$RUN strace -f -qq -o /dev/null -e inject=rename:error=EIO:when=9 \
    "$LEDE_INDEX" -b 100 "$TMP/idx" "$TMP/corpus" >"$TMP/out" 2>"$TMP/err"
status=$?
cat "$TMP/err"
[ "$status" -eq 74 ] || fail "the failed commit exited $status, not 74"
contains "$TMP/err" "the index keeps its last commit"
contains "$TMP/err" "lede-index: DatabaseError: Commit failed (Input/output error); $TMP/idx: the failed commit left the index's free-block list damaged: repaired by compacting, it holds its last commit"
run 0 "$LEDE_INDEX" --check "$TMP/idx"
run 0 "$LEDE_INDEX" "$TMP/idx" "$TMP/corpus"
run 0 "$LEDE_INDEX" --check "$TMP/idx"
mkdir "$TMP/empty" || exit 99
n=$(articles "$TMP/idx" "$TMP/empty")
[ "$n" = 460 ] || fail "expected 460 articles after the rerun, found $n"

# The same failure in a program of its own, which calls only
# lede_index_open() and lede_index_sync(): the index is sound when the
# program ends, without lede-index's help, and holds its last commit.
rm -rf "$TMP/idx"
make_corpus "$TMP/corpus" old
"$LEDE_INDEX" -q -j1 --paragraph-passages "$TMP/idx" "$TMP/corpus" ||
    fail "indexing the old corpus failed"
make_corpus "$TMP/corpus" new
# shellcheck disable=SC2086 # RUN is a command prefix
$RUN strace -f -qq -o /dev/null -e inject=rename:error=EIO:when=9 \
    "$LEDE_TESTBIN/libsync" "$TMP/idx" "$TMP/corpus" 100 >"$TMP/out" 2>&1
status=$?
cat "$TMP/out"
[ "$status" -eq 1 ] || fail "the library's failed commit exited $status, not 1"
printf '%s\n' "DatabaseError: Commit failed (Input/output error); $TMP/idx: the failed commit left the index's free-block list damaged: repaired by compacting, it holds its last commit" |
    same "$TMP/out" /dev/stdin
run 0 "$LEDE_INDEX" --check "$TMP/idx"
run 0 "$LEDE_TESTBIN/libsync" "$TMP/idx" "$TMP/corpus" 100
run 0 "$LEDE_INDEX" --check "$TMP/idx"
n=$(articles "$TMP/idx" "$TMP/empty")
[ "$n" = 460 ] || fail "expected 460 articles after the library's rerun, found $n"
exit 0
