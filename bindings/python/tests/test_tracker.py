import copy
import datetime as dt
import json
import re

import pytest

import dueregard
from dueregard import ActionState, CommandKind, EntityKind


def test_version_and_import_do_not_need_dataframe_libraries() -> None:
    assert dueregard.__version__
    import subprocess
    import sys

    code = (
        "import sys; import dueregard; "
        "assert 'pandas' not in sys.modules and 'polars' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_empty_tracker() -> None:
    t = dueregard.Tracker()
    assert len(t) == 0 and t.version == 0 and t.last_event_at is None
    assert t.actions == [] and t.reviews == []
    assert "0 events" in repr(t)


def test_example_contents(tracker: dueregard.Tracker) -> None:
    assert len(tracker) == tracker.version == len(tracker.events)
    casey = tracker.review("casey-2023")
    assert casey.published == dt.date(2023, 3, 21)
    assert casey.kind is dueregard.ReviewKind.INDEPENDENT_REVIEW
    assert len(casey.recommendations) == 16
    for rid in casey.recommendations:
        rec = tracker.recommendation(rid)
        assert rec.review == "casey-2023" and rec.title
        assert rec.id in {r.id for r in tracker.recommendations}
    assert tracker.last_event_at is not None
    assert tracker.last_event_at.tzinfo is not None


def test_entity_lookups_and_properties(tracker: dueregard.Tracker) -> None:
    for body in tracker.bodies:
        assert tracker.body(body.id) == body
        assert isinstance(body.kind, dueregard.BodyKind) and body.name
    for actor in tracker.actors:
        assert tracker.actor(actor.id) == actor
        assert all(isinstance(r, dueregard.Role) for r in actor.roles)
        assert tracker.body(actor.body)
    for resp in tracker.responses:
        assert tracker.response(resp.id) == resp
        assert isinstance(resp.state, dueregard.ResponseState)
        assert isinstance(resp.implementation, dueregard.ImplementationState)
        assert resp.recommendation and resp.addressee
        assert resp.self_rating is None or isinstance(resp.self_rating, dueregard.Rag)
        assert resp.independent_rating is None or isinstance(resp.independent_rating, dueregard.Rag)
        _ = resp.rationale
        deadline = resp.reply_deadline(dt.date(2024, 1, 1))
        assert deadline is None or isinstance(deadline, dt.date)
    for plan in tracker.plans:
        assert tracker.plan(plan.id) == plan
        assert isinstance(plan.kind, dueregard.PlanKind)
        assert all(tracker.action(a).plan == plan.id for a in plan.actions)
        assert plan.parent is None or tracker.plan(plan.parent)
        assert plan.owner and plan.title
    for action in tracker.actions:
        assert tracker.action(action.id) == action
        assert isinstance(action.state, ActionState)
        assert action.days_moved == (action.due - action.due_original).days
        assert action.revisions >= (1 if action.days_moved else 0)
        assert action.owner and action.title and action.answers is not None
        assert action.weight is None or action.weight > 0
        _ = (action.self_rating, action.independent_rating)
        for m in action.milestones:
            assert tracker.milestone(m).action == action.id
    for m in tracker.milestones:
        assert tracker.milestone(m.id) == m
        assert isinstance(m.state, dueregard.MilestoneState)
        assert m.times_missed >= 0 and m.title
        assert m.due_original <= m.due or m.due_original > m.due
        assert m.achieved_on is None or m.state is dueregard.MilestoneState.ACHIEVED
    for rec in tracker.recommendations:
        assert rec.number and rec.addressees
        assert isinstance(rec.priority, bool) and isinstance(rec.themes, list)
        assert rec.text is None or isinstance(rec.text, str)
        assert (rec.due is None) == (rec.due_original is None)


def test_to_dict_is_the_core_json_form(tracker: dueregard.Tracker) -> None:
    action = tracker.actions[0]
    d = action.to_dict()
    assert d["id"] == action.id and d["state"] == action.state.value
    assert tracker.body(tracker.bodies[0].id).to_dict()["id"] == tracker.bodies[0].id
    for obj in [tracker.actors[0], tracker.reviews[0], tracker.recommendations[0],
                tracker.responses[0], tracker.plans[0], tracker.milestones[0], tracker.events[0]]:
        assert isinstance(obj.to_dict(), dict)
        assert repr(obj).startswith("<")


def test_execute_records_an_event(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    planned = next(a for a in tracker.actions if a.state is ActionState.PLANNED)
    owner = next(
        a.id for a in tracker.actors
        if a.body == planned.owner and dueregard.Role.OWNER in a.roles
    )
    before = len(tracker)
    event = tracker.execute(CommandKind.START_ACTION, actor=owner, at=after, action=planned.id)
    assert len(tracker) == before + 1 and event.seq == before + 1
    assert event.name == "ActionStarted" and event.command is CommandKind.START_ACTION
    assert event.subject_kind is EntityKind.ACTION and event.subject_id == planned.id
    assert event.at == after and event.actor == owner and event.body == planned.owner
    assert event.reason is None and event.evidence == []
    assert tracker.action(planned.id).state is ActionState.IN_PROGRESS
    history = tracker.history(EntityKind.ACTION, planned.id)
    assert history[-1] == event
    assert tracker.history("action", planned.id) == history


def test_one_action_as_of_a_past_date(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    action = next(a for a in tracker.actions if a.state is ActionState.VERIFIED)
    history = tracker.history(EntityKind.ACTION, action.id)
    created = history[0].at.date()
    assert tracker.action_as_of(action.id, created - dt.timedelta(days=1)) is None
    assert tracker.history(EntityKind.ACTION, action.id, as_of=created - dt.timedelta(days=1)) == []
    # On each day an event touched it, it matches a replay of the whole log to that day.
    for e in history:
        day = e.at.date()
        then = tracker.action_as_of(action.id, day)
        assert then is not None
        assert then.state is tracker.as_of(day).action(action.id).state
        assert tracker.history(EntityKind.ACTION, action.id, as_of=day)[-1].at.date() <= day
    assert tracker.action_as_of(action.id, after.date()) == tracker.action(action.id)
    with pytest.raises(dueregard.UnknownIdError):
        tracker.action_as_of("no-such-action", after.date())


def test_datetimes_in_any_offset_and_dates(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    planned = [a for a in tracker.actions if a.state is ActionState.PLANNED]
    owner = {a.body: a.id for a in tracker.actors if dueregard.Role.OWNER in a.roles}
    paris = dt.timezone(dt.timedelta(hours=1))
    local = after.astimezone(paris)
    e = tracker.execute("start_action", actor=owner[planned[0].owner], at=local,
                        action=planned[0].id)
    assert e.at == after and e.at.utcoffset() == dt.timedelta(0)
    day = after.date() + dt.timedelta(days=1)
    e2 = tracker.execute("start_action", actor=owner[planned[1].owner], at=day,
                         action=planned[1].id)
    assert e2.at == dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def test_submission_and_execute_batch(tracker: dueregard.Tracker, after: dt.datetime) -> None:
    planned = [a for a in tracker.actions if a.state is ActionState.PLANNED]
    owner = {a.body: a.id for a in tracker.actors if dueregard.Role.OWNER in a.roles}
    subs: list[dueregard.Submission | dict[str, object]] = [
        dueregard.Submission("start_action", actor=owner[a.owner], at=after, action=a.id,
                             reason="kick-off")
        for a in planned[:2]
    ]
    first = subs[0]
    assert isinstance(first, dueregard.Submission)
    assert first.command is CommandKind.START_ACTION and first.reason == "kick-off"
    assert first.actor == owner[planned[0].owner] and first.at == after and first.evidence == []
    assert "start_action" in repr(first)
    as_dict = first.to_dict()
    assert dueregard.Submission.from_dict(as_dict).to_dict() == as_dict
    subs.append({"actor": owner[planned[2].owner], "at": after,
                 "command": {"start_action": {"action": planned[2].id}}})
    assert tracker.execute_batch(subs) == 3
    assert all(tracker.action(a.id).state is ActionState.IN_PROGRESS for a in planned[:3])


def test_json_round_trip_and_files(tracker: dueregard.Tracker, tmp_path) -> None:
    again = dueregard.Tracker.from_json(tracker.to_json())
    assert again == tracker and again is not tracker
    path = tmp_path / "tracker.json"
    tracker.save(path)
    assert dueregard.Tracker.open(path) == tracker
    assert dueregard.Tracker.open(str(path)) == tracker
    public = json.loads(tracker.to_public_json())
    assert public["format"] == "dueregard"
    assert len(public["events"]) <= len(tracker)
    log = tmp_path / "events.jsonl"
    tracker.save_event_log(log)
    assert len(log.read_text().splitlines()) == len(tracker)
    assert dueregard.Tracker.from_event_log(log).events == tracker.events
    assert copy.copy(tracker) == tracker


def test_run_command_log(tracker: dueregard.Tracker, after: dt.datetime, tmp_path) -> None:
    planned = next(a for a in tracker.actions if a.state is ActionState.PLANNED)
    owner = next(a.id for a in tracker.actors if a.body == planned.owner
                 and dueregard.Role.OWNER in a.roles)
    at = after.isoformat()
    lines = [
        {"actor": owner, "at": at, "command": {"start_action": {"action": planned.id}}},
        {"actor": owner, "at": at, "command": {"start_action": {"action": planned.id}}},
        {"actor": owner, "at": at, "command": {"start_action": {"action": "no-such"}}},
    ]
    log = tmp_path / "commands.jsonl"
    log.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    outcome = tracker.run_command_log(log)
    assert outcome.applied == 1
    assert [line for line, _ in outcome.rejected] == [2, 3]
    assert isinstance(outcome.rejected[0][1], dueregard.InvalidTransitionError)
    assert isinstance(outcome.rejected[1][1], dueregard.UnknownIdError)
    assert "applied=1" in repr(outcome)


def test_as_of_and_summary(tracker: dueregard.Tracker) -> None:
    early = tracker.as_of(dt.date(2023, 6, 30))
    assert len(early) < len(tracker)
    assert all(e.at.date() <= dt.date(2023, 6, 30) for e in early.events)
    s = tracker.summary(as_of=dt.date(2025, 3, 31))
    assert s.as_of == dt.date(2025, 3, 31)
    assert s.recommendations == len(tracker.recommendations)
    assert s.reviews == len(tracker.reviews)
    assert sum(s.actions.values()) == len(tracker.actions)
    assert sum(s.responses.values()) == len(tracker.responses)
    assert sum(s.implementation.values()) == len(tracker.responses)
    assert s.overdue_actions >= 0 and s.overdue_milestones >= 0
    assert 0 <= s.unanswered_recommendations <= s.recommendations
    assert s.to_dict()["overdue_actions"] == s.overdue_actions
    assert "Summary as of 2025-03-31" in s._repr_html_()
    assert "overdue" in repr(s)
    assert tracker.summary().as_of == dt.datetime.now(dt.timezone.utc).date()


def test_machines_and_schema() -> None:
    ms = {m.name: m for m in dueregard.machines()}
    assert set(ms) >= {"action", "milestone", "response", "implementation"}
    action = ms["action"]
    assert action.states == [s.value for s in ActionState]
    assert all(f in action.states and t in action.states for f, _, t in action.transitions)
    assert action.mermaid.startswith("stateDiagram-v2")
    assert action._repr_markdown_().startswith("```mermaid")
    assert "action" in repr(action)
    schema = json.loads(dueregard.json_schema())
    assert set(schema) == {"tracker_document", "event_log_line", "command_log_line"}


def test_html_and_repr(tracker: dueregard.Tracker) -> None:
    html = tracker._repr_html_()
    # The tracker's RAG table is the core's RAG view of bodies, rated on the last event's date
    # (the date every view defaults to): each body's row carries that body's own rating.
    last = tracker.last_event_at
    assert last is not None
    assert f"as of {last.date()}" in html
    rated = dict(re.findall(r"<tr><td>([^<]*)</td><td>[^<]*</td><td[^>]*>([^<]*)</td>", html))
    bodies = tracker.rag().bodies.to_pylist()
    assert len(bodies) == 8
    for body in bodies:
        assert rated[body["id"]] == (body["rag"] or "unrated"), body["id"]
    assert rated["met-cn"] == "amber"
    assert "<table>" in html
    r = repr(tracker)
    assert r.startswith("<Tracker") and len(r) < 200


def test_enums_are_python_enums() -> None:
    import enum

    for cls in (ActionState, EntityKind, CommandKind, dueregard.Rag, dueregard.Visibility,
                dueregard.ResponseState, dueregard.ImplementationState, dueregard.ReviewKind,
                dueregard.PlanKind, dueregard.BodyKind, dueregard.Role, dueregard.MilestoneState):
        assert issubclass(cls, enum.Enum) and issubclass(cls, str)
        assert cls.__module__ == "dueregard"
    assert ActionState("in_progress") is ActionState.IN_PROGRESS
    assert str(ActionState.IN_PROGRESS) == "in_progress"
    with pytest.raises(ValueError):
        ActionState("nope")
