//! One measurement per phase: wall time, units processed and the process's
//! peak resident memory, plus the answers the peers must reproduce.
//!
//! Each phase group is meant to run in a fresh process (`dueregard-perf`),
//! so its peak resident memory is its own (including whatever it had to
//! load first, which each record names in `note`).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::time::Instant;

use dueregard::view::{self, GroupBy, PeriodConfig, RagPolicy};
use dueregard::{EntityKind, Event, Subject, Submission, Tracker};
use dueregard_store::{EventStore, Location, TrackerStore};
use serde::Serialize;

use crate::error::{BenchError, Result};
use crate::workload::cutoff;

/// One timed phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// Phase name, e.g. `apply` or `query:report`.
    pub phase: String,
    /// Who ran it (`dueregard`).
    pub runner: String,
    /// Actions in the workload.
    pub actions: usize,
    /// Units processed (commands, events or queries).
    pub events: u64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Peak resident memory of the process so far, in KiB.
    pub peak_rss_kib: u64,
    /// What the process had loaded before the phase, if anything.
    pub note: String,
}

/// The answers every implementation of the workload must agree on.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answers {
    /// Commands recorded.
    pub applied: u64,
    /// Commands rejected, by error code.
    pub rejected: BTreeMap<String, u64>,
    /// Actions by state.
    pub actions: BTreeMap<String, u64>,
    /// Milestones by state.
    pub milestones: BTreeMap<String, u64>,
    /// Open actions past their due date at the quarter end.
    pub overdue_actions: u64,
    /// Missed, or pending and past due, milestones at the quarter end.
    pub overdue_milestones: u64,
    /// Weighted % complete of each plan (rounded to 4 places).
    pub plan_pct: BTreeMap<String, f64>,
    /// Actions answering each recommendation.
    pub coverage: BTreeMap<String, u64>,
}

/// Peak resident set size of this process in KiB (`VmHWM`), 0 if unknown.
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn open(path: &Path) -> Result<BufReader<File>> {
    File::open(path)
        .map(|f| BufReader::with_capacity(1 << 20, f))
        .map_err(|source| BenchError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        })
}

fn record(phase: &str, actions: usize, events: u64, start: Instant, note: &str) -> Record {
    record_elapsed(phase, actions, events, start.elapsed(), note)
}

fn record_elapsed(
    phase: &str,
    actions: usize,
    events: u64,
    elapsed: std::time::Duration,
    note: &str,
) -> Record {
    Record {
        phase: phase.to_string(),
        runner: "dueregard".to_string(),
        actions,
        events,
        seconds: elapsed.as_secs_f64(),
        peak_rss_kib: peak_rss_kib(),
        note: note.to_string(),
    }
}

/// Reads the command log into decoded submissions.
///
/// # Errors
/// [`BenchError::Io`] or [`BenchError::Core`] for a malformed line.
pub fn parse(log: &Path) -> Result<Vec<Submission>> {
    Ok(dueregard::submissions_from_jsonl(open(log)?)?)
}

/// Applies decoded submissions one by one with every guard; returns the
/// tracker and the counts of applied and rejected commands by code.
pub fn apply(subs: Vec<Submission>) -> (Tracker, u64, BTreeMap<String, u64>) {
    let mut t = Tracker::new();
    let mut applied = 0;
    let mut rejected = BTreeMap::new();
    for s in subs {
        match t.execute(s) {
            Ok(_) => applied += 1,
            Err(e) => *rejected.entry(e.code().to_string()).or_insert(0) += 1,
        }
    }
    (t, applied, rejected)
}

/// Streams the log through [`Tracker::run_command_log`] (the log is not
/// held in memory).
///
/// # Errors
/// As [`Tracker::run_command_log`].
pub fn load(log: &Path) -> Result<(Tracker, u64, BTreeMap<String, u64>)> {
    let mut t = Tracker::new();
    let outcome = t.run_command_log(open(log)?)?;
    let mut rejected = BTreeMap::new();
    for (_, e) in &outcome.rejected {
        *rejected.entry(e.code().to_string()).or_insert(0) += 1;
    }
    Ok((t, outcome.applied, rejected))
}

/// The answers of a tracker at the workload's quarter end.
pub fn answers(t: &Tracker, applied: u64, rejected: BTreeMap<String, u64>) -> Answers {
    let as_of = cutoff();
    let mut a = Answers {
        applied,
        rejected,
        ..Answers::default()
    };
    for x in t.actions() {
        *a.actions.entry(x.state.to_string()).or_insert(0) += 1;
    }
    for m in t.milestones() {
        *a.milestones.entry(m.state.to_string()).or_insert(0) += 1;
    }
    for item in view::overdue(t, as_of) {
        match item.kind {
            view::OverdueKind::Action => a.overdue_actions += 1,
            view::OverdueKind::Milestone => a.overdue_milestones += 1,
            _ => {}
        }
    }
    for p in view::progress(t, as_of) {
        if p.kind == EntityKind::Plan {
            let pct = p.weighted_pct.map_or(0.0, |v| (v * 1e4).round() / 1e4);
            a.plan_pct.insert(p.id, pct);
        }
    }
    for row in view::coverage(t, as_of).rows {
        *a.coverage.entry(row.recommendation).or_insert(0) += row.actions.len() as u64;
    }
    a
}

/// Phase `parse`: decode the whole log.
///
/// # Errors
/// As [`parse`].
pub fn phase_parse(log: &Path, actions: usize) -> Result<Vec<Record>> {
    let start = Instant::now();
    let subs = parse(log)?;
    Ok(vec![record("parse", actions, subs.len() as u64, start, "")])
}

/// Phase `apply`: apply decoded commands (the decoding is not timed).
///
/// # Errors
/// As [`parse`].
pub fn phase_apply(log: &Path, actions: usize) -> Result<(Vec<Record>, Answers)> {
    let subs = parse(log)?;
    let n = subs.len() as u64;
    let start = Instant::now();
    let (t, applied, rejected) = apply(subs);
    let rec = record("apply", actions, n, start, "decoded log held in memory");
    Ok((vec![rec], answers(&t, applied, rejected)))
}

/// Phase `load`: parse and apply the log in one streaming pass.
///
/// # Errors
/// As [`load`].
pub fn phase_load(log: &Path, actions: usize) -> Result<(Vec<Record>, Answers)> {
    let start = Instant::now();
    let (t, applied, rejected) = load(log)?;
    let n = applied + rejected.values().sum::<u64>();
    let log = t.events();
    let per_event = log.encoded_bytes() / log.len().max(1);
    let note = format!("streaming; the log keeps {per_event} bytes an event");
    let rec = record("parse+apply", actions, n, start, &note);
    Ok((vec![rec], answers(&t, applied, rejected)))
}

/// Phase `queries`: each view the command-line tool shows, at the quarter
/// end, plus one action's state as of a past date.
///
/// # Errors
/// As [`load`].
pub fn phase_queries(log: &Path, actions: usize) -> Result<Vec<Record>> {
    let (t, _, _) = load(log)?;
    let as_of = cutoff();
    let note = "tracker loaded";
    let mut out = Vec::new();
    let policy = RagPolicy::default();
    let mut time = |name: &str, f: &mut dyn FnMut() -> usize| {
        let start = Instant::now();
        let n = f();
        out.push(record(name, actions, n as u64, start, note));
    };
    time("query:counts_per_state", &mut || {
        view::summary(&t, as_of).actions.len()
    });
    time("query:overdue", &mut || view::overdue(&t, as_of).len());
    time("query:progress_per_plan", &mut || {
        view::progress(&t, as_of).len()
    });
    time("query:coverage", &mut || {
        view::coverage(&t, as_of).rows.len()
    });
    time("query:rollup_by_body", &mut || {
        view::rollup(&t, as_of, GroupBy::Body, &PeriodConfig::uk()).len()
    });
    time("query:rag", &mut || {
        view::rag(&t, as_of, &policy).actions.len()
    });
    time("query:slippage", &mut || view::slippage(&t, as_of, 2).len());
    time("query:change_last_quarter", &mut || {
        let q = PeriodConfig::uk().quarter_of(as_of);
        let q = PeriodConfig::uk().previous(&q);
        view::change(&t, q.end, as_of).moved.len()
    });
    time("query:report", &mut || {
        // The views of the command-line tool's report, in its order.
        let prev = PeriodConfig::uk().quarter_of(as_of);
        let prev = PeriodConfig::uk().previous(&prev);
        view::summary(&t, as_of).plans.len()
            + view::rag(&t, as_of, &policy).actions.len()
            + view::overdue(&t, as_of).len()
            + view::change(&t, prev.end, as_of).moved.len()
            + view::coverage(&t, as_of).rows.len()
            + view::slippage(&t, as_of, 2).len()
    });
    let one = t.actions().nth(t.actions().len() / 2).map(|a| a.id.clone());
    if let Some(id) = one {
        let past = as_of - chrono::Duration::days(365);
        time("query:one_action_as_of_past_date", &mut || {
            // Folded from the action's own events, not a replay of the log.
            t.action_as_of(&id, past)
                .map_or(0, |a| usize::from(a.is_some()))
        });
        time("query:whole_tracker_as_of_past_date", &mut || {
            t.as_of(past).actions().len()
        });
        time("query:one_action_history", &mut || {
            t.history(&Subject::action(id.clone())).len()
        });
    }
    Ok(out)
}

/// Phase `json`: the whole tracker to JSON and back.
///
/// # Errors
/// As [`load`]; [`BenchError::Mismatch`] when the round trip changes the tracker.
pub fn phase_json(log: &Path, actions: usize) -> Result<Vec<Record>> {
    let (t, _, _) = load(log)?;
    let n = t.events().len() as u64;
    let start = Instant::now();
    let text = t.to_json();
    let mut out = vec![record("json:to_json", actions, n, start, "tracker loaded")];
    let start = Instant::now();
    let back = Tracker::from_json(&text)?;
    out.push(record(
        "json:from_json",
        actions,
        n,
        start,
        "tracker and its JSON held",
    ));
    if back.events().len() != t.events().len() {
        return Err(BenchError::Mismatch {
            detail: format!(
                "{} events before the JSON round trip, {} after",
                t.events().len(),
                back.events().len()
            ),
        });
    }
    Ok(out)
}

/// Events appended per transaction.
pub const STORE_BATCH: usize = 10_000;

/// Phase `store`: append every event of the loaded tracker to a fresh store
/// in batched transactions (hash chain included), then open it in a new
/// handle and replay it.
///
/// `location` is a SQLite path or a `postgresql://` URL (its events table
/// must be empty); `label` names the back-end in the phase name.
///
/// # Errors
/// As [`load`], [`EventStore::open`], [`EventStore::append`] and [`TrackerStore::open`].
pub fn phase_store(log: &Path, actions: usize, location: &str, label: &str) -> Result<Vec<Record>> {
    let (t, _, _) = load(log)?;
    let events = t.events();
    let loc: Location = location.parse()?;
    let n = events.len() as u64;
    let mut out = Vec::new();
    {
        let mut store = EventStore::open(&loc)?;
        let base = store.version()?;
        if base != 0 {
            return Err(BenchError::Mismatch {
                detail: format!(
                    "the store at {label} already holds {base} events; give an empty one"
                ),
            });
        }
        // The log is kept encoded; each batch is decoded outside the timing.
        let mut appending = std::time::Duration::ZERO;
        let mut version = 0i64;
        let mut from = 0;
        while from < events.len() {
            let chunk: Vec<Event> = events.range(from, from + STORE_BATCH).collect();
            let start = Instant::now();
            store.append(version, &chunk)?;
            appending += start.elapsed();
            version += chunk.len() as i64;
            from += chunk.len();
        }
        out.push(record_elapsed(
            &format!("store:{label}:append"),
            actions,
            n,
            appending,
            "tracker loaded",
        ));
    }
    let start = Instant::now();
    let reopened = TrackerStore::open_location(&loc)?;
    out.push(record(
        &format!("store:{label}:open+replay"),
        actions,
        n,
        start,
        "tracker loaded",
    ));
    if reopened.tracker().events().len() != events.len() {
        return Err(BenchError::Mismatch {
            detail: format!(
                "{} events appended, {} replayed",
                events.len(),
                reopened.tracker().events().len()
            ),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::Workload;
    use std::io::Write;

    fn log(n: usize) -> (tempfile::TempDir, std::path::PathBuf, crate::Expected) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let mut f = std::io::BufWriter::new(File::create(&path).unwrap());
        let mut g = Workload::new(n).unwrap().submissions();
        for s in g.by_ref() {
            serde_json::to_writer(&mut f, &s).unwrap();
            f.write_all(b"\n").unwrap();
        }
        f.flush().unwrap();
        let expected = g.expected().clone();
        (dir, path, expected)
    }

    #[test]
    fn streaming_and_decoded_paths_give_the_planted_answers() {
        let (_dir, path, expected) = log(500);
        let (_, from_decoded) = phase_apply(&path, 500).unwrap();
        let (_, streamed) = phase_load(&path, 500).unwrap();
        assert_eq!(from_decoded, streamed);
        assert_eq!(streamed.applied, expected.applied);
        assert_eq!(streamed.rejected, expected.rejected);
        assert_eq!(streamed.actions.values().sum::<u64>(), 500);
        assert_eq!(streamed.plan_pct.len(), 5);
    }

    #[test]
    fn every_phase_runs_on_a_small_log() {
        let (dir, path, _) = log(200);
        assert_eq!(phase_parse(&path, 200).unwrap()[0].events, {
            let (_, e) = phase_load(&path, 200).unwrap();
            e.applied + e.rejected.values().sum::<u64>()
        });
        assert!(phase_queries(&path, 200).unwrap().len() >= 6);
        assert_eq!(phase_json(&path, 200).unwrap().len(), 2);
        let db = dir.path().join("s.sqlite");
        let recs = phase_store(&path, 200, db.to_str().unwrap(), "sqlite").unwrap();
        assert_eq!(recs.len(), 2);
        assert!(recs.iter().all(|r| r.peak_rss_kib > 0));
    }
}
