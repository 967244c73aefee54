//! Comparison across bodies answering the same review: who covers which
//! recommendation, who is behind.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::tracker::Tracker;
use crate::error::Result;

use super::rag::RagPolicy;
use super::state_at;

/// One body's work on one recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareCell {
    /// The body.
    pub body: String,
    /// Its actions answering the recommendation (cancelled left out).
    pub actions: usize,
    /// Of which completion is claimed.
    pub done: usize,
    /// Of which open and past their due date.
    pub overdue: usize,
}

/// One recommendation across bodies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareRow {
    /// The recommendation.
    pub recommendation: String,
    /// Its number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// One cell per body, in the order of [`Comparison::bodies`].
    pub cells: Vec<CompareCell>,
}

/// One body's totals over the review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyTotal {
    /// The body.
    pub body: String,
    /// Recommendations it has at least one action for.
    pub covered: usize,
    /// Actions answering the review.
    pub actions: usize,
    /// Of which done.
    pub done: usize,
    /// Of which overdue.
    pub overdue: usize,
    /// Share done, 0–100.
    pub percent_done: Option<f64>,
    /// The computed rating of its actions answering the review.
    pub rag: Option<crate::Rag>,
    /// True when it has overdue actions or its share done is below the mean of the bodies.
    pub behind: bool,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The review.
    pub review: String,
    /// Bodies with actions answering it, in order of first appearance.
    pub bodies: Vec<String>,
    /// One row per recommendation.
    pub rows: Vec<CompareRow>,
    /// One total per body.
    pub totals: Vec<BodyTotal>,
}

/// Compares the bodies whose actions answer `review`'s recommendations.
///
/// # Errors
/// [`crate::Error::UnknownId`] when the review does not exist.
pub fn compare(
    tracker: &Tracker,
    review: &str,
    as_of: NaiveDate,
    policy: &RagPolicy,
) -> Result<Comparison> {
    tracker.review(review)?;
    let t = state_at(tracker, as_of);
    let t: &Tracker = &t;
    let recs: Vec<_> = t
        .review(review)
        .map(|r| r.recommendations.clone())
        .unwrap_or_default();
    let mut bodies: Vec<String> = Vec::new();
    for id in &recs {
        for a in t.actions_answering(id) {
            if !bodies.contains(&a.owner) {
                bodies.push(a.owner.clone());
            }
        }
    }
    let mut rows = Vec::new();
    for id in &recs {
        let Ok(rec) = t.recommendation(id) else {
            continue;
        };
        let cells = bodies
            .iter()
            .map(|b| {
                let mine: Vec<_> = t
                    .actions_answering(id)
                    .filter(|a| &a.owner == b && a.state != crate::ActionState::Cancelled)
                    .collect();
                CompareCell {
                    body: b.clone(),
                    actions: mine.len(),
                    done: mine.iter().filter(|a| a.state.is_done()).count(),
                    overdue: mine
                        .iter()
                        .filter(|a| a.state.is_open() && a.due.current() < as_of)
                        .count(),
                }
            })
            .collect();
        rows.push(CompareRow {
            recommendation: id.clone(),
            number: rec.number.clone(),
            title: rec.title.to_string(),
            cells,
        });
    }
    let mut totals: Vec<BodyTotal> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let cells = rows.iter().map(|r| &r.cells[i]);
            let (mut covered, mut actions, mut done, mut overdue) = (0, 0, 0, 0);
            for c in cells {
                covered += usize::from(c.actions > 0);
                actions += c.actions;
                done += c.done;
                overdue += c.overdue;
            }
            let answering: BTreeSet<&str> = recs.iter().map(String::as_str).collect();
            let rags: Vec<crate::Rag> = t
                .actions()
                .filter(|a| {
                    &a.owner == b && a.answers.iter().any(|r| answering.contains(r.as_str()))
                })
                .filter_map(|a| policy.rate_action(t, a, as_of).map(|r| r.rag))
                .collect();
            BodyTotal {
                body: b.clone(),
                covered,
                actions,
                done,
                overdue,
                percent_done: (actions > 0).then(|| 100.0 * done as f64 / actions as f64),
                rag: policy.aggregate(&rags).map(|r| r.rag),
                behind: false,
            }
        })
        .collect();
    let shares: Vec<f64> = totals.iter().filter_map(|t| t.percent_done).collect();
    let mean = if shares.is_empty() {
        0.0
    } else {
        shares.iter().sum::<f64>() / shares.len() as f64
    };
    for t in &mut totals {
        t.behind = t.overdue > 0 || t.percent_done.unwrap_or(0.0) + 1e-9 < mean;
    }
    Ok(Comparison {
        review: review.to_string(),
        bodies,
        rows,
        totals,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{d, given};
    use super::*;

    #[test]
    fn who_covers_what_by_hand() {
        let mut f = given();
        f.body("x", crate::BodyKind::Council);
        f.plan("PX", "x");
        f.recommendation("R1");
        f.recommendation("R2");
        // b: two actions on R1 (one done), none on R2. x: one on each, one late.
        f.action("B1", &["R1"], d("2024-12-31"));
        f.action("B2", &["R1"], d("2024-12-31"));
        f.action_with("X1", &["R1"], d("2024-12-31"), |a| a.plan = "PX".into());
        f.action_with("X2", &["R2"], d("2024-03-01"), |a| a.plan = "PX".into());
        f.start("B1");
        f.complete("B1");
        let c = compare(f.tracker(), "REV", d("2024-06-01"), &RagPolicy::default()).unwrap();
        assert_eq!(c.bodies, vec!["b".to_string(), "x".to_string()]);
        assert_eq!(c.rows.len(), 2);
        assert_eq!(
            (c.rows[0].cells[0].actions, c.rows[0].cells[0].done),
            (2, 1)
        );
        assert_eq!(c.rows[1].cells[0].actions, 0);
        assert_eq!(c.rows[1].cells[1].overdue, 1);
        let (b, x) = (&c.totals[0], &c.totals[1]);
        assert_eq!((b.covered, b.actions, b.done, b.overdue), (1, 2, 1, 0));
        assert_eq!((x.covered, x.actions, x.done, x.overdue), (2, 2, 0, 1));
        // b 50 % done, x 0 %: mean 25 %; x is behind (late and below the mean).
        assert_eq!(b.percent_done, Some(50.0));
        assert!(!b.behind);
        assert!(x.behind);
        assert!(compare(f.tracker(), "nope", d("2024-06-01"), &RagPolicy::default()).is_err());
    }
}
