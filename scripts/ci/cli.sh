#!/usr/bin/env bash
# Views and the command-line tool: formatting, clippy, the core's view tests,
# the CLI's unit, snapshot and end-to-end tests (run alone; under
# scripts/test.sh its `cargo test --workspace` has run them), and a check of
# the HTML report rendered in headless Chromium.
#
# Run from the repository root: scripts/ci/cli.sh
# UPDATE_SCREENSHOT=1 also refreshes docs/img/report.png.
set -euo pipefail

cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/cli}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
if [ "${CI:-}" = "true" ]; then
  export INSTA_UPDATE=no   # a changed snapshot fails in CI instead of being written
fi

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v fc-list >/dev/null 2>&1 || need_apt+=(fontconfig)
if [ "${#need_apt[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" fonts-dejavu-core >/dev/null
fi

echo "== rustfmt (view module and CLI)"
rustfmt --edition 2021 --check crates/dueregard/src/view/*.rs
cargo fmt -p dueregard-cli -- --check

echo "== clippy"
cargo clippy -p dueregard-cli --all-targets -- -D warnings

if [ "${DUEREGARD_WORKSPACE_TESTED:-}" = "1" ]; then
  # scripts/test.sh ran them all in its `cargo test --workspace`, which also
  # built the binary the report check below runs.
  echo "== core view tests and CLI tests: run by scripts/test.sh (cargo test --workspace)"
else
  echo "== core view tests"
  cargo test -p dueregard --lib view::

  echo "== CLI tests"
  cargo test -p dueregard-cli
fi

echo "== HTML report in headless Chromium"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bin="$CARGO_TARGET_DIR/debug/dueregard"
test -x "$bin" || { echo "no dueregard binary at $bin" >&2; exit 1; }
(cd "$work" && "$bin" demo --report report.html >/dev/null)
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/profile")
timeout 120 "${chrome[@]}" --dump-dom "file://$work/report.html" >"$work/dom.html" 2>"$work/chromium.log" || {
  cat "$work/chromium.log" >&2; exit 1; }
expect=(
  "Progress on recommendations: 2024/25 Q4"
  "Rating per recommendation"
  "casey-2023/R12"
  "Changes since 2024/25 Q3"
  "Coverage gaps"
  "Slippage"
  "Indicators"
  "<svg"
  'class="rag red"'
)
for e in "${expect[@]}"; do
  grep -qF -- "$e" "$work/dom.html" || { echo "rendered report lacks: $e" >&2; exit 1; }
done
if grep -qi "<script" "$work/dom.html"; then echo "report must not carry scripts" >&2; exit 1; fi
timeout 120 "${chrome[@]}" --hide-scrollbars --window-size=1280,1600 \
  --screenshot="$work/report.png" "file://$work/report.html" >/dev/null 2>>"$work/chromium.log" || {
  cat "$work/chromium.log" >&2; exit 1; }
test -s "$work/report.png" || { echo "no screenshot written" >&2; exit 1; }
if [ "${UPDATE_SCREENSHOT:-}" = "1" ]; then
  cp "$work/report.png" docs/img/report.png
  echo "docs/img/report.png updated"
fi
echo "cli: all checks passed"
