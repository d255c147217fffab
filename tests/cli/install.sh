#!/bin/sh
# What a library user gets: 'make install' into a staging directory puts
# the programs, the shared library, lede.h, lede.pc, the man pages and the
# Python module in place; a program found by pkg-config alone compiles
# against them and runs (the man page's example and examples/*.c); the
# installed library exports only lede_ symbols; 'make uninstall' removes
# every file again.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

for tool in pkg-config nm "${CC:-cc}"; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "SKIP: $tool not found" >&2
        exit 77
    }
done
if [ -z "${LEDE_MAKE:-}" ] || [ -z "${LEDE_BUILDDIR:-}" ]; then
    echo "run through 'make check' (LEDE_MAKE, LEDE_BUILDDIR)" >&2
    exit 99
fi

stage=$TMP/stage
# shellcheck disable=SC2086 # LEDE_MAKE may be "make -j2"
$LEDE_MAKE -s -C "$LEDE_BUILDDIR" install DESTDIR="$stage" \
    >"$TMP/install.log" 2>&1 || {
    cat "$TMP/install.log" >&2
    fail "make install failed"
}

# Where things went: the prefix is whatever configure was given.
pc=$(find "$stage" -name lede.pc -path '*/pkgconfig/*')
[ -n "$pc" ] || fail "no lede.pc installed"
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")
root=$(dirname "$libdir")
for f in "$root/bin/lede-index" "$root/bin/lede-search" \
    "$root/include/lede.h" "$libdir/liblede.so.0" \
    "$root/share/man/man1/lede-index.1" "$root/share/man/man1/lede-search.1" \
    "$root/share/man/man3/lede.3"; do
    [ -e "$f" ] || fail "not installed: ${f#"$stage"}"
done

# The Python module goes where python3 looks under the prefix (configure
# chose it), unless there is no python3.
if command -v python3 >/dev/null 2>&1; then
    py=$(find "$stage" -name lede.py)
    case $py in
    "$stage"*/lib/python3*-packages/lede.py) ;;
    *) fail "lede.py installed as '${py#"$stage"}'" ;;
    esac
    cmp "$py" "$LEDE_SRCDIR/bindings/python/lede.py" ||
        fail "the installed lede.py differs from the source"
fi

# Only the public API is exported by the installed library.
nm -D --defined-only "$libdir/liblede.so.0" | awk '{ print $3 }' |
    grep -v '^lede_' >"$TMP/foreign"
[ -s "$TMP/foreign" ] && {
    cat "$TMP/foreign" >&2
    fail "the installed liblede exports symbols outside lede_"
}

# Build as a user would: flags from pkg-config and nothing else.
PKG_CONFIG_PATH=$pcdir
PKG_CONFIG_SYSROOT_DIR=$stage
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
cflags=$(pkg-config --cflags lede) || fail "pkg-config --cflags lede"
libs=$(pkg-config --libs lede) || fail "pkg-config --libs lede"
extra=
[ "${LEDE_SANITIZERS:-no}" = yes ] &&
    extra="-fsanitize=address,undefined"

# build NAME SOURCE: compile SOURCE into $TMP/NAME.
build() {
    # shellcheck disable=SC2086 # flag lists are word-split on purpose
    ${CC:-cc} -std=c11 -Wall -Wextra -Werror $extra $cflags -o "$TMP/$1" \
        "$2" $libs 2>"$TMP/cc.err" || {
        cat "$TMP/cc.err" >&2
        fail "cannot build $2 against the installed library"
    }
}

LD_LIBRARY_PATH=$libdir
export LD_LIBRARY_PATH
[ "$(pkg-config --modversion lede)" = "$("$root/bin/lede-search" --version |
    sed -n '1s/.* //p')" ] || fail "lede.pc and lede-search disagree on version"

# The example of lede(3), as printed: between .EX and .EE, with the
# escaped backslashes put back.
sed -n '/^\.EX$/,/^\.EE$/p' "$LEDE_SRCDIR/docs/lede.3" | sed '1d;$d' |
    sed 's/\\e/\\/g' >"$TMP/manexample.c"
build manexample "$TMP/manexample.c"
(cd "$TMP" && ./manexample) >"$TMP/out" 2>"$TMP/err" || {
    cat "$TMP/err" >&2
    fail "the lede(3) example failed"
}
# Two articles say "summit"; only a1 says Singapore, so it leads.
[ "$(wc -l <"$TMP/out")" -eq 2 ] || fail "lede(3) example: $(cat "$TMP/out")"
contains "$TMP/out" "a1: The [summit] in [Singapore] ended with a joint"
[ "$(sed -n '1s/^[0-9.]* \([a-z0-9]*\):.*/\1/p' "$TMP/out")" = a1 ] ||
    fail "lede(3) example: a1 should rank first: $(cat "$TMP/out")"

build index "$LEDE_SRCDIR/examples/index.c"
build search "$LEDE_SRCDIR/examples/search.c"
run 0 "$TMP/index" "$TMP/ex.idx" "$LEDE_SRCDIR/corpus"
contains "$TMP/out" "$TMP/ex.idx: "
articles=$(find "$LEDE_SRCDIR/corpus" -type f -name '*.txt' | wc -l)
contains "$TMP/out" "sync: $articles added"
run 0 "$TMP/search" "$TMP/ex.idx" "harbour lighthouse"
contains "$TMP/out" "1. Lighthouse keeper retires (lighthouse,"
run 1 "$TMP/search" "$TMP/ex.idx" "zzyzx"
run 2 "$TMP/search" "$TMP/ex.idx" '"unclosed'
contains "$TMP/err" "column"

# The installed programs work from the staging directory too.
run 0 "$root/bin/lede-search" "$TMP/ex.idx" "ferry engine"
contains "$TMP/out" "ferry"

# shellcheck disable=SC2086
$LEDE_MAKE -s -C "$LEDE_BUILDDIR" uninstall DESTDIR="$stage" \
    >"$TMP/uninstall.log" 2>&1 || {
    cat "$TMP/uninstall.log" >&2
    fail "make uninstall failed"
}
find "$stage" ! -type d >"$TMP/left"
[ -s "$TMP/left" ] && {
    cat "$TMP/left" >&2
    fail "make uninstall left files behind"
}
exit 0
