#!/usr/bin/env bash
# Runs every benchmark of the national-scale workload, ours and the peers', in
# one run on this machine, and prints one table (wall time, events/s, peak RSS
# per phase and size) with the ratios against the peers.
#
#   benches/run.sh [SIZES...]          # default: 10000 100000
#
# Environment:
#   BENCH_PROFILE=release|dev          cargo profile of dueregard-perf (default release)
#   BENCH_TRANSITIONS_MAX=10000        run the `transitions` peer only up to this size
#   BENCH_BASELINE_MAX=1000000         run the hand-written Python baseline up to this size
#   BENCH_PYTHON=1                     also time the Python package (0 to skip)
#   BENCH_PG=1                         also time the PostgreSQL store (needs scripts/pg/start.sh)
#   BENCH_OUT=target/perf/results      where logs, records and answers go
#
# Each phase runs in a fresh process so its peak RSS is its own. Every
# implementation's answers (applied/rejected counts, states, overdue counts,
# % complete per plan, coverage) are checked against the library's; a
# mismatch fails the run. Nothing here asserts on time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(10000 100000)
profile="${BENCH_PROFILE:-release}"
transitions_max="${BENCH_TRANSITIONS_MAX:-10000}"
baseline_max="${BENCH_BASELINE_MAX:-1000000}"
with_python="${BENCH_PYTHON:-1}"
with_pg="${BENCH_PG:-0}"
out="${BENCH_OUT:-$ROOT/target/perf/results}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target/perf}"
PY="${PYTHON:-$ROOT/.venv/bin/python}"

say() { printf '== bench: %s\n' "$*" >&2; }

if [[ ! -x "$PY" ]]; then
    say "creating the shared venv .venv"
    python3 -m venv "$ROOT/.venv"
    PY="$ROOT/.venv/bin/python"
fi
if ! "$PY" -c "import transitions" 2>/dev/null; then
    say "installing benches/requirements.txt"
    "$PY" -m pip install --quiet -r benches/requirements.txt
fi

say "building dueregard-bench ($profile)"
cargo build --quiet --profile "$profile" -p dueregard-bench
bindir="$CARGO_TARGET_DIR/$([[ $profile == dev ]] && echo debug || echo "$profile")"
perf="$bindir/dueregard-perf"
gen="$bindir/dueregard-workload"

pypath=""
if [[ "$with_python" == 1 ]]; then
    # The package built with the same profile, unpacked beside the results, so
    # the timing is of an optimised build whatever is installed in the venv.
    "$PY" -c "import maturin" 2>/dev/null || "$PY" -m pip install --quiet "maturin==1.16.0"
    "$PY" -c "import pandas, pyarrow, polars" 2>/dev/null \
        || "$PY" -m pip install --quiet "pandas==3.1.1" "pyarrow==26.0.1" "polars==2.1.0"
    pyprofile="$([[ $profile == dev ]] && echo dev || echo release)"
    pkgdir="$CARGO_TARGET_DIR/py-$pyprofile"
    say "building the Python package ($pyprofile)"
    wheels="$(mktemp -d)"
    "$ROOT/.venv/bin/maturin" build --quiet --manifest-path bindings/python/Cargo.toml \
        --profile "$pyprofile" --target-dir "$CARGO_TARGET_DIR/py" --interpreter "$PY" \
        --out "$wheels" >&2
    rm -rf "$pkgdir" && mkdir -p "$pkgdir"
    "$PY" -m zipfile -e "$wheels"/dueregard-*.whl "$pkgdir"
    rm -rf "$wheels"
    pypath="$pkgdir"
fi

pg_url=""
if [[ "$with_pg" == 1 ]]; then
    pg_url="$(scripts/pg/start.sh)"
fi

mkdir -p "$out"
rm -f "$out"/records-*.jsonl "$out"/answers-*.json
for n in "${sizes[@]}"; do
    log="$out/log-$n.jsonl"
    expected="$out/expected-$n.json"
    rec="$out/records-$n.jsonl"
    say "generating $n actions"
    "$gen" --actions "$n" --out "$log" --expected "$expected"
    say "$n actions: dueregard"
    "$perf" parse "$log" --actions "$n" >> "$rec"
    "$perf" apply "$log" --actions "$n" --expected "$expected" \
        --answers "$out/answers-dueregard-$n.json" >> "$rec"
    "$perf" load "$log" --actions "$n" --expected "$expected" >> "$rec"
    "$perf" queries "$log" --actions "$n" >> "$rec"
    "$perf" json "$log" --actions "$n" >> "$rec"
    db="$(mktemp -d)"
    "$perf" store "$log" --actions "$n" --store "$db/bench.sqlite" --label sqlite >> "$rec"
    rm -rf "$db"
    if [[ -n "$pg_url" ]]; then
        dbname="dueregard_bench_${n}_$$"
        psql -q "$pg_url" -c "CREATE DATABASE $dbname" >/dev/null
        "$perf" store "$log" --actions "$n" --store "${pg_url%/*}/$dbname" --label postgres >> "$rec"
        psql -q "$pg_url" -c "DROP DATABASE $dbname" >/dev/null
    fi
    if (( n <= baseline_max )); then
        say "$n actions: hand-written Python baseline"
        for phase in parse apply load; do
            ans=""
            [[ $phase == apply ]] && ans="$out/answers-python-baseline-$n.json"
            "$PY" benches/peers/baseline.py "$phase" "$log" "$n" $ans >> "$rec"
        done
    fi
    if (( n <= transitions_max )); then
        say "$n actions: transitions"
        # Only from decoded commands: it is slow enough that one pass is plenty.
        "$PY" benches/peers/transitions_peer.py apply "$log" "$n" \
            "$out/answers-transitions-$n.json" >> "$rec"
    fi
    if [[ -n "$pypath" ]]; then
        say "$n actions: Python package"
        PYTHONPATH="$pypath" "$PY" benches/python_package.py "$log" "$n" >> "$rec"
    fi
done

say "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u +%FT%TZ)"
"$PY" benches/table.py "$out"
