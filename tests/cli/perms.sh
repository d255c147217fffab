#!/bin/sh
# Who may read an index: its directory is created 0700 and every file in it
# is 0600, both less the umask, after a first run, a later run, a parallel
# rebuild and a compaction. A directory that exists keeps its mode.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

c=$LEDE_TESTDATA/articles

# modes DIR: the mode of DIR, then of each file in it, as ls shows them,
# on one line ("drwx------ -rw------- ...").
# shellcheck disable=SC2012 # only the mode column of ls is used
modes() {
    m=$(ls -ld "$1" | cut -c1-10) || exit 99
    for f in "$1"/*; do
        m="$m $(ls -ld "$f" | cut -c1-10)" || exit 99
    done
    printf '%s\n' "$m"
}

# expect DIR DIRMODE FILEMODE: DIR has DIRMODE and every file FILEMODE.
expect() {
    got=$(modes "$1")
    n=$(find "$1" -type f | wc -l)
    [ "$n" -ge 5 ] || fail "$1: only $n files"
    want=$2
    i=0
    while [ "$i" -lt "$n" ]; do
        want="$want $3"
        i=$((i + 1))
    done
    [ "$got" = "$want" ] || fail "$1: modes '$got', expected '$want'"
    # Nothing but the index is left beside it.
    left=$(find "$(dirname "$1")" -maxdepth 1 -name "$(basename "$1").*")
    [ -z "$left" ] || fail "left beside the index: $left"
}

# check UMASK DIRMODE FILEMODE: every way of writing an index, under UMASK.
check() {
    d=$TMP/u$1
    mkdir "$d" || exit 99
    (
        umask "$1"
        run 0 "$LEDE_INDEX" -j1 "$d/index" "$c"
        expect "$d/index" "$2" "$3"
        printf 'Late news\n\nA late lynx arrives.\n' >"$d/late.txt"
        run 0 "$LEDE_INDEX" "$d/index" "$c" "$d/late.txt"
        expect "$d/index" "$2" "$3"
        run 0 "$LEDE_INDEX" -j2 --rebuild "$d/index" "$c"
        expect "$d/index" "$2" "$3"
        run 0 "$LEDE_INDEX" --compact "$d/index"
        expect "$d/index" "$2" "$3"
        # A parallel first build, merged from shards.
        run 0 "$LEDE_INDEX" -j2 "$d/index2" "$c"
        expect "$d/index2" "$2" "$3"
    ) || exit 1
}

check 022 drwx------ -rw-------
check 077 drwx------ -rw-------
check 027 drwx------ -rw-------
check 002 drwx------ -rw-------
# A umask that takes the owner's write bit shows the umask is applied;
# only root can then still write in the directory.
if [ "$(id -u)" = 0 ]; then
    check 0277 dr-x------ -r--------
fi

# A directory made beforehand keeps its mode, through a rebuild too; the
# files in it are still 0600, those of an older index too.
umask 022
mkdir -m 0750 "$TMP/shared" || exit 99
run 0 "$LEDE_INDEX" "$TMP/shared" "$c"
expect "$TMP/shared" drwxr-x--- -rw-------
chmod 0644 "$TMP/shared"/* || exit 99
run 0 "$LEDE_INDEX" "$TMP/shared" "$c"
expect "$TMP/shared" drwxr-x--- -rw-------
run 0 "$LEDE_INDEX" -j2 --rebuild "$TMP/shared" "$c"
expect "$TMP/shared" drwxr-x--- -rw-------
run 0 "$LEDE_INDEX" --compact "$TMP/shared"
expect "$TMP/shared" drwxr-x--- -rw-------
run 0 "$LEDE_SEARCH" "$TMP/shared" harbour
exit 0
