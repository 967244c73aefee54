"""Shared parts of the Python peers: reading the log, timing, the answers.

Each peer applies the same rules as the library to the same JSON-lines command
log (one submission per line) and reports the same answers, so the comparison
script can check that every implementation agrees before comparing speed.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

AS_OF = "2025-03-31"  # the quarter end the workload stops at


class Rejected(Exception):
    """A command the rules refuse; `code` is the library's error code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def read_lines(path: str) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def record(runner: str, phase: str, actions: int, events: int, seconds: float, note: str) -> str:
    return json.dumps(
        {
            "phase": phase,
            "runner": runner,
            "actions": actions,
            "events": events,
            "seconds": seconds,
            "peak_rss_kib": peak_rss_kib(),
            "note": note,
        }
    )


def progress_pct(states: list[str], achieved: list[int], counted: list[int]) -> float:
    """Weighted % complete of a plan (all weights 1): 1 per done action, else
    the share of milestones achieved; cancelled actions are left out."""
    n, done = 0, 0.0
    for s, a, c in zip(states, achieved, counted):
        if s == "cancelled":
            continue
        n += 1
        if s in ("completed", "verified", "signed_off"):
            done += 1.0
        elif c:
            done += a / c
    return round(100.0 * done / n, 4) if n else 0.0


def main(
    runner: str,
    apply: Callable[[Iterable[dict[str, Any]]], Any],
    answers: Callable[[Any], dict[str, Any]],
) -> None:
    """`peer.py PHASE LOG ACTIONS [ANSWERS_OUT]`, PHASE one of parse, apply, load."""
    phase, log, actions = sys.argv[1], sys.argv[2], int(sys.argv[3])
    out = sys.argv[4] if len(sys.argv) > 4 else None
    if phase == "parse":
        t0 = time.perf_counter()
        subs = list(read_lines(log))
        print(record(runner, "parse", actions, len(subs), time.perf_counter() - t0, ""))
        return
    if phase == "apply":
        subs = list(read_lines(log))
        t0 = time.perf_counter()
        state = apply(subs)
        secs = time.perf_counter() - t0
        print(record(runner, "apply", actions, len(subs), secs, "decoded log held in memory"))
    elif phase == "load":
        t0 = time.perf_counter()
        state = apply(read_lines(log))
        secs = time.perf_counter() - t0
        a = answers(state)
        n = a["applied"] + sum(a["rejected"].values())
        print(record(runner, "parse+apply", actions, n, secs, "streaming"))
    else:
        raise SystemExit(f"unknown phase {phase!r}; use parse, apply or load")
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump(answers(state), f, indent=2, sort_keys=True)
