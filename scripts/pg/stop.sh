#!/usr/bin/env bash
# Stop the throwaway PostgreSQL cluster started by start.sh.
# With --clean also delete its data directory. Safe to run when nothing runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

clean=false
if [[ "${1:-}" == "--clean" ]]; then clean=true; fi

bindir="$(pg_bindir)"
datadir="$(pg_datadir)"
if [[ -n "$bindir" && -f "$datadir/PG_VERSION" ]]; then
    if pg_as_owner "$bindir/pg_ctl" -D "$datadir" status >/dev/null 2>&1; then
        pg_log "stopping cluster in $datadir"
        pg_as_owner "$bindir/pg_ctl" -D "$datadir" -m fast -w -t 60 stop >&2
    fi
fi
rm -f "$PG_STATE/url" "$PG_STATE/port"
if $clean; then
    case "$datadir" in
        /tmp/dueregard-pg.*/data) rm -rf "$(dirname "$datadir")" ;;
        *) rm -rf "$datadir" ;;
    esac
    rm -f "$PG_STATE/datadir" "$PG_STATE/initdb.log"
fi
