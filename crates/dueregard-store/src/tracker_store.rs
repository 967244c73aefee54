//! [`TrackerStore`]: a tracker kept in a store, for the CLI and the bindings.

use std::io::{BufRead, Write};

use dueregard::{BatchError, Document, Event, Policy, Submission, Tracker};

use crate::error::Result;
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
        let base = self.tracker.version();
        let mut batch = self.tracker.batch(1);
        let event = batch.execute(submission)?;
        // Written before the batch is committed: a conflict or a failed
        // write drops the batch, which undoes the command in memory.
        self.store.append(base, std::slice::from_ref(&event))?;
        batch.commit();
        Ok(event)
    }

    /// Decides every submission in order and appends all their events in
    /// one transaction: if any is rejected, or the append fails, nothing is
    /// written and the tracker is as before (the core's batch undoes what
    /// it recorded in memory).
    ///
    /// # Errors
    /// [`StoreError::RejectedInBatch`] naming the first refused submission,
    /// else as [`TrackerStore::execute`].
    pub fn execute_batch(
        &mut self,
        submissions: impl IntoIterator<Item = Submission>,
    ) -> Result<Vec<Event>> {
        let base = self.tracker.version();
        let submissions = submissions.into_iter();
        let mut batch = self.tracker.batch(submissions.size_hint().0);
        for (index, s) in submissions.enumerate() {
            batch
                .execute(s)
                .map_err(|error| BatchError { index, error })?;
        }
        let events = batch.events();
        self.store.append(base, &events)?;
        batch.commit();
        Ok(events)
    }

    /// Appends already-recorded events (a log moved from elsewhere) after
    /// applying them onto the tracker, in one transaction.
    ///
    /// # Errors
    /// [`StoreError::Rejected`] when they do not replay, else as
    /// [`TrackerStore::execute`]; nothing is written and the tracker is as
    /// before.
    pub fn import_events(&mut self, events: &[Event]) -> Result<()> {
        let base = self.tracker.version();
        let mut batch = self.tracker.batch(events.len());
        for e in events {
            batch.apply_recorded(e.clone())?;
        }
        self.store.append(base, events)?;
        batch.commit();
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
