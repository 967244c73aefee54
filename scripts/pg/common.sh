# Shared settings for the throwaway PostgreSQL cluster helpers (sourced, not run).
# Layout (all under the build directory, never under the system's clusters):
#   target/pg/           state dir: url, port, datadir, log
#   target/pg/data       the cluster (or a /tmp directory when the server user
#                        cannot reach the repository; target/pg/datadir says where)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PG_STATE="${DUEREGARD_PG_STATE:-$REPO_ROOT/target/pg}"
PG_DBNAME="${DUEREGARD_PG_DBNAME:-dueregard}"
PG_SUPERUSER="postgres"

pg_log() { printf 'pg: %s\n' "$*" >&2; }

# The newest installed server binaries, or empty.
pg_bindir() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
        printf '%s\n' "$d"
    fi
}

# Run a server command as the cluster owner: initdb and postgres refuse root.
pg_as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u "$PG_OWNER" -- "$@"
    else
        "$@"
    fi
}

if [[ "$(id -u)" -eq 0 ]]; then
    PG_OWNER="${DUEREGARD_PG_OWNER:-postgres}"
else
    PG_OWNER="$(id -un)"
fi

pg_datadir() {
    if [[ -f "$PG_STATE/datadir" ]]; then
        cat "$PG_STATE/datadir"
    else
        printf '%s\n' "$PG_STATE/data"
    fi
}
