//! Read-only Python views of the core's entity records.
//!
//! Each class holds a copy of one core record and exposes its fields as properties: text as
//! `str` (the primary language), states and kinds as the enums of [`crate::enums`], dates as
//! `datetime.date` and times as aware `datetime`. `to_dict()` gives the whole record in the
//! core's JSON form.

use chrono::{DateTime, NaiveDate, Utc};
use pyo3::prelude::*;

use crate::convert::to_python;
use crate::enums;

/// Adds `to_dict`, `__eq__` and a short `__repr__` to an entity class.
macro_rules! record_common {
    ($cls:ident, $label:literal, |$s:ident| $repr:expr) => {
        #[pymethods]
        impl $cls {
            /// The whole record in the core's JSON form, as plain Python data.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                to_python(py, &self.0)
            }

            fn __repr__(&self) -> String {
                let $s = &self.0;
                format!("<{} {}>", $label, $repr)
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
                other
                    .cast::<$cls>()
                    .map(|o| o.get().0 == self.0)
                    .unwrap_or(false)
            }

            fn __hash__(&self) -> PyResult<isize> {
                Err(pyo3::exceptions::PyTypeError::new_err(concat!(
                    "unhashable type: '",
                    $label,
                    "'"
                )))
            }
        }
    };
}

/// A public body.
#[pyclass(module = "dueregard", frozen)]
pub struct Body(pub dueregard::Body);

#[pymethods]
impl Body {
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn name(&self) -> &str {
        self.0.name.primary()
    }
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::body_kind(py, self.0.kind)
    }
}
record_common!(Body, "Body", |b| format!(
    "{} {:?} ({})",
    b.id,
    b.name.primary(),
    b.kind
));

/// A person acting for a body, with roles.
#[pyclass(module = "dueregard", frozen)]
pub struct Actor(pub dueregard::Actor);

#[pymethods]
impl Actor {
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }
    #[getter]
    fn body(&self) -> &str {
        &self.0.body
    }
    #[getter]
    fn roles<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.0.roles.iter().map(|r| enums::role(py, *r)).collect()
    }
}
record_common!(Actor, "Actor", |a| format!(
    "{} {:?} for {}",
    a.id, a.name, a.body
));

/// A published report that makes recommendations.
#[pyclass(module = "dueregard", frozen)]
pub struct Review(pub dueregard::Review);

#[pymethods]
impl Review {
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn title(&self) -> &str {
        self.0.title.primary()
    }
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::review_kind(py, self.0.kind)
    }
    #[getter]
    fn publisher(&self) -> &str {
        &self.0.publisher
    }
    #[getter]
    fn published(&self) -> NaiveDate {
        self.0.published
    }
    #[getter]
    fn recommendations(&self) -> Vec<String> {
        self.0.recommendations.clone()
    }
}
record_common!(Review, "Review", |r| format!(
    "{} {:?} ({}, {} recommendations)",
    r.id,
    r.title.primary(),
    r.published,
    r.recommendations.len()
));

/// One recommendation of a review.
#[pyclass(module = "dueregard", frozen)]
pub struct Recommendation(pub dueregard::Recommendation);

#[pymethods]
impl Recommendation {
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn review(&self) -> &str {
        &self.0.review
    }
    #[getter]
    fn number(&self) -> &str {
        &self.0.number
    }
    #[getter]
    fn title(&self) -> &str {
        self.0.title.primary()
    }
    #[getter]
    fn text(&self) -> Option<&str> {
        self.0.text.as_ref().map(|t| t.primary())
    }
    #[getter]
    fn addressees(&self) -> Vec<String> {
        self.0.addressees.clone()
    }
    #[getter]
    fn themes(&self) -> Vec<String> {
        self.0.themes.clone()
    }
    /// The current due date (after any revision), if one is set.
    #[getter]
    fn due(&self) -> Option<NaiveDate> {
        self.0.due.as_ref().map(|d| d.current())
    }
    /// The due date first set; it never changes.
    #[getter]
    fn due_original(&self) -> Option<NaiveDate> {
        self.0.due.as_ref().map(|d| d.original)
    }
    #[getter]
    fn priority(&self) -> bool {
        self.0.priority
    }
}
record_common!(Recommendation, "Recommendation", |r| format!(
    "{} ({}) {:?}",
    r.id,
    r.number,
    r.title.primary()
));

/// An addressee's response to a recommendation and its implementation status.
#[pyclass(module = "dueregard", frozen)]
pub struct Response(pub dueregard::Response);

#[pymethods]
impl Response {
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn recommendation(&self) -> &str {
        &self.0.recommendation
    }
    #[getter]
    fn addressee(&self) -> &str {
        &self.0.addressee
    }
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::response_state(py, self.0.state)
    }
    #[getter]
    fn implementation<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::implementation_state(py, self.0.implementation)
    }
    #[getter]
    fn rationale(&self) -> Option<&str> {
        self.0.rationale.as_ref().map(|t| t.primary())
    }
    /// The reply deadline in force on `as_of` (pauses and extensions applied), if a reply
    /// duty applies.
    #[pyo3(signature = (as_of))]
    fn reply_deadline(&self, as_of: &Bound<'_, PyAny>) -> PyResult<Option<NaiveDate>> {
        let as_of = crate::convert::to_date(as_of, "as_of")?;
        Ok(self.0.clock.as_ref().map(|c| c.live_deadline(as_of)))
    }
    #[getter]
    fn self_rating<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        rating(py, &self.0.ratings.self_assessed)
    }
    #[getter]
    fn independent_rating<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        rating(py, &self.0.ratings.independent)
    }
}
record_common!(Response, "Response", |r| format!(
    "{} {} / {}",
    r.id, r.state, r.implementation
));

fn rating<'py>(
    py: Python<'py>,
    r: &Option<dueregard::Rating>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    r.as_ref().map(|r| enums::rag(py, r.rag)).transpose()
}

/// An action plan.
#[pyclass(module = "dueregard", frozen)]
pub struct Plan(pub dueregard::ActionPlan);

#[pymethods]
impl Plan {
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn title(&self) -> &str {
        self.0.title.primary()
    }
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::plan_kind(py, self.0.kind)
    }
    #[getter]
    fn owner(&self) -> &str {
        &self.0.owner
    }
    #[getter]
    fn parent(&self) -> Option<&str> {
        self.0.parent.as_deref()
    }
    #[getter]
    fn actions(&self) -> Vec<String> {
        self.0.actions.clone()
    }
}
record_common!(Plan, "Plan", |p| format!(
    "{} {:?} ({} actions)",
    p.id,
    p.title.primary(),
    p.actions.len()
));

/// An action of a plan, answering one or more recommendations.
#[pyclass(module = "dueregard", frozen)]
pub struct Action(pub dueregard::Action);

#[pymethods]
impl Action {
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn plan(&self) -> &str {
        &self.0.plan
    }
    #[getter]
    fn title(&self) -> &str {
        self.0.title.primary()
    }
    #[getter]
    fn owner(&self) -> &str {
        &self.0.owner
    }
    #[getter]
    fn answers(&self) -> Vec<String> {
        self.0.answers.clone()
    }
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::action_state(py, self.0.state)
    }
    /// The current due date (after any revision).
    #[getter]
    fn due(&self) -> NaiveDate {
        self.0.due.current()
    }
    /// The due date first set; it never changes.
    #[getter]
    fn due_original(&self) -> NaiveDate {
        self.0.due.original
    }
    /// Days the due date has moved from the original.
    #[getter]
    fn days_moved(&self) -> i64 {
        self.0.due.days_moved()
    }
    /// Number of times the due date was revised.
    #[getter]
    fn revisions(&self) -> usize {
        self.0.due.revision_count()
    }
    #[getter]
    fn milestones(&self) -> Vec<String> {
        self.0.milestones.clone()
    }
    #[getter]
    fn weight(&self) -> Option<f64> {
        self.0.weight
    }
    #[getter]
    fn self_rating<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        rating(py, &self.0.ratings.self_assessed)
    }
    #[getter]
    fn independent_rating<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        rating(py, &self.0.ratings.independent)
    }
}
record_common!(Action, "Action", |a| format!(
    "{} {:?} {} due {}",
    a.id,
    a.title.primary(),
    a.state,
    a.due.current()
));

/// A dated milestone of an action.
#[pyclass(module = "dueregard", frozen)]
pub struct Milestone(pub dueregard::Milestone);

#[pymethods]
impl Milestone {
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn action(&self) -> &str {
        &self.0.action
    }
    #[getter]
    fn title(&self) -> &str {
        self.0.title.primary()
    }
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::milestone_state(py, self.0.state)
    }
    #[getter]
    fn due(&self) -> NaiveDate {
        self.0.due.current()
    }
    #[getter]
    fn due_original(&self) -> NaiveDate {
        self.0.due.original
    }
    #[getter]
    fn achieved_on(&self) -> Option<NaiveDate> {
        self.0.achieved_on
    }
    #[getter]
    fn times_missed(&self) -> u32 {
        self.0.times_missed
    }
}
record_common!(Milestone, "Milestone", |m| format!(
    "{} {:?} {} due {}",
    m.id,
    m.title.primary(),
    m.state,
    m.due.current()
));

/// One recorded change: who did what, when, and why.
#[pyclass(module = "dueregard", frozen)]
pub struct Event(pub dueregard::Event);

#[pymethods]
impl Event {
    /// Position in the log, from 1.
    #[getter]
    fn seq(&self) -> i64 {
        self.0.seq
    }
    #[getter]
    fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    #[getter]
    fn actor(&self) -> &str {
        &self.0.actor
    }
    /// The body the actor acted for.
    #[getter]
    fn body(&self) -> &str {
        &self.0.body
    }
    /// The past-tense event name, e.g. `ActionStarted`.
    #[getter]
    fn name(&self) -> &'static str {
        self.0.name()
    }
    /// The command that was recorded.
    #[getter]
    fn command<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::command_kind(py, self.0.command.kind())
    }
    /// The kind of entity the event is about.
    #[getter]
    fn subject_kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::entity_kind(py, self.0.command.subject().kind)
    }
    /// The identifier of the entity the event is about.
    #[getter]
    fn subject_id(&self) -> String {
        self.0.command.subject().id
    }
    #[getter]
    fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    #[getter]
    fn evidence(&self) -> Vec<String> {
        self.0.evidence.clone()
    }
}
record_common!(Event, "Event", |e| format!(
    "#{} {} {} by {} at {}",
    e.seq,
    e.name(),
    e.command.subject(),
    e.actor,
    e.at.format("%Y-%m-%d %H:%M")
));
