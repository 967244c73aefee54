//! Conversions between Python values and the core's types: dates, times and the JSON form of
//! commands.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyBytes, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};
use serde_json::{Map, Number, Value};

use crate::errors::invalid_input;

/// Reads an aware `datetime` (any offset) or a `date` (taken as midnight UTC).
pub fn to_utc(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<DateTime<Utc>> {
    if let Some(t) = quick_instant(obj) {
        return Ok(t);
    }
    if obj.is_instance_of::<PyDateTime>() {
        if let Some(t) = iso_instant(obj) {
            return Ok(t);
        }
        let has_tz = !obj.getattr("tzinfo")?.is_none();
        if !has_tz {
            return Err(invalid_input(
                field,
                "a naive datetime has no time zone; pass an aware one, e.g. datetime(2024, 1, 31, tzinfo=timezone.utc)",
            ));
        }
        let t: DateTime<FixedOffset> = obj
            .extract()
            .map_err(|e: PyErr| invalid_input(field, e.to_string()))?;
        return Ok(t.with_timezone(&Utc));
    }
    if obj.is_instance_of::<PyDate>() {
        let d = match quick_date(obj) {
            Some(d) => d,
            None => obj.extract()?,
        };
        return Ok(d.and_time(NaiveTime::MIN).and_utc());
    }
    Err(invalid_input(
        field,
        format!(
            "expected an aware datetime or a date, got {}",
            obj.get_type().name()?
        ),
    ))
}

/// The `datetime` module's `datetime` and `date` types and `timezone.utc`.
struct DateTypes {
    datetime: Py<PyType>,
    date: Py<PyType>,
    utc: Py<PyAny>,
}

static DATE_TYPES: PyOnceLock<DateTypes> = PyOnceLock::new();

fn date_types(py: Python<'_>) -> Option<&DateTypes> {
    DATE_TYPES
        .get_or_try_init(py, || -> PyResult<DateTypes> {
            let m = py.import("datetime")?;
            Ok(DateTypes {
                datetime: m.getattr("datetime")?.cast_into::<PyType>()?.unbind(),
                date: m.getattr("date")?.cast_into::<PyType>()?.unbind(),
                utc: m.getattr("timezone")?.getattr("utc")?.unbind(),
            })
        })
        .ok()
}

/// The pickle state of an exact `datetime.datetime` or `datetime.date`: `(bytes,)` or
/// `(bytes, tzinfo)`, from one C call, where the stable ABI otherwise reads each field with a
/// Python attribute lookup. The bytes are: year high and low byte, month, day; a datetime adds
/// hour, minute, second and three bytes of microseconds.
fn pickle_state<'py>(obj: &Bound<'py, PyAny>, ty: &Py<PyType>) -> Option<Bound<'py, PyTuple>> {
    if !obj.get_type().is(ty.bind(obj.py())) {
        return None;
    }
    let reduced = obj.call_method0(intern!(obj.py(), "__reduce__")).ok()?;
    let args = reduced.cast::<PyTuple>().ok()?.get_item(1).ok()?;
    args.cast_into::<PyTuple>().ok()
}

fn state_bytes(args: &Bound<'_, PyTuple>, len: usize) -> Option<Vec<u8>> {
    let state = args.get_item(0).ok()?;
    let bytes = state.cast::<PyBytes>().ok()?.as_bytes();
    (bytes.len() == len).then(|| bytes.to_vec())
}

fn date_of(b: &[u8]) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        (i32::from(b[0]) << 8) | i32::from(b[1]),
        u32::from(b[2] & 0x7f),
        u32::from(b[3]),
    )
}

/// An exact `datetime.datetime` whose `tzinfo` is `timezone.utc`; `None` for anything else
/// (which `to_utc` then reads field by field).
fn quick_instant(obj: &Bound<'_, PyAny>) -> Option<DateTime<Utc>> {
    let types = date_types(obj.py())?;
    let args = pickle_state(obj, &types.datetime)?;
    if args.len() != 2 || !args.get_item(1).ok()?.is(types.utc.bind(obj.py())) {
        return None;
    }
    let b = state_bytes(&args, 10)?;
    let micros = (u32::from(b[7]) << 16) | (u32::from(b[8]) << 8) | u32::from(b[9]);
    let t = date_of(&b)?.and_hms_micro_opt(
        u32::from(b[4]),
        u32::from(b[5]),
        u32::from(b[6]),
        micros,
    )?;
    Some(t.and_utc())
}

/// An aware `datetime` (any `tzinfo`, zone-based ones included) read through its
/// `isoformat()` text; `None` when that has no offset (naive) or one with seconds.
fn iso_instant(obj: &Bound<'_, PyAny>) -> Option<DateTime<Utc>> {
    let text = obj.call_method0(intern!(obj.py(), "isoformat")).ok()?;
    let text = text.cast::<PyString>().ok()?.to_cow().ok()?;
    DateTime::parse_from_rfc3339(&text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// An exact `datetime.date`; `None` for anything else.
pub fn quick_date(obj: &Bound<'_, PyAny>) -> Option<NaiveDate> {
    let types = date_types(obj.py())?;
    let args = pickle_state(obj, &types.date)?;
    date_of(&state_bytes(&args, 4)?)
}

/// Reads a `date` (a `datetime` gives its date).
pub fn to_date(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<NaiveDate> {
    if let Some(d) = quick_date(obj) {
        return Ok(d);
    }
    if obj.is_instance_of::<PyDateTime>() {
        return Ok(to_utc(obj, field)?.date_naive());
    }
    if obj.is_instance_of::<PyDate>() {
        return obj.extract();
    }
    Err(invalid_input(
        field,
        format!("expected a date, got {}", obj.get_type().name()?),
    ))
}

/// Converts a Python value into JSON for the core's serde types: dicts, lists, tuples, strings
/// (enum members included), numbers, booleans, `None`, dates and aware datetimes.
pub fn to_json(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.extract()?));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(obj.extract()?));
    }
    if obj.is_instance_of::<PyInt>() {
        return if let Ok(i) = obj.extract::<i64>() {
            Ok(Value::Number(i.into()))
        } else {
            Err(invalid_input(path, "integer out of range"))
        };
    }
    if obj.is_instance_of::<PyFloat>() {
        let f: f64 = obj.extract()?;
        return Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| invalid_input(path, "not a finite number"));
    }
    if obj.is_instance_of::<PyDateTime>() {
        return Ok(Value::String(to_utc(obj, path)?.to_rfc3339()));
    }
    if obj.is_instance_of::<PyDate>() {
        let d: NaiveDate = obj.extract()?;
        return Ok(Value::String(d.to_string()));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let key: String = k
                .extract()
                .map_err(|_| invalid_input(path, "dictionary keys must be strings"))?;
            let value = to_json(&v, &format!("{path}.{key}"))?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            out.push(to_json(&item?, &format!("{path}[{i}]"))?);
        }
        return Ok(Value::Array(out));
    }
    // Enum members that do not mix in str: use their value.
    if obj.hasattr("_value_")? {
        return to_json(&obj.getattr("value")?, path);
    }
    Err(invalid_input(
        path,
        format!(
            "cannot convert a {} value; use str, int, float, bool, None, date, datetime, list or dict",
            obj.get_type().name()?
        ),
    ))
}

/// Converts a serialisable core value to plain Python data (dicts, lists, strings, numbers).
pub fn to_python<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| invalid_input("value", format!("cannot serialise: {e}")))?;
    py.import("json")?.call_method1("loads", (text,))
}
