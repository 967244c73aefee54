//! The exception tree: `DueregardError` and one subclass per kind of failure.
//!
//! The classes are created once here; `From` conversions map every core error to one of them and
//! copy its structured fields onto the exception as attributes.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    _dueregard,
    DueregardError,
    PyException,
    "Base class of every error raised by dueregard."
);
create_exception!(
    _dueregard,
    RuleViolationError,
    DueregardError,
    "The command breaks a rule of the model (a date, a reason, evidence, an ordering)."
);
create_exception!(
    _dueregard,
    InvalidTransitionError,
    RuleViolationError,
    "A command is not allowed from the entity's current state."
);
create_exception!(
    _dueregard,
    NotAuthorisedError,
    DueregardError,
    "The actor may not issue this command."
);
create_exception!(
    _dueregard,
    UnknownIdError,
    DueregardError,
    "No entity has the given id."
);
create_exception!(
    _dueregard,
    ConflictError,
    DueregardError,
    "The command conflicts with existing data (a duplicate id or a stale version)."
);
create_exception!(
    _dueregard,
    InvalidInputError,
    DueregardError,
    "The input is malformed or breaks a rule of the model."
);
create_exception!(
    _dueregard,
    StorageError,
    DueregardError,
    "Reading or writing a store or file failed."
);
create_exception!(
    _dueregard,
    TamperingDetectedError,
    DueregardError,
    "A stored history does not replay or does not match its checksums."
);

/// Registers the exception classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("DueregardError", py.get_type::<DueregardError>())?;
    m.add("RuleViolationError", py.get_type::<RuleViolationError>())?;
    m.add(
        "InvalidTransitionError",
        py.get_type::<InvalidTransitionError>(),
    )?;
    m.add("NotAuthorisedError", py.get_type::<NotAuthorisedError>())?;
    m.add("UnknownIdError", py.get_type::<UnknownIdError>())?;
    m.add("ConflictError", py.get_type::<ConflictError>())?;
    m.add("InvalidInputError", py.get_type::<InvalidInputError>())?;
    m.add("StorageError", py.get_type::<StorageError>())?;
    m.add(
        "TamperingDetectedError",
        py.get_type::<TamperingDetectedError>(),
    )?;
    Ok(())
}

/// A field of an error, as a Python value.
enum Field {
    Str(String),
    List(Vec<String>),
    Int(i64),
    OptInt(Option<u64>),
    Date(chrono::NaiveDate),
    Time(chrono::DateTime<chrono::Utc>),
    Kind(dueregard::EntityKind),
}

impl Field {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match self {
            Field::Str(s) => s.into_pyobject(py)?.into_any().unbind(),
            Field::List(v) => v.into_pyobject(py)?.into_any().unbind(),
            Field::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
            Field::OptInt(i) => i.into_pyobject(py)?.into_any().unbind(),
            Field::Date(d) => d.into_pyobject(py)?.into_any().unbind(),
            Field::Time(t) => t.into_pyobject(py)?.into_any().unbind(),
            Field::Kind(k) => crate::enums::entity_kind(py, *k)?.unbind(),
        })
    }
}

/// Builds an exception of class `T` with `message`, a `code` and the given attributes.
fn raise<T: pyo3::PyTypeInfo>(code: &str, message: String, fields: Vec<(&str, Field)>) -> PyErr {
    Python::attach(|py| {
        let err = PyErr::new::<T, _>(message);
        let value = err.value(py);
        let set = || -> PyResult<()> {
            value.setattr("code", code)?;
            for (name, field) in &fields {
                value.setattr(*name, field.to_py(py)?)?;
            }
            Ok(())
        };
        match set() {
            Ok(()) => err,
            Err(e) => e,
        }
    })
}

/// Converts a core error into the matching Python exception, fields included.
pub fn core_err(err: dueregard::Error) -> PyErr {
    use dueregard::Error as E;
    use Field::*;
    let code = err.code();
    let message = err.to_string();
    match err {
        E::UnknownId { kind, id, hint } => raise::<UnknownIdError>(
            code,
            message,
            vec![("kind", Kind(kind)), ("id", Str(id)), ("hint", Str(hint))],
        ),
        E::DuplicateId { kind, id } => {
            raise::<ConflictError>(code, message, vec![("kind", Kind(kind)), ("id", Str(id))])
        }
        E::InvalidTransition {
            kind,
            id,
            state,
            command,
            allowed,
        } => raise::<InvalidTransitionError>(
            code,
            message,
            vec![
                ("kind", Kind(kind)),
                ("id", Str(id)),
                ("state", Str(state)),
                ("command", Str(command)),
                ("allowed", List(allowed)),
            ],
        ),
        E::NotAuthorised {
            actor,
            command,
            kind,
            id,
            reason,
        } => raise::<NotAuthorisedError>(
            code,
            message,
            vec![
                ("actor", Str(actor)),
                ("command", Str(command)),
                ("kind", Kind(kind)),
                ("id", Str(id)),
                ("reason", Str(reason)),
            ],
        ),
        E::MilestonesPending { action, pending } => raise::<RuleViolationError>(
            code,
            message,
            vec![("action", Str(action)), ("pending", List(pending))],
        ),
        E::EvidenceRequired { kind, id, command } => raise::<RuleViolationError>(
            code,
            message,
            vec![
                ("kind", Kind(kind)),
                ("id", Str(id)),
                ("command", Str(command)),
            ],
        ),
        E::SelfVerification {
            kind,
            id,
            command,
            step,
            claimant,
            scope,
        } => raise::<RuleViolationError>(
            code,
            message,
            vec![
                ("kind", Kind(kind)),
                ("id", Str(id)),
                ("command", Str(command)),
                ("step", Str(step.to_string())),
                ("claimant", Str(claimant)),
                ("scope", Str(scope.to_string())),
            ],
        ),
        E::ReasonRequired {
            kind,
            id,
            command,
            what,
        } => raise::<RuleViolationError>(
            code,
            message,
            vec![
                ("kind", Kind(kind)),
                ("id", Str(id)),
                ("command", Str(command)),
                ("what", Str(what)),
            ],
        ),
        E::DateNotLater {
            kind,
            id,
            current,
            proposed,
        } => raise::<RuleViolationError>(
            code,
            message,
            vec![
                ("kind", Kind(kind)),
                ("id", Str(id)),
                ("current", Date(current)),
                ("proposed", Date(proposed)),
            ],
        ),
        E::DeadlinePassed { id, deadline } => raise::<RuleViolationError>(
            code,
            message,
            vec![("id", Str(id)), ("deadline", Date(deadline))],
        ),
        E::DemonstrationPeriod { kind, id, until } => raise::<RuleViolationError>(
            code,
            message,
            vec![
                ("kind", Kind(kind)),
                ("id", Str(id)),
                ("until", Date(until)),
            ],
        ),
        E::NotAccepted { id, decision } => raise::<RuleViolationError>(
            code,
            message,
            vec![("id", Str(id)), ("decision", Str(decision))],
        ),
        E::OutOfOrder { last, at } => {
            raise::<RuleViolationError>(code, message, vec![("last", Time(last)), ("at", Time(at))])
        }
        E::Invalid { field, detail } => raise::<InvalidInputError>(
            code,
            message,
            vec![("field", Str(field)), ("detail", Str(detail))],
        ),
        E::Parse {
            source_name,
            line,
            detail,
        } => raise::<InvalidInputError>(
            code,
            message,
            vec![
                ("source_name", Str(source_name)),
                ("line", OptInt(line)),
                ("detail", Str(detail)),
            ],
        ),
        E::UnsupportedVersion {
            what,
            found,
            supported,
        } => raise::<InvalidInputError>(
            code,
            message,
            vec![
                ("what", Str(what)),
                ("found", Int(i64::from(found))),
                ("supported", Int(i64::from(supported))),
            ],
        ),
        E::CorruptLog { seq, detail } => raise::<TamperingDetectedError>(
            code,
            message,
            vec![("seq", Int(seq)), ("detail", Str(detail))],
        ),
        other => raise::<DueregardError>(other.code(), other.to_string(), Vec::new()),
    }
}

/// An `InvalidInputError` for a Python value the binding cannot convert.
pub fn invalid_input(field: &str, detail: impl Into<String>) -> PyErr {
    let detail = detail.into();
    raise::<InvalidInputError>(
        "invalid",
        format!("invalid {field}: {detail}"),
        vec![
            ("field", Field::Str(field.to_string())),
            ("detail", Field::Str(detail)),
        ],
    )
}

/// A `StorageError` for a file that cannot be read or written.
pub fn io_err(path: &str, action: &str, err: std::io::Error) -> PyErr {
    raise::<StorageError>(
        "io",
        format!("cannot {action} {path}: {err}"),
        vec![
            ("path", Field::Str(path.to_string())),
            ("detail", Field::Str(err.to_string())),
        ],
    )
}

/// Converts a store error into the matching Python exception, fields included: a version
/// conflict becomes `ConflictError`, a broken or unreadable log `TamperingDetectedError`, a
/// refused command the core's exception, anything else `StorageError`.
pub fn store_err(err: dueregard_store::StoreError) -> PyErr {
    use dueregard_store::StoreError as S;
    use Field::{Int, Str};
    let message = err.to_string();
    match err {
        S::Rejected(e) => core_err(e),
        S::RejectedInBatch { index, error } => {
            let err = core_err(error);
            Python::attach(|py| err.value(py).setattr("index", index).map(|()| err))
                .unwrap_or_else(|e| e)
        }
        S::Conflict { expected, actual } => raise::<ConflictError>(
            "conflict",
            message,
            vec![("expected", Int(expected)), ("actual", Int(actual))],
        ),
        S::ChainBroken { seq, reason } | S::Corrupt { seq, reason } => {
            raise::<TamperingDetectedError>(
                "tampering_detected",
                message,
                vec![("seq", Int(seq)), ("detail", Str(reason))],
            )
        }
        S::NewerSchema { location, .. }
        | S::NotAStore { location, .. }
        | S::BadLocation { location, .. }
        | S::NotEmpty { location, .. } => raise::<StorageError>(
            "storage",
            message.clone(),
            vec![("location", Str(location)), ("detail", Str(message))],
        ),
        S::File { path, .. } => raise::<StorageError>(
            "io",
            message.clone(),
            vec![
                ("path", Str(path.display().to_string())),
                ("detail", Str(message)),
            ],
        ),
        _ => raise::<StorageError>("storage", message.clone(), vec![("detail", Str(message))]),
    }
}
