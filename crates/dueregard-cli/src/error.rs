//! The command-line tool's one error type and its exit codes.

use std::path::PathBuf;

use dueregard_store::StoreError;

/// Exit code: success.
pub const OK: u8 = 0;
/// Exit code: a rule of the model refused a command (or validate found rejected commands).
pub const REJECTED: u8 = 1;
/// Exit code: usage error or bad input (unknown id, bad date, unreadable or malformed file).
pub const BAD_INPUT: u8 = 2;
/// Exit code: the store is missing, unreadable, tampered with or failed to write.
pub const STORAGE: u8 = 3;
/// Exit code: a bug in dueregard (an internal error was caught).
pub const INTERNAL: u8 = 70;

/// Everything the tool reports to its user.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The core refused or could not read something.
    #[error("{0}")]
    Core(#[from] dueregard::Error),

    /// The store refused or failed.
    #[error("{0}")]
    Store(#[from] StoreError),

    /// A file could not be read or written.
    #[error("cannot {action} {}: {reason}", .path.display())]
    File {
        /// `read`, `write`…
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },

    /// No store where one was expected.
    #[error("no store at {}; start one with `dueregard init` (or load the example with `dueregard demo`), or pass --store PATH or --file PATH", .0.display())]
    NoStore(PathBuf),

    /// A command-line value is not acceptable.
    #[error("invalid {what} {value:?}: {hint}")]
    BadValue {
        /// Which option or argument.
        what: &'static str,
        /// The value given.
        value: String,
        /// What is expected.
        hint: String,
    },

    /// A file or target already exists and would be replaced.
    #[error("{} already exists; pass --force to replace it", .0.display())]
    Exists(PathBuf),

    /// `init` found a tracker where it was asked to start a new one.
    #[error("{} already exists; init starts a tracker only where there is none: choose another path, or work on this one", .0.display())]
    AlreadyStarted(PathBuf),

    /// `validate` or `verify` found problems (already printed).
    #[error("{0}")]
    Problems(String, u8),
}

impl CliError {
    /// The exit code for this error (see `docs/cli.md`).
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Core(e) => core_code(e),
            CliError::Store(StoreError::Rejected(e)) => core_code(e),
            CliError::Store(StoreError::RejectedInBatch { error, .. }) => core_code(error),
            CliError::Store(StoreError::BadLocation { .. }) => BAD_INPUT,
            CliError::Store(_) | CliError::NoStore(_) => STORAGE,
            CliError::File { .. }
            | CliError::BadValue { .. }
            | CliError::Exists(_)
            | CliError::AlreadyStarted(_) => BAD_INPUT,
            CliError::Problems(_, code) => *code,
        }
    }
}

fn core_code(e: &dueregard::Error) -> u8 {
    use dueregard::Error as E;
    if e.is_rule_violation() || matches!(e, E::NotAuthorised { .. } | E::DuplicateId { .. }) {
        REJECTED
    } else if matches!(e, E::CorruptLog { .. }) {
        STORAGE
    } else {
        BAD_INPUT
    }
}

/// A `Result` with [`CliError`].
pub type Result<T, E = CliError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_documented_table() {
        let unknown = dueregard::example::tracker().action("nope").unwrap_err();
        assert_eq!(CliError::Core(unknown).exit_code(), BAD_INPUT);
        let corrupt = dueregard::Error::CorruptLog {
            seq: 3,
            detail: "gap".into(),
        };
        assert_eq!(CliError::Core(corrupt).exit_code(), STORAGE);
        assert_eq!(CliError::NoStore("x.db".into()).exit_code(), STORAGE);
        let bad = CliError::BadValue {
            what: "date",
            value: "x".into(),
            hint: "h".into(),
        };
        assert_eq!(bad.exit_code(), BAD_INPUT);
    }
}
