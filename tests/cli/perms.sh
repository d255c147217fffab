#!/bin/sh
# Who may read an index: its directory is created 0700 and every file in it
# is 0600, both less the umask, after a first run, a later run, a parallel
# rebuild and a compaction. A directory that exists keeps its mode, and its
# files follow its group's and others' read bits (0750 gives 0640) and its
# group; an account that may not read the index is told so.
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

# A directory made beforehand keeps its mode, through a rebuild too; its
# files take the group's and others' read bits of it, those of an older
# index too, whatever their mode was.
umask 022
mkdir -m 0750 "$TMP/shared" || exit 99
run 0 "$LEDE_INDEX" "$TMP/shared" "$c"
expect "$TMP/shared" drwxr-x--- -rw-r-----
chmod 0666 "$TMP/shared"/* || exit 99
run 0 "$LEDE_INDEX" "$TMP/shared" "$c"
expect "$TMP/shared" drwxr-x--- -rw-r-----
run 0 "$LEDE_INDEX" -j2 --rebuild "$TMP/shared" "$c"
expect "$TMP/shared" drwxr-x--- -rw-r-----
run 0 "$LEDE_INDEX" --compact "$TMP/shared"
expect "$TMP/shared" drwxr-x--- -rw-r-----
run 0 "$LEDE_SEARCH" "$TMP/shared" harbour
# Others' read bit too; a directory of the owner's alone keeps 0600.
mkdir -m 0755 "$TMP/public" "$TMP/private" || exit 99
chmod 0700 "$TMP/private" || exit 99
run 0 "$LEDE_INDEX" "$TMP/public" "$c"
expect "$TMP/public" drwxr-xr-x -rw-r--r--
run 0 "$LEDE_INDEX" "$TMP/private" "$c"
expect "$TMP/private" drwx------ -rw-------
chmod 0644 "$TMP/private"/* || exit 99
printf 'Late news\n\nA late lynx arrives.\n' >"$TMP/late.txt" || exit 99
run 0 "$LEDE_INDEX" "$TMP/private" "$c" "$TMP/late.txt"
expect "$TMP/private" drwx------ -rw-------

if [ "$(id -u)" != 0 ]; then
    echo "SKIP: the checks of a group and of another account need root" >&2
    exit 0
fi
# An administrator's directory for a web application's group, setgid,
# under umask 027: the files are the group's to read, after each commit
# and after a rebuild and a compaction (whose new directory takes the
# group). A 'chmod g+r' made by hand is not undone.
reader=nobody
group=$(id -gn "$reader") || exit 99
id -u "$reader" >/dev/null 2>&1 || {
    echo "SKIP: no account '$reader' to read as" >&2
    exit 77
}
umask 027
chmod 0711 "$TMP" || exit 99
mkdir -m 2750 "$TMP/web" || exit 99
chgrp "$group" "$TMP/web" || exit 99
run 0 "$LEDE_INDEX" "$TMP/web" "$c"
expect "$TMP/web" drwxr-s--- -rw-r-----
run 0 "$LEDE_INDEX" -j2 --rebuild "$TMP/web" "$c"
expect "$TMP/web" drwxr-s--- -rw-r-----
run 0 "$LEDE_INDEX" --compact "$TMP/web"
expect "$TMP/web" drwxr-s--- -rw-r-----
chgrp "$group" "$TMP/web"/* || exit 99
run 0 "$LEDE_INDEX" "$TMP/web" "$c" "$TMP/late.txt"
expect "$TMP/web" drwxr-s--- -rw-r-----
[ -z "$(find "$TMP/web" ! -group "$group")" ] ||
    fail "files of $TMP/web outside the group $group: $(ls -l "$TMP/web")"

# The other account runs copies of the programs, from a place it can
# reach (the build may sit where it cannot).
mkdir -m 0755 "$TMP/bin" || exit 99
b=${LEDE_BUILDDIR:?}
cp "$b/searcher/.libs/lede-search" "$b/indexer/.libs/lede-index" \
    "$b/lib/.libs/liblede.so.0" "$TMP/bin/" || exit 99
chmod 0755 "$TMP/bin"/* || exit 99
# shellcheck disable=SC2317 # called through run
as_reader() {
    setpriv --reuid="$reader" --regid="$group" --clear-groups \
        env LD_LIBRARY_PATH="$TMP/bin" "$@"
}
run 0 as_reader "$TMP/bin/lede-search" "$TMP/web" lynx
contains "$TMP/out" "late.txt #0"
# Xapian's check opens the tables for writing, which the group may not.
run 2 as_reader "$TMP/bin/lede-index" --check "$TMP/web"
contains "$TMP/err" "lede-index: $TMP/web: cannot check the index (Xapian's check opens its tables for writing: run it as the index's owner): "
contains "$TMP/err" ": Permission denied"
[ ! -s "$TMP/out" ] || fail "check printed: $(cat "$TMP/out")"

# Not in the group: Permission denied, for the directory and for a file.
chgrp root "$TMP/web" || exit 99
run 2 as_reader "$TMP/bin/lede-search" "$TMP/web" lynx
[ "$(cat "$TMP/err")" = "lede-search: $TMP/web: cannot read the index: Permission denied" ] ||
    fail "search: $(cat "$TMP/err")"
run 2 as_reader "$TMP/bin/lede-index" --check "$TMP/web"
[ "$(cat "$TMP/err")" = "lede-index: $TMP/web: cannot read the index: Permission denied" ] ||
    fail "check: $(cat "$TMP/err")"
[ ! -s "$TMP/out" ] || fail "check printed: $(cat "$TMP/out")"
chmod 0755 "$TMP/web" || exit 99
chmod 0600 "$TMP/web/iamglass" || exit 99
run 2 as_reader "$TMP/bin/lede-search" "$TMP/web" lynx
[ "$(cat "$TMP/err")" = "lede-search: $TMP/web: cannot read the index: iamglass: Permission denied" ] ||
    fail "search: $(cat "$TMP/err")"
run 2 as_reader "$TMP/bin/lede-index" --check "$TMP/web"
contains "$TMP/err" "lede-index: $TMP/web: cannot read the index: "
exit 0
