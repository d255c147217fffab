#!/bin/sh
# scripts/map.sh, the map check of scripts/lint.sh, over a small made-up
# tree: it names each wrong "Calls" sentence (a module missed, one named
# but not called, a missing sentence), a function over 120 lines and a
# file over 900; in lib/lede_int.h, a declaration in the wrong section,
# a missing one, sections out of the order of calls, a struct declared
# ahead twice, and a shared function without its file's prefix; a file
# README's source layout does not name; and passes the same tree once
# they are put right. Calls
# in comments and strings do not count; the body of a header's template
# that a C++ file uses does.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

if ! ctags --version 2>/dev/null | grep -q 'Universal Ctags'; then
    echo "SKIP: universal-ctags is not installed" >&2
    exit 77
fi

t=$TMP/tree
mkdir -p "$t/lib" "$t/indexer"

# lines N TEXT: N lines of TEXT.
lines() {
    awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) print s }'
}

cat >"$t/lib/a.c" <<'EOF'
/*
 * a.c - calls b.c and c.c, but its sentence names only one of them.
 * Calls b.c and zlib.
 */
int lede__a_run(void);
int lede__a_run(void)
{
    return lede__b_get() + lede__c_get();
}
EOF
cat >"$t/lib/b.c" <<'EOF'
/*
 * b.c - uses the shim without saying so. Calls nothing.
 */
int lede__b_get(void)
{
    return lede__xdb_open();
}
EOF
{
    cat <<'EOF'
/*
 * c.c - names a.c, whose function it mentions only in a comment and a
 * string. Calls a.c.
 */
/* lede__a_run() would loop */
static const char *s = "lede__a_run()";
int lede__c_get(void)
{
    int x = 0;
EOF
    lines 116 '    x++;'
    printf '    return x;\n}\n'
} >"$t/lib/c.c"
cat >"$t/lib/d.c" <<'EOF'
/*
 * d.c - says nothing of what it calls.
 */
int lede__d_get(void)
{
    return 0;
}
EOF
cat >"$t/lib/e.c" <<'EOF'
/*
 * e.c - right, over two lines. Calls b.c
 * and the shim (lede__xdb_*).
 */
static int lede__a_run(void)
{
    return 1;
}
int lede__e_get(void)
{
    return lede__a_run() + lede__b_get() + lede__xdb_open();
}
EOF
cat >"$t/lib/shim_int.h" <<'EOF'
/* shim_int.h - a template the C++ files share. */
template <class F> int guard(F &&body)
{
    int rc = body();
    return rc < 0 ? lede__d_get() : rc;
}
EOF
cat >"$t/lib/shim.cc" <<'EOF'
/*
 * shim.cc - calls d.c through the template of shim_int.h. Calls d.c and
 * Xapian.
 */
#include "shim_int.h"
extern "C" int lede__xdb_open(void)
{
    return guard([] { return 0; });
}
EOF
cat >"$t/lib/other.cc" <<'EOF'
/*
 * other.cc - includes shim_int.h, but uses nothing of it. Calls
 * nothing else.
 */
#include "shim_int.h"
extern "C" int lede__xdb_close(void)
{
    return 0;
}
EOF
lines 901 'extern int x;' >"$t/indexer/main.c"
# The contracts header: c.c's function in b.c's section, a.c's section
# above those of b.c and c.c that it calls, struct lede__xdb declared
# ahead twice, no section for e.c, and d.c sharing a function without
# its prefix.
cat >"$t/lib/lede_int.h" <<'EOF'
/* lede_int.h - contracts */
struct lede__xdb;
/* ---- a.c: runs ---- */
int lede__a_run(void);
/* ---- b.c: gets ---- */
int lede__b_get(void);
int lede__c_get(void);
struct lede__xdb;
/* ---- c.c and d.c: get too ---- */
int lede__d_get(void);
int lede__dd_get(void);
EOF
# README's source layout, without e.c.
cat >"$t/README.md" <<'EOF'
# A tree
## Source layout
lib/a.c b.c c.c d.c shim.cc other.cc shim_int.h lede_int.h
indexer/main.c
## After
e.c
EOF
cat >>"$t/lib/d.c" <<'EOF'
int lede__dd_get(void)
{
    return 0;
}
EOF

run 1 "$LEDE_SRCDIR/scripts/map.sh" "$t"
same "$TMP/out" /dev/stdin <<'EOF'
indexer/main.c: 901 lines, over 900
lib/a.c: Calls line misses c.c
lib/a.c: calls b.c, whose section in lib/lede_int.h is not above its own
lib/a.c: calls c.c, whose section in lib/lede_int.h is not above its own
lib/b.c: Calls line misses the shim
lib/c.c: Calls line names a.c, which it does not call
lib/c.c:7: function lede__c_get is 121 lines, over 120
lib/d.c: lede__dd_get does not carry the prefix lede__d_
lib/d.c: no Calls sentence in its opening comment
lib/e.c: lede__e_get is shared but not declared in lib/lede_int.h
lib/e.c: not in the source layout of README.md
lib/lede_int.h: no section for e.c
lib/lede_int.h:7: lede__c_get is in the section of b.c but c.c defines it
lib/lede_int.h:8: struct lede__xdb declared ahead again (line 2)
EOF

# Put right, the same tree passes.
sed 's/Calls b.c and zlib/Calls b.c, c.c and zlib/' "$t/lib/a.c" >"$TMP/x" &&
    mv "$TMP/x" "$t/lib/a.c"
sed 's/Calls nothing/Calls the shim/' "$t/lib/b.c" >"$TMP/x" &&
    mv "$TMP/x" "$t/lib/b.c"
sed 's/Calls a.c/Calls nothing/; 10d' "$t/lib/c.c" >"$TMP/x" &&
    mv "$TMP/x" "$t/lib/c.c"
sed 's/says nothing of what it calls/Calls nothing/' "$t/lib/d.c" >"$TMP/x" &&
    mv "$TMP/x" "$t/lib/d.c"
sed '1d' "$t/indexer/main.c" >"$TMP/x" && mv "$TMP/x" "$t/indexer/main.c"
sed 's/lede__dd_get/lede__d_other/' "$t/lib/d.c" >"$TMP/x" &&
    mv "$TMP/x" "$t/lib/d.c"
sed 's/^lib\/a.c /lib\/a.c e.c /' "$t/README.md" >"$TMP/x" &&
    mv "$TMP/x" "$t/README.md"
cat >"$t/lib/lede_int.h" <<'EOF'
/* lede_int.h - contracts */
struct lede__xdb;
/* ---- c.c and d.c: get ---- */
int lede__c_get(void);
int lede__d_get(void);
int lede__d_other(void);
/* ---- b.c: gets ---- */
int lede__b_get(void);
/* ---- a.c: runs ---- */
int lede__a_run(void);
/* ---- e.c: gets too ---- */
int lede__e_get(void);
EOF
run 0 "$LEDE_SRCDIR/scripts/map.sh" "$t"
same "$TMP/out" /dev/null
