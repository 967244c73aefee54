//! [`EventStore`]: the typed, hash-chained event log over a back-end.

use std::io::{BufRead, Write};

use dueregard::{Document, Event, Policy, Tracker};

use crate::backend::{Backend, Columns, Head, Header, NewRow, StoredRow};
use crate::chain::{self, Hash};
use crate::error::{Result, StoreError};
use crate::location::Location;
use crate::verify::{BreakKind, ChainBreak, VerifyReport};

/// An append-only, hash-chained log of a tracker's events in SQLite or
/// PostgreSQL.
///
/// The store is created on first use: opening an empty file or database
/// only lays out the schema, and the policy is fixed (as the genesis of the
/// hash chain) when the first event is appended.
///
/// Most callers want [`crate::TrackerStore`], which also holds the replayed
/// [`Tracker`] and decides commands before appending them.
///
/// ```
/// use dueregard_store::{EventStore, Location};
/// let dir = tempfile::tempdir().unwrap();
/// let mut store = EventStore::open(&Location::Sqlite(dir.path().join("t.db"))).unwrap();
/// let source = dueregard::example::tracker();
/// store.append(0, &source.events().to_vec()).unwrap();
/// assert_eq!(store.load().unwrap().events(), source.events());
/// assert!(store.verify().unwrap().is_intact());
/// ```
pub struct EventStore {
    backend: Box<dyn Backend>,
    policy: Policy,
    policy_bytes: Vec<u8>,
    genesis: Hash,
    /// The head as this handle last saw it.
    head: Head,
    /// False until the header is written (first append).
    initialised: bool,
    /// Reused between appends: the encoded payloads, back to back.
    payloads: Vec<u8>,
}

/// Events handed from the reading thread to the replaying one at a time.
const REPLAY_BATCH: usize = 1024;
/// Batches in flight between the two threads.
const REPLAY_QUEUE: usize = 8;
/// Below this many events to read, loading stays on the calling thread.
const PARALLEL_MIN: i64 = 4096;
/// One batch in this many is handed over undecoded, for the replaying
/// thread to decode: reading and decoding every row is the larger half of
/// the work, so the replaying thread takes a share of the decoding.
const DECODED_BY_REPLAY: usize = 3;

/// A batch handed from the reading thread to the replaying one.
enum Batch {
    Decoded(Vec<Event>),
    /// Checked rows still to decode: sequence numbers and payloads back to back.
    Raw {
        rows: Vec<(i64, std::ops::Range<usize>)>,
        payloads: Vec<u8>,
    },
}

impl Batch {
    fn raw() -> Batch {
        Batch::Raw {
            rows: Vec::with_capacity(REPLAY_BATCH),
            payloads: Vec::with_capacity(REPLAY_BATCH * 160),
        }
    }

    fn len(&self) -> usize {
        match self {
            Batch::Decoded(events) => events.len(),
            Batch::Raw { rows, .. } => rows.len(),
        }
    }
}

impl std::fmt::Debug for EventStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStore")
            .field("location", &self.backend.location())
            .field("version", &self.head.version)
            .finish_non_exhaustive()
    }
}

fn connect(location: &Location) -> Result<Box<dyn Backend>> {
    match location {
        #[cfg(feature = "sqlite")]
        Location::Sqlite(path) => Ok(Box::new(crate::sqlite::Sqlite::open(path)?)),
        #[cfg(not(feature = "sqlite"))]
        Location::Sqlite(_) => Err(StoreError::BackendMissing { backend: "sqlite" }),
        #[cfg(feature = "postgres")]
        Location::Postgres(url) => Ok(Box::new(crate::postgres::Postgres::open(url)?)),
        #[cfg(not(feature = "postgres"))]
        Location::Postgres(_) => Err(StoreError::BackendMissing {
            backend: "postgres",
        }),
    }
}

impl EventStore {
    /// Opens the store at `location`, creating its schema if needed. A new
    /// store takes the default [`Policy`].
    ///
    /// # Errors
    /// [`StoreError::NewerSchema`] for a store written by a newer version,
    /// [`StoreError::NotAStore`] for a file that is something else, or a
    /// back-end error when the file or server cannot be reached.
    pub fn open(location: &Location) -> Result<Self> {
        Self::open_with_policy(location, Policy::default())
    }

    /// Opens the store at `location`; `policy` applies if the store holds no
    /// events yet, otherwise the stored policy is kept.
    ///
    /// # Errors
    /// As [`EventStore::open`].
    pub fn open_with_policy(location: &Location, policy: Policy) -> Result<Self> {
        Self::from_backend(connect(location)?, policy)
    }

    pub(crate) fn from_backend(mut backend: Box<dyn Backend>, policy: Policy) -> Result<Self> {
        let (policy, initialised) = match backend.header()? {
            Some(header) => (decode_policy(&header.policy)?, true),
            None => (policy, false),
        };
        let policy_bytes = chain::policy_bytes(&policy)?;
        let genesis = chain::genesis(&policy_bytes);
        let head = if initialised {
            backend.head()?.ok_or_else(|| StoreError::Corrupt {
                seq: 0,
                reason: "the store has a header but no head row".into(),
            })?
        } else {
            Head {
                version: 0,
                hash: genesis.to_vec(),
            }
        };
        Ok(EventStore {
            backend,
            policy,
            policy_bytes,
            genesis,
            head,
            initialised,
            payloads: Vec::new(),
        })
    }

    /// Where the store is (passwords left out).
    pub fn location(&self) -> String {
        self.backend.location()
    }

    /// The policy the store was created with.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The version (number of events) this handle last saw.
    pub fn seen_version(&self) -> i64 {
        self.head.version
    }

    /// The number of events in the store now.
    ///
    /// # Errors
    /// A back-end error.
    pub fn version(&mut self) -> Result<i64> {
        Ok(self.backend.head()?.map(|h| h.version).unwrap_or(0))
    }

    /// The schema versions applied to this store, oldest first.
    ///
    /// # Errors
    /// A back-end error.
    pub fn schema_versions(&mut self) -> Result<Vec<i64>> {
        self.backend.schema_versions()
    }

    fn ensure_initialised(&mut self) -> Result<()> {
        if self.initialised {
            return Ok(());
        }
        let ours = Header {
            policy: self.policy_bytes.clone(),
        };
        let head = Head {
            version: 0,
            hash: self.genesis.to_vec(),
        };
        let theirs = self.backend.initialise(&ours, &head)?;
        self.initialised = true;
        if theirs != ours {
            // Another process created the store first, with another policy:
            // adopt it, and make the caller decide again.
            self.policy = decode_policy(&theirs.policy)?;
            self.genesis = chain::genesis(&theirs.policy);
            self.policy_bytes = theirs.policy;
            self.head = self.backend.head()?.unwrap_or(Head {
                version: 0,
                hash: self.genesis.to_vec(),
            });
            return Err(StoreError::Conflict {
                expected: 0,
                actual: self.head.version,
            });
        }
        Ok(())
    }

    /// Appends `events` atomically, if the store is still at
    /// `expected_version`. The events must be numbered
    /// `expected_version + 1`, `+ 2`, … (as [`Tracker::execute`] numbers them).
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when another writer appended since
    /// `expected_version` (nothing is written), [`StoreError::Sequence`] for
    /// misnumbered events, or a back-end error.
    pub fn append(&mut self, expected_version: i64, events: &[Event]) -> Result<()> {
        for (i, e) in events.iter().enumerate() {
            let want = expected_version + 1 + i as i64;
            if e.seq != want {
                return Err(StoreError::Sequence {
                    expected: want,
                    found: e.seq,
                });
            }
        }
        if events.is_empty() {
            return Ok(());
        }
        self.ensure_initialised()?;
        let prev = if expected_version == self.head.version {
            self.head.hash.clone()
        } else if expected_version == 0 {
            self.genesis.to_vec()
        } else {
            match self.backend.hash_at(expected_version)? {
                Some(h) => h,
                None => {
                    let actual = self.version()?;
                    return Err(StoreError::Conflict {
                        expected: expected_version,
                        actual,
                    });
                }
            }
        };
        let expected = Head {
            version: expected_version,
            hash: prev,
        };
        // Encode every payload into one reused buffer and hash along the
        // chain; the rows then borrow from these buffers.
        let mut payloads = std::mem::take(&mut self.payloads);
        payloads.clear();
        let mut ends = Vec::with_capacity(events.len());
        let mut hashes: Vec<Hash> = Vec::with_capacity(events.len());
        let mut times = Vec::with_capacity(events.len());
        for (i, e) in events.iter().enumerate() {
            let start = payloads.len();
            if let Err(err) = chain::encode_into(&mut payloads, e) {
                self.payloads = payloads;
                return Err(err);
            }
            let prev = match i {
                0 => expected.hash.as_slice(),
                _ => &hashes[i - 1],
            };
            hashes.push(chain::link(prev, e.seq, &payloads[start..]));
            ends.push(payloads.len());
            times.push(chain::time_text(e));
        }
        let mut rows = Vec::with_capacity(events.len());
        let mut start = 0;
        for (i, e) in events.iter().enumerate() {
            rows.push(NewRow {
                seq: e.seq,
                name: e.name(),
                version: i64::from(e.version()),
                actor: &e.actor,
                at: &times[i],
                format: chain::FORMAT_MSGPACK,
                payload: &payloads[start..ends[i]],
                prev_hash: match i {
                    0 => expected.hash.as_slice(),
                    _ => &hashes[i - 1],
                },
                hash: &hashes[i],
            });
            start = ends[i];
        }
        let last = hashes
            .last()
            .map_or_else(|| expected.hash.clone(), |h| h.to_vec());
        let new = Head {
            version: expected_version + events.len() as i64,
            hash: last,
        };
        let written = self.backend.append(&expected, &rows, &new);
        drop(rows);
        self.payloads = payloads;
        written?;
        self.head = new;
        Ok(())
    }

    /// Calls `each` with every event after `after`, decoded, in order; the
    /// rows must link to each other (a cheap check; [`EventStore::verify`]
    /// recomputes every hash). Updates the head this handle has seen.
    fn read_after(&mut self, after: i64, mut each: impl FnMut(Event) -> Result<()>) -> Result<()> {
        let mut reader = Reader::new(after);
        let head = self
            .backend
            .scan(after, Columns::Chain, &mut |row| each(reader.row(row)?))?;
        self.head = reader.finish(head, &self.genesis)?;
        Ok(())
    }

    /// As [`EventStore::read_after`], but `each` runs on a second thread
    /// while this one reads and decodes the next rows (when there are enough
    /// of them to be worth it). Errors are reported in sequence order: a
    /// failure of `each` comes before any later row's.
    fn read_after_parallel(
        &mut self,
        after: i64,
        pending: i64,
        mut each: impl FnMut(Event) -> Result<()> + Send,
    ) -> Result<()> {
        if pending < PARALLEL_MIN {
            return self.read_after(after, each);
        }
        let mut reader = Reader::new(after);
        let backend = &mut self.backend;
        let apply = &mut each;
        let outcome = std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(REPLAY_QUEUE);
            let spawned = std::thread::Builder::new()
                .name("dueregard-replay".into())
                .spawn_scoped(scope, move || -> Result<()> {
                    for batch in receive {
                        match batch {
                            Batch::Decoded(events) => {
                                for event in events {
                                    apply(event)?;
                                }
                            }
                            Batch::Raw { rows, payloads } => {
                                for (seq, at) in rows {
                                    let payload = payloads.get(at).unwrap_or_default();
                                    apply(decode_row(seq, payload)?)?;
                                }
                            }
                        }
                    }
                    Ok(())
                });
            // No thread to be had (a process at its limit): read on this one.
            let Ok(applier) = spawned else {
                return None;
            };
            let mut handed = 0usize;
            let next_batch = |handed: usize| {
                if handed % DECODED_BY_REPLAY == DECODED_BY_REPLAY - 1 {
                    Batch::raw()
                } else {
                    Batch::Decoded(Vec::with_capacity(REPLAY_BATCH))
                }
            };
            let mut batch = next_batch(handed);
            let hand_over = |batch: Batch| {
                // Fails only when the applier stopped on an error of its own,
                // which is then the one reported.
                send.send(batch).map_err(|_| StoreError::Corrupt {
                    seq: 0,
                    reason: "replay stopped".into(),
                })
            };
            let scanned = backend
                .scan(after, Columns::Chain, &mut |row| {
                    reader.check(&row)?;
                    match &mut batch {
                        Batch::Decoded(events) => events.push(decode_row(row.seq, row.payload)?),
                        Batch::Raw { rows, payloads } => {
                            let start = payloads.len();
                            payloads.extend_from_slice(row.payload);
                            rows.push((row.seq, start..payloads.len()));
                        }
                    }
                    if batch.len() == REPLAY_BATCH {
                        handed += 1;
                        hand_over(std::mem::replace(&mut batch, next_batch(handed)))?;
                    }
                    Ok(())
                })
                .and_then(|head| {
                    if batch.len() > 0 {
                        hand_over(std::mem::replace(&mut batch, Batch::Decoded(Vec::new())))?;
                    }
                    Ok(head)
                });
            drop(send);
            Some((scanned, applier.join()))
        });
        let Some((scanned, applied)) = outcome else {
            return self.read_after(after, each);
        };
        match applied {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        self.head = reader.finish(scanned?, &self.genesis)?;
        Ok(())
    }

    /// Every event, oldest first.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] for an event that cannot be read, or a back-end error.
    pub fn events(&mut self) -> Result<Vec<Event>> {
        self.events_after(0)
    }

    /// Events with sequence numbers above `after`, oldest first.
    ///
    /// # Errors
    /// As [`EventStore::events`].
    pub fn events_after(&mut self, after: i64) -> Result<Vec<Event>> {
        let pending = self.version()? - after;
        let mut out = Vec::with_capacity(usize::try_from(pending).unwrap_or(0));
        self.read_after_parallel(after, pending, |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// Replays every stored event into a [`Tracker`].
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] naming the first event that cannot be read or
    /// replayed, or a back-end error.
    pub fn load(&mut self) -> Result<Tracker> {
        let mut tracker = Tracker::with_policy(self.policy.clone());
        self.catch_up(&mut tracker)?;
        Ok(tracker)
    }

    /// Applies to `tracker` the stored events after its version; returns how
    /// many.
    ///
    /// # Errors
    /// As [`EventStore::load`].
    pub fn catch_up(&mut self, tracker: &mut Tracker) -> Result<usize> {
        let after = tracker.version();
        let pending = self.version()? - after;
        tracker.reserve_events(usize::try_from(pending).unwrap_or(0));
        let mut n = 0;
        self.read_after_parallel(after, pending, |e| {
            let seq = e.seq;
            tracker
                .apply_recorded(e)
                .map_err(|err| StoreError::Corrupt {
                    seq,
                    reason: err.to_string(),
                })?;
            n += 1;
            Ok(())
        })?;
        Ok(n)
    }

    /// Walks the whole chain: recomputes every hash, checks every row against
    /// its decoded event and the canonical encoding, checks the head, and
    /// replays the log. Reports the first event found altered, missing or
    /// out of place.
    ///
    /// # Errors
    /// Only a back-end error; a damaged log is reported in the
    /// [`VerifyReport`] (see [`VerifyReport::into_result`]).
    pub fn verify(&mut self) -> Result<VerifyReport> {
        let header = self.backend.header()?;
        let (genesis, policy) = match &header {
            Some(h) => match decode_policy(&h.policy) {
                Ok(p) => (chain::genesis(&h.policy), p),
                Err(e) => {
                    return Ok(VerifyReport::broken(
                        0,
                        ChainBreak {
                            seq: 0,
                            kind: BreakKind::Altered,
                            reason: e.to_string(),
                        },
                    ))
                }
            },
            None => (self.genesis, self.policy.clone()),
        };
        let mut walker = crate::verify::Walker::new(genesis, policy);
        let head = self.backend.scan(0, Columns::All, &mut |row| {
            walker.row(row);
            Ok(())
        })?;
        Ok(walker.finish(header.is_some(), head))
    }

    /// The whole store as the core's JSON document.
    ///
    /// # Errors
    /// As [`EventStore::events`].
    pub fn export_document(&mut self) -> Result<Document> {
        let events = self.events()?;
        Ok(Document {
            format: dueregard::FORMAT.to_string(),
            version: dueregard::DOCUMENT_VERSION,
            policy: self.policy.clone(),
            events,
        })
    }

    /// Writes every event as JSON lines (the core's event-log format).
    ///
    /// # Errors
    /// As [`EventStore::events`], or [`StoreError::File`] when writing fails.
    pub fn export_jsonl(&mut self, mut out: impl Write) -> Result<i64> {
        let mut n = 0;
        let mut failed: Option<std::io::Error> = None;
        self.read_after(0, |e| {
            let line = serde_json::to_string(&e).map_err(|err| StoreError::Encode {
                seq: e.seq,
                reason: err.to_string(),
            })?;
            if let Err(err) = writeln!(out, "{line}") {
                failed = Some(err);
                return Err(StoreError::File {
                    action: "write",
                    path: "event log".into(),
                    source: std::io::Error::other("write failed"),
                });
            }
            n += 1;
            Ok(())
        })
        .map_err(|e| match failed.take() {
            Some(source) => StoreError::File {
                action: "write",
                path: "event log".into(),
                source,
            },
            None => e,
        })?;
        Ok(n)
    }

    /// Imports a whole tracker document into an empty store, in one
    /// transaction. The document is replayed first: a document that does not
    /// replay writes nothing.
    ///
    /// # Errors
    /// [`StoreError::Rejected`] for a document the core refuses,
    /// [`StoreError::NotEmpty`] when the store holds events, or a back-end error.
    pub fn import_document(location: &Location, document: Document) -> Result<(Self, Tracker)> {
        let tracker = Tracker::from_document(document)?;
        let mut store = Self::open_with_policy(location, tracker.policy().clone())?;
        store.import_into_empty(&tracker)?;
        Ok((store, tracker))
    }

    /// Imports a JSON-lines event log into an empty store under `policy`, in
    /// one transaction, after replaying it.
    ///
    /// # Errors
    /// As [`EventStore::import_document`].
    pub fn import_jsonl(
        location: &Location,
        policy: Policy,
        reader: impl BufRead,
    ) -> Result<(Self, Tracker)> {
        let events = dueregard::events_from_jsonl(reader)?;
        let tracker = Tracker::replay(policy.clone(), events)?;
        let mut store = Self::open_with_policy(location, policy)?;
        store.import_into_empty(&tracker)?;
        Ok((store, tracker))
    }

    fn import_into_empty(&mut self, tracker: &Tracker) -> Result<()> {
        let events = self.version()?;
        if events > 0 {
            return Err(StoreError::NotEmpty {
                location: self.location(),
                events,
            });
        }
        if self.initialised && &self.policy != tracker.policy() {
            return Err(StoreError::NotEmpty {
                location: self.location(),
                events: 0,
            });
        }
        self.append(0, &tracker.events().to_vec())
    }
}

/// Checks each row read for loading against the one before it and decodes
/// its event.
struct Reader {
    last_seq: i64,
    /// The previous row's hash, once a row was read.
    prev: Option<Vec<u8>>,
}

impl Reader {
    fn new(after: i64) -> Self {
        Reader {
            last_seq: after,
            prev: None,
        }
    }

    fn row(&mut self, row: StoredRow<'_>) -> Result<Event> {
        self.check(&row)?;
        decode_row(row.seq, row.payload)
    }

    /// Checks that a row follows the one before it (the cheap part of
    /// reading it; [`decode_row`] is the rest).
    fn check(&mut self, row: &StoredRow<'_>) -> Result<()> {
        if row.seq != self.last_seq + 1 {
            return Err(StoreError::Corrupt {
                seq: self.last_seq + 1,
                reason: "the event is missing".into(),
            });
        }
        if let Some(p) = &self.prev {
            if p.as_slice() != row.prev_hash {
                return Err(StoreError::Corrupt {
                    seq: row.seq,
                    reason: "it does not link to the event before it".into(),
                });
            }
        }
        if row.format != chain::FORMAT_MSGPACK {
            return Err(StoreError::Corrupt {
                seq: row.seq,
                reason: format!("unknown payload format {}", row.format),
            });
        }
        self.last_seq = row.seq;
        let prev = self.prev.get_or_insert_with(Vec::new);
        prev.clear();
        prev.extend_from_slice(row.hash);
        Ok(())
    }

    /// Checks the snapshot's head against the last row read and returns it.
    fn finish(self, head: Option<Head>, genesis: &Hash) -> Result<Head> {
        let head = head.unwrap_or(Head {
            version: 0,
            hash: genesis.to_vec(),
        });
        if head.version != self.last_seq {
            return Err(StoreError::Corrupt {
                seq: self.last_seq + 1,
                reason: format!(
                    "the store's head says {} events but {} were found",
                    head.version, self.last_seq
                ),
            });
        }
        if let Some(p) = self.prev {
            if p != head.hash {
                return Err(StoreError::Corrupt {
                    seq: self.last_seq,
                    reason: "the store's head does not match the last event".into(),
                });
            }
        }
        Ok(head)
    }
}

/// Decodes a checked row's event, which must be the one its row says.
fn decode_row(seq: i64, payload: &[u8]) -> Result<Event> {
    let event = chain::decode(payload).map_err(|reason| StoreError::Corrupt { seq, reason })?;
    if event.seq != seq {
        return Err(StoreError::Corrupt {
            seq,
            reason: format!("the row holds event {}", event.seq),
        });
    }
    Ok(event)
}

fn decode_policy(bytes: &[u8]) -> Result<Policy> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        seq: 0,
        reason: format!("the stored policy does not decode: {e}"),
    })
}
