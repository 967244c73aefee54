//! uniffi bindings for dueregard.

uniffi::setup_scaffolding!();

/// The version of the dueregard library inside this binding.
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Errors raised across the FFI boundary.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum DueregardError {
    /// The input could not be understood.
    #[error("{detail}")]
    Validation { field: String, detail: String },
}

/// Checks that `text` is a usable identifier.
#[uniffi::export]
pub fn check_identifier(text: String) -> Result<String, DueregardError> {
    if text.trim().is_empty() {
        return Err(DueregardError::Validation {
            field: "id".into(),
            detail: "an identifier must not be empty".into(),
        });
    }
    Ok(text)
}

/// Panics on purpose (feature `panic-probe` only).
#[cfg(feature = "panic-probe")]
#[uniffi::export]
pub fn panic_probe() -> String {
    panic!("panic probe called")
}
