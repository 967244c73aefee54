//! What a back-end must do: durable rows, one head, atomic conditional
//! appends, and a consistent scan. Hashing, encoding and every check on the
//! contents live above this layer, so both back-ends behave alike.

use crate::error::Result;

/// Newest schema version this build writes and reads.
pub(crate) const SCHEMA_VERSION: i64 = 3;

/// One event row to insert, borrowing its parts from the caller's buffers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NewRow<'a> {
    pub seq: i64,
    /// The event's stable name (e.g. `ActionCompleted`), for SQL readers.
    pub name: &'a str,
    /// The event's payload version.
    pub version: i64,
    /// The actor, for SQL readers.
    pub actor: &'a str,
    /// When it took effect (RFC 3339), for SQL readers.
    pub at: &'a str,
    /// Payload encoding.
    pub format: i64,
    /// The canonical payload.
    pub payload: &'a [u8],
    pub prev_hash: &'a [u8],
    pub hash: &'a [u8],
}

/// Which columns a scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Columns {
    /// What loading needs: sequence number, format, payload and the two hashes.
    Chain,
    /// Every column, for `verify`.
    All,
}

/// The plain columns kept for SQL readers (read only by [`Columns::All`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Plain<'a> {
    pub name: &'a str,
    pub version: i64,
    pub actor: &'a str,
    pub at: &'a str,
}

/// One stored event row as a scan sees it, borrowed from the back-end's
/// buffers for the duration of the callback.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StoredRow<'a> {
    pub seq: i64,
    /// Payload encoding.
    pub format: i64,
    pub payload: &'a [u8],
    pub prev_hash: &'a [u8],
    pub hash: &'a [u8],
    /// Present when the scan asked for [`Columns::All`].
    pub plain: Option<Plain<'a>>,
}

/// The stream's head: how many events it holds and the last one's hash (the
/// genesis hash while empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    pub version: i64,
    pub hash: Vec<u8>,
}

/// A store's fixed header, written once when it is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// The policy's canonical bytes.
    pub policy: Vec<u8>,
}

/// A storage back-end.
pub(crate) trait Backend: Send {
    /// Where the store is, for messages (no passwords).
    fn location(&self) -> String;

    /// Writes the header and an empty head if the store has none; returns the
    /// header in force (the existing one when another process was first).
    fn initialise(&mut self, header: &Header, head: &Head) -> Result<Header>;

    /// The header, if the store was initialised.
    fn header(&mut self) -> Result<Option<Header>>;

    /// The current head, if the store was initialised.
    fn head(&mut self) -> Result<Option<Head>>;

    /// The hash of the event with this sequence number.
    fn hash_at(&mut self, seq: i64) -> Result<Option<Vec<u8>>>;

    /// In one transaction: moves the head from `expected` to `new` and inserts
    /// `rows`, or writes nothing and returns
    /// [`crate::StoreError::Conflict`] when the head is no longer `expected`.
    fn append(&mut self, expected: &Head, rows: &[NewRow<'_>], new: &Head) -> Result<()>;

    /// Calls `each` for every row after `after`, in sequence order, all read
    /// from one consistent snapshot; returns the head of that snapshot. An
    /// error from `each` stops the scan and is returned.
    fn scan(
        &mut self,
        after: i64,
        columns: Columns,
        each: &mut dyn FnMut(StoredRow<'_>) -> Result<()>,
    ) -> Result<Option<Head>>;

    /// The schema versions applied, oldest first.
    fn schema_versions(&mut self) -> Result<Vec<i64>>;
}

/// Refuses a store written by a newer schema.
pub(crate) fn check_schema(location: &str, found: i64) -> Result<()> {
    if found > SCHEMA_VERSION {
        return Err(crate::StoreError::NewerSchema {
            location: location.to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// The error for a head that did not match the writer's expectation.
pub(crate) fn conflict(expected: &Head, actual: i64) -> crate::StoreError {
    if actual == expected.version {
        // Same length, different last hash: someone rewrote the head.
        crate::StoreError::ChainBroken {
            seq: actual,
            reason: "the stored head does not match the last event; run verify".into(),
        }
    } else {
        crate::StoreError::Conflict {
            expected: expected.version,
            actual,
        }
    }
}
