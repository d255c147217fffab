#!/bin/sh
# Checks that the map of the library is true, for scripts/lint.sh:
#   - no source file of the library or the programs over 900 lines;
#   - no function over 120 lines;
#   - each lib/ file's opening comment has a sentence "Calls ..." (it may
#     wrap, and ends at a full stop) naming exactly the other modules of
#     lib/ whose functions the file uses: each as foo.c (or foo.cc), with
#     "the shim" for the C interface of the C++ files (lede__* functions
#     defined in lib/*.cc), or "nothing" when there are none. Other words,
#     such as outside libraries (ICU, zlib), are not checked;
#   - lib/lede_int.h has a section for each C file of lib/
#     ("/* ---- foo.c: ..."), in the order of calls: a file calls only
#     files whose sections are above its own, so that no files call each
#     other in a circle; each function the library shares between its C
#     files is declared there once, in the section of the file that
#     defines it; a struct is declared ahead only once;
#   - a shared function of lib/foo.c is named lede__foo_* (STYLE.md), or
#     after one of the few families the file owns, listed below;
#   - README.md's source layout names every source file and header.
# Definitions and function lengths come from universal-ctags; a file uses
# a function when its name appears in its code outside comments and
# strings, or in the body of a function of a lib/ header it includes
# (the C++ templates) that it uses. Names defined in the file itself
# are its own.
# Usage: scripts/map.sh [ROOT]   (ROOT: the top of a checkout; default,
# this script's checkout). Prints one line per problem and exits 1 if
# there is any; exits 2 if universal-ctags is missing.
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
if ! ctags --version 2>/dev/null | grep -q 'Universal Ctags'; then
    echo "map: universal-ctags not found" >&2
    exit 2
fi
lib=$(ls lib/*.c lib/*.cc 2>/dev/null)
headers=$(ls lib/*.h 2>/dev/null)
progs=$(ls indexer/*.c searcher/*.c cli/*.c serve/*.c 2>/dev/null)
if [ -z "$lib" ]; then
    echo "map: no lib/*.c in $root" >&2
    exit 2
fi
tags=$(mktemp "${TMPDIR:-/tmp}/lede-map.XXXXXX") || exit 2
trap 'rm -f "$tags"' EXIT
# name|file|start|end|"file" when file-local|scope
# shellcheck disable=SC2086 # one argument per file is meant
if ! ctags -x --_xformat='%N|%F|%n|%{end}|%{file}|%{scope}' --kinds-c=f \
    --kinds-c++=f -o - $lib $headers $progs >"$tags"; then
    echo "map: ctags failed" >&2
    exit 2
fi

# shellcheck disable=SC2086
out=$(awk -v libfiles="$lib" -v progfiles="$progs" '
function base(p) { sub(/.*\//, "", p); return p }
# Strip comments, strings and character constants from one line of code,
# carrying an open block comment over to the next line in incomment.
function code(s,    r, i) {
    r = ""
    while (s != "") {
        if (incomment) {
            i = index(s, "*/")
            if (i == 0)
                return r
            s = substr(s, i + 2)
            incomment = 0
            r = r " "
            continue
        }
        if (!match(s, /\/\*|\/\/|"|\047/))
            return r s
        r = r substr(s, 1, RSTART - 1) " "
        s = substr(s, RSTART)
        if (substr(s, 1, 2) == "/*") {
            incomment = 1
            s = substr(s, 3)
        } else if (substr(s, 1, 2) == "//") {
            return r
        } else if (match(s, /^"([^"\\]|\\.)*"/) ||
            match(s, /^\047([^\047\\]|\\.)*\047/)) {
            s = substr(s, RLENGTH + 1)
        } else {
            return r
        }
    }
    return r
}
BEGIN {
    FS = "|"
    n = split(libfiles, a, /[ \n]+/)
    for (i = 1; i <= n; i++)
        islib[a[i]] = 1
    n = split(progfiles, a, /[ \n]+/)
    for (i = 1; i <= n; i++)
        isprog[a[i]] = 1
}
# The ctags table.
NR == FNR {
    name = $1; file = $2
    nfunc++
    fname[nfunc] = name; ffile[nfunc] = file
    fstart[nfunc] = $3; fend[nfunc] = $4
    len = $4 - $3 + 1
    if ((islib[file] || isprog[file]) && len > 120 && name !~ /^__anon/)
        print file ":" $3 ": function " name " is " len \
            " lines, over 120"
    local = ($5 == "file" || $6 ~ /__anon/)
    if (file ~ /\.h$/) {
        hfunc[file, name] = nfunc
        next
    }
    own[file, name] = 1
    if (local || !islib[file])
        next
    if (name in deffile && deffile[name] != file)
        print file ": " name " is defined in " deffile[name] " too"
    deffile[name] = file
    cxxonly[name] = ($6 != "")
    next
}
FNR == 1 {
    incomment = 0
    inhead = (FILENAME in islib)
    headtext = ""
}
{
    nlines[FILENAME] = FNR
    if (inhead) {
        line = $0
        if (FNR == 1 && line !~ /^\/\*/) {
            inhead = 0
        } else {
            end = index(line, "*/")
            if (end)
                line = substr(line, 1, end - 1)
            sub(/^ *\/?\*+ ?/, "", line)
            headtext = headtext " " line
            if (end) {
                inhead = 0
                head[FILENAME] = headtext
            }
        }
    }
    # The order of the sections of lede_int.h: one file a section, or more.
    if (FILENAME == "lib/lede_int.h" &&
        match($0, /^\/\* ---- [A-Za-z0-9_.]+\.cc?[:, ]/)) {
        t = substr($0, 9)
        sub(/:.*/, "", t)
        gsub(/,|( and )/, " ", t)
        nsection++
        m = split(t, w, " ")
        for (i = 1; i <= m; i++)
            secpos[w[i]] = nsection
    }
    if ($0 ~ /^[ \t]*#[ \t]*include[ \t]*"/) {
        h = $0
        sub(/^[^"]*"/, "", h)
        sub(/".*/, "", h)
        includes[FILENAME, "lib/" h] = 1
    }
    s = code($0)
    while (match(s, /[A-Za-z_][A-Za-z0-9_]*/)) {
        t = substr(s, RSTART, RLENGTH)
        s = substr(s, RSTART + RLENGTH)
        if (!((FILENAME, t) in uses)) {
            uses[FILENAME, t] = 1
            nuse[FILENAME]++
            use[FILENAME, nuse[FILENAME]] = t
        }
        lineuse[FILENAME, FNR] = lineuse[FILENAME, FNR] " " t
    }
}
END {
    for (f in nlines)
        if ((islib[f] || isprog[f]) && nlines[f] > 900)
            print f ": " nlines[f] " lines, over 900"
    # Headers included, directly or through other lib/ headers.
    do {
        more = 0
        for (k in includes) {
            split(k, p, SUBSEP)
            for (k2 in includes) {
                split(k2, q, SUBSEP)
                if (q[1] == p[2] && !((p[1], q[2]) in includes)) {
                    includes[p[1], q[2]] = 1
                    more = 1
                }
            }
        }
    } while (more)
    n = split(libfiles, files, /[ \n]+/)
    for (i = 1; i <= n; i++) {
        f = files[i]
        # The bodies of the header functions f uses are its code too.
        for (j = 1; j <= nuse[f]; j++) {
            t = use[f, j]
            for (k in includes) {
                split(k, p, SUBSEP)
                if (p[1] != f || !((p[2], t) in hfunc) ||
                    (f, p[2], t) in expanded)
                    continue
                expanded[f, p[2], t] = 1
                x = hfunc[p[2], t]
                for (l = fstart[x]; l <= fend[x]; l++) {
                    m = split(lineuse[p[2], l], w, " ")
                    for (o = 1; o <= m; o++)
                        if (!((f, w[o]) in uses)) {
                            uses[f, w[o]] = 1
                            nuse[f]++
                            use[f, nuse[f]] = w[o]
                        }
                }
            }
        }
        # What it calls.
        for (j = 1; j <= nuse[f]; j++) {
            t = use[f, j]
            if (!(t in deffile) || (f, t) in own)
                continue
            d = deffile[t]
            if (cxxonly[t] && f !~ /\.cc$/)
                continue
            mod = (d ~ /\.cc$/ && t ~ /^lede__/) ? "the shim" : base(d)
            calls[f, mod] = 1
        }
        # What its Calls sentence names.
        h = (f in head) ? head[f] : ""
        gsub(/[ \t]+/, " ", h)
        if (!match(h, /(^| )Calls /)) {
            print f ": no Calls sentence in its opening comment"
            continue
        }
        h = substr(h, RSTART + RLENGTH)
        if (match(h, /\.( |$)/))
            h = substr(h, 1, RSTART - 1)
        while (match(h, /[A-Za-z0-9_]+\.cc?([^A-Za-z0-9_]|$)|the shim/)) {
            mod = substr(h, RSTART, RLENGTH)
            h = substr(h, RSTART + RLENGTH)
            sub(/[^A-Za-z0-9_]$/, "", mod)
            named[f, mod] = 1
            if (!((f, mod) in calls))
                print f ": Calls line names " mod \
                    ", which it does not call"
        }
        for (k in calls) {
            split(k, p, SUBSEP)
            if (p[1] != f)
                continue
            if (!((f, p[2]) in named))
                print f ": Calls line misses " p[2]
            # Sections come in the order of calls, so that the modules
            # call each other in no circle.
            if (base(f) in secpos && p[2] in secpos &&
                secpos[p[2]] >= secpos[base(f)])
                print f ": calls " p[2] ", whose section in " \
                    "lib/lede_int.h is not above its own"
        }
    }
}
' "$tags" $lib $headers $progs | LC_ALL=C sort)
# The contracts header, section by section, against the definitions.
hdr=lib/lede_int.h
if [ -f "$hdr" ]; then
    # shellcheck disable=SC2086
    out2=$(ctags -x --_xformat='%N|%F|%n' --kinds-c=p -o - "$hdr" |
        awk -v libfiles="$lib" -v hdr="$hdr" '
function base(p) { sub(/.*\//, "", p); return p }
BEGIN {
    FS = "|"
    # Families: names a module owns besides its own prefix.
    fam["alloc.c"] = "lede__(malloc|calloc|realloc|free|grow|strndup)$"
    fam["buf.c"] = "lede__(utf8|varint)_"
    fam["explain.c"] = "lede__explainer_|lede__explain$"
    fam["segment.c"] = "lede__segmenter_"
    fam["tokenize.c"] = "lede__tokenizer_"
    fam["sources.c"] = "lede__source_"
    fam["rank.c"] = "lede__lucene_"
    n = split(libfiles, a, /[ \n]+/)
    for (i = 1; i <= n; i++)
        islib[a[i]] = 1
}
# Pass 1: the definitions (name|file|start|end|"file" when local|scope).
FILENAME == ARGV[1] {
    if ($5 == "file" || $2 !~ /\.c$/ || !islib[$2] || $1 !~ /^lede__/)
        next
    deffile[$1] = base($2)
    defpath[$1] = $2
    f = base($2)
    m = f
    sub(/\.c$/, "", m)
    if (index($1, "lede__" m "_") != 1 && $1 != "lede__" m &&
        !(f in fam && $1 ~ fam[f]))
        print $2 ": " $1 " does not carry the prefix lede__" m "_"
    next
}
# Pass 2: the declarations in the header (name|file|line).
FILENAME == "-" {
    declline[$1] = $3
    next
}
# Pass 3: the header itself, for its sections and forward declarations.
{
    # A heading names its file, or files: "/* ---- a.c, b.c and c.c: ..."
    if (match($0, /^\/\* ---- [A-Za-z0-9_.]+\.cc?[:, ]/)) {
        nsec++
        secline[nsec] = FNR
        t = substr($0, 9)
        sub(/:.*/, "", t)
        gsub(/,|( and )/, " ", t)
        m = split(t, w, " ")
        secname[nsec] = " "
        for (i = 1; i <= m; i++) {
            secname[nsec] = secname[nsec] w[i] " "
            if (w[i] in seen)
                print hdr ":" FNR ": a second section for " w[i]
            seen[w[i]] = 1
        }
    }
    if ($0 ~ /^(typedef )?struct [A-Za-z_0-9]+( [A-Za-z_0-9]+)?;/) {
        t = $0
        sub(/^(typedef )?struct /, "", t)
        sub(/[ ;].*/, "", t)
        if (t in ahead)
            print hdr ":" FNR ": struct " t " declared ahead again (line " \
                ahead[t] ")"
        else
            ahead[t] = FNR
    }
}
END {
    for (name in declline) {
        l = declline[name]
        sec = ""
        for (i = 1; i <= nsec; i++)
            if (secline[i] < l)
                sec = secname[i]
        if (!(name in deffile)) {
            if (name ~ /^lede__/)
                print hdr ":" l ": " name " is defined in no lib/ C file"
            continue
        }
        d = deffile[name]
        if (index(sec, " " d " ") == 0)
            print hdr ":" l ": " name " is in the section of" \
                (sec == "" ? " no file" : sec) "but " d " defines it"
    }
    n = split(libfiles, a, /[ \n]+/)
    for (i = 1; i <= n; i++)
        if (a[i] ~ /\.c$/ && !(base(a[i]) in seen))
            print hdr ": no section for " base(a[i])
    for (name in deffile)
        if (!(name in declline))
            print defpath[name] ": " name " is shared but not declared in " \
                hdr
}
' "$tags" - "$hdr")
    if [ -n "$out2" ]; then
        out=$(printf '%s\n%s\n' "$out" "$out2" | sed '/^$/d' | LC_ALL=C sort)
    fi
fi
# README's source layout names every source file.
if [ -f README.md ]; then
    layout=$(awk '/^## Source layout/ { p = 1; next } /^## / { p = 0 } p' \
        README.md)
    # shellcheck disable=SC2086
    for f in $lib $headers $progs $(ls indexer/*.h searcher/*.h cli/*.h \
        serve/*.h 2>/dev/null); do
        b=${f##*/}
        if ! printf '%s\n' "$layout" | grep -qw -- "$b"; then
            out=$(printf '%s\n%s: not in the source layout of README.md\n' \
                "$out" "$f" | sed '/^$/d' | LC_ALL=C sort)
        fi
    done
fi
[ -z "$out" ] && exit 0
printf '%s\n' "$out"
exit 1
