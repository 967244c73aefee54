//! The store's one error type.

use std::path::PathBuf;

/// Everything that can go wrong when storing, loading, verifying, exporting
/// or importing a tracker's events.
///
/// Messages start lower-case and say what to do next where there is
/// something to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another writer recorded events after the version this writer saw.
    /// Nothing was written: reload (or `refresh`) and decide again.
    #[error("the event stream moved: you saw version {expected} but it is now at version {actual}; reload the tracker and try again")]
    Conflict {
        /// The version the writer stated.
        expected: i64,
        /// The version the store is at.
        actual: i64,
    },

    /// The command broke a rule of the model; nothing was written.
    #[error(transparent)]
    Rejected(#[from] dueregard::Error),

    /// A submission of a batch broke a rule of the model; nothing of the
    /// batch was written.
    #[error("submission {index} of the batch was rejected, so none was written: {error}")]
    RejectedInBatch {
        /// Position of the rejected submission in the batch, from 0.
        index: usize,
        /// Why it was rejected.
        #[source]
        error: dueregard::Error,
    },

    /// Events handed to `append` are not numbered from the stated version.
    #[error("events to append must be numbered from {expected} with no gaps, found {found}")]
    Sequence {
        /// The sequence number the next event must carry.
        expected: i64,
        /// The one it carried.
        found: i64,
    },

    /// The store was written by a newer version of this library.
    #[error("the store at {location} uses schema version {found}, newer than version {supported} that this build understands; upgrade dueregard to open it")]
    NewerSchema {
        /// Where the store is.
        location: String,
        /// The schema version found.
        found: i64,
        /// The newest schema version this build can read.
        supported: i64,
    },

    /// The location holds something that is not a dueregard store.
    #[error("{location} is not a dueregard store: {reason}")]
    NotAStore {
        /// Where.
        location: String,
        /// Why it was refused.
        reason: String,
    },

    /// The location string could not be understood.
    #[error("cannot use {location:?} as a store: {reason}")]
    BadLocation {
        /// What was given.
        location: String,
        /// Why it was refused.
        reason: String,
    },

    /// A back-end was asked for that this build leaves out.
    #[error(
        "this build of dueregard-store has no {backend} back-end; enable the `{backend}` feature"
    )]
    BackendMissing {
        /// `sqlite` or `postgres`.
        backend: &'static str,
    },

    /// A stored event could not be read back; run `verify` for a full report.
    #[error("stored event {seq} cannot be loaded: {reason}; run verify to see whether the log was altered")]
    Corrupt {
        /// Sequence number of the event (0 for the store's header).
        seq: i64,
        /// What is wrong.
        reason: String,
    },

    /// The hash chain is broken (returned by [`crate::VerifyReport::into_result`]).
    #[error("the event log is broken at event {seq}: {reason}")]
    ChainBroken {
        /// The first event found altered, missing or out of place.
        seq: i64,
        /// What was found.
        reason: String,
    },

    /// Import into a store that already holds events.
    #[error(
        "the store at {location} already holds {events} events; import only into an empty store"
    )]
    NotEmpty {
        /// Where.
        location: String,
        /// How many events it holds.
        events: i64,
    },

    /// A file for import or export could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    File {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },

    /// An event could not be encoded (a bug: every event of the model encodes).
    #[error("event {seq} cannot be encoded: {reason}")]
    Encode {
        /// Sequence number.
        seq: i64,
        /// Encoder's reason.
        reason: String,
    },

    /// SQLite failed (locked for too long, disk full, unreadable file…).
    #[cfg(feature = "sqlite")]
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// PostgreSQL failed (server unreachable, permission denied…).
    #[cfg(feature = "postgres")]
    #[error("postgres: {}", postgres_detail(.0))]
    Postgres(#[from] postgres::Error),
}

impl StoreError {
    /// True for an optimistic-concurrency conflict (reload and retry).
    pub fn is_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict { .. })
    }

    /// True when a command was refused by the model's rules.
    pub fn is_rejected(&self) -> bool {
        matches!(
            self,
            StoreError::Rejected(_) | StoreError::RejectedInBatch { .. }
        )
    }

    /// True when the stored log is damaged or was altered.
    pub fn is_corruption(&self) -> bool {
        matches!(
            self,
            StoreError::Corrupt { .. } | StoreError::ChainBroken { .. }
        )
    }
}

/// The server's own message (the client's `Display` says only "db error").
#[cfg(feature = "postgres")]
fn postgres_detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("{} ({})", db.message(), db.code().code());
            if let Some(d) = db.detail() {
                s.push_str(": ");
                s.push_str(d);
            }
            s
        }
        None => match std::error::Error::source(e) {
            Some(src) => format!("{e}: {src}"),
            None => e.to_string(),
        },
    }
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<dueregard::BatchError> for StoreError {
    fn from(e: dueregard::BatchError) -> Self {
        StoreError::RejectedInBatch {
            index: e.index,
            error: e.error,
        }
    }
}
