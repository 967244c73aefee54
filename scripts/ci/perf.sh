#!/usr/bin/env bash
# CI smoke run of every performance benchmark at a small size only:
# the workload generator's tests (run alone; under scripts/test.sh its
# `cargo test --workspace` has run them), lints, the criterion benches in test mode
# (each runs once), and benches/run.sh at 2000 actions (the smoke size: `transitions` needs
# minutes at 10^4) with the peers, the
# Python package and the SQLite store, which checks that the library, the
# hand-written baseline and `transitions` give the same answers. Nothing
# asserts on time. The measurements of docs/performance.md come from
# benches/run.sh with the release profile, not from here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/perf}"
ci="${CI:-false}"
step() { printf '\n== perf: %s\n' "$*"; }

if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv --help >/dev/null 2>&1; then
    step "installing python3 and venv"
    apt-get update -qq && apt-get install -y -qq python3 python3-venv
fi

step "format and lints (dueregard-bench)"
cargo fmt -p dueregard-bench --check
cargo clippy --quiet -p dueregard-bench --all-targets -- -D warnings

if [[ "${DUEREGARD_WORKSPACE_TESTED:-}" == "1" ]]; then
    step "generator and measurement tests: run by scripts/test.sh (cargo test --workspace)"
else
    step "generator and measurement tests"
    cargo test --quiet -p dueregard-bench
fi

step "criterion benches, each once (smallest size)"
# Under `cargo test` criterion runs each benchmark once, in the dev profile.
DUEREGARD_BENCH_ACTIONS=1000 cargo test --quiet -p dueregard-bench --benches

step "benches/run.sh at 2000 actions (ours, baseline, transitions, Python package; answers checked)"
# The dev profile: CI already built it, and only the answers are checked here.
BENCH_PROFILE="${BENCH_PROFILE:-dev}" BENCH_OUT="$CARGO_TARGET_DIR/ci-results" \
    BENCH_PG="${BENCH_PG:-0}" CI="$ci" benches/run.sh 2000

step "ruff on the Python benchmark scripts"
if [[ -x .venv/bin/ruff ]]; then
    .venv/bin/ruff check --line-length 100 benches
fi
step "done"
