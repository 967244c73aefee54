//! One test body per behaviour, run on SQLite and on PostgreSQL.

mod common;

use common::{note_text, Raw};
use dueregard::commands::StartAction;
use dueregard::fixture::Given;
use dueregard_store::{BreakKind, EventStore, Location, StoreError, TrackerStore, SCHEMA_VERSION};

/// Runs each listed body on a fresh SQLite file and a fresh PostgreSQL database.
macro_rules! on_both_backends {
    ($($body:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $body() {
                    let db = crate::common::SqliteDb::create();
                    super::$body(&db.location());
                }
            )+
        }
        mod postgres {
            $(
                #[test]
                fn $body() {
                    let Some(db) = crate::common::PgDb::create(stringify!($body)) else {
                        return;
                    };
                    super::$body(&db.location());
                }
            )+
        }
    };
}

on_both_backends!(
    example_round_trips,
    executing_example_commands_rebuilds_example,
    rejected_command_writes_nothing,
    stale_writer_gets_conflict,
    stale_tracker_store_conflicts_then_refreshes,
    misnumbered_events_are_refused,
    batch_is_atomic,
    export_and_import_round_trip,
    import_refuses_non_empty_store,
    import_of_bad_document_writes_nothing,
    newer_schema_is_refused,
    rows_are_append_only,
    reader_does_not_block_writer,
    tamper_edit_payload_is_named,
    tamper_rehashed_edit_is_named,
    tamper_edit_column_is_named,
    tamper_delete_is_named,
    tamper_truncation_is_named,
    tamper_swap_is_named,
    tamper_policy_is_named,
    tamper_extra_row_is_named,
    large_log_loads_in_order_and_names_first_fault,
);

fn filled(location: &Location) -> (EventStore, dueregard::Tracker) {
    let source = Given::example().into_tracker();
    let mut store = EventStore::open(location).unwrap();
    store.append(0, &source.events().to_vec()).unwrap();
    (store, source)
}

fn example_round_trips(location: &Location) {
    let (store, source) = filled(location);
    assert_eq!(store.seen_version(), source.version());
    drop(store);
    let mut reopened = EventStore::open(location).unwrap();
    assert_eq!(reopened.version().unwrap(), source.version());
    assert_eq!(reopened.load().unwrap(), source);
    assert_eq!(reopened.events().unwrap(), source.events().to_vec());
    assert_eq!(
        reopened.schema_versions().unwrap(),
        (1..=SCHEMA_VERSION).collect::<Vec<_>>()
    );
    let report = reopened.verify().unwrap();
    assert!(report.is_intact(), "{report}");
    assert_eq!(report.events, source.version());
    assert_eq!(report.head.len(), 64);
}

fn executing_example_commands_rebuilds_example(location: &Location) {
    let mut store = TrackerStore::open_location(location).unwrap();
    for s in dueregard::example::submissions() {
        store.execute(s).unwrap();
    }
    let source = Given::example().into_tracker();
    assert_eq!(store.tracker(), &source);
    let reopened = TrackerStore::open_location(location).unwrap();
    assert_eq!(reopened.tracker(), &source);
}

fn rejected_command_writes_nothing(location: &Location) {
    let (store, source) = filled(location);
    drop(store);
    let mut store = TrackerStore::open_location(location).unwrap();
    let before = store.tracker().clone();
    // A command dated before the last event is refused by the core.
    let mut late = Given::note_after(&source, "too early");
    late.at = source.events().get(0).unwrap().at;
    let err = store.execute(late).unwrap_err();
    assert!(err.is_rejected(), "{err}");
    // A command naming an unknown action is refused too.
    let unknown = StartAction::new("no-such-action").into();
    let err = store
        .execute(Given::submission_after(&source, unknown))
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected(_)), "{err}");
    assert_eq!(store.tracker(), &before);
    assert_eq!(store.store().version().unwrap(), source.version());
    assert!(store.verify().unwrap().is_intact());
}

fn stale_writer_gets_conflict(location: &Location) {
    let source = Given::example().into_tracker();
    let events = source.events().to_vec();
    let n = events.len();
    let mut a = EventStore::open(location).unwrap();
    a.append(0, &events[..n - 2]).unwrap();
    let mut b = EventStore::open(location).unwrap();
    let v = b.version().unwrap();
    a.append(v, &events[n - 2..n - 1]).unwrap();
    let err = b.append(v, &events[n - 2..n - 1]).unwrap_err();
    match err {
        StoreError::Conflict { expected, actual } => {
            assert_eq!((expected, actual), (v, v + 1));
        }
        other => panic!("expected a conflict, got {other}"),
    }
    // B catches up and goes on: one chain, no fork.
    b.append(v + 1, &events[n - 1..]).unwrap();
    assert_eq!(a.load().unwrap(), source);
    assert!(a.verify().unwrap().is_intact());
}

fn stale_tracker_store_conflicts_then_refreshes(location: &Location) {
    let (store, _) = filled(location);
    drop(store);
    let mut a = TrackerStore::open_location(location).unwrap();
    let mut b = TrackerStore::open_location(location).unwrap();
    let v = a.tracker().version();
    a.execute(Given::note_after(a.tracker(), "from a")).unwrap();
    let err = b
        .execute(Given::note_after(b.tracker(), "from b"))
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    // B's tracker is as it was, not half-way.
    assert_eq!(b.tracker().version(), v);
    assert_eq!(b.refresh().unwrap(), 1);
    assert_eq!(b.tracker(), a.tracker());
    b.execute(Given::note_after(b.tracker(), "from b")).unwrap();
    let mut c = TrackerStore::open_location(location).unwrap();
    assert_eq!(c.tracker().version(), v + 2);
    let texts: Vec<_> = c.tracker().events().to_vec()[v as usize..]
        .iter()
        .filter_map(note_text)
        .collect();
    assert_eq!(texts, ["from a", "from b"]);
    assert!(c.verify().unwrap().is_intact());
}

fn misnumbered_events_are_refused(location: &Location) {
    let source = Given::example().into_tracker();
    let mut store = EventStore::open(location).unwrap();
    let err = store
        .append(0, &source.events().to_vec()[1..3])
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Sequence {
                expected: 1,
                found: 2
            }
        ),
        "{err}"
    );
    assert_eq!(store.version().unwrap(), 0);
}

fn batch_is_atomic(location: &Location) {
    let (store, source) = filled(location);
    drop(store);
    let mut store = TrackerStore::open_location(location).unwrap();
    let first = Given::note_after(&source, "first of a batch");
    let mut bad = Given::note_after(&source, "dated too early");
    bad.at = source.events().get(0).unwrap().at;
    let err = store
        .execute_batch(vec![first.clone(), bad.clone()])
        .unwrap_err();
    assert!(err.is_rejected(), "{err}");
    assert!(
        matches!(&err, StoreError::RejectedInBatch { index: 1, error } if error.code() == "out_of_order"),
        "{err}"
    );
    assert_eq!(store.tracker(), &source);
    assert_eq!(store.store().version().unwrap(), source.version());
    // A write that fails after the batch was decided (here another writer
    // appended first) undoes the batch in memory too.
    let mut other = TrackerStore::open_location(location).unwrap();
    other
        .execute(Given::note_after(&source, "from another writer"))
        .unwrap();
    let mut second = Given::note_after(&source, "second of a batch");
    second.at = first.at;
    let err = store
        .execute_batch(vec![first.clone(), second.clone()])
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(store.tracker(), &source);
    let err = store.execute(first.clone()).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(store.tracker(), &source);
    assert_eq!(store.refresh().unwrap(), 1);
    let recorded = store.execute_batch(vec![first, second]).unwrap();
    assert_eq!(recorded.len(), 2);
    assert_eq!(store.store().version().unwrap(), source.version() + 3);
    assert_eq!(store.tracker().version(), source.version() + 3);
}

fn export_and_import_round_trip(location: &Location) {
    let (mut store, source) = filled(location);
    let document = store.export_document().unwrap();
    assert_eq!(document, source.to_document());
    let mut jsonl = Vec::new();
    assert_eq!(store.export_jsonl(&mut jsonl).unwrap(), source.version());
    assert_eq!(
        String::from_utf8(jsonl.clone()).unwrap(),
        dueregard::events_to_jsonl(source.events())
    );
    // Into a fresh store of each kind.
    let sqlite = common::SqliteDb::create();
    let imported = TrackerStore::import_document(&sqlite.location(), document.clone()).unwrap();
    assert_eq!(imported.tracker(), &source);
    let other = common::SqliteDb::create();
    let mut from_lines =
        TrackerStore::import_jsonl(&other.location(), source.policy().clone(), &jsonl[..]).unwrap();
    assert_eq!(from_lines.tracker(), &source);
    assert!(from_lines.verify().unwrap().is_intact());
    if let Some(pg) = common::PgDb::create("export_and_import_round_trip_target") {
        let moved = TrackerStore::import_document(&pg.location(), document).unwrap();
        assert_eq!(moved.tracker(), &source);
        let mut back = TrackerStore::open_location(&pg.location()).unwrap();
        assert_eq!(back.tracker(), &source);
        assert!(back.verify().unwrap().is_intact());
    }
}

fn import_refuses_non_empty_store(location: &Location) {
    let (store, source) = filled(location);
    drop(store);
    let err = TrackerStore::import_document(location, source.to_document()).unwrap_err();
    assert!(
        matches!(err, StoreError::NotEmpty { events, .. } if events == source.version()),
        "{err}"
    );
}

fn import_of_bad_document_writes_nothing(location: &Location) {
    let source = Given::example().into_tracker();
    let mut document = source.to_document();
    document.events.remove(3);
    let err = TrackerStore::import_document(location, document).unwrap_err();
    assert!(err.is_rejected(), "{err}");
    let mut store = EventStore::open(location).unwrap();
    assert_eq!(store.version().unwrap(), 0);
}

fn newer_schema_is_refused(location: &Location) {
    let (store, _) = filled(location);
    drop(store);
    let mut raw = Raw::open(location);
    raw.exec("INSERT INTO dueregard_schema (version, description, applied_at) VALUES (99, 'from the future', '2030-01-01T00:00:00Z')")
        .unwrap();
    let err = EventStore::open(location).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NewerSchema {
                found: 99,
                supported: SCHEMA_VERSION,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("upgrade dueregard"), "{err}");
}

fn rows_are_append_only(location: &Location) {
    let (store, _) = filled(location);
    drop(store);
    let mut raw = Raw::open(location);
    for sql in [
        "UPDATE dueregard_events SET actor = 'someone else' WHERE seq = 2",
        "DELETE FROM dueregard_events WHERE seq = 2",
        "UPDATE dueregard_header SET policy = policy",
    ] {
        let err = raw.exec(sql).unwrap_err();
        assert!(
            err.contains("append-only") || err.contains("written once"),
            "{sql}: {err}"
        );
    }
}

fn reader_does_not_block_writer(location: &Location) {
    let (store, source) = filled(location);
    drop(store);
    let n = source.version();
    // A reader holds a snapshot open (a long report, say)...
    let mut raw = Raw::open(location);
    let begin = match raw {
        Raw::Sqlite(_) => "BEGIN",
        Raw::Pg(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ",
    };
    raw.exec(begin).unwrap();
    assert_eq!(raw.count("SELECT count(*) FROM dueregard_events"), n);
    // ...while a writer commits.
    let mut writer = TrackerStore::open_location(location).unwrap();
    writer
        .execute(Given::note_after(&source, "written during a read"))
        .unwrap();
    // The reader still sees its snapshot; a new reader sees the new event.
    assert_eq!(raw.count("SELECT count(*) FROM dueregard_events"), n);
    raw.exec("COMMIT").unwrap();
    assert_eq!(raw.count("SELECT count(*) FROM dueregard_events"), n + 1);
}

/// Opens the store, runs `verify`, and checks it names `seq` with `kind`.
fn assert_break(location: &Location, seq: i64, kind: BreakKind) {
    let mut store = EventStore::open(location).unwrap();
    let report = store.verify().unwrap();
    let b = report
        .first_break
        .clone()
        .unwrap_or_else(|| panic!("tampering at {seq} went unnoticed: {report}"));
    assert_eq!((b.seq, b.kind), (seq, kind), "{b}");
    let err = report.into_result().unwrap_err();
    assert!(matches!(err, StoreError::ChainBroken { seq: s, .. } if s == seq));
}

/// Sequence numbers to tamper with: first, middle, last.
fn targets(n: i64) -> [i64; 3] {
    [1, n / 2, n]
}

/// Tampers with a copy of the example store at each of [`targets`]; `tamper`
/// returns the sequence number `verify` must name.
fn tamper_each(location: &Location, tamper: impl Fn(&mut Raw, i64, i64) -> i64, kind: BreakKind) {
    let (store, source) = filled(location);
    drop(store);
    let n = source.version();
    for seq in targets(n) {
        let copy = common::SqliteDb::create();
        // Tamper with a fresh copy each time so one break does not hide another.
        let target = if let Location::Sqlite(_) = location {
            let mut s = EventStore::open(&copy.location()).unwrap();
            s.append(0, &source.events().to_vec()).unwrap();
            copy.location()
        } else {
            location.clone()
        };
        let mut raw = Raw::open(&target);
        raw.unlock();
        let named = tamper(&mut raw, seq, n);
        assert_break(&target, named, kind);
        if !matches!(location, Location::Sqlite(_)) {
            // PostgreSQL: one database per test, so check one target only.
            return;
        }
    }
}

fn tamper_edit_payload_is_named(location: &Location) {
    tamper_each(
        location,
        |raw, seq, _| {
            let payload = raw.blob("payload", seq);
            let mut event: dueregard::Event = rmp_serde::from_slice(&payload).unwrap();
            event.reason = Some("quietly changed".into());
            raw.set_blob("payload", seq, &rmp_serde::to_vec_named(&event).unwrap());
            seq
        },
        BreakKind::Altered,
    );
}

fn tamper_rehashed_edit_is_named(location: &Location) {
    // The intruder also recomputes the edited event's own hash; the next
    // event still records the old one. For the last event the head row does.
    let (store, source) = filled(location);
    drop(store);
    let n = source.version();
    let seq = n / 2;
    let mut raw = Raw::open(location);
    raw.unlock();
    let payload = raw.blob("payload", seq);
    let prev = raw.blob("prev_hash", seq);
    let mut event: dueregard::Event = rmp_serde::from_slice(&payload).unwrap();
    event.reason = Some("quietly changed".into());
    let payload = rmp_serde::to_vec_named(&event).unwrap();
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(b"dueregard/event/v1\0");
    h.update(seq.to_be_bytes());
    h.update(&prev);
    h.update(&payload);
    let hash: Vec<u8> = h.finalize().to_vec();
    raw.set_blob("payload", seq, &payload);
    raw.set_blob("hash", seq, &hash);
    assert_break(location, seq, BreakKind::Altered);
}

fn tamper_edit_column_is_named(location: &Location) {
    tamper_each(
        location,
        |raw, seq, _| {
            raw.exec(&format!(
                "UPDATE dueregard_events SET actor = 'someone-else' WHERE seq = {seq}"
            ))
            .unwrap();
            seq
        },
        BreakKind::Altered,
    );
}

fn tamper_delete_is_named(location: &Location) {
    tamper_each(
        location,
        |raw, seq, _| {
            raw.exec(&format!("DELETE FROM dueregard_events WHERE seq = {seq}"))
                .unwrap();
            seq
        },
        BreakKind::Missing,
    );
}

fn tamper_truncation_is_named(location: &Location) {
    let (store, source) = filled(location);
    drop(store);
    let n = source.version();
    let mut raw = Raw::open(location);
    raw.unlock();
    raw.exec(&format!(
        "DELETE FROM dueregard_events WHERE seq > {}",
        n - 3
    ))
    .unwrap();
    assert_break(location, n - 2, BreakKind::Missing);
}

fn tamper_swap_is_named(location: &Location) {
    tamper_each(
        location,
        |raw, seq, n| {
            let other = if seq == n { seq - 1 } else { seq + 1 };
            let big = n + 1000;
            raw.exec(&format!(
                "UPDATE dueregard_events SET seq = {big} WHERE seq = {seq};
                 UPDATE dueregard_events SET seq = {seq} WHERE seq = {other};
                 UPDATE dueregard_events SET seq = {other} WHERE seq = {big};"
            ))
            .unwrap();
            seq.min(other)
        },
        BreakKind::Reordered,
    );
}

fn tamper_policy_is_named(location: &Location) {
    let (store, source) = filled(location);
    drop(store);
    let mut policy = source.policy().clone();
    policy.verifier_from_other_body = !policy.verifier_from_other_body;
    let bytes = serde_json::to_vec(&policy).unwrap();
    let mut raw = Raw::open(location);
    raw.unlock();
    match &mut raw {
        Raw::Sqlite(c) => {
            c.execute("UPDATE dueregard_header SET policy = ?1", [&bytes])
                .unwrap();
        }
        Raw::Pg(c) => {
            c.execute("UPDATE dueregard_header SET policy = $1", &[&bytes])
                .unwrap();
        }
    }
    assert_break(location, 0, BreakKind::Altered);
}

fn tamper_extra_row_is_named(location: &Location) {
    let (store, source) = filled(location);
    drop(store);
    let n = source.version();
    let mut raw = Raw::open(location);
    // Copy the last row under a new number, as if written around the store.
    raw.exec(&format!(
        "INSERT INTO dueregard_events (seq, name, version, actor, at, format, payload, prev_hash, hash)
         SELECT {}, name, version, actor, at, format, payload, hash, hash FROM dueregard_events WHERE seq = {n}",
        n + 1
    ))
    .unwrap();
    assert_break(location, n + 1, BreakKind::Reordered);
}

/// A log long enough to be read on one thread and replayed on another.
fn large_log_loads_in_order_and_names_first_fault(location: &Location) {
    let mut source = Given::example().into_tracker();
    while source.version() < 6_000 {
        let text = format!("monitoring note {}", source.version());
        source.execute(Given::note_after(&source, &text)).unwrap();
    }
    let mut store = EventStore::open(location).unwrap();
    for (i, chunk) in source.events().to_vec().chunks(1_000).enumerate() {
        store.append(i as i64 * 1_000, chunk).unwrap();
    }
    drop(store);
    let opened = TrackerStore::open_location(location).unwrap();
    assert_eq!(opened.tracker(), &source);
    assert_eq!(
        EventStore::open(location).unwrap().events().unwrap(),
        source.events().to_vec()
    );

    // Two faults: event 5 000 is dated before its predecessor (found by the
    // replaying thread), event 5 500 does not decode (found by the thread
    // that decodes its batch, possibly first). Loading names the earlier one.
    let mut raw = Raw::open(location);
    raw.unlock();
    let payload = raw.blob("payload", 5_000);
    let mut event: dueregard::Event = rmp_serde::from_slice(&payload).unwrap();
    event.at -= chrono::Duration::days(3_650);
    raw.set_blob("payload", 5_000, &rmp_serde::to_vec_named(&event).unwrap());
    raw.set_blob("payload", 5_500, b"not messagepack");
    drop(raw);
    // Reading the events alone does not replay them, so finds the later fault.
    assert_faults_named(location, 5_000, 5_500);

    // Every third batch of 1 024 (here events 2 049 to 3 072) is handed
    // over undecoded and decoded by the replaying thread: a fault there is
    // named too, before the later ones.
    let mut raw = Raw::open(location);
    raw.set_blob("payload", 2_500, b"not messagepack either");
    drop(raw);
    assert_faults_named(location, 2_500, 2_500);
}

/// Opening the store names event `on_open`; reading its events names `on_read`.
fn assert_faults_named(location: &Location, on_open: i64, on_read: i64) {
    let err = TrackerStore::open_location(location).unwrap_err();
    assert!(
        matches!(err, StoreError::Corrupt { seq, .. } if seq == on_open),
        "{err}"
    );
    let err = EventStore::open(location).unwrap().events().unwrap_err();
    assert!(
        matches!(err, StoreError::Corrupt { seq, .. } if seq == on_read),
        "{err}"
    );
}
