#!/usr/bin/env bash
# Tests of the uniffi bindings: builds the cdylib and uniffi-bindgen
# once, generates Kotlin, Swift, Python and Ruby sources, and runs the tests
# written in each language. Run from anywhere inside the repository.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# Reuse the caller's target directory (scripts/test.sh sets one, so the core and
# the store are not built twice); otherwise use one of our own.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target/uniffi}"
export RUST_BACKTRACE=0
OUT="$ROOT/build/uniffi"
LIB_DIR="$CARGO_TARGET_DIR/debug"
LIB="$LIB_DIR/libdueregard_uniffi.so"
BINDGEN="$LIB_DIR/uniffi-bindgen"
TESTS="$ROOT/bindings/uniffi/tests"
CI="${CI:-false}"

step() { printf '\n== uniffi: %s\n' "$*"; }

# --- tools -----------------------------------------------------------------
missing=()
command -v ruby >/dev/null 2>&1 || missing+=(ruby)
ruby -e 'require "ffi"' >/dev/null 2>&1 || missing+=(ruby-ffi)
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if ((${#missing[@]})); then
    step "installing ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q -r "$TESTS/python/requirements.txt"

# --- Rust ------------------------------------------------------------------
step "fmt and clippy"
cargo fmt -p dueregard-uniffi -p dueregard-uniffi-bindgen -- --check
# One feature set for every cargo command, so that nothing is built twice.
FEATURES=(-p dueregard-uniffi -p dueregard-uniffi-bindgen --features dueregard-uniffi/panic-probe)
cargo clippy "${FEATURES[@]}" --all-targets -- -D warnings

step "build the library and uniffi-bindgen"
cargo build "${FEATURES[@]}"

step "Rust unit tests"
cargo test "${FEATURES[@]}"

# --- generation ------------------------------------------------------------
step "generate Kotlin, Swift, Python and Ruby sources"
rm -rf "$OUT"
for language in kotlin swift python ruby; do
    "$BINDGEN" generate "$LIB" --language "$language" --out-dir "$OUT/$language" --no-format >/dev/null
done
# The Python module loads the library from its own directory.
cp "$LIB" "$OUT/python/"

# --- Swift: public API check (no Swift compiler here) ----------------------
step "Swift public API"
python3 "$TESTS/swift/check_api.py" "$OUT/swift/Dueregard.swift" "$TESTS/swift/expected-api.txt"

# --- Python ----------------------------------------------------------------
step "Python"
PYTHONPATH="$OUT/python" .venv/bin/python -m pytest -q -p no:cacheprovider "$TESTS/python"

# The examples of docs/bindings.md are these files, run as written.
expect_refusal() {
    local name="$1" output
    output="$(cat)"
    printf '%s\n' "$output"
    if [[ "$output" != "refused: action "*planned* ]]; then
        echo "uniffi: the $name example did not print the expected refusal" >&2
        return 1
    fi
}
PYTHONPATH="$OUT/python" .venv/bin/python "$TESTS/examples/example.py" | expect_refusal Python

# --- Ruby ------------------------------------------------------------------
step "Ruby"
LD_LIBRARY_PATH="$LIB_DIR" ruby -I "$OUT/ruby" -I "$TESTS/ruby" \
    -e 'Dir[ARGV[0] + "/test_*.rb"].sort.each { |f| require f }' "$TESTS/ruby"
LD_LIBRARY_PATH="$LIB_DIR" ruby -I "$OUT/ruby" "$TESTS/examples/example.rb" | expect_refusal Ruby

# --- Kotlin and Java on the JVM --------------------------------------------
step "Kotlin and Java (Maven, JUnit, JNA)"
MVN=(mvn -B -ntp -f "$TESTS/jvm/pom.xml"
    "-Ddueregard.generated.dir=$OUT/kotlin"
    "-Ddueregard.native.dir=$LIB_DIR"
    "-Ddueregard.build.dir=$CARGO_TARGET_DIR/uniffi-jvm")
if [[ "$CI" == "true" ]]; then
    MVN+=(-Dstyle.color=never)
fi
"${MVN[@]}" clean test

step "documentation examples"
python3 "$TESTS/check_doc_examples.py" "$ROOT"

step "done"
