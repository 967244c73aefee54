//! A compliance summary: counts per state and per plan, as of a date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::machine::State;
use crate::milestone::MilestoneState;
use crate::tracker::Tracker;

/// Progress of one plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanLine {
    /// Plan identifier.
    pub plan: String,
    /// Plan title.
    pub title: String,
    /// Owning body.
    pub owner: String,
    /// Number of actions.
    pub actions: usize,
    /// Actions completed, verified or signed off.
    pub done: usize,
    /// Actions verified or signed off.
    pub verified: usize,
    /// Open actions past their due date.
    pub overdue: usize,
    /// Weighted share of actions done (cancelled actions are left out), 0–100.
    pub percent_done: f64,
}

/// Counts across the whole tracker as of a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The date the summary describes.
    pub as_of: NaiveDate,
    /// Number of reviews.
    pub reviews: usize,
    /// Number of recommendations.
    pub recommendations: usize,
    /// Responses per decision state.
    pub responses: BTreeMap<String, usize>,
    /// Responses per implementation state.
    pub implementation: BTreeMap<String, usize>,
    /// Actions per state.
    pub actions: BTreeMap<String, usize>,
    /// Open actions past their current due date.
    pub overdue_actions: usize,
    /// Pending milestones past their current due date, and missed ones.
    pub overdue_milestones: usize,
    /// Recommendations no action answers.
    pub unanswered_recommendations: usize,
    /// Per plan.
    pub plans: Vec<PlanLine>,
}

/// The summary of the tracker's state as of the end of `as_of`.
pub fn summary(tracker: &Tracker, as_of: NaiveDate) -> Summary {
    let past;
    let t: &Tracker = if tracker
        .last_event_at()
        .is_some_and(|l| l.date_naive() > as_of)
    {
        past = tracker.as_of(as_of);
        &past
    } else {
        tracker
    };
    let mut responses = BTreeMap::new();
    let mut implementation = BTreeMap::new();
    for r in t.responses() {
        *responses.entry(r.state.name().to_string()).or_insert(0) += 1;
        *implementation
            .entry(r.implementation.name().to_string())
            .or_insert(0) += 1;
    }
    let mut actions = BTreeMap::new();
    let mut overdue_actions = 0;
    for a in t.actions() {
        *actions.entry(a.state.name().to_string()).or_insert(0) += 1;
        if a.state.is_open() && a.due.current() < as_of {
            overdue_actions += 1;
        }
    }
    let overdue_milestones = t
        .milestones()
        .filter(|m| {
            m.state == MilestoneState::Missed
                || (m.state == MilestoneState::Pending && m.due.current() < as_of)
        })
        .count();
    let unanswered_recommendations = t
        .recommendations()
        .filter(|r| t.actions_answering(&r.id).next().is_none())
        .count();
    let plans = t
        .plans()
        .map(|p| {
            let mut line = PlanLine {
                plan: p.id.clone(),
                title: p.title.to_string(),
                owner: p.owner.clone(),
                actions: 0,
                done: 0,
                verified: 0,
                overdue: 0,
                percent_done: 0.0,
            };
            let (mut weight, mut weight_done) = (0.0, 0.0);
            for a in t.actions_of(&p.id) {
                line.actions += 1;
                let w = a.weight.unwrap_or(1.0);
                if a.state != crate::ActionState::Cancelled {
                    weight += w;
                }
                if a.state.is_done() {
                    line.done += 1;
                    weight_done += w;
                }
                if matches!(
                    a.state,
                    crate::ActionState::Verified | crate::ActionState::SignedOff
                ) {
                    line.verified += 1;
                }
                if a.state.is_open() && a.due.current() < as_of {
                    line.overdue += 1;
                }
            }
            line.percent_done = if weight > 0.0 {
                100.0 * weight_done / weight
            } else {
                0.0
            };
            line
        })
        .collect();
    let reviews = t.reviews().len();
    let recommendations = t.recommendations().len();
    Summary {
        as_of,
        reviews,
        recommendations,
        responses,
        implementation,
        actions,
        overdue_actions,
        overdue_milestones,
        unanswered_recommendations,
        plans,
    }
}
