//! Undoing recorded commands, so a batch can be all or nothing without a
//! copy of the whole tracker: before each command the entities it names are
//! saved (with the lengths of every list), and a failed batch puts them back
//! in reverse order.
//!
//! Folding an event changes only what its command names (its subject, the
//! entities it points at, the trail of their root) and appends entities,
//! notes, events and trail positions; `tests` checks this for every event of
//! the example and the property tests for random batches.

use crate::engine::command::Command;
use crate::engine::log::LogMark;
use crate::engine::tracker::{Map, Tracker};
use crate::engine::trail::TrailMark;
use crate::model::subject::EntityKind;

/// One saved entity: its kind, position and former value.
#[derive(Debug)]
enum Saved {
    Body(usize, crate::model::party::Body),
    Actor(usize, crate::model::party::Actor),
    Review(usize, crate::model::review::Review),
    Recommendation(usize, crate::model::review::Recommendation),
    Response(usize, crate::model::response::Response),
    Plan(usize, crate::model::action_plan::ActionPlan),
    Action(usize, crate::model::action::Action),
    Milestone(usize, crate::model::milestone::Milestone),
    Indicator(usize, crate::model::indicator::Indicator),
    Evidence(usize, crate::model::scrutiny::Evidence),
    Decision(usize, crate::model::scrutiny::ScrutinyDecision),
}

/// What is needed to put the tracker back as it was before one command.
#[derive(Debug)]
pub(crate) struct Undo {
    lengths: [usize; 11],
    answered_len: usize,
    answered: Vec<(usize, Vec<usize>)>,
    notes: usize,
    events: LogMark,
    trail: TrailMark,
    saved: Vec<Saved>,
}

fn save<T: Clone>(map: &Map<T>, id: &str, wrap: fn(usize, T) -> Saved, out: &mut Vec<Saved>) {
    if let Some((i, _, v)) = map.get_full(id) {
        out.push(wrap(i, v.clone()));
    }
}

fn put_back<T>(map: &mut Map<T>, i: usize, v: T) {
    if let Some((_, slot)) = map.get_index_mut(i) {
        *slot = v;
    }
}

impl Tracker {
    fn lengths(&self) -> [usize; 11] {
        [
            self.bodies.len(),
            self.actors.len(),
            self.reviews.len(),
            self.recommendations.len(),
            self.responses.len(),
            self.plans.len(),
            self.actions.len(),
            self.milestones.len(),
            self.indicators.len(),
            self.evidence.len(),
            self.decisions.len(),
        ]
    }

    /// Saves what executing `command` may change.
    pub(crate) fn undo_point(&self, command: &Command) -> Undo {
        let mut saved = Vec::new();
        let mut answered = Vec::new();
        let named = command.references();
        for &(kind, id) in &named {
            let out = &mut saved;
            match kind {
                EntityKind::Body => save(&self.bodies, id, Saved::Body, out),
                EntityKind::Actor => save(&self.actors, id, Saved::Actor, out),
                EntityKind::Review => save(&self.reviews, id, Saved::Review, out),
                EntityKind::Recommendation => {
                    save(&self.recommendations, id, Saved::Recommendation, out);
                    if let Some((i, _, v)) = self.answered_by.get_full(id) {
                        answered.push((i, v.clone()));
                    }
                }
                EntityKind::Response => save(&self.responses, id, Saved::Response, out),
                EntityKind::Plan => save(&self.plans, id, Saved::Plan, out),
                EntityKind::Action => save(&self.actions, id, Saved::Action, out),
                EntityKind::Milestone => save(&self.milestones, id, Saved::Milestone, out),
                EntityKind::Indicator => save(&self.indicators, id, Saved::Indicator, out),
                EntityKind::Evidence => save(&self.evidence, id, Saved::Evidence, out),
                EntityKind::Decision => save(&self.decisions, id, Saved::Decision, out),
            }
        }
        Undo {
            lengths: self.lengths(),
            answered_len: self.answered_by.len(),
            answered,
            notes: self.notes.len(),
            events: self.events.mark(),
            trail: self.trail_mark(named.iter().copied()),
            saved,
        }
    }

    /// Puts the tracker back as it was when `undo` was taken. Undo points
    /// taken later must be undone first.
    pub(crate) fn undo(&mut self, undo: Undo) {
        let [bo, ac, rv, rc, rs, pl, an, ms, ic, ev, dc] = undo.lengths;
        self.bodies.truncate(bo);
        self.actors.truncate(ac);
        self.reviews.truncate(rv);
        self.recommendations.truncate(rc);
        self.responses.truncate(rs);
        self.plans.truncate(pl);
        self.actions.truncate(an);
        self.milestones.truncate(ms);
        self.indicators.truncate(ic);
        self.evidence.truncate(ev);
        self.decisions.truncate(dc);
        for s in undo.saved {
            match s {
                Saved::Body(i, v) => put_back(&mut self.bodies, i, v),
                Saved::Actor(i, v) => put_back(&mut self.actors, i, v),
                Saved::Review(i, v) => put_back(&mut self.reviews, i, v),
                Saved::Recommendation(i, v) => put_back(&mut self.recommendations, i, v),
                Saved::Response(i, v) => put_back(&mut self.responses, i, v),
                Saved::Plan(i, v) => put_back(&mut self.plans, i, v),
                Saved::Action(i, v) => put_back(&mut self.actions, i, v),
                Saved::Milestone(i, v) => put_back(&mut self.milestones, i, v),
                Saved::Indicator(i, v) => put_back(&mut self.indicators, i, v),
                Saved::Evidence(i, v) => put_back(&mut self.evidence, i, v),
                Saved::Decision(i, v) => put_back(&mut self.decisions, i, v),
            }
        }
        self.answered_by.truncate(undo.answered_len);
        for (i, v) in undo.answered {
            put_back(&mut self.answered_by, i, v);
        }
        self.notes.truncate(undo.notes);
        self.events.truncate(undo.events);
        self.restore_trail(undo.trail);
    }
}

#[cfg(test)]
mod tests {
    use crate::example;
    use crate::Tracker;

    /// Folding any event of the example and undoing it gives back the state
    /// before it: every command changes only what it names.
    #[test]
    fn every_example_event_can_be_undone() {
        let full = example::tracker();
        let mut t = Tracker::with_policy(full.policy().clone());
        for e in full.events() {
            let before = t.clone();
            let undo = t.undo_point(&e.command);
            t.apply_recorded(e.clone()).unwrap();
            let mut undone = t.clone();
            undone.undo(undo);
            assert_eq!(undone, before, "undoing event {} ({})", e.seq, e.name());
        }
        assert_eq!(t, full);
    }
}
