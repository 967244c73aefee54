//! The scenario reaches the same tracker whichever way it travels: executed
//! in memory, executed through the store and reopened, appended to a store
//! as recorded events, written as a document and replayed, written as an
//! event log and replayed, or streamed as a command log. Every view agrees
//! on every date, and the views read as worked out by hand.

use dueregard::{events_from_jsonl, events_to_jsonl, Tracker};
use dueregard_store::{EventStore, Location, TrackerStore};
use dueregard_tests::{
    as_of, date, live_tracker, phase, scenario_jsonl, views, PHASES, SCENARIO_COMMANDS,
};
use serde_json::json;

use crate::{at, expected_overdue, overdue_rows};

/// Dates to compare the views on: quarter ends across the scenario, from
/// before the plans exist to the end.
const DATES: &[&str] = &[
    "2023-03-31",
    "2023-09-30",
    "2024-03-31",
    "2024-06-30",
    "2024-09-30",
    "2024-12-31",
    "2025-03-31",
];

#[test]
fn every_path_gives_the_same_views() {
    let live = live_tracker();
    assert_eq!(live.version(), SCENARIO_COMMANDS);
    let dir = tempfile::tempdir().expect("temp dir");

    // Executed through the store, one transaction per phase, then reopened.
    let executed = Location::Sqlite(dir.path().join("executed.db"));
    {
        let mut store = TrackerStore::open_location(&executed).expect("new store");
        for p in PHASES {
            let events = store
                .execute_batch(phase(p))
                .expect("the phase is accepted");
            assert_eq!(events.len(), phase(p).len(), "phase {p}");
        }
    }
    let mut reopened = EventStore::open(&executed).expect("reopens");
    let stored = reopened.load().expect("replays");
    let executed_report = reopened.verify().expect("verifies");
    assert!(executed_report.is_intact(), "{executed_report}");
    assert_eq!(executed_report.events, SCENARIO_COMMANDS);

    // The recorded events appended as they are to another store: the same chain.
    let appended = Location::Sqlite(dir.path().join("appended.db"));
    {
        let mut store = EventStore::open(&appended).expect("new store");
        store
            .append(0, &live.events().to_vec())
            .expect("appends the log");
        // A writer that saw an older version is refused.
        assert!(store
            .append(0, &live.events().to_vec()[..1])
            .expect_err("a stale writer")
            .is_conflict());
    }
    let mut appended = EventStore::open(&appended).expect("reopens");
    let appended_report = appended.verify().expect("verifies");
    assert_eq!(appended_report, executed_report, "same events, same chain");
    let from_appended = appended.load().expect("replays");

    // A document, an event log and a command log.
    let from_document = Tracker::from_json(&live.to_json()).expect("the document replays");
    let log = events_to_jsonl(live.events());
    let events = events_from_jsonl(log.as_bytes()).expect("the event log reads");
    let from_event_log =
        Tracker::replay(live.policy().clone(), events).expect("the event log replays");
    let mut from_command_log = Tracker::new();
    let outcome = from_command_log
        .run_command_log(scenario_jsonl().as_bytes())
        .expect("the command log reads");
    assert_eq!(outcome.applied, SCENARIO_COMMANDS as u64);
    assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);

    let paths = [
        ("the store", &stored),
        ("events appended to a store", &from_appended),
        ("a document", &from_document),
        ("an event log", &from_event_log),
        ("a command log", &from_command_log),
    ];
    for (name, t) in paths {
        assert_eq!(*t, live, "the tracker from {name}");
        assert_eq!(events_to_jsonl(t.events()), log, "the events from {name}");
    }
    for d in DATES {
        let expected = views(&live, date(d));
        for (name, t) in paths {
            assert_eq!(views(t, date(d)), expected, "the views from {name} on {d}");
        }
    }
}

#[test]
fn the_views_read_as_worked_out_by_hand() {
    let dir = tempfile::tempdir().expect("temp dir");
    let location = Location::Sqlite(dir.path().join("lbbd.db"));
    {
        let mut store = TrackerStore::open_location(&location).expect("new store");
        for p in PHASES {
            store
                .execute_batch(phase(p))
                .expect("the phase is accepted");
        }
    }
    let t = EventStore::open(&location)
        .expect("reopens")
        .load()
        .expect("replays");
    let v = views(&t, as_of());

    // 17 responses: the force's 12, MOPAC's 3 (R13 unanswered), the Home Office's 2.
    assert_eq!(
        at(&v, "/summary/responses"),
        &json!({"accepted": 13, "accepted_in_part": 1, "accepted_in_principle": 1, "awaiting": 1, "noted": 1})
    );
    assert_eq!(
        at(&v, "/summary/implementation"),
        &json!({"in_progress": 3, "not_started": 13, "verified": 1})
    );
    assert_eq!(
        at(&v, "/summary/actions"),
        &json!({"in_progress": 5, "signed_off": 1})
    );
    // Recommendations no action answers: all but R1, R4, R6, R7, R8 and R15.
    assert_eq!(at(&v, "/summary/unanswered_recommendations"), 10);
    assert_eq!(overdue_rows(at(&v, "/overdue")), expected_overdue());

    // RAG: the signed-off action is blue, the late ones red, the one with a
    // rescheduled milestone amber; the board's verified answer is blue.
    let rag = |level: &str, id: &str| -> String {
        at(&v, &format!("/rag/{level}"))
            .as_array()
            .expect("rag lines")
            .iter()
            .find(|l| at(l, "/id") == id)
            .map(|l| at(l, "/rag").as_str().unwrap_or("unrated").to_string())
            .unwrap_or_else(|| panic!("no {level} {id} in the RAG view"))
    };
    for (level, id, expected) in [
        ("actions", "lbbd-lap/A1", "blue"),
        ("actions", "lbbd-lap/A2", "amber"),
        ("actions", "lbbd-lap/A4", "red"),
        ("actions", "lbbd-lap/A5", "red"),
        ("responses", "casey-2023/R7@met", "green"),
        ("responses", "casey-2023/R12@mopac", "blue"),
        ("recommendations", "casey-2023/R16", "unrated"),
        ("plans", "lbbd-lap", "red"),
        ("bodies", "home-office", "amber"),
    ] {
        assert_eq!(rag(level, id), expected, "{level} {id}");
    }

    // Progress: A1 done (weight 1), A2 half its milestones (weight 2), three
    // others at nothing: (1 + 2 × 0.5) / 6.
    let plan = at(&v, "/progress")
        .as_array()
        .expect("progress rows")
        .iter()
        .find(|p| at(p, "/id") == "lbbd-lap")
        .expect("the local plan's progress");
    let pct = at(plan, "/weighted_pct").as_f64().expect("a percentage");
    assert!((pct - 100.0 / 3.0).abs() < 1e-9, "{pct}");

    // Slippage: the missed milestone and the revised action, 92 days each.
    let slips: Vec<(String, i64)> = at(&v, "/slippage")
        .as_array()
        .expect("slippage rows")
        .iter()
        .map(|s| {
            (
                at(s, "/id").as_str().unwrap_or_default().to_string(),
                at(s, "/days_moved").as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        slips,
        [
            ("lbbd-lap/A2/M1".to_string(), 92),
            ("lbbd-lap/A4".to_string(), 92)
        ]
    );

    // The owner rates A2 green, the board amber: they disagree.
    let ratings = at(&v, "/ratings").as_array().expect("rating pairs");
    assert_eq!(ratings.len(), 1);
    assert_eq!(at(&ratings[0], "/self_rag"), "green");
    assert_eq!(at(&ratings[0], "/independent"), "amber");
    assert_eq!(at(&ratings[0], "/disagree"), true);

    // The last quarter: A5 unblocked, MOPAC's answer verified, 27 → 41 posts.
    assert_eq!(at(&v, "/change/events"), 5);
    assert_eq!(
        at(&v, "/change/indicators/0"),
        &json!({"id": "lbbd-lap/I1", "title": "Public protection posts filled", "unit": "posts", "was": 27.0, "now": 41.0, "target": 50.0})
    );
    let rollup = at(&v, "/rollup_by_plan")
        .as_array()
        .expect("rollup rows")
        .iter()
        .find(|r| at(r, "/group") == "lbbd-lap")
        .expect("the local plan's roll-up");
    assert_eq!(at(rollup, "/indicator_progress_pct"), 82.0);
    assert_eq!(at(rollup, "/median_days_late"), 166.5);

    // Nine months earlier the claim was verified and the sign-off still to
    // come; only the London Policing Board was late (due 31 December 2023).
    let then = views(&t, date("2024-06-30"));
    assert_eq!(
        at(&then, "/summary/actions"),
        &json!({"blocked": 1, "in_progress": 4, "verified": 1})
    );
    assert_eq!(
        overdue_rows(at(&then, "/overdue")),
        [("casey-2023/R12@mopac".to_string(), 182)]
    );
}
