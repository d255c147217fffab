#!/bin/sh
# liblede exports exactly the functions lede.h declares, and nothing else;
# each of them is called by a unit test; the library never prints or
# ends the process: no reference to stdout, stderr, the printf family, exit
# or abort; and it runs no other program: no system, popen, exec*, fork
# or posix_spawn.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

command -v nm >/dev/null 2>&1 || {
    echo "SKIP: nm not found" >&2
    exit 77
}
so=${LEDE_LIBDIR:?}/.libs/liblede.so
[ -f "$so" ] || {
    echo "SKIP: no shared library at $so (static build?)" >&2
    exit 77
}
nm -D --defined-only "$so" | awk '{ print $3 }' | sort >"$TMP/exported" ||
    exit 99
# Declarations may wrap after LEDE_EXTERN(type): read the header as one line.
tr '\n' ' ' <"$LEDE_SRCDIR/include/lede.h" |
    grep -o 'LEDE_EXTERN([^)]*) *lede_[a-z0-9_]*' |
    sed 's/.* //' | sort >"$TMP/declared"
[ -s "$TMP/declared" ] || exit 99
same "$TMP/exported" "$TMP/declared"

# Every public function is called by some unit test.
while read -r fn; do
    grep -q "$fn(" "$LEDE_SRCDIR"/tests/*.c ||
        fail "no unit test calls $fn"
done <"$TMP/declared"

nm -D --undefined-only "$so" | awk '{ print $2 }' | sed 's/@.*//' |
    grep -E '^(stdout|stderr|printf|vprintf|fprintf|vfprintf|puts|fputs|putchar|perror|exit|_exit|_Exit|abort|__printf_chk|__fprintf_chk|__vfprintf_chk)$' \
        >"$TMP/forbidden"
[ -s "$TMP/forbidden" ] && {
    cat "$TMP/forbidden" >&2
    fail "liblede refers to functions that print or end the process"
}

nm -D --undefined-only "$so" | awk '{ print $2 }' | sed 's/@.*//' |
    grep -E '^(system|popen|execl|execlp|execle|execv|execvp|execvpe|execve|fexecve|fork|vfork|posix_spawn|posix_spawnp)$' \
        >"$TMP/spawns"
[ -s "$TMP/spawns" ] && {
    cat "$TMP/spawns" >&2
    fail "liblede refers to functions that run other programs"
}
exit 0
