"""The hand-written Python baseline: dicts and lists, the same rules as the
library for every command the workload uses, and the full history kept.

    python benches/peers/baseline.py parse|apply|load LOG ACTIONS [ANSWERS.json]
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from common import AS_OF, Rejected, main, progress_pct

# Command -> roles allowed, and whether the actor's body must own the subject.
OWNER_CMDS = {
    "create_plan", "add_action", "add_milestone", "start_action", "block_action",
    "unblock_action", "complete_action", "cancel_action", "achieve_milestone",
    "miss_milestone", "reschedule_milestone", "submit_evidence",
}
VERIFIER_CMDS = {"verify_action", "submit_evidence"}

ACTION_T = {
    ("planned", "start_action"): "in_progress",
    ("in_progress", "block_action"): "blocked",
    ("blocked", "unblock_action"): "in_progress",
    ("in_progress", "complete_action"): "completed",
    ("completed", "verify_action"): "verified",
    ("planned", "cancel_action"): "cancelled",
    ("in_progress", "cancel_action"): "cancelled",
    ("blocked", "cancel_action"): "cancelled",
}
MILESTONE_T = {
    ("pending", "achieve_milestone"): "achieved",
    ("pending", "miss_milestone"): "missed",
    ("missed", "reschedule_milestone"): "pending",
    ("pending", "reschedule_milestone"): "pending",
    ("missed", "achieve_milestone"): "achieved",
}
NEEDS_REASON = {"block_action", "cancel_action", "reschedule_milestone"}


class Tracker:
    def __init__(self) -> None:
        self.bodies: dict[str, dict[str, Any]] = {}
        self.actors: dict[str, dict[str, Any]] = {}
        self.reviews: dict[str, dict[str, Any]] = {}
        self.recs: dict[str, dict[str, Any]] = {}
        self.plans: dict[str, dict[str, Any]] = {}
        self.actions: dict[str, dict[str, Any]] = {}
        self.milestones: dict[str, dict[str, Any]] = {}
        self.evidence: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.applied = 0
        self.rejected: dict[str, int] = {}

    def owner_of(self, kind: str, id_: str) -> str:
        if kind == "action":
            a = self.actions.get(id_)
            if a is None:
                raise Rejected("unknown_id")
            return a["owner"]
        if kind == "milestone":
            m = self.milestones.get(id_)
            if m is None:
                raise Rejected("unknown_id")
            return self.actions[m["action"]]["owner"]
        if kind == "plan":
            p = self.plans.get(id_)
            if p is None:
                raise Rejected("unknown_id")
            return p["owner"]
        raise Rejected("unknown_id")

    def execute(self, s: dict[str, Any]) -> None:
        at = s["at"]
        if self.events and at < self.events[-1]["at"]:
            raise Rejected("out_of_order")
        ((name, c),) = s["command"].items()
        actor = self.actors.get(s["actor"])
        if actor is None:
            if any("administrator" in a["roles"] for a in self.actors.values()):
                raise Rejected("unknown_id")
            roles: list[str] = []
            body = ""
        else:
            roles, body = actor["roles"], actor["body"]
        if roles:
            if name == "create_plan":
                owner = c["owner"]
            elif name == "add_action":
                owner = self.owner_of("plan", c["plan"])
            elif name == "add_milestone":
                owner = self.owner_of("action", c["action"])
            elif name == "submit_evidence":
                owner = self.owner_of(c["about"]["kind"], c["about"]["id"])
            elif "action" in c:
                owner = self.owner_of("action", c["action"])
            elif "milestone" in c:
                owner = self.owner_of("milestone", c["milestone"])
            else:
                owner = None
            ok = "administrator" in roles
            ok = ok or ("owner" in roles and name in OWNER_CMDS and owner == body)
            ok = ok or ("verifier" in roles and name in VERIFIER_CMDS)
            if not ok:
                raise Rejected("not_authorised")
        self.rules(s, name, c, at, s["actor"], body)
        self.events.append({"seq": len(self.events) + 1, "at": at, "actor": s["actor"],
                            "reason": s.get("reason"), "command": s["command"]})

    def rules(self, s: dict[str, Any], name: str, c: dict[str, Any], at: str, actor: str,
              body: str) -> None:
        if name == "register_body":
            self.new_id(self.bodies, c["id"])
            self.bodies[c["id"]] = dict(c)
        elif name == "register_actor":
            self.new_id(self.actors, c["id"])
            self.actors[c["id"]] = dict(c)
        elif name == "publish_review":
            self.new_id(self.reviews, c["id"])
            self.reviews[c["id"]] = dict(c, recommendations=[])
        elif name == "add_recommendation":
            self.new_id(self.recs, c["id"])
            if c["review"] not in self.reviews:
                raise Rejected("unknown_id")
            self.recs[c["id"]] = dict(c)
            self.reviews[c["review"]]["recommendations"].append(c["id"])
        elif name == "create_plan":
            self.new_id(self.plans, c["id"])
            self.plans[c["id"]] = dict(c, actions=[])
        elif name == "add_action":
            self.new_id(self.actions, c["id"])
            plan = self.plans[c["plan"]]
            for r in c.get("answers", []):
                if r not in self.recs:
                    raise Rejected("unknown_id")
            self.actions[c["id"]] = {
                "id": c["id"], "plan": c["plan"], "owner": c.get("owner") or plan["owner"],
                "answers": c.get("answers", []), "due": c["due"], "due_history": [c["due"]],
                "state": "planned", "milestones": [], "evidence": [], "claimed": None,
            }
            plan["actions"].append(c["id"])
        elif name == "add_milestone":
            self.new_id(self.milestones, c["id"])
            a = self.actions[c["action"]]
            if a["state"] not in ("planned", "in_progress", "blocked", "deferred"):
                raise Rejected("invalid")
            self.milestones[c["id"]] = {"id": c["id"], "action": c["action"], "due": c["due"],
                                        "due_history": [c["due"]], "state": "pending",
                                        "achieved_on": None, "times_missed": 0}
            a["milestones"].append(c["id"])
        elif name == "submit_evidence":
            self.new_id(self.evidence, c["id"])
            self.evidence[c["id"]] = dict(c)
            if c["about"]["kind"] == "action":
                self.actions[c["about"]["id"]]["evidence"].append(c["id"])
        elif name.endswith("_action"):
            a = self.actions[c["action"]]
            nxt = ACTION_T.get((a["state"], name))
            if nxt is None:
                raise Rejected("invalid_transition")
            if name in NEEDS_REASON and not s.get("reason"):
                raise Rejected("reason_required")
            if name == "complete_action":
                if any(self.milestones[m]["state"] in ("pending", "missed")
                       for m in a["milestones"]):
                    raise Rejected("milestones_pending")
                a["claimed"] = (actor, body)
            if name == "verify_action":
                if not a["evidence"] and not s.get("evidence"):
                    raise Rejected("evidence_required")
                if a["claimed"] and a["claimed"][0] == actor:
                    raise Rejected("self_verification")
            a["state"] = nxt
        elif name.endswith("_milestone"):
            m = self.milestones[c["milestone"]]
            nxt = MILESTONE_T.get((m["state"], name))
            if nxt is None:
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
            m["state"] = nxt
        else:
            raise Rejected("invalid")

    @staticmethod
    def new_id(table: dict[str, Any], id_: str) -> None:
        if id_ in table:
            raise Rejected("duplicate_id")


def apply(subs: Iterable[dict[str, Any]]) -> Tracker:
    t = Tracker()
    for s in subs:
        try:
            t.execute(s)
            t.applied += 1
        except Rejected as e:
            t.rejected[e.code] = t.rejected.get(e.code, 0) + 1
    return t


def answers(t: Tracker) -> dict[str, Any]:
    actions: dict[str, int] = {}
    for a in t.actions.values():
        actions[a["state"]] = actions.get(a["state"], 0) + 1
    milestones: dict[str, int] = {}
    for m in t.milestones.values():
        milestones[m["state"]] = milestones.get(m["state"], 0) + 1
    open_states = ("planned", "in_progress", "blocked", "deferred")
    overdue_actions = sum(1 for a in t.actions.values()
                          if a["state"] in open_states and a["due"] < AS_OF)
    overdue_milestones = sum(1 for m in t.milestones.values()
                             if m["state"] in ("missed", "pending") and m["due"] < AS_OF)
    plan_pct = {}
    for pid, p in t.plans.items():
        states, achieved, counted = [], [], []
        for aid in p["actions"]:
            a = t.actions[aid]
            ms = [t.milestones[m]["state"] for m in a["milestones"]]
            states.append(a["state"])
            achieved.append(sum(1 for x in ms if x == "achieved"))
            counted.append(sum(1 for x in ms if x != "waived"))
        plan_pct[pid] = progress_pct(states, achieved, counted)
    coverage = {r: 0 for r in t.recs}
    for a in t.actions.values():
        for r in a["answers"]:
            coverage[r] += 1
    return {
        "applied": t.applied, "rejected": t.rejected, "actions": actions,
        "milestones": milestones, "overdue_actions": overdue_actions,
        "overdue_milestones": overdue_milestones, "plan_pct": plan_pct, "coverage": coverage,
    }


if __name__ == "__main__":
    main("python-baseline", apply, answers)
