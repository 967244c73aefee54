//! Column tables handed to Python through the Arrow PyCapsule interface.
//!
//! A [`Table`] owns one Arrow `RecordBatch`. It implements `__arrow_c_stream__`, so pyarrow,
//! pandas (via pyarrow) and polars read its columns without copying them row by row.

use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
    StructArray, TimestampMicrosecondArray, UInt64Array,
};
use arrow_schema::{ArrowError, DataType, Field};
use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyImportError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyList, PyTuple};
use pyo3_arrow::ffi::{to_schema_pycapsule, to_stream_pycapsule, ArrayIterator};

/// An immutable table of columns, exported through the Arrow C stream interface.
#[pyclass(module = "dueregard._dueregard", frozen)]
pub struct Table {
    batch: RecordBatch,
}

impl Table {
    /// Builds a table from named columns of equal length.
    pub fn from_columns(columns: Vec<(&str, ArrayRef)>) -> Result<Self, ArrowError> {
        let batch = RecordBatch::try_from_iter(columns)?;
        Ok(Self { batch })
    }
}

fn import_optional<'py>(
    py: Python<'py>,
    module: &str,
    method: &str,
) -> PyResult<Bound<'py, PyModule>> {
    py.import(module).map_err(|_| {
        PyImportError::new_err(format!(
            "{method}() needs the `{module}` package; install it with `pip install 'dueregard[{extra}]'`",
            extra = if module == "polars" { "polars" } else { "pandas" },
        ))
    })
}

#[pymethods]
impl Table {
    /// Exports the table as an Arrow C stream (the Arrow PyCapsule interface).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = self.batch.schema();
        let field = Arc::new(
            Field::new_struct("", schema.fields().clone(), false)
                .with_metadata(schema.metadata().clone()),
        );
        let array: ArrayRef = Arc::new(StructArray::from(self.batch.clone()));
        let reader = Box::new(ArrayIterator::new(std::iter::once(Ok(array)), field));
        Ok(to_stream_pycapsule(py, reader, requested_schema)?)
    }

    /// Exports the table's schema as an Arrow C schema capsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        Ok(to_schema_pycapsule(py, self.batch.schema().as_ref())?)
    }

    /// Number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// Column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }

    fn __repr__(&self) -> String {
        format!(
            "<dueregard.Table {} rows × {} columns: {}>",
            self.batch.num_rows(),
            self.batch.num_columns(),
            self.column_names().join(", ")
        )
    }

    /// The rows as a list of dicts (column name to value), with dates as `datetime.date`,
    /// times as aware `datetime` and missing values as `None`. Needs no optional package.
    fn to_pylist<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let names = self.column_names();
        let columns: Vec<Vec<Bound<'py, PyAny>>> = self
            .batch
            .columns()
            .iter()
            .map(|c| column_values(py, c))
            .collect::<PyResult<_>>()?;
        let rows = PyList::empty(py);
        for i in 0..self.batch.num_rows() {
            let row = PyDict::new(py);
            for (name, col) in names.iter().zip(&columns) {
                row.set_item(name, &col[i])?;
            }
            rows.append(row)?;
        }
        Ok(rows)
    }

    /// Converts to a `pyarrow.Table` (needs pyarrow).
    fn to_pyarrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let pa = import_optional(slf.py(), "pyarrow", "to_pyarrow")?;
        pa.getattr("table")?.call1(PyTuple::new(slf.py(), [slf])?)
    }

    /// Converts to a `pandas.DataFrame` (needs pandas and pyarrow).
    ///
    /// Dates become `datetime64` columns, text becomes pandas strings.
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        import_optional(slf.py(), "pandas", "to_pandas")?;
        let table = Self::to_pyarrow(slf)?;
        table.call_method0("to_pandas")
    }

    /// Converts to a `polars.DataFrame` (needs polars).
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let pl = import_optional(slf.py(), "polars", "to_polars")?;
        pl.getattr("DataFrame")?.call1((slf,))
    }
}

/// The values of one column as Python objects.
fn column_values<'py>(py: Python<'py>, col: &ArrayRef) -> PyResult<Vec<Bound<'py, PyAny>>> {
    fn each<'py, T, F>(py: Python<'py>, col: &ArrayRef, get: F) -> PyResult<Vec<Bound<'py, PyAny>>>
    where
        T: IntoPyObject<'py>,
        F: Fn(usize) -> Option<T>,
    {
        (0..col.len())
            .map(|i| {
                if col.is_null(i) {
                    Ok(py.None().into_bound(py))
                } else {
                    get(i)
                        .into_pyobject(py)
                        .map(|v| v.into_any())
                        .map_err(Into::into)
                }
            })
            .collect()
    }
    let any = col.as_any();
    match col.data_type() {
        DataType::Utf8 => {
            let a = any
                .downcast_ref::<StringArray>()
                .ok_or_else(|| mismatch(col))?;
            each(py, col, |i| Some(a.value(i)))
        }
        DataType::Int64 => {
            let a = any
                .downcast_ref::<Int64Array>()
                .ok_or_else(|| mismatch(col))?;
            each(py, col, |i| Some(a.value(i)))
        }
        DataType::UInt64 => {
            let a = any
                .downcast_ref::<UInt64Array>()
                .ok_or_else(|| mismatch(col))?;
            each(py, col, |i| Some(a.value(i)))
        }
        DataType::Float64 => {
            let a = any
                .downcast_ref::<Float64Array>()
                .ok_or_else(|| mismatch(col))?;
            each(py, col, |i| Some(a.value(i)))
        }
        DataType::Boolean => {
            let a = any
                .downcast_ref::<BooleanArray>()
                .ok_or_else(|| mismatch(col))?;
            each(py, col, |i| Some(a.value(i)))
        }
        DataType::Date32 => {
            let a = any
                .downcast_ref::<Date32Array>()
                .ok_or_else(|| mismatch(col))?;
            each(py, col, |i| a.value_as_date(i))
        }
        DataType::Timestamp(_, _) => {
            let a = any
                .downcast_ref::<TimestampMicrosecondArray>()
                .ok_or_else(|| mismatch(col))?;
            each(py, col, |i| {
                DateTime::<Utc>::from_timestamp_micros(a.value(i))
            })
        }
        DataType::Null => each(py, col, |_| None::<bool>),
        other => Err(PyValueError::new_err(format!(
            "cannot convert a column of type {other} to Python values"
        ))),
    }
}

fn mismatch(col: &ArrayRef) -> PyErr {
    PyValueError::new_err(format!(
        "column type {} does not match its data",
        col.data_type()
    ))
}

/// Maps an Arrow error (a bug in building a table, never user input) to a Python error.
pub fn arrow_err(err: ArrowError) -> PyErr {
    PyValueError::new_err(format!("could not build the table: {err}"))
}
