//! # dueregard
//!
//! Track whether public bodies act on the recommendations made to them.
//!
//! Reviews, inspections, inquiries and panels make **recommendations** to
//! **bodies**. Each addressee gives a **response** (accepted, accepted in
//! principle, accepted in part, rejected, noted) and works through an
//! implementation status that separates the owner's *claim* from someone
//! else's *verification* and a committee's *sign-off*. **Action plans** hold
//! **actions** that answer one or more recommendations, with **milestones**,
//! **indicators** and **evidence**; committees and panels record **scrutiny
//! decisions**.
//!
//! Every change is a [`Command`] submitted by an actor ([`Submission`]),
//! checked by the [`Tracker`] against the state machines' transition tables
//! ([`machines`]), the rules of the model and the role [`Policy`], and
//! recorded as an [`Event`]. State is a fold over the events: it can be
//! replayed, audited, and computed as of any date.
//!
//! ```
//! use dueregard::{example, Command, Submission, Error};
//! let mut tracker = example::tracker();
//! // An owner cannot verify their own claim.
//! let at = tracker.last_event_at().unwrap();
//! let claimed = tracker.actions().find(|a| a.state.to_string() == "completed").unwrap().id.clone();
//! let claimant = tracker.action(&claimed).unwrap().claimed.clone().unwrap().actor;
//! let err = tracker
//!     .execute(Submission::new(claimant, at, Command::VerifyAction { action: claimed }))
//!     .unwrap_err();
//! assert!(matches!(err, Error::NotAuthorised { .. } | Error::SelfVerification { .. }));
//! ```
#![deny(missing_docs)]

mod action;
mod action_plan;
mod apply;
mod command;
mod dates;
mod decide;
mod document;
mod error;
pub mod example;
mod guard;
mod indicator;
mod log;
pub mod machine;
mod milestone;
mod party;
mod policy;
mod response;
mod review;
mod schedule;
mod scrutiny;
mod subject;
mod text;
mod tracker;
mod trail;
mod undo;
pub mod view;

pub use action::{Action, ActionState, ACTION_MACHINE};
pub use action_plan::{ActionPlan, PlanKind};
pub use command::{Answer, Command, CommandKind, Submission};
pub use document::{
    events_from_jsonl, events_to_jsonl, json_schema, submissions_from_jsonl, Document, LogOutcome,
    DOCUMENT_VERSION, FORMAT,
};
pub use error::{Error, Result};
pub use event::{Event, EVENT_VERSION};
pub use indicator::{Direction, Indicator, Observation};
pub use log::{EventLog, Events};
pub use machine::{Guard, MachineInfo, Phases, State, TransitionInfo};
pub use milestone::{Milestone, MilestoneState, MILESTONE_MACHINE};
pub use party::{Actor, Body, BodyKind, Role};
pub use policy::{Grant, Policy, Scope};
pub use response::{
    response_id, ClockPause, ImplementationState, ReplyClock, Response, ResponseState,
    IMPLEMENTATION_MACHINE, RESPONSE_MACHINE,
};
pub use review::{Recommendation, RecommendationLink, Relation, Review, ReviewKind};
pub use schedule::{DateRevision, Signature, TargetDate};
pub use scrutiny::{
    Assessment, Evidence, Note, Rag, Rating, Ratings, ScrutinyDecision, ScrutinyOutcome,
};
pub use subject::{EntityKind, Subject, Visibility};
pub use text::Text;
pub use tracker::Tracker;

mod event;

/// Every state machine of the model, for listing and diagrams.
pub fn machines() -> Vec<MachineInfo> {
    vec![
        MachineInfo::from(&RESPONSE_MACHINE),
        MachineInfo::from(&IMPLEMENTATION_MACHINE),
        MachineInfo::from(&ACTION_MACHINE),
        MachineInfo::from(&MILESTONE_MACHINE),
    ]
}
