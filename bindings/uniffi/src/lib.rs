//! # dueregard-uniffi
//!
//! The dueregard tracker for Kotlin/Java, Swift, Python and Ruby hosts, through
//! [uniffi](https://mozilla.github.io/uniffi-rs/) proc-macros.
//!
//! This crate only converts types at the edge: every rule lives in the
//! `dueregard` core and every storage concern in `dueregard-store`.
//!
//! - [`Tracker`] is the one object: in memory (empty, the example dataset, a
//!   JSON document) or kept in a SQLite store. It is `Arc`-shared and holds a
//!   mutex, so host threads may share it.
//! - Commands go in as [`Submission`] records whose `command` is the core's
//!   JSON command (`{"start_action": {"action": "lap/A1"}}`): the same format
//!   as command logs, the CLI and the Python package.
//! - States, events and reports (summary, overdue items, slippage, chase
//!   lists, coverage) come back as typed records and enums.
//! - Every failure is a [`DueregardError`] with structured fields and a human
//!   `detail`; a panic inside the library becomes [`DueregardError::Internal`]
//!   instead of aborting the host.
//!
//! The `uniffi-bindgen` binary of the workspace writes the foreign sources
//! from the built library (see `docs/bindings.md`).

uniffi::setup_scaffolding!();

mod error;
mod records;
mod tracker;
mod views;

pub use error::DueregardError;
pub use records::{
    ActionRecord, ActionState, ActorRecord, BodyRecord, EntityKind, EventRecord,
    ImplementationState, MachineRecord, MilestoneRecord, MilestoneState, PlanLine, PlanRecord,
    RecommendationRecord, ResponseRecord, ResponseState, ReviewRecord, SignatureRecord, Submission,
    SummaryRecord, TransitionRecord, VerifyRecord,
};
pub use tracker::Tracker;
pub use views::{
    ChaseKind, ChaseRecord, CoverageRecord, CoverageRow, OverdueKind, OverdueRecord, SlipRecord,
};

/// The version of the dueregard library inside this binding.
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Every state machine of the model: states, transition rows and a Mermaid diagram.
#[uniffi::export]
pub fn machines() -> Vec<MachineRecord> {
    dueregard::machines().into_iter().map(Into::into).collect()
}

/// The JSON Schema of the tracker document, event-log lines and command-log
/// lines (the `command` of a [`Submission`] follows `command_log_line.command`).
#[uniffi::export]
pub fn json_schema() -> String {
    dueregard::json_schema()
}

/// The identifier of `addressee`'s response to `recommendation`.
#[uniffi::export]
pub fn response_id(recommendation: String, addressee: String) -> String {
    dueregard::response_id(&recommendation, &addressee)
}

/// Panics on purpose (feature `panic-probe` only), to test that a panic
/// reaches the host as [`DueregardError::Internal`].
#[cfg(feature = "panic-probe")]
#[uniffi::export]
pub fn panic_probe() -> Result<String, DueregardError> {
    error::guard(|| panic!("panic probe called"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machines_are_listed_with_diagrams() {
        let m = machines();
        assert!(m.iter().any(|m| m.name == "action"));
        assert!(m.iter().all(|m| m.mermaid.starts_with("stateDiagram-v2")));
    }

    #[test]
    fn response_id_is_the_core_one() {
        assert_eq!(
            response_id("casey-2023/R1".into(), "met".into()),
            dueregard::response_id("casey-2023/R1", "met")
        );
    }
}
