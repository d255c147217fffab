#!/bin/sh
# Control characters in titles, bodies, ids and file names never reach the
# terminal: the human output and messages show them as \xHH (C0, DEL,
# bytes that are not UTF-8) and \u00HH (C1), JSON escapes them all as
# \u00HH, a TREC run percent-encodes them. Exact bytes are compared.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
c=$TMP/corpus
mkdir "$c" || exit 99
esc=$(printf '\033')
# A text file whose name, title and body carry ESC sequences (SGR, a
# screen clear, an OSC window title ended by BEL), a C1 CSI and DEL.
printf 'Red \033[31malert\033[0m title\a\n\nThe zebra has \033]0;pwned\007 an osc, \302\233 a csi and \177 a del.\n' \
    >"$c/evil${esc}[2J.txt"
# A JSON line whose id and title carry controls as JSON escapes.
printf '%s\n' '{"id":"j\u001b[1mid\u0085","title":"Two\nlines\u009b","text":"The yak \u001b[8mhides\u0007 here."}' \
    >"$c/lines.jsonl"
# Skipped and ignored files whose names carry controls and a byte that is
# not UTF-8.
mkfifo "$c/pipe${esc}[5m.txt" || exit 99
printf 'x\n' >"$c/notes$(printf '\377').md"

run 1 "$LEDE_INDEX" -v "$idx" "$c"
contains "$TMP/err" "lede-index: $c/notes\\xff.md: ignored: no known format"
contains "$TMP/err" \
    "lede-index: $c/pipe\\x1b[5m.txt: skipped: a FIFO, not a regular file"
if grep -q "$esc" "$TMP/err"; then
    fail "an ESC byte in the indexer's messages"
fi

# scored FILE: FILE with the scores left out (ranking is tested elsewhere).
scored() {
    sed 's/score [0-9.]*/score S/' "$1" >"$1.s" || exit 99
}

run 0 "$LEDE_SEARCH" "$idx" zebra
scored "$TMP/out"
printf '%s\n' \
    '1. Red \x1b[31malert\x1b[0m title\x07' \
    '   evil\x1b[2J.txt #0  score S' \
    '   The zebra has \x1b]0;pwned\x07 an osc, \u009b a csi and \x7f a del.' \
    '' '1-1 of 1 matching article' >"$TMP/want"
same "$TMP/out.s" "$TMP/want"

# With colour, the highlight is lede's own escape; the text's are shown.
run 0 "$LEDE_SEARCH" --color=always "$idx" yak
scored "$TMP/out"
{
    printf '1. \033[1mTwo\\x0alines\\u009b\033[0m\n'
    printf '   j\\x1b[1mid\\u0085 #0  score S\n'
    printf '   The \033[1myak\033[0m \\x1b[8mhides\\x07 here.\n'
    printf '\n1-1 of 1 matching article\n'
} >"$TMP/want"
same "$TMP/out.s" "$TMP/want"

run 0 "$LEDE_SEARCH" --json "$idx" yak
contains "$TMP/out" '"article_id":"j\u001B[1mid\u0085","title":"Two\nlines\u009B"'
contains "$TMP/out" '"text":"The yak \u001B[8mhides\u0007 here."'
run 0 "$LEDE_SEARCH" --json "$idx" zebra
contains "$TMP/out" '"text":"The zebra has \u001B]0;pwned\u0007 an osc, \u009B a csi and \u007F a del."'

run 0 "$LEDE_SEARCH" --format=trec "$idx" yak
contains "$TMP/out" "1 Q0 j%1B[1mid%C2%85 1 "

# Not one raw control byte (but the newline) or C1 code point in any
# output: every line is printable UTF-8.
for fmt in human json trec; do
    run 0 "$LEDE_SEARCH" --format=$fmt "$idx" zebra OR yak
    if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$TMP/out" ||
        grep -q "$(printf '\302[\200-\237]')" "$TMP/out"; then
        fail "a control character in the $fmt output"
    fi
done

# Text that is not ASCII is printed as it is, wrapped by characters.
printf 'Caf\303\251 \346\235\261\344\272\254 \360\237\246\223\n\nThe \303\251clair quokka: %s\n' \
    "$(printf 'd\303\251j\303\240 %.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)" \
    >"$c/$(printf 'caf\303\251.txt')"
run 0 "$LEDE_INDEX" "$idx" "$c/$(printf 'caf\303\251.txt')"
run 0 "$LEDE_SEARCH" "$idx" quokka
scored "$TMP/out"
{
    printf '1. Caf\303\251 \346\235\261\344\272\254 \360\237\246\223\n'
    printf '   caf\303\251.txt #0  score S\n'
    printf '   The \303\251clair quokka:'
    printf ' d\303\251j\303\240%.0s' 1 2 3 4 5 6 7 8 9 10 11
    printf '\n  '
    printf ' d\303\251j\303\240%.0s' 1 2 3 4 5
    printf '\n\n1-1 of 1 matching article\n'
} >"$TMP/want"
same "$TMP/out.s" "$TMP/want"

# A query's own controls are shown in its error message.
run 2 "$LEDE_SEARCH" "$idx" "$(printf 'zebra date:\033[2J')"
contains "$TMP/err" "query: '\x1b[2J' is not a date"
if grep -q "$esc" "$TMP/err"; then
    fail "an ESC byte in the searcher's messages"
fi
exit 0
