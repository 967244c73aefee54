//! Crash test: a child process records events in a loop and is killed with
//! SIGKILL at random moments. After each kill the store must open, its chain
//! must verify, and every event the child was told was committed must be
//! there. `DUEREGARD_CRASH_ROUNDS` sets the number of kills per back-end
//! (default 50).

mod common;

use std::time::Duration;

use dueregard::fixture::Given;
use dueregard_store::{EventStore, Location, TrackerStore};
use rand::Rng;

const CHILD_LOCATION: &str = "DUEREGARD_CRASH_LOCATION";
const CHILD_ROUND: &str = "DUEREGARD_CRASH_ROUND";

fn rounds() -> usize {
    std::env::var("DUEREGARD_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}

/// The child: appends notes until killed, acknowledging each commit on stdout.
#[test]
#[ignore = "run by the crash tests as a child process"]
fn crash_child() {
    let location = common::location_from_env(CHILD_LOCATION).expect("location");
    let round = std::env::var(CHILD_ROUND).unwrap_or_default();
    let mut store = TrackerStore::open_location(&location).unwrap();
    for i in 0.. {
        let text = format!("round-{round}-note-{i}");
        // Alternate single commands and three-command batches.
        if i % 2 == 0 {
            let event = store
                .execute(Given::note_after(store.tracker(), &text))
                .unwrap();
            common::ack(event.seq, &text);
        } else {
            let first = Given::note_after(store.tracker(), &format!("{text}-a"));
            let mut second = Given::note_after(store.tracker(), &format!("{text}-b"));
            second.at = first.at;
            let mut third = Given::note_after(store.tracker(), &format!("{text}-c"));
            third.at = first.at;
            let events = store.execute_batch(vec![first, second, third]).unwrap();
            for e in events {
                common::ack(e.seq, &common::note_text(&e).unwrap());
            }
        }
    }
}

fn crash_rounds(location: &Location) {
    {
        let mut store = EventStore::open(location).unwrap();
        store
            .append(0, &Given::example().into_tracker().events().to_vec())
            .unwrap();
    }
    let mut rng = rand::rng();
    let mut acked = 0usize;
    let rounds = rounds();
    for round in 0..rounds {
        let mut child = common::spawn_child(
            "crash_child",
            &[
                (CHILD_LOCATION, location_text(location)),
                (CHILD_ROUND, round.to_string()),
            ],
        );
        let reader = common::collect_acks(&mut child);
        std::thread::sleep(Duration::from_millis(rng.random_range(30..400)));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the child ended by itself"
        );
        let acks = reader.join().unwrap();
        acked += acks.len();

        let mut store = TrackerStore::open_location(location)
            .unwrap_or_else(|e| panic!("round {round}: store does not open after SIGKILL: {e}"));
        let report = store.verify().unwrap();
        assert!(report.is_intact(), "round {round}: {report}");
        common::assert_acks_present(store.tracker(), &acks);
        // A batch is all or nothing: its three notes are all there or none.
        let events = store.tracker().events().to_vec();
        for e in &events {
            if let Some(t) = common::note_text(e) {
                if let Some(stem) = t.strip_suffix("-a") {
                    let i = (e.seq - 1) as usize;
                    let texts: Vec<_> = events[i..(i + 3).min(events.len())]
                        .iter()
                        .filter_map(common::note_text)
                        .collect();
                    assert_eq!(
                        texts,
                        [
                            format!("{stem}-a"),
                            format!("{stem}-b"),
                            format!("{stem}-c")
                        ],
                        "round {round}: a batch was split"
                    );
                }
            }
        }
    }
    eprintln!("{rounds} kills, {acked} acknowledged events, none lost");
    assert!(acked > 0, "no round got far enough to commit anything");
}

fn location_text(location: &Location) -> String {
    match location {
        Location::Sqlite(p) => p.display().to_string(),
        Location::Postgres(url) => url.clone(),
    }
}

#[test]
fn sigkill_loses_no_acknowledged_event_sqlite() {
    let db = common::SqliteDb::create();
    crash_rounds(&db.location());
}

#[test]
fn sigkill_loses_no_acknowledged_event_postgres() {
    let Some(db) = common::PgDb::create("crash") else {
        return;
    };
    crash_rounds(&db.location());
}
