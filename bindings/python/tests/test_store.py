"""Trackers kept in a SQLite store: round-trips, atomic commands, tampering and conflicts."""

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

import dueregard
from dueregard import ActionState, CommandKind


def start_planned(tracker: dueregard.Tracker) -> tuple[str, str]:
    """A planned action and an owner who may start it."""
    planned = next(a for a in tracker.actions if a.state is ActionState.PLANNED)
    owner = next(
        a.id for a in tracker.actors
        if a.body == planned.owner and dueregard.Role.OWNER in a.roles
    )
    return planned.id, owner


def test_round_trip_through_sqlite(tmp_path: Path, tracker: dueregard.Tracker,
                                   after: dt.datetime) -> None:
    path = tmp_path / "casey.db"
    store = dueregard.Store.import_tracker(tracker, path)
    assert store.version == len(store) == tracker.version
    assert store.tracker() == tracker
    assert "casey.db" in store.location and "Store" in repr(store)

    action, owner = start_planned(tracker)
    event = store.execute(CommandKind.START_ACTION, actor=owner, at=after, action=action)
    assert event.seq == tracker.version + 1
    del store

    reopened = dueregard.Store(path)
    assert reopened.version == tracker.version + 1
    loaded = reopened.tracker()
    assert loaded.action(action).state is ActionState.IN_PROGRESS
    report = reopened.verify()
    assert report and report.intact and report.events == loaded.version
    assert len(report.head) == 64 and report.broken_at is None

    exported = reopened.export_json()
    assert dueregard.Tracker.from_json(exported) == loaded
    copy = dueregard.Store.import_json(exported, tmp_path / "copy.db")
    assert copy.tracker() == loaded

    log = tmp_path / "events.jsonl"
    assert reopened.export_jsonl(log) == loaded.version
    from_log = dueregard.Store.import_jsonl(log, str(tmp_path / "from-log.db"))
    assert from_log.tracker() == loaded


def test_default_path_is_dueregard_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = dueregard.Store()
    assert len(store) == 0
    assert (tmp_path / "dueregard.db").exists()


def test_rejected_command_writes_nothing(tmp_path: Path, tracker: dueregard.Tracker,
                                        after: dt.datetime) -> None:
    path = tmp_path / "t.db"
    store = dueregard.Store.import_tracker(tracker, path)
    action, owner = start_planned(tracker)
    with pytest.raises(dueregard.UnknownIdError):
        store.execute("start_action", actor="nobody", at=after, action=action)
    def line(target: str) -> dict[str, object]:
        return {"actor": owner, "at": after.isoformat(),
                "command": {"start_action": {"action": target}}}

    good, bad = line(action), line("x/none")
    with pytest.raises(dueregard.UnknownIdError) as rejected:
        store.execute_batch([good, bad])
    assert rejected.value.index == 1
    assert store.version == tracker.version
    assert dueregard.Store(path).version == tracker.version
    events = store.execute_batch([good])
    assert [e.seq for e in events] == [tracker.version + 1]


def test_tampering_is_detected(tmp_path: Path, tracker: dueregard.Tracker) -> None:
    path = tmp_path / "t.db"
    dueregard.Store.import_tracker(tracker, path)
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER dueregard_events_no_update")
        db.execute("UPDATE dueregard_events SET actor = 'someone-else' WHERE seq = 5")
    db.close()
    store = None
    try:
        store = dueregard.Store(path)
    except dueregard.TamperingDetectedError as e:
        assert e.seq == 5
        return
    with pytest.raises(dueregard.TamperingDetectedError) as info:
        store.verify()
    assert info.value.seq == 5 and info.value.code == "tampering_detected"
    assert isinstance(info.value, dueregard.DueregardError)
    report = store.verify(raise_on_break=False)
    assert not report and report.broken_at == 5 and report.reason


def test_conflicting_writers(tmp_path: Path, tracker: dueregard.Tracker,
                             after: dt.datetime) -> None:
    path = tmp_path / "t.db"
    first = dueregard.Store.import_tracker(tracker, path)
    second = dueregard.Store(path)
    action, owner = start_planned(tracker)
    first.execute("start_action", actor=owner, at=after, action=action)
    other = next(a for a in tracker.actions if a.state is ActionState.PLANNED and a.id != action)
    other_owner = next(
        a.id for a in tracker.actors
        if a.body == other.owner and dueregard.Role.OWNER in a.roles
    )
    with pytest.raises(dueregard.ConflictError) as info:
        second.execute("start_action", actor=other_owner, at=after, action=other.id)
    assert info.value.expected == tracker.version
    assert info.value.actual == tracker.version + 1
    assert second.version == tracker.version
    assert second.refresh() == 1
    second.execute("start_action", actor=other_owner, at=after, action=other.id)
    assert dueregard.Store(path).version == tracker.version + 2


def test_storage_errors(tmp_path: Path) -> None:
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("hello")
    with pytest.raises(dueregard.StorageError) as info:
        dueregard.Store(not_a_store)
    assert info.value.detail
    with pytest.raises(dueregard.StorageError):
        dueregard.Store.import_json(dueregard.Tracker.example().to_json(), not_a_store)
    with pytest.raises(dueregard.StorageError):
        dueregard.Store.import_jsonl(tmp_path / "missing.jsonl", tmp_path / "x.db")
    full = tmp_path / "full.db"
    dueregard.Store.import_tracker(dueregard.Tracker.example(), full)
    with pytest.raises(dueregard.StorageError) as info2:
        dueregard.Store.import_tracker(dueregard.Tracker.example(), full)
    assert "full.db" in info2.value.location
    assert json.loads(dueregard.Store(full).export_json())
