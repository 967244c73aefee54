//! Weighted progress of plans and recommendations from their actions.
//!
//! An action's own progress is 1 once completion is claimed; before that it
//! is the share of its milestones achieved (waived milestones leave the
//! count), or 0 with no milestones. Cancelled actions are left out. A plan's
//! or recommendation's progress is the mean of its actions' progress,
//! weighted by each action's weight (1 when not given).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::tracker::Tracker;
use crate::model::action::{Action, ActionState};
use crate::model::milestone::MilestoneState;
use crate::model::subject::EntityKind;

use super::{state_at, StateCounts};

/// Progress of one plan or recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// Plan or recommendation.
    pub kind: EntityKind,
    /// Identifier.
    pub id: String,
    /// Title.
    pub title: String,
    /// Actions counted (cancelled ones left out).
    pub actions: usize,
    /// Weighted progress, 0–100 (`None` without actions).
    pub weighted_pct: Option<f64>,
    /// Actions per state (cancelled included).
    pub states: BTreeMap<String, usize>,
}

/// The progress of one action, 0–1 (`None` when cancelled).
pub(crate) fn action_progress(t: &Tracker, a: &Action) -> Option<f64> {
    if a.state == ActionState::Cancelled {
        return None;
    }
    if a.state.is_done() {
        return Some(1.0);
    }
    let (mut counted, mut achieved) = (0usize, 0usize);
    for m in t.milestones_of(a) {
        match m.state {
            MilestoneState::Waived => {}
            MilestoneState::Achieved => {
                counted += 1;
                achieved += 1;
            }
            _ => counted += 1,
        }
    }
    Some(if counted == 0 {
        0.0
    } else {
        achieved as f64 / counted as f64
    })
}

/// Running totals for one plan or recommendation.
#[derive(Default)]
struct Totals {
    states: StateCounts<ActionState>,
    counted: usize,
    weight: f64,
    done: f64,
}

impl Totals {
    fn add(&mut self, a: &Action, progress: Option<f64>) {
        self.states.add(a.state);
        if let Some(p) = progress {
            let weight = a.weight.unwrap_or(1.0);
            self.counted += 1;
            self.weight += weight;
            self.done += weight * p;
        }
    }

    fn row(&self, kind: EntityKind, id: &str, title: String) -> Progress {
        Progress {
            kind,
            id: id.to_string(),
            title,
            actions: self.counted,
            weighted_pct: (self.weight > 0.0).then(|| 100.0 * self.done / self.weight),
            states: self.states.named(),
        }
    }
}

/// Progress of every plan, then every recommendation, at the end of `as_of`.
pub fn progress(tracker: &Tracker, as_of: NaiveDate) -> Vec<Progress> {
    let t = state_at(tracker, as_of);
    let t: &Tracker = &t;
    let mut plans: Vec<Totals> = t.plans().map(|_| Totals::default()).collect();
    let mut recommendations: Vec<Totals> = t.recommendations().map(|_| Totals::default()).collect();
    // One pass over the actions in creation order (the order plans and the
    // recommendation index list them), so each action's milestones are
    // looked up once and plans and recommendations come from their small tables.
    for a in t.actions() {
        let p = action_progress(t, a);
        if let Some(i) = t.plans.get_index_of(&a.plan) {
            plans[i].add(a, p);
        }
        for (k, r) in a.answers.iter().enumerate() {
            // An action listing a recommendation twice answers it once.
            if a.answers[..k].contains(r) {
                continue;
            }
            if let Some(i) = t.recommendations.get_index_of(r) {
                recommendations[i].add(a, p);
            }
        }
    }
    let mut out: Vec<Progress> = t
        .plans()
        .zip(&plans)
        .map(|(p, x)| x.row(EntityKind::Plan, &p.id, p.title.to_string()))
        .collect();
    out.extend(
        t.recommendations()
            .zip(&recommendations)
            .map(|(r, x)| x.row(EntityKind::Recommendation, &r.id, r.title.to_string())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::{d, given};
    use super::*;
    use crate::commands::WaiveMilestone;

    #[test]
    fn weighted_mean_by_hand() {
        let mut f = given();
        f.recommendation("R1");
        // A (weight 3) done: 1. B (weight 1) 1 of 2 milestones achieved, one waived
        // leaves the count: 1/2. C (weight 1) nothing: 0. D cancelled: left out.
        f.action_with("A", &["R1"], d("2024-12-31"), |a| a.weight = Some(3.0));
        f.action("B", &["R1"], d("2024-12-31"));
        f.action("C", &[], d("2024-12-31"));
        f.action("D", &["R1"], d("2024-12-31"));
        f.milestone("B/M1", "B", d("2024-06-30"));
        f.milestone("B/M2", "B", d("2024-07-30"));
        f.milestone("B/M3", "B", d("2024-08-30"));
        f.start("A");
        f.complete("A");
        f.achieve("B/M1");
        f.record(WaiveMilestone::new("B/M3").into());
        f.cancel("D");
        let all = progress(f.tracker(), d("2024-06-01"));
        let plan = all.iter().find(|p| p.id == "P").unwrap();
        // (3*1 + 1*0.5 + 1*0) / 5 = 0.7
        assert_eq!(plan.actions, 3);
        assert!((plan.weighted_pct.unwrap() - 70.0).abs() < 1e-9);
        assert_eq!(plan.states.get("cancelled"), Some(&1));
        let rec = all.iter().find(|p| p.id == "R1").unwrap();
        // A and B answer R1: (3 + 0.5) / 4 = 0.875
        assert!((rec.weighted_pct.unwrap() - 87.5).abs() < 1e-9);
    }
}
