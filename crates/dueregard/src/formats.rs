//! Formats: the JSON document, JSON Lines logs and the JSON Schema.

pub(crate) mod document;
