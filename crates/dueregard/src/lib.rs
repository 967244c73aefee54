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
//! use dueregard::commands::VerifyAction;
//! use dueregard::{example, Command, Submission, Error};
//! let mut tracker = example::tracker();
//! // An owner cannot verify their own claim.
//! let at = tracker.last_event_at().unwrap();
//! let claimed = tracker.actions().find(|a| a.state.to_string() == "completed").unwrap().id.clone();
//! let claimant = tracker.action(&claimed).unwrap().claimed.clone().unwrap().actor;
//! let err = tracker
//!     .execute(Submission::new(claimant, at, Command::from(VerifyAction::new(claimed))))
//!     .unwrap_err();
//! assert!(matches!(err, Error::NotAuthorised { .. } | Error::SelfVerification { .. }));
//! ```
//!
//! Commands are built from their payload types ([`commands`]) and recorded
//! one at a time or all or nothing (this is the README's example):
//!
//! ```
//! # use dueregard::example;
//! use dueregard::commands::{AddNote, StartAction};
//! use dueregard::{Subject, Submission};
//!
//! let mut tracker = example::tracker();
//! let at = tracker.last_event_at().unwrap();
//! let note = AddNote::new(Subject::action("new-met/NM2"), "vetting backlog cleared");
//! tracker.execute(Submission::new("met-reform", at, note.into()))?;
//! // Several at once, all or nothing: the error names the failing submission.
//! let start = Submission::new("met-reform", at, StartAction::new("new-met/NM2").into());
//! assert_eq!(tracker.execute_batch([start]).unwrap_err().index, 0); // NM2 is already in progress
//! # Ok::<(), dueregard::Error>(())
//! ```
#![deny(missing_docs)]

mod engine;
mod error;
pub mod example;
pub mod fixture;
mod formats;
mod model;
pub mod view;

pub use engine::batch::{Batch, BatchError};
pub use engine::command::payloads as commands;
pub use engine::command::{Answer, Command, CommandKind, Submission};
pub use engine::event::{Event, EVENT_VERSION};
pub use engine::log::{EventLog, Events};
pub use engine::machine;
pub use engine::machine::{Guard, MachineInfo, Phases, State, TransitionInfo};
pub use engine::policy::{Grant, Policy, Scope};
pub use engine::tracker::Tracker;
pub use error::{Error, Result};
pub use formats::document::{
    events_from_jsonl, events_to_jsonl, json_schema, submissions_from_jsonl, Document, LogOutcome,
    DOCUMENT_VERSION, FORMAT,
};
pub use model::action::{Action, ActionState, ACTION_MACHINE};
pub use model::action_plan::{ActionPlan, PlanKind};
pub use model::indicator::{Direction, Indicator, Observation};
pub use model::milestone::{Milestone, MilestoneState, MILESTONE_MACHINE};
pub use model::party::{Actor, Body, BodyKind, Role};
pub use model::response::{
    response_id, ClockPause, ImplementationState, ReplyClock, Response, ResponseState,
    IMPLEMENTATION_MACHINE, RESPONSE_MACHINE,
};
pub use model::review::{Recommendation, RecommendationLink, Relation, Review, ReviewKind};
pub use model::schedule::{DateRevision, Signature, TargetDate};
pub use model::scrutiny::{
    Assessment, Evidence, Note, Rag, Rating, Ratings, ScrutinyDecision, ScrutinyOutcome,
};
pub use model::subject::{EntityKind, Subject, Visibility};
pub use model::text::Text;

/// Every state machine of the model, for listing and diagrams.
pub fn machines() -> Vec<MachineInfo> {
    vec![
        MachineInfo::from(&RESPONSE_MACHINE),
        MachineInfo::from(&IMPLEMENTATION_MACHINE),
        MachineInfo::from(&ACTION_MACHINE),
        MachineInfo::from(&MILESTONE_MACHINE),
    ]
}
