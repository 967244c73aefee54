//! A compliance summary: counts per state and per plan, as of a date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::action::ActionState;
use crate::model::milestone::MilestoneState;
use crate::model::response::{ImplementationState, ResponseState};

use super::StateCounts;
use crate::engine::tracker::Tracker;

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
    let mut responses = StateCounts::<ResponseState>::default();
    let mut implementation = StateCounts::<ImplementationState>::default();
    for r in t.responses() {
        responses.add(r.state);
        implementation.add(r.implementation);
    }
    let mut plans: Vec<PlanLine> = t
        .plans()
        .map(|p| PlanLine {
            plan: p.id.clone(),
            title: p.title.to_string(),
            owner: p.owner.clone(),
            actions: 0,
            done: 0,
            verified: 0,
            overdue: 0,
            percent_done: 0.0,
        })
        .collect();
    // Weight of the plan's non-cancelled actions, and of those done.
    let mut weights = vec![(0.0, 0.0); plans.len()];
    let mut actions = StateCounts::<ActionState>::default();
    let mut overdue_actions = 0;
    // One pass over the actions (in creation order, as each plan lists
    // them), finding each one's plan in the much smaller plans table.
    for a in t.actions() {
        actions.add(a.state);
        let overdue = a.state.is_open() && a.due.current() < as_of;
        overdue_actions += usize::from(overdue);
        let Some(i) = t.plans.get_index_of(&a.plan) else {
            continue;
        };
        let (line, (weight, weight_done)) = (&mut plans[i], &mut weights[i]);
        line.actions += 1;
        let w = a.weight.unwrap_or(1.0);
        if a.state != ActionState::Cancelled {
            *weight += w;
        }
        if a.state.is_done() {
            line.done += 1;
            *weight_done += w;
        }
        if matches!(a.state, ActionState::Verified | ActionState::SignedOff) {
            line.verified += 1;
        }
        line.overdue += usize::from(overdue);
    }
    for (line, (weight, weight_done)) in plans.iter_mut().zip(weights) {
        line.percent_done = if weight > 0.0 {
            100.0 * weight_done / weight
        } else {
            0.0
        };
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
    let (responses, implementation, actions) =
        (responses.named(), implementation.named(), actions.named());
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
