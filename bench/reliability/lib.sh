# shellcheck shell=sh
# Shared by the reliability campaigns: finds the programs, makes a scratch
# directory removed on exit, and builds the corpus they reindex.
#
# A campaign runs from a build directory's programs: LEDE_INDEX and
# LEDE_SEARCH (as `make check` sets them), or BUILD_DIR as the first
# argument.

set -u

if [ -z "${LEDE_INDEX:-}" ] || [ -z "${LEDE_SEARCH:-}" ]; then
    if [ $# -lt 1 ] || [ ! -x "$1/indexer/lede-index" ]; then
        echo "usage: $0 BUILD_DIR [ROUNDS [SEED]] (or set LEDE_INDEX and LEDE_SEARCH)" >&2
        exit 2
    fi
    LEDE_INDEX=$1/indexer/lede-index
    LEDE_SEARCH=$1/searcher/lede-search
    shift
fi

RTMP=$(mktemp -d "${TMPDIR:-/tmp}/lede-rel.XXXXXX") || exit 99
trap 'rm -rf "$RTMP"' EXIT
trap 'exit 99' INT TERM

rel_fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

# rel_rand SEED N: N pseudo-random numbers in [0, 1), one per line, the
# same for the same SEED on every machine (awk's rand is seeded).
rel_rand() {
    awk -v seed="$1" -v n="$2" \
        'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%.6f\n", rand() }'
}

# The corpus every campaign reindexes, under $1, in version $2 (old or
# new). Four kinds of article, in 20 directories:
#   c*  changed: old, three paragraphs with "walrus"; new, four with
#       "narwhal";
#   u*  unchanged: three paragraphs with "orca", in both versions;
#   x*  deleted: three with "walrus" in old, file gone in new;
#   n*  added: absent in old, two paragraphs with "beluga" in new.
# Each paragraph names its article, so no two are near-duplicates.
REL_CHANGED=${REL_CHANGED:-240}
REL_OTHER=${REL_OTHER:-40}
rel_corpus() {
    awk -v root="$1" -v version="$2" -v nc="$REL_CHANGED" -v no="$REL_OTHER" '
    function para(word, id, k, n) {
        return sprintf("Paragraph %d of article %s tells of a %s seen near " \
            "pier %d. It swam along the coast for %d hours before it " \
            "turned back to open water.", k, id, word, n * 7 + k, k + 2)
    }
    function article(path, id, word, paras, n,   k, s) {
        s = "Report " id " on the " word "\n"
        for (k = 1; k <= paras; k++)
            s = s "\n" para(word, id, k, n) "\n"
        printf "%s", s > path
        close(path)
    }
    BEGIN {
        for (d = 0; d < 20; d++)
            system("mkdir -p \"" root "/d" d "\"")
        for (i = 0; i < nc; i++) {
            p = root "/d" (i % 20) "/c" i ".txt"
            if (version == "old")
                article(p, "c" i, "walrus", 3, i)
            else
                article(p, "c" i, "narwhal", 4, i)
        }
        for (i = 0; i < no; i++) {
            article(root "/d" (i % 20) "/u" i ".txt", "u" i, "orca", 3, i)
            p = root "/d" (i % 20) "/x" i ".txt"
            if (version == "old")
                article(p, "x" i, "walrus", 3, i)
            else
                system("rm -f \"" p "\"")
            p = root "/d" (i % 20) "/n" i ".txt"
            if (version == "new")
                article(p, "n" i, "beluga", 2, i)
        }
    }'
}

# rel_state INDEX_DIR: one line per article in the index, "ID WORD N"
# (the word of its passages, or "mixed" when they disagree, and how many
# passages it has), sorted by id.
rel_state() {
    "$LEDE_SEARCH" --json --per-article=0 --no-dedup -n 10000 --plain \
        "$1" walrus narwhal orca beluga >"$RTMP/state.json" 2>"$RTMP/state.err"
    status=$?
    if [ "$status" -gt 1 ]; then
        cat "$RTMP/state.err" >&2
        return 1
    fi
    awk '
    !/"article_id":/ { next } # a suggestion line: orca may be in no article
    {
        id = $0
        sub(/.*"article_id":"/, "", id)
        sub(/".*/, "", id)
        sub(/.*\//, "", id)
        sub(/\.txt$/, "", id)
        n = 0
        w = ""
        split("walrus narwhal orca beluga", words, " ")
        for (k = 1; k <= 4; k++)
            if (index($0, "of a " words[k] " seen"))
                { w = words[k]; n++ }
        if (n != 1)
            w = "mixed"
        count[id]++
        if (!(id in word))
            word[id] = w
        else if (word[id] != w)
            word[id] = "mixed"
    }
    END { for (id in count) print id, word[id], count[id] }
    ' "$RTMP/state.json" | sort
}

# rel_judge STATE_FILE: checks that every article is wholly its old or
# wholly its new version (or absent where that is one of the two).
# Prints "old N new M" (articles in each version among the changing ones)
# and returns 1, naming the article, at the first one that is neither.
rel_judge() {
    awk -v nc="$REL_CHANGED" -v no="$REL_OTHER" '
    function bad(why) { print "article " $1 ": " why > "/dev/stderr"; err = 1; exit 1 }
    {
        seen[$1] = 1
        kind = substr($1, 1, 1)
        state = $2 " " $3
        if (kind == "c") {
            if (state == "walrus 3") old++
            else if (state == "narwhal 4") new++
            else bad("neither old nor new: " state)
        } else if (kind == "u") {
            if (state != "orca 3") bad("unchanged article now " state)
        } else if (kind == "x") {
            if (state != "walrus 3") bad("neither old nor deleted: " state)
        } else if (kind == "n") {
            if (state == "beluga 2") new++
            else bad("neither absent nor new: " state)
        } else bad("unknown article")
    }
    END {
        if (err) exit 1
        for (i = 0; i < nc; i++)
            if (!(("c" i) in seen)) { print "article c" i ": lost" > "/dev/stderr"; exit 1 }
        for (i = 0; i < no; i++)
            if (!(("u" i) in seen)) { print "article u" i ": lost" > "/dev/stderr"; exit 1 }
        for (i = 0; i < no; i++)
            if (("x" i) in seen) old++; else new++
        for (i = 0; i < no; i++)
            if (!(("n" i) in seen)) old++
        printf "old %d new %d\n", old, new
    }' "$1"
}
