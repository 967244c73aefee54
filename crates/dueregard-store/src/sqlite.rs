//! The SQLite back-end: one file in WAL mode (readers never block the
//! writer), writes serialised with `BEGIN IMMEDIATE`, `synchronous = FULL` so
//! an acknowledged append survives a crash of the process or the machine.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::backend::{Backend, Columns, Head, Header, NewRow, Plain, StoredRow, SCHEMA_VERSION};
use crate::error::{Result, StoreError};

/// How long a writer waits for another process's transaction to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// One upgrade step per schema version, applied in order in one transaction.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "events, head, header and schema tables; append-only triggers",
        "CREATE TABLE dueregard_schema (
             version INTEGER PRIMARY KEY,
             description TEXT NOT NULL,
             applied_at TEXT NOT NULL
         );
         CREATE TABLE dueregard_header (
             id INTEGER PRIMARY KEY CHECK (id = 1),
             policy BLOB NOT NULL,
             created_at TEXT NOT NULL
         );
         CREATE TABLE dueregard_head (
             id INTEGER PRIMARY KEY CHECK (id = 1),
             version INTEGER NOT NULL,
             hash BLOB NOT NULL
         );
         CREATE TABLE dueregard_events (
             seq INTEGER PRIMARY KEY CHECK (seq >= 1),
             name TEXT NOT NULL,
             version INTEGER NOT NULL,
             actor TEXT NOT NULL,
             at TEXT NOT NULL,
             format INTEGER NOT NULL,
             payload BLOB NOT NULL,
             prev_hash BLOB NOT NULL,
             hash BLOB NOT NULL
         );
         CREATE TRIGGER dueregard_events_no_update BEFORE UPDATE ON dueregard_events
         BEGIN SELECT RAISE(ABORT, 'dueregard_events is append-only'); END;
         CREATE TRIGGER dueregard_events_no_delete BEFORE DELETE ON dueregard_events
         BEGIN SELECT RAISE(ABORT, 'dueregard_events is append-only'); END;
         CREATE TRIGGER dueregard_header_no_update BEFORE UPDATE ON dueregard_header
         BEGIN SELECT RAISE(ABORT, 'dueregard_header is written once'); END;
         CREATE TRIGGER dueregard_header_no_delete BEFORE DELETE ON dueregard_header
         BEGIN SELECT RAISE(ABORT, 'dueregard_header is written once'); END;",
    ),
    (
        2,
        "index events by actor and by name for audit queries",
        "CREATE INDEX dueregard_events_actor ON dueregard_events (actor, seq);
         CREATE INDEX dueregard_events_name ON dueregard_events (name, seq);",
    ),
    (
        3,
        "drop the actor and name indexes: they cost more than half of every append",
        "DROP INDEX IF EXISTS dueregard_events_actor;
         DROP INDEX IF EXISTS dueregard_events_name;",
    ),
];

/// Page cache per connection, in KiB (SQLite's default is 2 MiB): an append
/// of thousands of events otherwise spills dirty pages to the WAL before the
/// commit.
const CACHE_KIB: i64 = 64 * 1024;

/// WAL pages written before a commit checkpoints them into the database
/// (SQLite's default is 1 000, which checkpoints after nearly every batch of
/// 10 000 events).
const WAL_AUTOCHECKPOINT: i64 = 10_000;

/// A store in one SQLite file.
pub(crate) struct Sqlite {
    conn: Connection,
    path: PathBuf,
}

impl Sqlite {
    /// Opens (creating if absent) the file and brings its schema up to date.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        Self::open_at_version(path, SCHEMA_VERSION)
    }

    /// Opens and migrates no further than `target` (tests of the upgrade path).
    pub(crate) fn open_at_version(path: &Path, target: i64) -> Result<Self> {
        let location = path.display().to_string();
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| not_a_store(&location, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if let Ok(v) = std::env::var("DR_PAGE") {
            conn.pragma_update(None, "page_size", &v)?;
        }
        // Reading the journal mode is the first access: a file that is not a
        // database fails here.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| not_a_store(&location, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NotAStore {
                location,
                reason: format!("cannot switch to WAL journal mode (got {mode})"),
            });
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT)?;
        for (k, p) in [
            ("DR_CACHE", "cache_size"),
            ("DR_WALCP", "wal_autocheckpoint"),
            ("DR_MMAP", "mmap_size"),
            ("DR_SYNC", "synchronous"),
        ] {
            if let Ok(v) = std::env::var(k) {
                conn.pragma_update(None, p, &v)?;
            }
        }
        let mut s = Sqlite {
            conn,
            path: path.to_path_buf(),
        };
        s.migrate(target)?;
        if let Ok(v) = std::env::var("DR_DROP") {
            s.conn.execute_batch(&format!("DROP INDEX IF EXISTS {v}"))?;
        }
        Ok(s)
    }

    fn current_version(conn: &Connection, location: &str) -> Result<i64> {
        let has_schema: bool = conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'dueregard_schema'",
            [],
            |r| r.get(0),
        )?;
        if has_schema {
            return Ok(conn.query_row(
                "SELECT coalesce(max(version), 0) FROM dueregard_schema",
                [],
                |r| r.get(0),
            )?);
        }
        let others: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
            [],
            |r| r.get(0),
        )?;
        if others > 0 {
            return Err(StoreError::NotAStore {
                location: location.to_string(),
                reason: format!(
                    "the database holds {others} other tables or indexes and no dueregard schema"
                ),
            });
        }
        Ok(0)
    }

    fn migrate(&mut self, target: i64) -> Result<()> {
        let location = self.location();
        let found = Self::current_version(&self.conn, &location)?;
        crate::backend::check_schema(&location, found)?;
        if found >= target {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let found = Self::current_version(&tx, &location)?;
        crate::backend::check_schema(&location, found)?;
        for (version, description, sql) in MIGRATIONS {
            if *version == 2 && std::env::var("DR_NOIDX").is_ok() {
                continue;
            }
            if *version <= found || *version > target {
                continue;
            }
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO dueregard_schema (version, description, applied_at)
                 VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                params![version, description],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn read_head(conn: &Connection) -> Result<Option<Head>> {
        Ok(conn
            .query_row(
                "SELECT version, hash FROM dueregard_head WHERE id = 1",
                [],
                |r| {
                    Ok(Head {
                        version: r.get(0)?,
                        hash: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    fn read_header(conn: &Connection) -> Result<Option<Header>> {
        Ok(conn
            .query_row(
                "SELECT policy FROM dueregard_header WHERE id = 1",
                [],
                |r| Ok(Header { policy: r.get(0)? }),
            )
            .optional()?)
    }
}

fn not_a_store(location: &str, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotAStore {
            location: location.to_string(),
            reason: "the file is not an SQLite database".into(),
        },
        Some(ErrorCode::CannotOpen) => StoreError::NotAStore {
            location: location.to_string(),
            reason: format!(
                "cannot open the file ({e}); check that its folder exists and is writable"
            ),
        },
        _ => StoreError::Sqlite(e),
    }
}

/// A blob column without copying it (a text value's bytes are accepted too,
/// so a tampered row is reported by the checks above, not as a type error).
fn blob<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r [u8]> {
    use rusqlite::types::ValueRef;
    match row.get_ref(i)? {
        ValueRef::Blob(b) | ValueRef::Text(b) => Ok(b),
        other => Err(StoreError::Sqlite(rusqlite::Error::InvalidColumnType(
            i,
            format!("column {i}"),
            other.data_type(),
        ))),
    }
}

/// A text column without copying it.
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str> {
    Ok(row.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
}

impl Backend for Sqlite {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn initialise(&mut self, header: &Header, head: &Head) -> Result<Header> {
        if let Some(h) = Self::read_header(&self.conn)? {
            return Ok(h);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(h) = Self::read_header(&tx)? {
            return Ok(h);
        }
        tx.execute(
            "INSERT INTO dueregard_header (id, policy, created_at)
             VALUES (1, ?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            params![header.policy],
        )?;
        tx.execute(
            "INSERT INTO dueregard_head (id, version, hash) VALUES (1, ?1, ?2)",
            params![head.version, head.hash],
        )?;
        tx.commit()?;
        Ok(header.clone())
    }

    fn header(&mut self) -> Result<Option<Header>> {
        Self::read_header(&self.conn)
    }

    fn head(&mut self) -> Result<Option<Head>> {
        Self::read_head(&self.conn)
    }

    fn hash_at(&mut self, seq: i64) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row(
                "SELECT hash FROM dueregard_events WHERE seq = ?1",
                [seq],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn append(&mut self, expected: &Head, rows: &[NewRow<'_>], new: &Head) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let moved = tx
            .prepare_cached(
                "UPDATE dueregard_head SET version = ?1, hash = ?2
                 WHERE id = 1 AND version = ?3 AND hash = ?4",
            )?
            .execute(params![
                new.version,
                new.hash,
                expected.version,
                expected.hash
            ])?;
        if moved != 1 {
            let actual = Self::read_head(&tx)?.map(|h| h.version).unwrap_or(0);
            return Err(crate::backend::conflict(expected, actual));
        }
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO dueregard_events
                 (seq, name, version, actor, at, format, payload, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for r in rows {
                insert
                    .execute(params![
                        r.seq,
                        r.name,
                        r.version,
                        r.actor,
                        r.at,
                        r.format,
                        r.payload,
                        r.prev_hash,
                        r.hash
                    ])
                    .map_err(|e| {
                        if is_constraint(&e) {
                            StoreError::Conflict {
                                expected: expected.version,
                                actual: r.seq,
                            }
                        } else {
                            StoreError::Sqlite(e)
                        }
                    })?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn scan(
        &mut self,
        after: i64,
        columns: Columns,
        each: &mut dyn FnMut(StoredRow<'_>) -> Result<()>,
    ) -> Result<Option<Head>> {
        // A deferred transaction: one WAL snapshot for the head and the rows.
        let tx = self.conn.transaction()?;
        let head = Self::read_head(&tx)?;
        {
            let mut stmt = tx.prepare_cached(match columns {
                Columns::Chain => {
                    "SELECT seq, format, payload, prev_hash, hash
                     FROM dueregard_events WHERE seq > ?1 ORDER BY seq"
                }
                Columns::All => {
                    "SELECT seq, format, payload, prev_hash, hash, name, version, actor, at
                     FROM dueregard_events WHERE seq > ?1 ORDER BY seq"
                }
            })?;
            let mut rows = stmt.query([after])?;
            while let Some(r) = rows.next()? {
                // Borrowed straight from SQLite's row buffer: no copies.
                let plain = match columns {
                    Columns::Chain => None,
                    Columns::All => Some(Plain {
                        name: text(r, 5)?,
                        version: r.get(6)?,
                        actor: text(r, 7)?,
                        at: text(r, 8)?,
                    }),
                };
                each(StoredRow {
                    seq: r.get(0)?,
                    format: r.get(1)?,
                    payload: blob(r, 2)?,
                    prev_hash: blob(r, 3)?,
                    hash: blob(r, 4)?,
                    plain,
                })?;
            }
        }
        tx.commit()?;
        Ok(head)
    }

    fn schema_versions(&mut self) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT version FROM dueregard_schema ORDER BY version")?;
        let v = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrades_one_version_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let mut old = Sqlite::open_at_version(&path, 1).unwrap();
        assert_eq!(old.schema_versions().unwrap(), [1]);
        drop(old);
        let mut new = Sqlite::open(&path).unwrap();
        assert_eq!(
            new.schema_versions().unwrap(),
            (1..=SCHEMA_VERSION).collect::<Vec<_>>()
        );
        let indexes: i64 = new
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'dueregard_events_%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 0);
    }

    #[test]
    fn refuses_files_that_are_not_stores() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "this is not a database, just some text long enough").unwrap();
        assert!(matches!(
            Sqlite::open(&text),
            Err(StoreError::NotAStore { .. })
        ));

        let other = dir.path().join("other.db");
        let c = Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE invoices (id INTEGER)")
            .unwrap();
        drop(c);
        let err = Sqlite::open(&other).err().unwrap();
        assert!(err.to_string().contains("not a dueregard store"), "{err}");

        let missing = dir.path().join("no/such/dir/x.db");
        assert!(matches!(
            Sqlite::open(&missing),
            Err(StoreError::NotAStore { .. })
        ));
    }

    #[test]
    fn opens_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let s = Sqlite::open(&dir.path().join("w.db")).unwrap();
        let mode: String = s
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
}
