//! The versioned JSON document of a whole tracker, and JSON-lines logs of
//! events and of submitted commands.

use std::io::BufRead;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::command::Submission;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::policy::Policy;
use crate::subject::Visibility;
use crate::tracker::Tracker;

/// The `format` tag of a tracker document.
pub const FORMAT: &str = "dueregard";
/// The newest document version this library reads and writes.
pub const DOCUMENT_VERSION: u32 = 1;

/// A whole tracker as JSON: its policy and its event log. The state is not
/// stored; it is rebuilt by replaying the events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Always `dueregard`.
    pub format: String,
    /// Document version.
    pub version: u32,
    /// The policy in force.
    pub policy: Policy,
    /// Every event, oldest first.
    pub events: Vec<Event>,
}

impl Tracker {
    /// The tracker as a document (every event, internal ones included).
    pub fn to_document(&self) -> Document {
        Document {
            format: FORMAT.to_string(),
            version: DOCUMENT_VERSION,
            policy: self.policy.clone(),
            events: self.events.clone(),
        }
    }

    /// The tracker as a document fit to publish: internal notes and evidence
    /// are left out and internal rationales are withheld. Sequence numbers
    /// are renumbered so the public log replays on its own.
    pub fn to_public_document(&self) -> Document {
        let mut events = Vec::with_capacity(self.events.len());
        for e in &self.events {
            if e.command.visibility() == Visibility::Internal {
                continue;
            }
            let mut e = e.clone();
            if let crate::Command::Respond {
                rationale,
                visibility: Visibility::Internal,
                ..
            } = &mut e.command
            {
                *rationale = Some(crate::Text::new("(withheld)"));
            }
            e.evidence.retain(|id| {
                self.evidence
                    .get(id)
                    .is_some_and(|x| x.visibility.is_public())
            });
            e.seq = events.len() as i64 + 1;
            events.push(e);
        }
        Document {
            format: FORMAT.to_string(),
            version: DOCUMENT_VERSION,
            policy: self.policy.clone(),
            events,
        }
    }

    /// Rebuilds a tracker from a document.
    ///
    /// # Errors
    /// [`Error::UnsupportedVersion`] for a newer document, [`Error::Invalid`]
    /// for a wrong format tag, [`Error::CorruptLog`] when the events do not replay.
    pub fn from_document(doc: Document) -> Result<Tracker> {
        if doc.format != FORMAT {
            return Err(Error::invalid(
                "format",
                format!("expected {FORMAT:?}, found {:?}", doc.format),
            ));
        }
        if doc.version > DOCUMENT_VERSION {
            return Err(Error::UnsupportedVersion {
                what: "tracker document".into(),
                found: doc.version,
                supported: DOCUMENT_VERSION,
            });
        }
        Tracker::replay(doc.policy, doc.events)
    }

    /// The tracker as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_document()).unwrap_or_default()
    }

    /// Reads a tracker from JSON text.
    ///
    /// # Errors
    /// [`Error::Parse`] with the line of the first problem, or any error of
    /// [`Tracker::from_document`].
    pub fn from_json(text: &str) -> Result<Tracker> {
        let doc: Document = serde_json::from_str(text).map_err(|e| Error::Parse {
            source_name: "tracker document".into(),
            line: Some(e.line() as u64),
            detail: e.to_string(),
        })?;
        Tracker::from_document(doc)
    }
}

/// Writes events as JSON lines (one event per line).
pub fn events_to_jsonl(events: &[Event]) -> String {
    let mut out = String::new();
    for e in events {
        if let Ok(line) = serde_json::to_string(e) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn read_jsonl<T: serde::de::DeserializeOwned>(
    source_name: &str,
    reader: impl BufRead,
    mut each: impl FnMut(u64, T) -> Result<()>,
) -> Result<()> {
    for (i, line) in reader.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.map_err(|e| Error::Parse {
            source_name: source_name.to_string(),
            line: Some(n),
            detail: e.to_string(),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let v: T = serde_json::from_str(&line).map_err(|e| Error::Parse {
            source_name: source_name.to_string(),
            line: Some(n),
            detail: e.to_string(),
        })?;
        each(n, v)?;
    }
    Ok(())
}

/// Reads events from JSON lines (blank lines are skipped).
///
/// # Errors
/// [`Error::Parse`] naming the first bad line.
pub fn events_from_jsonl(reader: impl BufRead) -> Result<Vec<Event>> {
    let mut out = Vec::new();
    read_jsonl("event log", reader, |_, e: Event| {
        out.push(e);
        Ok(())
    })?;
    Ok(out)
}

/// Reads submitted commands from JSON lines.
///
/// # Errors
/// [`Error::Parse`] naming the first bad line.
pub fn submissions_from_jsonl(reader: impl BufRead) -> Result<Vec<Submission>> {
    let mut out = Vec::new();
    read_jsonl("command log", reader, |_, s: Submission| {
        out.push(s);
        Ok(())
    })?;
    Ok(out)
}

/// The outcome of running a command log against a tracker.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogOutcome {
    /// Commands recorded.
    pub applied: u64,
    /// Commands rejected, with their line and error.
    pub rejected: Vec<(u64, Error)>,
}

impl Tracker {
    /// Streams a JSON-lines command log into the tracker, executing each
    /// command; rejected commands are counted with their line and error and
    /// change nothing. The log is not held in memory.
    ///
    /// # Errors
    /// [`Error::Parse`] on the first malformed line (commands before it stay recorded).
    pub fn run_command_log(&mut self, reader: impl BufRead) -> Result<LogOutcome> {
        let mut outcome = LogOutcome::default();
        read_jsonl("command log", reader, |n, s: Submission| {
            match self.execute(s) {
                Ok(_) => outcome.applied += 1,
                Err(e) => outcome.rejected.push((n, e)),
            }
            Ok(())
        })?;
        Ok(outcome)
    }
}

/// The JSON Schema of the tracker document, the event log lines and the
/// command log lines, as one pretty-printed JSON object.
pub fn json_schema() -> String {
    let doc = schemars::schema_for!(Document);
    let sub = schemars::schema_for!(Submission);
    let ev = schemars::schema_for!(Event);
    let all = serde_json::json!({
        "tracker_document": doc,
        "event_log_line": ev,
        "command_log_line": sub,
    });
    serde_json::to_string_pretty(&all).unwrap_or_default()
}
