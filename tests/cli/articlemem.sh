#!/bin/sh
# One big article is indexed in bounded memory: a 4 MiB article of 700,000
# words (5,300 passages) must index under a resident-set ceiling of
# 250 MB, where building every passage before handing any to Xapian, and
# Xapian buffering all of them until the commit, took 400 MB. The article
# must still come out whole: its last passage, found by its own word, with
# the number and byte offsets it was written at.
# Skipped without GNU time (/usr/bin/time), and under valgrind and the
# sanitizers, whose memory is not the program's.
# shellcheck source=tests/cli/lib.sh
. "$LEDE_SRCDIR/tests/cli/lib.sh"
if [ "${LEDE_SANITIZERS:-no}" = yes ] || [ -n "${LEDE_VALGRIND_LOGS:-}" ]; then
    echo "skipped: memory under the sanitizers or valgrind is theirs"
    exit 77
fi
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
    echo "skipped: needs GNU time (/usr/bin/time; Debian: apt-get install time)"
    exit 77
fi

# A title line, then paragraphs of 100 made-up words (up to 200,000
# distinct, as hard on Xapian's spelling data as prose gets) to just under
# 4 MiB, then a short sentence with the word "omegamark", which ends the
# last paragraph's passage. Prints that passage's number (passages count
# from 0, one a paragraph) and its offsets in the body, which starts after
# the title line.
mkdir "$TMP/c"
awk -v bytes=4194304 -v out="$TMP/c/big.txt" 'BEGIN {
    srand(1)
    printf "A very long report\n\n" >out
    n = 1
    para = 0
    while (n < bytes - 2000) {
        p = ""
        for (i = 0; i < 100; i++)
            p = p sprintf("w%x ", int(rand() * 200000))
        p = p "end.\n\n"
        printf "%s", p >out
        last = n
        n += length(p)
        para++
    }
    p = "The omegamark closes the report.\n"
    printf "%s", p >out
    print para - 1, last, n + length(p) - 1
}' >"$TMP/expect" || fail "awk failed"
read -r paras start end <"$TMP/expect"

/usr/bin/time -f %M -o "$TMP/rss" "$LEDE_INDEX" -q -j 1 "$TMP/idx" "$TMP/c" \
    >"$TMP/out" 2>&1 || {
    cat "$TMP/out" >&2
    fail "lede-index failed on the 4 MiB article"
}
kb=$(tail -n 1 "$TMP/rss")
echo "peak resident set: $kb KB for $(wc -c <"$TMP/c/big.txt") bytes"
[ "$kb" -lt 250000 ] || fail "indexing a 4 MiB article took $kb KB (ceiling 250,000)"

run 0 "$LEDE_SEARCH" --json "$TMP/idx" omegamark
contains "$TMP/out" "\"article_id\":\"big.txt\",\"title\":\"A very long report\",\"passage\":$paras,\"start\":$start,\"end\":$end,"
contains "$TMP/out" 'end.\n\nThe omegamark closes the report.","snippet"'
[ "$(grep -c '"article_id"' "$TMP/out")" -eq 1 ] || fail "not one hit"
exit 0
