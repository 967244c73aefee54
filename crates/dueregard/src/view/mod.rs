//! Read models computed from a tracker as of a date: summaries, overdue
//! items, RAG ratings, coverage, roll-ups, change between two dates,
//! comparison across bodies, slippage, weighted progress, chase lists and
//! self versus independent ratings.
//!
//! Every view is a pure function of a [`Tracker`] and an as-of date. When the
//! tracker holds events after that date, the view replays the log up to the
//! end of the date first ([`Tracker::as_of`]), so asking about last quarter
//! gives last quarter's answer. Views return owned rows that serialise with
//! serde, so the bindings and the command-line tool only render them.
//!
//! ```
//! use dueregard::{example, view};
//! let t = example::tracker();
//! let late = view::overdue(&t, example::as_of());
//! assert!(late.iter().all(|i| i.days_late > 0));
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::engine::machine::State;
use crate::engine::tracker::Tracker;

mod change;
mod chase;
mod compare;
mod coverage;
mod overdue;
mod period;
mod progress;
mod rag;
mod ratings;
mod rollup;
mod slippage;
mod summary;

pub use change::{change, Change, DecisionArrived, EvidenceArrived, IndicatorMove, Moved, Slipped};
pub use chase::{chase, ChaseItem, ChaseKind};
pub use compare::{compare, BodyTotal, CompareCell, CompareRow, Comparison};
pub use coverage::{coverage, Coverage, CoverageRow};
pub use overdue::{overdue, OverdueItem, OverdueKind};
pub use period::{Period, PeriodConfig};
pub use progress::{progress, Progress};
pub use rag::{rag, Aggregation, BlueWhen, RagLine, RagPolicy, RagReport, Rated};
pub use ratings::{ratings, RatingPair};
pub use rollup::{rollup, GroupBy, RollupRow};
pub use slippage::{slippage, SlipRow};
pub use summary::{summary, PlanLine, Summary};

/// The tracker as it stood at the end of `as_of`: borrowed when no event is
/// later than that day, replayed otherwise.
pub(crate) fn state_at(tracker: &Tracker, as_of: NaiveDate) -> Cow<'_, Tracker> {
    if tracker
        .last_event_at()
        .is_some_and(|l| l.date_naive() > as_of)
    {
        Cow::Owned(tracker.as_of(as_of))
    } else {
        Cow::Borrowed(tracker)
    }
}

/// Counts per state of one machine, kept in an array while counting and
/// named at the end (states with none are left out).
#[derive(Debug, Clone)]
pub(crate) struct StateCounts<S: State> {
    counts: Vec<usize>,
    states: std::marker::PhantomData<S>,
}

impl<S: State> Default for StateCounts<S> {
    fn default() -> Self {
        StateCounts {
            counts: vec![0; S::all().len()],
            states: std::marker::PhantomData,
        }
    }
}

impl<S: State> StateCounts<S> {
    pub(crate) fn add(&mut self, state: S) {
        if let Some(i) = S::all().iter().position(|s| *s == state) {
            self.counts[i] += 1;
        }
    }

    pub(crate) fn merge(&mut self, other: &StateCounts<S>) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    pub(crate) fn named(&self) -> BTreeMap<String, usize> {
        S::all()
            .iter()
            .zip(&self.counts)
            .filter(|(_, &n)| n > 0)
            .map(|(s, &n)| (s.name().to_string(), n))
            .collect()
    }
}

/// Days from `due` to `as_of` (positive when `as_of` is later).
pub(crate) fn days_between(due: NaiveDate, as_of: NaiveDate) -> i64 {
    (as_of - due).num_days()
}

/// The median of some numbers (`None` when there are none).
pub(crate) fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
    })
}

/// A date written in a test.
#[cfg(test)]
pub(crate) fn d(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

/// The views' tests start from the standard cast of [`crate::fixture`] with
/// body `b` (a council), committee `c` and its verifier `v`; on 2024-01-10,
/// where the clock stands, `c` publishes review `REV` and `b` creates plan
/// `P`. Recommendations go to `b`, actions into `P`, and `admin` records
/// everything but verification.
#[cfg(test)]
pub(crate) fn given() -> crate::fixture::Given {
    use crate::model::party::{BodyKind, Role};
    use crate::model::review::ReviewKind;
    let mut g = crate::fixture::Given::new();
    g.on(d("2024-01-10"))
        .body("b", BodyKind::Council)
        .body("c", BodyKind::Committee)
        .actor("v", "c", &[Role::Verifier])
        .addressing("b")
        .review("REV", ReviewKind::IndependentReview, "c")
        .plan("P", "b");
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [10, 2, 4, 8]), Some(6.0));
    }
}
