#!/bin/sh
# The progress line on a terminal counts the bytes read within a file:
# one large gzip JSON Lines file shows a rate and the time left from its
# first lines, not "0.0 MB/s  ETA --:--" until its end. The line is drawn
# on a pseudo-terminal (script(1)); what is checked does not depend on
# the machine's speed: the first line drawn is the first event's, which
# comes within the file, after its first articles; once the file is read,
# the line says "finishing", not a time left of 0:00.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

if ! command -v script >/dev/null 2>&1 ||
    ! script -qc true /dev/null >/dev/null 2>&1; then
    echo "SKIP: no script(1) to give lede-index a terminal" >&2
    exit 77
fi
c=$TMP/corpus
mkdir "$c" || exit 99
# 3000 articles of words that compress little, as text does.
awk 'BEGIN {
    x = 12345
    for (i = 1; i <= 3000; i++) {
        t = ""
        for (w = 0; w < 40; w++) {
            x = (x * 1103515245 + 12345) % 2147483648
            t = t sprintf(" %x", int(x / 256) % 1048576)
        }
        printf "{\"id\":\"a%d\",\"title\":\"Report %d\",\"text\":\"%s\"}\n", i, i, t
    }
}' | gzip -c >"$c/dump.jsonl.gz" || exit 99

for jobs in 1 2; do
    rm -rf "$TMP/idx"
    script -qc "'$LEDE_INDEX' -j $jobs '$TMP/idx' '$c'" /dev/null \
        >"$TMP/tty" 2>&1 </dev/null || fail "-j $jobs: $(cat "$TMP/tty")"
    tr '\r' '\n' <"$TMP/tty" | sed -n 's/.*\(lede-index: files .*\)/\1/p' \
        >"$TMP/lines"
    first=$(first_line "$TMP/lines")
    case $first in
    "lede-index: files 0/1  articles "*" MB/s  ETA "[0-9]*:[0-9][0-9]*) ;;
    *) fail "-j $jobs: first progress line: '$first'" ;;
    esac
    # Once every byte is read, the line says so rather than "ETA 0:00"
    # while the threads index what they were handed.
    if grep -v '  finishing$' "$TMP/lines" | grep -q 'files 1/1 '; then
        fail "-j $jobs: a line after the end of the file: $(cat "$TMP/lines")"
    fi
    grep -q 'lede-index: 3000 added, .*; 0 files skipped, 0 errors; ' \
        "$TMP/tty" || fail "-j $jobs: no summary: $(cat "$TMP/tty")"
done
exit 0
