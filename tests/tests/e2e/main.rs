//! End-to-end scenarios across the crates (one test binary, so the
//! workspace links it once):
//!
//! - `lifecycle`: a plan's whole life through the `dueregard` binary into a
//!   SQLite store, then the store reopened, exported, replayed and verified;
//! - `paths`: the scenario applied through the store, a document, an event
//!   log and a command log gives the same views;
//! - `formats`: the files written by version 1 still load, and today's
//!   writers still produce them.

mod formats;
mod lifecycle;
mod paths;

/// The value at `pointer` (e.g. `/summary/recommendations`) of a JSON value.
///
/// # Panics
/// When there is nothing there.
pub fn at<'a>(v: &'a serde_json::Value, pointer: &str) -> &'a serde_json::Value {
    v.pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in {v}"))
}

/// `(id, days_late)` of each row of the overdue view, as JSON.
pub fn overdue_rows(v: &serde_json::Value) -> Vec<(String, i64)> {
    v.as_array()
        .unwrap_or_else(|| panic!("the overdue view is a list: {v}"))
        .iter()
        .map(|row| {
            (
                at(row, "/id").as_str().unwrap_or_default().to_string(),
                at(row, "/days_late").as_i64().unwrap_or_default(),
            )
        })
        .collect()
}

/// The scenario's overdue items on 31 March 2025, worked out by hand from the
/// command files: each due date (revised where revised) to 31 March.
pub fn expected_overdue() -> Vec<(String, i64)> {
    [
        // due 31 July 2024, blocked for seven months of it
        ("lbbd-lap/A5", 243),
        // due 30 September 2024
        ("new-met/NM1", 182),
        // the recommendation's due date, 31 December 2024, with the work in progress
        ("casey-2023/R4@met", 90),
        // revised from 30 September to 31 December 2024
        ("lbbd-lap/A4", 90),
        // the two-year review fell due on 21 March 2025; neither addressee has started
        ("casey-2023/R14@met", 10),
        ("casey-2023/R14@mopac", 10),
    ]
    .into_iter()
    .map(|(id, days)| (id.to_string(), days))
    .collect()
}
