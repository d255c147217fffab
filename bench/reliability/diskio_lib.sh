# shellcheck shell=sh
# Shared by diskfull.sh and ioerr.sh: the binaries, a corpus in two states
# and a check of which state an index holds, article by article.
#
# State "old": articles a0..a399, each 4 paragraphs about the walrus.
# State "new": a0..a299 changed (5 paragraphs about the narwhal), a300..a339
# deleted, a340..a399 as before, n0..n99 added (3 paragraphs, beluga).
# Every paragraph is one passage (--paragraph-passages) and holds the word
# "story", so one search lists every passage of the index.

# find_binaries [BUILD_DIR]: set LEDE_INDEX, LEDE_SEARCH and RUN (the
# prefix that runs a program under a tool: libtool's, for a build tree).
find_binaries() {
    if [ -n "${1:-}" ]; then
        LEDE_INDEX=$1/indexer/lede-index
        LEDE_SEARCH=$1/searcher/lede-search
    fi
    if [ -z "${LEDE_INDEX:-}" ] || [ -z "${LEDE_SEARCH:-}" ]; then
        echo "usage: $0 BUILD_DIR (or set LEDE_INDEX and LEDE_SEARCH)" >&2
        exit 2
    fi
    for p in "$LEDE_INDEX" "$LEDE_SEARCH"; do
        [ -x "$p" ] || {
            echo "$0: $p is not an executable" >&2
            exit 2
        }
    done
    # A libtool wrapper is a script: tools must run the real program.
    lt=$(dirname "$(dirname "$LEDE_INDEX")")/libtool
    RUN=
    # shellcheck disable=SC2034 # used by the scripts that source this file
    [ -x "$lt" ] && RUN="$lt --mode=execute"
}

# make_corpus DIR STATE: write the corpus in STATE (old or new) into DIR.
make_corpus() {
    rm -rf "$1" && mkdir -p "$1" || exit 99
    awk -v dir="$1" -v state="$2" '
    function art(pfx, i, word, np,    d, f, p, k) {
        d = dir "/d" (i % 20)
        if (!(d in made)) {
            made[d] = 1
            if (system("mkdir -p \"" d "\"") != 0)
                exit 99
        }
        f = d "/" pfx i ".txt"
        printf "Article %s%d\n\n", pfx, i > f
        for (p = 0; p < np; p++) {
            printf "Paragraph %d of the story %s%d tells of the %s", p, pfx,
                i, word > f
            for (k = 0; k < 40; k++)
                printf " w%dx%d", (i * 7 + p * 13 + k) % 997, k > f
            printf ".\n\n" > f
        }
        close(f)
    }
    BEGIN {
        for (i = 0; i < 400; i++) {
            if (state == "old" || i >= 340)
                art("a", i, "walrus", 4)
            else if (i < 300)
                art("a", i, "narwhal", 5)
        }
        if (state == "new")
            for (i = 0; i < 100; i++)
                art("n", i, "beluga", 3)
    }'
}

# expected STATE: the lines dump prints for an index in STATE.
expected() {
    awk -v state="$1" 'BEGIN {
        for (i = 0; i < 400; i++) {
            if (state == "old" || i >= 340)
                printf "d%d/a%d.txt walrus 4\n", i % 20, i
            else if (i < 300)
                printf "d%d/a%d.txt narwhal 5\n", i % 20, i
        }
        if (state == "new")
            for (i = 0; i < 100; i++)
                printf "d%d/n%d.txt beluga 3\n", i % 20, i
    }' | LC_ALL=C sort
}

# dump INDEX: one line per article: its id, the animal of its passages
# ("mixed" if they differ) and its number of passages, sorted by id.
dump() {
    "$LEDE_SEARCH" --json -n 10000 --per-article=0 --no-dedup --plain "$1" story |
        awk '!/"article_id":/ { next } # a suggestion line
        {
            id = $0
            sub(/.*"article_id":"/, "", id)
            sub(/".*/, "", id)
            m = "none"
            if (index($0, "walrus")) m = "walrus"
            if (index($0, "narwhal")) m = "narwhal"
            if (index($0, "beluga")) m = "beluga"
            if (id in word && word[id] != m) m = "mixed"
            word[id] = m
            n[id]++
        }
        END { for (id in n) print id, word[id], n[id] }' | LC_ALL=C sort
}

# articles INDEX EMPTY_DIR: the number of articles the index says it holds.
articles() {
    "$LEDE_INDEX" -v --no-delete "$1" "$2" 2>&1 |
        sed -n 's/.*the index holds \([0-9]*\) articles.*/\1/p'
}

# classify DUMP OLD NEW: print "old" or "new" if DUMP is exactly that
# state, "between" if each article is wholly old or wholly new (or absent
# where one state lacks it), else "inconsistent" and the bad lines.
classify() {
    if cmp -s "$1" "$2"; then
        echo old
    elif cmp -s "$1" "$3"; then
        echo new
    else
        awk 'FILENAME == ARGV[1] { o[$1] = $0; next }
        FILENAME == ARGV[2] { n[$1] = $0; next }
        {
            seen[$1] = 1
            if ($0 != o[$1] && $0 != n[$1]) { bad = bad "\n  " $0 }
        }
        END {
            for (id in o) if (!(id in seen) && (id in n)) bad = bad "\n  missing " id
            for (id in n) if (!(id in seen) && (id in o)) bad = bad "\n  missing " id
            if (bad == "") print "between"; else print "inconsistent" bad
        }' "$2" "$3" "$1"
    fi
}
