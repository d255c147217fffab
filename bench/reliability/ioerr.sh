#!/bin/sh
# I/O errors: a failed write, sync or rename at many points of an update.
#
# Usage: bench/reliability/ioerr.sh [BUILD_DIR]
#   (or LEDE_INDEX and LEDE_SEARCH in the environment)
#   IOERR_POINTS: points per syscall and mode (default 12, at least 1)
#   IOERR_MODES: "single batched" (default), or one of them
#
# An index of the old corpus is updated to the new one (300 articles
# changed, 40 deleted, 100 added) in two modes: one commit (the default
# batch) and five (-b 100). A first pass counts the calls of each syscall
# lede-index makes through Xapian (strace -c); then for each syscall used
# (of pwrite64, write, fdatasync, fsync, rename, renameat, renameat2) the
# Nth call fails with EIO (and every other write with ENOSPC), for N spread
# over the run (strace -e inject=SYSCALL:error=E:when=N). After each run:
# it exits 0 (the call did not matter) or 74 naming the index and the
# error; --check passes; the index holds the old corpus, or the new one if
# the run succeeded, and with five commits each article wholly old or
# wholly new; a rerun without injection completes with the new corpus.
# Exits 77 when strace is missing or cannot trace.
#
# Prints per syscall the points and outcomes, then
#   figure: ioerr: X/Y consistent, X/Y recovered
set -u
here=$(dirname "$0")
# shellcheck source=bench/reliability/diskio_lib.sh
. "$here/diskio_lib.sh"
find_binaries "${1:-}"
points=${IOERR_POINTS:-12}
modes=${IOERR_MODES:-single batched}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lede-ioerr.XXXXXX") || exit 99
trap 'rm -rf "$WORK"' EXIT
trap 'exit 99' INT TERM

if ! command -v strace >/dev/null 2>&1; then
    echo "ioerr: skipped: strace is not installed" >&2
    exit 77
fi
# shellcheck disable=SC2086 # RUN is a command prefix
if ! $RUN strace -f -qq -o /dev/null -e inject=pwrite64:error=EIO:when=65535 \
    "$LEDE_INDEX" --version >/dev/null 2>"$WORK/strace.err"; then
    echo "ioerr: skipped: strace cannot trace here: $(cat "$WORK/strace.err")" >&2
    exit 77
fi

idx=$WORK/idx
corpus=$WORK/corpus
mkdir "$WORK/empty" || exit 99
expected old >"$WORK/old.expected"
expected new >"$WORK/new.expected"
make_corpus "$corpus" old
"$LEDE_INDEX" -j1 --paragraph-passages "$WORK/base" "$corpus" || exit 99
make_corpus "$corpus" new
syscalls=pwrite64,write,fdatasync,fsync,rename,renameat,renameat2

# run MODE [STRACE ARGS...]: the update from a fresh copy of the base.
run_update() {
    mode=$1
    shift
    rm -rf "$idx" && cp -a "$WORK/base" "$idx" || exit 99
    set -- "$@" "$LEDE_INDEX"
    [ "$mode" = batched ] && set -- "$@" -b 100
    # shellcheck disable=SC2086 # RUN is a command prefix
    $RUN "$@" "$idx" "$corpus" >"$WORK/out" 2>"$WORK/err"
}

total=0
consistent=0
recovered=0
failed_checks=0
for mode in $modes; do
    run_update "$mode" strace -f -qq -c -o "$WORK/counts" -e trace=$syscalls ||
        {
            cat "$WORK/err" >&2
            exit 99
        }
    echo "ioerr: $mode: calls in a run: $(awk '$NF ~ /^[a-z0-9]+$/ && $(NF-1) ~ /^[0-9]+$/ && $NF != "total" { printf "%s%s=%s", sep, $NF, $(NF-1); sep = " " }' "$WORK/counts")"
    for sc in $(echo "$syscalls" | tr , ' '); do
        calls=$(awk -v sc="$sc" '$NF == sc { print ($(NF-1) ~ /^[0-9]+$/) ? $(NF-1) : $(NF-2) }' "$WORK/counts")
        [ -n "$calls" ] || continue
        # The points: every call, or $points spread from the first to the
        # last (one point: the middle call).
        n=$points
        [ "$calls" -lt "$n" ] && n=$calls
        k=0
        ok_sc=0
        outcomes=
        while [ $k -lt "$n" ]; do
            when=$((1 + (calls - 1) * k / (n > 1 ? n - 1 : 2)))
            k=$((k + 1))
            err=EIO
            [ "$sc" != fdatasync ] && [ "$sc" != fsync ] &&
                [ $((k % 2)) -eq 0 ] && err=ENOSPC
            total=$((total + 1))
            run_update "$mode" strace -f -qq -o /dev/null \
                -e trace="$sc" -e inject="$sc:error=$err:when=$when"
            status=$?
            ok=1
            why=
            case $status in
            0) allowed=new ;;
            74)
                allowed=old
                [ "$mode" = batched ] && allowed="old between"
                reason="Input/output error"
                [ "$err" = ENOSPC ] && reason="No space left on device"
                if ! grep -q "$reason" "$WORK/err" ||
                    ! grep -qF "$idx" "$WORK/err"; then
                    why="message lacks '$reason' or the index: $(cat "$WORK/err")"
                fi
                ;;
            *)
                allowed="old between"
                why="exit status $status: $(cat "$WORK/err")"
                ;;
            esac
            if ! "$LEDE_INDEX" --check "$idx" >"$WORK/check" 2>&1; then
                ok=0
                state="--check fails: $(cat "$WORK/check")"
            else
                dump "$idx" >"$WORK/dump"
                state=$(classify "$WORK/dump" "$WORK/old.expected" \
                    "$WORK/new.expected")
                case " $allowed " in
                *" $state "*) ;;
                *) ok=0 ;;
                esac
            fi
            [ $ok -eq 1 ] && consistent=$((consistent + 1))
            if [ $ok -eq 0 ] || [ -n "$why" ]; then
                failed_checks=$((failed_checks + 1))
                echo "ioerr: $mode $sc:$err:when=$when: exit $status, index $(echo "$state" | sed 6q) (allowed: $allowed) $why" >&2
            fi
            outcomes="$outcomes $when:$status:$(echo "$state" | sed 1q)"
            # Rerun without a failure: it completes the new corpus.
            "$LEDE_INDEX" --paragraph-passages "$idx" "$corpus" \
                >"$WORK/out" 2>"$WORK/err"
            status=$?
            dump "$idx" >"$WORK/dump"
            state=$(classify "$WORK/dump" "$WORK/old.expected" \
                "$WORK/new.expected")
            if [ $status -eq 0 ] && [ "$state" = new ] &&
                "$LEDE_INDEX" --check "$idx" >/dev/null 2>&1 &&
                [ "$(articles "$idx" "$WORK/empty")" = 460 ]; then
                recovered=$((recovered + 1))
                ok_sc=$((ok_sc + 1))
            else
                failed_checks=$((failed_checks + 1))
                echo "ioerr: $mode $sc:$err:when=$when: the rerun exited $status, index $(echo "$state" | sed 1q)" >&2
            fi
        done
        echo "ioerr: $mode $sc: $n of $calls calls failed (when:status:state):$outcomes"
    done
done
echo "figure: ioerr: $consistent/$total consistent, $recovered/$total recovered"
[ "$failed_checks" -eq 0 ]
