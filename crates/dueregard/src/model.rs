//! The concepts of the model: each module owns an entity, its state machine
//! and (in its `commands` submodule) the commands that change it, with their
//! rules and their effect.

pub(crate) mod action;
pub(crate) mod action_plan;
pub(crate) mod dates;
pub(crate) mod indicator;
pub(crate) mod milestone;
pub(crate) mod party;
pub(crate) mod response;
pub(crate) mod review;
pub(crate) mod schedule;
pub(crate) mod scrutiny;
pub(crate) mod subject;
pub(crate) mod text;
