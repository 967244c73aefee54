//! The chase list: what each owner must deliver or report in the next days,
//! and which reply clocks expire: what a host system needs to send reminders.

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::tracker::Tracker;
use crate::model::milestone::MilestoneState;
use crate::model::response::ResponseState;
use crate::model::scrutiny::ScrutinyOutcome;
use crate::model::subject::EntityKind;

use super::{days_between, state_at};

crate::engine::machine::states! {
    /// What is expected.
    pub enum ChaseKind {
        /// Deliver an open action.
        Deliver => "deliver",
        /// Reach a pending milestone.
        Milestone => "milestone",
        /// Reply to a recommendation before the clock runs out.
        Reply => "reply",
        /// Bring a further report a committee asked for.
        Report => "report",
    }
}

/// One thing an owner must do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChaseItem {
    /// The body that must act.
    pub owner: String,
    /// What is expected.
    pub kind: ChaseKind,
    /// Kind of item.
    pub entity: EntityKind,
    /// Identifier.
    pub id: String,
    /// Title.
    pub title: String,
    /// The date it is due.
    pub due: NaiveDate,
    /// Days left (negative when already late).
    pub days_left: i64,
}

/// Everything due within `days` days after `as_of` (inclusive), and
/// everything already late, grouped by owner and then by date.
pub fn chase(tracker: &Tracker, as_of: NaiveDate, days: i64) -> Vec<ChaseItem> {
    let t = state_at(tracker, as_of);
    let t: &Tracker = &t;
    let mut out = Vec::new();
    let mut push = |owner: &str, kind, entity, id: &str, title: String, due: NaiveDate| {
        let left = -days_between(due, as_of);
        if left <= days {
            out.push(ChaseItem {
                owner: owner.to_string(),
                kind,
                entity,
                id: id.to_string(),
                title,
                due,
                days_left: left,
            });
        }
    };
    for a in t.actions().filter(|a| a.state.is_open()) {
        push(
            &a.owner,
            ChaseKind::Deliver,
            EntityKind::Action,
            &a.id,
            a.title.to_string(),
            a.due.current(),
        );
    }
    for m in t
        .milestones()
        .filter(|m| matches!(m.state, MilestoneState::Pending | MilestoneState::Missed))
    {
        let owner = t
            .action(&m.action)
            .map(|a| a.owner.clone())
            .unwrap_or_default();
        push(
            &owner,
            ChaseKind::Milestone,
            EntityKind::Milestone,
            &m.id,
            m.title.to_string(),
            m.due.current(),
        );
    }
    for r in t.responses().filter(|r| r.state == ResponseState::Awaiting) {
        if let Some(c) = r.clock.as_ref().filter(|c| c.answered.is_none()) {
            let title = t
                .recommendation(&r.recommendation)
                .map(|x| x.title.to_string())
                .unwrap_or_default();
            push(
                &r.addressee,
                ChaseKind::Reply,
                EntityKind::Response,
                &r.id,
                title,
                c.live_deadline(as_of),
            );
        }
    }
    for dec in t.decisions() {
        let (ScrutinyOutcome::FurtherReportRequested, Some(due)) = (dec.outcome, dec.report_due)
        else {
            continue;
        };
        if due < as_of {
            continue; // the meeting has passed; a later decision records what happened
        }
        let owner = t
            .owner_of(&dec.about)
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_string();
        push(
            &owner,
            ChaseKind::Report,
            EntityKind::Decision,
            &dec.id,
            format!("further report on {}", dec.about),
            due,
        );
    }
    out.sort_by(|a, b| {
        a.owner
            .cmp(&b.owner)
            .then(a.due.cmp(&b.due))
            .then(a.id.cmp(&b.id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::super::{d, given};
    use super::*;
    use crate::commands::RecordDecision;

    #[test]
    fn window_and_late_items_by_hand() {
        let mut f = given();
        f.recommendation_with("R-clock", |r| r.reply_within_days = Some(56)); // deadline 2024-03-06
        f.action("A-late", &[], d("2024-02-20"));
        f.action("A-soon", &[], d("2024-03-10"));
        f.action("A-far", &[], d("2024-06-30"));
        f.milestone("A-far/M1", "A-far", d("2024-03-15"));
        f.action("A-done", &[], d("2024-03-05"));
        f.on(d("2024-02-25"));
        f.start("A-done");
        f.complete("A-done");
        let further_report = RecordDecision {
            report_due: Some(d("2024-03-20")),
            ..RecordDecision::new(
                "D1",
                "c",
                d("2024-02-25"),
                crate::Subject::action("A-far"),
                ScrutinyOutcome::FurtherReportRequested,
            )
        };
        f.record(further_report.into());
        let t = f.into_tracker();
        // As of 2024-03-01 with 14 days: up to 2024-03-15.
        let items = chase(&t, d("2024-03-01"), 14);
        let got: Vec<(&str, ChaseKind, i64)> = items
            .iter()
            .map(|i| (i.id.as_str(), i.kind, i.days_left))
            .collect();
        assert_eq!(
            got,
            vec![
                ("A-late", ChaseKind::Deliver, -10),
                ("R-clock@b", ChaseKind::Reply, 5),
                ("A-soon", ChaseKind::Deliver, 9),
                ("A-far/M1", ChaseKind::Milestone, 14),
            ]
        );
        // With 20 days the committee's further report (2024-03-20, 19 days) joins.
        let wider = chase(&t, d("2024-03-01"), 20);
        assert!(wider
            .iter()
            .any(|i| i.id == "D1" && i.days_left == 19 && i.owner == "b"));
    }
}
