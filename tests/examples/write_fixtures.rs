//! Writes the format fixtures of `tests/fixtures/` for the current format
//! version from the scenario, with the `dueregard` binary and the store:
//!
//! ```sh
//! cargo run -p dueregard-tests --example write_fixtures -- OUT_DIR
//! ```
//!
//! - `vN-command-log.jsonl`: the scenario's submissions, one a line;
//! - `vN-document.json`: the tracker document `dueregard --file … apply --log`
//!   writes, starting from an empty document;
//! - `vN-event-log.jsonl`: the event log the store exports after
//!   `dueregard --store … apply --log`.
//!
//! Committed fixtures are never rewritten: when a format changes, write the
//! new version's fixtures beside the old ones (see `tests/fixtures/README.md`).

use std::path::PathBuf;

use dueregard::{Tracker, DOCUMENT_VERSION};
use dueregard_store::{Location, TrackerStore};
use dueregard_tests::{scenario_jsonl, Cli};

fn main() {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: write_fixtures OUT_DIR");
        std::process::exit(2);
    };
    std::fs::create_dir_all(&out).expect("creates the output directory");
    // The binary runs in a scratch directory: name files absolutely.
    let out = out.canonicalize().expect("the output directory resolves");
    let work = tempfile::tempdir().expect("temp dir");
    let cli = Cli::new(work.path());
    let v = DOCUMENT_VERSION;
    for kind in ["command-log.jsonl", "document.json", "event-log.jsonl"] {
        let file = out.join(format!("v{v}-{kind}"));
        if file.exists() {
            eprintln!(
                "{} exists; committed fixtures are never rewritten",
                file.display()
            );
            std::process::exit(1);
        }
    }

    let commands = out.join(format!("v{v}-command-log.jsonl"));
    std::fs::write(&commands, scenario_jsonl()).expect("writes the command log");
    let commands = commands.to_str().expect("UTF-8 path");

    let document = out.join(format!("v{v}-document.json"));
    std::fs::write(&document, Tracker::new().to_json()).expect("writes an empty document");
    let document = document.to_str().expect("UTF-8 path");
    cli.ok(&["--file", document, "apply", "--log", commands]);

    let db = work.path().join("fixture.db");
    drop(TrackerStore::open_location(&Location::Sqlite(db.clone())).expect("new store"));
    cli.ok(&[
        "--store",
        db.to_str().expect("UTF-8 path"),
        "apply",
        "--log",
        commands,
    ]);
    let mut store = TrackerStore::open_location(&Location::Sqlite(db)).expect("reopens");
    let mut log = Vec::new();
    store.export_jsonl(&mut log).expect("exports the event log");
    std::fs::write(out.join(format!("v{v}-event-log.jsonl")), log).expect("writes the event log");
    println!("fixtures for version {v} written to {}", out.display());
}
