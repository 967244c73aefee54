#!/usr/bin/env bash
# Tests of the event store (crates/dueregard-store) on SQLite and PostgreSQL.
#
# Starts a throwaway PostgreSQL cluster (installing Debian's postgresql if
# missing), runs formatting and lint checks, the unit, integration, crash and
# concurrency tests with DUEREGARD_PG_URL set, and a smoke run of the
# benchmark at its smallest size; stops the cluster again even on failure
# (unless it was already running before). With CI=true a PostgreSQL server
# that cannot be started fails the run; otherwise its tests are skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
if [[ -z "${CARGO_TARGET_DIR:-}" ]]; then
    # Run alone: an own target dir, and since a from-scratch build dominates
    # the run time on 2 cores, no incremental state and line tables only
    # (enough for backtraces). Under scripts/test.sh the shared target dir
    # and its profile are kept, so nothing is built twice.
    export CARGO_TARGET_DIR="$PWD/target/store"
    export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
    export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-line-tables-only}"
    export CARGO_PROFILE_TEST_DEBUG="${CARGO_PROFILE_TEST_DEBUG:-line-tables-only}"
fi
ci="${CI:-false}"

step() { printf '\n== store: %s\n' "$*"; }

was_running=false
if [[ -f target/pg/url ]] && command -v pg_isready >/dev/null 2>&1 \
    && pg_isready -q -d "$(cat target/pg/url)" 2>/dev/null; then
    was_running=true
fi
cleanup() {
    if ! $was_running; then
        scripts/pg/stop.sh || true
    fi
}
trap cleanup EXIT

step "starting PostgreSQL"
if url="$(scripts/pg/start.sh)"; then
    export DUEREGARD_PG_URL="$url"
    echo "PostgreSQL at $DUEREGARD_PG_URL"
elif [[ "$ci" == "true" ]]; then
    echo "store: PostgreSQL could not be started and CI=true" >&2
    exit 1
else
    echo "store: PostgreSQL could not be started; its tests will be skipped" >&2
    unset DUEREGARD_PG_URL
fi

if cargo fmt --version >/dev/null 2>&1; then
    step "rustfmt"
    cargo fmt -p dueregard-store --check
fi

step "clippy (default features, and each back-end alone)"
cargo clippy -p dueregard-store --no-deps --all-targets -- -D warnings
cargo clippy -p dueregard-store --no-deps --lib --no-default-features --features sqlite -- -D warnings
cargo clippy -p dueregard-store --no-deps --lib --no-default-features --features postgres -- -D warnings

step "tests (unit, back-ends, crash, concurrency, doc)"
# The only run of the store's tests under scripts/test.sh, whose workspace
# run leaves them to this one (they need the server started above).
cargo test -p dueregard-store

step "benchmark smoke run"
# Built with the test profile: a release build would take most of the time budget.
cargo test -p dueregard-store --bench store -- --test

step "done"
