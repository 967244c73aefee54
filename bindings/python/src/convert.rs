//! Conversions between Python values and the core's types: dates, times and the JSON form of
//! commands.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors::invalid_input;

/// Reads an aware `datetime` (any offset) or a `date` (taken as midnight UTC).
pub fn to_utc(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<DateTime<Utc>> {
    if obj.is_instance_of::<PyDateTime>() {
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
        let d: NaiveDate = obj.extract()?;
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

/// Reads a `date` (a `datetime` gives its date).
pub fn to_date(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<NaiveDate> {
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
