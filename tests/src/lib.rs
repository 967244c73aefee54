//! # dueregard-tests
//!
//! End-to-end scenarios that span the crates of the workspace: the
//! `dueregard` command-line tool writing a real SQLite store, the store
//! reopened and exported, documents and event logs replayed, and the files
//! written by earlier versions read back.
//!
//! The scenario is data, not code: `scenarios/casey-lbbd/*.jsonl` holds its
//! commands as JSON-lines submissions, the documented command format, in
//! phases applied in file-name order. It follows the Casey Review of the
//! Metropolitan Police (16 recommendations; the numbering here is
//! illustrative) to the force's plan and the Barking and Dagenham local
//! action plan answering it, with a claim, its verification and its sign-off
//! by three different actors, and the decisions of the borough's community
//! safety partnership board.
//!
//! This library holds what the test files share: reading the scenario,
//! building and running the `dueregard` binary, and every view of a tracker
//! as one JSON value so that trackers reached by different paths can be
//! compared.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use chrono::NaiveDate;
use dueregard::view::{self, GroupBy, PeriodConfig, RagPolicy};
use dueregard::{Submission, Tracker};
use serde_json::{json, Value};

/// The phases of the scenario, in the order they are applied.
pub const PHASES: &[&str] = &[
    "01-parties",
    "02-review",
    "03-responses",
    "04-plans",
    "05-first-quarter",
    "06-verification",
    "07-second-year",
];

/// Commands in the whole scenario (the sum of the phases' lines).
pub const SCENARIO_COMMANDS: i64 = 94;

/// The review the scenario follows.
pub const REVIEW: &str = "casey-2023";

/// The date the scenario is read at: the end of the 2024/25 financial year.
pub fn as_of() -> NaiveDate {
    date("2025-03-31")
}

/// A `YYYY-MM-DD` date.
///
/// # Panics
/// On a malformed date (a bug in the test).
pub fn date(s: &str) -> NaiveDate {
    s.parse()
        .unwrap_or_else(|e| panic!("bad date {s:?} in a test: {e}"))
}

/// This crate's directory.
pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root.
pub fn workspace_root() -> &'static Path {
    crate_dir()
        .parent()
        .expect("the tests crate sits in the workspace root")
}

/// The JSON-lines file of one phase.
pub fn phase_path(phase: &str) -> PathBuf {
    crate_dir()
        .join("scenarios/casey-lbbd")
        .join(format!("{phase}.jsonl"))
}

/// A committed fixture file.
pub fn fixture_path(name: &str) -> PathBuf {
    crate_dir().join("fixtures").join(name)
}

/// Reads a text file.
///
/// # Panics
/// When the file cannot be read.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The submissions of one phase, read with the core's command-log reader.
///
/// # Panics
/// When a line is not a valid submission.
pub fn phase(phase: &str) -> Vec<Submission> {
    let path = phase_path(phase);
    let file = std::fs::File::open(&path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    dueregard::submissions_from_jsonl(BufReader::new(file))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every submission of the scenario, in order.
pub fn scenario() -> Vec<Submission> {
    PHASES.iter().flat_map(|p| phase(p)).collect()
}

/// The whole scenario as one JSON-lines command log.
pub fn scenario_jsonl() -> String {
    PHASES.iter().map(|p| read(&phase_path(p))).collect()
}

/// A tracker with every command of the scenario executed in memory.
///
/// # Panics
/// When a command is rejected.
pub fn live_tracker() -> Tracker {
    let mut t = Tracker::new();
    for (i, s) in scenario().into_iter().enumerate() {
        let what = format!("{s:?}");
        if let Err(e) = t.execute(s) {
            panic!("scenario command {} rejected: {e}\n{what}", i + 1);
        }
    }
    t
}

/// Every view of the core for `t` at the end of `as_of`, as one JSON object
/// keyed by view name: summary, overdue, RAG, coverage, slippage, progress,
/// chase list, ratings, comparison on the review, each roll-up, and the
/// change over the quarter ending on `as_of`.
///
/// # Panics
/// When a view fails (the comparison's review is unknown).
pub fn views(t: &Tracker, as_of: NaiveDate) -> Value {
    let policy = RagPolicy::default();
    let periods = PeriodConfig::uk();
    let quarter_before = as_of - chrono::Days::new(91);
    let mut out = json!({
        "summary": view::summary(t, as_of),
        "overdue": view::overdue(t, as_of),
        "rag": view::rag(t, as_of, &policy),
        "coverage": view::coverage(t, as_of),
        "slippage": view::slippage(t, as_of, 2),
        "progress": view::progress(t, as_of),
        "chase": view::chase(t, as_of, 30),
        "ratings": view::ratings(t, as_of, &policy),
        "compare": view::compare(t, REVIEW, as_of, &policy).expect("the review exists"),
        "change": view::change(t, quarter_before, as_of),
    });
    for by in [
        GroupBy::Review,
        GroupBy::Recommendation,
        GroupBy::Body,
        GroupBy::Plan,
        GroupBy::Theme,
        GroupBy::Period,
    ] {
        let key = format!("rollup_by_{}", json!(by).as_str().unwrap_or("?"));
        out[key] = json!(view::rollup(t, as_of, by, &periods));
    }
    out
}

/// The `dueregard` binary of the CLI crate, built (once per test process)
/// with `cargo build --workspace --bin dueregard`, so that it is never stale
/// and, after `cargo test --workspace`, costs no build at all: the workspace
/// run already built it with the same features.
///
/// # Panics
/// When the build fails.
pub fn dueregard_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let run = escargot::CargoBuild::new()
            .manifest_path(workspace_root().join("Cargo.toml"))
            .arg("--workspace")
            .bin("dueregard")
            .current_release()
            .run()
            .unwrap_or_else(|e| panic!("cannot build the dueregard binary: {e}"));
        run.path().to_path_buf()
    })
}

/// The `dueregard` tool run in a working directory, without colour.
#[derive(Debug, Clone)]
pub struct Cli {
    dir: PathBuf,
}

impl Cli {
    /// Runs in `dir`.
    pub fn new(dir: &Path) -> Cli {
        Cli {
            dir: dir.to_path_buf(),
        }
    }

    /// Runs `dueregard ARGS` and returns its output, whatever the exit code.
    ///
    /// # Panics
    /// When the binary cannot be started.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(dueregard_bin())
            .args(args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap_or_else(|e| panic!("cannot run dueregard {args:?}: {e}"))
    }

    /// Runs `dueregard ARGS`, which must succeed, and returns its standard output.
    ///
    /// # Panics
    /// When the command fails.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "dueregard {args:?} failed with {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("the output is UTF-8")
    }

    /// Runs `dueregard ARGS --format json`, which must succeed, and parses its output.
    ///
    /// # Panics
    /// When the command fails or prints something other than JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let text = self.ok(&all);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("dueregard {all:?} printed no JSON ({e}): {text}"))
    }

    /// Runs `dueregard ARGS`, which must fail with `code`, and returns its standard error.
    ///
    /// # Panics
    /// When the command succeeds or exits with another code.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(code),
            "dueregard {args:?}: expected exit code {code}; stderr: {stderr}"
        );
        stderr
    }
}
