//! The tracker: the one entry type. It holds the state of every entity and
//! the event log that produced it.

use chrono::{DateTime, NaiveDate, Utc};
use indexmap::IndexMap;

use crate::engine::command::Submission;
use crate::engine::event::Event;
use crate::engine::log::EventLog;
use crate::engine::policy::Policy;
use crate::engine::trail::Trails;
use crate::error::{Error, Result};
use crate::model::action::Action;
use crate::model::action_plan::ActionPlan;
use crate::model::indicator::Indicator;
use crate::model::milestone::Milestone;
use crate::model::party::{Actor, Body};
use crate::model::response::Response;
use crate::model::review::{Recommendation, Review};
use crate::model::scrutiny::{Evidence, Note, ScrutinyDecision};
use crate::model::subject::{EntityKind, Subject};

/// Entities by identifier, in the order created (a fast, per-process-seeded hasher).
pub(crate) type Map<T> = IndexMap<String, T, foldhash::fast::RandomState>;

/// The state of every review, recommendation, response, plan, action,
/// milestone, indicator, evidence item and decision, with the event log that
/// produced it.
///
/// Every change goes through [`Tracker::execute`], which checks the command
/// against the transition tables, the rules and the [`Policy`], and either
/// records one [`Event`] or returns an [`Error`] and changes nothing.
///
/// ```
/// use dueregard::{example, Tracker};
/// let tracker = example::tracker();
/// let rebuilt = Tracker::replay(tracker.policy().clone(), tracker.events()).unwrap();
/// assert_eq!(rebuilt, tracker);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tracker {
    pub(crate) policy: Policy,
    pub(crate) bodies: Map<Body>,
    pub(crate) actors: Map<Actor>,
    pub(crate) reviews: Map<Review>,
    pub(crate) recommendations: Map<Recommendation>,
    pub(crate) responses: Map<Response>,
    pub(crate) plans: Map<ActionPlan>,
    pub(crate) actions: Map<Action>,
    pub(crate) milestones: Map<Milestone>,
    pub(crate) indicators: Map<Indicator>,
    pub(crate) evidence: Map<Evidence>,
    pub(crate) decisions: Map<ScrutinyDecision>,
    /// Recommendation → positions in `actions` of the actions answering it, in creation order.
    pub(crate) answered_by: Map<Vec<usize>>,
    pub(crate) notes: Vec<Note>,
    pub(crate) events: EventLog,
    /// Each entity's creating event and trail of events (see [`crate::trail`]).
    pub(crate) trails: Trails,
}

macro_rules! accessors {
    ($($field:ident, $one:ident, $ty:ty, $kind:expr;)+) => {
        $(
            #[doc = concat!("Every ", stringify!($one), ", in the order created.")]
            pub fn $field(&self) -> impl ExactSizeIterator<Item = &$ty> + '_ {
                self.$field.values()
            }

            #[doc = concat!("The ", stringify!($one), " with this identifier.")]
            ///
            /// # Errors
            /// [`Error::UnknownId`] when there is none.
            pub fn $one(&self, id: &str) -> Result<&$ty> {
                self.$field.get(id).ok_or_else(|| Error::unknown($kind, id))
            }
        )+
    };
}

impl Tracker {
    /// An empty tracker with the default [`Policy`].
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty tracker with the given policy.
    pub fn with_policy(policy: Policy) -> Self {
        Tracker {
            policy,
            ..Self::default()
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    accessors! {
        bodies, body, Body, EntityKind::Body;
        actors, actor, Actor, EntityKind::Actor;
        reviews, review, Review, EntityKind::Review;
        recommendations, recommendation, Recommendation, EntityKind::Recommendation;
        responses, response, Response, EntityKind::Response;
        plans, plan, ActionPlan, EntityKind::Plan;
        actions, action, Action, EntityKind::Action;
        milestones, milestone, Milestone, EntityKind::Milestone;
        indicators, indicator, Indicator, EntityKind::Indicator;
        evidence, evidence_item, Evidence, EntityKind::Evidence;
        decisions, decision, ScrutinyDecision, EntityKind::Decision;
    }

    /// Every note.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// The event log, oldest first (kept encoded; events are decoded as
    /// they are read).
    pub fn events(&self) -> &EventLog {
        &self.events
    }

    /// The number of events recorded (the stream version a writer saw).
    pub fn version(&self) -> i64 {
        self.events.len() as i64
    }

    /// The time of the last event.
    pub fn last_event_at(&self) -> Option<DateTime<Utc>> {
        self.events.last_at()
    }

    /// Checks a command and, if every rule holds, records it as an event.
    ///
    /// # Errors
    /// Any rule the command breaks (see [`Error`]); the tracker is then unchanged.
    pub fn execute(&mut self, submission: Submission) -> Result<Event> {
        self.execute_with(submission, None)
    }

    /// [`Tracker::execute`] with the command already encoded for the log
    /// (by [`crate::engine::log::encode_command`], on the thread that decoded it).
    pub(crate) fn execute_with(
        &mut self,
        submission: Submission,
        command: Option<&[u8]>,
    ) -> Result<Event> {
        let body = self.decide(&submission)?;
        let event = Event {
            seq: self.version() + 1,
            at: submission.at,
            actor: submission.actor,
            body,
            reason: submission.reason,
            evidence: submission.evidence,
            command: submission.command,
        };
        self.apply_with(&event, command)?;
        Ok(event)
    }

    /// Rebuilds a tracker from its event log. Replay applies recorded events
    /// without re-checking rules or roles (the rules in force when they were
    /// recorded applied then), but refuses a log with gaps or events naming
    /// unknown entities.
    ///
    /// # Errors
    /// [`Error::CorruptLog`] naming the first event that does not replay.
    pub fn replay(policy: Policy, events: impl IntoIterator<Item = Event>) -> Result<Tracker> {
        let mut t = Tracker::with_policy(policy);
        for e in events {
            t.apply(&e)?;
        }
        Ok(t)
    }

    /// Appends one recorded event (from a store or a log) without re-checking rules.
    ///
    /// # Errors
    /// [`Error::CorruptLog`] when the sequence number is not the next one or
    /// the event names an unknown entity; the tracker is then unchanged.
    pub fn apply_recorded(&mut self, event: Event) -> Result<()> {
        self.apply(&event)
    }

    /// The state as it stood at the end of `date` (every event on or before it).
    pub fn as_of(&self, date: NaiveDate) -> Tracker {
        let mut t = Tracker::with_policy(self.policy.clone());
        let through = self.events.count_through(date);
        t.events.reserve(through);
        for e in self.events.range(0, through) {
            // Events in this tracker's log were all applied once, so they apply again.
            if t.apply(&e).is_err() {
                break;
            }
        }
        t
    }

    /// The events that touched `subject`, oldest first (see
    /// [`Tracker::trail_of`]); none for an unknown subject.
    pub fn history(&self, subject: &Subject) -> Vec<Event> {
        self.trail_of(subject).unwrap_or_default()
    }

    /// Makes room for `additional` more events, for a loader that knows how
    /// many it is about to apply.
    pub fn reserve_events(&mut self, additional: usize) {
        self.events.reserve(additional);
        self.trails.reserve(additional);
    }

    /// True when an entity of this kind has this identifier.
    pub fn contains(&self, subject: &Subject) -> bool {
        let id = subject.id.as_str();
        match subject.kind {
            EntityKind::Body => self.bodies.contains_key(id),
            EntityKind::Actor => self.actors.contains_key(id),
            EntityKind::Review => self.reviews.contains_key(id),
            EntityKind::Recommendation => self.recommendations.contains_key(id),
            EntityKind::Response => self.responses.contains_key(id),
            EntityKind::Plan => self.plans.contains_key(id),
            EntityKind::Action => self.actions.contains_key(id),
            EntityKind::Milestone => self.milestones.contains_key(id),
            EntityKind::Indicator => self.indicators.contains_key(id),
            EntityKind::Evidence => self.evidence.contains_key(id),
            EntityKind::Decision => self.decisions.contains_key(id),
        }
    }

    /// The body that owns an entity (the addressee of a response, the owner of
    /// an action or plan, the publisher of a review…), if it has one.
    ///
    /// # Errors
    /// [`Error::UnknownId`] when the entity does not exist.
    pub fn owner_of(&self, subject: &Subject) -> Result<Option<&str>> {
        self.owner_of_id(subject.kind, &subject.id)
    }

    /// [`Tracker::owner_of`] for a kind and an identifier.
    pub(crate) fn owner_of_id(&self, kind: EntityKind, id: &str) -> Result<Option<&str>> {
        let unknown = || Error::unknown(kind, id);
        Ok(Some(match kind {
            EntityKind::Body => self.bodies.get(id).ok_or_else(unknown)?.id.as_str(),
            EntityKind::Actor => self.actors.get(id).ok_or_else(unknown)?.body.as_str(),
            EntityKind::Review => self.reviews.get(id).ok_or_else(unknown)?.publisher.as_str(),
            EntityKind::Recommendation => {
                let r = self.recommendations.get(id).ok_or_else(unknown)?;
                return Ok(self.reviews.get(&r.review).map(|v| v.publisher.as_str()));
            }
            EntityKind::Response => self
                .responses
                .get(id)
                .ok_or_else(unknown)?
                .addressee
                .as_str(),
            EntityKind::Plan => self.plans.get(id).ok_or_else(unknown)?.owner.as_str(),
            EntityKind::Action => self.actions.get(id).ok_or_else(unknown)?.owner.as_str(),
            EntityKind::Milestone => {
                let m = self.milestones.get(id).ok_or_else(unknown)?;
                return Ok(self.actions.get(&m.action).map(|a| a.owner.as_str()));
            }
            EntityKind::Indicator => self.indicators.get(id).ok_or_else(unknown)?.owner.as_str(),
            EntityKind::Evidence => {
                let e = self.evidence.get(id).ok_or_else(unknown)?;
                return self.owner_of(&e.about);
            }
            EntityKind::Decision => self
                .decisions
                .get(id)
                .ok_or_else(unknown)?
                .committee
                .as_str(),
        }))
    }

    /// True when `body` is `ancestor` or part of it (through `Body::parent`),
    /// so that a borough unit's actions count toward its force's response.
    pub fn is_within(&self, body: &str, ancestor: &str) -> bool {
        let mut current = Some(body);
        // Parents must exist when a body is registered, so the chain has no
        // cycles; the bound guards a hand-edited document all the same.
        for _ in 0..=self.bodies.len() {
            match current {
                Some(b) if b == ancestor => return true,
                Some(b) => current = self.bodies.get(b).and_then(|x| x.parent.as_deref()),
                None => return false,
            }
        }
        false
    }

    /// Responses to a recommendation, one per addressee.
    pub fn responses_to<'a>(
        &'a self,
        recommendation: &'a str,
    ) -> impl Iterator<Item = &'a Response> + 'a {
        self.responses
            .values()
            .filter(move |r| r.recommendation == recommendation)
    }

    /// Actions answering a recommendation.
    pub fn actions_answering<'a>(
        &'a self,
        recommendation: &'a str,
    ) -> impl Iterator<Item = &'a Action> + 'a {
        self.answered_by
            .get(recommendation)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.actions.get_index(i).map(|(_, a)| a))
    }

    /// Actions answering a recommendation, with their positions in creation order.
    pub(crate) fn actions_answering_at<'a>(
        &'a self,
        recommendation: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Action)> + 'a {
        self.answered_by
            .get(recommendation)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.actions.get_index(i).map(|(_, a)| (i, a)))
    }

    /// Actions of a plan.
    pub fn actions_of<'a>(&'a self, plan: &'a str) -> impl Iterator<Item = &'a Action> + 'a {
        self.plans
            .get(plan)
            .into_iter()
            .flat_map(|p| p.actions.iter())
            .filter_map(|id| self.actions.get(id))
    }

    /// Milestones of an action.
    pub fn milestones_of<'a>(
        &'a self,
        action: &'a Action,
    ) -> impl Iterator<Item = &'a Milestone> + 'a {
        action
            .milestones
            .iter()
            .filter_map(|id| self.milestones.get(id))
    }

    /// Pairs of recommendations that overlap: linked as duplicates, overlaps
    /// or supersessions, or answered by the same action.
    pub fn overlaps(&self) -> Vec<(String, String, String)> {
        let mut out: Vec<(String, String, String)> = Vec::new();
        for r in self.recommendations.values() {
            for l in &r.links {
                out.push((r.id.clone(), l.other.clone(), l.relation.to_string()));
            }
        }
        for a in self.actions.values() {
            for (i, x) in a.answers.iter().enumerate() {
                for y in &a.answers[i + 1..] {
                    let review_x = self.recommendations.get(x).map(|r| &r.review);
                    let review_y = self.recommendations.get(y).map(|r| &r.review);
                    if review_x != review_y {
                        out.push((x.clone(), y.clone(), format!("answered_by:{}", a.id)));
                    }
                }
            }
        }
        out
    }
}
