#!/bin/sh
# Bad input never stops a run and never loses what is indexed: every kind
# of bad file in one generated corpus, each skipped file named with its
# reason, exit status 1, and the good articles indexed. Symbolic links not
# followed are not bad input: ignored, and named only with -v.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
c=$TMP/corpus
mkdir "$c" "$c/sub" || exit 99
printf 'Good one\n\nThe good gecko basks.\n' >"$c/good.txt"
printf 'Good two\n\nThe good gibbon swings.\n' >"$c/sub/good2.txt"
# Invalid UTF-8 and a NUL past the first 8 KiB: indexed, as U+FFFD.
printf 'Latin\n\nCaf\351 gecko.\n' >"$c/latin1.txt"
{
    printf 'Late NUL\n\n'
    head -c 9000 /dev/zero | tr '\0' 'x'
    printf ' gerbil \000 end\n'
} >"$c/late-nul.txt"
# Binary: refused.
printf 'Bin\n\n\000\001\002\003' >"$c/binary.txt"
# FIFO and device: skipped without blocking.
mkfifo "$c/fifo.txt" || exit 99
# A symbolic link loop, a dangling link, a link out of the corpus.
ln -s "$c/sub" "$c/sub/loop" || exit 99
ln -s "$c/missing.txt" "$c/dangling.txt" || exit 99
mkdir "$TMP/outside" || exit 99
printf 'Outside\n\nThe outside ocelot.\n' >"$TMP/outside/o.txt"
ln -s "$TMP/outside" "$c/out" || exit 99
# Truncated and corrupt gzip.
printf 'Cut\n\nThe cut cougar.\n' | gzip -c >"$TMP/whole.gz" || exit 99
head -c 20 "$TMP/whole.gz" >"$c/cut.txt.gz"
{
    head -c 10 "$TMP/whole.gz"
    printf 'garbage-garbage-garbage'
} >"$c/corrupt.txt.gz"
# A gzip bomb: 64 MiB of one letter in about 64 KiB.
head -c 67108864 /dev/zero | tr '\0' 'a' | gzip -c >"$c/bomb.txt.gz" ||
    exit 99
# Zeros, gzipped: not a bomb but binary.
head -c 1000 /dev/zero | gzip -c >"$c/zeros.txt.gz" || exit 99
# A 100 MB file on one line: over the article limit, read in bounded memory.
head -c 100000000 /dev/zero | tr '\0' 'y' >"$c/huge.txt"
# Malformed JSON lines: those lines skipped, the others indexed.
{
    printf '{"id":"j1","text":"json jackal"}\n'
    printf '{"id":"j2","text": oops}\n'
    printf '{"id":"j3","text":"json jaguar"}\n'
    printf '{"text":"no id"}\n'
} >"$c/mixed.jsonl"
# Malformed HTML: read as well as it can be.
printf '<html><title>Broken page</title><body><p>The hapless <b>heron\n<p>waits<div>' \
    >"$c/broken.html"

# Memory stays bounded (not under the sanitizers, which reserve terabytes).
if [ "${LEDE_SANITIZERS:-no}" != yes ]; then
    # shellcheck disable=SC3045 # dash and bash have -v; elsewhere no limit
    ulimit -v 1000000 2>/dev/null || true
fi
run 1 "$LEDE_INDEX" --stats "$idx" "$c"
contains "$TMP/out" "skipped=7 errors=2"
contains "$TMP/err" "$c/binary.txt: skipped: binary file (NUL bytes)"
contains "$TMP/err" "$c/fifo.txt: skipped: a FIFO, not a regular file"
if grep -F "symbolic link" "$TMP/err"; then
    fail "a link not followed is ignored, named only with -v"
fi
contains "$TMP/err" "$c/cut.txt.gz: skipped: gzip data is truncated"
contains "$TMP/err" "$c/corrupt.txt.gz: skipped: damaged gzip data"
contains "$TMP/err" "$c/bomb.txt.gz: skipped: gzip data expands more than 200 times"
contains "$TMP/err" "$c/huge.txt: skipped: article over the limit of 16777216 bytes"
contains "$TMP/err" "$c/mixed.jsonl:2: malformed JSON"
contains "$TMP/err" "$c/mixed.jsonl:4: no \"id\" field"
contains "$TMP/err" "$c/zeros.txt.gz: skipped: binary file (NUL bytes)"
contains "$TMP/err" \
    "warning: $c/latin1.txt:1: not UTF-8 (invalid at byte 10); read as windows-1252"

run 0 "$LEDE_SEARCH" --per-article 0 -n 100 "$idx" gecko gibbon jackal jaguar heron gerbil
for id in good.txt sub/good2.txt latin1.txt late-nul.txt j1 j3 broken.html; do
    contains "$TMP/out" "   $id #"
done
run 1 "$LEDE_SEARCH" "$idx" cougar ocelot
run 0 "$LEDE_INDEX" --check "$idx"
run 1 "$LEDE_INDEX" -v "$idx" "$c"
for l in sub/loop dangling.txt out; do
    contains "$TMP/err" "$c/$l: ignored: symbolic link, not followed (--follow-symlinks follows links inside the corpus)"
done

# Following links: the loop, the dangling link and the link out of the
# corpus are named and skipped; nothing outside the corpus is read.
run 1 "$LEDE_INDEX" --follow-symlinks --stats "$idx" "$c"
contains "$TMP/err" "$c/sub/loop: skipped: symbolic link loop"
contains "$TMP/err" "$c/dangling.txt: skipped: dangling symbolic link"
contains "$TMP/err" \
    "$c/out: skipped: symbolic link out of the corpus root, not followed"
run 1 "$LEDE_SEARCH" "$idx" ocelot

# A good file that goes bad keeps its articles until it is good again.
gzip -c "$c/good.txt" >"$c/was-good.txt.gz"
run 1 "$LEDE_INDEX" "$idx" "$c"
# The copy is folded into the original as a near-duplicate.
run 0 "$LEDE_SEARCH" "$idx" basks
contains "$TMP/out" "good.txt #0  score"
contains "$TMP/out" "similar 1"
run 0 "$LEDE_SEARCH" --no-dedup "$idx" basks
contains "$TMP/out" "was-good.txt #"
head -c 12 "$c/was-good.txt.gz" >"$TMP/part" && mv "$TMP/part" "$c/was-good.txt.gz"
run 1 "$LEDE_INDEX" "$idx" "$c"
contains "$TMP/err" "$c/was-good.txt.gz: skipped: gzip data is truncated"
run 0 "$LEDE_SEARCH" --no-dedup "$idx" basks
contains "$TMP/out" "was-good.txt #"
run 0 "$LEDE_INDEX" --check "$idx"
exit 0
