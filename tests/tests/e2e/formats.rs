//! Files written by version 1 (`tests/fixtures/v1-*`, made from the
//! scenario by `examples/write_fixtures.rs` with the CLI and the store):
//! a command log, a tracker document and an event log. They must always
//! load and mean what they meant; and while the format version is 1,
//! today's writers must still produce them byte for byte, so that a change
//! to the JSON shape of commands or events cannot go unnoticed.

use dueregard::{events_from_jsonl, events_to_jsonl, Document, Tracker, DOCUMENT_VERSION};
use dueregard_store::{Location, TrackerStore};
use dueregard_tests::{as_of, fixture_path, read, views, Cli, SCENARIO_COMMANDS};
use serde_json::json;

use crate::{at, expected_overdue, overdue_rows};

const DOCUMENT: &str = "v1-document.json";
const EVENT_LOG: &str = "v1-event-log.jsonl";
const COMMAND_LOG: &str = "v1-command-log.jsonl";
const STORE: &str = "v1-store.sqlite";

fn v1_document() -> (Document, Tracker) {
    let text = read(&fixture_path(DOCUMENT));
    let doc: Document = serde_json::from_str(&text).expect("the v1 document parses");
    let tracker = Tracker::from_json(&text).expect("the v1 document replays");
    (doc, tracker)
}

#[test]
fn version_1_files_still_load_and_agree() {
    let (doc, from_document) = v1_document();
    assert_eq!(doc.format, "dueregard");
    assert_eq!(doc.version, 1);
    assert_eq!(doc.events.len() as i64, SCENARIO_COMMANDS);

    let events = events_from_jsonl(read(&fixture_path(EVENT_LOG)).as_bytes())
        .expect("the v1 event log reads");
    assert_eq!(
        events, doc.events,
        "the event log holds the document's events"
    );
    let from_event_log =
        Tracker::replay(doc.policy.clone(), events).expect("the v1 event log replays");
    assert_eq!(from_event_log, from_document);

    // Under the document's own policy: the default policy grows with new
    // commands, and the v1 document keeps the one it was written under.
    let mut from_command_log = Tracker::with_policy(doc.policy.clone());
    let outcome = from_command_log
        .run_command_log(read(&fixture_path(COMMAND_LOG)).as_bytes())
        .expect("the v1 command log reads");
    assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
    assert_eq!(outcome.applied, SCENARIO_COMMANDS as u64);
    assert_eq!(
        from_command_log, from_document,
        "the v1 commands still record the v1 events"
    );

    // What the files meant when they were written.
    let v = views(&from_document, as_of());
    assert_eq!(at(&v, "/summary/recommendations"), 16);
    assert_eq!(
        at(&v, "/summary/actions"),
        &json!({"in_progress": 5, "signed_off": 1})
    );
    assert_eq!(
        at(&v, "/summary/implementation"),
        &json!({"in_progress": 3, "not_started": 13, "verified": 1})
    );
    assert_eq!(overdue_rows(at(&v, "/overdue")), expected_overdue());
}

#[test]
fn todays_writers_still_write_version_1() {
    let hint = "the JSON written for a tracker changed: keep the v1 fixtures as they are \
                (old files must still load), decide whether the change needs a new format \
                version and an upcaster, and add fixtures for it with examples/write_fixtures.rs";
    if DOCUMENT_VERSION != 1 {
        // A newer version writes newer files; the v1 files are only read.
        return;
    }
    let (_, tracker) = v1_document();
    assert!(
        tracker.to_json() == read(&fixture_path(DOCUMENT)),
        "tracker document: {hint}"
    );
    assert!(
        events_to_jsonl(tracker.events()) == read(&fixture_path(EVENT_LOG)),
        "event log: {hint}"
    );
}

#[test]
fn the_cli_and_the_store_read_version_1_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Cli::new(dir.path());
    for (name, kind) in [(DOCUMENT, "tracker document"), (COMMAND_LOG, "command log")] {
        let path = fixture_path(name);
        let out = cli.ok(&["validate", path.to_str().expect("UTF-8 path")]);
        assert_eq!(out, format!("{}: {kind} is valid\n", path.display()));
    }
    let document = fixture_path(DOCUMENT);
    let overdue = cli.json(&[
        "--file",
        document.to_str().expect("UTF-8 path"),
        "--as-of",
        "2025-03-31",
        "overdue",
    ]);
    assert_eq!(overdue_rows(&overdue), expected_overdue());

    // Imported into a new store, the v1 document keeps its meaning and its chain holds.
    let (doc, tracker) = v1_document();
    let location = Location::Sqlite(dir.path().join("imported.db"));
    drop(TrackerStore::import_document(&location, doc).expect("imports"));
    let mut store = TrackerStore::open_location(&location).expect("reopens");
    assert_eq!(store.tracker(), &tracker);
    let report = store.verify().expect("verifies");
    assert!(report.is_intact(), "{report}");
    assert_eq!(report.events, SCENARIO_COMMANDS);
}

/// A SQLite store written by version 1 (its events' payloads are the
/// store's MessagePack bytes, under the hash chain) still opens, verifies
/// and holds the v1 tracker; a new command appends to its chain.
#[test]
fn a_version_1_store_opens_verifies_and_takes_new_events() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v1.db");
    std::fs::copy(fixture_path(STORE), &path).expect("copies the v1 store");
    let location = Location::Sqlite(path);
    let (_, tracker) = v1_document();
    let mut store = TrackerStore::open_location(&location).expect("the v1 store opens");
    assert_eq!(
        store.tracker(),
        &tracker,
        "the v1 store holds the v1 tracker"
    );
    let report = store.verify().expect("verifies");
    assert!(report.is_intact(), "{report}");
    assert_eq!(report.events, SCENARIO_COMMANDS);

    let last = tracker.last_event_at().expect("the scenario has events");
    let note = dueregard::Submission::new(
        "admin",
        last,
        dueregard::commands::AddNote::new(
            dueregard::Subject::new(dueregard::EntityKind::Review, "casey-2023"),
            "read back by a later version",
        )
        .into(),
    );
    store
        .execute(note)
        .expect("a new event appends to the v1 chain");
    drop(store);
    let mut reopened = TrackerStore::open_location(&location).expect("reopens");
    let report = reopened.verify().expect("verifies");
    assert!(report.is_intact(), "{report}");
    assert_eq!(report.events, SCENARIO_COMMANDS + 1);
}
