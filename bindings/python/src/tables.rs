//! Builders for the tables the tracker hands out (one row per entity or event).

use std::fmt::Write;
use std::sync::Arc;

use arrow_array::types::Date32Type;
use arrow_array::{
    builder::{
        Date32Builder, Float64Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
    },
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, UInt64Array,
};
use chrono::NaiveDate;
use dueregard::{State, Tracker};
use pyo3::PyResult;

use crate::table::{arrow_err, Table};

/// A text column, its buffers sized up front (growing them by doubling copied every byte
/// again and was most of a large table's cost).
fn strings<I, S>(values: I) -> ArrayRef
where
    I: IntoIterator<Item = Option<S>>,
    S: AsRef<str>,
{
    let values: Vec<Option<S>> = values.into_iter().collect();
    let bytes = values
        .iter()
        .map(|v| v.as_ref().map_or(0, |s| s.as_ref().len()))
        .sum();
    let mut b = StringBuilder::with_capacity(values.len(), bytes);
    for v in &values {
        b.append_option(v.as_ref());
    }
    Arc::new(b.finish())
}

/// A column of lists shown as `"; "`-joined text, written straight into the column.
fn joined<'a, T: 'a>(rows: &[&'a T], list: impl Fn(&'a T) -> &'a [String]) -> ArrayRef {
    let bytes = rows
        .iter()
        .map(|r| list(r).iter().map(|s| s.len() + 2).sum::<usize>())
        .sum();
    let mut b = StringBuilder::with_capacity(rows.len(), bytes);
    for r in rows {
        for (i, item) in list(r).iter().enumerate() {
            // Writing into a string builder cannot fail (it only extends a buffer).
            if i > 0 {
                let _ = b.write_str("; ");
            }
            let _ = b.write_str(item);
        }
        b.append_value("");
    }
    Arc::new(b.finish())
}

fn dates<I: IntoIterator<Item = Option<NaiveDate>>>(values: I) -> ArrayRef {
    Arc::new(
        values
            .into_iter()
            .map(|d| d.map(Date32Type::from_naive_date))
            .collect::<Date32Array>(),
    )
}

fn ints<I: IntoIterator<Item = Option<i64>>>(values: I) -> ArrayRef {
    Arc::new(values.into_iter().collect::<Int64Array>())
}

fn rag(r: &Option<dueregard::Rating>) -> Option<&'static str> {
    r.as_ref().map(|r| r.rag.name())
}

/// One row per recommendation.
pub fn recommendations(t: &Tracker) -> PyResult<Table> {
    let r: Vec<_> = t.recommendations().collect();
    Table::from_columns(vec![
        ("id", strings(r.iter().map(|x| Some(&x.id)))),
        ("review", strings(r.iter().map(|x| Some(&x.review)))),
        ("number", strings(r.iter().map(|x| Some(&x.number)))),
        ("title", strings(r.iter().map(|x| Some(x.title.primary())))),
        ("addressees", joined(&r, |x| &x.addressees)),
        ("themes", joined(&r, |x| &x.themes)),
        (
            "priority",
            Arc::new(r.iter().map(|x| Some(x.priority)).collect::<BooleanArray>()),
        ),
        (
            "due",
            dates(r.iter().map(|x| x.due.as_ref().map(|d| d.current()))),
        ),
        (
            "due_original",
            dates(r.iter().map(|x| x.due.as_ref().map(|d| d.original))),
        ),
        (
            "actions",
            ints(
                r.iter()
                    .map(|x| Some(t.actions_answering(&x.id).count() as i64)),
            ),
        ),
    ])
    .map_err(arrow_err)
}

/// One row per response; `reply_deadline` is the deadline in force on `as_of`.
pub fn responses(t: &Tracker, as_of: NaiveDate) -> PyResult<Table> {
    let r: Vec<_> = t.responses().collect();
    Table::from_columns(vec![
        ("id", strings(r.iter().map(|x| Some(&x.id)))),
        (
            "recommendation",
            strings(r.iter().map(|x| Some(&x.recommendation))),
        ),
        ("addressee", strings(r.iter().map(|x| Some(&x.addressee)))),
        ("state", strings(r.iter().map(|x| Some(x.state.name())))),
        (
            "implementation",
            strings(r.iter().map(|x| Some(x.implementation.name()))),
        ),
        (
            "reply_deadline",
            dates(
                r.iter()
                    .map(|x| x.clock.as_ref().map(|c| c.live_deadline(as_of))),
            ),
        ),
        (
            "self_rag",
            strings(r.iter().map(|x| rag(&x.ratings.self_assessed))),
        ),
        (
            "independent_rag",
            strings(r.iter().map(|x| rag(&x.ratings.independent))),
        ),
    ])
    .map_err(arrow_err)
}

/// One row per action, built in one pass over the actions: a large table's cost is mostly
/// waiting on memory, and a pass per column read every action thirteen times.
pub fn actions(t: &Tracker) -> PyResult<Table> {
    let n = t.actions().len();
    let text = |avg: usize| StringBuilder::with_capacity(n, n * avg);
    let (mut id, mut plan, mut title, mut owner, mut answers) =
        (text(24), text(16), text(48), text(8), text(24));
    let (mut state, mut self_rag, mut independent_rag) = (text(12), text(6), text(6));
    let (mut due, mut due_original) = (
        Date32Builder::with_capacity(n),
        Date32Builder::with_capacity(n),
    );
    let (mut days_moved, mut revisions) = (
        Int64Builder::with_capacity(n),
        Int64Builder::with_capacity(n),
    );
    let mut weight = Float64Builder::with_capacity(n);
    for x in t.actions() {
        id.append_value(&x.id);
        plan.append_value(&x.plan);
        title.append_value(x.title.primary());
        owner.append_value(&x.owner);
        for (i, item) in x.answers.iter().enumerate() {
            // Writing into a string builder cannot fail (it only extends a buffer).
            if i > 0 {
                let _ = answers.write_str("; ");
            }
            let _ = answers.write_str(item);
        }
        answers.append_value("");
        state.append_value(x.state.name());
        due.append_value(Date32Type::from_naive_date(x.due.current()));
        due_original.append_value(Date32Type::from_naive_date(x.due.original));
        days_moved.append_value(x.due.days_moved());
        revisions.append_value(x.due.revision_count() as i64);
        weight.append_option(x.weight);
        self_rag.append_option(rag(&x.ratings.self_assessed));
        independent_rag.append_option(rag(&x.ratings.independent));
    }
    let col = |mut b: StringBuilder| -> ArrayRef { Arc::new(b.finish()) };
    Table::from_columns(vec![
        ("id", col(id)),
        ("plan", col(plan)),
        ("title", col(title)),
        ("owner", col(owner)),
        ("answers", col(answers)),
        ("state", col(state)),
        ("due", Arc::new(due.finish())),
        ("due_original", Arc::new(due_original.finish())),
        ("days_moved", Arc::new(days_moved.finish())),
        ("revisions", Arc::new(revisions.finish())),
        ("weight", Arc::new(weight.finish())),
        ("self_rag", col(self_rag)),
        ("independent_rag", col(independent_rag)),
    ])
    .map_err(arrow_err)
}

/// One row per milestone.
pub fn milestones(t: &Tracker) -> PyResult<Table> {
    let m: Vec<_> = t.milestones().collect();
    Table::from_columns(vec![
        ("id", strings(m.iter().map(|x| Some(&x.id)))),
        ("action", strings(m.iter().map(|x| Some(&x.action)))),
        ("title", strings(m.iter().map(|x| Some(x.title.primary())))),
        ("state", strings(m.iter().map(|x| Some(x.state.name())))),
        ("due", dates(m.iter().map(|x| Some(x.due.current())))),
        (
            "due_original",
            dates(m.iter().map(|x| Some(x.due.original))),
        ),
        ("achieved_on", dates(m.iter().map(|x| x.achieved_on))),
        (
            "times_missed",
            ints(m.iter().map(|x| Some(i64::from(x.times_missed)))),
        ),
    ])
    .map_err(arrow_err)
}

/// One row per event, oldest first.
pub fn events(log: &dueregard::EventLog) -> PyResult<Table> {
    // The log is kept encoded: decode each event once and fill every column from it.
    let n = log.len();
    let mut seq = Int64Builder::with_capacity(n);
    let mut at = TimestampMicrosecondBuilder::with_capacity(n);
    let text = || StringBuilder::with_capacity(n, n * 12);
    let (mut actor, mut body, mut event, mut command) = (text(), text(), text(), text());
    let (mut subject_kind, mut subject_id, mut reason) = (text(), text(), text());
    for e in log {
        seq.append_value(e.seq);
        at.append_value(e.at.timestamp_micros());
        actor.append_value(&e.actor);
        body.append_value(&e.body);
        event.append_value(e.name());
        command.append_value(e.command.kind().name());
        let (kind, id) = e.command.subject_ref();
        subject_kind.append_value(kind.name());
        subject_id.append_value(id);
        reason.append_option(e.reason.as_deref());
    }
    let string = |b: &mut StringBuilder| -> ArrayRef { Arc::new(b.finish()) };
    Table::from_columns(vec![
        ("seq", Arc::new(seq.finish()) as ArrayRef),
        ("at", Arc::new(at.finish().with_timezone("UTC"))),
        ("actor", string(&mut actor)),
        ("body", string(&mut body)),
        ("event", string(&mut event)),
        ("command", string(&mut command)),
        ("subject_kind", string(&mut subject_kind)),
        ("subject_id", string(&mut subject_id)),
        ("reason", string(&mut reason)),
    ])
    .map_err(arrow_err)
}

/// One row per plan of a summary.
pub fn plans(s: &dueregard::view::Summary) -> PyResult<Table> {
    let p = &s.plans;
    let count = |f: fn(usize) -> u64, v: Vec<usize>| -> ArrayRef {
        Arc::new(v.into_iter().map(|x| Some(f(x))).collect::<UInt64Array>())
    };
    let as_u64 = |x: usize| x as u64;
    Table::from_columns(vec![
        ("plan", strings(p.iter().map(|x| Some(&x.plan)))),
        ("title", strings(p.iter().map(|x| Some(&x.title)))),
        ("owner", strings(p.iter().map(|x| Some(&x.owner)))),
        (
            "actions",
            count(as_u64, p.iter().map(|x| x.actions).collect()),
        ),
        ("done", count(as_u64, p.iter().map(|x| x.done).collect())),
        (
            "verified",
            count(as_u64, p.iter().map(|x| x.verified).collect()),
        ),
        (
            "overdue",
            count(as_u64, p.iter().map(|x| x.overdue).collect()),
        ),
        (
            "percent_done",
            Arc::new(
                p.iter()
                    .map(|x| Some(x.percent_done))
                    .collect::<Float64Array>(),
            ),
        ),
    ])
    .map_err(arrow_err)
}
