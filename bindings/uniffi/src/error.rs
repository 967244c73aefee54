//! The one error type of the bindings, raised as a native exception in each
//! language.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::SystemTime;

use dueregard_store::StoreError;

use crate::records::{system_time, EntityKind};

/// Everything that can fail, one variant per kind of failure.
///
/// Every variant carries `detail`, the core's human-readable explanation
/// (what was wrong and how to fix it), first, followed by structured fields a
/// host can act on. Foreign exception texts therefore start with
/// `detail=…`. There is no field named `message`, which would clash with
/// `Throwable.message` in Kotlin.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
#[non_exhaustive]
pub enum DueregardError {
    /// No entity of this kind has this identifier.
    #[error("{detail}")]
    UnknownId {
        detail: String,
        kind: EntityKind,
        id: String,
        hint: String,
    },
    /// An entity of this kind already has this identifier.
    #[error("{detail}")]
    DuplicateId {
        detail: String,
        kind: EntityKind,
        id: String,
    },
    /// The state machine has no transition for this command from the current state.
    #[error("{detail}")]
    InvalidTransition {
        detail: String,
        kind: EntityKind,
        id: String,
        state: String,
        command: String,
        /// Commands the table allows from the current state (empty: the state is final).
        allowed: Vec<String>,
    },
    /// The actor's roles do not permit the command on this entity.
    #[error("{detail}")]
    NotAuthorised {
        detail: String,
        actor: String,
        command: String,
        kind: EntityKind,
        id: String,
        /// Why not, and who may.
        reason: String,
    },
    /// An action cannot complete while milestones are pending.
    #[error("{detail}")]
    MilestonesPending {
        detail: String,
        action: String,
        pending: Vec<String>,
    },
    /// Verification or sign-off needs at least one evidence item.
    #[error("{detail}")]
    EvidenceRequired {
        detail: String,
        kind: EntityKind,
        id: String,
        command: String,
    },
    /// The actor (or body) that claimed completion tried to verify it.
    #[error("{detail}")]
    SelfVerification {
        detail: String,
        kind: EntityKind,
        id: String,
        command: String,
        claimant: String,
        /// `actor` or `body`.
        scope: String,
    },
    /// A rationale, reservation or reason is required but was missing.
    #[error("{detail}")]
    ReasonRequired {
        detail: String,
        kind: EntityKind,
        id: String,
        command: String,
        /// `rationale`, `reservation` or `reason`.
        what: String,
    },
    /// A new date must be later than the current one (dates as `YYYY-MM-DD`).
    #[error("{detail}")]
    DateNotLater {
        detail: String,
        kind: EntityKind,
        id: String,
        current: String,
        proposed: String,
    },
    /// A reply-deadline extension was asked for after the deadline.
    #[error("{detail}")]
    DeadlinePassed {
        detail: String,
        id: String,
        deadline: String,
    },
    /// Sign-off came before the demonstration period ended.
    #[error("{detail}")]
    DemonstrationPeriod {
        detail: String,
        kind: EntityKind,
        id: String,
        until: String,
    },
    /// Implementation work needs the recommendation to be accepted first.
    #[error("{detail}")]
    NotAccepted {
        detail: String,
        id: String,
        decision: String,
    },
    /// A command was dated before the last recorded event.
    #[error("{detail}")]
    OutOfOrder {
        detail: String,
        last: SystemTime,
        at: SystemTime,
    },
    /// A value is not acceptable (a malformed command, date or identifier).
    #[error("{detail}")]
    Invalid { detail: String, field: String },
    /// A document, log or command could not be read.
    #[error("{detail}")]
    Parse {
        detail: String,
        source_name: String,
        line: Option<i64>,
    },
    /// A document written by a newer format version.
    #[error("{detail}")]
    UnsupportedVersion {
        detail: String,
        what: String,
        found: i64,
        supported: i64,
    },
    /// An event log does not replay.
    #[error("{detail}")]
    CorruptLog { detail: String, seq: i64 },
    /// Another writer appended to the store first; nothing was written.
    /// Call `refresh()` and decide again.
    #[error("{detail}")]
    Conflict {
        detail: String,
        expected: i64,
        actual: i64,
    },
    /// The stored log is damaged or was altered at event `seq`.
    #[error("{detail}")]
    Corrupt { detail: String, seq: i64 },
    /// The store could not be opened, read or written (`code` names the
    /// cause: `bad_location`, `not_a_store`, `newer_schema`, `not_empty`,
    /// `backend_missing`, `sqlite`, `postgres`, `file`, `encode`, `sequence`).
    #[error("{detail}")]
    Store { detail: String, code: String },
    /// The operation needs a store, but this tracker lives in memory.
    #[error("{detail}")]
    NotStored { detail: String },
    /// A failure inside the library (a bug); the operation did not complete.
    #[error("{detail}")]
    Internal { detail: String },
    /// A failure this version of the bindings does not know by name.
    #[error("{detail}")]
    Other { detail: String, code: String },
}

/// A `Result` with [`DueregardError`].
pub type Result<T, E = DueregardError> = std::result::Result<T, E>;

fn date(d: chrono::NaiveDate) -> String {
    d.to_string()
}

impl From<dueregard::Error> for DueregardError {
    fn from(e: dueregard::Error) -> Self {
        let detail = e.to_string();
        Self::core(e, detail)
    }
}

/// A rejected batch is the core error of its rejected submission, with a
/// detail that names the submission's position.
impl From<dueregard::BatchError> for DueregardError {
    fn from(e: dueregard::BatchError) -> Self {
        let detail = e.to_string();
        Self::core(e.error, detail)
    }
}

impl DueregardError {
    fn core(e: dueregard::Error, detail: String) -> Self {
        use dueregard::Error as E;
        match e {
            E::UnknownId { kind, id, hint } => Self::UnknownId {
                detail,
                kind: kind.into(),
                id,
                hint,
            },
            E::DuplicateId { kind, id } => Self::DuplicateId {
                detail,
                kind: kind.into(),
                id,
            },
            E::InvalidTransition {
                kind,
                id,
                state,
                command,
                allowed,
            } => Self::InvalidTransition {
                detail,
                kind: kind.into(),
                id,
                state,
                command,
                allowed,
            },
            E::NotAuthorised {
                actor,
                command,
                kind,
                id,
                reason,
            } => Self::NotAuthorised {
                detail,
                actor,
                command,
                kind: kind.into(),
                id,
                reason,
            },
            E::MilestonesPending { action, pending } => Self::MilestonesPending {
                detail,
                action,
                pending,
            },
            E::EvidenceRequired { kind, id, command } => Self::EvidenceRequired {
                detail,
                kind: kind.into(),
                id,
                command,
            },
            E::SelfVerification {
                kind,
                id,
                command,
                claimant,
                scope,
                ..
            } => Self::SelfVerification {
                detail,
                kind: kind.into(),
                id,
                command,
                claimant,
                scope: scope.to_string(),
            },
            E::ReasonRequired {
                kind,
                id,
                command,
                what,
            } => Self::ReasonRequired {
                detail,
                kind: kind.into(),
                id,
                command,
                what,
            },
            E::DateNotLater {
                kind,
                id,
                current,
                proposed,
            } => Self::DateNotLater {
                detail,
                kind: kind.into(),
                id,
                current: date(current),
                proposed: date(proposed),
            },
            E::DeadlinePassed { id, deadline } => Self::DeadlinePassed {
                detail,
                id,
                deadline: date(deadline),
            },
            E::DemonstrationPeriod { kind, id, until } => Self::DemonstrationPeriod {
                detail,
                kind: kind.into(),
                id,
                until: date(until),
            },
            E::NotAccepted { id, decision } => Self::NotAccepted {
                detail,
                id,
                decision,
            },
            E::OutOfOrder { last, at } => Self::OutOfOrder {
                detail,
                last: system_time(last),
                at: system_time(at),
            },
            E::Invalid { field, detail: _ } => Self::Invalid { detail, field },
            E::Parse {
                source_name, line, ..
            } => Self::Parse {
                detail,
                source_name,
                line: line.map(|l| i64::try_from(l).unwrap_or(i64::MAX)),
            },
            E::UnsupportedVersion {
                what,
                found,
                supported,
            } => Self::UnsupportedVersion {
                detail,
                what,
                found: i64::from(found),
                supported: i64::from(supported),
            },
            E::CorruptLog { seq, .. } => Self::CorruptLog { detail, seq },
            other => Self::Other {
                detail,
                code: other.code().to_string(),
            },
        }
    }
}

impl From<StoreError> for DueregardError {
    fn from(e: StoreError) -> Self {
        let detail = e.to_string();
        let store = |code: &str| Self::Store {
            detail: detail.clone(),
            code: code.to_string(),
        };
        match e {
            StoreError::Rejected(core) => core.into(),
            StoreError::RejectedInBatch { error, .. } => Self::core(error, detail),
            StoreError::Conflict { expected, actual } => Self::Conflict {
                detail,
                expected,
                actual,
            },
            StoreError::Corrupt { seq, .. } | StoreError::ChainBroken { seq, .. } => {
                Self::Corrupt { detail, seq }
            }
            StoreError::Sequence { .. } => store("sequence"),
            StoreError::NewerSchema { .. } => store("newer_schema"),
            StoreError::NotAStore { .. } => store("not_a_store"),
            StoreError::BadLocation { .. } => store("bad_location"),
            StoreError::BackendMissing { .. } => store("backend_missing"),
            StoreError::NotEmpty { .. } => store("not_empty"),
            StoreError::File { .. } => store("file"),
            StoreError::Encode { .. } => store("encode"),
            StoreError::Sqlite(_) => store("sqlite"),
            _ => store("store"),
        }
    }
}

/// Runs `f`, turning a panic into [`DueregardError::Internal`] so that it
/// never unwinds into (or aborts) the host.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(DueregardError::Internal {
                detail: format!(
                    "internal failure in dueregard ({what}); the operation did not complete; please report this as a bug"
                ),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_fields_and_text() {
        let core = dueregard::Error::InvalidTransition {
            kind: dueregard::EntityKind::Action,
            id: "lap/A1".into(),
            state: "planned".into(),
            command: "verify_action".into(),
            allowed: vec!["start_action".into()],
        };
        let text = core.to_string();
        match DueregardError::from(core) {
            DueregardError::InvalidTransition {
                detail,
                kind,
                id,
                allowed,
                ..
            } => {
                assert_eq!(detail, text);
                assert_eq!(kind, EntityKind::Action);
                assert_eq!(id, "lap/A1");
                assert_eq!(allowed, vec!["start_action".to_string()]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn rejected_store_commands_surface_the_core_error() {
        let core = dueregard::Error::NotAccepted {
            id: "r@b".into(),
            decision: "rejected".into(),
        };
        let e = DueregardError::from(StoreError::Rejected(core.clone()));
        assert_eq!(e, DueregardError::from(core));
        let c = DueregardError::from(StoreError::Conflict {
            expected: 3,
            actual: 5,
        });
        assert!(matches!(
            c,
            DueregardError::Conflict {
                expected: 3,
                actual: 5,
                ..
            }
        ));
    }

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let e = guard::<()>(|| panic!("boom")).unwrap_err();
        match e {
            DueregardError::Internal { detail } => assert!(detail.contains("boom"), "{detail}"),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(guard(|| Ok(7)), Ok(7));
    }
}
