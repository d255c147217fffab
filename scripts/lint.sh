#!/bin/sh
# Style checks CI runs beside the tests: clang-format on the C and C++
# sources, shellcheck on the shell scripts, and the map of the library
# (scripts/map.sh: file and function sizes, each lib/ file's "Calls"
# sentence against its real calls, by universal-ctags). A missing tool is
# reported and skipped, not failed.
set -u
cd "$(dirname "$0")/.." || exit 1
status=0
if command -v clang-format >/dev/null 2>&1; then
    # shellcheck disable=SC2046 # one argument per file is meant
    clang-format --dry-run --Werror $(git ls-files '*.c' '*.h' '*.cc') ||
        status=1
else
    echo "lint: clang-format not found, format not checked" >&2
fi
if command -v shellcheck >/dev/null 2>&1; then
    # shellcheck disable=SC2046
    shellcheck -x $(git ls-files '*.sh') .ci/run || status=1
else
    echo "lint: shellcheck not found, scripts not checked" >&2
fi
if ctags --version 2>/dev/null | grep -q 'Universal Ctags'; then
    scripts/map.sh . || status=1
else
    echo "lint: universal-ctags not found, the map not checked" >&2
fi
exit $status
