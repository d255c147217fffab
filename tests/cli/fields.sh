#!/bin/sh
# Keyword fields from the command line: read from JSON Lines (renamed and
# declared ones too), HTML <meta> tags, Reuters categories and text
# folders; filtered on, alone and combined; shown in each output format;
# kept in step by the nightly run when a byline changes; and --check.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

c=$TMP/corpus
idx=$TMP/index
mkdir -p "$c/politics" "$c/sport/cup" || exit 99
cat >"$c/feed.jsonl" <<'EOF'
{"id":"j1","title":"Summit talks","text":"Leaders held nuclear talks at the summit.","byline":["Alex Wong","Mia Chen"],"section":"World","tag":"nuclear","desk":"Foreign"}
{"id":"j2","title":"Budget","text":"The budget passed after nuclear talks stalled.","byline":"Mia Chen","section":"Politics","source":"Wire"}
EOF
printf 'Vote\n\nMPs voted on nuclear power.\n' >"$c/politics/vote.txt"
printf 'Final\n\nThe cup final went to penalties.\n' >"$c/sport/cup/final.txt"
cat >"$c/page.html" <<'EOF'
<html><head><title>Storm</title>
<meta name="author" content="Kim Park">
<meta property="article:section" content="Weather">
<meta property="article:tag" content="storm"><meta name="news_keywords" content="coast, nuclear">
<meta property="og:site_name" content="Daily">
<meta name="desk" content="Metro"></head>
<body><p>A storm hit the coast near the nuclear plant.</p></body></html>
EOF
cat >"$c/reut.sgm" <<'EOF'
<REUTERS NEWID="7">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TOPICS><D>grain</D><D>wheat</D></TOPICS><PLACES><D>usa</D></PLACES>
<TEXT><TITLE>GRAIN OUTLOOK</TITLE><AUTHOR>    by Ann Smith, Reuters</AUTHOR>
<BODY>Grain exports rose, nuclear power aside.
 Reuter
</BODY></TEXT>
</REUTERS>
EOF
run 0 "$LEDE_INDEX" --field desk --json-author=byline "$idx" "$c"
[ ! -s "$TMP/err" ] || fail "warnings: $(cat "$TMP/err")"

# The ids of the hits of a query, one line.
hits() {
    run "$1" "$LEDE_SEARCH" --format trec -n 50 "$idx" "$2"
    ids=$(awk '{print $3}' "$TMP/out" | tr '\n' ' ')
    [ "$ids" = "$3" ] || fail "$2: got '$ids', expected '$3'"
}
hits 0 'section:politics' 'j2 politics/vote.txt '
hits 0 'author:"mia chen"' 'j1 j2 '
hits 0 'author:"ann smith" topic:wheat place:usa' '7 '
hits 0 'desk:metro' 'page.html '
hits 0 'tag:coast source:daily' 'page.html '
hits 0 'dir:sport' 'sport/cup/final.txt '
hits 0 'dir:sport/cup/' 'sport/cup/final.txt '
hits 0 'id:j1' 'j1 '
hits 1 'section:nowhere' ''
hits 0 'nuclear -section:politics -dir:politics' \
    "$(run 0 "$LEDE_SEARCH" --format trec -n 50 "$idx" nuclear &&
        awk '$3 != "j2" && $3 != "politics/vote.txt" {printf "%s ", $3}' \
            "$TMP/out")"
hits 0 'nuclear (tag:nuclear OR desk:foreign) NOT source:wire' 'j1 page.html '

# An unknown field is an error at its column, listing the index's own.
run 2 "$LEDE_SEARCH" "$idx" 'nuclear sectoin:world'
contains "$TMP/err" "query: unknown field 'sectoin:' (this index's fields \
are author, desk, place, section, source, tag, topic; and title:, date:, \
dir:, id:; put text with a colon in quotes) at column 9"

# Each output format shows them: a line for people, an object in JSON.
run 0 "$LEDE_SEARCH" "$idx" 'summit'
contains "$TMP/out" "   author: Alex Wong | Mia Chen; section: World; tag: \
nuclear; desk: Foreign"
run 0 "$LEDE_SEARCH" --json "$idx" 'grain'
contains "$TMP/out" '"url":null,"fields":{"topic":["grain","wheat"],"place":\
["usa"],"author":["Ann Smith"]},"similar":0'
run 0 "$LEDE_SEARCH" --json "$idx" 'penalties'
contains "$TMP/out" '"fields":{"section":["sport/cup"]}'

# Facets: matching articles per value, after the hits; one JSON line.
run 0 "$LEDE_SEARCH" --facets section,author,date:year -n 1 "$idx" nuclear
tail -n 4 "$TMP/out" >"$TMP/f"
same "$TMP/f" - <<'EOF2'
matching articles by
  section: Politics 2 | Weather 1 | World 1
  author: Mia Chen 2 | Alex Wong 1 | Ann Smith 1 | Kim Park 1
  date:year: 1987 1
EOF2
run 0 "$LEDE_SEARCH" --json --facets section --facet-limit 2 "$idx" nuclear
tail -n 1 "$TMP/out" >"$TMP/f"
run 0 "$LEDE_SEARCH" --facets section --facet-limit 2 "$idx" nuclear
contains "$TMP/out" "  section: Politics 2 | Weather 1 (1 more value)"
echo '{"facets":{"section":{"distinct":3,"values":[["Politics",2],["Weather",1]]}}}' |
    same "$TMP/f" -
run 2 "$LEDE_SEARCH" --facets secton "$idx" nuclear
contains "$TMP/err" "facets: no field 'secton'"
# A shard set counts as one index does.
run 0 "$LEDE_INDEX" --shards 3 --field desk --json-author=byline "$TMP/set" "$c"
run 0 "$LEDE_SEARCH" --count --facets section,author,topic,date:day "$idx" nuclear
mv "$TMP/out" "$TMP/one"
run 0 "$LEDE_SEARCH" --count --facets section,author,topic,date:day "$TMP/set" nuclear
same "$TMP/out" "$TMP/one"

# A changed byline changes what matches after the nightly run, which
# reads by the JSON keys the index keeps.
sleep 1 # a new modification time
sed 's/"byline":"Mia Chen"/"byline":"Lee Roy"/' "$c/feed.jsonl" >"$TMP/f" &&
    mv "$TMP/f" "$c/feed.jsonl"
run 0 "$LEDE_INDEX" "$idx" "$c"
hits 0 'author:"mia chen"' 'j1 '
hits 0 'author:"lee roy"' 'j2 '
run 0 "$LEDE_INDEX" --check "$idx"

# Bad names are refused before anything is read.
run 2 "$LEDE_INDEX" --field Desk "$TMP/other" "$c"
contains "$TMP/err" "--field: field name 'Desk' has a capital letter \
(names are lower case)"
run 2 "$LEDE_INDEX" --json-field=desk "$TMP/other" "$c"
contains "$TMP/err" "--json-field: 'desk' is not FIELD=KEY"
run 2 "$LEDE_INDEX" --json-field=genre=kind "$idx" "$c"
contains "$TMP/err" "a JSON key is given for field 'genre', which the \
index does not have (declare it with --field genre when the index is made)"
run 2 "$LEDE_SEARCH" "$idx" 'nuclear section:'
contains "$TMP/err" "query: section: needs a value right after the colon at \
column 9"
[ ! -e "$TMP/other" ] || fail "an index was made despite a bad option"
exit 0
