#!/bin/sh
# Two cron jobs at once: two lede-index runs start together on the same
# index and corpus, ROUNDS times (default 20), then ROUNDS/2 times with
# --wait on both.
# Usage: bench/reliability/cron2.sh BUILD_DIR [ROUNDS]
#   (or LEDE_INDEX and LEDE_SEARCH set, and ROUNDS as the argument)
#
# Without --wait, exactly one must index (exit 0, reporting the changes)
# while the other exits 75 at once; if the second started only after the
# first had finished, it exits 0 finding nothing to do (counted apart).
# With --wait, both exit 0: one did the work, the other found it done.
# Every round ends with `--check` passing and exactly the new corpus.
# shellcheck source=bench/reliability/lib.sh
. "$(dirname "$0")/lib.sh"

rounds=${1:-20}
corpus=$RTMP/corpus
base=$RTMP/base
idx=$RTMP/idx
rel_corpus "$corpus" old
"$LEDE_INDEX" -q --paragraph-passages -j 1 "$base" "$corpus" ||
    rel_fail "indexing the old corpus failed"
sleep 1
rel_corpus "$corpus" new
find "$corpus" -type f -exec touch {} +
changes=$((REL_CHANGED + 2 * REL_OTHER))
all_new="old 0 new $changes"

# kind STATS_FILE STATUS: "work" (indexed every change), "none" (found
# nothing to do), "locked" (75) or "other".
kind() {
    if [ "$2" -eq 75 ]; then
        echo locked
    elif [ "$2" -ne 0 ]; then
        echo other
    elif grep -q "^added=$REL_OTHER updated=$REL_CHANGED deleted=$REL_OTHER " "$1"; then
        echo work
    elif grep -q '^added=0 updated=0 deleted=0 ' "$1"; then
        echo none
    else
        echo other
    fi
}

# round WAIT_OPTION: sets outcome to "work+locked", "work+none" or what
# went wrong.
round() {
    rm -rf "$idx"
    cp -R "$base" "$idx"
    # shellcheck disable=SC2086 # $1 is empty or one option
    "$LEDE_INDEX" -q --stats -b 10 $1 "$idx" "$corpus" >"$RTMP/a" 2>"$RTMP/ae" &
    a=$!
    # shellcheck disable=SC2086
    "$LEDE_INDEX" -q --stats -b 10 $1 "$idx" "$corpus" >"$RTMP/b" 2>"$RTMP/be" &
    b=$!
    wait "$a"
    sa=$?
    wait "$b"
    sb=$?
    outcome=$(printf '%s\n%s\n' "$(kind "$RTMP/a" $sa)" "$(kind "$RTMP/b" $sb)" |
        sort | paste -sd+ -)
    if [ "$outcome" = locked+work ]; then
        grep -q 'another lede-index' "$RTMP/ae" "$RTMP/be" || {
            outcome="75 without a message"
            cat "$RTMP/ae" "$RTMP/be" >&2
        }
    fi
    if ! "$LEDE_INDEX" --check "$idx" >"$RTMP/check" 2>&1; then
        cat "$RTMP/check" >&2
        outcome="damaged ($outcome)"
        return
    fi
    rel_state "$idx" >"$RTMP/s"
    [ "$(rel_judge "$RTMP/s")" = "$all_new" ] ||
        outcome="not the new corpus ($outcome)"
}

# campaign LABEL WAIT_OPTION N GOOD...: N rounds; an outcome not among
# GOOD fails the campaign.
campaign() {
    label=$1
    opt=$2
    n=$3
    shift 3
    : >"$RTMP/outcomes"
    i=0
    while [ "$i" -lt "$n" ]; do
        round "$opt"
        echo "$outcome" >>"$RTMP/outcomes"
        i=$((i + 1))
    done
    good=0
    for g in "$@"; do
        good=$((good + $(grep -cx "$g" "$RTMP/outcomes")))
    done
    summary=$(sort "$RTMP/outcomes" | uniq -c | awk '{ c = $1; $1 = ""; printf "%s%s %d", sep, substr($0, 2), c; sep = ", " }')
    echo "figure: cron2-$label: $good/$n correct, index never damaged: $(grep -c damaged "$RTMP/outcomes" | sed 's/^0$/yes/; s/^[1-9].*/NO/') ($summary)"
    [ "$good" -eq "$n" ]
}

status=0
campaign exit "" "$rounds" locked+work none+work || status=1
campaign wait "--wait" "$(((rounds + 1) / 2))" none+work || status=1
exit $status
