#!/usr/bin/env bash
# Installs what the tests need and runs every test of the project:
# formatting, lints, every crate's Rust tests in one `cargo test --workspace`
# (with the end-to-end scenarios of tests/), then each part's own suite
# (store on PostgreSQL, the CLI's HTML report in Chromium, Python package,
# uniffi bindings in Kotlin, Java, Ruby, Python and Swift sources, and a
# smoke run of every benchmark at its smallest size).
# CI runs exactly this (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export RUST_BACKTRACE=0
# A fresh clone compiles each crate once: incremental state would only take
# disk (over a gigabyte) and time.
if [ "${CI:-}" = "true" ]; then
  export CARGO_INCREMENTAL=0
fi
start=$(date +%s)

# The whole run needs a few gigabytes of disk for build artefacts; say what
# there is, so a failure from a full disk is told apart from a broken build.
free_disk() { df -Ph . | awk 'NR == 2 { print $4 " free on " $6 }'; }
echo "disk: $(free_disk)"

steps=0
step() {
  steps=$((steps + 1))
  echo
  echo "=== $1 ($(( $(date +%s) - start ))s)"
}

step "formatting (cargo fmt --check)"
cargo fmt --all --check

step "lints (cargo clippy --workspace --all-targets -D warnings)"
cargo clippy --workspace --all-targets -- -D warnings

# Linking the Python crate's unit tests (pyo3, not as an extension module)
# needs libpython's shared library, which Debian ships in python3-dev.
if ! python3 -c 'import os, sys, sysconfig; v = sysconfig.get_config_var
sys.exit(not os.path.exists(os.path.join(v("LIBDIR"), v("LDLIBRARY"))))' 2>/dev/null; then
  step "installing python3-dev (libpython, to link the Python crate's unit tests)"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-dev >/dev/null
fi

step "workspace: every crate's unit, integration and doc tests, and the end-to-end scenarios (tests/)"
# One run for every member: the core (unit, rule, property, generated-docs
# and doc tests), the CLI (snapshots and end-to-end), the Python and uniffi
# crates' Rust unit tests, the benchmark crate, and the scenarios of tests/,
# whose CLI tests use the dueregard binary this run builds. The store's tests
# need a PostgreSQL server when CI=true: scripts/ci/store.sh runs every one of
# them, on SQLite and on a throwaway PostgreSQL cluster.
cargo test --workspace --exclude dueregard-store
# The part scripts below skip the `cargo test -p` runs this one covered.
export DUEREGARD_WORKSPACE_TESTED=1

step "core: the demo runs"
cargo run -q -p dueregard --example demo > /dev/null

for part in store cli python uniffi perf; do
  script="scripts/ci/$part.sh"
  if [ -f "$script" ]; then
    step "part: $part ($script)"
    bash "$script"
  fi
done

echo
echo "disk: $(free_disk); build artefacts: $(du -sh "$CARGO_TARGET_DIR" | cut -f1)"
echo "=== every step passed in $(( $(date +%s) - start ))s"
# Each step stops the script on its first failure, so reaching here means all passed.
echo "suites: $steps passed, 0 failed"
