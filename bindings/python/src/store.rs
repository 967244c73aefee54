//! The `Store` class: a tracker kept in an append-only, hash-chained SQLite file.

use std::io::{BufReader, BufWriter};
use std::sync::Mutex;

use dueregard_store::{Location, TrackerStore, VerifyReport};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::entities::Event;
use crate::errors::{core_err, io_err, store_err, StorageError};
use crate::tracker::{Submission, Tracker};

fn location(path: Option<&Bound<'_, PyAny>>) -> PyResult<Location> {
    let Some(path) = path else {
        return Ok(Location::default());
    };
    let text: String = match path.extract::<std::path::PathBuf>() {
        Ok(p) => p.to_string_lossy().into_owned(),
        Err(_) => path.extract()?,
    };
    text.parse().map_err(store_err)
}

/// Runs `f` on the store with the GIL released (the store is used by one thread at a time).
fn with<T: Send>(
    py: Python<'_>,
    store: &Mutex<TrackerStore>,
    f: impl FnOnce(&mut TrackerStore) -> T + Send,
) -> PyResult<T> {
    py.detach(|| store.lock().map(|mut s| f(&mut s)).map_err(|_| ()))
        .map_err(|_| {
            StorageError::new_err("the store was left unusable by an earlier panic; open it again")
        })
}

/// A tracker kept in a store: every accepted command is appended atomically to an
/// append-only, hash-chained event log; a rejected command writes nothing.
///
/// `Store("dueregard.db")` opens (creating if absent) a SQLite file; a `postgresql://` URL
/// opens a PostgreSQL store when the package was built with that back-end.
#[pyclass(module = "dueregard")]
pub struct Store(Mutex<TrackerStore>);

/// The outcome of `Store.verify()`.
#[pyclass(module = "dueregard", frozen)]
pub struct VerifyResult(VerifyReport);

#[pymethods]
impl VerifyResult {
    /// Event rows read.
    #[getter]
    fn events(&self) -> i64 {
        self.0.events
    }
    /// Hex SHA-256 of the last verified event; publish it to detect a rewrite of the whole log.
    #[getter]
    fn head(&self) -> &str {
        &self.0.head
    }
    /// True when every event verified.
    #[getter]
    fn intact(&self) -> bool {
        self.0.is_intact()
    }
    /// The sequence number of the first event that failed, if any.
    #[getter]
    fn broken_at(&self) -> Option<i64> {
        self.0.first_break.as_ref().map(|b| b.seq)
    }
    /// Why the first failing event failed, if any.
    #[getter]
    fn reason(&self) -> Option<String> {
        self.0
            .first_break
            .as_ref()
            .map(|b| format!("{}: {}", b.kind, b.reason))
    }
    fn __bool__(&self) -> bool {
        self.0.is_intact()
    }
    fn __repr__(&self) -> String {
        format!("<VerifyResult {}>", self.0)
    }
}

#[pymethods]
impl Store {
    /// Opens (creating if absent) the store at `path`.
    #[new]
    #[pyo3(signature = (path=None))]
    fn new(py: Python<'_>, path: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let loc = location(path)?;
        py.detach(|| TrackerStore::open_location(&loc))
            .map(|s| Store(Mutex::new(s)))
            .map_err(store_err)
    }

    /// Creates a store at `path` (which must be empty) holding `tracker`'s events.
    #[staticmethod]
    #[pyo3(signature = (tracker, path=None))]
    fn import_tracker(
        py: Python<'_>,
        tracker: &Tracker,
        path: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let loc = location(path)?;
        let doc = tracker.0.to_document();
        py.detach(|| TrackerStore::import_document(&loc, doc))
            .map(|s| Store(Mutex::new(s)))
            .map_err(store_err)
    }

    /// Creates a store at `path` (which must be empty) from a tracker document in JSON.
    #[staticmethod]
    #[pyo3(signature = (text, path=None))]
    fn import_json(py: Python<'_>, text: &str, path: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let loc = location(path)?;
        let tracker = py
            .detach(|| dueregard::Tracker::from_json(text))
            .map_err(core_err)?;
        let doc = tracker.to_document();
        py.detach(|| TrackerStore::import_document(&loc, doc))
            .map(|s| Store(Mutex::new(s)))
            .map_err(store_err)
    }

    /// Creates a store at `path` (which must be empty) from a JSON-lines event log file.
    #[staticmethod]
    #[pyo3(signature = (log, path=None))]
    fn import_jsonl(
        py: Python<'_>,
        log: &Bound<'_, PyAny>,
        path: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let loc = location(path)?;
        let log: std::path::PathBuf = log.extract()?;
        let shown = log.display().to_string();
        py.detach(|| {
            let file = std::fs::File::open(&log).map_err(|e| Err(io_err(&shown, "read", e)))?;
            TrackerStore::import_jsonl(&loc, dueregard::Policy::default(), BufReader::new(file))
                .map_err(Ok)
        })
        .map(|s| Store(Mutex::new(s)))
        .map_err(|e: Result<dueregard_store::StoreError, PyErr>| match e {
            Ok(s) => store_err(s),
            Err(p) => p,
        })
    }

    /// Where the store lives.
    #[getter]
    fn location(&self, py: Python<'_>) -> PyResult<String> {
        with(py, &self.0, |s| s.location())
    }

    /// Number of events in the loaded tracker.
    #[getter]
    fn version(&self, py: Python<'_>) -> PyResult<i64> {
        with(py, &self.0, |s| s.tracker().version())
    }

    /// A copy of the tracker as loaded from the store (query it with the `Tracker` methods).
    fn tracker(&self, py: Python<'_>) -> PyResult<Tracker> {
        with(py, &self.0, |s| Tracker(s.tracker().clone()))
    }

    /// Applies events other writers appended since the store was opened; returns how many.
    fn refresh(&self, py: Python<'_>) -> PyResult<usize> {
        with(py, &self.0, |s| s.refresh())?.map_err(store_err)
    }

    /// Decides a command with the core and, if accepted, appends its event.
    ///
    /// Raises the core's exception when refused and `ConflictError` when another writer appended
    /// first; either way nothing is written.
    #[pyo3(signature = (command, /, *, actor, at, reason=None, evidence=None, **fields))]
    fn execute(
        &self,
        command: &Bound<'_, PyAny>,
        actor: &str,
        at: &Bound<'_, PyAny>,
        reason: Option<String>,
        evidence: Option<Vec<String>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Event> {
        let py = command.py();
        let sub = Submission::new(command, actor, at, reason, evidence, fields)?;
        with(py, &self.0, |s| s.execute(sub.0))?
            .map(Event)
            .map_err(store_err)
    }

    /// Decides every submission in order and appends all their events in one transaction: if
    /// any is refused, nothing is written.
    fn execute_batch(
        &self,
        py: Python<'_>,
        submissions: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<Event>> {
        let mut subs = Vec::new();
        for item in submissions.try_iter()? {
            let item = item?;
            match item.cast::<Submission>() {
                Ok(s) => subs.push(s.get().0.clone()),
                Err(_) => subs.push(Submission::from_dict(&item)?.0),
            }
        }
        with(py, &self.0, |s| s.execute_batch(subs))?
            .map(|events| events.into_iter().map(Event).collect())
            .map_err(store_err)
    }

    /// Walks the hash chain. Raises `TamperingDetectedError` (with `seq`) at the first altered,
    /// missing or reordered event unless `raise_on_break=False`, which returns the report.
    #[pyo3(signature = (*, raise_on_break=true))]
    fn verify(&self, py: Python<'_>, raise_on_break: bool) -> PyResult<VerifyResult> {
        let report = with(py, &self.0, |s| s.verify())?.map_err(store_err)?;
        if raise_on_break {
            report.into_result().map(VerifyResult).map_err(store_err)
        } else {
            Ok(VerifyResult(report))
        }
    }

    /// The whole store as a tracker document in JSON.
    fn export_json(&self, py: Python<'_>) -> PyResult<String> {
        with(py, &self.0, |s| s.tracker().to_json())
    }

    /// Writes every stored event to `path` as JSON lines; returns how many.
    fn export_jsonl(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<i64> {
        let shown = path.display().to_string();
        let file = std::fs::File::create(&path).map_err(|e| io_err(&shown, "write", e))?;
        with(py, &self.0, |s| s.export_jsonl(BufWriter::new(file)))?.map_err(store_err)
    }

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        with(py, &self.0, |s| s.tracker().events().len())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        with(py, &self.0, |s| {
            format!(
                "<Store {} with {} events>",
                s.location(),
                s.tracker().version()
            )
        })
    }
}
