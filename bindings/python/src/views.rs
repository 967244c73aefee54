//! The core's read models (`dueregard::view`) as `Tracker` methods.
//!
//! Each view is computed by the core; this module only turns its serialised rows into Arrow
//! tables ([`rows_table`]) and wraps the few views that return more than a list of rows.

use std::collections::BTreeSet;
use std::sync::Arc;

use arrow_array::types::Date32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, NullArray, StringArray,
    TimestampMicrosecondArray,
};
use chrono::{DateTime, NaiveDate, Utc};
use dueregard::view;
use pyo3::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::convert::{to_date, to_json, to_python};
use crate::errors::{core_err, invalid_input};
use crate::table::{arrow_err, Table};
use crate::tracker::Tracker;

/// The type a column gets, found from the serialised values.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Null,
    Bool,
    Int,
    Float,
    Date,
    Timestamp,
    Text,
}

fn kind_of(v: &Value) -> Kind {
    match v {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Bool,
        Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Int,
        Value::Number(_) => Kind::Float,
        Value::String(s) if s.len() == 10 && s.parse::<NaiveDate>().is_ok() => Kind::Date,
        Value::String(s) if DateTime::parse_from_rfc3339(s).is_ok() => Kind::Timestamp,
        _ => Kind::Text,
    }
}

fn merge(a: Kind, b: Kind) -> Kind {
    match (a, b) {
        (Kind::Null, k) | (k, Kind::Null) => k,
        (a, b) if a == b => a,
        (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
        _ => Kind::Text,
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(items.iter().filter_map(text).collect::<Vec<_>>().join("; ")),
        other => Some(other.to_string()),
    }
}

fn column(values: &[&Value], kind: Kind) -> ArrayRef {
    match kind {
        Kind::Null => Arc::new(NullArray::new(values.len())),
        Kind::Bool => Arc::new(values.iter().map(|v| v.as_bool()).collect::<BooleanArray>()),
        Kind::Int => Arc::new(values.iter().map(|v| v.as_i64()).collect::<Int64Array>()),
        Kind::Float => Arc::new(values.iter().map(|v| v.as_f64()).collect::<Float64Array>()),
        Kind::Date => Arc::new(
            values
                .iter()
                .map(|v| {
                    v.as_str()
                        .and_then(|s| s.parse::<NaiveDate>().ok())
                        .map(Date32Type::from_naive_date)
                })
                .collect::<Date32Array>(),
        ),
        Kind::Timestamp => Arc::new(
            values
                .iter()
                .map(|v| {
                    v.as_str()
                        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                        .map(|t| t.timestamp_micros())
                })
                .collect::<TimestampMicrosecondArray>()
                .with_timezone("UTC"),
        ),
        Kind::Text => Arc::new(values.iter().map(|v| text(v)).collect::<StringArray>()),
    }
}

/// Builds a table from serialisable rows: one column per field, in `order`.
///
/// Dates and times become Arrow dates and UTC timestamps, lists become `"; "`-joined text, and
/// a field holding a map of counts (e.g. `states`) becomes one column per key, `states.<key>`.
pub fn rows_table<T: Serialize>(rows: &[T], order: &[&str]) -> PyResult<Table> {
    let values: Vec<Value> = rows
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()
        .map_err(|e| invalid_input("rows", format!("cannot serialise: {e}")))?;
    let null = Value::Null;
    let field =
        |row: &'_ Value, key: &str| -> Value { row.get(key).cloned().unwrap_or(Value::Null) };
    let mut names: Vec<String> = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for key in order {
        let is_map = values
            .iter()
            .any(|r| matches!(r.get(*key), Some(Value::Object(_))));
        if is_map {
            let subkeys: BTreeSet<String> = values
                .iter()
                .filter_map(|r| r.get(*key).and_then(Value::as_object))
                .flat_map(|m| m.keys().cloned())
                .collect();
            for sub in subkeys {
                let col: Vec<Value> = values
                    .iter()
                    .map(|r| {
                        r.get(*key)
                            .and_then(|m| m.get(&sub))
                            .cloned()
                            .unwrap_or(Value::Null)
                    })
                    .collect();
                let refs: Vec<&Value> = col.iter().collect();
                let kind = refs.iter().fold(Kind::Null, |k, v| merge(k, kind_of(v)));
                names.push(format!("{key}.{sub}"));
                arrays.push(column(&refs, kind));
            }
            continue;
        }
        let col: Vec<Value> = values.iter().map(|r| field(r, key)).collect();
        let refs: Vec<&Value> = col
            .iter()
            .map(|v| if v.is_null() { &null } else { v })
            .collect();
        let kind = refs.iter().fold(Kind::Null, |k, v| merge(k, kind_of(v)));
        names.push((*key).to_string());
        arrays.push(column(&refs, kind));
    }
    Table::from_columns(names.iter().map(String::as_str).zip(arrays).collect()).map_err(arrow_err)
}

/// The date a view is computed for: `as_of` when given, else [`default_date`].
pub fn view_date(t: &dueregard::Tracker, as_of: Option<&Bound<'_, PyAny>>) -> PyResult<NaiveDate> {
    match as_of {
        Some(d) if !d.is_none() => to_date(d, "as_of"),
        _ => Ok(default_date(t)),
    }
}

/// The date views describe when no `as_of` is given: the last event's date, else today.
pub fn default_date(t: &dueregard::Tracker) -> NaiveDate {
    t.last_event_at()
        .map(|d| d.date_naive())
        .unwrap_or_else(|| Utc::now().date_naive())
}

/// Reads a RAG policy from a dict of the fields to change from the default (or `None`).
pub fn rag_policy(policy: Option<&Bound<'_, PyAny>>) -> PyResult<view::RagPolicy> {
    match policy {
        None => Ok(view::RagPolicy::default()),
        Some(p) if p.is_none() => Ok(view::RagPolicy::default()),
        Some(p) => serde_json::from_value(to_json(p, "policy")?)
            .map_err(|e| invalid_input("policy", e.to_string())),
    }
}

fn periods(year_start_month: u32) -> PyResult<view::PeriodConfig> {
    view::PeriodConfig::starting(year_start_month).map_err(core_err)
}

fn group_by(by: &Bound<'_, PyAny>) -> PyResult<view::GroupBy> {
    serde_json::from_value(to_json(by, "by")?).map_err(|_| {
        invalid_input(
            "by",
            "group by one of 'review', 'recommendation', 'body', 'plan', 'theme', 'period'",
        )
    })
}

const OVERDUE: &[&str] = &[
    "kind",
    "entity",
    "id",
    "title",
    "owner",
    "state",
    "due",
    "days_late",
];
const RAG_LINE: &[&str] = &["kind", "id", "title", "owner", "state", "rag", "reason"];
const COVERAGE: &[&str] = &[
    "recommendation",
    "number",
    "title",
    "addressee",
    "response",
    "implementation",
    "actions",
    "other_actions",
];
const ROLLUP: &[&str] = &[
    "group",
    "actions",
    "action_states",
    "implementation_states",
    "implemented_pct",
    "verified_pct",
    "overdue",
    "median_days_late",
    "indicator_progress_pct",
];
const SLIP: &[&str] = &[
    "kind",
    "id",
    "title",
    "owner",
    "original",
    "current",
    "revisions",
    "days_moved",
    "serial",
    "reasons",
];
const PROGRESS: &[&str] = &["kind", "id", "title", "actions", "weighted_pct", "states"];
const CHASE: &[&str] = &["owner", "kind", "entity", "id", "title", "due", "days_left"];
const RATINGS: &[&str] = &[
    "kind",
    "id",
    "title",
    "owner",
    "self_rag",
    "self_at",
    "independent",
    "independent_by",
    "computed",
    "disagree",
];
const TOTALS: &[&str] = &[
    "body",
    "covered",
    "actions",
    "done",
    "overdue",
    "percent_done",
    "rag",
    "behind",
];
const CELLS: &[&str] = &[
    "recommendation",
    "number",
    "title",
    "body",
    "actions",
    "done",
    "overdue",
];

/// The RAG ratings of every level on one date, under one policy.
#[pyclass(module = "dueregard", frozen)]
pub struct RagReport(view::RagReport);

#[pymethods]
impl RagReport {
    /// The date rated.
    #[getter]
    fn as_of(&self) -> NaiveDate {
        self.0.as_of
    }
    /// The policy used, as a dict.
    #[getter]
    fn policy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0.policy)
    }
    /// One row per action.
    #[getter]
    fn actions(&self) -> PyResult<Table> {
        rows_table(&self.0.actions, RAG_LINE)
    }
    /// One row per response.
    #[getter]
    fn responses(&self) -> PyResult<Table> {
        rows_table(&self.0.responses, RAG_LINE)
    }
    /// One row per recommendation.
    #[getter]
    fn recommendations(&self) -> PyResult<Table> {
        rows_table(&self.0.recommendations, RAG_LINE)
    }
    /// One row per action plan.
    #[getter]
    fn plans(&self) -> PyResult<Table> {
        rows_table(&self.0.plans, RAG_LINE)
    }
    /// One row per body.
    #[getter]
    fn bodies(&self) -> PyResult<Table> {
        rows_table(&self.0.bodies, RAG_LINE)
    }
    /// Every line of every level in one table (the `kind` column tells the level).
    fn to_table(&self) -> PyResult<Table> {
        let all: Vec<&view::RagLine> = self
            .0
            .bodies
            .iter()
            .chain(&self.0.plans)
            .chain(&self.0.recommendations)
            .chain(&self.0.responses)
            .chain(&self.0.actions)
            .collect();
        rows_table(&all, RAG_LINE)
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "<RagReport as of {}: {} bodies, {} plans, {} actions>",
            self.0.as_of,
            self.0.bodies.len(),
            self.0.plans.len(),
            self.0.actions.len()
        )
    }
    fn _repr_html_(&self) -> String {
        crate::html::rag_report(&self.0)
    }
}

/// Which recommendations have actions answering them, and gaps either way.
#[pyclass(module = "dueregard", frozen)]
pub struct Coverage(view::Coverage);

#[pymethods]
impl Coverage {
    #[getter]
    fn as_of(&self) -> NaiveDate {
        self.0.as_of
    }
    /// One row per recommendation and addressee.
    #[getter]
    fn rows(&self) -> PyResult<Table> {
        rows_table(&self.0.rows, COVERAGE)
    }
    /// Recommendations no action answers.
    #[getter]
    fn without_action(&self) -> Vec<String> {
        self.0.without_action.clone()
    }
    /// Accepted recommendations with no action plan.
    #[getter]
    fn accepted_without_plan(&self) -> Vec<String> {
        self.0.accepted_without_plan.clone()
    }
    /// Actions that answer no recommendation.
    #[getter]
    fn actions_answering_nothing(&self) -> Vec<String> {
        self.0.actions_answering_nothing.clone()
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Coverage as of {}: {} rows, {} without action>",
            self.0.as_of,
            self.0.rows.len(),
            self.0.without_action.len()
        )
    }
}

/// What changed between two dates.
#[pyclass(module = "dueregard", frozen)]
pub struct Change(view::Change);

#[pymethods]
impl Change {
    #[getter]
    fn start(&self) -> NaiveDate {
        self.0.from
    }
    #[getter]
    fn end(&self) -> NaiveDate {
        self.0.to
    }
    /// Number of events in the window.
    #[getter]
    fn events(&self) -> usize {
        self.0.events
    }
    /// State moves.
    #[getter]
    fn moved(&self) -> PyResult<Table> {
        rows_table(&self.0.moved, &["kind", "id", "title", "from", "to"])
    }
    /// Due dates moved later.
    #[getter]
    fn slipped(&self) -> PyResult<Table> {
        rows_table(
            &self.0.slipped,
            &["kind", "id", "was", "now", "days", "reason"],
        )
    }
    /// Evidence filed.
    #[getter]
    fn evidence(&self) -> PyResult<Table> {
        rows_table(&self.0.evidence, &["id", "about", "reference", "on"])
    }
    /// Committee decisions recorded.
    #[getter]
    fn decisions(&self) -> PyResult<Table> {
        rows_table(
            &self.0.decisions,
            &["id", "committee", "meeting", "about", "outcome"],
        )
    }
    /// Indicator readings that moved.
    #[getter]
    fn indicators(&self) -> PyResult<Table> {
        rows_table(
            &self.0.indicators,
            &["id", "title", "unit", "was", "now", "target"],
        )
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Change {} to {}: {} events, {} moves, {} slips>",
            self.0.from,
            self.0.to,
            self.0.events,
            self.0.moved.len(),
            self.0.slipped.len()
        )
    }
}

/// Bodies side by side on one review's recommendations.
#[pyclass(module = "dueregard", frozen)]
pub struct Comparison(view::Comparison);

#[pymethods]
impl Comparison {
    #[getter]
    fn review(&self) -> String {
        self.0.review.clone()
    }
    #[getter]
    fn bodies(&self) -> Vec<String> {
        self.0.bodies.clone()
    }
    /// One row per recommendation and body (long form).
    #[getter]
    fn cells(&self) -> PyResult<Table> {
        let long: Vec<Value> = self
            .0
            .rows
            .iter()
            .flat_map(|r| {
                r.cells.iter().map(move |c| {
                    serde_json::json!({
                        "recommendation": r.recommendation,
                        "number": r.number,
                        "title": r.title,
                        "body": c.body,
                        "actions": c.actions,
                        "done": c.done,
                        "overdue": c.overdue,
                    })
                })
            })
            .collect();
        rows_table(&long, CELLS)
    }
    /// One row per body.
    #[getter]
    fn totals(&self) -> PyResult<Table> {
        rows_table(&self.0.totals, TOTALS)
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Comparison of {} across {} bodies>",
            self.0.review,
            self.0.bodies.len()
        )
    }
}

/// A reporting quarter.
#[pyclass(module = "dueregard", frozen)]
pub struct Period {
    period: view::Period,
    config: view::PeriodConfig,
}

#[pymethods]
impl Period {
    /// The quarter holding `date`, with the year starting in `year_start_month` (4: April, UK).
    #[staticmethod]
    #[pyo3(signature = (date, *, year_start_month=4))]
    fn of(date: &Bound<'_, PyAny>, year_start_month: u32) -> PyResult<Self> {
        let config = periods(year_start_month)?;
        let period = config.quarter_of(to_date(date, "date")?);
        Ok(Self { period, config })
    }
    /// Reads a quarter label such as `"2024-25 Q1"`.
    #[staticmethod]
    #[pyo3(signature = (text, *, year_start_month=4))]
    fn parse(text: &str, year_start_month: u32) -> PyResult<Self> {
        let config = periods(year_start_month)?;
        let period = config.parse(text).map_err(core_err)?;
        Ok(Self { period, config })
    }
    /// The quarter before this one.
    fn previous(&self) -> Self {
        Self {
            period: self.config.previous(&self.period),
            config: self.config,
        }
    }
    fn contains(&self, date: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.period.contains(to_date(date, "date")?))
    }
    #[getter]
    fn label(&self) -> String {
        self.period.label.clone()
    }
    #[getter]
    fn start(&self) -> NaiveDate {
        self.period.start
    }
    #[getter]
    fn end(&self) -> NaiveDate {
        self.period.end
    }
    fn __repr__(&self) -> String {
        format!(
            "<Period {} ({} to {})>",
            self.period.label, self.period.start, self.period.end
        )
    }
}

/// The default RAG policy as a dict (pass a dict with some fields changed as `policy=`).
#[pyfunction]
pub fn default_rag_policy(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_python(py, &view::RagPolicy::default())
}

#[pymethods]
impl Tracker {
    /// Actions, milestones, implementations and replies late on `as_of`.
    #[pyo3(signature = (*, as_of=None))]
    fn overdue(&self, py: Python<'_>, as_of: Option<&Bound<'_, PyAny>>) -> PyResult<Table> {
        let d = view_date(&self.0, as_of)?;
        let rows = py.detach(|| view::overdue(&self.0, d));
        rows_table(&rows, OVERDUE)
    }

    /// RAG ratings of actions, responses, recommendations, plans and bodies.
    #[pyo3(signature = (*, as_of=None, policy=None))]
    fn rag(
        &self,
        py: Python<'_>,
        as_of: Option<&Bound<'_, PyAny>>,
        policy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<RagReport> {
        let d = view_date(&self.0, as_of)?;
        let p = rag_policy(policy)?;
        Ok(RagReport(py.detach(|| view::rag(&self.0, d, &p))))
    }

    /// Which recommendations are answered by actions.
    #[pyo3(signature = (*, as_of=None))]
    fn coverage(&self, py: Python<'_>, as_of: Option<&Bound<'_, PyAny>>) -> PyResult<Coverage> {
        let d = view_date(&self.0, as_of)?;
        Ok(Coverage(py.detach(|| view::coverage(&self.0, d))))
    }

    /// Figures per review, recommendation, body, plan, theme or reporting period.
    #[pyo3(signature = (by, *, as_of=None, year_start_month=4))]
    fn rollup(
        &self,
        py: Python<'_>,
        by: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        year_start_month: u32,
    ) -> PyResult<Table> {
        let d = view_date(&self.0, as_of)?;
        let by = group_by(by)?;
        let cfg = periods(year_start_month)?;
        let rows = py.detach(|| view::rollup(&self.0, d, by, &cfg));
        rows_table(&rows, ROLLUP)
    }

    /// What changed after `start` up to the end of `end` (default: the last event's date).
    #[pyo3(signature = (start, end=None))]
    fn change(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Change> {
        let from = to_date(start, "start")?;
        let to = view_date(&self.0, end)?;
        Ok(Change(py.detach(|| view::change(&self.0, from, to))))
    }

    /// The bodies answering `review`'s recommendations, side by side.
    #[pyo3(signature = (review, *, as_of=None, policy=None))]
    fn compare(
        &self,
        py: Python<'_>,
        review: &str,
        as_of: Option<&Bound<'_, PyAny>>,
        policy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Comparison> {
        let d = view_date(&self.0, as_of)?;
        let p = rag_policy(policy)?;
        py.detach(|| view::compare(&self.0, review, d, &p))
            .map(Comparison)
            .map_err(core_err)
    }

    /// Due dates moved, with serial extensions flagged after `serial_after` revisions.
    #[pyo3(signature = (*, as_of=None, serial_after=2))]
    fn slippage(
        &self,
        py: Python<'_>,
        as_of: Option<&Bound<'_, PyAny>>,
        serial_after: usize,
    ) -> PyResult<Table> {
        let d = view_date(&self.0, as_of)?;
        let rows = py.detach(|| view::slippage(&self.0, d, serial_after));
        rows_table(&rows, SLIP)
    }

    /// Weighted progress per plan and recommendation.
    #[pyo3(signature = (*, as_of=None))]
    fn progress(&self, py: Python<'_>, as_of: Option<&Bound<'_, PyAny>>) -> PyResult<Table> {
        let d = view_date(&self.0, as_of)?;
        let rows = py.detach(|| view::progress(&self.0, d));
        rows_table(&rows, PROGRESS)
    }

    /// What each owner must deliver or report within `days` of `as_of`.
    #[pyo3(signature = (*, as_of=None, days=30))]
    fn chase(
        &self,
        py: Python<'_>,
        as_of: Option<&Bound<'_, PyAny>>,
        days: i64,
    ) -> PyResult<Table> {
        let d = view_date(&self.0, as_of)?;
        let rows = py.detach(|| view::chase(&self.0, d, days));
        rows_table(&rows, CHASE)
    }

    /// Self-assessed against independent and computed ratings.
    #[pyo3(signature = (*, as_of=None, policy=None))]
    fn ratings(
        &self,
        py: Python<'_>,
        as_of: Option<&Bound<'_, PyAny>>,
        policy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Table> {
        let d = view_date(&self.0, as_of)?;
        let p = rag_policy(policy)?;
        let rows = py.detach(|| view::ratings(&self.0, d, &p));
        rows_table(&rows, RATINGS)
    }
}
