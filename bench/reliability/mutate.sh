#!/bin/sh
# A damaged or hostile index under `lede-index --check`: bytes flipped in,
# and truncations of, every file of a small real index (each glass table,
# its version file iamglass), each followed by a --check of a copy.
# Usage: bench/reliability/mutate.sh BUILD_DIR [MUTATIONS [SEED]]
#   (or LEDE_INDEX and LEDE_SEARCH set, and MUTATIONS, SEED as arguments)
#
# MUTATIONS (default 2000) are shared out over the index's files: for
# each, four in five flip one random byte (XOR with a random non-zero
# value) at a random offset, one in five truncates the file to a random
# length. --check must exit 0 (the change was harmless: a byte of a free
# block, say), 1 (problems found) or 2 (not an index any more), never
# crash, and never print a sanitizer report: run it on a build configured
# with --enable-sanitizers, where AddressSanitizer sees every read lede
# makes and every allocation Xapian makes. The seed replays the same
# mutations; a failing one is kept in the scratch directory's "failed/".
# Prints "figure: mutate: N mutations: A clean, B problems (X faults in
# Xapian's check, contained), C not an index, 0 crashes".
# A small index: 60 articles of three passages, 20 more (lib.sh reads
# these when sourced).
REL_CHANGED=60
REL_OTHER=10
# shellcheck source=bench/reliability/lib.sh
. "$(dirname "$0")/lib.sh"

total=${1:-2000}
seed=${2:-$(date +%s)}
echo "index mutation campaign: $total mutations, seed $seed"

# Every report is kept: the status alone would miss an error that the
# sanitizer only prints (LeakSanitizer, UBSan in recover mode).
# As in make check: libxapian 1.4.22's own check frees an object through
# a base-class pointer of a smaller type, which AddressSanitizer flags.
ASAN_OPTIONS="new_delete_type_mismatch=0:exitcode=86${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS=${UBSAN_OPTIONS:-}${UBSAN_OPTIONS:+:}halt_on_error=1:exitcode=86:print_stacktrace=1
export ASAN_OPTIONS UBSAN_OPTIONS

corpus=$RTMP/corpus
base=$RTMP/base
work=$RTMP/work
rel_corpus "$corpus" old
# A title per article, a date, a misspelling or two: the spelling table
# and every value slot hold something.
"$LEDE_INDEX" -q -j 1 "$base" "$corpus" || rel_fail "indexing failed"
"$LEDE_INDEX" --check "$base" >"$RTMP/out" 2>&1 ||
    rel_fail "the index is damaged before any mutation: $(cat "$RTMP/out")"

files=$(cd "$base" && find . -type f ! -name flintlock | sed 's|^\./||' | sort)
nfiles=$(echo "$files" | wc -l)
per=$(((total + nfiles - 1) / nfiles))

# The plan: one line per mutation, "FILE flip OFFSET VALUE" or
# "FILE trunc LENGTH", the same for the same seed and index.
for f in $files; do
    echo "$f $(wc -c <"$base/$f")"
done | awk -v seed="$seed" -v per="$per" '
    BEGIN { srand(seed) }
    {
        for (i = 0; i < per; i++) {
            if ($2 == 0 || rand() < 0.2)
                print $1, "trunc", int(rand() * $2)
            else
                print $1, "flip", int(rand() * $2), 1 + int(rand() * 255)
        }
    }' >"$RTMP/plan"

# xapian_read REPORT: the report is of a fault inside Xapian's own
# Database::check, reached before any lede code on the stack: a read past
# a buffer (libxapian 1.4.22 copies a term of a damaged term list with the
# length the damage gives it) or a segmentation fault on such a length.
# lede-index --check runs in a child process, which the fault ends; the
# parent reports the damage and exits 1. Not lede's to fix: counted, not a
# failure, as long as lede-index itself came through.
xapian_read() {
    grep -Eq 'ERROR: AddressSanitizer: (heap-buffer-overflow|SEGV)' "$1" &&
        awk '/^    #[0-9]/ {
                if (/Database::check_/) { ok = 1; exit }
                if (/lede|\.\.\/lib\//) exit
            }
            END { exit !ok }' "$1"
}

clean=0 problems=0 notindex=0 crashes=0 inxapian=0 n=0
mkdir -p "$RTMP/failed"
while read -r file kind a b; do
    n=$((n + 1))
    rm -rf "$work"
    cp -R "$base" "$work"
    if [ "$kind" = trunc ]; then
        dd if=/dev/null of="$work/$file" bs=1 seek="$a" 2>/dev/null
    else
        old=$(od -An -tu1 -j "$a" -N 1 "$work/$file" | tr -d ' ')
        byte=$(printf '%03o' $((old ^ b)))
        # shellcheck disable=SC2059 # the format is the byte
        printf "\\$byte" | dd of="$work/$file" bs=1 seek="$a" conv=notrunc \
            2>/dev/null
    fi
    "$LEDE_INDEX" --check "$work" >"$RTMP/out" 2>"$RTMP/err"
    status=$?
    if [ "$status" -eq 1 ] && xapian_read "$RTMP/err" &&
        grep -q 'the check crashed' "$RTMP/out"; then
        inxapian=$((inxapian + 1))
        problems=$((problems + 1))
        continue
    fi
    if grep -q 'Sanitizer\|runtime error:' "$RTMP/err" ||
        [ "$status" -gt 2 ]; then
        crashes=$((crashes + 1))
        keep=$RTMP/failed/$n
        cp -R "$work" "$keep"
        cp "$RTMP/err" "$keep.err"
        printf 'mutation %d (%s %s %s %s): exit %d\n' "$n" "$file" "$kind" \
            "$a" "${b:-}" "$status" >&2
        grep -m 12 -E 'ERROR|SUMMARY|runtime error|#[0-9] ' "$RTMP/err" >&2
        continue
    fi
    case $status in
    0) clean=$((clean + 1)) ;;
    1) problems=$((problems + 1)) ;;
    2) notindex=$((notindex + 1)) ;;
    esac
done <"$RTMP/plan"

# Which files the plan covered, so a run shows every table was reached.
echo "files: $(echo "$files" | tr '\n' ' ')"
echo "figure: mutate: $n mutations: $clean clean, $problems problems" \
    "($inxapian faults in Xapian's check, contained), $notindex not an" \
    "index, $crashes crashes"
if [ "$crashes" -gt 0 ]; then
    trap - EXIT
    echo "the failing indexes and reports are in $RTMP/failed" >&2
    exit 1
fi
