//! The `Tracker` class and the small classes it hands out.

use std::io::BufReader;

use chrono::{NaiveDate, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::{Map, Value};

use crate::convert::{to_date, to_json, to_python, to_utc};
use crate::entities::{
    Action, Actor, Body, Event, Milestone, Plan, Recommendation, Response, Review,
};
use crate::errors::{core_err, invalid_input, io_err};
use crate::html;
use crate::table::Table;
use crate::{de, enums, tables};

/// Builds a core submission from a command name, its fields and who/when/why.
fn build_submission(
    command: &str,
    actor: &str,
    at: &Bound<'_, PyAny>,
    reason: Option<String>,
    evidence: Option<Vec<String>>,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<dueregard::Submission> {
    // The direct route; on any failure the JSON route below gives the error with its path.
    let command = match de::command_from_kwargs(command, fields) {
        Ok(c) => c,
        Err(_) => command_via_json(command, fields)?,
    };
    Ok(dueregard::Submission {
        actor: actor.to_string(),
        at: to_utc(at, "at")?,
        reason,
        evidence: evidence.unwrap_or_default(),
        command,
    })
}

/// Reads a command through its JSON form, reporting a bad field with its path.
fn command_via_json(
    command: &str,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<dueregard::Command> {
    let body = match fields {
        Some(f) => to_json(f.as_any(), command)?,
        None => Value::Object(Map::new()),
    };
    let mut tagged = Map::new();
    tagged.insert(command.to_string(), body);
    serde_json::from_value(Value::Object(tagged))
        .map_err(|e| invalid_input("command", e.to_string()))
}

/// A command with who issues it, when, and why: one line of a command log.
///
/// `Submission("start_action", actor="met-lead", at=date(2024, 1, 5), action="met/A1")`; the
/// keyword fields are the command's fields as in the JSON command log.
#[pyclass(module = "dueregard", frozen)]
#[derive(Clone)]
pub struct Submission(pub dueregard::Submission);

#[pymethods]
impl Submission {
    #[new]
    #[pyo3(signature = (command, /, *, actor, at, reason=None, evidence=None, **fields))]
    pub(crate) fn new(
        command: &Bound<'_, PyAny>,
        actor: &str,
        at: &Bound<'_, PyAny>,
        reason: Option<String>,
        evidence: Option<Vec<String>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let name: String = command.extract().map_err(|_| {
            invalid_input(
                "command",
                "expected a command name such as \"start_action\"",
            )
        })?;
        build_submission(&name, actor, at, reason, evidence, fields).map(Submission)
    }

    /// Reads a submission from its JSON form (a dict with `actor`, `at`, `command`…).
    #[staticmethod]
    pub(crate) fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(sub) = de::from_py(data) {
            return Ok(Submission(sub));
        }
        let value = to_json(data, "submission")?;
        serde_json::from_value(value)
            .map(Submission)
            .map_err(|e| invalid_input("submission", e.to_string()))
    }

    #[getter]
    fn command<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::command_kind(py, self.0.command.kind())
    }
    #[getter]
    fn actor(&self) -> &str {
        &self.0.actor
    }
    #[getter]
    fn at(&self) -> chrono::DateTime<Utc> {
        self.0.at
    }
    #[getter]
    fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    #[getter]
    fn evidence(&self) -> Vec<String> {
        self.0.evidence.clone()
    }

    /// The submission in its JSON form.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Submission {} {} by {} at {}>",
            self.0.command.kind(),
            self.0.command.subject(),
            self.0.actor,
            self.0.at.format("%Y-%m-%d %H:%M")
        )
    }
}

/// The outcome of running a JSON-lines command log: how many commands were recorded, and the
/// rejected ones with their line number and the exception that rejected them.
#[pyclass(module = "dueregard", frozen)]
pub struct LogOutcome {
    #[pyo3(get)]
    applied: u64,
    #[pyo3(get)]
    rejected: Py<PyList>,
}

#[pymethods]
impl LogOutcome {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<LogOutcome applied={} rejected={}>",
            self.applied,
            self.rejected.bind(py).len()
        )
    }
}

/// Counts across a tracker as of a date.
#[pyclass(module = "dueregard", frozen)]
pub struct Summary(pub dueregard::view::Summary);

#[pymethods]
impl Summary {
    #[getter]
    fn as_of(&self) -> NaiveDate {
        self.0.as_of
    }
    #[getter]
    fn reviews(&self) -> usize {
        self.0.reviews
    }
    #[getter]
    fn recommendations(&self) -> usize {
        self.0.recommendations
    }
    /// Responses per decision state.
    #[getter]
    fn responses(&self) -> std::collections::BTreeMap<String, usize> {
        self.0.responses.clone()
    }
    /// Responses per implementation state.
    #[getter]
    fn implementation(&self) -> std::collections::BTreeMap<String, usize> {
        self.0.implementation.clone()
    }
    /// Actions per state.
    #[getter]
    fn actions(&self) -> std::collections::BTreeMap<String, usize> {
        self.0.actions.clone()
    }
    #[getter]
    fn overdue_actions(&self) -> usize {
        self.0.overdue_actions
    }
    #[getter]
    fn overdue_milestones(&self) -> usize {
        self.0.overdue_milestones
    }
    #[getter]
    fn unanswered_recommendations(&self) -> usize {
        self.0.unanswered_recommendations
    }
    /// Progress per plan, one row each.
    fn plans(&self) -> PyResult<Table> {
        tables::plans(&self.0)
    }
    /// The whole summary as plain Python data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Summary as of {}: {} recommendations, {} overdue actions, {} overdue milestones>",
            self.0.as_of, self.0.recommendations, self.0.overdue_actions, self.0.overdue_milestones
        )
    }
    fn _repr_html_(&self) -> String {
        html::summary(&self.0)
    }
}

/// A state machine of the model: its states, its transition table and a Mermaid diagram.
#[pyclass(module = "dueregard", frozen)]
pub struct Machine(pub dueregard::MachineInfo);

#[pymethods]
impl Machine {
    #[getter]
    fn name(&self) -> &'static str {
        self.0.name
    }
    #[getter]
    fn states(&self) -> Vec<&'static str> {
        self.0.states.clone()
    }
    /// `(from, command, to)` rows.
    #[getter]
    fn transitions(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        self.0
            .transitions
            .iter()
            .map(|t| (t.from, t.command, t.to))
            .collect()
    }
    /// The machine as a Mermaid `stateDiagram-v2`.
    #[getter]
    fn mermaid(&self) -> &str {
        &self.0.mermaid
    }
    fn __repr__(&self) -> String {
        format!(
            "<Machine {}: {} states, {} transitions>",
            self.0.name,
            self.0.states.len(),
            self.0.transitions.len()
        )
    }
    fn _repr_markdown_(&self) -> String {
        format!("```mermaid\n{}```\n", self.0.mermaid)
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn date_or_today(as_of: Option<&Bound<'_, PyAny>>) -> PyResult<NaiveDate> {
    as_of
        .map(|d| to_date(d, "as_of"))
        .transpose()
        .map(|d| d.unwrap_or_else(today))
}

fn read_file(py: Python<'_>, path: &str) -> PyResult<String> {
    py.detach(|| std::fs::read_to_string(path))
        .map_err(|e| io_err(path, "read", e))
}

fn path_str(path: &Bound<'_, PyAny>) -> PyResult<String> {
    let fspath = path.py().import("os")?.call_method1("fspath", (path,))?;
    fspath
        .extract()
        .map_err(|_| invalid_input("path", "expected a str or os.PathLike path"))
}

/// The state of every review, recommendation, response, plan, action and milestone, with the
/// event log that produced it.
///
/// Every change goes through `execute` (one command) or `execute_batch` (many, in one call); a
/// rejected command raises a `DueregardError` subclass and changes nothing.
#[pyclass(module = "dueregard")]
pub struct Tracker(pub dueregard::Tracker);

#[pymethods]
impl Tracker {
    /// An empty tracker with the default policy.
    #[new]
    fn new() -> Self {
        Tracker(dueregard::Tracker::new())
    }

    /// The Casey Review example dataset.
    #[staticmethod]
    fn example(py: Python<'_>) -> Self {
        Tracker(py.detach(dueregard::example::tracker))
    }

    /// Reads a tracker from the JSON text of a tracker document.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        py.detach(|| dueregard::Tracker::from_json(text))
            .map(Tracker)
            .map_err(core_err)
    }

    /// Opens a tracker document (JSON) from a file.
    #[staticmethod]
    fn open(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = path_str(path)?;
        let text = read_file(py, &path)?;
        py.detach(|| dueregard::Tracker::from_json(&text))
            .map(Tracker)
            .map_err(core_err)
    }

    /// Rebuilds a tracker (default policy) from a JSON-lines event log file, in one call.
    #[staticmethod]
    fn from_event_log(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = path_str(path)?;
        let file = std::fs::File::open(&path).map_err(|e| io_err(&path, "open", e))?;
        py.detach(|| {
            let events = dueregard::events_from_jsonl(BufReader::new(file))?;
            dueregard::Tracker::replay(dueregard::Policy::default(), events)
        })
        .map(Tracker)
        .map_err(core_err)
    }

    /// The tracker document as JSON text (every event, internal ones included).
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| self.0.to_json())
    }

    /// The document fit to publish: internal notes and evidence left out, internal rationales
    /// withheld.
    fn to_public_json(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| serde_json::to_string_pretty(&self.0.to_public_document()))
            .map_err(|e| invalid_input("document", e.to_string()))
    }

    /// Writes the tracker document (JSON) to a file.
    fn save(&self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<()> {
        let path = path_str(path)?;
        let text = self.to_json(py);
        py.detach(|| std::fs::write(&path, text))
            .map_err(|e| io_err(&path, "write", e))
    }

    /// Writes the event log as JSON lines (one event per line).
    fn save_event_log(&self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<()> {
        let path = path_str(path)?;
        let text = py.detach(|| dueregard::events_to_jsonl(self.0.events()));
        py.detach(|| std::fs::write(&path, text))
            .map_err(|e| io_err(&path, "write", e))
    }

    /// Runs a JSON-lines command log against the tracker in one call. Rejected commands change
    /// nothing and are reported with their line; a malformed line stops the run.
    fn run_command_log(&mut self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<LogOutcome> {
        let path = path_str(path)?;
        let file = std::fs::File::open(&path).map_err(|e| io_err(&path, "open", e))?;
        let tracker = &mut self.0;
        let outcome = py
            .detach(|| tracker.run_command_log(BufReader::new(file)))
            .map_err(core_err)?;
        let rejected = PyList::empty(py);
        for (line, err) in outcome.rejected {
            rejected.append((line, core_err(err).into_value(py)))?;
        }
        Ok(LogOutcome {
            applied: outcome.applied,
            rejected: rejected.unbind(),
        })
    }

    /// Checks one command and records it as an event.
    ///
    /// `command` is the command's name (e.g. `"start_action"` or `CommandKind.START_ACTION`);
    /// its fields are keyword arguments, as in the JSON command log.
    #[pyo3(signature = (command, /, *, actor, at, reason=None, evidence=None, **fields))]
    fn execute(
        &mut self,
        command: &Bound<'_, PyAny>,
        actor: &str,
        at: &Bound<'_, PyAny>,
        reason: Option<String>,
        evidence: Option<Vec<String>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Event> {
        let sub = Submission::new(command, actor, at, reason, evidence, fields)?;
        self.submit(sub.0)
    }

    /// Executes submissions (`Submission` objects or their dicts) in order, in one call, all or
    /// nothing. Returns the number recorded.
    ///
    /// On a rejection the exception has an `index` attribute (the position of the rejected
    /// submission) and the tracker is as it was before the call.
    fn execute_batch(&mut self, py: Python<'_>, submissions: &Bound<'_, PyAny>) -> PyResult<usize> {
        let mut subs = Vec::with_capacity(submissions.len().unwrap_or(0));
        for item in submissions.try_iter()? {
            let item = item?;
            subs.push(match item.cast::<Submission>() {
                Ok(s) => s.get().0.clone(),
                Err(_) => Submission::from_dict(&item)?.0,
            });
        }
        let tracker = &mut self.0;
        match py.detach(|| tracker.execute_batch(subs)) {
            Ok(n) => Ok(n),
            Err(dueregard::BatchError { index, error }) => {
                let err = core_err(error);
                err.value(py).setattr("index", index)?;
                Err(err)
            }
        }
    }

    /// Number of events recorded.
    #[getter]
    fn version(&self) -> i64 {
        self.0.version()
    }
    /// When the last event took effect, if any.
    #[getter]
    fn last_event_at(&self) -> Option<chrono::DateTime<Utc>> {
        self.0.last_event_at()
    }
    fn __len__(&self) -> usize {
        self.0.events().len()
    }

    #[getter]
    fn events(&self) -> Vec<Event> {
        self.0.events().iter().map(Event).collect()
    }
    #[getter]
    fn bodies(&self) -> Vec<Body> {
        self.0.bodies().cloned().map(Body).collect()
    }
    #[getter]
    fn actors(&self) -> Vec<Actor> {
        self.0.actors().cloned().map(Actor).collect()
    }
    #[getter]
    fn reviews(&self) -> Vec<Review> {
        self.0.reviews().cloned().map(Review).collect()
    }
    #[getter]
    fn recommendations(&self) -> Vec<Recommendation> {
        self.0
            .recommendations()
            .cloned()
            .map(Recommendation)
            .collect()
    }
    #[getter]
    fn responses(&self) -> Vec<Response> {
        self.0.responses().cloned().map(Response).collect()
    }
    #[getter]
    fn plans(&self) -> Vec<Plan> {
        self.0.plans().cloned().map(Plan).collect()
    }
    #[getter]
    fn actions(&self) -> Vec<Action> {
        self.0.actions().cloned().map(Action).collect()
    }
    #[getter]
    fn milestones(&self) -> Vec<Milestone> {
        self.0.milestones().cloned().map(Milestone).collect()
    }

    fn body(&self, id: &str) -> PyResult<Body> {
        self.0.body(id).cloned().map(Body).map_err(core_err)
    }
    fn actor(&self, id: &str) -> PyResult<Actor> {
        self.0.actor(id).cloned().map(Actor).map_err(core_err)
    }
    fn review(&self, id: &str) -> PyResult<Review> {
        self.0.review(id).cloned().map(Review).map_err(core_err)
    }
    fn recommendation(&self, id: &str) -> PyResult<Recommendation> {
        self.0
            .recommendation(id)
            .cloned()
            .map(Recommendation)
            .map_err(core_err)
    }
    fn response(&self, id: &str) -> PyResult<Response> {
        self.0.response(id).cloned().map(Response).map_err(core_err)
    }
    fn plan(&self, id: &str) -> PyResult<Plan> {
        self.0.plan(id).cloned().map(Plan).map_err(core_err)
    }
    fn action(&self, id: &str) -> PyResult<Action> {
        self.0.action(id).cloned().map(Action).map_err(core_err)
    }
    fn milestone(&self, id: &str) -> PyResult<Milestone> {
        self.0
            .milestone(id)
            .cloned()
            .map(Milestone)
            .map_err(core_err)
    }

    /// The events that touched an entity, oldest first; up to the end of
    /// `as_of` when given, read from the entity's own events.
    #[pyo3(signature = (kind, id, *, as_of=None))]
    fn history(
        &self,
        kind: &Bound<'_, PyAny>,
        id: &str,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Event>> {
        let kind: dueregard::EntityKind = enums::parse(kind, "kind")?;
        let subject = dueregard::Subject::new(kind, id);
        if !self.0.contains(&subject) {
            return Err(core_err(dueregard::Error::UnknownId {
                kind,
                id: id.to_string(),
                hint: format!("check the identifier; no {kind} has it"),
            }));
        }
        let slice = match as_of {
            Some(d) => Some(
                self.0
                    .slice_as_of(&subject, to_date(d, "as_of")?)
                    .map_err(core_err)?,
            ),
            None => None,
        };
        Ok(slice
            .as_ref()
            .unwrap_or(&self.0)
            .history(&subject)
            .into_iter()
            .map(Event)
            .collect())
    }

    /// The action as it stood at the end of `as_of`, or `None` if it did not
    /// exist yet; folded from its own events, not a replay of the log.
    fn action_as_of(&self, id: &str, as_of: &Bound<'_, PyAny>) -> PyResult<Option<Action>> {
        let date = to_date(as_of, "as_of")?;
        Ok(self.0.action_as_of(id, date).map_err(core_err)?.map(Action))
    }

    /// The tracker as it stood at the end of `date`.
    fn as_of(&self, py: Python<'_>, date: &Bound<'_, PyAny>) -> PyResult<Tracker> {
        let date = to_date(date, "date")?;
        Ok(Tracker(py.detach(|| self.0.as_of(date))))
    }

    /// Counts per state, overdue items and per-plan progress as of a date (default: today).
    #[pyo3(signature = (as_of=None))]
    fn summary(&self, py: Python<'_>, as_of: Option<&Bound<'_, PyAny>>) -> PyResult<Summary> {
        let as_of = date_or_today(as_of)?;
        Ok(Summary(
            py.detach(|| dueregard::view::summary(&self.0, as_of)),
        ))
    }

    /// One row per recommendation.
    fn recommendations_table(&self) -> PyResult<Table> {
        tables::recommendations(&self.0)
    }
    /// One row per response, with the reply deadline in force on `as_of` (default: today).
    #[pyo3(signature = (as_of=None))]
    fn responses_table(&self, as_of: Option<&Bound<'_, PyAny>>) -> PyResult<Table> {
        tables::responses(&self.0, date_or_today(as_of)?)
    }
    /// One row per action.
    fn actions_table(&self) -> PyResult<Table> {
        tables::actions(&self.0)
    }
    /// One row per milestone.
    fn milestones_table(&self) -> PyResult<Table> {
        tables::milestones(&self.0)
    }
    /// One row per event, oldest first.
    fn events_table(&self, py: Python<'_>) -> PyResult<Table> {
        py.detach(|| tables::events(self.0.events()))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Tracker {} events: {} reviews, {} recommendations, {} plans, {} actions>",
            self.0.version(),
            self.0.reviews().len(),
            self.0.recommendations().len(),
            self.0.plans().len(),
            self.0.actions().len()
        )
    }

    fn _repr_html_(&self) -> String {
        // As of the date the views default to, so the rendering agrees with `rag()`.
        html::tracker(&self.0, crate::views::default_date(&self.0))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Tracker>()
            .map(|o| o.borrow().0 == self.0)
            .unwrap_or(false)
    }

    fn __copy__(&self) -> Tracker {
        Tracker(self.0.clone())
    }
}

impl Tracker {
    fn submit(&mut self, sub: dueregard::Submission) -> PyResult<Event> {
        self.0
            .execute(sub)
            .map(|e| Event(e.clone()))
            .map_err(core_err)
    }
}

/// Every state machine of the model.
#[pyfunction]
pub fn machines() -> Vec<Machine> {
    dueregard::machines().into_iter().map(Machine).collect()
}

/// The JSON Schema of the tracker document, event log lines and command log lines.
#[pyfunction]
pub fn json_schema() -> String {
    dueregard::json_schema()
}
