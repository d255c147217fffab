#!/bin/sh
# Disk full: lede-index on a tmpfs too small for its work, at many sizes.
#
# Usage: bench/reliability/diskfull.sh [BUILD_DIR]
#   (or LEDE_INDEX and LEDE_SEARCH in the environment)
#   DISKFULL_SIZES: how many sizes (default 12, at least 3)
#
# For each size a tmpfs is mounted; the first commit is built on it (or,
# when the build does not fit but the finished index does, copied there),
# then the corpus changes (300 articles changed, 40 deleted, 100 added) and
# lede-index runs out of space. Each failed run must exit 74, say "No space
# left on device" and name the index; the index must pass --check and hold
# exactly its previous commit (one batch, so nothing of the new run). Then
# the tmpfs is grown and a rerun must complete with exactly the new corpus.
# Needs root (mount); exits 77 when it cannot mount a tmpfs.
#
# Prints: figure: diskfull: X/Y sizes failed cleanly, X/Y recovered
set -u
here=$(dirname "$0")
# shellcheck source=bench/reliability/diskio_lib.sh
. "$here/diskio_lib.sh"
find_binaries "${1:-}"
nsizes=${DISKFULL_SIZES:-12}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lede-diskfull.XXXXXX") || exit 99
mnt=$WORK/mnt
mkdir "$mnt" "$WORK/empty" || exit 99
cleanup() {
    mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 99' INT TERM

if [ "$(id -u)" -ne 0 ]; then
    echo "diskfull: skipped: mounting a tmpfs needs root" >&2
    exit 77
fi
if ! mount -t tmpfs -o size=1m tmpfs "$mnt" 2>"$WORK/mount.err"; then
    echo "diskfull: skipped: cannot mount a tmpfs: $(cat "$WORK/mount.err")" >&2
    exit 77
fi
umount "$mnt" || exit 99

idx=$mnt/idx
corpus=$WORK/corpus
expected old >"$WORK/old.expected"
expected new >"$WORK/new.expected"
used_kb() { df -Pk "$mnt" | awk 'NR == 2 { print $3 }'; }
build() { # build ARGS...: the first commit, from the old corpus
    make_corpus "$corpus" old
    "$LEDE_INDEX" --paragraph-passages "$@" "$idx" "$corpus" \
        >"$WORK/out" 2>"$WORK/err"
}
update() { # the second run, over the new corpus
    make_corpus "$corpus" new
    "$LEDE_INDEX" --paragraph-passages "$idx" "$corpus" \
        >"$WORK/out" 2>"$WORK/err"
}

# How much room the first commit and the second run take: build and
# update on a large tmpfs. The base index is kept on disk for copying.
mount -t tmpfs -o size=256m tmpfs "$mnt" || exit 99
build -j1 || {
    cat "$WORK/err" >&2
    exit 99
}
first_kb=$(used_kb)
cp -a "$idx" "$WORK/base" || exit 99
update || {
    cat "$WORK/err" >&2
    exit 99
}
second_kb=$(used_kb)
umount "$mnt" || exit 99
echo "diskfull: the first commit takes ${first_kb} kB, after the second run ${second_kb} kB"

# Sizes: two where the first commit does not fit (one parallel build, one
# with -j 1), the rest spread between the first commit and 16 kB short of
# the second run.
sizes=$((first_kb / 3))
sizes="$sizes $((first_kb * 3 / 4))"
lo=$((first_kb + 16))
hi=$((second_kb - 16))
n=$((nsizes - 2))
k=0
while [ $k -lt $n ]; do
    sizes="$sizes $((lo + (hi - lo) * k / (n > 1 ? n - 1 : 1)))"
    k=$((k + 1))
done

clean=0
recovered=0
total=0
fails=0
# bad SIZE WHAT: this size did not fail cleanly.
bad() {
    echo "diskfull: ${1} kB: $2" >&2
    ok=0
}
check_state() { # check_state SIZE ALLOWED...: the index is in one of them
    if ! "$LEDE_INDEX" --check "$idx" >"$WORK/check" 2>&1; then
        bad "$1" "--check fails: $(cat "$WORK/check")"
        return
    fi
    dump "$idx" >"$WORK/dump"
    state=$(classify "$WORK/dump" "$WORK/old.expected" "$WORK/new.expected")
    [ -s "$WORK/dump" ] || state=empty
    s=$1
    shift
    for want in "$@"; do
        [ "$state" = "$want" ] && return
    done
    bad "$s" "the index holds '$(echo "$state" | sed 6q)', expected: $*"
}
check_failure() { # check_failure SIZE STATUS: a clean disk-full failure
    [ "$2" -eq 74 ] || bad "$1" "exit status $2, expected 74: $(cat "$WORK/err")"
    grep -q "No space left on device" "$WORK/err" ||
        bad "$1" "no 'No space left on device' in: $(cat "$WORK/err")"
    grep -qF "$idx" "$WORK/err" ||
        bad "$1" "the message does not name $idx: $(cat "$WORK/err")"
}

i=0
for kb in $sizes; do
    i=$((i + 1))
    total=$((total + 1))
    ok=1
    note=
    mount -t tmpfs -o "size=${kb}k" tmpfs "$mnt" || exit 99
    # The first commit: on the tmpfs when it fits.
    jobs=1
    [ "$i" -eq 1 ] && jobs=2
    build -j "$jobs"
    status=$?
    if [ "$status" -ne 0 ]; then
        fails=$((fails + 1))
        check_failure "$kb" "$status"
        check_state "$kb" empty old
        note="first commit failed (-j $jobs, $state)"
        if [ "$state" != old ]; then
            rm -rf "$idx"
            if cp -a "$WORK/base" "$idx" 2>/dev/null; then
                note="$note, copied"
            else
                # No room for the first commit: the rerun makes it.
                rm -rf "$idx"
                note="$note, no room for a copy"
            fi
        fi
    fi
    if [ -d "$idx" ] && [ "$(dump "$idx" | wc -l)" -gt 0 ]; then
        update
        status=$?
        if [ "$status" -eq 0 ]; then
            note="$note; the second run fitted"
            check_state "$kb" new
        else
            fails=$((fails + 1))
            note="$note; second run failed"
            check_failure "$kb" "$status"
            # One batch: the index keeps the first commit, whole.
            check_state "$kb" old
        fi
    fi
    [ "$ok" -eq 1 ] && clean=$((clean + 1))
    # Free space: grow the tmpfs; a rerun completes the new corpus.
    ok=1
    mount -o remount,size=256m "$mnt" || exit 99
    update
    status=$?
    [ "$status" -eq 0 ] || bad "$kb" "the rerun exited $status: $(cat "$WORK/err")"
    check_state "$kb" new
    n=$(articles "$idx" "$WORK/empty")
    [ "$n" = 460 ] || bad "$kb" "after the rerun the index holds $n articles, not 460"
    "$LEDE_SEARCH" -n 10000 --per-article=0 --no-dedup "$idx" walrus \
        >"$WORK/s" 2>&1
    [ "$(grep -c '^ *d[0-9]*/a3[4-9][0-9]\.txt #' "$WORK/s")" -eq 240 ] ||
        bad "$kb" "walrus is not in exactly the 60 unchanged articles"
    "$LEDE_SEARCH" -n 10000 --per-article=0 --no-dedup "$idx" narwhal \
        >"$WORK/s" 2>&1
    [ "$(grep -c '^ *d[0-9]*/a[0-9]*\.txt #' "$WORK/s")" -eq 1500 ] ||
        bad "$kb" "narwhal is not in exactly the 300 changed articles"
    [ "$ok" -eq 1 ] && recovered=$((recovered + 1))
    umount "$mnt" || exit 99
    echo "diskfull: ${kb} kB:$note"
done

echo "diskfull: $fails runs ran out of space"
echo "figure: diskfull: $clean/$total sizes failed cleanly, $recovered/$total recovered"
[ "$clean" -eq "$total" ] && [ "$recovered" -eq "$total" ]
