"""The uniffi bindings from Python: a plan's lifecycle in a SQLite store,
typed exceptions, reports, threads and panics."""

import datetime as dt
import json
import threading

import pytest

import dueregard_uniffi as du

START = dt.datetime(2024, 4, 1, 9, 0, tzinfo=dt.timezone.utc)


class Clock:
    """Hands out increasing instants (commands must be recorded in date order)."""

    def __init__(self):
        self.n = 0

    def __call__(self):
        self.n += 1
        return START + dt.timedelta(hours=self.n)


def cmd(clock, actor, command, fields, reason=None, evidence=None):
    return du.Submission(
        actor=actor,
        at=clock(),
        command=json.dumps({command: fields}),
        reason=reason,
        evidence=evidence or [],
    )


def set_up(tracker, clock):
    """Bodies, actors, a panel's review with one recommendation, and a plan."""
    steps = [
        ("admin", "register_body", dict(id="office", name="Tracker office", kind="other")),
        ("admin", "register_actor", dict(id="admin", name="Administrator", body="office", roles=["administrator"])),
        ("admin", "register_body", dict(id="force", name="Example Police", kind="police_force")),
        ("admin", "register_body", dict(id="council", name="Example Council", kind="council")),
        ("admin", "register_body", dict(id="panel", name="Example police and crime panel", kind="police_and_crime_panel")),
        ("admin", "register_actor", dict(id="owner", name="Borough commander", body="force", roles=["owner"])),
        ("admin", "register_actor", dict(id="verifier", name="Community safety officer", body="council", roles=["verifier"])),
        ("admin", "register_actor", dict(id="chair", name="Panel chair", body="panel", roles=["scrutineer"])),
        ("chair", "publish_review", dict(id="rev", title="Neighbourhood policing review", kind="panel_report", publisher="panel", published="2024-04-01")),
        ("chair", "add_recommendation", dict(id="rev/R1", review="rev", number="1", title="Keep neighbourhood officers in post for two years", addressees=["force"])),
        ("owner", "accept", None),
        ("owner", "create_plan", dict(id="plan", title="Local action plan", kind="local", owner="force")),
        ("owner", "add_action", dict(id="plan/A1", plan="plan", title="Two-year tenure", answers=["rev/R1"], due="2025-03-31")),
        ("owner", "add_action", dict(id="plan/A2", plan="plan", title="Ward panels", due="2025-03-31")),
    ]
    subs = []
    for actor, name, fields in steps:
        if name == "accept":
            subs.append(cmd(clock, actor, "respond", dict(response=du.response_id("rev/R1", "force"), answer="accept")))
        else:
            subs.append(cmd(clock, actor, name, fields))
    return tracker.execute_batch(subs)


@pytest.fixture()
def store(tmp_path):
    # uniffi objects free their Rust side when garbage-collected.
    return du.Tracker.open(str(tmp_path / "tracker.db")), tmp_path / "tracker.db"


def test_plan_lifecycle_in_a_store(store):
    tracker, path = store
    clock = Clock()
    assert len(set_up(tracker, clock)) == 14
    assert tracker.response("rev/R1@force").state == du.ResponseState.ACCEPTED

    tracker.execute(cmd(clock, "owner", "start_action", dict(action="plan/A1")))
    tracker.execute(cmd(clock, "owner", "submit_evidence", dict(id="ev1", about={"kind": "action", "id": "plan/A1"},
                        reference="rota 2024/25", description="tenure rota")))
    tracker.execute(cmd(clock, "owner", "complete_action", dict(action="plan/A1")))
    event = tracker.execute(cmd(clock, "verifier", "verify_action", dict(action="plan/A1"), evidence=["ev1"]))
    assert event.name == "ActionVerified"
    assert event.subject_kind == du.EntityKind.ACTION
    assert isinstance(event.at, dt.datetime)

    action = tracker.action("plan/A1")
    assert action.state == du.ActionState.VERIFIED
    assert action.verified.actor == "verifier"
    names = [e.name for e in tracker.history(du.EntityKind.ACTION, "plan/A1")]
    assert names == ["ActionAdded", "ActionStarted", "EvidenceSubmitted", "ActionCompleted", "ActionVerified"]

    # As of a past date, from the action's own events.
    added = tracker.history(du.EntityKind.ACTION, "plan/A1")[0].at.date()
    day_before = (added - dt.timedelta(days=1)).isoformat()
    assert tracker.action_as_of("plan/A1", day_before) is None
    assert tracker.history(du.EntityKind.ACTION, "plan/A1", as_of=day_before) == []
    today = tracker.events()[-1].at.date().isoformat()
    assert tracker.action_as_of("plan/A1", today) == action
    assert [e.name for e in tracker.history(du.EntityKind.ACTION, "plan/A1", as_of=today)] == names
    with pytest.raises(du.DueregardError.UnknownId):
        tracker.action_as_of("plan/A9", today)

    # The store kept every event, and its hash chain is intact.
    reopened = du.Tracker.open(str(path))
    assert reopened.version() == tracker.version()
    assert reopened.verify().intact


def test_illegal_transition_and_not_authorised_are_typed(store):
    tracker, _ = store
    clock = Clock()
    set_up(tracker, clock)
    before = tracker.version()

    with pytest.raises(du.DueregardError.InvalidTransition) as bad:
        tracker.execute(cmd(clock, "owner", "complete_action", dict(action="plan/A2")))
    e = bad.value
    assert (e.kind, e.id, e.state, e.command) == (du.EntityKind.ACTION, "plan/A2", "planned", "complete_action")
    assert "start_action" in e.allowed
    assert "planned" in e.detail and str(e).startswith("detail=")

    with pytest.raises(du.DueregardError.NotAuthorised) as denied:
        tracker.execute(cmd(clock, "verifier", "start_action", dict(action="plan/A2")))
    assert denied.value.actor == "verifier"
    assert denied.value.reason
    assert isinstance(denied.value, du.DueregardError)

    with pytest.raises(du.DueregardError.UnknownId):
        tracker.action("plan/A9")
    with pytest.raises(du.DueregardError.Parse):
        tracker.execute(du.Submission(actor="owner", at=clock(), command="not json", reason=None, evidence=[]))
    assert tracker.version() == before


def test_summary_report(store):
    tracker, _ = store
    clock = Clock()
    set_up(tracker, clock)
    tracker.execute(cmd(clock, "owner", "start_action", dict(action="plan/A1")))
    s = tracker.summary("2025-06-30")
    assert s.as_of == "2025-06-30"
    assert s.recommendations == 1
    assert s.responses == {"accepted": 1}
    assert s.actions == {"in_progress": 1, "planned": 1}
    assert s.overdue_actions == 2
    [line] = s.plans
    assert (line.plan, line.actions, line.done, line.overdue) == ("plan", 2, 0, 2)
    late = tracker.overdue("2025-06-30")
    assert sorted((o.kind, o.id, o.days_late) for o in late) == [
        (du.OverdueKind.ACTION, "plan/A1", 91),
        (du.OverdueKind.ACTION, "plan/A2", 91),
    ]
    coverage = tracker.coverage("2025-06-30")
    assert [(r.recommendation, r.actions) for r in coverage.rows] == [("rev/R1", ["plan/A1"])]
    assert coverage.actions_answering_nothing == ["plan/A2"]
    assert tracker.slippage("2025-06-30") == []
    with pytest.raises(du.DueregardError.Invalid) as bad_date:
        tracker.summary("30/06/2025")
    assert bad_date.value.field == "as_of"


def test_example_and_documents():
    example = du.Tracker.example()
    assert len(example.review("casey-2023").recommendations) == 16
    copy = du.Tracker.from_json(example.to_json())
    assert copy.version() == example.version()
    with pytest.raises(du.DueregardError.NotStored):
        copy.verify()
    assert {m.name for m in du.machines()} >= {"action", "response", "milestone", "implementation"}


def test_two_writers_conflict_and_refresh(store):
    tracker, path = store
    clock = Clock()
    set_up(tracker, clock)
    other = du.Tracker.open(str(path))
    other.execute(cmd(clock, "owner", "start_action", dict(action="plan/A1")))
    with pytest.raises(du.DueregardError.Conflict) as conflict:
        tracker.execute(cmd(clock, "owner", "start_action", dict(action="plan/A2")))
    assert conflict.value.actual == conflict.value.expected + 1
    assert tracker.refresh() == 1
    tracker.execute(cmd(clock, "owner", "start_action", dict(action="plan/A2")))


def test_threads_share_one_tracker(store):
    tracker, _ = store
    clock = Clock()
    set_up(tracker, clock)
    lock = threading.Lock()
    errors = []

    def note(i):
        try:
            with lock:
                sub = cmd(clock, "owner", "add_note", dict(about={"kind": "plan", "id": "plan"}, text=f"note {i}"))
            tracker.execute(sub)
        except du.DueregardError.OutOfOrder:
            # Another thread recorded a later instant first: legal, and nothing was written.
            pass
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=note, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert tracker.version() > 14


def test_a_panic_becomes_an_exception():
    with pytest.raises(du.DueregardError.Internal) as e:
        du.panic_probe()
    assert "panic probe" in e.value.detail
    # The library still works after it.
    assert du.version()
