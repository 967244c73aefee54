//! Several processes writing to one SQLite file and to one PostgreSQL
//! database at once: totals add up, nothing is lost, the chain never forks,
//! and of several processes racing for the same transition exactly one wins.

mod common;

use dueregard::commands::StartAction;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dueregard::fixture::Given;
use dueregard::ActionState;
use dueregard_store::{EventStore, Location, StoreError, TrackerStore};

const LOCATION: &str = "DUEREGARD_CONCURRENCY_LOCATION";
const WRITER: &str = "DUEREGARD_CONCURRENCY_WRITER";
const START_AT: &str = "DUEREGARD_CONCURRENCY_START_AT";
const ACTION: &str = "DUEREGARD_CONCURRENCY_ACTION";

const WRITERS: usize = 4;
const NOTES_EACH: usize = 25;

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

/// Waits for the shared start time so the writers collide.
fn wait_for_start() {
    let start: u128 = std::env::var(START_AT).unwrap().parse().unwrap();
    while now_ms() < start {
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A writer: records its notes, refreshing and retrying after each conflict.
#[test]
#[ignore = "run by the concurrency tests as a child process"]
fn note_writer() {
    let location = common::location_from_env(LOCATION).expect("location");
    let writer = std::env::var(WRITER).unwrap();
    let mut store = TrackerStore::open_location(&location).unwrap();
    wait_for_start();
    let mut conflicts = 0;
    for i in 0..NOTES_EACH {
        let text = format!("writer-{writer}-note-{i}");
        loop {
            match store.execute(Given::note_after(store.tracker(), &text)) {
                Ok(e) => {
                    common::ack(e.seq, &text);
                    break;
                }
                Err(StoreError::Conflict { .. }) => {
                    conflicts += 1;
                    store.refresh().unwrap();
                }
                Err(e) => panic!("writer {writer}: {e}"),
            }
        }
    }
    println!("\nconflicts {conflicts}");
}

/// A racer: tries once to start the shared action.
#[test]
#[ignore = "run by the concurrency tests as a child process"]
fn action_racer() {
    let location = common::location_from_env(LOCATION).expect("location");
    let action = std::env::var(ACTION).unwrap();
    let mut store = TrackerStore::open_location(&location).unwrap();
    let submission = |store: &TrackerStore| {
        Given::submission_after(store.tracker(), StartAction::new(action.clone()).into())
    };
    wait_for_start();
    let mut outcome = match store.execute(submission(&store)) {
        Ok(_) => "won",
        Err(StoreError::Conflict { .. }) => "conflict",
        Err(StoreError::Rejected(_)) => "rejected",
        Err(e) => panic!("{e}"),
    };
    if outcome == "conflict" {
        // Decide again on the fresh state: the core now refuses it.
        store.refresh().unwrap();
        outcome = match store.execute(submission(&store)) {
            Ok(_) => "won",
            Err(StoreError::Rejected(_)) => "rejected",
            Err(e) => panic!("{e}"),
        };
    }
    println!("\noutcome {outcome}");
}

fn seed(location: &Location) -> dueregard::Tracker {
    let source = Given::example().into_tracker();
    EventStore::open(location)
        .unwrap()
        .append(0, &source.events().to_vec())
        .unwrap();
    source
}

fn run_children(test: &str, location: &Location, extra: &[(&str, String)]) -> Vec<String> {
    let start = (now_ms() + 1500).to_string();
    let children: Vec<_> = (0..WRITERS)
        .map(|w| {
            let mut env = vec![
                (LOCATION, location_text(location)),
                (WRITER, w.to_string()),
                (START_AT, start.clone()),
            ];
            env.extend(extra.iter().cloned());
            common::spawn_child(test, &env)
        })
        .collect();
    children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "a {test} child failed");
            String::from_utf8(out.stdout).unwrap()
        })
        .collect()
}

fn location_text(location: &Location) -> String {
    match location {
        Location::Sqlite(p) => p.display().to_string(),
        Location::Postgres(url) => url.clone(),
    }
}

fn writers_add_up(location: &Location) {
    let base = seed(location).version();
    let outputs = run_children("note_writer", location, &[]);
    let mut acks = Vec::new();
    let mut conflicts = 0;
    for out in &outputs {
        for line in out.lines() {
            if let Some(rest) = line.strip_prefix("ack ") {
                let (seq, text) = rest.split_once(' ').unwrap();
                acks.push((seq.parse::<i64>().unwrap(), text.to_string()));
            }
            if let Some(n) = line.strip_prefix("conflicts ") {
                conflicts += n.parse::<usize>().unwrap();
            }
        }
    }
    assert_eq!(acks.len(), WRITERS * NOTES_EACH);
    let mut store = TrackerStore::open_location(location).unwrap();
    let tracker = store.tracker().clone();
    assert_eq!(tracker.version(), base + (WRITERS * NOTES_EACH) as i64);
    common::assert_acks_present(&tracker, &acks);
    // Each note exactly once, and each writer's notes in its own order.
    let texts: Vec<String> = tracker.events().to_vec()[base as usize..]
        .iter()
        .filter_map(common::note_text)
        .collect();
    let mut sorted = texts.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), WRITERS * NOTES_EACH);
    for w in 0..WRITERS {
        let mine: Vec<_> = texts
            .iter()
            .filter(|t| t.starts_with(&format!("writer-{w}-")))
            .cloned()
            .collect();
        let expected: Vec<_> = (0..NOTES_EACH)
            .map(|i| format!("writer-{w}-note-{i}"))
            .collect();
        assert_eq!(mine, expected);
    }
    let report = store.verify().unwrap();
    assert!(report.is_intact(), "{report}");
    eprintln!(
        "{} writers, {} events, {conflicts} conflicts retried",
        WRITERS,
        acks.len()
    );
}

fn one_racer_wins(location: &Location) {
    let source = seed(location);
    let action = source
        .actions()
        .find(|a| a.state == ActionState::Planned)
        .expect("the example has a planned action")
        .id
        .clone();
    let outputs = run_children("action_racer", location, &[(ACTION, action.clone())]);
    let outcomes: Vec<&str> = outputs
        .iter()
        .flat_map(|o| o.lines())
        .filter_map(|l| l.strip_prefix("outcome "))
        .collect();
    assert_eq!(outcomes.len(), WRITERS);
    assert_eq!(
        outcomes.iter().filter(|o| **o == "won").count(),
        1,
        "{outcomes:?}"
    );
    let mut store = TrackerStore::open_location(location).unwrap();
    assert_eq!(store.tracker().version(), source.version() + 1);
    assert_eq!(
        store.tracker().action(&action).unwrap().state,
        ActionState::InProgress
    );
    assert!(store.verify().unwrap().is_intact());
}

#[test]
fn sqlite_writers_add_up() {
    let db = common::SqliteDb::create();
    writers_add_up(&db.location());
}

#[test]
fn postgres_writers_add_up() {
    let Some(db) = common::PgDb::create("writers") else {
        return;
    };
    writers_add_up(&db.location());
}

#[test]
fn sqlite_one_racer_wins() {
    let db = common::SqliteDb::create();
    one_racer_wins(&db.location());
}

#[test]
fn postgres_one_racer_wins() {
    let Some(db) = common::PgDb::create("racers") else {
        return;
    };
    one_racer_wins(&db.location());
}
