#!/bin/sh
# server.sh - a private PostgreSQL server for the tests, all of it (data,
# log, socket) under one scratch folder, so a run never touches a system
# cluster and leaves nothing behind.
#
#   sh tests/pg/server.sh start DIR   create DIR (absent or empty), start a
#       server in it listening only on the socket folder DIR/socket, create
#       the role schemac (login without password, may create databases)
#       and its database schemac, and print on stdout the lines a client
#       connects with:
#           PGHOST=DIR/socket
#           PGPORT=5432
#           PGUSER=schemac
#           PGDATABASE=schemac
#           SCHEMAC_PG=postgresql:///schemac?host=DIR/socket&port=5432&user=schemac
#           SCHEMAC_PG_DIR=DIR
#       When no server can be started it prints one line on stderr saying
#       why and what to install, stops whatever it started, and exits 1.
#   sh tests/pg/server.sh stop DIR    stop that server (fast shutdown) and
#       remove DIR; nothing to stop is not an error.
#   sh tests/pg/server.sh restart DIR  stop that server (fast shutdown:
#       every session is ended) and start it again, for the tests of what
#       clients do when their server goes away and comes back.
#
# The server binaries are found in PG_BINDIR when set, else in the newest
# /usr/lib/postgresql/*/bin (Debian's layout; `pg_config --bindir` names
# the client's folder, which may hold no server), else beside initdb on
# PATH.  initdb and postgres refuse to run as root, so as root the server
# runs as the postgres user Debian's package creates, and DIR is handed to
# it; as anyone else it runs as the caller.
set -u

usage() {
    echo "usage: sh tests/pg/server.sh start|stop|restart DIR" >&2
    exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
case $cmd in start|stop|restart) ;; *) usage ;; esac
case $dir in
/*) ;;
*) dir=$(pwd)/$dir ;;
esac
# The folder goes into postgresql.conf and a URI unquoted and unescaped:
# allow only characters that need neither.
case $dir in
*[!A-Za-z0-9_./-]*)
    echo "server.sh: DIR '$dir' has characters other than letters, digits" \
        "and _ . / -; choose another" >&2
    exit 1 ;;
esac
marker=$dir/.schemac-pg
port=5432       # only names the socket file: the socket folder is private
role=schemac
db=schemac

# why MESSAGE: the one line saying why the server could not be started.
why() { echo "no PostgreSQL server: $*" >&2; }

# as_server CMD...: run CMD as the user the server runs as, from DIR (the
# postgres user may not be allowed into the caller's current folder).
as_server() {
    if [ -n "$runas" ]; then
        (cd "$dir" && runuser -u "$runas" -- "$@")
    else
        (cd "$dir" && "$@")
    fi
}

runas=
if [ "$(id -u)" = 0 ]; then
    runas=postgres
fi

# find_bindir: set bindir to a folder holding initdb, pg_ctl and postgres.
# PG_BINDIR, when set, is the only place looked at: a folder asked for
# and missing must not quietly become another version.
find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then
        set -- "$PG_BINDIR"
    else
        set -- $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V |
                     tail -1) \
               $(dirname "$(command -v initdb 2>/dev/null || echo /none/x)")
    fi
    for fb_d in "$@"; do
        if [ -x "$fb_d/initdb" ] && [ -x "$fb_d/pg_ctl" ] \
           && [ -x "$fb_d/postgres" ]; then
            bindir=$fb_d
            return 0
        fi
    done
    return 1
}

if [ "$cmd" = stop ]; then
    [ -d "$dir" ] || exit 0
    if [ ! -e "$marker" ]; then
        # Never remove a folder this script did not make.
        echo "server.sh: $dir was not made by server.sh start; left alone" >&2
        exit 1
    fi
    if [ -f "$dir/data/postmaster.pid" ] && find_bindir; then
        as_server "$bindir/pg_ctl" stop -D "$dir/data" -m fast -w -t 30 \
                >/dev/null 2>&1 ||
            as_server "$bindir/pg_ctl" stop -D "$dir/data" -m immediate \
                -w -t 30 >/dev/null 2>&1
    fi
    rm -rf "$dir"
    exit 0
fi

if [ "$cmd" = restart ]; then
    if [ ! -e "$marker" ] || ! find_bindir; then
        echo "server.sh: no server of server.sh start in $dir" >&2
        exit 1
    fi
    as_server "$bindir/pg_ctl" restart -D "$dir/data" -m fast -w -t 60 \
        -l "$dir/server.log" >"$dir/pg_ctl.log" 2>&1 || {
        echo "server.sh: restart failed: $(tail -n 3 "$dir/pg_ctl.log")" >&2
        exit 1
    }
    exit 0
fi

# ---- start ----------------------------------------------------------------
install="apt-get install -y postgresql"
if ! find_bindir; then
    if [ -n "${PG_BINDIR:-}" ]; then
        why "no initdb, pg_ctl and postgres in PG_BINDIR=$PG_BINDIR"
    else
        why "no initdb, pg_ctl and postgres in /usr/lib/postgresql/*/bin" \
            "or on PATH: $install"
    fi
    exit 1
fi
psql=$bindir/psql
[ -x "$psql" ] || psql=$(command -v psql) || {
    why "no psql: $install"
    exit 1
}
if [ -n "$runas" ]; then
    if ! id -u "$runas" >/dev/null 2>&1; then
        why "running as root and there is no $runas user to run the server" \
            "as (initdb refuses root): $install"
        exit 1
    fi
    if ! command -v runuser >/dev/null 2>&1; then
        why "running as root and no runuser to become $runas:" \
            "apt-get install -y util-linux"
        exit 1
    fi
fi
# A unix socket's path is at most 107 bytes; the file is
# DIR/socket/.s.PGSQL.5432.
if [ ${#dir} -gt 80 ]; then
    why "DIR '$dir' is too long for a unix socket path; choose a shorter one"
    exit 1
fi
if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    why "DIR '$dir' exists and is not empty"
    exit 1
fi
mkdir -p "$dir/socket" && : >"$marker" || {
    why "cannot create $dir"
    exit 1
}
chmod 700 "$dir" "$dir/socket"
if [ -n "$runas" ]; then
    chown -R "$runas" "$dir"
    if ! runuser -u "$runas" -- test -w "$dir/socket"; then
        rm -rf "$dir"
        why "the $runas user cannot reach $dir (a parent folder is closed" \
            "to it); choose a DIR under /tmp"
        exit 1
    fi
fi

# fail_start WHAT LOG: report the failed step with the first error line
# of its log, stop anything started, and exit 1.
fail_start() {
    fs_line=$(grep -m1 -E 'FATAL|ERROR|error|could not|cannot' "$2" \
              2>/dev/null || tail -1 "$2" 2>/dev/null)
    why "$1 failed${fs_line:+: $fs_line} (log in $2)"
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_server "$bindir/pg_ctl" stop -D "$dir/data" -m immediate -w \
            >/dev/null 2>&1
    fi
    exit 1
}

# Trust on the socket only: the socket folder is closed to other users,
# and nothing listens on TCP.  --no-sync: the data is thrown away.
as_server "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
    --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
    fail_start initdb "$dir/initdb.log"
# Small, for a shared two-core machine; the settings go in the file so the
# folder's name needs no shell quoting through pg_ctl -o.
cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir/socket'
unix_socket_permissions = 0700
port = $port
shared_buffers = 16MB
max_connections = 40
fsync = on
logging_collector = off
EOF
# pg_ctl -w returns once the server accepts connections (or fails).
as_server "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w \
    -t 60 >"$dir/pg_ctl.log" 2>&1 || {
    cat "$dir/pg_ctl.log" >>"$dir/server.log"
    fail_start "starting the server" "$dir/server.log"
}
"$psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p $port -U postgres \
    -d postgres >"$dir/setup.log" 2>&1 <<EOF || fail_start "creating role and database" "$dir/setup.log"
CREATE ROLE $role LOGIN CREATEDB;
CREATE DATABASE $db OWNER $role;
EOF

echo "PGHOST=$dir/socket"
echo "PGPORT=$port"
echo "PGUSER=$role"
echo "PGDATABASE=$db"
echo "SCHEMAC_PG=postgresql:///$db?host=$dir/socket&port=$port&user=$role"
echo "SCHEMAC_PG_DIR=$dir"
