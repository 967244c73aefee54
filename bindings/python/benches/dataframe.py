"""Time the Arrow hand-over of a large table to pandas and polars (not a test).

Builds a synthetic tracker from the Casey example plus N notes (one JSON-lines command log,
applied in one call into Rust), then times `events_table()` and its conversions.

    python bindings/python/benches/dataframe.py [N]      # N defaults to 1_000_000
"""

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

import dueregard


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    tracker = dueregard.Tracker.example()
    action = tracker.actions[0]
    owner = next(a.id for a in tracker.actors if a.body == action.owner)
    last = tracker.last_event_at
    assert last is not None
    at = (last + dt.timedelta(days=1)).isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "notes.jsonl"
        with log.open("w") as f:
            for i in range(n - tracker.version):
                f.write(json.dumps({"actor": owner, "at": at, "command": {"add_note": {
                    "about": {"kind": "action", "id": action.id}, "text": f"note {i}"}}}))
                f.write("\n")
        t0 = time.perf_counter()
        outcome = tracker.run_command_log(log)
        t1 = time.perf_counter()
    assert not outcome.rejected, outcome.rejected[:1]
    table = tracker.events_table()
    t2 = time.perf_counter()
    pdf = table.to_pandas()
    t3 = time.perf_counter()
    pldf = table.to_polars()
    t4 = time.perf_counter()
    assert len(pdf) == len(pldf) == tracker.version
    print(f"rows: {tracker.version}, columns: {len(table.column_names)}")
    print(f"apply command log (one call): {t1 - t0:.2f} s")
    print(f"build Arrow table in Rust:    {t2 - t1:.3f} s")
    print(f"to_pandas():                  {t3 - t2:.3f} s")
    print(f"to_polars():                  {t4 - t3:.3f} s")


if __name__ == "__main__":
    main()
