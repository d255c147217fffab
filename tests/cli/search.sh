#!/bin/sh
# The search language and outputs on the sample corpus: phrases, exclusion
# with dates, explanations that sum to the score (checked by a JSON
# parser), spelling suggestions, syntax errors with their column, TREC
# runs (ids percent-encoded), query files (their qids in messages,
# suggestions and --parse), date sorting and highlighting.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
check=$LEDE_TESTBIN/jsoncheck
run 0 "$LEDE_INDEX" "$idx" "$LEDE_SRCDIR/corpus"

# A phrase.
run 0 "$LEDE_SEARCH" "$idx" '"Singapore summit"'
contains "$TMP/out" "1. Trump and Kim pledge new relations and denuclearization at Singapore summit"
run 0 "$LEDE_SEARCH" --json "$idx" '"Singapore summit"'
[ "$("$check" <"$TMP/out")" -ge 1 ] || fail "no JSON results"

# Exclusion and a date filter: every result from 2018, none about Hanoi.
run 0 "$LEDE_SEARCH" --json -n 50 "$idx" 'summit -Hanoi date:2018'
"$check" <"$TMP/out" >"$TMP/n" || fail "bad JSON"
[ "$(cat "$TMP/n")" -ge 5 ] || fail "expected at least 5 results"
if grep -v '"date":"2018-' "$TMP/out" | grep -q .; then
    fail "a result not dated 2018"
fi
if grep -qi 'hanoi' "$TMP/out"; then
    fail "a result mentions Hanoi"
fi

# Explanations sum to the score.
run 0 "$LEDE_SEARCH" --json --explain -n 20 --per-article 0 "$idx" Singapore summit
"$check" --explain <"$TMP/out" >"$TMP/n" || fail "explain check failed"
[ "$(cat "$TMP/n")" -eq 20 ] || fail "expected 20 explained results"
run 0 "$LEDE_SEARCH" --explain -n 1 "$idx" Singapore summit
contains "$TMP/out" "title:singapor"

# Did you mean.
run 1 "$LEDE_SEARCH" "$idx" 'Singapre sumit'
contains "$TMP/err" "no match; did you mean: singapore summit"
run 1 "$LEDE_SEARCH" --json "$idx" 'Singapre sumit'
same "$TMP/out" /dev/stdin <<'JSON'
{"suggestion":"singapore summit"}
JSON
"$check" <"$TMP/out" >/dev/null || fail "suggestion is not valid JSON"

# Syntax errors: status 2, the column named.
run 2 "$LEDE_SEARCH" "$idx" 'summit AND (Hanoi'
contains "$TMP/err" "query: '(' is never closed at column 12"
run 2 "$LEDE_SEARCH" "$idx" 'summit date:2018-13'
contains "$TMP/err" "lede-search: query: no such month: 2018-13 at column 13"
run 2 "$LEDE_SEARCH" "$idx" 'summit date:18-06'
contains "$TMP/err" "is not a date (YYYY, YYYY-MM or YYYY-MM-DD) at column 13"

# TREC runs, and many queries through one open index.
run 0 "$LEDE_SEARCH" --format trec --qid 7 -n 3 "$idx" Singapore summit
grep -Evq '^7 Q0 [^ ]+ [123] [0-9]+\.[0-9]{6} lede$' "$TMP/out" &&
    fail "a TREC line of the wrong form"
cut -d' ' -f3,4 "$TMP/out" >"$TMP/ranks"
same "$TMP/ranks" /dev/stdin <<'TREC'
diplomacy/2018-06-12-trump-kim-singapore-summit.txt 1
summits/2018-11-15-asean-33rd-summit-singapore.txt 2
summits/2018-04-28-asean-32nd-summit-singapore.txt 3
TREC
printf 'q1\tHanoi summit\nq2\tEverest climbers\n\nzeppelin airship\n' \
    >"$TMP/queries"
run 0 "$LEDE_SEARCH" --format trec -n 2 --queries "$TMP/queries" "$idx"
[ "$(grep -c '^q1 Q0 ' "$TMP/out")" -eq 2 ] || fail "q1 lines"
[ "$(grep -c '^q2 Q0 ' "$TMP/out")" -eq 2 ] || fail "q2 lines"
contains "$TMP/out" "q2 Q0 environment/2019-05-27-everest-crowding-deaths.txt 1 "
run 0 "$LEDE_SEARCH" --json -n 1 --queries "$TMP/queries" "$idx"
contains "$TMP/out" '"qid":"q1"'
contains "$TMP/out" '"qid":"q2"'

# Suggestions carry the qid: on the JSON line, and on standard error
# after the file and line of the query.
printf 'q1\tHanoi summit\nq9\tSingapre sumit\n' >"$TMP/queries2"
run 0 "$LEDE_SEARCH" --json -n 1 --queries "$TMP/queries2" "$idx"
grep -F '"suggestion"' "$TMP/out" >"$TMP/sug"
same "$TMP/sug" /dev/stdin <<'JSON'
{"suggestion":"singapore summit","qid":"q9"}
JSON
run 1 "$LEDE_SEARCH" --json --qid 7 "$idx" 'Singapre sumit'
same "$TMP/out" /dev/stdin <<'JSON'
{"suggestion":"singapore summit","qid":"7"}
JSON
run 0 "$LEDE_SEARCH" --format trec -n 1 --queries - "$idx" <"$TMP/queries2"
same "$TMP/err" /dev/stdin <<'ERR'
lede-search: (standard input):2: query q9: no match; did you mean: singapore summit
ERR

# A query of a file that cannot be read is named by file, line and qid;
# the other queries still run, and the status is 2.
printf 'q1\tHanoi summit\nsummit AND (Hanoi\n' >"$TMP/bad"
run 2 "$LEDE_SEARCH" --format trec -n 1 --queries "$TMP/bad" "$idx"
same "$TMP/err" /dev/stdin <<ERR
lede-search: $TMP/bad:2: query 2: query: '(' is never closed at column 12
ERR
contains "$TMP/out" \
    "q1 Q0 diplomacy/2019-02-28-hanoi-summit-ends-without-agreement.txt 1 "

# Each line of a query file has its id, so --qid cannot go with it.
run 2 "$LEDE_SEARCH" --format trec --qid 7 --queries "$TMP/queries" "$idx"
contains "$TMP/err" \
    "lede-search: --qid and --queries cannot be used together"
[ -s "$TMP/out" ] && fail "output despite a usage error"

# --parse reads each query of a file: one line each, QID<TAB>reading.
tab=$(printf '\t')
run 0 "$LEDE_SEARCH" --parse --title-weight=0 --proximity=0 \
    --queries "$TMP/queries" "$idx"
same "$TMP/out" /dev/stdin <<PARSE
q1${tab}(OR hanoi summit)
q2${tab}(OR everest climber)
4${tab}(OR zeppelin airship)
PARSE
run 2 "$LEDE_SEARCH" --parse --title-weight=0 --proximity=0 \
    --queries "$TMP/bad" "$idx"
same "$TMP/out" /dev/stdin <<PARSE
q1${tab}(OR hanoi summit)
PARSE
same "$TMP/err" /dev/stdin <<ERR
lede-search: $TMP/bad:2: query 2: query: '(' is never closed at column 12
ERR

# A JSON string holds only UTF-8: a query whose id is not is refused,
# naming its line, and the other queries still run; a TREC run encodes it.
printf 'q\3771\tHanoi summit\nq2\tHanoi summit\n' >"$TMP/latin1qid"
run 2 "$LEDE_SEARCH" --json -n 1 --queries "$TMP/latin1qid" "$idx"
same "$TMP/err" /dev/stdin <<ERR
lede-search: $TMP/latin1qid:1: query q\xff1: its id is not valid UTF-8, which JSON cannot carry
ERR
[ "$(grep -c '"qid":"q2"' "$TMP/out") $(wc -l <"$TMP/out")" = "1 1" ] ||
    fail "JSON run with a non-UTF-8 qid: $(cat "$TMP/out")"
run 2 "$LEDE_SEARCH" --json --qid "$(printf 'q\377')" "$idx" Hanoi
same "$TMP/err" /dev/stdin <<'ERR'
lede-search: --qid q\xff is not valid UTF-8, which JSON cannot carry
ERR
run 0 "$LEDE_SEARCH" --format trec -n 1 --queries "$TMP/latin1qid" "$idx"
[ "$(cut -d' ' -f1 "$TMP/out" | tr '\n' ' ')" = "q%FF1 q2 " ] ||
    fail "TREC run with a non-UTF-8 qid: $(cat "$TMP/out")"

# An empty id before the tab is the line number, as no id is.
printf '\tHanoi summit\n' >"$TMP/emptyqid"
run 0 "$LEDE_SEARCH" --format trec -n 1 --queries "$TMP/emptyqid" "$idx"
[ "$(awk '{ print NF, $1 }' "$TMP/out")" = "6 1" ] ||
    fail "empty qid: $(cat "$TMP/out")"

# TREC fields are split at whitespace, so whitespace and '%' in ids are
# percent-encoded. The files are made here: automake cannot distribute
# names with a space.
mkdir "$TMP/odd"
printf 'Volcano erupts\n\nThe volcano erupted on Monday.\n' \
    >"$TMP/odd/my volcano.txt"
printf 'Ash cloud\n\nAsh from the volcano closed airports.\n' \
    >"$TMP/odd/ash${tab}50%.txt"
run 0 "$LEDE_INDEX" "$TMP/odd-index" "$TMP/odd"
run 0 "$LEDE_SEARCH" --format trec --qid 'q 1' "$TMP/odd-index" volcano
awk 'NF != 6 { exit 1 }' "$TMP/out" || fail "a TREC line without 6 fields"
cut -d' ' -f1-4 "$TMP/out" >"$TMP/ranks"
same "$TMP/ranks" /dev/stdin <<'TREC'
q%201 Q0 my%20volcano.txt 1
q%201 Q0 ash%0950%25.txt 2
TREC

# Newest first.
run 0 "$LEDE_SEARCH" --json -n 20 --sort date "$idx" summit
sed 's/.*"date":"\([0-9-]*\)T.*/\1/' "$TMP/out" >"$TMP/dates"
sort -r "$TMP/dates" | cmp -s - "$TMP/dates" || fail "not newest first"

# Highlights in bold when asked, never when not.
run 0 "$LEDE_SEARCH" --color=always -n 1 "$idx" Hanoi
grep -qi "$(printf '\033')\\[1mhanoi$(printf '\033')\\[0m" "$TMP/out" ||
    fail "no bold Hanoi"
run 0 "$LEDE_SEARCH" --color=never -n 1 "$idx" Hanoi
if grep -q "$(printf '\033')" "$TMP/out"; then
    fail "escape codes with --color=never"
fi
run 2 "$LEDE_SEARCH" --color=sometimes "$idx" Hanoi

# By default, bold on a terminal, but not on TERM=dumb or with NO_COLOR.
if command -v script >/dev/null 2>&1 && script -qc true /dev/null \
    >/dev/null 2>&1; then
    esc=$(printf '\033')
    for env in "TERM=xterm" "TERM=dumb" "TERM=xterm NO_COLOR=1"; do
        # shellcheck disable=SC2086 # one word an assignment
        env $env script -qc "'$LEDE_SEARCH' -n 1 '$idx' Hanoi" /dev/null \
            >"$TMP/tty" 2>&1 </dev/null || fail "$env: $(cat "$TMP/tty")"
        if grep -q "$esc" "$TMP/tty"; then bold=yes; else bold=no; fi
        case "$env:$bold" in
        TERM=xterm:yes | TERM=dumb:no | *NO_COLOR*:no) ;;
        *) fail "$env: bold: $bold" ;;
        esac
    done
else
    echo "no script(1): colour on a terminal not tried" >&2
fi
exit 0
