//! Coverage: which actions answer each recommendation, per addressee, and
//! the gaps a committee asks about.

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::tracker::Tracker;
use crate::model::response::{ImplementationState, ResponseState};

use super::state_at;

/// One recommendation and one addressee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRow {
    /// The recommendation.
    pub recommendation: String,
    /// Its number as printed.
    pub number: String,
    /// Its title.
    pub title: String,
    /// The addressee.
    pub addressee: String,
    /// The response decision.
    pub response: String,
    /// The implementation state.
    pub implementation: String,
    /// Actions of the addressee answering it.
    pub actions: Vec<String>,
    /// Actions of other bodies answering it.
    pub other_actions: Vec<String>,
}

/// Coverage of every recommendation, with the gaps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// The date described.
    pub as_of: NaiveDate,
    /// One row per recommendation and addressee.
    pub rows: Vec<CoverageRow>,
    /// Recommendations no action answers, leaving out those whose every
    /// response is rejected, superseded or withdrawn.
    pub without_action: Vec<String>,
    /// Responses that accept (fully, in principle or in part) with no action
    /// of the addressee answering them, unless already implemented.
    pub accepted_without_plan: Vec<String>,
    /// Actions that answer no recommendation.
    pub actions_answering_nothing: Vec<String>,
}

fn closed(state: ResponseState, implementation: ImplementationState) -> bool {
    state == ResponseState::Rejected
        || matches!(
            implementation,
            ImplementationState::Superseded | ImplementationState::Withdrawn
        )
}

/// Coverage at the end of `as_of`.
pub fn coverage(tracker: &Tracker, as_of: NaiveDate) -> Coverage {
    let t = state_at(tracker, as_of);
    let t: &Tracker = &t;
    let mut rows = Vec::new();
    let mut without_action = Vec::new();
    let mut accepted_without_plan = Vec::new();
    for rec in t.recommendations() {
        let answering: Vec<_> = t.actions_answering(&rec.id).collect();
        let mut open = false;
        for r in t.responses_to(&rec.id) {
            open |= !closed(r.state, r.implementation);
            let (own, other): (Vec<&&crate::Action>, Vec<&&crate::Action>) = answering
                .iter()
                .partition(|a| t.is_within(&a.owner, &r.addressee));
            if r.state.is_accepting()
                && own.is_empty()
                && matches!(
                    r.implementation,
                    ImplementationState::NotStarted | ImplementationState::InProgress
                )
            {
                accepted_without_plan.push(r.id.clone());
            }
            rows.push(CoverageRow {
                recommendation: rec.id.clone(),
                number: rec.number.clone(),
                title: rec.title.to_string(),
                addressee: r.addressee.clone(),
                response: r.state.to_string(),
                implementation: r.implementation.to_string(),
                actions: own.iter().map(|a| a.id.clone()).collect(),
                other_actions: other.iter().map(|a| a.id.clone()).collect(),
            });
        }
        if answering.is_empty() && open {
            without_action.push(rec.id.clone());
        }
    }
    let actions_answering_nothing = t
        .actions()
        .filter(|a| a.answers.is_empty())
        .map(|a| a.id.clone())
        .collect();
    Coverage {
        as_of,
        rows,
        without_action,
        accepted_without_plan,
        actions_answering_nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{d, given};
    use super::*;

    #[test]
    fn gaps_by_hand() {
        let mut f = given();
        f.body("x", crate::BodyKind::Council);
        f.plan("PX", "x");
        f.recommendation_to("R1", &["b", "x"]); // b acts; x accepted, no action
        f.recommendation_to("R2", &["b"]); // no action, awaiting
        f.recommendation_to("R3", &["b"]); // no action, rejected
        f.accept("R1");
        f.respond("R1@x", crate::Answer::Accept);
        f.reject("R3");
        f.action("A1", &["R1"], d("2024-12-31"));
        f.action("A2", &[], d("2024-12-31"));
        f.action_with("X1", &[], d("2024-12-31"), |a| a.plan = "PX".into());
        let c = coverage(f.tracker(), d("2024-06-01"));
        assert_eq!(c.rows.len(), 4);
        let r1b = &c.rows[0];
        assert_eq!(
            (r1b.addressee.as_str(), r1b.actions.clone()),
            ("b", vec!["A1".to_string()])
        );
        let r1x = &c.rows[1];
        assert_eq!(r1x.addressee, "x");
        assert!(r1x.actions.is_empty());
        assert_eq!(r1x.other_actions, vec!["A1".to_string()]);
        // R3 is rejected by its only addressee, so it is not a gap.
        assert_eq!(c.without_action, vec!["R2".to_string()]);
        assert_eq!(c.accepted_without_plan, vec!["R1@x".to_string()]);
        assert_eq!(
            c.actions_answering_nothing,
            vec!["A2".to_string(), "X1".to_string()]
        );
    }
}
