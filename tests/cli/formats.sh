#!/bin/sh
# Every input format, plain and gzipped, through lede-index and
# lede-search: chosen by file name, or forced with --format.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

command -v gzip >/dev/null 2>&1 || {
    echo "SKIP: gzip not found" >&2
    exit 77
}
idx=$TMP/index
c=$TMP/corpus
mkdir "$c" || exit 99

printf 'Text title\n\nThe tapir eats leaves.\n' >"$c/t.txt"
printf '{"id":"js1","title":"Json title","text":"The jerboa hops.","date":"2018-06-12","url":"https://example.com/js1"}\n' \
    >"$c/j.jsonl"
printf '<html><head><title>Html title</title><meta property="article:published_time" content="2019-02-28T10:00:00Z"></head><body><nav>Menu mongoose</nav><p>The hedgehog &amp; the hare.</p><script>var skunk;</script></body></html>\n' \
    >"$c/h.html"
printf '<DOC>\n<DOCNO> TR-1 </DOCNO>\n<HEADLINE>Trec title</HEADLINE>\n<TEXT>\nThe tarsier climbs.\n</TEXT>\n</DOC>\n' \
    >"$c/r.trec"
printf '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n<REUTERS TOPICS="NO" NEWID="77">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TEXT>\n<TITLE>REUTERS TITLE</TITLE>\n<BODY>The reindeer grazes.\n&#3;</BODY></TEXT>\n</REUTERS>\n' \
    >"$c/reut.sgm"
for f in t.txt j.jsonl h.html r.trec reut.sgm; do
    base=${f%.*}
    ext=${f##*.}
    # The same article, gzipped, under another id where the id comes from
    # the file name or the content.
    sed -e 's/js1/js2/; s/TR-1/TR-2/; s/NEWID="77"/NEWID="78"/' "$c/$f" |
        gzip -c >"$c/${base}2.$ext.gz" || exit 99
done
# A TREC file with no suffix, read only when forced.
cp "$c/r.trec" "$TMP/la010189" || exit 99
sed -i 's/TR-1/LA-1/; s/tarsier/lemur/' "$TMP/la010189" || exit 99

run 0 "$LEDE_INDEX" --stats "$idx" "$c"
contains "$TMP/out" "added=10 updated=0 deleted=0 unchanged=0 skipped=0 errors=0"

search_ids() { # search_ids QUERY: the article ids of all its passages
    "$LEDE_SEARCH" --json --no-dedup -n 100 "$idx" "$1" |
        sed 's/.*"article_id":"\([^"]*\)".*/\1/' | sort | tr '\n' ' '
}
[ "$(search_ids tapir)" = "t.txt t2.txt " ] || fail "txt: $(search_ids tapir)"
[ "$(search_ids jerboa)" = "js1 js2 " ] || fail "jsonl: $(search_ids jerboa)"
[ "$(search_ids hedgehog)" = "h.html h2.html " ] ||
    fail "html: $(search_ids hedgehog)"
[ "$(search_ids tarsier)" = "TR-1 TR-2 " ] || fail "trec: $(search_ids tarsier)"
[ "$(search_ids reindeer)" = "77 78 " ] || fail "reuters: $(search_ids reindeer)"
# Script and navigation text is not indexed; entities are decoded.
run 1 "$LEDE_SEARCH" "$idx" mongoose skunk
run 0 "$LEDE_SEARCH" --json "$idx" hedgehog hare
contains "$TMP/out" '"text":"The hedgehog & the hare."'
# Titles and dates come through.
run 0 "$LEDE_SEARCH" --json "$idx" reindeer
contains "$TMP/out" '"title":"REUTERS TITLE"'
run 0 "$LEDE_SEARCH" --json "$idx" jerboa
contains "$TMP/out" '"title":"Json title"'

# --format forces a format on files whose names give none.
mkdir "$TMP/forced" || exit 99
mv "$TMP/la010189" "$TMP/forced/" || exit 99
run 0 "$LEDE_INDEX" --stats --format trec "$idx" "$TMP/forced"
contains "$TMP/out" "added=1 "
[ "$(search_ids lemur)" = "LA-1 " ] || fail "forced: $(search_ids lemur)"
run 2 "$LEDE_INDEX" --format pdf "$idx" "$TMP/forced"
contains "$TMP/err" "unknown format 'pdf'"
exit 0
