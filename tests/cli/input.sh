#!/bin/sh
# Input fidelity through lede-index and lede-search --json: a text file
# not in UTF-8, --encoding and the index keeping it, a JSON Lines file
# repeating an id or holding fields lede does not read, Reuters' dateline
# and sign-off, and an HTML title holding the site's name.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
c=$TMP/corpus
mkdir "$c" || exit 99

# Latin-1 (octal 243 is the pound sign, 351 e acute).
printf 'Caf\351 prices\n\nA coffee costs \2435 at the caf\351.\n' >"$c/latin1.txt"
printf '%s\n' \
    '{"id":"d1","title":"First","text":"A jaguar.","author":"Kim"}' \
    '{"id":"d2","title":"Other","text":"A puma.","section":"World"}' \
    '{"id":"d1","title":"Second","text":"A jaguar."}' >"$c/dup.jsonl"
printf '%s\n' '<REUTERS NEWID="5"><TEXT><TITLE>GOLD RISES</TITLE>' \
    '<DATELINE>    LONDON, March 2 - </DATELINE><BODY>Gold rose in bullion' \
    'trading.' ' Reuter' '&#3;</BODY></TEXT></REUTERS>' >"$c/reut.sgm"
printf '%s\n' '<html><head><title>The Daily Site | Volcano erupts</title>' \
    '<meta property="og:title" content="Volcano erupts"></head>' \
    '<body><p>Lava reached the sea.</p></body></html>' >"$c/page.html"

run 0 "$LEDE_INDEX" "$idx" "$c"
same "$TMP/err" - <<EOF2
lede-index: warning: $c/dup.jsonl:3: duplicate id 'd1' (also at line 1); this article, at line 3, replaces that one
lede-index: warning: $c/latin1.txt:1: not UTF-8 (invalid at byte 3); read as windows-1252
EOF2

run 0 "$LEDE_SEARCH" --json "$idx" coffee
contains "$TMP/out" '"article_id":"latin1.txt","title":"Café prices","passage":0,"start":1,"end":33,"text":"A coffee costs £5 at the café.","snippet":"A coffee costs £5 at the café.","highlights":[[2,8]]'
run 0 "$LEDE_SEARCH" --json "$idx" jaguar
contains "$TMP/out" '"article_id":"d1","title":"Second"'
run 0 "$LEDE_SEARCH" --json "$idx" bullion
contains "$TMP/out" '"title":"GOLD RISES","passage":0,"start":0,"end":47,"text":"LONDON, March 2 - Gold rose in bullion\ntrading."'
run 1 "$LEDE_SEARCH" "$idx" reuter
run 0 "$LEDE_SEARCH" --json "$idx" lava
contains "$TMP/out" '"article_id":"page.html","title":"Volcano erupts",'

# --encoding: kept by the index, so that a later run without it reads a
# changed file the same way; another one needs a rebuild.
idx2=$TMP/index2
c2=$TMP/corpus2
mkdir "$c2" || exit 99
printf 'Euro prices\n\nA coffee costs \2445.\n' >"$c2/a.txt"
run 0 "$LEDE_INDEX" --encoding ISO-8859-15 "$idx2" "$c2"
same "$TMP/err" /dev/null
printf 'Euro prices\n\nA coffee now costs \2446.\n' >"$c2/a.txt"
run 0 "$LEDE_INDEX" "$idx2" "$c2"
same "$TMP/err" /dev/null
run 0 "$LEDE_SEARCH" --json "$idx2" coffee
contains "$TMP/out" '"text":"A coffee now costs €6."'
run 2 "$LEDE_INDEX" --encoding windows-1252 "$idx2" "$c2"
same "$TMP/err" - <<EOF2
lede-index: $idx2: the index reads its corpus as 'ISO-8859-15', not 'windows-1252'; rebuild the index to change it
EOF2
run 0 "$LEDE_INDEX" --encoding latin9 "$idx2" "$c2"
# A rebuild keeps it too, unless told otherwise.
run 0 "$LEDE_INDEX" --rebuild "$idx2" "$c2"
run 0 "$LEDE_SEARCH" --json "$idx2" coffee
contains "$TMP/out" '"text":"A coffee now costs €6."'
run 0 "$LEDE_INDEX" --rebuild --encoding windows-1252 "$idx2" "$c2"
run 0 "$LEDE_SEARCH" --json "$idx2" coffee
contains "$TMP/out" '"text":"A coffee now costs ¤6."'
run 2 "$LEDE_INDEX" --encoding klingon "$TMP/index3" "$c2"
same "$TMP/err" - <<'EOF2'
lede-index: unknown character encoding 'klingon'
EOF2
exit 0
