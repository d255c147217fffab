#!/bin/sh
# lede-search --threads: a set of local shards searched by several threads
# at once gives what one thread gives (the same hits, scores, counts and
# snippets, in every output format); a bad value is refused, naming it.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

# 150 articles of made-up words over 4 shards.
mkdir "$TMP/corpus" || exit 99
awk 'BEGIN {
    seed = 4242
    split("ka lo min tes ar vel qu si dor an pe rum", syl)
    for (w = 1; w <= 200; w++) {
        word = ""
        for (k = 0; k < 2 + w % 2; k++) {
            seed = seed * 16807 % 2147483647
            word = word syl[1 + int(seed / 4096) % 12]
        }
        vocab[w] = word
    }
    for (a = 1; a <= 150; a++) {
        body = ""
        for (p = 0; p < 1 + a % 3; p++) {
            for (k = 0; k < 25; k++) {
                seed = seed * 16807 % 2147483647
                r = seed / 2147483647
                body = body (k ? " " : "") vocab[1 + int(200 * r * r)]
            }
            body = body ".\\n\\n"
        }
        printf "{\"id\":\"a%03d\",\"title\":\"T %d\",\"date\":\"2001-01-%02d\",\"text\":\"%s\"}\n", a, a, 1 + a % 28, body
    }
}' >"$TMP/corpus/news.jsonl" || exit 99
run 0 "$LEDE_INDEX" --shards 4 "$TMP/set" "$TMP/corpus"

word=$(awk 'NR == 3 { print $0 }' "$TMP/corpus/news.jsonl" |
    sed 's/.*"text":"\([a-z]*\) .*/\1/')
[ -n "$word" ] || exit 99

for fmt in trec json human; do
    for args in "-n 100" "-n 20 --offset 10 --no-dedup" "-n 50 --sort date" \
        "-n 30 --per-article 0"; do
        # shellcheck disable=SC2086 # args is a list of options
        run 0 "$LEDE_SEARCH" --format "$fmt" --color never --threads 1 \
            $args "$TMP/set" "$word OR kaka"
        mv "$TMP/out" "$TMP/one"
        [ -s "$TMP/one" ] || fail "no results for $word"
        for t in 2 4 0; do
            # shellcheck disable=SC2086
            run 0 "$LEDE_SEARCH" --format "$fmt" --color never --threads "$t" \
                $args "$TMP/set" "$word OR kaka"
            sed 's/"took_ms":[0-9.]*/"took_ms":T/; s/ in [0-9.]* ms/ in T ms/' \
                "$TMP/out" >"$TMP/many"
            sed 's/"took_ms":[0-9.]*/"took_ms":T/; s/ in [0-9.]* ms/ in T ms/' \
                "$TMP/one" >"$TMP/one.cmp"
            same "$TMP/many" "$TMP/one.cmp"
        done
    done
done

run 2 "$LEDE_SEARCH" --threads x "$TMP/set" "$word"
contains "$TMP/err" "lede-search: --threads: 'x' is not a number from 0 to 1024"
run 2 "$LEDE_SEARCH" --threads 1025 "$TMP/set" "$word"
contains "$TMP/err" "lede-search: --threads: '1025' is not a number from 0 to 1024"
run 0 "$LEDE_SEARCH" --help
contains "$TMP/out" "--threads=N"
exit 0
