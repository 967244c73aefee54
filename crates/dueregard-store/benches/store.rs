//! Append throughput and open-and-replay time on each back-end.
//!
//! Not a timed test: it prints figures (a Markdown table) for
//! `docs/storage.md`. Run with
//!
//! ```text
//! cargo bench -p dueregard-store                # 10^4, 10^5, 10^6 events
//! DUEREGARD_BENCH_SIZES=10000 cargo bench -p dueregard-store
//! cargo bench -p dueregard-store -- --test      # smoke run: 1 000 events
//! ```
//!
//! PostgreSQL is measured when `DUEREGARD_PG_URL` (or `target/pg/url`) names
//! a server; a fresh database is created and dropped for each size.

use dueregard::commands::AddNote;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Duration as Span;
use dueregard::{Command, EntityKind, Event, Role, Subject, Submission, Text, Tracker, Visibility};
use dueregard_store::{EventStore, Location, TrackerStore};

/// Events per transaction in the bulk append.
const BATCH: usize = 1_000;
/// Single-command transactions timed per size.
const SINGLES: usize = 200;

fn main() {
    let smoke = std::env::args().any(|a| a == "--test");
    let sizes: Vec<usize> = if smoke {
        vec![1_000]
    } else {
        std::env::var("DUEREGARD_BENCH_SIZES")
            .ok()
            .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
            .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000])
    };
    let Some(&largest) = sizes.iter().max() else {
        eprintln!("no sizes given");
        return;
    };
    let t = Instant::now();
    let (policy, events) = generate(largest);
    eprintln!("generated {largest} events in {:.1?}", t.elapsed());

    println!("| back-end | events | bulk append (events/s) | single commands (commands/s) | open + replay | verify | size on disk |");
    println!("|---|---|---|---|---|---|---|");
    for &n in &sizes {
        // For comparison: replaying already-decoded events, no store at all.
        let copy = events[..n].to_vec();
        let t = Instant::now();
        let replayed = Tracker::replay(policy.clone(), copy).expect("replay");
        let in_memory = t.elapsed();
        assert_eq!(replayed.version() as usize, n);
        println!(
            "| (in-memory replay, no store) | {n} | | | {:.2} s | | |",
            in_memory.as_secs_f64()
        );
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("bench.db");
        let row = measure(
            &Location::Sqlite(path.clone()),
            &policy,
            &events[..n],
            smoke,
        );
        let size = file_size(&path);
        print_row("SQLite", n, &row, &size);
        if let Some(pg) = postgres_db(n) {
            let row = measure(&pg.location(), &policy, &events[..n], smoke);
            let size = pg.size();
            print_row("PostgreSQL", n, &row, &size);
        }
    }
}

struct Figures {
    bulk_per_s: f64,
    singles_per_s: f64,
    open: Duration,
    verify: Duration,
}

fn print_row(backend: &str, n: usize, f: &Figures, size: &str) {
    println!(
        "| {backend} | {n} | {:.0} | {:.0} | {:.2} s | {:.2} s | {size} |",
        f.bulk_per_s,
        f.singles_per_s,
        f.open.as_secs_f64(),
        f.verify.as_secs_f64()
    );
}

fn measure(
    location: &Location,
    policy: &dueregard::Policy,
    events: &[Event],
    smoke: bool,
) -> Figures {
    // Bulk append: BATCH events per transaction.
    let mut store = EventStore::open_with_policy(location, policy.clone()).expect("open");
    let t = Instant::now();
    for (i, chunk) in events.chunks(BATCH).enumerate() {
        store.append((i * BATCH) as i64, chunk).expect("append");
    }
    let bulk = t.elapsed();
    drop(store);

    // Open and replay (best of three, or one for a smoke run).
    let mut open = Duration::MAX;
    let mut opened = None;
    for _ in 0..if smoke { 1 } else { 3 } {
        let t = Instant::now();
        let s = TrackerStore::open_location(location).expect("reopen");
        open = open.min(t.elapsed());
        assert_eq!(s.tracker().version(), events.len() as i64);
        opened = Some(s);
    }
    let Some(mut store) = opened else {
        unreachable!("at least one open")
    };

    let t = Instant::now();
    let report = store.verify().expect("verify");
    let verify = t.elapsed();
    assert!(report.is_intact(), "{report}");

    // Single commands: one decide + one transaction each.
    let singles = if smoke { 20 } else { SINGLES };
    let admin = admin(store.tracker());
    let t = Instant::now();
    for i in 0..singles {
        let s = note(store.tracker(), &admin, &format!("timed note {i}"));
        store.execute(s).expect("execute");
    }
    let single = t.elapsed();

    Figures {
        bulk_per_s: events.len() as f64 / bulk.as_secs_f64(),
        singles_per_s: singles as f64 / single.as_secs_f64(),
        open,
        verify,
    }
}

fn admin(t: &Tracker) -> String {
    t.actors()
        .find(|a| a.has_role(Role::Administrator))
        .map(|a| a.id.clone())
        .unwrap_or_default()
}

fn note(t: &Tracker, admin: &str, text: &str) -> Submission {
    let at = t.last_event_at().unwrap_or_else(chrono::Utc::now) + Span::seconds(1);
    Submission::new(
        admin,
        at,
        Command::AddNote(AddNote {
            about: Subject::new(EntityKind::Review, "casey-2023"),
            text: Text::new(text),
            visibility: Visibility::Internal,
        }),
    )
}

/// The example dataset followed by notes until there are `n` events.
fn generate(n: usize) -> (dueregard::Policy, Vec<Event>) {
    let mut t = dueregard::example::tracker();
    let admin = admin(&t);
    let mut i = 0;
    while (t.version() as usize) < n {
        let text = format!(
            "quarterly monitoring note {i}: progress reviewed with the borough commander; \
             evidence pack updated and actions re-rated"
        );
        t.execute(note(&t, &admin, &text)).expect("note");
        i += 1;
    }
    (t.policy().clone(), t.events().range(0, n).collect())
}

fn file_size(path: &Path) -> String {
    let mut total = 0;
    for suffix in ["", "-wal"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        total += std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    }
    format!("{:.1} MB", total as f64 / 1e6)
}

/// A fresh PostgreSQL database for one size, dropped afterwards.
struct PgDb {
    admin: String,
    name: String,
    url: String,
}

impl PgDb {
    fn location(&self) -> Location {
        Location::Postgres(self.url.clone())
    }

    fn size(&self) -> String {
        postgres::Client::connect(&self.url, postgres::NoTls)
            .and_then(|mut c| c.query_one("SELECT pg_total_relation_size('dueregard_events')", &[]))
            .map(|r| format!("{:.1} MB", r.get::<_, i64>(0) as f64 / 1e6))
            .unwrap_or_else(|_| "?".into())
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn postgres_db(n: usize) -> Option<PgDb> {
    let admin = std::env::var("DUEREGARD_PG_URL").ok().or_else(|| {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/pg/url")).ok()
    })?;
    let admin = admin.trim().to_string();
    let (base, _) = admin.rsplit_once('/')?;
    let name = format!("dr_bench_{n}_{}", std::process::id());
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).ok()?;
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .ok()?;
    c.batch_execute(&format!("CREATE DATABASE {name}")).ok()?;
    Some(PgDb {
        url: format!("{base}/{name}"),
        admin,
        name,
    })
}
