//! Commands: every change to the tracker is one of these, submitted with who,
//! when and why. The payload types and their rules live with the concept
//! they change (`crate::model::*::commands`); this module holds the enum
//! that names them, their kinds and the submission envelope.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::event::Event;
use crate::engine::guard::Check;
use crate::engine::machine::states;
use crate::engine::tracker::Tracker;
use crate::error::Result;
use crate::model::subject::{EntityKind, Subject, Visibility};
use crate::model::text::Text;

macro_rules! command_kinds {
    ($($variant:ident => $name:literal, $event:literal;)+) => {
        states! {
            /// The name of every command, as used in policy tables, transition
            /// tables and errors.
            pub enum CommandKind { $(#[doc = $event] $variant => $name),+ }
        }

        impl CommandKind {
            /// The stable, past-tense name of the event this command records
            /// (e.g. `ActionStarted`).
            pub fn event_name(self) -> &'static str {
                match self { $(CommandKind::$variant => $event),+ }
            }
        }
    };
}

command_kinds! {
    RegisterBody => "register_body", "BodyRegistered";
    RegisterActor => "register_actor", "ActorRegistered";
    PublishReview => "publish_review", "ReviewPublished";
    AddRecommendation => "add_recommendation", "RecommendationAdded";
    LinkRecommendations => "link_recommendations", "RecommendationsLinked";
    CreatePlan => "create_plan", "PlanCreated";
    AddAction => "add_action", "ActionAdded";
    AddMilestone => "add_milestone", "MilestoneAdded";
    DefineIndicator => "define_indicator", "IndicatorDefined";
    Accept => "accept", "RecommendationAccepted";
    AcceptInPrinciple => "accept_in_principle", "RecommendationAcceptedInPrinciple";
    AcceptInPart => "accept_in_part", "RecommendationAcceptedInPart";
    Reject => "reject", "RecommendationRejected";
    Note => "note", "RecommendationNoted";
    ExtendReplyDeadline => "extend_reply_deadline", "ReplyDeadlineExtended";
    PauseReplyClock => "pause_reply_clock", "ReplyClockPaused";
    ResumeReplyClock => "resume_reply_clock", "ReplyClockResumed";
    StartImplementation => "start_implementation", "ImplementationStarted";
    ClaimImplemented => "claim_implemented", "ImplementationClaimed";
    VerifyImplementation => "verify_implementation", "ImplementationVerified";
    SendBackImplementation => "send_back_implementation", "ImplementationSentBack";
    Supersede => "supersede", "RecommendationSuperseded";
    Withdraw => "withdraw", "RecommendationWithdrawn";
    StartAction => "start_action", "ActionStarted";
    BlockAction => "block_action", "ActionBlocked";
    UnblockAction => "unblock_action", "ActionUnblocked";
    DeferAction => "defer_action", "ActionDeferred";
    ResumeAction => "resume_action", "ActionResumed";
    CompleteAction => "complete_action", "ActionCompleted";
    VerifyAction => "verify_action", "ActionVerified";
    SendBackAction => "send_back_action", "ActionSentBack";
    CancelAction => "cancel_action", "ActionCancelled";
    AchieveMilestone => "achieve_milestone", "MilestoneAchieved";
    MissMilestone => "miss_milestone", "MilestoneMissed";
    RescheduleMilestone => "reschedule_milestone", "MilestoneRescheduled";
    WaiveMilestone => "waive_milestone", "MilestoneWaived";
    RecordObservation => "record_observation", "ObservationRecorded";
    ReviseTargetDate => "revise_target_date", "TargetDateRevised";
    SubmitEvidence => "submit_evidence", "EvidenceSubmitted";
    AddNote => "add_note", "NoteAdded";
    RecordDecision => "record_decision", "DecisionRecorded";
    RateSelf => "rate_self", "SelfRatingGiven";
    RateIndependent => "rate_independent", "IndependentRatingGiven";
    SignOff => "sign_off", "SignedOff";
    ReassignAction => "reassign_action", "ActionReassigned";
}

states! {
    /// An addressee's answer to a recommendation.
    pub enum Answer {
        /// Accept in full.
        Accept => "accept",
        /// Accept in principle.
        AcceptInPrinciple => "accept_in_principle",
        /// Accept in part (a reservation is required).
        AcceptInPart => "accept_in_part",
        /// Reject (a rationale is required).
        Reject => "reject",
        /// Note without commitment.
        Note => "note",
    }
}

impl Answer {
    /// The command kind of this answer.
    pub fn kind(self) -> CommandKind {
        match self {
            Answer::Accept => CommandKind::Accept,
            Answer::AcceptInPrinciple => CommandKind::AcceptInPrinciple,
            Answer::AcceptInPart => CommandKind::AcceptInPart,
            Answer::Reject => CommandKind::Reject,
            Answer::Note => CommandKind::Note,
        }
    }
}

/// Declares [`Command`], one newtype variant per payload type, with
/// `From<Payload> for Command` and the dispatch to each payload's rules.
macro_rules! commands {
    ($($(#[$doc:meta])* $variant:ident($module:ident);)+) => {
        /// Every change the tracker accepts. Once accepted, a command is
        /// recorded unchanged as the payload of an [`crate::Event`].
        ///
        /// Each variant wraps a payload type of the same name, defined beside
        /// the concept it changes (see [`crate::commands`]); build one with
        /// the payload's `new` and `.into()`:
        /// `Command::from(StartAction::new("islington/A1"))`.
        ///
        /// In JSON a command is externally tagged:
        /// `{"start_action": {"action": "islington/A1"}}`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum Command {
            $($(#[$doc])* $variant($crate::model::$module::commands::$variant)),+
        }

        impl Command {
            /// The payload's rules.
            pub(crate) fn payload(&self) -> &dyn Payload {
                match self {
                    $(Command::$variant(p) => p),+
                }
            }
        }

        $(
            impl From<$crate::model::$module::commands::$variant> for Command {
                fn from(p: $crate::model::$module::commands::$variant) -> Self {
                    Command::$variant(p)
                }
            }
        )+

        /// The payload types of every command, one per [`Command`] variant.
        pub mod payloads {
            $(pub use $crate::model::$module::commands::$variant;)+
        }
    };
}

commands! {
    /// Register a public body.
    RegisterBody(party);
    /// Register an actor acting for a body.
    RegisterActor(party);
    /// Record a published review.
    PublishReview(review);
    /// Add a recommendation to a review; a response is opened for each addressee.
    AddRecommendation(review);
    /// Link one recommendation to another.
    LinkRecommendations(review);
    /// Create an action plan.
    CreatePlan(action_plan);
    /// Add an action to a plan.
    AddAction(action);
    /// Add a milestone to an action.
    AddMilestone(milestone);
    /// Define an indicator.
    DefineIndicator(indicator);
    /// Answer a recommendation.
    Respond(response);
    /// Extend a reply deadline.
    ExtendReplyDeadline(response);
    /// Pause a reply clock.
    PauseReplyClock(response);
    /// Resume a paused reply clock.
    ResumeReplyClock(response);
    /// Start implementing an accepted recommendation.
    StartImplementation(response);
    /// Claim a recommendation implemented.
    ClaimImplemented(response);
    /// Verify an implementation claim against its evidence.
    VerifyImplementation(response);
    /// Send an implementation claim back to work.
    SendBackImplementation(response);
    /// Record that a later recommendation replaces this one.
    Supersede(response);
    /// Withdraw a recommendation for this addressee.
    Withdraw(response);
    /// Start an action.
    StartAction(action);
    /// Record that an action is blocked.
    BlockAction(action);
    /// Record that a blocked action can go on.
    UnblockAction(action);
    /// Put an action off to a later date.
    DeferAction(action);
    /// Resume a deferred action.
    ResumeAction(action);
    /// Claim an action complete.
    CompleteAction(action);
    /// Verify a completed action against its evidence.
    VerifyAction(action);
    /// Send a completed or verified action back to work.
    SendBackAction(action);
    /// Cancel an action.
    CancelAction(action);
    /// Record a milestone as achieved.
    AchieveMilestone(milestone);
    /// Record a milestone as missed.
    MissMilestone(milestone);
    /// Move a milestone to a later date.
    RescheduleMilestone(milestone);
    /// Waive a milestone.
    WaiveMilestone(milestone);
    /// Record an indicator value.
    RecordObservation(indicator);
    /// Change the target date of an action or recommendation.
    ReviseTargetDate(schedule);
    /// Submit an evidence item.
    SubmitEvidence(scrutiny);
    /// Add a note.
    AddNote(scrutiny);
    /// Record a committee's or panel's decision.
    RecordDecision(scrutiny);
    /// Rate progress on an action or response.
    Rate(scrutiny);
    /// Sign off a verified action or implementation.
    SignOff(scrutiny);
    /// Hand an open action to another responsible body or lead.
    ReassignAction(action);
}

/// The entities a command names, gathered by [`Payload::references`].
pub(crate) struct Refs<'a>(Vec<(EntityKind, &'a str)>);

impl<'a> Refs<'a> {
    /// Names one entity.
    pub(crate) fn one(&mut self, kind: EntityKind, id: &'a str) -> &mut Self {
        self.0.push((kind, id));
        self
    }

    /// Names an entity when the command gives one.
    pub(crate) fn opt(&mut self, kind: EntityKind, id: &'a Option<String>) -> &mut Self {
        if let Some(id) = id {
            self.0.push((kind, id));
        }
        self
    }

    /// Names every entity of a list.
    pub(crate) fn all(&mut self, kind: EntityKind, ids: &'a [String]) -> &mut Self {
        self.0.extend(ids.iter().map(|id| (kind, id.as_str())));
        self
    }
}

/// What a command is: its kind and the entity it is about.
pub(crate) trait About {
    /// The kind used by the policy and the transition tables.
    fn kind(&self) -> CommandKind;

    /// The entity the command is about: the one it creates or changes.
    fn subject(&self) -> (EntityKind, &str);
}

/// Declares what payloads are about: `AddAction => Action by id` (the kind
/// of the same name, an entity kind and the field naming it), or
/// `AddNote => about` for a payload whose field `about` is a [`Subject`].
macro_rules! about {
    (@subject $self:ident, $field:ident) => {
        ($self.$field.kind, $self.$field.id.as_str())
    };
    (@subject $self:ident, $kind:ident by $field:ident) => {
        ($crate::model::subject::EntityKind::$kind, $self.$field.as_str())
    };
    ($($payload:ident => $($what:ident)+;)+) => {
        $(
            impl $crate::engine::command::About for $payload {
                fn kind(&self) -> $crate::engine::command::CommandKind {
                    $crate::engine::command::CommandKind::$payload
                }
                fn subject(&self) -> ($crate::model::subject::EntityKind, &str) {
                    about!(@subject self, $($what)+)
                }
            }
        )+
    };
}
pub(crate) use about;

/// The rules of one command, beside the concept it changes: what it is
/// about, who owns that, what must hold before it is recorded, and what
/// recording it changes.
///
/// Deciding checks every rule and changes nothing; applying checks none
/// (they held when the event was recorded), only the log's own
/// consistency, so replay never rejects an event the rules accepted.
pub(crate) trait Payload: About {
    /// Every entity the command names other than one it creates: the
    /// subject it changes and whatever it points at. [`crate::engine::undo`]
    /// saves these before the command, so they must include everything
    /// `apply` changes.
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        let (kind, id) = self.subject();
        r.one(kind, id);
    }

    /// The body whose ownership the policy's `own_body` scope is checked against.
    ///
    /// # Errors
    /// [`crate::Error::UnknownId`] when an entity it reads does not exist.
    fn owner<'a>(&'a self, t: &'a Tracker) -> Result<Option<Cow<'a, str>>> {
        let (kind, id) = self.subject();
        Ok(t.owner_of_id(kind, id)?.map(Cow::Borrowed))
    }

    /// The body an unknown actor acts for while a new tracker has no
    /// administrator (only registering bodies and actors bootstraps).
    fn bootstrap_body(&self) -> Option<&str> {
        None
    }

    /// Whether the command's material may be published.
    fn visibility(&self) -> Visibility {
        Visibility::Public
    }

    /// The new date the command proposes for its item (checked by the
    /// `later_date` guard).
    fn proposed_date(&self) -> Option<NaiveDate> {
        None
    }

    /// The rationale or reservation the command carries (checked by the
    /// `rationale` and `reservation` guards).
    fn rationale(&self) -> Option<&Text> {
        None
    }

    /// Checks the command's own rules (the actor is already authenticated
    /// and authorised).
    ///
    /// # Errors
    /// The first rule broken.
    fn decide(&self, check: &Check<'_>) -> Result<()>;

    /// Folds the recorded event into the state. On error nothing has changed.
    ///
    /// # Errors
    /// [`crate::Error::CorruptLog`] when the log is inconsistent.
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()>;
}

/// Commands that move an item along its machine and record a little beside
/// the new state: each needs only its effect, since the table and its
/// guards carry the rules. `decide` and `apply` are the item's generic
/// move (e.g. [`crate::model::action::commands::decide_move`]).
macro_rules! moves {
    (
        $kind:ident by $field:ident, decide: $decide:path, apply: $apply:path;
        $($payload:ident $([date: $date:ident])? $(=> |$a:ident, $e:ident, $p:ident| $effect:expr)?;)+
    ) => {
        $(
            $crate::engine::command::about! { $payload => $kind by $field; }

            impl $crate::engine::command::Payload for $payload {
                fn proposed_date(&self) -> Option<chrono::NaiveDate> {
                    moves!(@date self $(, $date)?)
                }
                fn decide(&self, c: &$crate::engine::guard::Check<'_>) -> $crate::Result<()> {
                    $decide(c, &self.$field).map(drop)
                }
                fn apply(
                    &self,
                    t: &mut $crate::engine::tracker::Tracker,
                    e: &$crate::engine::event::Event,
                ) -> $crate::Result<()> {
                    let _moved = $apply(t, e, &self.$field)?;
                    $(
                        #[allow(unused_variables)]
                        let ($a, $e, $p) = (_moved, e, self);
                        $effect;
                    )?
                    Ok(())
                }
            }
        )+
    };
    (@date $self:ident) => { None };
    (@date $self:ident, $date:ident) => { Some($self.$date) };
}
pub(crate) use moves;

impl Command {
    /// The kind of command (used by the policy and transition tables).
    pub fn kind(&self) -> CommandKind {
        self.payload().kind()
    }

    /// The entity the command is about (the one created, or the one changed).
    pub fn subject(&self) -> Subject {
        let (kind, id) = self.subject_ref();
        Subject::new(kind, id)
    }

    /// The kind and identifier of [`Command::subject`], borrowed.
    pub fn subject_ref(&self) -> (EntityKind, &str) {
        self.payload().subject()
    }

    /// Every entity the command names other than one it creates: the
    /// subject it changes and whatever it points at (plan, owner, answered
    /// recommendations, the thing evidence is about…).
    pub fn references(&self) -> Vec<(EntityKind, &str)> {
        let mut refs = Refs(Vec::new());
        self.payload().references(&mut refs);
        refs.0
    }

    /// Whether the command's material may be published (notes, evidence and
    /// rationales can be internal).
    pub fn visibility(&self) -> Visibility {
        self.payload().visibility()
    }
}

/// A command as submitted: who, when, why and with what evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The actor issuing the command.
    pub actor: String,
    /// When it takes effect (events must be recorded in date order).
    #[serde(deserialize_with = "crate::model::dates::instant")]
    #[schemars(with = "DateTime<Utc>")]
    pub at: DateTime<Utc>,
    /// Why (required by some commands: rejections, deferrals, cancellations…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Evidence item identifiers cited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The command.
    pub command: Command,
}

impl Command {
    /// Reads a command from its JSON form, e.g. `{"start_action": {"action": "A1"}}`.
    ///
    /// # Errors
    /// [`crate::Error::Parse`] saying what is wrong.
    pub fn from_json(text: &str) -> crate::Result<Command> {
        serde_json::from_str(text).map_err(|e| crate::Error::Parse {
            source_name: "command".into(),
            line: Some(e.line() as u64),
            detail: e.to_string(),
        })
    }
}

impl Submission {
    /// Reads a submission (actor, at, reason, evidence, command) from JSON.
    ///
    /// # Errors
    /// [`crate::Error::Parse`] saying what is wrong.
    pub fn from_json(text: &str) -> crate::Result<Submission> {
        serde_json::from_str(text).map_err(|e| crate::Error::Parse {
            source_name: "submission".into(),
            line: Some(e.line() as u64),
            detail: e.to_string(),
        })
    }

    /// A submission with no reason and no evidence.
    pub fn new(actor: impl Into<String>, at: DateTime<Utc>, command: Command) -> Self {
        Submission {
            actor: actor.into(),
            at,
            reason: None,
            evidence: Vec::new(),
            command,
        }
    }

    /// Adds a reason.
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// Cites an evidence item.
    pub fn citing(mut self, evidence: impl Into<String>) -> Self {
        self.evidence.push(evidence.into());
        self
    }
}
