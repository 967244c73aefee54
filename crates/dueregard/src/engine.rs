//! The engine that runs commands: the command enum and its dispatch, the
//! state machines and their guards, deciding and applying, the policy, the
//! encoded event log, trails, undo and the tracker that holds them.

pub(crate) mod apply;
pub(crate) mod batch;
pub(crate) mod command;
pub(crate) mod decide;
pub(crate) mod event;
pub(crate) mod guard;
pub(crate) mod log;
pub mod machine;
pub(crate) mod policy;
pub(crate) mod tracker;
pub(crate) mod trail;
pub(crate) mod undo;
