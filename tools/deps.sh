#!/bin/sh
# deps.sh - check that the tools and libraries a job needs are here.
#   sh tools/deps.sh build   what `make` and `make demo` need: a C compiler
#                            ($CC), re2c ($RE2C), the SQLite headers and
#                            (unless PG=0) libpg_query's
#   sh tools/deps.sh check   that and what `make check` adds: pkg-config,
#                            clang, sqlite3, python3, nm, cmake, Graphviz's
#                            dot, mandoc, the PostgreSQL server (initdb,
#                            pg_ctl, postgres, psql) and libpq's headers
# When something is missing it names each package and why and prints the
# exact apt-get command that installs it, then fails; nothing is installed
# unless asked: with --install (make deps), with DEPS=install in the
# environment, or as root in CI (CI=true), and then the command is printed
# before it runs.  apt-get never runs when everything is here.
set -u

install=0
set_=check
for a in "$@"; do
    case $a in
    build|check) set_=$a ;;
    --install) install=1 ;;
    *) echo "usage: sh tools/deps.sh [build|check] [--install]" >&2; exit 2 ;;
    esac
done
[ "${DEPS:-}" = install ] && install=1
[ "${CI:-}" = true ] && [ "$(id -u)" = 0 ] && install=1

missing=""
why=""
# need PACKAGE WHAT TEST...: add PACKAGE (missing WHAT) unless TEST succeeds.
need() {
    pkg=$1 what=$2
    shift 2
    "$@" >/dev/null 2>&1 && return 0
    case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
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

# has_pg_server: initdb, pg_ctl and postgres where tests/pg/server.sh
# looks (PG_BINDIR, else Debian's /usr/lib/postgresql/*/bin), and psql.
has_pg_server() {
    command -v psql || return 1
    for d in ${PG_BINDIR:-/usr/lib/postgresql/*/bin}; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ] &&
            return 0
    done
    return 1
}
# has_libpq: libpq's header, where pg_config says or in Debian's folder.
has_libpq() {
    [ -f "$(pg_config --includedir 2>/dev/null)/libpq-fe.h" ] ||
        [ -f /usr/include/postgresql/libpq-fe.h ]
}

# The package of a compiler named by CC: gcc for cc and gcc-N, clang for
# clang and clang-N, else the name itself.
case $(basename "${CC:-cc}") in
cc|gcc*|c99|c89) ccpkg=gcc ;;
clang*) ccpkg=clang ;;
*) ccpkg=$(basename "${CC:-cc}") ;;
esac

need "$ccpkg"       "(no C compiler: ${CC:-cc})"    command -v "${CC:-cc}"
need re2c           "(no re2c command: ${RE2C:-re2c})" \
                                                   command -v "${RE2C:-re2c}"
need libsqlite3-dev "(no sqlite3.h header)"         has_header sqlite3.h
if [ "${PG:-1}" != 0 ]; then
    need libpg-query-dev "(no pg_query.h; or make PG=0: no PostgreSQL)" \
        has_header pg_query.h
    need libpq-dev  "(no libpq-fe.h; or make PG=0: no PostgreSQL)" has_libpq
fi
if [ "$set_" = check ]; then
    need pkg-config "(no pkg-config command)"       command -v pkg-config
    need clang      "(no clang command)"            command -v clang
    need sqlite3    "(no sqlite3 command)"          command -v sqlite3
    need python3    "(no python3 command)"          command -v python3
    # pip install of the Python package is for Debian's python3 (a
    # python3 first on the PATH, pyenv's say, is not what it checks).
    debpy=python3
    [ -x /usr/bin/python3 ] && debpy=/usr/bin/python3
    need python3-pip "(no pip for $debpy)"          "$debpy" -m pip --version
    need python3-wheel "(no wheel module for $debpy)" \
                                                   "$debpy" -c "import wheel"
    need binutils   "(no nm command)"               command -v nm
    need cmake      "(no cmake command)"            command -v cmake
    need graphviz   "(no dot command)"              command -v dot
    need mandoc     "(no mandoc command)"           command -v mandoc
    need postgresql "(no PostgreSQL server: initdb, pg_ctl, postgres, psql)" \
                                                   has_pg_server
fi
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

printf 'schemac is missing %s dependencies:\n%s' \
    "$([ "$set_" = build ] && echo build || echo test)" "$why" >&2
if [ "$install" = 0 ]; then
    echo "install them with:" >&2
    echo "  ${sudo}$cmd" >&2
    echo "(after ${sudo}apt-get update on a fresh machine; or run: make" \
        "deps, or make with DEPS=install)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "no apt-get here: install the equivalent packages by hand" >&2
    exit 1
fi
echo "running: ${sudo}apt-get update && ${sudo}$cmd" >&2
if ${sudo}apt-get update -q >/dev/null \
   && ${sudo}env DEBIAN_FRONTEND=noninteractive $cmd -q >/dev/null; then
    exit 0
fi
echo "could not install; run:  ${sudo}apt-get update && ${sudo}$cmd" >&2
exit 1
