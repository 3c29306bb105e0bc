#!/bin/sh
# deps.sh - make sure the build's tools and libraries are here.  Installs the
# missing ones with apt-get when it can (root, or sudo without a password);
# otherwise prints the exact command to run and fails.
set -u

missing=""
need() {   # need PACKAGE TEST...: add PACKAGE unless the test succeeds
    pkg=$1; shift
    "$@" >/dev/null 2>&1 || missing="$missing $pkg"
}
has_header() {
    printf '#include <%s>\nint main(void){return 0;}\n' "$1" |
        ${CC:-cc} -x c -fsyntax-only - 2>/dev/null
}

need gcc           command -v "${CC:-cc}"
need re2c          command -v re2c
need libsqlite3-dev has_header sqlite3.h
need pkg-config    command -v pkg-config
need clang         command -v clang
need sqlite3       command -v sqlite3
need python3       command -v python3
[ -z "$missing" ] && exit 0

cmd="apt-get install -y$missing"
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo "
else
    echo "schemac needs:$missing" >&2
    echo "install them with:  sudo apt-get update && sudo $cmd" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "schemac needs:$missing (no apt-get here: install them by hand)" >&2
    exit 1
fi
echo "installing:$missing"
${sudo}apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive ${sudo}$cmd -q >/dev/null || {
    echo "could not install; run:  sudo apt-get update && sudo $cmd" >&2
    exit 1
}
