//! Python bindings for dueregard.
//!
//! This crate only converts types: every rule lives in the `dueregard` core crate. The native
//! module is `dueregard._dueregard`; the `dueregard` Python package re-exports it.

mod convert;
mod de;
mod entities;
mod enums;
mod errors;
mod html;
mod store;
mod table;
mod tables;
mod tracker;
mod views;

use pyo3::prelude::*;

/// The native module behind the `dueregard` Python package.
#[pymodule]
fn _dueregard(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    enums::register(m)?;
    m.add_class::<table::Table>()?;
    m.add_class::<entities::Body>()?;
    m.add_class::<entities::Actor>()?;
    m.add_class::<entities::Review>()?;
    m.add_class::<entities::Recommendation>()?;
    m.add_class::<entities::Response>()?;
    m.add_class::<entities::Plan>()?;
    m.add_class::<entities::Action>()?;
    m.add_class::<entities::Milestone>()?;
    m.add_class::<entities::Event>()?;
    m.add_class::<tracker::Submission>()?;
    m.add_class::<tracker::LogOutcome>()?;
    m.add_class::<tracker::Summary>()?;
    m.add_class::<tracker::Machine>()?;
    m.add_class::<tracker::Tracker>()?;
    m.add_class::<store::Store>()?;
    m.add_class::<store::VerifyResult>()?;
    m.add_class::<views::RagReport>()?;
    m.add_class::<views::Coverage>()?;
    m.add_class::<views::Change>()?;
    m.add_class::<views::Comparison>()?;
    m.add_class::<views::Period>()?;
    m.add_function(wrap_pyfunction!(views::default_rag_policy, m)?)?;
    m.add_function(wrap_pyfunction!(tracker::machines, m)?)?;
    m.add_function(wrap_pyfunction!(tracker::json_schema, m)?)?;
    Ok(())
}
