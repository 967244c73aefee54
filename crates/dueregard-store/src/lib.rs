//! # dueregard-store
//!
//! Durable homes for a dueregard tracker's event log: an embedded **SQLite**
//! file (the default, `dueregard.db`) and a shared **PostgreSQL** database.
//!
//! - **Append-only**: event rows are never updated or deleted (triggers
//!   refuse it), and each carries the SHA-256 hash of its predecessor over a
//!   canonical encoding. [`EventStore::verify`] walks the chain and names the
//!   first event altered, missing or out of place.
//! - **Atomic**: a command's events are written in one transaction or not at
//!   all; a command the core rejects writes nothing.
//! - **Optimistic concurrency**: a writer states the version it saw; if
//!   another writer got there first it gets [`StoreError::Conflict`] and
//!   nothing is written. Readers never block writers.
//! - **Fast open**: payloads are MessagePack, not JSON text, and a long
//!   log is read on one thread while it is replayed on another; the
//!   decoding is shared between them (two batches in three on the reader).
//! - **Versioned schema** with one migration per version; a store written by
//!   a newer version is refused with [`StoreError::NewerSchema`].
//! - **Moves**: export to the core's JSON document or JSON lines, import into
//!   either back-end.
//!
//! ```
//! use dueregard_store::TrackerStore;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("dueregard.db");
//! let path = path.to_str().unwrap();
//! let mut store = TrackerStore::open(path).unwrap();
//! for submission in dueregard::example::submissions() {
//!     store.execute(submission).unwrap();
//! }
//!
//! // A second handle (another process, say) sees the same tracker.
//! let mut other = TrackerStore::open(path).unwrap();
//! assert_eq!(other.tracker(), store.tracker());
//! assert!(other.verify().unwrap().is_intact());
//! ```
#![deny(missing_docs)]

mod backend;
mod chain;
mod error;
mod location;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
mod store;
mod tracker_store;
mod verify;

pub use chain::{hex, Hash};
pub use error::{Result, StoreError};
pub use location::{Location, DEFAULT_FILE};
pub use store::EventStore;
pub use tracker_store::TrackerStore;
pub use verify::{BreakKind, ChainBreak, VerifyReport};

/// The newest schema version this build reads and writes.
pub const SCHEMA_VERSION: i64 = backend::SCHEMA_VERSION;

#[cfg(test)]
mod tests {
    /// Bindings move stores between threads (behind a mutex).
    #[test]
    fn stores_are_send() {
        fn send<T: Send>() {}
        send::<crate::TrackerStore>();
        send::<crate::EventStore>();
        send::<crate::StoreError>();
    }
}
