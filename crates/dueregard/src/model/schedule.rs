//! Target dates kept as history, and dated signatures.

pub(crate) mod commands;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A target date whose original value is kept forever; every revision is
/// recorded with its reason and approver so slippage can be reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TargetDate {
    /// The date first set.
    pub original: NaiveDate,
    /// Each later change, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<DateRevision>,
}

/// One change of a target date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DateRevision {
    /// The new date.
    pub date: NaiveDate,
    /// Why it moved.
    pub reason: String,
    /// Actor who approved the change.
    pub approver: String,
    /// When the change was recorded.
    pub at: DateTime<Utc>,
}

impl TargetDate {
    /// A target date with no revisions.
    pub fn new(original: NaiveDate) -> Self {
        TargetDate {
            original,
            revisions: Vec::new(),
        }
    }

    /// The date in force now.
    pub fn current(&self) -> NaiveDate {
        self.revisions.last().map_or(self.original, |r| r.date)
    }

    /// Days between the original and the current date (positive when later).
    pub fn days_moved(&self) -> i64 {
        (self.current() - self.original).num_days()
    }

    /// Number of revisions.
    pub fn revision_count(&self) -> usize {
        self.revisions.len()
    }

    pub(crate) fn revise(
        &mut self,
        date: NaiveDate,
        reason: &str,
        approver: &str,
        at: DateTime<Utc>,
    ) {
        self.revisions.push(DateRevision {
            date,
            reason: reason.to_string(),
            approver: approver.to_string(),
            at,
        });
    }
}

/// Who did a step (claim, verification, sign-off) and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Signature {
    /// The actor.
    pub actor: String,
    /// The body the actor acted for.
    pub body: String,
    /// When.
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn original_is_kept_and_slippage_counted() {
        let mut t = TargetDate::new(d("2024-06-30"));
        assert_eq!(t.current(), d("2024-06-30"));
        t.revise(d("2024-09-30"), "recruitment delayed", "chair", Utc::now());
        t.revise(d("2024-12-31"), "vetting backlog", "chair", Utc::now());
        assert_eq!(t.original, d("2024-06-30"));
        assert_eq!(t.current(), d("2024-12-31"));
        assert_eq!(t.days_moved(), 184);
        assert_eq!(t.revision_count(), 2);
    }
}
