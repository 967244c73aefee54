//! The one error type of the core crate.

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::subject::EntityKind;

/// A `Result` with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when recording or reading the tracker.
///
/// Every variant says what was attempted and, where there is one, what would
/// make it legal. A rejected command changes nothing.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No entity of this kind has this identifier.
    #[error("unknown {kind} {id:?}; {hint}")]
    UnknownId {
        /// Kind looked up.
        kind: EntityKind,
        /// Identifier given.
        id: String,
        /// How to fix it.
        hint: String,
    },

    /// An entity of this kind already has this identifier.
    #[error("{kind} {id:?} already exists; choose another identifier")]
    DuplicateId {
        /// Kind created.
        kind: EntityKind,
        /// Identifier given.
        id: String,
    },

    /// The machine's transition table has no row for this command from this state.
    #[error("{kind} {id} is {state}; {command} is not allowed from {state} (allowed: {})", list_or_none(.allowed))]
    InvalidTransition {
        /// Kind of entity.
        kind: EntityKind,
        /// Its identifier.
        id: String,
        /// Its current state.
        state: String,
        /// The command tried.
        command: String,
        /// Commands the table allows from the current state.
        allowed: Vec<String>,
    },

    /// The actor's roles do not permit the command on this entity.
    #[error("actor {actor} may not {command} {kind} {id}: {reason}")]
    NotAuthorised {
        /// Actor who tried.
        actor: String,
        /// Command tried.
        command: String,
        /// Kind of entity.
        kind: EntityKind,
        /// Its identifier.
        id: String,
        /// Why not, and who may.
        reason: String,
    },

    /// An action cannot complete while milestones are pending.
    #[error("action {action} cannot complete: milestone(s) {} still pending; achieve or waive each (with a reason) first", .pending.join(", "))]
    MilestonesPending {
        /// The action.
        action: String,
        /// Its pending milestones.
        pending: Vec<String>,
    },

    /// Verification or sign-off needs at least one evidence item.
    #[error("{kind} {id} has no evidence; submit evidence before {command}")]
    EvidenceRequired {
        /// Kind of entity.
        kind: EntityKind,
        /// Its identifier.
        id: String,
        /// Command tried.
        command: String,
    },

    /// Separation of duties: whoever claimed an item tried to verify or sign
    /// it off, or whoever verified it tried to sign it off. Claim,
    /// verification and sign-off are three signatures by three actors.
    #[error("{kind} {id} was {step} by {claimant}; {command} must come from a different {scope}")]
    SelfVerification {
        /// Kind of entity.
        kind: EntityKind,
        /// Its identifier.
        id: String,
        /// Command tried.
        command: String,
        /// The earlier signature this one clashes with: `claimed` or `verified`.
        step: &'static str,
        /// Who gave that signature (actor or body).
        claimant: String,
        /// `actor` or `body`.
        scope: &'static str,
    },

    /// A rationale, reservation or reason is required but was missing or blank.
    #[error("{command} of {kind} {id} needs a {what}; give it in the command")]
    ReasonRequired {
        /// Kind of entity.
        kind: EntityKind,
        /// Its identifier.
        id: String,
        /// Command tried.
        command: String,
        /// `rationale`, `reservation` or `reason`.
        what: String,
    },

    /// A new date must be later than the current one.
    #[error("{kind} {id} is due {current}; the new date {proposed} must be later")]
    DateNotLater {
        /// Kind of entity.
        kind: EntityKind,
        /// Its identifier.
        id: String,
        /// Current date.
        current: NaiveDate,
        /// Date proposed.
        proposed: NaiveDate,
    },

    /// An extension of a reply deadline was asked for after it expired.
    #[error("response {id}: the reply deadline {deadline} has passed; an extension must be requested before it expires")]
    DeadlinePassed {
        /// The response.
        id: String,
        /// The live deadline.
        deadline: NaiveDate,
    },

    /// Sign-off came before the demonstration period ended.
    #[error("{kind} {id} must hold until {until} before it can be signed off")]
    DemonstrationPeriod {
        /// Kind of entity.
        kind: EntityKind,
        /// Its identifier.
        id: String,
        /// First date sign-off is allowed.
        until: NaiveDate,
    },

    /// Implementation work needs the recommendation to be accepted (fully, in principle or in part).
    #[error("response {id} is {decision}; implementation can start only after the recommendation is accepted")]
    NotAccepted {
        /// The response.
        id: String,
        /// Its decision.
        decision: String,
    },

    /// A command was dated before the last recorded event.
    #[error(
        "command dated {at} is earlier than the last event ({last}); record events in date order"
    )]
    OutOfOrder {
        /// Date of the last event.
        last: DateTime<Utc>,
        /// Date of the command.
        at: DateTime<Utc>,
    },

    /// A field's value is not acceptable.
    #[error("invalid {field}: {detail}")]
    Invalid {
        /// The field.
        field: String,
        /// What is wrong and what is expected.
        detail: String,
    },

    /// A document or log could not be read.
    #[error("cannot read {source_name}{}: {detail}", line_suffix(*.line))]
    Parse {
        /// File or stream name.
        source_name: String,
        /// 1-based line, when known.
        line: Option<u64>,
        /// What is wrong.
        detail: String,
    },

    /// A document written by a newer or unknown format version.
    #[error("{what} has format version {found}, this library reads up to {supported}; upgrade dueregard")]
    UnsupportedVersion {
        /// What was read.
        what: String,
        /// Version found.
        found: u32,
        /// Newest version supported.
        supported: u32,
    },

    /// A stored event log does not replay (a gap, or an event naming an entity that does not exist).
    #[error("event {seq} does not replay: {detail}")]
    CorruptLog {
        /// Sequence number of the event.
        seq: i64,
        /// What is wrong.
        detail: String,
    },
}

fn list_or_none(v: &[String]) -> String {
    if v.is_empty() {
        "none: the state is final".to_string()
    } else {
        v.join(", ")
    }
}

fn line_suffix(line: Option<u64>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}

impl Error {
    /// A short, stable code for the variant (e.g. `invalid_transition`), for
    /// bindings, exit codes and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Error::UnknownId { .. } => "unknown_id",
            Error::DuplicateId { .. } => "duplicate_id",
            Error::InvalidTransition { .. } => "invalid_transition",
            Error::NotAuthorised { .. } => "not_authorised",
            Error::MilestonesPending { .. } => "milestones_pending",
            Error::EvidenceRequired { .. } => "evidence_required",
            Error::SelfVerification { .. } => "self_verification",
            Error::ReasonRequired { .. } => "reason_required",
            Error::DateNotLater { .. } => "date_not_later",
            Error::DeadlinePassed { .. } => "deadline_passed",
            Error::DemonstrationPeriod { .. } => "demonstration_period",
            Error::NotAccepted { .. } => "not_accepted",
            Error::OutOfOrder { .. } => "out_of_order",
            Error::Invalid { .. } => "invalid",
            Error::Parse { .. } => "parse",
            Error::UnsupportedVersion { .. } => "unsupported_version",
            Error::CorruptLog { .. } => "corrupt_log",
        }
    }

    /// True when the command broke a rule of the model (as opposed to naming
    /// something unknown or sending malformed input).
    pub fn is_rule_violation(&self) -> bool {
        matches!(
            self,
            Error::InvalidTransition { .. }
                | Error::MilestonesPending { .. }
                | Error::EvidenceRequired { .. }
                | Error::SelfVerification { .. }
                | Error::ReasonRequired { .. }
                | Error::DateNotLater { .. }
                | Error::DeadlinePassed { .. }
                | Error::DemonstrationPeriod { .. }
                | Error::NotAccepted { .. }
                | Error::OutOfOrder { .. }
        )
    }

    pub(crate) fn unknown(kind: EntityKind, id: &str) -> Self {
        Error::UnknownId {
            kind,
            id: id.to_string(),
            hint: format!("check the identifier or create the {kind} first"),
        }
    }

    pub(crate) fn invalid(field: &str, detail: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.to_string(),
            detail: detail.into(),
        }
    }
}
