"""Every exception class, raised from real misuse, with its structured fields."""

import datetime as dt

import pytest

import dueregard
from dueregard import ActionState, EntityKind, Role


def owner_of(tracker: dueregard.Tracker, body: str) -> str:
    return next(a.id for a in tracker.actors if a.body == body and Role.OWNER in a.roles)


def test_hierarchy() -> None:
    for cls in (dueregard.RuleViolationError, dueregard.NotAuthorisedError,
                dueregard.UnknownIdError, dueregard.ConflictError, dueregard.InvalidInputError,
                dueregard.StorageError, dueregard.TamperingDetectedError):
        assert issubclass(cls, dueregard.DueregardError)
    assert issubclass(dueregard.InvalidTransitionError, dueregard.RuleViolationError)
    assert issubclass(dueregard.DueregardError, Exception)


def test_invalid_transition(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    running = next(a for a in tracker.actions if a.state is ActionState.IN_PROGRESS)
    before = tracker.to_json()
    with pytest.raises(dueregard.InvalidTransitionError) as info:
        tracker.execute("start_action", actor=owner_of(tracker, running.owner), at=after,
                        action=running.id)
    e = info.value
    assert e.code == "invalid_transition"
    assert e.kind is EntityKind.ACTION and e.id == running.id
    assert e.state == "in_progress" and e.command == "start_action"
    assert "complete_action" in e.allowed
    assert "allowed:" in str(e)
    assert tracker.to_json() == before


def test_not_authorised(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    planned = next(a for a in tracker.actions if a.state is ActionState.PLANNED)
    reporter = next(a.id for a in tracker.actors if a.roles == [Role.REPORTER])
    with pytest.raises(dueregard.NotAuthorisedError) as info:
        tracker.execute("start_action", actor=reporter, at=after, action=planned.id)
    e = info.value
    assert e.code == "not_authorised" and e.actor == reporter
    assert e.command == "start_action" and e.kind is EntityKind.ACTION and e.id == planned.id
    assert e.reason
    assert tracker.action(planned.id).state is ActionState.PLANNED


def test_unknown_id(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    with pytest.raises(dueregard.UnknownIdError) as info:
        tracker.action("no-such-action")
    assert info.value.kind is EntityKind.ACTION and info.value.id == "no-such-action"
    assert info.value.hint and info.value.code == "unknown_id"
    with pytest.raises(dueregard.UnknownIdError):
        tracker.history(EntityKind.PLAN, "no-such-plan")
    for lookup in (tracker.body, tracker.actor, tracker.review, tracker.recommendation,
                   tracker.response, tracker.plan, tracker.milestone):
        with pytest.raises(dueregard.UnknownIdError):
            lookup("no-such-id")


def test_conflict_on_duplicate_id(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    existing = tracker.actions[0]
    with pytest.raises(dueregard.ConflictError) as info:
        tracker.execute("add_action", actor=owner_of(tracker, existing.owner), at=after,
                        id=existing.id, plan=existing.plan, title="again",
                        due=dt.date(2030, 1, 1))
    assert info.value.code == "duplicate_id" and info.value.id == existing.id
    assert info.value.kind is EntityKind.ACTION


def test_rule_violation_out_of_order(tracker: dueregard.Tracker) -> None:
    planned = next(a for a in tracker.actions if a.state is ActionState.PLANNED)
    with pytest.raises(dueregard.RuleViolationError) as info:
        tracker.execute("start_action", actor=owner_of(tracker, planned.owner),
                        at=dt.date(2015, 1, 1), action=planned.id)
    assert info.value.code == "out_of_order"
    assert info.value.last == tracker.last_event_at
    assert info.value.at == dt.datetime(2015, 1, 1, tzinfo=dt.timezone.utc)


def test_rule_violation_date_not_later(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    pending = next(m for m in tracker.milestones if m.state is dueregard.MilestoneState.PENDING)
    owner = owner_of(tracker, tracker.action(pending.action).owner)
    earlier = pending.due - dt.timedelta(days=30)
    before = tracker.to_json()
    with pytest.raises(dueregard.RuleViolationError) as info:
        tracker.execute("reschedule_milestone", actor=owner, at=after, reason="slipped",
                        milestone=pending.id, to=earlier)
    assert info.value.code == "date_not_later"
    assert info.value.current == pending.due and info.value.proposed == earlier
    assert info.value.kind is EntityKind.MILESTONE and info.value.id == pending.id
    assert tracker.to_json() == before


def test_invalid_input(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    with pytest.raises(dueregard.InvalidInputError, match="naive datetime"):
        tracker.execute("start_action", actor="met-reform", at=dt.datetime(2026, 1, 1),
                        action="x")
    with pytest.raises(dueregard.InvalidInputError) as info:
        tracker.execute("launch_rocket", actor="met-reform", at=after)
    assert info.value.field == "command" and info.value.detail
    with pytest.raises(dueregard.InvalidInputError):
        tracker.execute("start_action", actor="met-reform", at=after, action=object())
    with pytest.raises(dueregard.InvalidInputError):
        tracker.execute("start_action", actor="met-reform", at="yesterday", action="x")
    with pytest.raises(dueregard.InvalidInputError):
        tracker.history("galaxy", "x")
    with pytest.raises(dueregard.InvalidInputError) as parse:
        dueregard.Tracker.from_json("{not json")
    assert parse.value.code == "parse" and parse.value.line == 1
    with pytest.raises(dueregard.InvalidInputError) as version:
        dueregard.Tracker.from_json(
            '{"format": "dueregard", "version": 999, "policy": {}, "events": []}'
        )
    assert version.value.code in {"unsupported_version", "parse"}


def test_execute_batch_reports_the_index(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    planned = next(a for a in tracker.actions if a.state is ActionState.PLANNED)
    owner = owner_of(tracker, planned.owner)
    subs = [dueregard.Submission("start_action", actor=owner, at=after, action=planned.id)] * 2
    with pytest.raises(dueregard.InvalidTransitionError) as info:
        tracker.execute_batch(subs)
    assert info.value.index == 1
    # All or nothing: the first command of the refused batch is not kept either.
    assert tracker.action(planned.id).state is ActionState.PLANNED


def test_storage_error(tmp_path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(dueregard.StorageError) as info:
        dueregard.Tracker.open(missing)
    assert info.value.path == str(missing) and info.value.detail
    with pytest.raises(dueregard.StorageError):
        dueregard.Tracker.from_event_log(missing)
    with pytest.raises(dueregard.StorageError):
        dueregard.Tracker().save(tmp_path / "no-dir" / "t.json")


def test_tampering_detected(tracker: dueregard.Tracker, tmp_path) -> None:
    log = tmp_path / "events.jsonl"
    tracker.save_event_log(log)
    lines = log.read_text().splitlines()
    del lines[10]
    log.write_text("\n".join(lines) + "\n")
    with pytest.raises(dueregard.TamperingDetectedError) as info:
        dueregard.Tracker.from_event_log(log)
    assert info.value.code == "corrupt_log" and info.value.seq == 12
    assert info.value.detail
