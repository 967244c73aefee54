#!/usr/bin/env bash
# Builds the dueregard wheel (abi3), installs it into the shared .venv, and runs the Python
# checks: ruff, mypy stubtest, the pytest suite and the example notebook (executed headlessly).
# Run from the repository root. Set DUEREGARD_PY_PROFILE=release for an optimised wheel.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PKG="$ROOT/bindings/python"
PROFILE="${DUEREGARD_PY_PROFILE:-dev}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/py"

if ! command -v python3 >/dev/null; then
    apt-get update && apt-get install -y python3 python3-venv
fi
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
PY="$ROOT/.venv/bin/python"
"$PY" -m pip install --quiet -r "$PKG/requirements-test.txt"

echo "== python: build wheel ($PROFILE)"
WHEELS="$(mktemp -d)"
trap 'rm -rf "$WHEELS"' EXIT
"$ROOT/.venv/bin/maturin" build --manifest-path "$PKG/Cargo.toml" --profile "$PROFILE" \
    --target-dir "$TARGET_DIR" --interpreter "$PY" --out "$WHEELS" --quiet
"$PY" -m pip install --quiet --force-reinstall --no-deps "$WHEELS"/dueregard-*.whl

echo "== python: ruff"
"$ROOT/.venv/bin/ruff" check --config "$PKG/pyproject.toml" "$PKG/python" "$PKG/tests"

echo "== python: mypy stubtest"
# Run outside the source tree so the installed wheel is what gets checked.
(cd "$WHEELS" && "$PY" -m mypy.stubtest dueregard._dueregard \
    --mypy-config-file "$PKG/mypy.ini" --allowlist "$PKG/stubtest-allowlist.txt")

echo "== python: pytest"
set +e
(cd "$WHEELS" && "$PY" -m pytest -q -p no:cacheprovider --rootdir "$PKG" "$PKG/tests")
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests" >&2
    exit 1
elif [ "$status" -ne 0 ]; then
    exit "$status"
fi

echo "== python: example notebook"
"$PY" - "$ROOT/examples/casey.ipynb" <<'PYEOF'
import sys

import nbformat
from nbclient import NotebookClient

path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False).execute()
cells = sum(1 for c in nb.cells if c.cell_type == "code")
print(f"notebook: {cells} code cells executed without error")
PYEOF
echo "python checks passed"
