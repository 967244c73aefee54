//! End-to-end tests of the `dueregard` binary: snapshots of its outputs on
//! the example dataset, and one-line errors with the documented exit codes.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn bin(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dueregard").expect("binary built");
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// A working directory holding the example as `example.json`.
fn example() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("example.json");
    bin(dir.path())
        .args(["--file", "example.json", "demo", "--report", "demo.html"])
        .assert()
        .success();
    (dir, file)
}

fn run_ok(dir: &Path, args: &[&str]) -> String {
    let out = bin(dir).args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

const AS_OF: &str = "2025-03-31";

#[test]
fn snapshot_overdue_table_and_csv() {
    let (dir, _) = example();
    let d = dir.path();
    insta::assert_snapshot!(
        "overdue_table",
        run_ok(d, &["--file", "example.json", "--as-of", AS_OF, "overdue"])
    );
    insta::assert_snapshot!(
        "overdue_csv",
        run_ok(
            d,
            &[
                "--file",
                "example.json",
                "--as-of",
                AS_OF,
                "overdue",
                "--format",
                "csv"
            ]
        )
    );
}

#[test]
fn snapshot_status_compare_and_rag() {
    let (dir, _) = example();
    let d = dir.path();
    insta::assert_snapshot!(
        "status_table",
        run_ok(d, &["--file", "example.json", "--as-of", AS_OF, "status"])
    );
    insta::assert_snapshot!(
        "compare_table",
        run_ok(
            d,
            &[
                "--file",
                "example.json",
                "--as-of",
                AS_OF,
                "compare",
                "casey-2023"
            ]
        )
    );
    insta::assert_snapshot!(
        "rag_recommendation_csv",
        run_ok(
            d,
            &[
                "--file",
                "example.json",
                "--as-of",
                AS_OF,
                "rag",
                "--format",
                "csv"
            ]
        )
    );
}

#[test]
fn snapshot_reports() {
    let (dir, _) = example();
    let d = dir.path();
    let md = run_ok(
        d,
        &[
            "--file",
            "example.json",
            "report",
            "--format",
            "md",
            "--period",
            "2024/25-Q4",
        ],
    );
    insta::assert_snapshot!("report_md", md);
    let html = run_ok(
        d,
        &[
            "--file",
            "example.json",
            "report",
            "--format",
            "html",
            "--period",
            "2024/25-Q4",
        ],
    );
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"));
    assert!(html.contains("<svg"));
    insta::assert_snapshot!("report_html", html);
}

#[test]
fn json_output_parses_and_matches_the_table() {
    let (dir, _) = example();
    let d = dir.path();
    let json = run_ok(
        d,
        &[
            "--file",
            "example.json",
            "--as-of",
            AS_OF,
            "overdue",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let csv = run_ok(
        d,
        &[
            "--file",
            "example.json",
            "--as-of",
            AS_OF,
            "overdue",
            "--format",
            "csv",
        ],
    );
    assert_eq!(v.as_array().map(Vec::len), Some(csv.lines().count() - 1));
}

#[test]
fn history_up_to_a_date_stops_there() {
    let (dir, _) = example();
    let d = dir.path();
    let rows = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec!["--file", "example.json"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["history", "islington-lap/A1", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&run_ok(d, &args)).expect("json");
        v.as_array().cloned().unwrap_or_default()
    };
    let all = rows(&[]);
    let early = rows(&["--as-of", "2024-06-30"]);
    assert!(
        !early.is_empty() && early.len() < all.len(),
        "{} of {}",
        early.len(),
        all.len()
    );
    assert!(early.iter().all(|e| e["at"]
        .as_str()
        .is_some_and(|a| a <= "2024-06-30T23:59:59Z")));
    assert_eq!(all[..early.len()], early[..]);
}

#[test]
fn demo_writes_a_store_and_a_report_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let out = run_ok(d, &["demo"]);
    assert!(out.contains("dueregard.db"), "{out}");
    assert!(d.join("dueregard.db").exists());
    assert!(d.join("dueregard-report.html").exists());
    assert!(run_ok(d, &["verify"]).contains("events verified"));
    bin(d)
        .arg("demo")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists; pass --force"));
    run_ok(d, &["demo", "--force"]);
    let status = run_ok(d, &["--as-of", AS_OF, "status"]);
    assert!(status.contains("islington-lap"), "{status}");
}

fn one_line_error(dir: &Path, args: &[&str], code: i32, needle: &str) {
    let out = bin(dir).args(args).output().expect("runs");
    assert_eq!(out.status.code(), Some(code), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

#[test]
fn bad_input_gives_one_line_and_a_code() {
    let (dir, _) = example();
    let d = dir.path();
    std::fs::write(
        d.join("corrupt.json"),
        "{\"format\": \"dueregard\", \"version\": 1,\n  \"policy\": [",
    )
    .unwrap();
    one_line_error(
        d,
        &["--file", "example.json", "history", "no-such-id"],
        2,
        "invalid identifier \"no-such-id\"",
    );
    one_line_error(
        d,
        &["--file", "example.json", "compare", "no-review"],
        2,
        "unknown review \"no-review\"",
    );
    one_line_error(
        d,
        &["--file", "example.json", "--as-of", "31/03/2025", "overdue"],
        2,
        "YYYY-MM-DD",
    );
    one_line_error(
        d,
        &[
            "--file",
            "example.json",
            "diff",
            "--from",
            "2025-01-01",
            "--to",
            "soon",
        ],
        2,
        "--to date",
    );
    one_line_error(d, &["--file", "corrupt.json", "status"], 2, "line 2");
    one_line_error(d, &["--file", "missing.json", "status"], 2, "cannot read");
    one_line_error(
        d,
        &["--store", "missing.db", "status"],
        3,
        "no store at missing.db",
    );
    one_line_error(
        d,
        &["--file", "example.json", "report", "--period", "2024-Q9"],
        2,
        "is not a quarter",
    );
    one_line_error(d, &["diagram", "lamp"], 2, "choose one of");
    one_line_error(d, &["frobnicate"], 2, "unrecognized subcommand");
    one_line_error(
        d,
        &["--file", "example.json", "--store", "x.db", "status"],
        2,
        "cannot be used with",
    );
    std::fs::write(d.join("not-a-store.db"), "hello").unwrap();
    let out = bin(d)
        .args(["--store", "not-a-store.db", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn failed_apply_writes_nothing() {
    let (dir, file) = example();
    let d = dir.path();
    let before = std::fs::read(&file).unwrap();
    // An owner may not verify: refused by a rule, exit 1, file unchanged.
    let refused = r#"{"actor":"cn-commander","at":"2025-04-02T09:00:00Z","command":{"verify_action":{"action":"islington-lap/A1"}}}"#;
    one_line_error(
        d,
        &["--file", "example.json", "apply", refused],
        1,
        "may not verify_action",
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    // A log whose second command fails: neither is recorded.
    let good = r#"{"actor":"cn-commander","at":"2025-04-02T09:00:00Z","reason":"work began","command":{"start_action":{"action":"islington-lap/A4"}}}"#;
    std::fs::write(d.join("log.jsonl"), format!("{good}\n{refused}\n")).unwrap();
    one_line_error(
        d,
        &["--file", "example.json", "apply", "--log", "log.jsonl"],
        1,
        "command 2 of 2 rejected",
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    // The good one alone is recorded.
    let out = run_ok(d, &["--file", "example.json", "apply", good]);
    assert!(out.contains("1 command(s) recorded"), "{out}");
    assert_ne!(std::fs::read(&file).unwrap(), before);
    // And in a store too: a refused command leaves the store as it was.
    run_ok(d, &["--store", "s.db", "demo", "--report", "r.html"]);
    one_line_error(
        d,
        &["--store", "s.db", "apply", refused],
        1,
        "may not verify_action",
    );
    assert!(run_ok(d, &["--store", "s.db", "verify"]).starts_with("403 events verified"));
}

#[test]
fn validate_lists_every_problem_with_its_line() {
    let (dir, _) = example();
    let d = dir.path();
    let good = r#"{"actor":"cn-commander","at":"2025-04-02T09:00:00Z","reason":"work began","command":{"start_action":{"action":"islington-lap/A4"}}}"#;
    let refused = r#"{"actor":"cn-commander","at":"2025-04-02T09:00:00Z","command":{"verify_action":{"action":"islington-lap/A1"}}}"#;
    std::fs::write(
        d.join("log.jsonl"),
        format!("{good}\n{{broken\n\n{refused}\n"),
    )
    .unwrap();
    let out = bin(d)
        .args(["--file", "example.json", "validate", "log.jsonl"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("log.jsonl line 2:"), "{err}");
    assert!(err.contains("log.jsonl line 4: rejected"), "{err}");
    assert!(err.contains("2 problem(s)"), "{err}");
    assert_eq!(out.status.code(), Some(2));
    let ok = run_ok(d, &["validate", "example.json"]);
    assert!(ok.contains("tracker document is valid"), "{ok}");
}

#[test]
fn diagram_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    let m = run_ok(dir.path(), &["diagram", "action"]);
    assert!(m.starts_with("stateDiagram-v2"));
    let s = run_ok(dir.path(), &["schema"]);
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert!(v.get("tracker_document").is_some());
    let help = run_ok(dir.path(), &["--help"]);
    assert!(help.contains("Examples:") && help.contains("Exit codes"));
}

#[test]
fn a_reader_that_goes_away_is_not_an_internal_error() {
    let (dir, _) = example();
    let path = assert_cmd::cargo::cargo_bin("dueregard");
    let mut child = std::process::Command::new(path)
        .current_dir(dir.path())
        .args(["--help"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    // Close the pipe before the help is written.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert!(out.status.success(), "{:?} {stderr}", out.status);
}

const START: [&str; 11] = [
    "init",
    "--body",
    "lbbd-csp",
    "--body-name",
    "Barking and Dagenham community safety partnership board",
    "--body-kind",
    "committee",
    "--admin",
    "csp-officer",
    "--admin-name",
    "Community safety officer",
];

/// A council officer starts a tracker of their own: an empty store with the
/// default policy whose administrator can record at once, with no JSON
/// written by hand for the start.
#[test]
fn init_starts_an_empty_tracker_whose_administrator_can_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let out = run_ok(d, &START);
    assert!(
        out.starts_with(
            "tracker started in dueregard.db: body lbbd-csp, administrator csp-officer (2 events)"
        ),
        "{out}"
    );
    assert!(run_ok(d, &["verify"]).contains("2 events verified"));
    // Recorded just after the start (events go in date order).
    let at = (chrono::Utc::now() + chrono::Duration::minutes(1)).to_rfc3339();
    let line = format!(
        r#"{{"actor":"csp-officer","at":"{at}","command":{{"register_body":{{"id":"met-ea","name":"Met East Area BCU","kind":"police_force"}}}}}}"#
    );
    std::fs::write(d.join("first.jsonl"), format!("{line}\n")).expect("writes");
    let recorded = run_ok(d, &["apply", "--log", "first.jsonl"]);
    assert!(recorded.contains("1 command(s) recorded"), "{recorded}");
    assert!(run_ok(d, &["verify"]).contains("3 events verified"));
    // The same start into a document.
    let out = run_ok(
        d,
        &[
            "--file",
            "tracker.json",
            START[0],
            START[1],
            START[2],
            START[3],
            START[4],
            START[7],
            START[8],
            START[9],
            START[10],
        ],
    );
    assert!(out.contains("tracker started in tracker.json"), "{out}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("tracker.json")).expect("reads"))
            .expect("json");
    assert_eq!(doc["events"].as_array().map(Vec::len), Some(2));
    assert!(doc["policy"]["grants"]
        .as_array()
        .is_some_and(|g| !g.is_empty()));
}

#[test]
fn init_refuses_an_existing_tracker_and_bad_parties_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    run_ok(d, &START);
    let before = std::fs::read(d.join("dueregard.db")).expect("reads");
    one_line_error(
        d,
        &START,
        2,
        "dueregard.db already exists; init starts a tracker only where there is none",
    );
    assert_eq!(
        std::fs::read(d.join("dueregard.db")).expect("reads"),
        before
    );
    let mut bad_id = START;
    bad_id[2] = " lbbd-csp";
    one_line_error(
        d,
        &[&["--store", "new.db"][..], &bad_id[..]].concat(),
        2,
        "body identifier \" lbbd-csp\" must be non-empty, without surrounding spaces",
    );
    assert!(
        !d.join("new.db").exists(),
        "a refused start leaves no store"
    );
    let mut bad_kind = START;
    bad_kind[6] = "parish";
    one_line_error(
        d,
        &[&["--store", "new.db"][..], &bad_kind[..]].concat(),
        2,
        "invalid --body-kind \"parish\"",
    );
    assert!(!d.join("new.db").exists());
}
