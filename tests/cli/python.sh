#!/bin/sh
# The Python bindings (bindings/python) against the library just built.
. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

command -v python3 >/dev/null 2>&1 || {
    echo "SKIP: python3 not found" >&2
    exit 77
}
so=${LEDE_LIBDIR:?}/.libs/liblede.so
[ -f "$so" ] || {
    echo "SKIP: no shared library at $so (static build?)" >&2
    exit 77
}
# A sanitized liblede needs its runtime loaded before the interpreter.
if [ "${LEDE_SANITIZERS:-no}" = yes ]; then
    echo "SKIP: the Python test does not run under the sanitizers" >&2
    exit 77
fi
cd "$LEDE_SRCDIR/bindings/python" || exit 99
LEDE_LIBRARY=$so PYTHONDONTWRITEBYTECODE=1 \
    python3 -m unittest -v test_lede >"$TMP/out" 2>&1 || {
    cat "$TMP/out" >&2
    fail "Python binding tests failed"
}
cat "$TMP/out"
exit 0
