#!/usr/bin/env bash
# Installs what the tests need and runs every test of the project:
# formatting, lints, the core's unit, rule, property and doc tests, then each
# part's own suite (store on SQLite and PostgreSQL, CLI, Python package,
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

step "core: unit, rule, property, generated-docs and doc tests"
cargo test -p dueregard

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
