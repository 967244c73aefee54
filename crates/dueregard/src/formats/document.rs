//! The versioned JSON document of a whole tracker, and JSON-lines logs of
//! events and of submitted commands.

use crate::commands::Respond;
use std::io::BufRead;
use std::sync::mpsc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::Submission;
use crate::engine::event::Event;
use crate::engine::policy::Policy;
use crate::engine::tracker::Tracker;
use crate::error::{Error, Result};
use crate::model::subject::Visibility;

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
            events: self.events.to_vec(),
        }
    }

    /// The tracker as a document fit to publish: internal notes and evidence
    /// are left out and internal rationales are withheld. Sequence numbers
    /// are renumbered so the public log replays on its own.
    pub fn to_public_document(&self) -> Document {
        let mut events = Vec::with_capacity(self.events.len());
        for mut e in &self.events {
            if e.command.visibility() == Visibility::Internal {
                continue;
            }
            if let crate::Command::Respond(Respond {
                rationale,
                visibility: Visibility::Internal,
                ..
            }) = &mut e.command
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

/// Writes events as JSON lines (one event per line): a slice of events or
/// a tracker's [`crate::EventLog`].
pub fn events_to_jsonl<E: std::borrow::Borrow<Event>>(
    events: impl IntoIterator<Item = E>,
) -> String {
    let mut out = String::new();
    for e in events {
        if let Ok(line) = serde_json::to_string(e.borrow()) {
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
        // Lines are read here, decoded on a second thread and executed here,
        // so decoding one batch overlaps executing the one before.
        let (to_decoder, lines_in) = mpsc::sync_channel::<Lines>(IN_FLIGHT);
        let (to_executor, decoded_in) = mpsc::sync_channel::<Decoded>(IN_FLIGHT);
        std::thread::scope(|scope| -> Result<()> {
            scope.spawn(move || {
                for batch in lines_in {
                    if to_executor.send(decode_batch(batch)).is_err() {
                        break;
                    }
                }
            });
            let mut in_flight = 0usize;
            let mut run = |batch: Decoded, t: &mut Tracker| -> Result<()> {
                for (n, s, encoded) in batch.items {
                    let command = batch.commands.get(encoded).filter(|c| !c.is_empty());
                    match t.execute_with(s?, command) {
                        Ok(_) => outcome.applied += 1,
                        Err(e) => outcome.rejected.push((n, e)),
                    }
                }
                Ok(())
            };
            let mut batch: Lines = Vec::with_capacity(BATCH);
            let mut read_error = None;
            for (i, line) in reader.lines().enumerate() {
                let n = i as u64 + 1;
                match line {
                    Ok(l) if l.trim().is_empty() => continue,
                    Ok(l) => batch.push((n, l)),
                    Err(e) => {
                        read_error = Some(parse_error(n, e.to_string()));
                        break;
                    }
                }
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if to_decoder.send(full).is_err() {
                        break;
                    }
                    in_flight += 1;
                    // Keep at most IN_FLIGHT - 1 batches ahead so neither side blocks on a full channel.
                    if in_flight == IN_FLIGHT - 1 {
                        if let Ok(done) = decoded_in.recv() {
                            in_flight -= 1;
                            run(done, self)?;
                        }
                    }
                }
            }
            if !batch.is_empty() && to_decoder.send(batch).is_ok() {
                in_flight += 1;
            }
            drop(to_decoder);
            for _ in 0..in_flight {
                if let Ok(done) = decoded_in.recv() {
                    run(done, self)?;
                }
            }
            read_error.map_or(Ok(()), Err)
        })?;
        Ok(outcome)
    }
}

/// Lines of a command log with their numbers.
type Lines = Vec<(u64, String)>;
/// Decoded commands with their line numbers, or the line's parse error.
struct Decoded {
    /// Line number, submission, and where its command's encoding is in `commands`.
    items: Vec<(u64, Result<Submission>, std::ops::Range<usize>)>,
    /// The batch's commands encoded for the log, back to back.
    commands: Vec<u8>,
}
/// Lines decoded at a time.
const BATCH: usize = 1024;
/// Batches between reading and executing.
const IN_FLIGHT: usize = 4;

fn parse_error(line: u64, detail: String) -> Error {
    Error::Parse {
        source_name: "command log".to_string(),
        line: Some(line),
        detail,
    }
}

/// Decodes a batch of lines and encodes each command as the event log will
/// keep it, so the executing thread only copies the bytes.
fn decode_batch(lines: Lines) -> Decoded {
    let mut commands = Vec::with_capacity(lines.len() * 48);
    let items = lines
        .into_iter()
        .map(|(n, l)| {
            let s =
                serde_json::from_str::<Submission>(&l).map_err(|e| parse_error(n, e.to_string()));
            let start = commands.len();
            if let Ok(s) = &s {
                if crate::engine::log::encode_command(&s.command, &mut commands).is_err() {
                    // Encoded again (and the error reported) when it is recorded.
                    commands.truncate(start);
                }
            }
            (n, s, start..commands.len())
        })
        .collect();
    Decoded { items, commands }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::example;

    /// The example's commands as a log, three times over, with blank lines:
    /// more lines than one decoding batch.
    fn log_lines() -> (Tracker, Vec<String>) {
        let t = example::tracker();
        let once: Vec<String> = t
            .events()
            .iter()
            .map(|e| {
                let mut s = Submission::new(e.actor.clone(), e.at, e.command.clone());
                s.reason = e.reason.clone();
                s.evidence = e.evidence.clone();
                serde_json::to_string(&s).unwrap()
            })
            .collect();
        let mut lines = Vec::new();
        for _ in 0..6 {
            for l in &once {
                lines.push(l.clone());
                if lines.len() % 97 == 0 {
                    lines.push(String::new());
                }
            }
        }
        (t, lines)
    }

    /// The log executed line by line, without the decoding thread.
    fn one_by_one(policy: &Policy, lines: &[String]) -> (Tracker, u64, Vec<(u64, &'static str)>) {
        let mut t = Tracker::with_policy(policy.clone());
        let (mut applied, mut rejected) = (0, Vec::new());
        for (i, l) in lines.iter().enumerate() {
            if l.trim().is_empty() {
                continue;
            }
            match t.execute(Submission::from_json(l).unwrap()) {
                Ok(_) => applied += 1,
                Err(e) => rejected.push((i as u64 + 1, e.code())),
            }
        }
        (t, applied, rejected)
    }

    #[test]
    fn a_long_log_applies_in_order_and_counts_rejections_by_line() {
        let (example, lines) = log_lines();
        assert!(lines.len() > 2 * BATCH);
        let (expected, applied, rejected) = one_by_one(example.policy(), &lines);
        let mut t = Tracker::with_policy(example.policy().clone());
        let out = t.run_command_log(lines.join("\n").as_bytes()).unwrap();
        assert!(t == expected, "the streamed log gives another tracker");
        assert_eq!(out.applied, applied);
        let codes: Vec<(u64, &str)> = out.rejected.iter().map(|(n, e)| (*n, e.code())).collect();
        assert_eq!(codes, rejected);
        assert!(rejected.len() > 2 * example.events().len() - 100);
    }

    #[test]
    fn a_malformed_line_stops_the_log_there() {
        let (example, mut lines) = log_lines();
        let bad = BATCH + 300;
        lines[bad - 1] = "{\"actor\": ".to_string();
        let mut t = Tracker::with_policy(example.policy().clone());
        let err = t.run_command_log(lines.join("\n").as_bytes()).unwrap_err();
        assert!(
            matches!(err, Error::Parse { line: Some(n), .. } if n == bad as u64),
            "{err}"
        );
        // Everything before the bad line was executed, nothing after it.
        let (expected, _, _) = one_by_one(example.policy(), &lines[..bad - 1]);
        assert!(
            t == expected,
            "the lines before the bad one were not all executed"
        );
    }
}
