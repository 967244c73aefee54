//! Records and enums that cross the FFI boundary, with conversions from the
//! core's types. Dates are ISO `YYYY-MM-DD` strings (uniffi has no date
//! type); instants are `SystemTime` (Kotlin `Instant`, Swift `Date`, Python
//! `datetime`, Ruby `Time`). Counts are `i64` so that Java can call everything.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{DueregardError, Result};

/// A `SystemTime` for a UTC instant.
pub(crate) fn system_time(at: DateTime<Utc>) -> SystemTime {
    let nanos = at.timestamp_subsec_nanos();
    match u64::try_from(at.timestamp()) {
        Ok(secs) => UNIX_EPOCH + Duration::new(secs, nanos),
        Err(_) => {
            let before = at.timestamp().unsigned_abs();
            UNIX_EPOCH - Duration::from_secs(before) + Duration::from_nanos(u64::from(nanos))
        }
    }
}

/// A UTC instant for a `SystemTime`.
pub(crate) fn utc(at: SystemTime) -> DateTime<Utc> {
    DateTime::<Utc>::from(at)
}

/// Parses an ISO date given by the host.
pub(crate) fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    text.trim()
        .parse::<NaiveDate>()
        .map_err(|e| DueregardError::Invalid {
            detail: format!(
                "invalid {field}: {text:?} is not a date ({e}); write it as YYYY-MM-DD"
            ),
            field: field.to_string(),
        })
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Mirrors a core enum as a uniffi enum with conversions both ways.
macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident = $core:path { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name { $($variant),+ }

        impl From<$core> for $name {
            fn from(v: $core) -> Self {
                use $core as C;
                match v { $(C::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $core {
            fn from(v: $name) -> Self {
                use $core as C;
                match v { $($name::$variant => C::$variant),+ }
            }
        }
    };
}
pub(crate) use mirror_enum;

mirror_enum! {
    /// The kinds of entity a tracker holds.
    EntityKind = dueregard::EntityKind {
        Body, Actor, Review, Recommendation, Response, Plan, Action, Milestone,
        Indicator, Evidence, Decision,
    }
}

mirror_enum! {
    /// An addressee's decision on a recommendation.
    ResponseState = dueregard::ResponseState {
        Awaiting, Accepted, AcceptedInPrinciple, AcceptedInPart, Rejected, Noted,
    }
}

mirror_enum! {
    /// Implementation status of a response: claim, verification, sign-off.
    ImplementationState = dueregard::ImplementationState {
        NotStarted, InProgress, Implemented, Verified, SignedOff, Superseded, Withdrawn,
    }
}

mirror_enum! {
    /// Lifecycle of an action.
    ActionState = dueregard::ActionState {
        Planned, InProgress, Blocked, Deferred, Completed, Verified, SignedOff, Cancelled,
    }
}

mirror_enum! {
    /// Lifecycle of a milestone.
    MilestoneState = dueregard::MilestoneState {
        Pending, Achieved, Missed, Waived,
    }
}

/// A command with who, when and why.
///
/// `command` is one command in the core's JSON form, externally tagged:
/// `{"start_action": {"action": "islington-lap/A1"}}` (see `json_schema()`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Submission {
    /// The actor issuing the command.
    pub actor: String,
    /// When it happened.
    pub at: SystemTime,
    /// The command, as JSON.
    pub command: String,
    /// Why (required by some commands, such as waiving a milestone).
    #[uniffi(default = None)]
    pub reason: Option<String>,
    /// Identifiers of evidence items cited.
    #[uniffi(default = [])]
    pub evidence: Vec<String>,
}

impl TryFrom<Submission> for dueregard::Submission {
    type Error = DueregardError;

    fn try_from(s: Submission) -> Result<Self> {
        let command: dueregard::Command =
            serde_json::from_str(&s.command).map_err(|e| DueregardError::Parse {
                detail: format!(
                    "cannot read the command: {e}; write it as {{\"<command>\": {{...}}}}, see json_schema()"
                ),
                source_name: "command".into(),
                line: i64::try_from(e.line()).ok(),
            })?;
        let mut out = dueregard::Submission::new(s.actor, utc(s.at), command);
        out.reason = s.reason;
        out.evidence = s.evidence;
        Ok(out)
    }
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EventRecord {
    /// Sequence number, from 1.
    pub seq: i64,
    /// When it happened.
    pub at: SystemTime,
    /// Who did it.
    pub actor: String,
    /// The body the actor acted for.
    pub body: String,
    /// Stable past-tense event name (e.g. `ActionStarted`).
    pub name: String,
    /// The command's name (e.g. `start_action`).
    pub command_kind: String,
    /// What the event is about.
    pub subject_kind: EntityKind,
    /// Identifier of what the event is about.
    pub subject_id: String,
    /// The reason given.
    pub reason: Option<String>,
    /// Evidence cited.
    pub evidence: Vec<String>,
    /// The command, as JSON.
    pub command: String,
}

impl From<dueregard::Event> for EventRecord {
    fn from(e: dueregard::Event) -> Self {
        (&e).into()
    }
}

impl From<&dueregard::Event> for EventRecord {
    fn from(e: &dueregard::Event) -> Self {
        let subject = e.command.subject();
        EventRecord {
            seq: e.seq,
            at: system_time(e.at),
            actor: e.actor.clone(),
            body: e.body.clone(),
            name: e.name().to_string(),
            command_kind: e.command.kind().to_string(),
            subject_kind: subject.kind.into(),
            subject_id: subject.id,
            reason: e.reason.clone(),
            evidence: e.evidence.clone(),
            command: serde_json::to_string(&e.command).unwrap_or_default(),
        }
    }
}

/// Who signed, for which body, and when.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SignatureRecord {
    pub actor: String,
    pub body: String,
    pub at: SystemTime,
}

impl From<&dueregard::Signature> for SignatureRecord {
    fn from(s: &dueregard::Signature) -> Self {
        SignatureRecord {
            actor: s.actor.clone(),
            body: s.body.clone(),
            at: system_time(s.at),
        }
    }
}

/// A public body.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BodyRecord {
    pub id: String,
    pub name: String,
    /// e.g. `police_force`, `council`, `committee`.
    pub kind: String,
}

impl From<&dueregard::Body> for BodyRecord {
    fn from(b: &dueregard::Body) -> Self {
        BodyRecord {
            id: b.id.clone(),
            name: b.name.to_string(),
            kind: b.kind.to_string(),
        }
    }
}

/// A person or system acting for a body.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ActorRecord {
    pub id: String,
    pub name: String,
    pub body: String,
    /// e.g. `owner`, `verifier`, `scrutineer`.
    pub roles: Vec<String>,
}

impl From<&dueregard::Actor> for ActorRecord {
    fn from(a: &dueregard::Actor) -> Self {
        ActorRecord {
            id: a.id.clone(),
            name: a.name.clone(),
            body: a.body.clone(),
            roles: a.roles.iter().map(ToString::to_string).collect(),
        }
    }
}

/// A published review, inspection, inquiry or panel report.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReviewRecord {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub publisher: String,
    /// `YYYY-MM-DD`.
    pub published: String,
    pub recommendations: Vec<String>,
}

impl From<&dueregard::Review> for ReviewRecord {
    fn from(r: &dueregard::Review) -> Self {
        ReviewRecord {
            id: r.id.clone(),
            title: r.title.to_string(),
            kind: r.kind.to_string(),
            publisher: r.publisher.clone(),
            published: r.published.to_string(),
            recommendations: r.recommendations.clone(),
        }
    }
}

/// A recommendation of a review.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RecommendationRecord {
    pub id: String,
    pub review: String,
    pub number: String,
    pub title: String,
    pub text: Option<String>,
    pub addressees: Vec<String>,
    pub themes: Vec<String>,
    /// Current due date, `YYYY-MM-DD`.
    pub due: Option<String>,
    /// The first due date, kept however often it moves.
    pub due_original: Option<String>,
    pub priority: bool,
}

impl From<&dueregard::Recommendation> for RecommendationRecord {
    fn from(r: &dueregard::Recommendation) -> Self {
        RecommendationRecord {
            id: r.id.clone(),
            review: r.review.clone(),
            number: r.number.clone(),
            title: r.title.to_string(),
            text: r.text.as_ref().map(ToString::to_string),
            addressees: r.addressees.clone(),
            themes: r.themes.clone(),
            due: r.due.as_ref().map(|d| d.current().to_string()),
            due_original: r.due.as_ref().map(|d| d.original.to_string()),
            priority: r.priority,
        }
    }
}

/// One addressee's response to one recommendation.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ResponseRecord {
    /// `"{recommendation}@{addressee}"`.
    pub id: String,
    pub recommendation: String,
    pub addressee: String,
    pub state: ResponseState,
    pub implementation: ImplementationState,
    pub rationale: Option<String>,
    pub statement: Option<String>,
    /// The reply deadline as last set (`YYYY-MM-DD`), when the regime has one.
    pub reply_deadline: Option<String>,
    pub claimed: Option<SignatureRecord>,
    pub verified: Option<SignatureRecord>,
    pub signed_off: Option<SignatureRecord>,
    pub evidence: Vec<String>,
}

impl From<&dueregard::Response> for ResponseRecord {
    fn from(r: &dueregard::Response) -> Self {
        ResponseRecord {
            id: r.id.clone(),
            recommendation: r.recommendation.clone(),
            addressee: r.addressee.clone(),
            state: r.state.into(),
            implementation: r.implementation.into(),
            rationale: r.rationale.as_ref().map(ToString::to_string),
            statement: r.statement.as_ref().map(ToString::to_string),
            reply_deadline: r.clock.as_ref().map(|c| c.deadline.current().to_string()),
            claimed: r.claimed.as_ref().map(Into::into),
            verified: r.verified.as_ref().map(Into::into),
            signed_off: r.signed_off.as_ref().map(Into::into),
            evidence: r.evidence.clone(),
        }
    }
}

/// An action plan.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanRecord {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub owner: String,
    pub themes: Vec<String>,
    pub parent: Option<String>,
    pub reviews: Vec<String>,
    pub actions: Vec<String>,
}

impl From<&dueregard::ActionPlan> for PlanRecord {
    fn from(p: &dueregard::ActionPlan) -> Self {
        PlanRecord {
            id: p.id.clone(),
            title: p.title.to_string(),
            kind: p.kind.to_string(),
            owner: p.owner.clone(),
            themes: p.themes.clone(),
            parent: p.parent.clone(),
            reviews: p.reviews.clone(),
            actions: p.actions.clone(),
        }
    }
}

/// An action of a plan.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ActionRecord {
    pub id: String,
    pub plan: String,
    pub title: String,
    pub owner: String,
    pub lead: Option<String>,
    /// Recommendations it answers.
    pub answers: Vec<String>,
    pub theme: Option<String>,
    pub weight: Option<f64>,
    pub state: ActionState,
    /// Current due date, `YYYY-MM-DD`.
    pub due: String,
    /// The first due date, kept however often it moves.
    pub due_original: String,
    /// How many times the due date was revised.
    pub due_revisions: i64,
    pub milestones: Vec<String>,
    pub indicators: Vec<String>,
    pub evidence: Vec<String>,
    pub claimed: Option<SignatureRecord>,
    pub verified: Option<SignatureRecord>,
    pub signed_off: Option<SignatureRecord>,
    /// The reason of the last block, deferral or cancellation.
    pub reason: Option<String>,
}

impl From<&dueregard::Action> for ActionRecord {
    fn from(a: &dueregard::Action) -> Self {
        ActionRecord {
            id: a.id.clone(),
            plan: a.plan.clone(),
            title: a.title.to_string(),
            owner: a.owner.clone(),
            lead: a.lead.clone(),
            answers: a.answers.clone(),
            theme: a.theme.clone(),
            weight: a.weight,
            state: a.state.into(),
            due: a.due.current().to_string(),
            due_original: a.due.original.to_string(),
            due_revisions: count(a.due.revision_count()),
            milestones: a.milestones.clone(),
            indicators: a.indicators.clone(),
            evidence: a.evidence.clone(),
            claimed: a.claimed.as_ref().map(Into::into),
            verified: a.verified.as_ref().map(Into::into),
            signed_off: a.signed_off.as_ref().map(Into::into),
            reason: a.reason.clone(),
        }
    }
}

/// A milestone of an action.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MilestoneRecord {
    pub id: String,
    pub action: String,
    pub title: String,
    pub state: MilestoneState,
    /// Current due date, `YYYY-MM-DD`.
    pub due: String,
    pub due_original: String,
    pub achieved_on: Option<String>,
    pub times_missed: i64,
    pub waiver: Option<String>,
}

impl From<&dueregard::Milestone> for MilestoneRecord {
    fn from(m: &dueregard::Milestone) -> Self {
        MilestoneRecord {
            id: m.id.clone(),
            action: m.action.clone(),
            title: m.title.to_string(),
            state: m.state.into(),
            due: m.due.current().to_string(),
            due_original: m.due.original.to_string(),
            achieved_on: m.achieved_on.map(|d| d.to_string()),
            times_missed: i64::from(m.times_missed),
            waiver: m.waiver.clone(),
        }
    }
}

/// One plan's line in a summary.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanLine {
    pub plan: String,
    pub title: String,
    pub owner: String,
    pub actions: i64,
    pub done: i64,
    pub verified: i64,
    pub overdue: i64,
    pub percent_done: f64,
}

/// A compliance summary as of a date (the core's `view::summary`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SummaryRecord {
    /// `YYYY-MM-DD`.
    pub as_of: String,
    pub reviews: i64,
    pub recommendations: i64,
    /// Responses per decision state name.
    pub responses: HashMap<String, i64>,
    /// Responses per implementation state name.
    pub implementation: HashMap<String, i64>,
    /// Actions per state name.
    pub actions: HashMap<String, i64>,
    pub overdue_actions: i64,
    pub overdue_milestones: i64,
    pub unanswered_recommendations: i64,
    pub plans: Vec<PlanLine>,
}

fn counts(m: &std::collections::BTreeMap<String, usize>) -> HashMap<String, i64> {
    m.iter().map(|(k, v)| (k.clone(), count(*v))).collect()
}

impl From<&dueregard::view::Summary> for SummaryRecord {
    fn from(s: &dueregard::view::Summary) -> Self {
        SummaryRecord {
            as_of: s.as_of.to_string(),
            reviews: count(s.reviews),
            recommendations: count(s.recommendations),
            responses: counts(&s.responses),
            implementation: counts(&s.implementation),
            actions: counts(&s.actions),
            overdue_actions: count(s.overdue_actions),
            overdue_milestones: count(s.overdue_milestones),
            unanswered_recommendations: count(s.unanswered_recommendations),
            plans: s
                .plans
                .iter()
                .map(|p| PlanLine {
                    plan: p.plan.clone(),
                    title: p.title.clone(),
                    owner: p.owner.clone(),
                    actions: count(p.actions),
                    done: count(p.done),
                    verified: count(p.verified),
                    overdue: count(p.overdue),
                    percent_done: p.percent_done,
                })
                .collect(),
        }
    }
}

/// One row of a transition table.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TransitionRecord {
    pub from: String,
    pub command: String,
    pub to: String,
}

/// A state machine of the model.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MachineRecord {
    pub name: String,
    pub states: Vec<String>,
    pub transitions: Vec<TransitionRecord>,
    /// A Mermaid `stateDiagram-v2`.
    pub mermaid: String,
}

impl From<dueregard::MachineInfo> for MachineRecord {
    fn from(m: dueregard::MachineInfo) -> Self {
        MachineRecord {
            name: m.name.to_string(),
            states: m.states.iter().map(ToString::to_string).collect(),
            transitions: m
                .transitions
                .iter()
                .map(|t| TransitionRecord {
                    from: t.from.to_string(),
                    command: t.command.to_string(),
                    to: t.to.to_string(),
                })
                .collect(),
            mermaid: m.mermaid,
        }
    }
}

/// The result of walking a store's hash chain.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct VerifyRecord {
    /// Events read.
    pub events: i64,
    /// Hex SHA-256 of the last event that verified.
    pub head: String,
    /// True when every event verified.
    pub intact: bool,
    /// The first break, described, if any.
    pub first_break: Option<String>,
}

impl From<dueregard_store::VerifyReport> for VerifyRecord {
    fn from(r: dueregard_store::VerifyReport) -> Self {
        VerifyRecord {
            events: r.events,
            head: r.head.clone(),
            intact: r.is_intact(),
            first_break: r.first_break.as_ref().map(ToString::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip_through_system_time() {
        for text in ["2024-04-02T10:00:00Z", "1969-07-20T20:17:40.5Z"] {
            let at: DateTime<Utc> = text.parse().unwrap();
            assert_eq!(utc(system_time(at)), at);
        }
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(
            parse_date("as_of", "2025-03-31").unwrap(),
            NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
        );
        assert!(matches!(
            parse_date("as_of", "31/03/2025"),
            Err(DueregardError::Invalid { field, .. }) if field == "as_of"
        ));
    }

    #[test]
    fn a_malformed_command_is_a_parse_error() {
        let s = Submission {
            actor: "a".into(),
            at: SystemTime::now(),
            command: "{\"start_action\": {}}".into(),
            reason: None,
            evidence: vec![],
        };
        let e = dueregard::Submission::try_from(s).unwrap_err();
        assert!(matches!(e, DueregardError::Parse { .. }), "{e:?}");
    }

    #[test]
    fn state_enums_mirror_the_core() {
        for s in <dueregard::ActionState as dueregard::State>::all() {
            let back: dueregard::ActionState = ActionState::from(*s).into();
            assert_eq!(back, *s);
        }
    }
}
