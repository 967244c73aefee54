//! Change between two dates ("since last quarter"): what moved, what
//! slipped, which evidence, decisions and indicator readings arrived.

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::tracker::Tracker;
use crate::model::subject::EntityKind;

use super::state_at;

/// An item whose state changed between the two dates (or that is new).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    /// Kind of item.
    pub kind: EntityKind,
    /// Identifier.
    pub id: String,
    /// Title.
    pub title: String,
    /// State at the start (`None` when created since).
    pub from: Option<String>,
    /// State at the end.
    pub to: String,
}

/// A target date revised between the two dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slipped {
    /// Kind of item.
    pub kind: EntityKind,
    /// Identifier.
    pub id: String,
    /// The date in force at the start.
    pub was: NaiveDate,
    /// The date in force at the end.
    pub now: NaiveDate,
    /// Days moved (positive when later).
    pub days: i64,
    /// The reason of the latest revision.
    pub reason: String,
}

/// An evidence item submitted between the two dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceArrived {
    /// Evidence identifier.
    pub id: String,
    /// What it supports.
    pub about: String,
    /// Its reference.
    pub reference: String,
    /// Day submitted.
    pub on: NaiveDate,
}

/// A scrutiny decision recorded between the two dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionArrived {
    /// Decision identifier.
    pub id: String,
    /// Committee or panel.
    pub committee: String,
    /// Meeting date.
    pub meeting: NaiveDate,
    /// What was considered.
    pub about: String,
    /// Outcome.
    pub outcome: String,
}

/// An indicator whose latest value changed between the two dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorMove {
    /// Indicator identifier.
    pub id: String,
    /// Title.
    pub title: String,
    /// Unit.
    pub unit: String,
    /// Latest value at the start.
    pub was: f64,
    /// Latest value at the end.
    pub now: f64,
    /// Target value, if any.
    pub target: Option<f64>,
}

/// What changed after the end of `from` up to the end of `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Start (exclusive).
    pub from: NaiveDate,
    /// End (inclusive).
    pub to: NaiveDate,
    /// Events recorded in between.
    pub events: usize,
    /// Actions, milestones and responses whose state changed.
    pub moved: Vec<Moved>,
    /// Target dates revised.
    pub slipped: Vec<Slipped>,
    /// Evidence submitted.
    pub evidence: Vec<EvidenceArrived>,
    /// Decisions recorded.
    pub decisions: Vec<DecisionArrived>,
    /// Indicators with new readings.
    pub indicators: Vec<IndicatorMove>,
}

/// The change between the end of `from` and the end of `to`. When `from` is
/// later than `to` the two are swapped.
///
/// Only the items with events in between are compared: their state at
/// `from` comes from their own events (see [`Tracker::slice_as_of`]), so the
/// cost follows the number of events in the period, not the size of the log.
pub fn change(tracker: &Tracker, from: NaiveDate, to: NaiveDate) -> Change {
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    let after = state_at(tracker, to);
    let a: &Tracker = &after;
    // Position of the first event after `from`.
    let start = a.events().count_through(from);
    let mut roots: Vec<(EntityKind, &str)> = a
        .events()
        .range(start, a.events().len())
        .filter_map(|e| {
            let (kind, id) = e.command.subject_ref();
            a.root_subject(kind, id)
        })
        .collect();
    roots.sort_unstable();
    roots.dedup();
    // Every subject named by a recorded event exists, so this cannot fail;
    // were it to, comparing against an empty state still lists every item.
    let before = a.slice_of(roots, from, false).unwrap_or_default();
    compare(
        a,
        &before,
        from,
        to,
        a.events().len() - start,
        |kind, id| a.touched_since(kind, id, start),
        |kind, id| a.created_at(kind, id).is_some_and(|c| c >= start),
    )
}

/// The change from `b` (the state at `from`) to `a` (at `to`), looking only
/// at items for which `touched` holds.
fn compare(
    a: &Tracker,
    b: &Tracker,
    from: NaiveDate,
    to: NaiveDate,
    events: usize,
    touched: impl Fn(EntityKind, &str) -> bool,
    created_since: impl Fn(EntityKind, &str) -> bool,
) -> Change {
    let mut moved = Vec::new();
    let mut slipped = Vec::new();
    for x in a.actions().filter(|x| touched(EntityKind::Action, &x.id)) {
        let old = b.action(&x.id).ok();
        if old.map(|o| o.state) != Some(x.state) {
            moved.push(Moved {
                kind: EntityKind::Action,
                id: x.id.clone(),
                title: x.title.to_string(),
                from: old.map(|o| o.state.to_string()),
                to: x.state.to_string(),
            });
        }
        if let Some(o) = old {
            if o.due.revision_count() != x.due.revision_count() {
                slipped.push(slip(EntityKind::Action, &x.id, &o.due, &x.due));
            }
        }
    }
    for x in a
        .milestones()
        .filter(|x| touched(EntityKind::Milestone, &x.id))
    {
        let old = b.milestone(&x.id).ok();
        if old.map(|o| o.state) != Some(x.state) {
            moved.push(Moved {
                kind: EntityKind::Milestone,
                id: x.id.clone(),
                title: x.title.to_string(),
                from: old.map(|o| o.state.to_string()),
                to: x.state.to_string(),
            });
        }
        if let Some(o) = old {
            if o.due.revision_count() != x.due.revision_count() {
                slipped.push(slip(EntityKind::Milestone, &x.id, &o.due, &x.due));
            }
        }
    }
    for x in a.responses().filter(|x| {
        touched(EntityKind::Response, &x.id) || created_since(EntityKind::Response, &x.id)
    }) {
        let old = b.response(&x.id).ok();
        let now = format!("{} / {}", x.state, x.implementation);
        let was = old.map(|o| format!("{} / {}", o.state, o.implementation));
        if was.as_deref() != Some(now.as_str()) {
            let title = a
                .recommendation(&x.recommendation)
                .map(|r| r.title.to_string())
                .unwrap_or_default();
            moved.push(Moved {
                kind: EntityKind::Response,
                id: x.id.clone(),
                title,
                from: was,
                to: now,
            });
        }
    }
    let evidence = a
        .evidence()
        .filter(|e| created_since(EntityKind::Evidence, &e.id))
        .map(|e| EvidenceArrived {
            id: e.id.clone(),
            about: e.about.to_string(),
            reference: e.reference.clone(),
            on: e.submitted_at.date_naive(),
        })
        .collect();
    let decisions = a
        .decisions()
        .filter(|d| created_since(EntityKind::Decision, &d.id))
        .map(|d| DecisionArrived {
            id: d.id.clone(),
            committee: d.committee.clone(),
            meeting: d.meeting,
            about: d.about.to_string(),
            outcome: d.outcome.to_string(),
        })
        .collect();
    let indicators = a
        .indicators()
        .filter_map(|i| {
            let was = i.latest(from).value;
            let now = i.latest(to).value;
            let new_reading = i.observations.iter().any(|o| o.on > from && o.on <= to);
            new_reading.then(|| IndicatorMove {
                id: i.id.clone(),
                title: i.title.to_string(),
                unit: i.unit.clone(),
                was,
                now,
                target: i.target.map(|t| t.value),
            })
        })
        .collect();
    Change {
        from,
        to,
        events,
        moved,
        slipped,
        evidence,
        decisions,
        indicators,
    }
}

fn slip(kind: EntityKind, id: &str, was: &crate::TargetDate, now: &crate::TargetDate) -> Slipped {
    Slipped {
        kind,
        id: id.to_string(),
        was: was.current(),
        now: now.current(),
        days: (now.current() - was.current()).num_days(),
        reason: now
            .revisions
            .last()
            .map(|r| r.reason.clone())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{d, given};
    use super::*;
    use crate::Subject;

    #[test]
    fn what_moved_by_hand() {
        let mut f = given();
        f.action("A", &[], d("2024-06-30"));
        f.action("B", &[], d("2024-06-30"));
        f.on(d("2024-04-15"));
        f.start("A");
        f.action("C", &[], d("2024-09-30"));
        f.on(d("2024-05-10"));
        f.revise(Subject::action("B"), d("2024-08-31"));
        f.evidence(Subject::action("A"));
        f.on(d("2024-07-02"));
        f.complete("A");
        let t = f.into_tracker();
        // Q1 2024/25: after 2024-03-31 up to 2024-06-30.
        let c = change(&t, d("2024-03-31"), d("2024-06-30"));
        let moved: Vec<(&str, Option<&str>, &str)> = c
            .moved
            .iter()
            .map(|m| (m.id.as_str(), m.from.as_deref(), m.to.as_str()))
            .collect();
        assert_eq!(
            moved,
            vec![
                ("A", Some("planned"), "in_progress"),
                ("C", None, "planned")
            ]
        );
        assert_eq!(c.slipped.len(), 1);
        assert_eq!((c.slipped[0].id.as_str(), c.slipped[0].days), ("B", 62));
        assert_eq!(c.evidence.len(), 1);
        // start A, add C, revise B, submit evidence: 4 events.
        assert_eq!(c.events, 4);
        // Swapped dates give the same answer.
        assert_eq!(change(&t, d("2024-06-30"), d("2024-03-31")), c);
    }

    /// The change computed against a full replay of the log at `from`,
    /// comparing every item.
    fn by_full_replay(t: &Tracker, from: NaiveDate, to: NaiveDate) -> Change {
        let (a, b) = (t.as_of(to), t.as_of(from));
        let events = a.events().len() - b.events().len();
        let created_since = |kind: EntityKind, id: &str| !b.contains(&Subject::new(kind, id));
        compare(&a, &b, from, to, events, |_, _| true, created_since)
    }

    #[test]
    fn change_from_trails_equals_change_from_a_full_replay() {
        let t = crate::example::tracker();
        let first = t.events().first().unwrap().at.date_naive();
        let last = crate::example::as_of();
        let span = (last - first).num_days();
        let days: Vec<NaiveDate> = (0..=10)
            .map(|k| first + chrono::Duration::days(span * k / 10))
            .collect();
        let mut compared = 0;
        for (i, &from) in days.iter().enumerate() {
            for &to in &days[i..] {
                let fast = change(&t, from, to);
                assert_eq!(fast, by_full_replay(&t, from, to), "{from} to {to}");
                compared += fast.moved.len();
            }
        }
        assert!(compared > 100, "the example moves items: {compared}");
    }
}
