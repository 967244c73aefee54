"""Collate benchmark records into a table with events/s, peak RSS and ratios,
and check that every implementation gave the same answers.

    python benches/table.py RESULTS_DIR

RESULTS_DIR holds `records-<size>.jsonl` (one JSON record per line, from
`dueregard-perf`, the peers and `python_package.py`) and
`answers-<runner>-<size>.json`. Exits 1 when two runners disagree.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from typing import Any


def close(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) <= 1e-3
    return bool(a == b)


def check(results: str) -> list[str]:
    problems = []
    by_size: dict[str, dict[str, Any]] = {}
    for path in sorted(glob.glob(os.path.join(results, "answers-*-*.json"))):
        stem = os.path.basename(path)[len("answers-"):-len(".json")]
        runner, size = stem.rsplit("-", 1)
        with open(path, encoding="utf-8") as f:
            by_size.setdefault(size, {})[runner] = json.load(f)
    for size, runners in sorted(by_size.items(), key=lambda kv: int(kv[0])):
        ours = runners.get("dueregard")
        if ours is None:
            problems.append(f"{size}: no answers from dueregard")
            continue
        for runner, theirs in sorted(runners.items()):
            if runner == "dueregard":
                continue
            if close(ours, theirs):
                print(f"answers at {size} actions: {runner} agrees with dueregard "
                      f"({ours['applied']} applied, rejected {ours['rejected']})")
            else:
                diff = [k for k in ours if not close(ours.get(k), theirs.get(k))]
                problems.append(f"{size}: {runner} differs from dueregard in {diff}")
    return problems


def fmt_rate(r: dict[str, Any]) -> str:
    if r["seconds"] <= 0:
        return "-"
    rate = r["events"] / r["seconds"]
    if r["phase"] == "py:execute_one":
        return f"{1e6 * r['seconds'] / r['events']:.2f} µs/call"
    if rate >= 1e6:
        return f"{rate / 1e6:.2f} M/s"
    if rate >= 1e3:
        return f"{rate / 1e3:.1f} k/s"
    return f"{rate:.0f} /s"


def main() -> None:
    results = sys.argv[1]
    records: list[dict[str, Any]] = []
    for path in sorted(glob.glob(os.path.join(results, "records-*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            records += [json.loads(line) for line in f if line.strip()]
    records.sort(key=lambda r: (r["actions"], r["phase"], r["runner"]))
    print("| actions | phase | runner | units | wall s | rate | peak RSS MiB |")
    print("|---:|---|---|---:|---:|---:|---:|")
    for r in records:
        print(f"| {r['actions']:,} | {r['phase']} | {r['runner']} | {r['events']:,} | "
              f"{r['seconds']:.4f} | {fmt_rate(r)} | {r['peak_rss_kib'] / 1024:.0f} |")
    print()
    print("| actions | phase | peer | time ratio (peer / dueregard) | RSS ratio (peer / dueregard) |")
    print("|---:|---|---|---:|---:|")
    ours = {(r["actions"], r["phase"]): r for r in records if r["runner"] == "dueregard"}
    for r in records:
        if r["runner"] in ("dueregard", "python-package"):
            continue
        o = ours.get((r["actions"], r["phase"]))
        if not o or o["seconds"] <= 0:
            continue
        print(f"| {r['actions']:,} | {r['phase']} | {r['runner']} | "
              f"{r['seconds'] / o['seconds']:.1f}× | "
              f"{r['peak_rss_kib'] / max(o['peak_rss_kib'], 1):.2f}× |")
    for r in records:
        if r["phase"] == "py:run_command_log":
            o = ours.get((r["actions"], "parse+apply"))
            if o:
                print(f"| {r['actions']:,} | parse+apply | python-package (run_command_log) | "
                      f"{r['seconds'] / o['seconds']:.2f}× | "
                      f"{r['peak_rss_kib'] / max(o['peak_rss_kib'], 1):.2f}× |")
    print()
    problems = check(results)
    for p in problems:
        print("MISMATCH:", p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
