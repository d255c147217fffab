#!/bin/sh
# docs/cron.md's "Setting up", followed as written on a fresh system tree:
# 'make install' into /usr/local (the programs then run without
# LD_LIBRARY_PATH, because the install ran ldconfig, and Debian's python3
# imports the module), the account and directories, the first run, the
# crontab line as cron runs it, a change, the crontab line again, the
# systemd service's command, and searches by www-data through the group,
# from the shell and from Python; an account outside the group is told
# Permission denied. It all happens in a private mount namespace whose
# /usr/local is an empty tmpfs and whose /etc and /var are overlays, so
# the machine's own are never changed. Needs root.
set -u

skip() {
    echo "SKIP: $*" >&2
    exit 77
}

if [ -z "${LEDE_DEPLOY_INSIDE:-}" ]; then
    [ "$(id -u)" = 0 ] ||
        skip "needs root (useradd, runuser, a private mount namespace)"
    for tool in unshare mount useradd usermod runuser install; do
        command -v "$tool" >/dev/null 2>&1 || skip "$tool not found"
    done
    if [ -z "${LEDE_MAKE:-}" ] || [ -z "${LEDE_BUILDDIR:-}" ] ||
        [ -z "${LEDE_SRCDIR:-}" ]; then
        echo "run through 'make check' (LEDE_MAKE, LEDE_BUILDDIR)" >&2
        exit 99
    fi
    prefix=$(sed -n 's/^prefix=//p' "$LEDE_BUILDDIR/lede.pc")
    [ "$prefix" = /usr/local ] ||
        skip "configured for $prefix; docs/cron.md installs in /usr/local"
    id lede >/dev/null 2>&1 && skip "an account 'lede' exists already"
    [ -e /var/lib/lede ] && skip "/var/lib/lede exists already"
    case ${TMPDIR:-/tmp} in
    /etc* | /var* | /usr/local*) skip "TMPDIR is under /etc, /var or /usr/local" ;;
    esac
    unshare -m true 2>/dev/null || skip "cannot make a mount namespace"
    LEDE_DEPLOY_INSIDE=1
    export LEDE_DEPLOY_INSIDE
    exec unshare -m --propagation private sh "$0"
fi

. "${LEDE_SRCDIR:-.}/tests/cli/lib.sh"

# ---- a fresh system tree -------------------------------------------------
mount -t tmpfs -o mode=0755 tmpfs /usr/local || exit 99
for d in etc var; do
    mkdir "$TMP/$d.up" "$TMP/$d.work" || exit 99
    mount -t overlay overlay \
        -o "lowerdir=/$d,upperdir=$TMP/$d.up,workdir=$TMP/$d.work" "/$d" ||
        skip "cannot overlay /$d"
done
# The corpus, readable by the account that indexes it.
umask 022
chmod 0711 "$TMP" || exit 99
corpus=$TMP/news
mkdir "$corpus" || exit 99
printf 'Harbour ferry resumes\n\nThe ferry to the island runs again.\n' \
    >"$corpus/a.txt"
printf 'Lighthouse keeper retires\n\nThe keeper leaves the lighthouse.\n' \
    >"$corpus/b.txt"
printf 'Market report\n\nFish prices rose at the quay.\n' >"$corpus/c.txt"
id www-data >/dev/null 2>&1 || useradd --system www-data || exit 99

# ---- make install --------------------------------------------------------
# shellcheck disable=SC2086 # LEDE_MAKE may be "make -j2"
$LEDE_MAKE -s -C "$LEDE_BUILDDIR" install >"$TMP/install.log" 2>&1 || {
    cat "$TMP/install.log" >&2
    fail "make install failed"
}
contains "$TMP/install.log" "ldconfig"
cd / || exit 99
unset LD_LIBRARY_PATH PYTHONPATH LEDE_LIBRARY
run 0 /usr/local/bin/lede-search --version
contains "$TMP/out" "lede-search "

# ---- docs/cron.md --------------------------------------------------------
doc=$LEDE_SRCDIR/docs/cron.md
# block N: the Nth sh block of the "Setting up" section, with the corpus
# in place of /data/news.
block() {
    awk -v want="$1" '
        /^## / { inside = ($0 == "## Setting up") }
        inside && /^```sh$/ { n++; inblock = 1; next }
        inblock && /^```$/ { inblock = 0; next }
        inblock && n == want { print }
    ' "$doc" | sed "s|/data/news|$corpus|g"
}
# The account and the directories.
block 1 >"$TMP/setup.sh"
[ -s "$TMP/setup.sh" ] || fail "docs/cron.md: no setup commands"
run 0 sh -e "$TMP/setup.sh"
[ "$(id -gn lede)" = lede ] || fail "lede's group is $(id -gn lede)"
# shellcheck disable=SC2012 # the mode and owner columns of ls
[ "$(ls -ld /var/lib/lede/news | cut -d' ' -f1,3,4)" = "drwxr-s--- lede lede" ] ||
    fail "index directory: $(ls -ld /var/lib/lede/news)"

# The first run, by hand.
block 2 >"$TMP/first.sh"
run 0 sh -e "$TMP/first.sh"
contains "$TMP/out" "added=3 "

# Files the group reads, and nothing more.
modes() {
    left=$(find /var/lib/lede/news -type f ! -perm 0640 -o -type f ! -group lede)
    [ -z "$left" ] || fail "not -rw-r----- lede:lede: $(ls -l /var/lib/lede/news)"
}
modes

# The crontab line, as cron runs it: /bin/sh, PATH=/usr/bin:/bin, as lede.
cmd=$(awk '/^```cron$/ { inblock = 1; next } /^```$/ { inblock = 0 }
    inblock && !/^#/ && NF { print }' "$doc" |
    sed "s|/data/news|$corpus|g" | cut -d' ' -f6- | sed 's/^ *//')
[ -n "$cmd" ] || fail "docs/cron.md: no crontab line"
# shellcheck disable=SC2317 # called through run
cron() {
    runuser -u lede -- env -i PATH=/usr/bin:/bin HOME=/var/lib/lede \
        SHELL=/bin/sh LOGNAME=lede /bin/sh -c "$cmd"
}
run 0 cron
contains /var/log/lede/reindex.log "unchanged=3 "

# A change, and the next night.
printf 'Lighthouse keeper retires\n\nThe keeper hands the lamp to a robot.\n' \
    >"$corpus/b.txt"
run 0 cron
[ "$(grep -c 'updated=' /var/log/lede/reindex.log)" -eq 2 ] ||
    fail "reindex.log: $(cat /var/log/lede/reindex.log)"
tail -n 1 /var/log/lede/reindex.log >"$TMP/last"
contains "$TMP/last" "added=0 updated=1 deleted=0 unchanged=2 "
modes

# The systemd service's command, as its User=.
exec_start=$(sed -n 's/^ExecStart=//p' "$doc" | sed "s|/data/news|$corpus|g")
[ -n "$exec_start" ] || fail "docs/cron.md: no ExecStart="
# shellcheck disable=SC2086 # the command line is split as systemd would
run 0 runuser -u lede -- $exec_start
contains "$TMP/out" "unchanged=3 "

# ---- a second account reads through the group ---------------------------
block 3 | sed 's/summit/robot/' >"$TMP/reader.sh"
run 0 sh -e "$TMP/reader.sh"
contains "$TMP/out" "1. Lighthouse keeper retires"
contains "$TMP/out" "b.txt #0"
contains "$TMP/out" "The keeper hands the lamp to a robot."
if [ "${LEDE_SANITIZERS:-no}" = yes ]; then
    echo "the Python check does not run under the sanitizers" >&2
elif command -v /usr/bin/python3 >/dev/null 2>&1; then
    # Debian's python3 finds the module, and the module the library.
    run 0 runuser -u www-data -- /usr/bin/python3 -c '
import lede
with lede.Index("/var/lib/lede/news") as idx:
    print([(h.article_id, h.title) for h in idx.search("robot")])'
    [ "$(cat "$TMP/out")" = "[('b.txt', 'Lighthouse keeper retires')]" ] ||
        fail "python3 as www-data: $(cat "$TMP/out")"
fi
# Outside the group: told so, not "not a lede index".
run 2 runuser -u nobody -- /usr/local/bin/lede-search /var/lib/lede/news robot
[ "$(cat "$TMP/err")" = "lede-search: /var/lib/lede/news: cannot read the index: Permission denied" ] ||
    fail "nobody: $(cat "$TMP/err")"
exit 0
