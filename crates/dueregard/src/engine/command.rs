//! Commands: every change to the tracker is one of these, submitted with who,
//! when and why.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::machine::states;
use crate::model::action_plan::PlanKind;
use crate::model::indicator::{Direction, Observation};
use crate::model::party::{BodyKind, Role};
use crate::model::review::{Relation, ReviewKind};
use crate::model::scrutiny::{Assessment, Rag, ScrutinyOutcome};
use crate::model::subject::{Subject, Visibility};
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

/// Every change the tracker accepts. Once accepted, a command is recorded
/// unchanged as the payload of an [`crate::Event`].
///
/// In JSON a command is externally tagged:
/// `{"start_action": {"action": "islington/A1"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Command {
    /// Register a public body.
    RegisterBody {
        /// New identifier.
        id: String,
        /// Name.
        name: Text,
        /// Kind of body.
        kind: BodyKind,
        /// The body this one is part of; work it does counts toward its parent's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parent: Option<String>,
    },
    /// Register an actor acting for a body.
    RegisterActor {
        /// New identifier.
        id: String,
        /// Name.
        name: String,
        /// Body the actor acts for.
        body: String,
        /// Roles held.
        roles: Vec<Role>,
    },
    /// Record a published review.
    PublishReview {
        /// New identifier.
        id: String,
        /// Title.
        title: Text,
        /// Kind of report.
        kind: ReviewKind,
        /// Publishing body.
        publisher: String,
        /// Publication date.
        #[serde(deserialize_with = "crate::model::dates::date")]
        #[schemars(with = "NaiveDate")]
        published: NaiveDate,
    },
    /// Add a recommendation to a review; a response is opened for each addressee.
    AddRecommendation {
        /// New identifier.
        id: String,
        /// The review.
        review: String,
        /// Number as printed.
        number: String,
        /// Short title.
        title: Text,
        /// Full text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
        /// Bodies asked to act (at least one).
        addressees: Vec<String>,
        /// Themes.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        themes: Vec<String>,
        /// Implementation due date, if set.
        #[serde(
            default,
            deserialize_with = "crate::model::dates::optional_date",
            skip_serializing_if = "Option::is_none"
        )]
        #[schemars(with = "Option<NaiveDate>")]
        due: Option<NaiveDate>,
        /// A priority recommendation.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        priority: bool,
        /// A reply duty in days from publication (e.g. 56).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_within_days: Option<u32>,
        /// Days a change must hold after verification before sign-off.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        demonstration_days: Option<u32>,
    },
    /// Link one recommendation to another.
    LinkRecommendations {
        /// The recommendation that relates.
        from: String,
        /// How.
        relation: Relation,
        /// The other recommendation.
        to: String,
    },
    /// Create an action plan.
    CreatePlan {
        /// New identifier.
        id: String,
        /// Title.
        title: Text,
        /// Kind of plan.
        kind: PlanKind,
        /// Owning body.
        owner: String,
        /// Themes.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        themes: Vec<String>,
        /// Parent plan.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parent: Option<String>,
        /// Reviews answered.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reviews: Vec<String>,
    },
    /// Add an action to a plan.
    AddAction {
        /// New identifier.
        id: String,
        /// The plan.
        plan: String,
        /// Title.
        title: Text,
        /// Responsible body; the plan's owner when omitted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        /// Lead role.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lead: Option<String>,
        /// Recommendations answered (none for a local ask beyond the review).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        answers: Vec<String>,
        /// Theme (must be one of the plan's themes when the plan has themes).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        theme: Option<String>,
        /// Weight in the plan's progress.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weight: Option<f64>,
        /// Due date.
        #[serde(deserialize_with = "crate::model::dates::date")]
        #[schemars(with = "NaiveDate")]
        due: NaiveDate,
        /// Days a change must hold after verification before sign-off.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        demonstration_days: Option<u32>,
    },
    /// Add a milestone to an action.
    AddMilestone {
        /// New identifier.
        id: String,
        /// The action.
        action: String,
        /// Title.
        title: Text,
        /// Due date.
        #[serde(deserialize_with = "crate::model::dates::date")]
        #[schemars(with = "NaiveDate")]
        due: NaiveDate,
    },
    /// Define an indicator.
    DefineIndicator {
        /// New identifier.
        id: String,
        /// Title.
        title: Text,
        /// Unit.
        unit: String,
        /// Which way is better.
        direction: Direction,
        /// Reporting body; the action's or plan's owner when omitted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        /// The action measured.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        action: Option<String>,
        /// The plan measured.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        plan: Option<String>,
        /// Baseline.
        baseline: Observation,
        /// Target.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<Observation>,
        /// Source of the figures.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
    /// Answer a recommendation.
    Respond {
        /// The response (`"{recommendation}@{addressee}"`).
        response: String,
        /// The answer.
        answer: Answer,
        /// The answer's text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        statement: Option<Text>,
        /// Rationale (rejection) or reservation (partial acceptance).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rationale: Option<Text>,
        /// Whether the rationale may be published.
        #[serde(default)]
        visibility: Visibility,
    },
    /// Extend a reply deadline (before it expires; the reason is the request).
    ExtendReplyDeadline {
        /// The response.
        response: String,
        /// The new deadline.
        #[serde(deserialize_with = "crate::model::dates::date")]
        #[schemars(with = "NaiveDate")]
        until: NaiveDate,
    },
    /// Stop a reply clock (e.g. judicial review).
    PauseReplyClock {
        /// The response.
        response: String,
    },
    /// Restart a paused reply clock.
    ResumeReplyClock {
        /// The response.
        response: String,
    },
    /// Start implementing an accepted recommendation.
    StartImplementation {
        /// The response.
        response: String,
    },
    /// Claim a recommendation is implemented.
    ClaimImplemented {
        /// The response.
        response: String,
    },
    /// Verify a claimed implementation against its evidence.
    VerifyImplementation {
        /// The response.
        response: String,
    },
    /// Send a claimed or verified implementation back to work.
    SendBackImplementation {
        /// The response.
        response: String,
    },
    /// Mark a recommendation superseded for this addressee.
    Supersede {
        /// The response.
        response: String,
        /// The recommendation that replaces it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// Withdraw a recommendation for this addressee.
    Withdraw {
        /// The response.
        response: String,
    },
    /// Start an action.
    StartAction {
        /// The action.
        action: String,
    },
    /// Record that an action is blocked.
    BlockAction {
        /// The action.
        action: String,
    },
    /// Record that a blocked action can go on.
    UnblockAction {
        /// The action.
        action: String,
    },
    /// Defer an action to a later date.
    DeferAction {
        /// The action.
        action: String,
        /// The new due date.
        #[serde(deserialize_with = "crate::model::dates::date")]
        #[schemars(with = "NaiveDate")]
        until: NaiveDate,
    },
    /// Resume a deferred action.
    ResumeAction {
        /// The action.
        action: String,
    },
    /// Claim an action is complete.
    CompleteAction {
        /// The action.
        action: String,
    },
    /// Verify a completed action against its evidence.
    VerifyAction {
        /// The action.
        action: String,
    },
    /// Send a completed or verified action back to work.
    SendBackAction {
        /// The action.
        action: String,
    },
    /// Cancel an action.
    CancelAction {
        /// The action.
        action: String,
    },
    /// Record a milestone as achieved.
    AchieveMilestone {
        /// The milestone.
        milestone: String,
        /// The day achieved; the command's date when omitted.
        #[serde(
            default,
            deserialize_with = "crate::model::dates::optional_date",
            skip_serializing_if = "Option::is_none"
        )]
        #[schemars(with = "Option<NaiveDate>")]
        on: Option<NaiveDate>,
    },
    /// Record a milestone as missed.
    MissMilestone {
        /// The milestone.
        milestone: String,
    },
    /// Move a milestone to a later date.
    RescheduleMilestone {
        /// The milestone.
        milestone: String,
        /// The new date.
        #[serde(deserialize_with = "crate::model::dates::date")]
        #[schemars(with = "NaiveDate")]
        to: NaiveDate,
    },
    /// Waive a milestone.
    WaiveMilestone {
        /// The milestone.
        milestone: String,
    },
    /// Record an indicator value.
    RecordObservation {
        /// The indicator.
        indicator: String,
        /// The value and the day it refers to.
        observation: Observation,
    },
    /// Change the target date of an action or recommendation response.
    ReviseTargetDate {
        /// An action or a recommendation.
        subject: Subject,
        /// The new date.
        #[serde(deserialize_with = "crate::model::dates::date")]
        #[schemars(with = "NaiveDate")]
        to: NaiveDate,
    },
    /// Submit an evidence item.
    SubmitEvidence {
        /// New identifier.
        id: String,
        /// What it supports.
        about: Subject,
        /// Reference.
        reference: String,
        /// What it shows.
        description: Text,
        /// Whether it may be published.
        #[serde(default)]
        visibility: Visibility,
    },
    /// Add a note.
    AddNote {
        /// What it is about.
        about: Subject,
        /// The note.
        text: Text,
        /// Whether it may be published.
        #[serde(default)]
        visibility: Visibility,
    },
    /// Record a committee's or panel's decision.
    RecordDecision {
        /// New identifier.
        id: String,
        /// The committee or panel.
        committee: String,
        /// Meeting date.
        #[serde(deserialize_with = "crate::model::dates::date")]
        #[schemars(with = "NaiveDate")]
        meeting: NaiveDate,
        /// What was considered.
        about: Subject,
        /// Outcome.
        outcome: ScrutinyOutcome,
        /// Meeting a further report is due at.
        #[serde(
            default,
            deserialize_with = "crate::model::dates::optional_date",
            skip_serializing_if = "Option::is_none"
        )]
        #[schemars(with = "Option<NaiveDate>")]
        report_due: Option<NaiveDate>,
        /// The minute.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minute: Option<Text>,
    },
    /// Rate progress on an action or response.
    Rate {
        /// An action or response.
        about: Subject,
        /// The rating.
        rag: Rag,
        /// Whose rating.
        assessment: Assessment,
    },
    /// Sign off a verified action or implementation.
    SignOff {
        /// An action or response.
        about: Subject,
    },
}

impl Command {
    /// The kind of command (used by the policy and transition tables).
    pub fn kind(&self) -> CommandKind {
        use Command as C;
        match self {
            C::RegisterBody { .. } => CommandKind::RegisterBody,
            C::RegisterActor { .. } => CommandKind::RegisterActor,
            C::PublishReview { .. } => CommandKind::PublishReview,
            C::AddRecommendation { .. } => CommandKind::AddRecommendation,
            C::LinkRecommendations { .. } => CommandKind::LinkRecommendations,
            C::CreatePlan { .. } => CommandKind::CreatePlan,
            C::AddAction { .. } => CommandKind::AddAction,
            C::AddMilestone { .. } => CommandKind::AddMilestone,
            C::DefineIndicator { .. } => CommandKind::DefineIndicator,
            C::Respond { answer, .. } => answer.kind(),
            C::ExtendReplyDeadline { .. } => CommandKind::ExtendReplyDeadline,
            C::PauseReplyClock { .. } => CommandKind::PauseReplyClock,
            C::ResumeReplyClock { .. } => CommandKind::ResumeReplyClock,
            C::StartImplementation { .. } => CommandKind::StartImplementation,
            C::ClaimImplemented { .. } => CommandKind::ClaimImplemented,
            C::VerifyImplementation { .. } => CommandKind::VerifyImplementation,
            C::SendBackImplementation { .. } => CommandKind::SendBackImplementation,
            C::Supersede { .. } => CommandKind::Supersede,
            C::Withdraw { .. } => CommandKind::Withdraw,
            C::StartAction { .. } => CommandKind::StartAction,
            C::BlockAction { .. } => CommandKind::BlockAction,
            C::UnblockAction { .. } => CommandKind::UnblockAction,
            C::DeferAction { .. } => CommandKind::DeferAction,
            C::ResumeAction { .. } => CommandKind::ResumeAction,
            C::CompleteAction { .. } => CommandKind::CompleteAction,
            C::VerifyAction { .. } => CommandKind::VerifyAction,
            C::SendBackAction { .. } => CommandKind::SendBackAction,
            C::CancelAction { .. } => CommandKind::CancelAction,
            C::AchieveMilestone { .. } => CommandKind::AchieveMilestone,
            C::MissMilestone { .. } => CommandKind::MissMilestone,
            C::RescheduleMilestone { .. } => CommandKind::RescheduleMilestone,
            C::WaiveMilestone { .. } => CommandKind::WaiveMilestone,
            C::RecordObservation { .. } => CommandKind::RecordObservation,
            C::ReviseTargetDate { .. } => CommandKind::ReviseTargetDate,
            C::SubmitEvidence { .. } => CommandKind::SubmitEvidence,
            C::AddNote { .. } => CommandKind::AddNote,
            C::RecordDecision { .. } => CommandKind::RecordDecision,
            C::Rate { assessment, .. } => match assessment {
                Assessment::SelfAssessment => CommandKind::RateSelf,
                Assessment::Independent => CommandKind::RateIndependent,
            },
            C::SignOff { .. } => CommandKind::SignOff,
        }
    }

    /// The entity the command is about (the one created, or the one changed).
    pub fn subject(&self) -> Subject {
        let (kind, id) = self.subject_ref();
        Subject::new(kind, id)
    }

    /// The kind and identifier of [`Command::subject`], borrowed.
    pub fn subject_ref(&self) -> (crate::model::subject::EntityKind, &str) {
        use crate::model::subject::EntityKind as K;
        use Command as C;
        match self {
            C::RegisterBody { id, .. } => (K::Body, id.as_str()),
            C::RegisterActor { id, .. } => (K::Actor, id.as_str()),
            C::PublishReview { id, .. } => (K::Review, id.as_str()),
            C::AddRecommendation { id, .. } | C::LinkRecommendations { from: id, .. } => {
                (K::Recommendation, id.as_str())
            }
            C::CreatePlan { id, .. } => (K::Plan, id.as_str()),
            C::AddAction { id, .. } => (K::Action, id.as_str()),
            C::AddMilestone { id, .. } => (K::Milestone, id.as_str()),
            C::DefineIndicator { id, .. } => (K::Indicator, id.as_str()),
            C::Respond { response, .. }
            | C::ExtendReplyDeadline { response, .. }
            | C::PauseReplyClock { response }
            | C::ResumeReplyClock { response }
            | C::StartImplementation { response }
            | C::ClaimImplemented { response }
            | C::VerifyImplementation { response }
            | C::SendBackImplementation { response }
            | C::Supersede { response, .. }
            | C::Withdraw { response } => (K::Response, response.as_str()),
            C::StartAction { action }
            | C::BlockAction { action }
            | C::UnblockAction { action }
            | C::DeferAction { action, .. }
            | C::ResumeAction { action }
            | C::CompleteAction { action }
            | C::VerifyAction { action }
            | C::SendBackAction { action }
            | C::CancelAction { action } => (K::Action, action.as_str()),
            C::AchieveMilestone { milestone, .. }
            | C::MissMilestone { milestone }
            | C::RescheduleMilestone { milestone, .. }
            | C::WaiveMilestone { milestone } => (K::Milestone, milestone.as_str()),
            C::RecordObservation { indicator, .. } => (K::Indicator, indicator.as_str()),
            C::ReviseTargetDate { subject, .. } => (subject.kind, subject.id.as_str()),
            C::SubmitEvidence { about, .. }
            | C::AddNote { about, .. }
            | C::Rate { about, .. }
            | C::SignOff { about } => (about.kind, about.id.as_str()),
            C::RecordDecision { about, .. } => (about.kind, about.id.as_str()),
        }
    }

    /// Every entity the command names other than one it creates: the
    /// subject it changes and whatever it points at (plan, owner, answered
    /// recommendations, the thing evidence is about…).
    pub fn references(&self) -> Vec<(crate::model::subject::EntityKind, &str)> {
        use crate::model::subject::EntityKind as K;
        use Command as C;
        let mut out: Vec<(K, &str)> = Vec::new();
        fn opt<'a>(out: &mut Vec<(K, &'a str)>, kind: K, id: &'a Option<String>) {
            if let Some(id) = id {
                out.push((kind, id));
            }
        }
        fn all<'a>(out: &mut Vec<(K, &'a str)>, kind: K, ids: &'a [String]) {
            out.extend(ids.iter().map(|id| (kind, id.as_str())));
        }
        match self {
            C::RegisterBody { parent, .. } => opt(&mut out, K::Body, parent),
            C::RegisterActor { body, .. } => out.push((K::Body, body)),
            C::PublishReview { publisher, .. } => out.push((K::Body, publisher)),
            C::AddRecommendation {
                review, addressees, ..
            } => {
                out.push((K::Review, review));
                all(&mut out, K::Body, addressees);
            }
            C::CreatePlan {
                owner,
                parent,
                reviews,
                ..
            } => {
                out.push((K::Body, owner));
                opt(&mut out, K::Plan, parent);
                all(&mut out, K::Review, reviews);
            }
            C::AddAction {
                plan,
                owner,
                answers,
                ..
            } => {
                out.push((K::Plan, plan));
                opt(&mut out, K::Body, owner);
                all(&mut out, K::Recommendation, answers);
            }
            C::AddMilestone { action, .. } => out.push((K::Action, action)),
            C::DefineIndicator {
                owner,
                action,
                plan,
                ..
            } => {
                opt(&mut out, K::Body, owner);
                opt(&mut out, K::Action, action);
                opt(&mut out, K::Plan, plan);
            }
            C::LinkRecommendations { from, to, .. } => {
                out.push((K::Recommendation, from));
                out.push((K::Recommendation, to));
            }
            C::Supersede { response, by } => {
                out.push((K::Response, response));
                opt(&mut out, K::Recommendation, by);
            }
            C::SubmitEvidence { about, .. } => out.push((about.kind, &about.id)),
            C::RecordDecision {
                committee, about, ..
            } => {
                out.push((K::Body, committee));
                out.push((about.kind, &about.id));
            }
            other => out.push(other.subject_ref()),
        }
        out
    }

    /// Whether the command's material may be published (notes, evidence and
    /// rationales can be internal).
    pub fn visibility(&self) -> Visibility {
        match self {
            Command::SubmitEvidence { visibility, .. } | Command::AddNote { visibility, .. } => {
                *visibility
            }
            _ => Visibility::Public,
        }
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
