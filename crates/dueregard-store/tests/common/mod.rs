//! Helpers shared by the integration tests: fresh stores on each back-end,
//! raw SQL access for tampering, and child processes. The trackers and
//! submissions come from `dueregard::fixture::Given`.
#![allow(dead_code)]

use dueregard::commands::AddNote;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use dueregard::{Command, Tracker};
use dueregard_store::Location;

/// The PostgreSQL server the tests may use: `DUEREGARD_PG_URL`, else the
/// URL `scripts/pg/start.sh` wrote to `target/pg/url`. Without one the test
/// is skipped, unless `CI=true`, where a missing server fails the run.
pub fn pg_admin_url(test: &str) -> Option<String> {
    if let Ok(url) = std::env::var("DUEREGARD_PG_URL") {
        if !url.trim().is_empty() {
            return Some(url.trim().to_string());
        }
    }
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/pg/url");
    if let Ok(url) = std::fs::read_to_string(&file) {
        if !url.trim().is_empty() {
            return Some(url.trim().to_string());
        }
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: CI=true but no PostgreSQL server: run scripts/pg/start.sh or set DUEREGARD_PG_URL");
    }
    eprintln!(
        "skipping {test} on PostgreSQL: no server (run `scripts/pg/start.sh` or set DUEREGARD_PG_URL)"
    );
    None
}

fn with_dbname(url: &str, db: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let (base, query) = match rest.find('?') {
            Some(q) => (&rest[..q], &rest[q..]),
            None => (rest, ""),
        };
        let host = base.split('/').next().unwrap_or(base);
        format!("{}{host}/{db}{query}", &url[..scheme_end + 3])
    } else {
        format!("{url} dbname={db}")
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database created for one test and dropped after it.
pub struct PgDb {
    admin: String,
    name: String,
    pub url: String,
}

impl PgDb {
    /// Creates a fresh, empty database, or `None` when the test is skipped.
    pub fn create(test: &str) -> Option<PgDb> {
        let admin = pg_admin_url(test)?;
        let name = format!(
            "dr_{}_{}_{}",
            test.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(30)
                .collect::<String>()
                .to_ascii_lowercase(),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut client = postgres::Client::connect(&admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin}: {e}"));
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let url = with_dbname(&admin, &name);
        Some(PgDb { admin, name, url })
    }

    pub fn location(&self) -> Location {
        Location::Postgres(self.url.clone())
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

/// A fresh SQLite location in its own temporary directory.
pub struct SqliteDb {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl SqliteDb {
    pub fn create() -> SqliteDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dueregard.db");
        SqliteDb { _dir: dir, path }
    }

    pub fn location(&self) -> Location {
        Location::Sqlite(self.path.clone())
    }
}

/// Raw SQL on a store's tables, as someone with database access would do.
pub enum Raw {
    Sqlite(rusqlite::Connection),
    Pg(postgres::Client),
}

impl Raw {
    pub fn open(location: &Location) -> Raw {
        match location {
            Location::Sqlite(p) => Raw::Sqlite(rusqlite::Connection::open(p).unwrap()),
            Location::Postgres(url) => {
                Raw::Pg(postgres::Client::connect(url, postgres::NoTls).unwrap())
            }
        }
    }

    /// Runs statements; returns the error text if they fail.
    pub fn exec(&mut self, sql: &str) -> Result<(), String> {
        match self {
            Raw::Sqlite(c) => c.execute_batch(sql).map_err(|e| e.to_string()),
            Raw::Pg(c) => c.batch_execute(sql).map_err(|e| match e.as_db_error() {
                Some(db) => db.message().to_string(),
                None => e.to_string(),
            }),
        }
    }

    /// Removes the append-only triggers, as an intruder with full access could.
    pub fn unlock(&mut self) {
        let sql = match self {
            Raw::Sqlite(_) => {
                "DROP TRIGGER dueregard_events_no_update; DROP TRIGGER dueregard_events_no_delete;
                 DROP TRIGGER dueregard_header_no_update; DROP TRIGGER dueregard_header_no_delete;"
            }
            Raw::Pg(_) => {
                "ALTER TABLE dueregard_events DISABLE TRIGGER USER;
                 ALTER TABLE dueregard_header DISABLE TRIGGER USER;"
            }
        };
        self.exec(sql).unwrap();
    }

    /// One blob column of one event row.
    pub fn blob(&mut self, column: &str, seq: i64) -> Vec<u8> {
        let sql = format!("SELECT {column} FROM dueregard_events WHERE seq = $1");
        match self {
            Raw::Sqlite(c) => c.query_row(&sql, [seq], |r| r.get(0)).unwrap(),
            Raw::Pg(c) => c.query_one(&sql, &[&seq]).unwrap().get(0),
        }
    }

    /// Sets one blob column of one event row.
    pub fn set_blob(&mut self, column: &str, seq: i64, value: &[u8]) {
        let sql = format!("UPDATE dueregard_events SET {column} = $1 WHERE seq = $2");
        match self {
            Raw::Sqlite(c) => {
                c.execute(&sql, rusqlite::params![value, seq]).unwrap();
            }
            Raw::Pg(c) => {
                c.execute(&sql, &[&value, &seq]).unwrap();
            }
        }
    }

    pub fn count(&mut self, sql: &str) -> i64 {
        match self {
            Raw::Sqlite(c) => c.query_row(sql, [], |r| r.get(0)).unwrap(),
            Raw::Pg(c) => c.query_one(sql, &[]).unwrap().get(0),
        }
    }
}

/// The text of a note event, if it is one.
pub fn note_text(event: &dueregard::Event) -> Option<String> {
    match &event.command {
        Command::AddNote(AddNote { text, .. }) => Some(text.to_string()),
        _ => None,
    }
}

/// The location of a child process's store, passed through the environment.
pub fn location_from_env(var: &str) -> Option<Location> {
    std::env::var(var).ok().map(|s| s.parse().unwrap())
}

/// A child process: this test binary re-run on one ignored test, with `env`.
pub fn spawn_child(test: &str, env: &[(&str, String)]) -> std::process::Child {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = std::process::Command::new(exe);
    cmd.args([
        "--exact",
        test,
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// Collects the `ack SEQ TEXT` lines a child printed (in a thread, so a
/// child blocked on a full pipe never deadlocks the parent).
pub fn collect_acks(
    child: &mut std::process::Child,
) -> std::thread::JoinHandle<Vec<(i64, String)>> {
    use std::io::BufRead;
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        let mut acks = Vec::new();
        for line in std::io::BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.strip_prefix("ack ") {
                if let Some((seq, text)) = rest.split_once(' ') {
                    if let Ok(seq) = seq.parse() {
                        acks.push((seq, text.to_string()));
                    }
                }
            }
        }
        acks
    })
}

/// Prints one acknowledgement line and flushes it. The line starts with a
/// newline because the test harness leaves "test NAME ... " unterminated.
pub fn ack(seq: i64, text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "\nack {seq} {text}").unwrap();
    out.flush().unwrap();
}

/// Checks that every acknowledged event is in the store with its text.
pub fn assert_acks_present(tracker: &Tracker, acks: &[(i64, String)]) {
    for (seq, text) in acks {
        let event = tracker
            .events()
            .get((*seq - 1) as usize)
            .unwrap_or_else(|| panic!("acknowledged event {seq} ({text}) is lost"));
        assert_eq!(event.seq, *seq);
        assert_eq!(
            note_text(&event).as_deref(),
            Some(text.as_str()),
            "event {seq}"
        );
    }
}
