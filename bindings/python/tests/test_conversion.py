"""Python values reach the core unchanged, whichever way a command is given."""

import copy
import datetime as dt
import json
import re
from typing import Any

import pytest

import dueregard
from dueregard import ActionState

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def command_log(tracker: dueregard.Tracker) -> list[dict[str, Any]]:
    """The example's event log as command-log lines (JSON form, text only)."""
    lines = []
    for event in tracker.events:
        line = event.to_dict()
        del line["seq"], line["body"]
        lines.append(line)
    return lines


def with_python_values(value: Any) -> Any:
    """Dates as `datetime.date`, lists as tuples half the time: what a Python caller passes."""
    if isinstance(value, dict):
        return {k: with_python_values(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [with_python_values(v) for v in value]
        return tuple(items) if len(items) % 2 else items
    if isinstance(value, str) and DATE.match(value):
        return dt.date.fromisoformat(value)
    return value


def instant(text: str, n: int) -> dt.datetime:
    """The time as an aware datetime in UTC or, for every other line, another fixed offset."""
    utc = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    zone = dt.timezone(dt.timedelta(hours=-5, minutes=-30)) if n % 2 else dt.timezone.utc
    return utc.astimezone(zone)


def test_every_route_builds_the_same_tracker(tracker: dueregard.Tracker, tmp_path) -> None:
    log = command_log(tracker)
    assert len({next(iter(line["command"])) for line in log}) >= 25

    from_text = dueregard.Tracker()
    assert from_text.execute_batch(json.loads(json.dumps(log))) == len(log)
    assert from_text == tracker

    python_values = [
        {**with_python_values(line), "at": instant(line["at"], n)} for n, line in enumerate(log)
    ]
    from_values = dueregard.Tracker()
    assert from_values.execute_batch(iter(python_values)) == len(log)
    assert from_values == tracker

    from_kwargs = dueregard.Tracker()
    for line in python_values:
        ((name, fields),) = line["command"].items()
        from_kwargs.execute(name, actor=line["actor"], at=line["at"],
                            reason=line.get("reason"), evidence=line.get("evidence"), **fields)
    assert from_kwargs == tracker

    path = tmp_path / "commands.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in log), encoding="utf-8")
    from_file = dueregard.Tracker()
    assert from_file.run_command_log(path).applied == len(log)
    assert from_file == tracker


def test_times_keep_microseconds_and_zones(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    planned = [a for a in tracker.actions if a.state is ActionState.PLANNED]
    owner = {a.body: a.id for a in tracker.actors if dueregard.Role.OWNER in a.roles}
    precise = after.replace(microsecond=123456)
    e = tracker.execute("start_action", actor=owner[planned[0].owner], at=precise,
                        action=planned[0].id)
    assert e.at == precise and e.at.microsecond == 123456
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        london = zoneinfo.ZoneInfo("Europe/London")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this machine")
    summer = dt.datetime(after.year + 1, 7, 1, 10, 0, tzinfo=london)
    e = tracker.execute("start_action", actor=owner[planned[1].owner], at=summer,
                        action=planned[1].id)
    assert e.at == dt.datetime(after.year + 1, 7, 1, 9, 0, tzinfo=dt.timezone.utc)


def notes(tracker: dueregard.Tracker, at: dt.datetime, count: int) -> list[dict[str, Any]]:
    """`count` notes on one action, by an actor allowed to add them."""
    action = next(a for a in tracker.actions if a.state is ActionState.IN_PROGRESS)
    for actor in tracker.actors:
        try:
            copy.copy(tracker).execute("add_note", actor=actor.id, at=at,
                                       about={"kind": "action", "id": action.id}, text="x")
        except dueregard.DueregardError:
            continue
        return [{"actor": actor.id, "at": at,
                 "command": {"add_note": {"about": {"kind": "action", "id": action.id},
                                          "text": f"note {i}"}}}
                for i in range(count)]
    raise AssertionError("no actor may add a note")


def test_a_long_batch_is_still_all_or_nothing(tracker: dueregard.Tracker,
                                              after: dt.datetime) -> None:
    # Longer than the chunks execute_batch hands to the core at a time.
    batch = notes(tracker, after, 10_000)
    before = tracker.to_json()

    refused = [*batch, {**batch[0], "actor": "nobody-at-all"}]
    with pytest.raises(dueregard.DueregardError) as info:
        tracker.execute_batch(refused)
    assert getattr(info.value, "index", None) == len(batch)
    assert tracker.to_json() == before

    malformed = [*batch, {**batch[0], "command": {"add_note": {"text": 5}}}]
    with pytest.raises(dueregard.InvalidInputError):
        tracker.execute_batch(malformed)
    assert tracker.to_json() == before

    assert tracker.execute_batch(batch) == len(batch)
    assert len(tracker.to_json()) > len(before)
