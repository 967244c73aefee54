//! The PostgreSQL back-end, for many writers on one tracker. Appends move a
//! single head row with a conditional `UPDATE`, so concurrent writers queue on
//! that row and all but one find it moved (a typed conflict, never a fork);
//! readers use MVCC snapshots and never block writers. Batches are written
//! with binary `COPY`.

use postgres::binary_copy::{BinaryCopyInWriter, BinaryCopyOutIter};
use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::Type;
use postgres::{Client, Config, IsolationLevel, NoTls};

use crate::backend::{Backend, Columns, Head, Header, NewRow, Plain, StoredRow, SCHEMA_VERSION};
use crate::error::{Result, StoreError};
use crate::location::redact;

/// One upgrade step per schema version, applied in order in one transaction.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "events, head, header and schema tables; append-only triggers",
        "CREATE TABLE dueregard_schema (
             version BIGINT PRIMARY KEY,
             description TEXT NOT NULL,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         );
         CREATE TABLE dueregard_header (
             id INT PRIMARY KEY CHECK (id = 1),
             policy BYTEA NOT NULL,
             created_at TIMESTAMPTZ NOT NULL DEFAULT now()
         );
         CREATE TABLE dueregard_head (
             id INT PRIMARY KEY CHECK (id = 1),
             version BIGINT NOT NULL,
             hash BYTEA NOT NULL
         );
         CREATE TABLE dueregard_events (
             seq BIGINT PRIMARY KEY CHECK (seq >= 1),
             name TEXT NOT NULL,
             version BIGINT NOT NULL,
             actor TEXT NOT NULL,
             at TEXT NOT NULL,
             format BIGINT NOT NULL,
             payload BYTEA NOT NULL,
             prev_hash BYTEA NOT NULL,
             hash BYTEA NOT NULL
         );
         CREATE FUNCTION dueregard_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
         END
         $$;
         CREATE TRIGGER dueregard_events_append_only
             BEFORE UPDATE OR DELETE ON dueregard_events
             FOR EACH ROW EXECUTE FUNCTION dueregard_refuse_change();
         CREATE TRIGGER dueregard_events_no_truncate
             BEFORE TRUNCATE ON dueregard_events
             FOR EACH STATEMENT EXECUTE FUNCTION dueregard_refuse_change();
         CREATE TRIGGER dueregard_header_written_once
             BEFORE UPDATE OR DELETE ON dueregard_header
             FOR EACH ROW EXECUTE FUNCTION dueregard_refuse_change();",
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

/// Serialises schema changes between processes opening the same database.
const MIGRATION_LOCK: i64 = 0x6475_6572_6567_6172; // "duereg ar"

/// Batches larger than this go through binary COPY.
const COPY_THRESHOLD: usize = 16;

const COLUMNS: &str = "seq, name, version, actor, at, format, payload, prev_hash, hash";

/// A store in one PostgreSQL database (tables named `dueregard_*` in the
/// connection's search path).
pub(crate) struct Postgres {
    client: Client,
    location: String,
}

/// The URL without any password, for messages.
fn describe(config: &Config) -> String {
    use postgres::config::Host;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgresql://{}@{host}:{port}/{}",
        config.get_user().unwrap_or(""),
        config.get_dbname().unwrap_or("")
    )
}

impl Postgres {
    /// Connects and brings the schema up to date.
    pub(crate) fn open(url: &str) -> Result<Self> {
        Self::open_at_version(url, SCHEMA_VERSION)
    }

    /// Connects and migrates no further than `target` (tests of the upgrade path).
    pub(crate) fn open_at_version(url: &str, target: i64) -> Result<Self> {
        let config: Config = url
            .parse()
            .map_err(|e: postgres::Error| StoreError::BadLocation {
                location: redact(url),
                reason: e.to_string(),
            })?;
        let location = describe(&config);
        let client = config.connect(NoTls)?;
        let mut s = Postgres { client, location };
        s.migrate(target)?;
        Ok(s)
    }

    fn current_version(client: &mut impl postgres::GenericClient) -> Result<i64> {
        let exists: bool = client
            .query_one("SELECT to_regclass('dueregard_schema') IS NOT NULL", &[])?
            .get(0);
        if !exists {
            return Ok(0);
        }
        Ok(client
            .query_one(
                "SELECT coalesce(max(version), 0) FROM dueregard_schema",
                &[],
            )?
            .get(0))
    }

    fn migrate(&mut self, target: i64) -> Result<()> {
        let found = Self::current_version(&mut self.client)?;
        crate::backend::check_schema(&self.location, found)?;
        if found >= target {
            return Ok(());
        }
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        let found = Self::current_version(&mut tx)?;
        crate::backend::check_schema(&self.location, found)?;
        for (version, description, sql) in MIGRATIONS {
            if *version <= found || *version > target {
                continue;
            }
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO dueregard_schema (version, description) VALUES ($1, $2)",
                &[version, description],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn read_head(client: &mut impl postgres::GenericClient) -> Result<Option<Head>> {
        Ok(client
            .query_opt("SELECT version, hash FROM dueregard_head WHERE id = 1", &[])?
            .map(|r| Head {
                version: r.get(0),
                hash: r.get(1),
            }))
    }

    fn read_header(client: &mut impl postgres::GenericClient) -> Result<Option<Header>> {
        Ok(client
            .query_opt("SELECT policy FROM dueregard_header WHERE id = 1", &[])?
            .map(|r| Header { policy: r.get(0) }))
    }
}

fn is_unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

impl Backend for Postgres {
    fn location(&self) -> String {
        self.location.clone()
    }

    fn initialise(&mut self, header: &Header, head: &Head) -> Result<Header> {
        if let Some(h) = Self::read_header(&mut self.client)? {
            return Ok(h);
        }
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        if let Some(h) = Self::read_header(&mut tx)? {
            return Ok(h);
        }
        tx.execute(
            "INSERT INTO dueregard_header (id, policy) VALUES (1, $1)",
            &[&header.policy],
        )?;
        tx.execute(
            "INSERT INTO dueregard_head (id, version, hash) VALUES (1, $1, $2)",
            &[&head.version, &head.hash],
        )?;
        tx.commit()?;
        Ok(header.clone())
    }

    fn header(&mut self) -> Result<Option<Header>> {
        Self::read_header(&mut self.client)
    }

    fn head(&mut self) -> Result<Option<Head>> {
        Self::read_head(&mut self.client)
    }

    fn hash_at(&mut self, seq: i64) -> Result<Option<Vec<u8>>> {
        Ok(self
            .client
            .query_opt("SELECT hash FROM dueregard_events WHERE seq = $1", &[&seq])?
            .map(|r| r.get(0)))
    }

    fn append(&mut self, expected: &Head, rows: &[NewRow<'_>], new: &Head) -> Result<()> {
        let mut tx = self.client.transaction()?;
        // Writers queue on the head row; a writer that waited re-reads it and
        // finds it moved.
        let moved = tx.execute(
            "UPDATE dueregard_head SET version = $1, hash = $2
             WHERE id = 1 AND version = $3 AND hash = $4",
            &[&new.version, &new.hash, &expected.version, &expected.hash],
        )?;
        if moved != 1 {
            let actual = Self::read_head(&mut tx)?.map(|h| h.version).unwrap_or(0);
            return Err(crate::backend::conflict(expected, actual));
        }
        let conflict = |e: postgres::Error| {
            if is_unique_violation(&e) {
                StoreError::Conflict {
                    expected: expected.version,
                    actual: new.version,
                }
            } else {
                StoreError::Postgres(e)
            }
        };
        if rows.len() > COPY_THRESHOLD {
            let sink = tx
                .copy_in(&format!(
                    "COPY dueregard_events ({COLUMNS}) FROM STDIN BINARY"
                ))
                .map_err(conflict)?;
            let types = [
                Type::INT8,
                Type::TEXT,
                Type::INT8,
                Type::TEXT,
                Type::TEXT,
                Type::INT8,
                Type::BYTEA,
                Type::BYTEA,
                Type::BYTEA,
            ];
            let mut writer = BinaryCopyInWriter::new(sink, &types);
            for r in rows {
                writer
                    .write(&[
                        &r.seq,
                        &r.name,
                        &r.version,
                        &r.actor,
                        &r.at,
                        &r.format,
                        &r.payload,
                        &r.prev_hash,
                        &r.hash,
                    ])
                    .map_err(conflict)?;
            }
            writer.finish().map_err(conflict)?;
        } else {
            let insert = tx.prepare(&format!(
                "INSERT INTO dueregard_events ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            ))?;
            for r in rows {
                tx.execute(
                    &insert,
                    &[
                        &r.seq,
                        &r.name,
                        &r.version,
                        &r.actor,
                        &r.at,
                        &r.format,
                        &r.payload,
                        &r.prev_hash,
                        &r.hash,
                    ],
                )
                .map_err(conflict)?;
            }
        }
        tx.commit().map_err(conflict)?;
        Ok(())
    }

    fn scan(
        &mut self,
        after: i64,
        columns: Columns,
        each: &mut dyn FnMut(StoredRow<'_>) -> Result<()>,
    ) -> Result<Option<Head>> {
        let mut tx = self
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let head = Self::read_head(&mut tx)?;
        {
            // Binary COPY streams the rows with less per-row work on both
            // sides than a SELECT; it takes no parameters, and `after` is a
            // number.
            let (list, types): (&str, &[Type]) = match columns {
                Columns::Chain => (
                    "seq, format, payload, prev_hash, hash",
                    &[
                        Type::INT8,
                        Type::INT8,
                        Type::BYTEA,
                        Type::BYTEA,
                        Type::BYTEA,
                    ],
                ),
                Columns::All => (
                    "seq, format, payload, prev_hash, hash, name, version, actor, at",
                    &[
                        Type::INT8,
                        Type::INT8,
                        Type::BYTEA,
                        Type::BYTEA,
                        Type::BYTEA,
                        Type::TEXT,
                        Type::INT8,
                        Type::TEXT,
                        Type::TEXT,
                    ],
                ),
            };
            let reader = tx.copy_out(&format!(
                "COPY (SELECT {list} FROM dueregard_events WHERE seq > {after} ORDER BY seq) \
                 TO STDOUT (FORMAT binary)"
            ))?;
            let mut rows = BinaryCopyOutIter::new(reader, types);
            while let Some(r) = rows.next()? {
                let plain = match columns {
                    Columns::Chain => None,
                    Columns::All => Some(Plain {
                        name: r.try_get(5)?,
                        version: r.try_get(6)?,
                        actor: r.try_get(7)?,
                        at: r.try_get(8)?,
                    }),
                };
                each(StoredRow {
                    seq: r.try_get(0)?,
                    format: r.try_get(1)?,
                    payload: r.try_get(2)?,
                    prev_hash: r.try_get(3)?,
                    hash: r.try_get(4)?,
                    plain,
                })?;
            }
        }
        tx.commit()?;
        Ok(head)
    }

    fn schema_versions(&mut self) -> Result<Vec<i64>> {
        Ok(self
            .client
            .query("SELECT version FROM dueregard_schema ORDER BY version", &[])?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh database on the test server, or `None` outside CI without one.
    fn fresh_db(name: &str) -> Option<(Client, String)> {
        let admin = std::env::var("DUEREGARD_PG_URL").ok().or_else(|| {
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/pg/url"))
                .ok()
        });
        let Some(admin) = admin
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
        else {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "CI=true but no PostgreSQL server: run scripts/pg/start.sh"
            );
            eprintln!("skipping {name}: no PostgreSQL server (run scripts/pg/start.sh)");
            return None;
        };
        let mut client = Client::connect(&admin, NoTls).unwrap();
        let db = format!("dr_unit_{name}_{}", std::process::id());
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
            .unwrap();
        client
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .unwrap();
        let (base, _) = admin.rsplit_once('/').unwrap();
        Some((client, format!("{base}/{db}")))
    }

    #[test]
    fn upgrades_one_version_at_a_time() {
        let Some((mut admin, url)) = fresh_db("upgrade") else {
            return;
        };
        let mut old = Postgres::open_at_version(&url, 1).unwrap();
        assert_eq!(old.schema_versions().unwrap(), [1]);
        drop(old);
        let mut new = Postgres::open(&url).unwrap();
        assert_eq!(
            new.schema_versions().unwrap(),
            (1..=SCHEMA_VERSION).collect::<Vec<_>>()
        );
        drop(new);
        let db = url.rsplit_once('/').unwrap().1;
        admin
            .batch_execute(&format!("DROP DATABASE {db} WITH (FORCE)"))
            .unwrap();
    }

    #[test]
    fn unreachable_server_is_a_typed_error() {
        let err = Postgres::open("postgresql://nobody@127.0.0.1:1/none")
            .err()
            .unwrap();
        assert!(matches!(err, StoreError::Postgres(_)), "{err}");
        let err = Postgres::open("postgresql://u@h:notaport/db")
            .err()
            .unwrap();
        assert!(matches!(err, StoreError::BadLocation { .. }), "{err}");
    }
}
