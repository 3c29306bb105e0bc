#!/bin/sh
# deps.sh - check that the build's tools and libraries are here.
#   sh tools/deps.sh             check only (make check, make demo): name what
#                                is missing, print the exact apt-get command
#                                that installs it, and fail
#   sh tools/deps.sh --install   the same check, then install what is
#                                missing with apt-get as root or with sudo
#                                (make deps)
# Nothing is installed, and apt-get never runs, when everything is here.
set -u

install=0
case "${1:-}" in
--install) install=1 ;;
"") ;;
*) echo "usage: sh tools/deps.sh [--install]" >&2; exit 2 ;;
esac

missing=""
why=""
# need PACKAGE WHAT TEST...: add PACKAGE (missing WHAT) unless TEST succeeds.
need() {
    pkg=$1 what=$2
    shift 2
    "$@" >/dev/null 2>&1 && return 0
    missing="$missing $pkg"
    why="$why$(printf '  %-15s %s' "$pkg" "$what")
"
}
# has_header NAME: the compiler finds <NAME> (without a compiler: it is in
# /usr/include, so a missing compiler is not taken for missing headers).
has_header() {
    if ! command -v "${CC:-cc}" >/dev/null 2>&1; then
        [ -f "/usr/include/$1" ]
        return
    fi
    printf '#include <%s>\nint main(void){return 0;}\n' "$1" |
        ${CC:-cc} -x c -fsyntax-only - 2>/dev/null
}

need gcc            "(no C compiler: ${CC:-cc})"   command -v "${CC:-cc}"
need re2c           "(no re2c command)"            command -v re2c
need libsqlite3-dev "(no sqlite3.h header)"      has_header sqlite3.h
need pkg-config     "(no pkg-config command)"      command -v pkg-config
need clang          "(no clang command)"           command -v clang
need sqlite3        "(no sqlite3 command)"         command -v sqlite3
need python3        "(no python3 command)"         command -v python3
need binutils       "(no nm command)"              command -v nm
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo "
else
    sudo="sudo "
    install=0       # nobody here may install: say what to run instead
fi
cmd="apt-get install -y$missing"

if [ "$install" = 0 ]; then
    printf 'schemac is missing build dependencies:\n%s' "$why" >&2
    echo "install them with:" >&2
    echo "  ${sudo}$cmd" >&2
    echo "(after ${sudo}apt-get update on a fresh machine; or run: make deps)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    printf 'schemac is missing build dependencies:\n%s' "$why" >&2
    echo "no apt-get here: install the equivalent packages by hand" >&2
    exit 1
fi
echo "installing:$missing"
if ${sudo}apt-get update -q >/dev/null \
   && ${sudo}env DEBIAN_FRONTEND=noninteractive $cmd -q >/dev/null; then
    exit 0
fi
echo "could not install; run:  ${sudo}apt-get update && ${sudo}$cmd" >&2
exit 1
