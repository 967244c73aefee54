//! The errors of the workload generator and the phase runner.

use std::path::PathBuf;

/// What went wrong, and how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The number of actions is out of range.
    #[error("a workload needs between 1 and 100000000 actions, not {actions}")]
    InvalidSize {
        /// The number asked for.
        actions: usize,
    },
    /// A command-line argument is missing or malformed.
    #[error("{detail}; run with --help for usage")]
    Usage {
        /// What is wrong.
        detail: String,
    },
    /// A file could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// read, write or create.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing JSON failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The library refused the workload (a bug in the workload or the core).
    #[error("the library refused the workload: {0}")]
    Core(#[from] dueregard::Error),
    /// The store refused an operation.
    #[error("the event store failed: {0}")]
    Store(#[from] dueregard_store::StoreError),
    /// The library's answer differs from what the workload planted.
    #[error("the library's outcome differs from the workload's: {detail}")]
    Mismatch {
        /// Expected and found.
        detail: String,
    },
}

/// Results of this crate.
pub type Result<T> = std::result::Result<T, BenchError>;
