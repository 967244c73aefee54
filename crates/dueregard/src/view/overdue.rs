//! Overdue items: open actions, milestones, recommendations whose
//! implementation is late, and reply clocks that ran out, with days late.

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::tracker::Tracker;
use crate::model::milestone::MilestoneState;
use crate::model::response::ImplementationState;
use crate::model::subject::EntityKind;

use super::{days_between, state_at};

crate::engine::machine::states! {
    /// What is late.
    pub enum OverdueKind {
        /// An open action past its current due date.
        Action => "action",
        /// A milestone missed, or pending past its current date.
        Milestone => "milestone",
        /// An accepted recommendation not implemented by its due date (per addressee).
        Implementation => "implementation",
        /// A response not given by its reply deadline.
        Reply => "reply",
    }
}

/// One overdue item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverdueItem {
    /// What is late.
    pub kind: OverdueKind,
    /// The entity kind of `id`.
    pub entity: EntityKind,
    /// Identifier of the action, milestone or response.
    pub id: String,
    /// Title.
    pub title: String,
    /// The body that must act.
    pub owner: String,
    /// Its state.
    pub state: String,
    /// The date in force (live reply deadline for a reply).
    pub due: NaiveDate,
    /// Days from the due date to the as-of date (at least 1).
    pub days_late: i64,
}

/// Everything overdue at the end of `as_of`, latest first (most days late),
/// then by identifier. A missed milestone counts from its current date.
pub fn overdue(tracker: &Tracker, as_of: NaiveDate) -> Vec<OverdueItem> {
    let t = state_at(tracker, as_of);
    let t: &Tracker = &t;
    let mut out = Vec::new();
    for a in t.actions() {
        let due = a.due.current();
        if a.state.is_open() && due < as_of {
            out.push(OverdueItem {
                kind: OverdueKind::Action,
                entity: EntityKind::Action,
                id: a.id.clone(),
                title: a.title.to_string(),
                owner: a.owner.clone(),
                state: a.state.to_string(),
                due,
                days_late: days_between(due, as_of),
            });
        }
    }
    for m in t.milestones() {
        let due = m.due.current();
        let late = match m.state {
            MilestoneState::Missed => true,
            MilestoneState::Pending => due < as_of,
            _ => false,
        };
        if late && due < as_of {
            let owner = t
                .action(&m.action)
                .map(|a| a.owner.clone())
                .unwrap_or_default();
            out.push(OverdueItem {
                kind: OverdueKind::Milestone,
                entity: EntityKind::Milestone,
                id: m.id.clone(),
                title: m.title.to_string(),
                owner,
                state: m.state.to_string(),
                due,
                days_late: days_between(due, as_of),
            });
        }
    }
    for r in t.responses() {
        if let Some(left) = r.clock.as_ref().and_then(|c| c.days_left(as_of)) {
            if left < 0 {
                out.push(OverdueItem {
                    kind: OverdueKind::Reply,
                    entity: EntityKind::Response,
                    id: r.id.clone(),
                    title: title_of(t, &r.recommendation),
                    owner: r.addressee.clone(),
                    state: r.state.to_string(),
                    due: r
                        .clock
                        .as_ref()
                        .map(|c| c.live_deadline(as_of))
                        .unwrap_or(as_of),
                    days_late: -left,
                });
            }
        }
        let Ok(rec) = t.recommendation(&r.recommendation) else {
            continue;
        };
        let Some(due) = rec.due.as_ref().map(|d| d.current()) else {
            continue;
        };
        let unfinished = matches!(
            r.implementation,
            ImplementationState::NotStarted | ImplementationState::InProgress
        );
        if r.state.is_accepting() && unfinished && due < as_of {
            out.push(OverdueItem {
                kind: OverdueKind::Implementation,
                entity: EntityKind::Response,
                id: r.id.clone(),
                title: rec.title.to_string(),
                owner: r.addressee.clone(),
                state: r.implementation.to_string(),
                due,
                days_late: days_between(due, as_of),
            });
        }
    }
    out.sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.id.cmp(&b.id)));
    out
}

fn title_of(t: &Tracker, rec: &str) -> String {
    t.recommendation(rec)
        .map(|r| r.title.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::{d, given};
    use super::*;

    #[test]
    fn every_kind_with_days_late_by_hand() {
        let mut f = given();
        f.recommendation_with("R-clock", |r| r.reply_within_days = Some(56)); // deadline 2024-03-06
        f.recommendation_with("R-due", |r| r.due = Some(d("2024-04-01")));
        f.accept("R-due");
        f.action("A-late", &["R-due"], d("2024-04-20"));
        f.action("A-ok", &["R-due"], d("2024-06-30"));
        f.action("A-done", &[], d("2024-04-01"));
        f.milestone("A-ok/M1", "A-ok", d("2024-04-10"));
        f.milestone("A-ok/M2", "A-ok", d("2024-04-30"));
        f.on(d("2024-04-02"));
        f.start("A-done");
        f.complete("A-done");
        f.miss("A-ok/M1");
        let t = f.into_tracker();
        let items = overdue(&t, d("2024-05-01"));
        let got: Vec<(OverdueKind, &str, i64)> = items
            .iter()
            .map(|i| (i.kind, i.id.as_str(), i.days_late))
            .collect();
        // Reply: 2024-03-06 -> 2024-05-01 = 56 days. Implementation of R-due:
        // 2024-04-01 -> 30 days. M1 missed, due 2024-04-10 -> 21 days.
        // A-late 2024-04-20 -> 11 days. M2 pending, due 2024-04-30 -> 1 day.
        // A-done completed on time: not overdue. A-ok due in June: not overdue.
        assert_eq!(
            got,
            vec![
                (OverdueKind::Reply, "R-clock@b", 56),
                (OverdueKind::Implementation, "R-due@b", 30),
                (OverdueKind::Milestone, "A-ok/M1", 21),
                (OverdueKind::Action, "A-late", 11),
                (OverdueKind::Milestone, "A-ok/M2", 1),
            ]
        );
        assert!(items.iter().all(|i| i.owner == "b"));
    }

    #[test]
    fn as_of_an_earlier_date_replays_first() {
        let mut f = given();
        f.action("A", &[], d("2024-02-01"));
        f.on(d("2024-03-01"));
        f.start("A");
        f.complete("A");
        let t = f.into_tracker();
        // On 2024-02-15 the action was still open and 14 days late.
        let then = overdue(&t, d("2024-02-15"));
        assert_eq!(then.len(), 1);
        assert_eq!(then[0].days_late, 14);
        assert_eq!(then[0].state, "planned");
        // By 2024-03-02 it was completed.
        assert!(overdue(&t, d("2024-03-02")).is_empty());
        // The due day itself is not late.
        assert!(overdue(&t, d("2024-02-01")).is_empty());
    }
}
