//! A plan's whole life through the `dueregard` binary: parties, the review
//! and its 16 recommendations, responses, the force's and the borough's
//! plans, actions, milestones, an indicator, evidence, a claim verified by
//! another body and signed off by the partnership board, and the board's
//! decisions, each phase applied with `dueregard apply --log` to a SQLite
//! store. Rules refuse what they must and refused commands write nothing.
//! Then the store is reopened with the store crate, exported as a document,
//! the document replayed into a tracker, and the hash chain verified.

use dueregard::Tracker;
use dueregard_store::{Location, TrackerStore};
use dueregard_tests::{as_of, phase, phase_path, views, Cli, PHASES, SCENARIO_COMMANDS};
use serde_json::json;

use crate::{at, expected_overdue, overdue_rows};

const STORE: &str = "lbbd.db";

/// Applies one phase's command file through the CLI and checks what it says.
fn apply_phase(cli: &Cli, name: &str) {
    let path = phase_path(name);
    let out = cli.ok(&[
        "--store",
        STORE,
        "apply",
        "--log",
        path.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(
        out,
        format!("{} command(s) recorded in {STORE}\n", phase(name).len()),
        "phase {name}"
    );
}

/// The number of events in the store, read with the store crate.
fn stored_events(dir: &std::path::Path) -> i64 {
    let store = TrackerStore::open_location(&Location::Sqlite(dir.join(STORE))).expect("opens");
    store.tracker().version()
}

/// `(actor, command)` of each event of an item's history, from `history --format json`.
fn history(cli: &Cli, id: &str) -> Vec<(String, String)> {
    let v = cli.json(&["--store", STORE, "history", id]);
    v.as_array()
        .unwrap_or_else(|| panic!("history is a list: {v}"))
        .iter()
        .map(|e| {
            let actor = at(e, "/actor").as_str().unwrap_or_default().to_string();
            let command = at(e, "/command")
                .as_object()
                .and_then(|c| c.keys().next().cloned())
                .unwrap_or_default();
            (actor, command)
        })
        .collect()
}

#[test]
fn a_plan_lives_through_the_cli_into_a_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Cli::new(dir.path());
    let db = dir.path().join(STORE);

    // The scenario registers its own administrator and bodies from its first
    // file (`dueregard init` would register them itself), so the store crate
    // creates the empty store.
    drop(TrackerStore::open_location(&Location::Sqlite(db.clone())).expect("new store"));
    cli.fails(&["--store", "missing.db", "status"], 3);

    // Who is who, and the review with its 16 recommendations, each awaiting
    // a response from every addressee (R14 has two).
    apply_phase(&cli, "01-parties");
    apply_phase(&cli, "02-review");
    let s = cli.json(&["--store", STORE, "--as-of", "2023-03-31", "status"]);
    assert_eq!(at(&s, "/summary/reviews"), 1);
    assert_eq!(at(&s, "/summary/recommendations"), 16);
    assert_eq!(at(&s, "/summary/responses"), &json!({"awaiting": 17}));

    // The answers: the force accepts all but R8, which it accepts in part;
    // MOPAC has not answered R13 yet; the Home Office notes R16.
    apply_phase(&cli, "03-responses");
    let s = cli.json(&["--store", STORE, "--as-of", "2023-09-30", "status"]);
    assert_eq!(
        at(&s, "/summary/responses"),
        &json!({"accepted": 13, "accepted_in_part": 1, "accepted_in_principle": 1, "awaiting": 1, "noted": 1})
    );
    assert_eq!(
        at(&s, "/summary/implementation"),
        &json!({"in_progress": 4, "not_started": 13})
    );

    // The plans: the force's, and the borough's local plan under it.
    apply_phase(&cli, "04-plans");
    let coverage = cli.json(&["--store", STORE, "--as-of", "2024-04-30", "coverage"]);
    assert_eq!(
        at(&coverage, "/actions_answering_nothing"),
        &json!(["lbbd-lap/A5"]),
        "the data-sharing action is a local ask beyond the review"
    );

    // The first quarter: the owner claims A1 done with its evidence.
    apply_phase(&cli, "05-first-quarter");
    let before = stored_events(dir.path());
    assert_eq!(before, 17 + 17 + 20 + 13 + 8);
    // A rule refuses to complete A2 while its milestones are pending ...
    let err = cli.fails(
        &[
            "--store",
            STORE,
            "apply",
            r#"{"actor":"ea-commander","at":"2024-05-29T10:00:00Z","command":{"complete_action":{"action":"lbbd-lap/A2"}}}"#,
        ],
        1,
    );
    assert!(
        err.starts_with("error: action lbbd-lap/A2 cannot complete: milestone(s) lbbd-lap/A2/M1, lbbd-lap/A2/M2 still pending"),
        "{err}"
    );
    // ... and the owner may not verify the claim; a verifier must.
    let err = cli.fails(
        &[
            "--store",
            STORE,
            "apply",
            r#"{"actor":"ea-commander","at":"2024-05-29T10:00:00Z","evidence":["ev-a1-posting"],"command":{"verify_action":{"action":"lbbd-lap/A1"}}}"#,
        ],
        1,
    );
    assert!(err.contains("ea-commander may not verify_action"), "{err}");
    assert_eq!(
        stored_events(dir.path()),
        before,
        "refused commands write nothing"
    );

    // Verified by MOPAC's assurance officer; the board asks for a further report.
    apply_phase(&cli, "06-verification");
    // Sign-off must wait for the 90-day demonstration period after verification.
    let err = cli.fails(
        &[
            "--store",
            STORE,
            "apply",
            r#"{"actor":"csp-chair","at":"2024-07-18T19:00:00Z","command":{"sign_off":{"about":{"kind":"action","id":"lbbd-lap/A1"}}}}"#,
        ],
        1,
    );
    assert!(err.contains("2024-09-08"), "{err}");

    // The second year: slippage, ratings, the sign-off, MOPAC's board verified.
    apply_phase(&cli, "07-second-year");
    assert_eq!(stored_events(dir.path()), SCENARIO_COMMANDS);

    // Claimed, verified and signed off by three actors of three bodies.
    assert_eq!(
        history(&cli, "lbbd-lap/A1"),
        [
            ("ea-commander", "add_action"),
            ("ea-commander", "add_milestone"),
            ("ea-commander", "start_action"),
            ("ea-analyst", "achieve_milestone"),
            ("ea-analyst", "submit_evidence"),
            ("ea-commander", "complete_action"),
            ("mopac-assurance", "verify_action"),
            ("csp-chair", "record_decision"),
            ("csp-chair", "sign_off"),
        ]
        .map(|(a, c)| (a.to_string(), c.to_string()))
    );

    // What the board sees at the end of the year.
    let s = cli.json(&["--store", STORE, "--as-of", "2025-03-31", "status"]);
    assert_eq!(
        at(&s, "/summary/actions"),
        &json!({"in_progress": 5, "signed_off": 1})
    );
    assert_eq!(at(&s, "/summary/overdue_actions"), 3);
    let plans: Vec<(&str, &str)> = at(&s, "/plans")
        .as_array()
        .expect("plans")
        .iter()
        .map(|p| {
            (
                at(p, "/id").as_str().unwrap_or_default(),
                at(p, "/rag").as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(plans, [("new-met", "red"), ("lbbd-lap", "red")]);
    let overdue = cli.json(&["--store", STORE, "--as-of", "2025-03-31", "overdue"]);
    assert_eq!(overdue_rows(&overdue), expected_overdue());

    // The hash chain, walked by the CLI.
    let verified = cli.ok(&["--store", STORE, "verify"]);
    let head = verified
        .strip_prefix(&format!("{SCENARIO_COMMANDS} events verified; head "))
        .unwrap_or_else(|| panic!("unexpected verify output: {verified}"))
        .trim_end()
        .to_string();
    assert_eq!(head.len(), 64, "a SHA-256 in hex: {head}");

    // Reopened with the store crate: the same chain, head and tracker.
    let mut store = TrackerStore::open_location(&Location::Sqlite(db)).expect("reopens");
    let report = store.verify().expect("verifies");
    assert!(report.is_intact(), "{report}");
    assert_eq!(report.events, SCENARIO_COMMANDS);
    assert_eq!(report.head, head);

    // Exported as a document, written, read back and replayed.
    let text = serde_json::to_string_pretty(&store.export_document()).expect("serialises");
    let doc_path = dir.path().join("lbbd.json");
    std::fs::write(&doc_path, &text).expect("writes");
    let replayed = Tracker::from_json(&std::fs::read_to_string(&doc_path).expect("reads"))
        .expect("the exported document replays");
    assert_eq!(&replayed, store.tracker());
    assert_eq!(views(&replayed, as_of()), views(store.tracker(), as_of()));

    // The CLI reads the exported document as it reads the store.
    for args in [&["status"][..], &["overdue"], &["rag", "--level", "action"]] {
        let from_store =
            cli.json(&[&["--store", STORE, "--as-of", "2025-03-31"][..], args].concat());
        let from_file =
            cli.json(&[&["--file", "lbbd.json", "--as-of", "2025-03-31"][..], args].concat());
        assert_eq!(from_store, from_file, "{args:?}");
    }
    // And `verify` refuses a document, which has no hash chain.
    cli.fails(&["--file", "lbbd.json", "verify"], 2);

    // Every phase was applied (a phase added to PHASES must be applied above).
    assert_eq!(
        PHASES.iter().map(|p| phase(p).len() as i64).sum::<i64>(),
        SCENARIO_COMMANDS
    );
}
