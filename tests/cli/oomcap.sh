#!/bin/sh
# Out of memory for real, in Xapian and ICU as well as in lede: the short
# version of bench/reliability/oom.sh's address-space caps (40 caps).
# Skipped under the sanitizers, which reserve too much address space.
# shellcheck source=tests/cli/lib.sh
. "$LEDE_SRCDIR/tests/cli/lib.sh"
if [ "${LEDE_SANITIZERS:-no}" = yes ]; then
    echo "skipped: address-space caps do not work under the sanitizers"
    exit 77
fi
"$LEDE_BUILDDIR/bench/reliability/oomcap" "$TMP" 40 >"$TMP/out" 2>&1
status=$?
cat "$TMP/out"
[ "$status" -eq 0 ] || fail "oomcap exited $status"
grep -q '^# 40 caps: [0-9]* succeeded, [1-9][0-9]* stopped with LEDE_ENOMEM, 0 failed otherwise$' \
    "$TMP/out" || fail "no cap ran out of memory, or one failed otherwise"
exit 0
