//! Where the tracker comes from and where changes go: a JSON tracker
//! document (`--file`) or the embedded SQLite store (`--store`, by default
//! `dueregard.db` in the working directory).

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use dueregard::commands::{RegisterActor, RegisterBody};
use dueregard::{Policy, Role, Submission, Tracker};
use dueregard_store::{Location, StoreError, TrackerStore, DEFAULT_FILE};
use indicatif::{ProgressBar, ProgressStyle};

use crate::error::{CliError, Result};

/// Replaying more events than this shows a progress bar on a terminal.
const PROGRESS_AFTER: usize = 2_000;

/// The tracker's home.
#[derive(Debug, Clone)]
pub enum Source {
    /// A JSON tracker document.
    File(PathBuf),
    /// An SQLite store.
    Store(PathBuf),
}

impl Source {
    /// From the global options.
    pub fn from_options(file: Option<PathBuf>, store: Option<PathBuf>) -> Source {
        match (file, store) {
            (Some(f), _) => Source::File(f),
            (None, Some(s)) => Source::Store(s),
            (None, None) => Source::Store(PathBuf::from(DEFAULT_FILE)),
        }
    }

    /// The path.
    pub fn path(&self) -> &Path {
        match self {
            Source::File(p) | Source::Store(p) => p,
        }
    }

    /// Loads the tracker.
    ///
    /// # Errors
    /// A missing or unreadable file, a malformed document, a store that is
    /// absent, not a store, or does not replay.
    pub fn load(&self) -> Result<Tracker> {
        match self {
            Source::File(p) => {
                let text = read(p)?;
                load_document(p, &text)
            }
            Source::Store(p) => Ok(open_store(p)?.into_tracker()),
        }
    }

    /// Records submissions: every one or none.
    ///
    /// # Errors
    /// The first rejected submission, with its position, or a storage error;
    /// nothing is written in either case.
    pub fn apply(&self, submissions: Vec<Submission>) -> Result<usize> {
        let n = submissions.len();
        match self {
            Source::File(p) => {
                let mut t = self.load()?;
                t.execute_batch(submissions)
                    .map_err(|e| numbered(e.index, n, e.error))?;
                write_atomic(p, &t.to_json())?;
            }
            Source::Store(p) => {
                // The store decides each command and writes them in one
                // transaction; a rejection names the command and writes nothing.
                let mut store = open_store(p)?;
                match store.execute_batch(submissions) {
                    Ok(_) => {}
                    Err(StoreError::RejectedInBatch { index, error }) => {
                        return Err(numbered(index, n, error))
                    }
                    Err(other) => return Err(other.into()),
                }
            }
        }
        Ok(n)
    }
}

/// The body that keeps a new tracker and its first administrator.
pub struct FirstParties<'a> {
    /// Body identifier.
    pub body: &'a str,
    /// Body name.
    pub body_name: &'a str,
    /// Kind of body.
    pub kind: dueregard::BodyKind,
    /// Administrator's identifier.
    pub admin: &'a str,
    /// Administrator's name.
    pub admin_name: &'a str,
}

impl FirstParties<'_> {
    /// The two commands that start a tracker: the body, then its
    /// administrator (accepted while the tracker has no administrator yet).
    fn submissions(&self) -> Vec<Submission> {
        let at = chrono::Utc::now();
        let body = RegisterBody::new(self.body, self.body_name, self.kind);
        let admin = RegisterActor::new(
            self.admin,
            self.admin_name,
            self.body,
            vec![Role::Administrator],
        );
        vec![
            Submission::new(self.admin, at, body.into()),
            Submission::new(self.admin, at, admin.into()),
        ]
    }
}

impl Source {
    /// Starts a new tracker here with the default policy and its first
    /// parties; returns the number of events recorded. Refuses to touch an
    /// existing file, and leaves no file behind when it fails.
    ///
    /// # Errors
    /// [`CliError::AlreadyStarted`], a rejected identifier or name (nothing is
    /// written), or a storage error.
    pub fn init(&self, first: &FirstParties<'_>) -> Result<usize> {
        let path = self.path();
        if path.exists() {
            return Err(CliError::AlreadyStarted(path.to_path_buf()));
        }
        let mut t = Tracker::with_policy(Policy::default());
        let n = t
            .execute_batch(first.submissions())
            .map_err(|e| CliError::Core(e.error))?;
        match self {
            Source::File(p) => write_atomic(p, &t.to_json())?,
            Source::Store(p) => {
                let location = Location::Sqlite(p.clone());
                let written = TrackerStore::import_document(&location, t.to_document());
                if let Err(e) = written {
                    // Nothing half-made survives a failed start.
                    let _ = std::fs::remove_file(p);
                    return Err(e.into());
                }
            }
        }
        Ok(n)
    }
}

fn numbered(i: usize, n: usize, e: dueregard::Error) -> CliError {
    if n == 1 {
        CliError::Core(e)
    } else {
        CliError::Problems(
            format!("command {} of {n} rejected, nothing recorded: {e}", i + 1),
            crate::error::CliError::Core(e).exit_code(),
        )
    }
}

/// Reads a whole text file.
pub fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).map_err(|e| CliError::File {
        action: "read",
        path: p.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Opens an existing store.
pub fn open_store(p: &Path) -> Result<TrackerStore> {
    if !p.exists() {
        return Err(CliError::NoStore(p.to_path_buf()));
    }
    let spinner = spinner(&format!("loading {}", p.display()));
    let s = TrackerStore::open_location(&Location::Sqlite(p.to_path_buf()));
    if let Some(b) = spinner {
        b.finish_and_clear();
    }
    Ok(s?)
}

fn spinner(msg: &str) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let b = ProgressBar::new_spinner();
    b.set_message(msg.to_string());
    b.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(b)
}

/// Reads a tracker document, replaying its events with a progress bar on a
/// terminal when the log is long.
pub fn load_document(p: &Path, text: &str) -> Result<Tracker> {
    let doc: dueregard::Document =
        serde_json::from_str(text).map_err(|e| dueregard::Error::Parse {
            source_name: p.display().to_string(),
            line: Some(e.line() as u64),
            detail: e.to_string(),
        })?;
    if doc.events.len() < PROGRESS_AFTER || !std::io::stderr().is_terminal() {
        return Ok(Tracker::from_document(doc)?);
    }
    let events = doc.events.len() as u64;
    let bar = ProgressBar::new(events);
    if let Ok(style) = ProgressStyle::with_template("replaying {bar:40} {pos}/{len} events") {
        bar.set_style(style);
    }
    let mut shell = doc;
    let all = std::mem::take(&mut shell.events);
    let mut t = Tracker::from_document(shell)?;
    for e in all {
        t.apply_recorded(e)?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(t)
}

/// Writes a file through a temporary file and a rename, so a failure leaves
/// the old content.
pub fn write_atomic(p: &Path, text: &str) -> Result<()> {
    let tmp = p.with_extension("tmp~");
    let fail = |e: std::io::Error| CliError::File {
        action: "write",
        path: p.to_path_buf(),
        reason: e.to_string(),
    };
    std::fs::write(&tmp, text).map_err(fail)?;
    std::fs::rename(&tmp, p).map_err(fail)
}

/// Reads JSON-lines submissions with a progress bar on a terminal.
pub fn read_lines(p: &Path) -> Result<Vec<(u64, std::result::Result<Submission, String>)>> {
    let file = std::fs::File::open(p).map_err(|e| CliError::File {
        action: "read",
        path: p.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| CliError::File {
            action: "read",
            path: p.to_path_buf(),
            reason: e.to_string(),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed = serde_json::from_str::<Submission>(&line).map_err(|e| e.to_string());
        out.push((i as u64 + 1, parsed));
    }
    Ok(out)
}
