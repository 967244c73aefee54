"""The same workload with the `transitions` state-machine library: each action
and milestone is a model added to one shared machine per kind; the other
rules (roles, evidence, self-verification, pending milestones, reasons) are
the baseline's.

    python benches/peers/transitions_peer.py parse|apply|load LOG ACTIONS [ANSWERS.json]
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any

from transitions import Machine, MachineError

sys.path.insert(0, os.path.dirname(__file__))
import baseline
from common import Rejected, main


def table(rows: dict[tuple[str, str], str]) -> list[dict[str, str]]:
    return [{"trigger": t, "source": s, "dest": d} for (s, t), d in rows.items()]


class Model:
    """A transitions model: `state` is kept by the machine."""

    state: str


class Tracker(baseline.Tracker):
    def __init__(self) -> None:
        super().__init__()
        self.action_machine = Machine(
            model=None, states=sorted({*(s for s, _ in baseline.ACTION_T),
                                       *baseline.ACTION_T.values()}),
            transitions=table(baseline.ACTION_T), initial="planned", auto_transitions=False)
        self.milestone_machine = Machine(
            model=None, states=["pending", "achieved", "missed", "waived"],
            transitions=table(baseline.MILESTONE_T), initial="pending", auto_transitions=False)
        self.models: dict[str, Model] = {}

    def fire(self, machine: Machine, id_: str, trigger: str) -> None:
        model = self.models[id_]
        if not machine.get_transitions(trigger, source=model.state):
            raise Rejected("invalid_transition")
        try:
            model.trigger(trigger)  # type: ignore[attr-defined]
        except MachineError as e:
            raise Rejected("invalid_transition") from e

    def rules(self, s: dict[str, Any], name: str, c: dict[str, Any], at: str, actor: str,
              body: str) -> None:
        if name == "add_action":
            super().rules(s, name, c, at, actor, body)
            m = Model()
            self.action_machine.add_model(m)
            self.models[c["id"]] = m
        elif name == "add_milestone":
            super().rules(s, name, c, at, actor, body)
            m = Model()
            self.milestone_machine.add_model(m)
            self.models[c["id"]] = m
        elif name.endswith("_action"):
            a = self.actions[c["action"]]
            if not self.action_machine.get_transitions(name, source=self.models[a["id"]].state):
                raise Rejected("invalid_transition")
            if name in baseline.NEEDS_REASON and not s.get("reason"):
                raise Rejected("reason_required")
            if name == "complete_action":
                if any(self.models[m].state in ("pending", "missed") for m in a["milestones"]):
                    raise Rejected("milestones_pending")
                a["claimed"] = (actor, body)
            if name == "verify_action":
                if not a["evidence"] and not s.get("evidence"):
                    raise Rejected("evidence_required")
                if a["claimed"] and a["claimed"][0] == actor:
                    raise Rejected("self_verification")
            self.fire(self.action_machine, a["id"], name)
            a["state"] = self.models[a["id"]].state
        elif name.endswith("_milestone"):
            m = self.milestones[c["milestone"]]
            if not self.milestone_machine.get_transitions(name, source=self.models[m["id"]].state):
                raise Rejected("invalid_transition")
            if name == "reschedule_milestone":
                if c["to"] <= m["due"]:
                    raise Rejected("date_not_later")
                if not s.get("reason"):
                    raise Rejected("reason_required")
                m["due"] = c["to"]
                m["due_history"].append(c["to"])
            elif name == "miss_milestone":
                m["times_missed"] += 1
            elif name == "achieve_milestone":
                m["achieved_on"] = c.get("on") or at[:10]
            self.fire(self.milestone_machine, m["id"], name)
            m["state"] = self.models[m["id"]].state
        else:
            super().rules(s, name, c, at, actor, body)


def apply(subs: Iterable[dict[str, Any]]) -> Tracker:
    t = Tracker()
    for s in subs:
        try:
            t.execute(s)
            t.applied += 1
        except Rejected as e:
            t.rejected[e.code] = t.rejected.get(e.code, 0) + 1
    return t


if __name__ == "__main__":
    main("transitions", apply, baseline.answers)
