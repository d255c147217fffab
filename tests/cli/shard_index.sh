#!/bin/sh
# lede-index --shards: a set of four shards, synced as a set without
# --shards afterwards; the count is kept; a second indexer exits 75; kill -9
# at any moment leaves a set that passes --check and that the next run
# completes; --compact merges it into one index that searches as one
# built from the same corpus.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

idx=$TMP/index
corpus=$TMP/corpus
mkdir "$corpus" "$TMP/empty" || exit 99

# 300 one-paragraph articles in 15 directories, and 40 in a JSON Lines
# file (whose articles fall in every shard).
make_corpus() { # make_corpus WORD: the same files, with WORD in each text
    i=0
    while [ $i -lt 300 ]; do
        d=$corpus/d$((i % 15))
        [ -d "$d" ] || mkdir "$d" || exit 99
        printf 'Article %d\n\nArticle %d tells of the %s and number %d.\n' \
            $i $i "$1" $i >"$d/a$i.txt"
        i=$((i + 1))
    done
    i=0
    while [ $i -lt 40 ]; do
        printf '{"id":"j%d","title":"Note %d","text":"A note on the %s, %d."}\n' \
            $i $i "$1" $i
        i=$((i + 1))
    done >"$corpus/notes.jsonl"
}

summary() { # the -v summary of a run that changes nothing
    "$LEDE_INDEX" -v --no-delete "$idx" "$TMP/empty" 2>&1 |
        sed -n 's/.*the set holds \([0-9]*\) articles.*/\1/p'
}

hits() { # hits WORD: passages matching WORD over the shards, searched one by one
    n=0
    for s in "$idx"/shard-*; do
        m=$("$LEDE_SEARCH" -n 1000 --no-dedup --format=trec "$s" "$1" |
            wc -l)
        n=$((n + m))
    done
    echo "$n"
}

make_corpus walrus
run 0 "$LEDE_INDEX" --shards=4 --stats "$idx" "$corpus"
contains "$TMP/out" "added=340 updated=0 deleted=0 unchanged=0 skipped=0"
printf 'auto shard-000\nauto shard-001\nauto shard-002\nauto shard-003\n' |
    same "$idx/XAPIANDB" /dev/stdin
[ "$(ls "$idx")" = "XAPIANDB
shard-000
shard-001
shard-002
shard-003" ] || fail "unexpected files in the set: $(ls "$idx")"
run 0 "$LEDE_INDEX" --check "$idx"
contains "$TMP/out" "sound"
[ "$(summary)" -eq 340 ] || fail "expected 340 articles in the set"
[ "$(hits walrus)" -eq 340 ] || fail "expected 340 walrus passages"

# Synced as a set without --shards; the count cannot change.
run 0 "$LEDE_INDEX" --stats "$idx" "$corpus"
contains "$TMP/out" "added=0 updated=0 deleted=0 unchanged=340 "
run 2 "$LEDE_INDEX" --shards=2 "$idx" "$corpus"
contains "$TMP/err" "the set has 4 shards, not 2; re-sharding a set is not supported"

# --delete on a copy of the set: each id from its own shard; an unknown
# id is named and the others deleted all the same; a sync beside it
# deletes what it deletes on an index.
cp -a "$idx" "$TMP/del" || exit 99
run 1 "$LEDE_INDEX" -d j1 -d d3/a3.txt -d nosuch --stats "$TMP/del"
contains "$TMP/out" "added=0 updated=0 deleted=2 unchanged=0 "
contains "$TMP/err" "nosuch: no such article (1 of 3 ids not found)"
run 0 "$LEDE_INDEX" --check "$TMP/del"
[ "$("$LEDE_SEARCH" -n 1000 --no-dedup --format=trec "$TMP/del" walrus |
    wc -l)" -eq 338 ] || fail "expected 338 walrus passages after --delete"
"$LEDE_SEARCH" -n 1000 --format=trec "$TMP/del" walrus | grep -E ' (j1|d3/a3.txt) ' &&
    fail "a deleted article is still found"
run 0 "$LEDE_INDEX" -d j2 --stats "$TMP/del" "$corpus"
contains "$TMP/out" "deleted=1 "
run 2 "$LEDE_INDEX" --shards=2 -d j1 "$TMP/new"
contains "$TMP/err" "--delete needs an index to delete from"
[ ! -e "$TMP/new" ] || fail "--delete made a set"
rm -rf "$TMP/del"

# ---- a second writer ----------------------------------------------------
"$LEDE_TESTBIN/lockhold" "$idx/shard-002" "$TMP/locked" &
holder=$!
n=0
while [ ! -e "$TMP/locked" ] && [ $n -lt 100 ]; do
    sleep 0.05
    n=$((n + 1))
done
[ -e "$TMP/locked" ] || fail "lockhold did not take the lock"
run 75 "$LEDE_INDEX" "$idx" "$corpus"
contains "$TMP/err" "another lede-index holds the index lock"
run 75 "$LEDE_INDEX" --wait=1 "$idx" "$corpus"
kill "$holder"
wait "$holder"

# ---- kill -9 at many moments of a resync ---------------------------------
# Every article changes (walrus -> narwhal), 30 files vanish, 30 appear.
make_corpus narwhal
i=0
while [ $i -lt 30 ]; do
    rm -f "$corpus/d$((i % 15))/a$i.txt"
    printf 'New %d\n\nA new article about the beluga %d.\n' $i $i \
        >"$corpus/d$((i % 15))/new$i.txt"
    i=$((i + 1))
done
killed=0
for delay in 0.01 0.05 0.1 0.2 0.3; do
    "$LEDE_INDEX" -b 10 "$idx" "$corpus" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
    wait "$pid" 2>/dev/null
    run 0 "$LEDE_INDEX" --check "$idx"
    contains "$TMP/out" "sound"
done
[ "$killed" -gt 0 ] || fail "every run ended before it was killed"
run 0 "$LEDE_INDEX" --stats "$idx" "$corpus"
run 0 "$LEDE_INDEX" --check "$idx"
[ "$(summary)" -eq 340 ] || fail "expected 340 articles, found $(summary)"
[ "$(hits walrus)" -eq 0 ] || fail "walrus articles are left"
[ "$(hits narwhal)" -eq 310 ] || fail "expected 310 narwhal passages"
[ "$(hits beluga)" -eq 30 ] || fail "expected 30 beluga passages"
run 0 "$LEDE_INDEX" --stats "$idx" "$corpus"
contains "$TMP/out" "added=0 updated=0 deleted=0 unchanged=340 "

# ---- --compact: one index, searching as one built from the corpus ------
run 0 "$LEDE_INDEX" --compact "$idx"
[ ! -e "$idx/XAPIANDB" ] || fail "the merged index still has XAPIANDB"
[ ! -e "$idx.compact" ] || fail "left $idx.compact"
run 0 "$LEDE_INDEX" --check "$idx"
run 0 "$LEDE_INDEX" --jobs=1 "$TMP/single" "$corpus"
for q in narwhal beluga 'number 17' 'tells "the narwhal"'; do
    for i in "$idx" "$TMP/single"; do
        "$LEDE_SEARCH" -n 1000 --no-dedup --format=trec "$i" "$q" |
            awk '{ print $3, $5 }' | sort >"$TMP/hits.${i##*/}"
    done
    [ -s "$TMP/hits.single" ] || fail "no hits for $q"
    same "$TMP/hits.index" "$TMP/hits.single"
done
run 0 "$LEDE_INDEX" --stats "$idx" "$corpus"
contains "$TMP/out" "added=0 updated=0 deleted=0 unchanged=340 "

# ---- kill -9 while a new set is made: finished by the next run ----------
"$LEDE_INDEX" -b 10 --shards=3 "$TMP/fresh" "$corpus" >/dev/null 2>&1 &
pid=$!
sleep 0.2
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
run 0 "$LEDE_INDEX" --shards=3 "$TMP/fresh" "$corpus"
run 0 "$LEDE_INDEX" --check "$TMP/fresh"
run 0 "$LEDE_INDEX" --stats "$TMP/fresh" "$corpus"
contains "$TMP/out" "added=0 updated=0 deleted=0 unchanged=340 "

# ---- --rebuild --shards turns the index into a set ----------------------
run 0 "$LEDE_INDEX" --rebuild --shards=2 --stats "$idx" "$corpus"
contains "$TMP/out" "added=340 "
run 0 "$LEDE_INDEX" --check "$idx"
[ "$(summary)" -eq 340 ] || fail "expected 340 articles after the rebuild"
[ ! -e "$idx.rebuild" ] || fail "left $idx.rebuild"
exit 0
