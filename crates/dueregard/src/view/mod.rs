//! Read models computed from a tracker as of a date: summaries, overdue
//! items, ratings, coverage.

mod summary;

pub use summary::{summary, Summary};
