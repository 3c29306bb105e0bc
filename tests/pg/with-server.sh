#!/bin/sh
# with-server.sh CMD [ARG...] - run CMD with a private PostgreSQL server
# (tests/pg/server.sh) for its whole run, and stop the server afterwards
# whatever happens: CMD passing or failing, or this script getting INT,
# TERM or HUP (make interrupted).  Exits with CMD's status (128 + the
# signal's number when interrupted).
#
# CMD sees PGHOST, PGPORT, PGUSER, PGDATABASE and SCHEMAC_PG (a URI) in its
# environment.  When no server can be started, CMD runs anyway, without
# them and with SCHEMAC_PG_MISSING set to the reason, so the PostgreSQL
# suites report SKIP with it and every other suite runs as before.
set -u
[ $# -gt 0 ] || {
    echo "usage: sh tests/pg/with-server.sh CMD [ARG...]" >&2
    exit 2
}
here=$(cd "$(dirname "$0")" && pwd)

# Under /tmp rather than TMPDIR: the postgres user must reach it when we
# are root, and a unix socket's path must stay short.
dir=$(mktemp -d /tmp/schemac-pg.XXXXXX) || exit 1
env_f=$dir.env
err_f=$dir.err
child=
stopped=0

# stop_server: stop the server and remove its folder, once.
stop_server() {
    [ "$stopped" = 1 ] && return
    stopped=1
    # No marker: start failed before making anything but our mktemp folder.
    [ -e "$dir/.schemac-pg" ] && sh "$here/server.sh" stop "$dir"
    rm -rf "$dir" "$env_f" "$err_f"
}
# On a signal, pass it on as TERM to CMD (which may be past reach of the
# terminal's Ctrl-C, see below) and stop; the EXIT trap does the stopping.
on_signal() {
    [ -n "$child" ] && kill -TERM "$child" 2>/dev/null
    exit "$1"
}
trap 'st=$?; stop_server; exit $st' EXIT
trap 'on_signal 129' HUP
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# server.sh start wants DIR absent or empty, as mktemp left it.
if sh "$here/server.sh" start "$dir" >"$env_f" 2>"$err_f"; then
    while IFS= read -r line; do
        export "$line"
    done <"$env_f"
    unset SCHEMAC_PG_MISSING
else
    # The folder and its logs go away on exit: show their ends now, and
    # keep the reason free of a path that will not exist.
    for log in "$dir"/*.log; do
        [ -f "$log" ] || continue
        echo "--- end of $(basename "$log"):"
        tail -n 5 "$log"
    done >&2
    SCHEMAC_PG_MISSING=$(grep -m1 . "$err_f" | sed 's/ (log in [^)]*)$//')
    : "${SCHEMAC_PG_MISSING:=no PostgreSQL server: tests/pg/server.sh start failed}"
    export SCHEMAC_PG_MISSING
    unset SCHEMAC_PG
    echo "$SCHEMAC_PG_MISSING (the PostgreSQL suites report SKIP)" >&2
fi

# CMD runs in the background so that a signal reaches this script at once
# (a shell runs its traps only after a foreground command ends).  A
# background command of a script starts with INT and QUIT ignored; put
# them back where env can, so Ctrl-C still stops CMD's whole tree, and
# give it our standard input rather than /dev/null.
exec 3<&0
if env --default-signal=INT true >/dev/null 2>&1; then
    env --default-signal=INT,QUIT "$@" 0<&3 3<&- &
else
    "$@" 0<&3 3<&- &
fi
child=$!
wait "$child"
st=$?
child=
exit "$st"
