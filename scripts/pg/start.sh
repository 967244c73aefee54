#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the store's tests.
#
# Installs Debian's `postgresql` if no server is installed, initialises a
# cluster under target/pg (owned by the `postgres` user when run as root, since
# initdb refuses root), starts it on a free loopback port with trust
# authentication, creates the database `dueregard` and writes its connection
# string to target/pg/url. Idempotent: a running cluster is reused.
#
# Use:  eval "$(scripts/pg/start.sh --env)"   # exports DUEREGARD_PG_URL
#       scripts/pg/start.sh                   # prints the URL
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

want_env=false
if [[ "${1:-}" == "--env" ]]; then want_env=true; fi

bindir="$(pg_bindir)"
if [[ -z "$bindir" ]]; then
    if [[ "$(id -u)" -ne 0 ]]; then
        pg_log "no PostgreSQL server installed and not root: install the Debian package 'postgresql'"
        exit 1
    fi
    pg_log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bindir="$(pg_bindir)"
    if [[ -z "$bindir" ]]; then
        pg_log "postgresql installed but no initdb found under /usr/lib/postgresql/*/bin"
        exit 1
    fi
fi

if ! id -u "$PG_OWNER" >/dev/null 2>&1; then
    pg_log "cluster owner '$PG_OWNER' does not exist (set DUEREGARD_PG_OWNER)"
    exit 1
fi

mkdir -p "$PG_STATE"
datadir="$(pg_datadir)"

# The owner must be able to reach the data dir. If the repository sits where
# the owner cannot traverse (e.g. under /root), keep the cluster in /tmp.
if [[ ! -f "$PG_STATE/datadir" ]]; then
    if [[ "$(id -u)" -eq 0 ]] && ! runuser -u "$PG_OWNER" -- test -x "$PG_STATE"; then
        tmpdir="$(mktemp -d /tmp/dueregard-pg.XXXXXX)"
        chown "$PG_OWNER" "$tmpdir"
        datadir="$tmpdir/data"
        pg_log "server user cannot reach $PG_STATE; using $datadir"
    fi
    printf '%s\n' "$datadir" >"$PG_STATE/datadir"
fi

if [[ ! -f "$datadir/PG_VERSION" ]]; then
    rm -rf "$datadir"
    mkdir -p "$datadir"
    if [[ "$(id -u)" -eq 0 ]]; then chown "$PG_OWNER" "$datadir"; fi
    chmod 700 "$datadir"
    pg_log "initdb $datadir"
    pg_as_owner "$bindir/initdb" -D "$datadir" -U "$PG_SUPERUSER" -A trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$PG_STATE/initdb.log" 2>&1 || {
        cat "$PG_STATE/initdb.log" >&2
        exit 1
    }
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if pg_as_owner "$bindir/pg_ctl" -D "$datadir" status >/dev/null 2>&1; then
    port="$(cat "$PG_STATE/port")"
    pg_log "cluster already running on port $port"
else
    port="${DUEREGARD_PG_PORT:-54329}"
    while port_busy "$port"; do port=$((port + 1)); done
    logfile="$(dirname "$datadir")/server.log"
    touch "$logfile"
    if [[ "$(id -u)" -eq 0 ]]; then chown "$PG_OWNER" "$logfile"; fi
    pg_log "starting on 127.0.0.1:$port (log $logfile)"
    # fsync off: a throwaway test cluster; crash tests target the store's own
    # transactions, which the server still orders and acknowledges normally.
    pg_as_owner "$bindir/pg_ctl" -D "$datadir" -l "$logfile" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c fsync=off -c full_page_writes=off -c max_connections=100" \
        start >&2 || {
        tail -n 30 "$logfile" >&2 || true
        exit 1
    }
    printf '%s\n' "$port" >"$PG_STATE/port"
fi

psql=("$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U "$PG_SUPERUSER" -d postgres -v ON_ERROR_STOP=1)
if [[ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DBNAME'")" != "1" ]]; then
    "${psql[@]}" -c "CREATE DATABASE \"$PG_DBNAME\"" >&2
fi

url="postgresql://$PG_SUPERUSER@127.0.0.1:$port/$PG_DBNAME"
printf '%s\n' "$url" >"$PG_STATE/url"
if $want_env; then
    printf 'export DUEREGARD_PG_URL=%q\n' "$url"
else
    printf '%s\n' "$url"
fi
