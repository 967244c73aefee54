//! The core's state and kind enums as Python `enum.Enum` classes (with `str` mixed in).
//!
//! The classes are built once, at import, from each core enum's own list of values, so they
//! always match the core. Members are named in upper case; their values are the core's stable
//! snake_case names.

use dueregard::State;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

use crate::errors::invalid_input;

macro_rules! py_enums {
    ($($fn_name:ident, $cell:ident, $ty:ty, $py_name:literal, $doc:literal;)+) => {
        $(
            static $cell: PyOnceLock<PyEnum> = PyOnceLock::new();

            #[doc = concat!("The Python member of `", $py_name, "` for a core value.")]
            #[allow(dead_code)]
            pub fn $fn_name<'py>(py: Python<'py>, value: $ty) -> PyResult<Bound<'py, PyAny>> {
                $cell
                    .get_or_try_init(py, || build::<$ty>(py, $py_name, $doc))?
                    .member(py, value)
            }
        )+

        /// Builds every enum class and adds it to the module.
        pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = m.py();
            $(
                let e = $cell.get_or_try_init(py, || build::<$ty>(py, $py_name, $doc))?;
                m.add($py_name, e.class.bind(py))?;
            )+
            Ok(())
        }
    };
}

/// A Python enum class and its members, in the order of the core's `State::all()` (looked up
/// by position, without calling the class).
pub struct PyEnum {
    class: Py<PyType>,
    members: Vec<Py<PyAny>>,
}

impl PyEnum {
    fn member<'py, S: State>(&self, py: Python<'py>, value: S) -> PyResult<Bound<'py, PyAny>> {
        match S::all().iter().position(|s| *s == value) {
            Some(i) if i < self.members.len() => Ok(self.members[i].bind(py).clone()),
            _ => self.class.bind(py).call1((value.name(),)),
        }
    }
}

fn build<S: State>(py: Python<'_>, name: &str, doc: &str) -> PyResult<PyEnum> {
    let class = build_class::<S>(py, name, doc)?;
    let members = S::all()
        .iter()
        .map(|s| class.bind(py).call1((s.name(),)).map(Bound::unbind))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyEnum { class, members })
}

fn build_class<S: State>(py: Python<'_>, name: &str, doc: &str) -> PyResult<Py<PyType>> {
    let enum_mod = py.import("enum")?;
    let members = PyList::empty(py);
    for s in S::all() {
        members.append((s.name().to_uppercase(), s.name()))?;
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("module", "dueregard")?;
    kwargs.set_item("type", py.get_type::<pyo3::types::PyString>())?;
    let cls = enum_mod
        .getattr("Enum")?
        .call((name, members), Some(&kwargs))?
        .cast_into::<PyType>()?;
    cls.setattr("__doc__", doc)?;
    cls.setattr(
        "__str__",
        py.import("builtins")?.getattr("str")?.getattr("__str__")?,
    )?;
    Ok(cls.unbind())
}

py_enums! {
    entity_kind, ENTITY_KIND, dueregard::EntityKind, "EntityKind", "The kinds of entity the tracker holds.";
    action_state, ACTION_STATE, dueregard::ActionState, "ActionState", "The states of an action.";
    milestone_state, MILESTONE_STATE, dueregard::MilestoneState, "MilestoneState", "The states of a milestone.";
    response_state, RESPONSE_STATE, dueregard::ResponseState, "ResponseState", "An addressee's decision on a recommendation.";
    implementation_state, IMPLEMENTATION_STATE, dueregard::ImplementationState, "ImplementationState", "How far a response's implementation has got.";
    review_kind, REVIEW_KIND, dueregard::ReviewKind, "ReviewKind", "The kinds of report that make recommendations.";
    plan_kind, PLAN_KIND, dueregard::PlanKind, "PlanKind", "The kinds of action plan.";
    body_kind, BODY_KIND, dueregard::BodyKind, "BodyKind", "The kinds of public body.";
    role, ROLE, dueregard::Role, "Role", "The roles an actor can hold.";
    rag, RAG, dueregard::Rag, "Rag", "Blue/red/amber/green ratings (blue = complete).";
    command_kind, COMMAND_KIND, dueregard::CommandKind, "CommandKind", "The name of every command.";
    visibility, VISIBILITY, dueregard::Visibility, "Visibility", "Who may see a record.";
}

/// The core value named by a Python enum member or a plain string.
///
/// The enum classes mix in `str`, so a member extracts as its value.
pub fn parse<S: State>(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<S> {
    let text: String = obj
        .extract()
        .map_err(|_| invalid_input(field, "expected a string or an enum member"))?;
    S::all()
        .iter()
        .copied()
        .find(|s| s.name() == text)
        .ok_or_else(|| {
            let names: Vec<&str> = S::all().iter().map(|s| s.name()).collect();
            invalid_input(
                field,
                format!(
                    "unknown value {text:?}; expected one of {}",
                    names.join(", ")
                ),
            )
        })
}
