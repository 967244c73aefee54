//! [`TrackerStore`]: a tracker kept in a store, for the CLI and the bindings.

use std::io::{BufRead, Write};

use dueregard::{Document, Event, Policy, Submission, Tracker};

use crate::error::{Result, StoreError};
use crate::location::Location;
use crate::store::EventStore;
use crate::verify::VerifyReport;

/// A [`Tracker`] loaded from an [`EventStore`], whose commands are decided by
/// the core and then appended in one transaction.
///
/// ```
/// use dueregard_store::TrackerStore;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("dueregard.db");
/// let source = dueregard::example::tracker();
/// {
///     let mut store = TrackerStore::open(path.to_str().unwrap()).unwrap();
///     store.import_events(&source.events().to_vec()).unwrap();
/// }
/// let mut reopened = TrackerStore::open(path.to_str().unwrap()).unwrap();
/// assert_eq!(reopened.tracker(), &source);
/// assert!(reopened.verify().unwrap().is_intact());
/// ```
#[derive(Debug)]
pub struct TrackerStore {
    store: EventStore,
    tracker: Tracker,
}

impl TrackerStore {
    /// Opens (creating if absent) the store at `location` — a file path, or a
    /// `postgresql://` URL — and replays it.
    ///
    /// # Errors
    /// [`StoreError::BadLocation`], any error of [`EventStore::open`] and
    /// [`EventStore::load`].
    pub fn open(location: &str) -> Result<Self> {
        Self::open_location(&location.parse()?)
    }

    /// Opens the store at a parsed [`Location`] and replays it.
    ///
    /// # Errors
    /// As [`TrackerStore::open`].
    pub fn open_location(location: &Location) -> Result<Self> {
        Self::from_store(EventStore::open(location)?)
    }

    /// Opens the store at `location`; `policy` applies if the store holds no
    /// events yet.
    ///
    /// # Errors
    /// As [`TrackerStore::open`].
    pub fn open_with_policy(location: &Location, policy: Policy) -> Result<Self> {
        Self::from_store(EventStore::open_with_policy(location, policy)?)
    }

    /// Wraps an open event store, replaying it.
    ///
    /// # Errors
    /// As [`EventStore::load`].
    pub fn from_store(mut store: EventStore) -> Result<Self> {
        let tracker = store.load()?;
        Ok(TrackerStore { store, tracker })
    }

    /// The tracker as of the last load, refresh or command.
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    /// The replayed tracker, for a caller done with the store (no copy).
    pub fn into_tracker(self) -> Tracker {
        self.tracker
    }

    /// The underlying event store.
    pub fn store(&mut self) -> &mut EventStore {
        &mut self.store
    }

    /// Where the store is (passwords left out).
    pub fn location(&self) -> String {
        self.store.location()
    }

    /// Decides `submission` with the core and, if it is accepted, appends
    /// its event. Returns the recorded event.
    ///
    /// # Errors
    /// [`StoreError::Rejected`] when the core refuses the command (nothing is
    /// written), [`StoreError::Conflict`] when another writer appended first
    /// (nothing is written; call [`TrackerStore::refresh`] and decide again),
    /// or a back-end error (nothing is written).
    pub fn execute(&mut self, submission: Submission) -> Result<Event> {
        // Decide without changing the tracker, write, then apply: a conflict
        // or a failed write leaves both the store and the tracker as they were.
        let event = self
            .tracker
            .decide_event(&submission)
            .map_err(StoreError::Rejected)?;
        self.store
            .append(self.tracker.version(), std::slice::from_ref(&event))?;
        self.tracker
            .apply_recorded(event.clone())
            .map_err(|e| StoreError::Corrupt {
                seq: event.seq,
                reason: e.to_string(),
            })?;
        Ok(event)
    }

    /// Decides every submission in order and appends all their events in
    /// one transaction: if any is rejected, or the append fails, nothing is
    /// written and the tracker is as before.
    ///
    /// # Errors
    /// As [`TrackerStore::execute`]; a rejection carries the core's error for
    /// the first refused submission.
    pub fn execute_all(
        &mut self,
        submissions: impl IntoIterator<Item = Submission>,
    ) -> Result<Vec<Event>> {
        let base = self.tracker.version();
        let mut decided = Ok(());
        for s in submissions {
            if let Err(e) = self.tracker.execute(s) {
                decided = Err(StoreError::Rejected(e));
                break;
            }
        }
        let result = decided.and_then(|()| {
            let log = self.tracker.events();
            let new: Vec<Event> = log.range(to_index(base), log.len()).collect();
            self.store.append(base, &new).map(|()| new)
        });
        if result.is_err() && self.tracker.version() != base {
            self.rewind(base)?;
        }
        result
    }

    /// Puts the tracker back to its first `version` events (the core has no
    /// undo, so this replays them in memory).
    fn rewind(&mut self, version: i64) -> Result<()> {
        let kept = self.tracker.events().range(0, to_index(version));
        self.tracker = Tracker::replay(self.tracker.policy().clone(), kept).map_err(|e| {
            StoreError::Corrupt {
                seq: version,
                reason: e.to_string(),
            }
        })?;
        Ok(())
    }

    /// Applies events other writers appended since this tracker was loaded;
    /// returns how many.
    ///
    /// # Errors
    /// As [`EventStore::load`].
    pub fn refresh(&mut self) -> Result<usize> {
        self.store.catch_up(&mut self.tracker)
    }

    /// Appends already-recorded events (a log moved from elsewhere) after
    /// replaying them onto the tracker, in one transaction.
    ///
    /// # Errors
    /// [`StoreError::Rejected`] when they do not replay, else as
    /// [`TrackerStore::execute`].
    pub fn import_events(&mut self, events: &[Event]) -> Result<()> {
        let base = self.tracker.version();
        let mut applied = Ok(());
        for e in events {
            if let Err(err) = self.tracker.apply_recorded(e.clone()) {
                applied = Err(StoreError::Rejected(err));
                break;
            }
        }
        let result = applied.and_then(|()| self.store.append(base, events));
        if result.is_err() && self.tracker.version() != base {
            self.rewind(base)?;
        }
        result
    }

    /// Walks the hash chain (see [`EventStore::verify`]).
    ///
    /// # Errors
    /// A back-end error.
    pub fn verify(&mut self) -> Result<VerifyReport> {
        self.store.verify()
    }

    /// The whole store as the core's JSON document.
    pub fn export_document(&self) -> Document {
        self.tracker.to_document()
    }

    /// Writes every event as JSON lines; returns how many.
    ///
    /// # Errors
    /// As [`EventStore::export_jsonl`].
    pub fn export_jsonl(&mut self, out: impl Write) -> Result<i64> {
        self.store.export_jsonl(out)
    }

    /// Imports a tracker document into the empty store at `location`.
    ///
    /// # Errors
    /// As [`EventStore::import_document`].
    pub fn import_document(location: &Location, document: Document) -> Result<Self> {
        let (store, tracker) = EventStore::import_document(location, document)?;
        Ok(TrackerStore { store, tracker })
    }

    /// Imports a JSON-lines event log into the empty store at `location`.
    ///
    /// # Errors
    /// As [`EventStore::import_jsonl`].
    pub fn import_jsonl(location: &Location, policy: Policy, reader: impl BufRead) -> Result<Self> {
        let (store, tracker) = EventStore::import_jsonl(location, policy, reader)?;
        Ok(TrackerStore { store, tracker })
    }
}

fn to_index(version: i64) -> usize {
    usize::try_from(version).unwrap_or(0)
}
