# shellcheck shell=sh
# Shared by quickstart.sh and run-tests.sh: make sure the build
# dependencies are installed, then configure and build lede in a build
# directory of its own. Meant to be sourced from the top of the checkout.

# Debian/Ubuntu packages lede needs to build and test.
LEDE_PACKAGES="build-essential autoconf automake libtool pkg-config
libxapian-dev libicu-dev zlib1g-dev libzstd-dev libjansson-dev libxml2-dev libcmocka-dev"
# And the tools of the style checks (scripts/lint.sh).
# shellcheck disable=SC2034 # used by .ci/run
LEDE_LINT_PACKAGES="clang-format shellcheck universal-ctags"

say() {
    printf '%s\n' "$*" >&2
}

# Packages from LEDE_PACKAGES that are not installed.
missing_packages() {
    for pkg in $LEDE_PACKAGES; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) || status=
        case $status in
        *" installed") ;;
        *) printf '%s ' "$pkg" ;;
        esac
    done
}

# Install what is missing, as root or through passwordless sudo; otherwise
# print the command to run and fail.
ensure_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "Not a Debian or Ubuntu system: make sure these (or your system's"
        # shellcheck disable=SC2086 # one line for the whole list
        say "equivalents) are installed:" $LEDE_PACKAGES
        return 0
    fi
    missing=$(missing_packages)
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        sudo=
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo=sudo
    else
        say "lede needs these packages, and installing them needs root:"
        say ""
        say "    sudo apt-get install -y $missing"
        say ""
        return 1
    fi
    say "Installing: $missing"
    # shellcheck disable=SC2086 # word splitting of the package list is meant
    if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y \
        --no-install-recommends $missing; then
        say "Updating the package lists and trying again"
        $sudo apt-get update || return 1
        # shellcheck disable=SC2086
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y \
            --no-install-recommends $missing || return 1
    fi
}

# newer A B: is file A newer than file B (POSIX has no test -nt)?
newer() {
    [ -n "$(find "$1" -prune -newer "$2" 2>/dev/null)" ]
}

# build DIR [CONFIGURE OPTIONS...]: configure (when needed) and build lede
# in DIR, a subdirectory of the checkout. A checkout already configured in
# place is built in place instead (Automake allows one or the other).
build() {
    dir=$1
    shift
    top=$(pwd)
    if [ -f "$top/config.status" ]; then
        say "Using the build configured in the source directory"
        LEDE_BUILD=$top
    else
        if [ ! -x "$top/configure" ] || newer configure.ac configure ||
            newer Makefile.am configure; then
            say "Running autogen.sh"
            "$top/autogen.sh" >"$top/autogen.log" 2>&1 || {
                cat "$top/autogen.log" >&2
                return 1
            }
        fi
        mkdir -p "$top/$dir" || return 1
        LEDE_BUILD=$top/$dir
        if [ ! -f "$LEDE_BUILD/Makefile" ] ||
            newer configure "$LEDE_BUILD/Makefile"; then
            say "Configuring in $dir/ $*"
            (cd "$LEDE_BUILD" && "$top/configure" --quiet "$@") || return 1
        fi
    fi
    jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
    say "Building"
    make -C "$LEDE_BUILD" -j"$jobs" >/dev/null || {
        say "The build failed; rerun 'make -C $LEDE_BUILD' to see why."
        return 1
    }
}
