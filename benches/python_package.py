"""Time the Python package's paths on the workload's command log (not a test).

    python benches/python_package.py LOG ACTIONS

Prints one JSON record per line, like `dueregard-perf`:
- `py:run_command_log`: load the log in one call into Rust (the batch path);
- `py:execute_batch`: apply a list of submission dicts in one call (the illegal
  commands, found by a first untimed run, are left out because the call is
  all or nothing);
- `py:execute_one`: one command call from Python (mean over many calls);
- `py:actions_frame_pandas` / `py:actions_frame_polars`: the actions table
  through Arrow into a data frame.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import dueregard


def emit(phase: str, actions: int, events: int, seconds: float, note: str = "") -> None:
    print(json.dumps({
        "phase": phase, "runner": "python-package", "actions": actions, "events": events,
        "seconds": seconds, "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "note": note,
    }), flush=True)


def main() -> None:
    log, actions = sys.argv[1], int(sys.argv[2])
    tracker = dueregard.Tracker()
    t0 = time.perf_counter()
    outcome = tracker.run_command_log(log)
    secs = time.perf_counter() - t0
    n = outcome.applied + len(outcome.rejected)
    emit("py:run_command_log", actions, n, secs, "streaming, one call")

    rejected_lines = {line for line, _ in outcome.rejected}
    with open(log, encoding="utf-8") as f:
        subs = [json.loads(line) for i, line in enumerate(f, start=1)
                if i not in rejected_lines]
    fresh = dueregard.Tracker()
    t0 = time.perf_counter()
    recorded = fresh.execute_batch(subs)
    secs = time.perf_counter() - t0
    assert recorded == outcome.applied, (recorded, outcome.applied)
    emit("py:execute_batch", actions, recorded, secs, "list of dicts held in Python")
    del subs, fresh

    action = tracker.actions[len(tracker.actions) // 2]
    owner = "lead-" + action.owner
    at = tracker.last_event_at
    calls = 20_000
    t0 = time.perf_counter()
    for i in range(calls):
        tracker.execute("add_note", actor=owner, at=at,
                        about={"kind": "action", "id": action.id}, text=f"note {i}")
    secs = time.perf_counter() - t0
    emit("py:execute_one", actions, calls, secs, "mean of 20000 add_note calls")

    # Import the frame libraries first: their import time is not the conversion's.
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    t0 = time.perf_counter()
    table = tracker.actions_table()
    frame = table.to_pandas()
    secs = time.perf_counter() - t0
    assert len(frame) == len(tracker.actions)
    emit("py:actions_frame_pandas", actions, len(frame), secs, "actions_table().to_pandas()")
    try:
        import polars  # noqa: F401

        t0 = time.perf_counter()
        pl = tracker.actions_table().to_polars()
        secs = time.perf_counter() - t0
        emit("py:actions_frame_polars", actions, len(pl), secs, "actions_table().to_polars()")
    except ImportError:
        pass


if __name__ == "__main__":
    main()
