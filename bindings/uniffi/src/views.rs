//! Read models of the core's `view` module as records: overdue items,
//! slippage, chase lists and coverage. Each is computed by the core as of a
//! date; this module only converts the rows.

use crate::error::{DueregardError, Result};
use crate::records::{mirror_enum, EntityKind};

mirror_enum! {
    /// What is late in an overdue item.
    OverdueKind = dueregard::view::OverdueKind { Action, Milestone, Implementation, Reply }
}

mirror_enum! {
    /// What an owner is expected to do in a chase item.
    ChaseKind = dueregard::view::ChaseKind { Deliver, Milestone, Reply, Report }
}

/// One overdue item.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct OverdueRecord {
    pub kind: OverdueKind,
    pub entity: EntityKind,
    pub id: String,
    pub title: String,
    /// The body responsible.
    pub owner: String,
    /// Its current state's name.
    pub state: String,
    /// The date it was due, `YYYY-MM-DD`.
    pub due: String,
    pub days_late: i64,
}

impl From<dueregard::view::OverdueItem> for OverdueRecord {
    fn from(i: dueregard::view::OverdueItem) -> Self {
        OverdueRecord {
            kind: i.kind.into(),
            entity: i.entity.into(),
            id: i.id,
            title: i.title,
            owner: i.owner,
            state: i.state,
            due: i.due.to_string(),
            days_late: i.days_late,
        }
    }
}

/// An item whose target date moved.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SlipRecord {
    pub kind: EntityKind,
    pub id: String,
    pub title: String,
    pub owner: String,
    /// The first target date, `YYYY-MM-DD`.
    pub original: String,
    /// The target date now, `YYYY-MM-DD`.
    pub current: String,
    pub revisions: i64,
    pub days_moved: i64,
    /// Revised often enough to count as a serial extension.
    pub serial: bool,
    /// The reason given for each revision, oldest first.
    pub reasons: Vec<String>,
}

impl From<dueregard::view::SlipRow> for SlipRecord {
    fn from(r: dueregard::view::SlipRow) -> Self {
        SlipRecord {
            kind: r.kind.into(),
            id: r.id,
            title: r.title,
            owner: r.owner,
            original: r.original.to_string(),
            current: r.current.to_string(),
            revisions: i64::try_from(r.revisions).unwrap_or(i64::MAX),
            days_moved: r.days_moved,
            serial: r.serial,
            reasons: r.reasons,
        }
    }
}

/// One thing an owner must do soon (or is already late with).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ChaseRecord {
    pub owner: String,
    pub kind: ChaseKind,
    pub entity: EntityKind,
    pub id: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    /// Negative when already late.
    pub days_left: i64,
}

impl From<dueregard::view::ChaseItem> for ChaseRecord {
    fn from(c: dueregard::view::ChaseItem) -> Self {
        ChaseRecord {
            owner: c.owner,
            kind: c.kind.into(),
            entity: c.entity.into(),
            id: c.id,
            title: c.title,
            due: c.due.to_string(),
            days_left: c.days_left,
        }
    }
}

/// One recommendation and addressee, with the actions that answer it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CoverageRow {
    pub recommendation: String,
    pub number: String,
    pub title: String,
    pub addressee: String,
    /// The response state's name.
    pub response: String,
    /// The implementation state's name.
    pub implementation: String,
    /// The addressee's own actions answering it.
    pub actions: Vec<String>,
    /// Other bodies' actions answering it.
    pub other_actions: Vec<String>,
}

/// Which recommendations have actions, and which do not.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CoverageRecord {
    /// `YYYY-MM-DD`.
    pub as_of: String,
    pub rows: Vec<CoverageRow>,
    /// Recommendations no action answers.
    pub without_action: Vec<String>,
    /// Accepted responses with no action of the addressee's.
    pub accepted_without_plan: Vec<String>,
    /// Actions that answer no recommendation.
    pub actions_answering_nothing: Vec<String>,
}

impl From<dueregard::view::Coverage> for CoverageRecord {
    fn from(c: dueregard::view::Coverage) -> Self {
        CoverageRecord {
            as_of: c.as_of.to_string(),
            rows: c
                .rows
                .into_iter()
                .map(|r| CoverageRow {
                    recommendation: r.recommendation,
                    number: r.number,
                    title: r.title,
                    addressee: r.addressee,
                    response: r.response,
                    implementation: r.implementation,
                    actions: r.actions,
                    other_actions: r.other_actions,
                })
                .collect(),
            without_action: c.without_action,
            accepted_without_plan: c.accepted_without_plan,
            actions_answering_nothing: c.actions_answering_nothing,
        }
    }
}

/// A non-negative count given by the host.
pub(crate) fn count_arg(field: &str, value: i64) -> Result<usize> {
    usize::try_from(value).map_err(|_| DueregardError::Invalid {
        detail: format!("invalid {field}: {value} is negative; give a count of 0 or more"),
        field: field.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_counts_are_refused() {
        assert_eq!(count_arg("serial_after", 2).unwrap(), 2);
        assert!(matches!(
            count_arg("serial_after", -1),
            Err(DueregardError::Invalid { field, .. }) if field == "serial_after"
        ));
    }
}
