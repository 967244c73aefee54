"""Property tests: random command sequences against the example tracker."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dueregard

TRACKER = dueregard.Tracker.example()
ACTIONS = [a.id for a in TRACKER.actions]
MILESTONES = [m.id for m in TRACKER.milestones]
ACTORS = [a.id for a in TRACKER.actors]
ACTION_COMMANDS = ["start_action", "block_action", "unblock_action", "defer_action",
                   "resume_action", "complete_action", "verify_action", "send_back_action",
                   "cancel_action"]
MILESTONE_COMMANDS = ["achieve_milestone", "miss_milestone", "waive_milestone"]

step = st.one_of(
    st.tuples(st.sampled_from(ACTION_COMMANDS), st.sampled_from(ACTORS),
              st.sampled_from(ACTIONS), st.booleans()),
    st.tuples(st.sampled_from(MILESTONE_COMMANDS), st.sampled_from(ACTORS),
              st.sampled_from(MILESTONES), st.booleans()),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=25))
def test_a_rejected_command_never_changes_state(steps: list[tuple[str, str, str, bool]]) -> None:
    tracker = dueregard.Tracker.from_json(TRACKER.to_json())
    last = tracker.last_event_at
    assert last is not None
    for i, (command, actor, target, with_reason) in enumerate(steps):
        at = last + dt.timedelta(days=i + 1)
        field = "action" if command.endswith("_action") else "milestone"
        before = tracker.to_json()
        n = len(tracker)
        try:
            event = tracker.execute(command, actor=actor, at=at,
                                    reason="reason given" if with_reason else None,
                                    **{field: target})
        except dueregard.DueregardError:
            assert tracker.to_json() == before
            assert len(tracker) == n
        else:
            assert len(tracker) == n + 1 and event.seq == n + 1
    replayed = dueregard.Tracker.from_json(tracker.to_json())
    assert replayed == tracker
