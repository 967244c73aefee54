//! Slippage: original against current target dates, revisions and days
//! moved, with serial extensions flagged.

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::tracker::Tracker;
use crate::model::schedule::TargetDate;
use crate::model::subject::EntityKind;

use super::state_at;

/// One item whose target date moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlipRow {
    /// Kind of item (action, milestone, recommendation, response reply deadline).
    pub kind: EntityKind,
    /// Identifier.
    pub id: String,
    /// Title.
    pub title: String,
    /// The body responsible.
    pub owner: String,
    /// The date first set.
    pub original: NaiveDate,
    /// The date in force.
    pub current: NaiveDate,
    /// Number of revisions.
    pub revisions: usize,
    /// Days between original and current (positive when later).
    pub days_moved: i64,
    /// True when revised at least `serial_after` times.
    pub serial: bool,
    /// The reason of each revision, oldest first.
    pub reasons: Vec<String>,
}

fn row(
    kind: EntityKind,
    id: &str,
    title: String,
    owner: &str,
    due: &TargetDate,
    serial_after: usize,
) -> Option<SlipRow> {
    if due.revision_count() == 0 {
        return None;
    }
    Some(SlipRow {
        kind,
        id: id.to_string(),
        title,
        owner: owner.to_string(),
        original: due.original,
        current: due.current(),
        revisions: due.revision_count(),
        days_moved: due.days_moved(),
        serial: due.revision_count() >= serial_after,
        reasons: due.revisions.iter().map(|r| r.reason.clone()).collect(),
    })
}

/// Every item whose target date was revised, as of the end of `as_of`, most
/// days moved first. An item revised `serial_after` times or more is flagged
/// as a serial extension (audit committees warn against them; 2 is usual).
pub fn slippage(tracker: &Tracker, as_of: NaiveDate, serial_after: usize) -> Vec<SlipRow> {
    let t = state_at(tracker, as_of);
    let t: &Tracker = &t;
    let serial_after = serial_after.max(1);
    let mut out: Vec<SlipRow> = Vec::new();
    // Most items never slip: look at the dates before building anything.
    for a in t.actions().filter(|a| a.due.revision_count() > 0) {
        out.extend(row(
            EntityKind::Action,
            &a.id,
            a.title.to_string(),
            &a.owner,
            &a.due,
            serial_after,
        ));
    }
    for m in t.milestones().filter(|m| m.due.revision_count() > 0) {
        let owner = t
            .action(&m.action)
            .map(|a| a.owner.clone())
            .unwrap_or_default();
        out.extend(row(
            EntityKind::Milestone,
            &m.id,
            m.title.to_string(),
            &owner,
            &m.due,
            serial_after,
        ));
    }
    for rec in t.recommendations() {
        if let Some(due) = &rec.due {
            out.extend(row(
                EntityKind::Recommendation,
                &rec.id,
                rec.title.to_string(),
                &rec.addressees.join(", "),
                due,
                serial_after,
            ));
        }
    }
    for r in t.responses() {
        if let Some(c) = &r.clock {
            let title = t
                .recommendation(&r.recommendation)
                .map(|x| format!("reply deadline: {}", x.title))
                .unwrap_or_default();
            out.extend(row(
                EntityKind::Response,
                &r.id,
                title,
                &r.addressee,
                &c.deadline,
                serial_after,
            ));
        }
    }
    out.sort_by(|a, b| b.days_moved.cmp(&a.days_moved).then(a.id.cmp(&b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::super::{d, given};
    use super::*;
    use crate::commands::RescheduleMilestone;
    use crate::Subject;

    #[test]
    fn days_moved_and_serial_flag_by_hand() {
        let mut f = given();
        f.action("A", &[], d("2024-06-30"));
        f.action("B", &[], d("2024-06-30"));
        f.action("C", &[], d("2024-06-30"));
        f.milestone("A/M1", "A", d("2024-03-31"));
        f.on(d("2024-02-01"));
        f.revise(Subject::action("A"), d("2024-09-30")); // +92
        f.on(d("2024-05-01"));
        f.revise(Subject::action("A"), d("2024-12-31")); // +92 more: 184 in all
        f.revise(Subject::action("B"), d("2024-07-10")); // +10
        f.record(RescheduleMilestone::new("A/M1", d("2024-04-30")).into()); // +30
        let t = f.into_tracker();
        let rows = slippage(&t, d("2024-06-01"), 2);
        let got: Vec<(&str, usize, i64, bool)> = rows
            .iter()
            .map(|r| (r.id.as_str(), r.revisions, r.days_moved, r.serial))
            .collect();
        assert_eq!(
            got,
            vec![
                ("A", 2, 184, true),
                ("A/M1", 1, 30, false),
                ("B", 1, 10, false)
            ]
        );
        assert_eq!(rows[0].original, d("2024-06-30"));
        assert_eq!(rows[0].current, d("2024-12-31"));
        // Before the second revision A had moved once, by 92 days.
        let before = slippage(&t, d("2024-03-01"), 2);
        assert_eq!(before.len(), 1);
        assert_eq!(
            (before[0].revisions, before[0].days_moved, before[0].serial),
            (1, 92, false)
        );
    }
}
