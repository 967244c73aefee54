//! Where a store lives.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::error::StoreError;

/// The file the CLI and the bindings open when no location is given.
pub const DEFAULT_FILE: &str = "dueregard.db";

/// Where a store lives: an SQLite file or a PostgreSQL database.
///
/// Parsed from text: `postgres://…` and `postgresql://…` URLs (and libpq
/// `key=value` strings that start with `host=` or `dbname=`) name a
/// PostgreSQL database; `sqlite:PATH` or any other text is a file path.
///
/// ```
/// use dueregard_store::Location;
/// assert!(matches!("postgresql://u@localhost/db".parse::<Location>().unwrap(), Location::Postgres(_)));
/// assert!(matches!("dueregard.db".parse::<Location>().unwrap(), Location::Sqlite(_)));
/// assert!(matches!("sqlite:/tmp/x.db".parse::<Location>().unwrap(), Location::Sqlite(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A single SQLite file (created when absent).
    Sqlite(PathBuf),
    /// A PostgreSQL connection string.
    Postgres(String),
}

impl Default for Location {
    fn default() -> Self {
        Location::Sqlite(PathBuf::from(DEFAULT_FILE))
    }
}

impl FromStr for Location {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.is_empty() {
            return Err(StoreError::BadLocation {
                location: s.to_string(),
                reason: "it is empty; give a file path or a postgresql:// URL".into(),
            });
        }
        if t.starts_with("postgres://")
            || t.starts_with("postgresql://")
            || t.starts_with("host=")
            || t.starts_with("dbname=")
        {
            return Ok(Location::Postgres(t.to_string()));
        }
        if let Some(path) = t.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(StoreError::BadLocation {
                    location: s.to_string(),
                    reason: "no file path after `sqlite:`".into(),
                });
            }
            return Ok(Location::Sqlite(PathBuf::from(path)));
        }
        Ok(Location::Sqlite(PathBuf::from(t)))
    }
}

impl From<PathBuf> for Location {
    fn from(p: PathBuf) -> Self {
        Location::Sqlite(p)
    }
}

impl From<&std::path::Path> for Location {
    fn from(p: &std::path::Path) -> Self {
        Location::Sqlite(p.to_path_buf())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

/// A connection string with any password replaced by `***`, for messages:
/// both URL (`postgresql://user:pw@host/db`) and `key=value` (`password=pw`)
/// forms.
pub(crate) fn redact(conn: &str) -> String {
    if let Some(s) = conn.find("://") {
        if let Some(at) = conn[s + 3..].find('@').map(|i| i + s + 3) {
            let creds = &conn[s + 3..at];
            if let Some(c) = creds.find(':') {
                return format!("{}{}:***{}", &conn[..s + 3], &creds[..c], &conn[at..]);
            }
        }
        return conn.to_string();
    }
    conn.split_whitespace()
        .map(|part| match part.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_form() {
        assert_eq!(
            "postgres://a@b/c".parse::<Location>().unwrap(),
            Location::Postgres("postgres://a@b/c".into())
        );
        assert_eq!(
            "host=/tmp dbname=x".parse::<Location>().unwrap(),
            Location::Postgres("host=/tmp dbname=x".into())
        );
        assert_eq!(
            "sqlite:///var/x.db".parse::<Location>().unwrap(),
            Location::Sqlite("/var/x.db".into())
        );
        assert_eq!(
            "x.db".parse::<Location>().unwrap(),
            Location::Sqlite("x.db".into())
        );
        assert!("  ".parse::<Location>().is_err());
        assert!("sqlite:".parse::<Location>().is_err());
    }

    #[test]
    fn display_hides_password() {
        let l: Location = "postgresql://me:pw@host:5432/db".parse().unwrap();
        assert_eq!(l.to_string(), "postgresql://me:***@host:5432/db");
        let l: Location = "host=h dbname=d password=pw".parse().unwrap();
        assert_eq!(l.to_string(), "host=h dbname=d password=***");
        assert_eq!(redact("postgresql://u@h/db"), "postgresql://u@h/db");
    }
}
