//! Given/when/then for tests: build a tracker from a standard cast, run
//! commands that must be accepted or must be rejected, and read the outcome.
//!
//! The crate's own tests use this module, and so can host software that tests
//! its own integration with dueregard. [`Given`] holds a [`Tracker`] and
//!
//! - starts from nothing ([`Given::empty`]), from the standard cast of bodies
//!   and actors ([`Given::new`]), from the [example](crate::example) dataset
//!   ([`Given::example`]) or from any tracker (`Given::from(tracker)`);
//! - runs a command that must be accepted ([`Given::ok`]) or must be rejected
//!   ([`Given::rejects`], which also checks that the tracker is unchanged
//!   and returns the typed [`Error`]);
//! - offers short helpers for the usual steps (reviews, recommendations,
//!   responses, plans, actions, milestones, evidence, verification, revised
//!   dates…). They act as the *recorder* (the administrator `admin`) at the
//!   fixture's *clock* ([`Given::on`]), giving the reason [`Given::REASON`].
//!
//! # The standard cast
//!
//! [`Given::new`] registers these bodies and actors on [`Given::FIRST_DAY`]:
//!
//! | actor | body (kind) | roles |
//! |---|---|---|
//! | `admin` | `tracker` (other) | administrator |
//! | `lead` | `force` (police force) | owner |
//! | `lead2` | `force` | owner, verifier |
//! | `analyst` | `force` | reporter |
//! | `officer` | `council` (council) | verifier |
//! | `council-owner` | `council` | owner |
//! | `chair` | `panel` (police and crime panel) | scrutineer |
//! | `iopc-lead` | `iopc` (IOPC) | scrutineer |
//!
//! Actors holding other mixes of roles, as councils often grant, are added
//! with [`Given::actor`]; other bodies with [`Given::body`].
//!
//! # Panics
//!
//! The fixture panics on purpose, naming the submission and the error, when a
//! command it expects to succeed is rejected ([`Given::ok`] and every helper)
//! or when a command it expects to fail is accepted ([`Given::rejects`]):
//! in a test that is the failure to report. A helper also panics when what it
//! adds to is missing (no review, plan or addressee chosen yet).
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use dueregard::commands::CompleteAction;
//! use dueregard::fixture::Given;
//! use dueregard::{ActionState, Error, ReviewKind};
//!
//! let day = |s: &str| s.parse::<NaiveDate>().unwrap();
//! let mut g = Given::new();
//! g.review("rev", ReviewKind::PanelReport, "panel")
//!     .recommendation("R1")
//!     .plan("plan", "force")
//!     .action("A1", &["R1"], day("2024-06-30"))
//!     .milestone("A1/M1", "A1", day("2024-03-31"))
//!     .on(day("2024-02-01"))
//!     .start("A1");
//! // When the lead claims the action done with its milestone pending…
//! let e = g.rejects("lead", Given::time(day("2024-02-02")), None, CompleteAction::new("A1").into());
//! // …then the claim is refused and nothing changed.
//! assert!(matches!(e, Error::MilestonesPending { .. }), "{e}");
//! assert_eq!(g.tracker().action("A1").unwrap().state, ActionState::InProgress);
//! ```

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use crate::commands::{
    AchieveMilestone, AddAction, AddMilestone, AddNote, AddRecommendation, BlockAction,
    CancelAction, CompleteAction, CreatePlan, MissMilestone, PublishReview, RegisterActor,
    RegisterBody, Respond, ReviseTargetDate, StartAction, SubmitEvidence, VerifyAction,
};
use crate::engine::command::{Answer, Command, Submission};
use crate::engine::tracker::Tracker;
use crate::error::Error;
use crate::model::action_plan::PlanKind;
use crate::model::party::{BodyKind, Role};
use crate::model::response::response_id;
use crate::model::review::ReviewKind;
use crate::model::subject::{EntityKind, Subject};

/// A tracker under test, with a clock and the defaults its helpers use.
///
/// See the [module documentation](self) for the standard cast and an example.
#[derive(Debug, Clone)]
pub struct Given {
    tracker: Tracker,
    now: DateTime<Utc>,
    recorder: String,
    review: Option<String>,
    plan: Option<String>,
    addressee: Option<String>,
}

impl Default for Given {
    /// The standard cast, as [`Given::new`].
    fn default() -> Self {
        Given::new()
    }
}

impl From<Tracker> for Given {
    /// Wraps any tracker (a replay under another policy, a store's copy…):
    /// the clock stands at its last event, or at [`Given::FIRST_DAY`] when it
    /// has none, and the helpers act as `admin`.
    fn from(tracker: Tracker) -> Self {
        let now = tracker
            .last_event_at()
            .unwrap_or(Given::time(Given::FIRST_DAY));
        Given {
            tracker,
            now,
            recorder: "admin".into(),
            review: None,
            plan: None,
            addressee: None,
        }
    }
}

/// A date the fixture knows to be valid.
const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(day) => day,
        None => NaiveDate::MIN,
    }
}

impl Given {
    /// The day the standard cast is registered on, where the clock starts.
    pub const FIRST_DAY: NaiveDate = date(2024, 1, 1);

    /// The time of day the fixture's clock keeps: 09:00 UTC.
    pub const TIME_OF_DAY: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
        Some(t) => t,
        None => NaiveTime::MIN,
    };

    /// The reason every helper gives, so that commands needing one (a
    /// cancellation, a revised date…) are accepted.
    pub const REASON: &'static str = "recorded by the test fixture";

    /// The bodies of the standard cast, in the order registered.
    pub const BODIES: &'static [(&'static str, BodyKind)] = &[
        ("tracker", BodyKind::Other),
        ("force", BodyKind::PoliceForce),
        ("council", BodyKind::Council),
        ("panel", BodyKind::PoliceAndCrimePanel),
        ("iopc", BodyKind::Iopc),
    ];

    /// The actors of the standard cast (identifier, body, roles), in the
    /// order registered.
    pub const ACTORS: &'static [(&'static str, &'static str, &'static [Role])] = &[
        ("admin", "tracker", &[Role::Administrator]),
        ("lead", "force", &[Role::Owner]),
        ("lead2", "force", &[Role::Owner, Role::Verifier]),
        ("analyst", "force", &[Role::Reporter]),
        ("officer", "council", &[Role::Verifier]),
        ("council-owner", "council", &[Role::Owner]),
        ("chair", "panel", &[Role::Scrutineer]),
        ("iopc-lead", "iopc", &[Role::Scrutineer]),
    ];

    /// `day` at the fixture's time of day ([`Given::TIME_OF_DAY`]).
    pub const fn time(day: NaiveDate) -> DateTime<Utc> {
        day.and_time(Given::TIME_OF_DAY).and_utc()
    }

    /// An empty tracker with the default policy; the clock at
    /// [`Given::FIRST_DAY`], the helpers acting as `admin` (the first actor
    /// registered in an empty tracker may register anyone).
    pub fn empty() -> Self {
        Given::from(Tracker::new())
    }

    /// The standard cast (see the [module documentation](self)), registered
    /// by `admin` on [`Given::FIRST_DAY`]; recommendations are addressed to
    /// `force` unless [`Given::addressing`] says otherwise.
    pub fn new() -> Self {
        let mut g = Given::empty();
        for (id, kind) in Given::BODIES {
            g.body(id, *kind);
        }
        for (id, body, roles) in Given::ACTORS {
            g.actor(id, body, roles);
        }
        g.addressing("force");
        g
    }

    /// The [example](crate::example) dataset: the clock at its last event,
    /// the helpers acting as its administrator.
    pub fn example() -> Self {
        let tracker = crate::example::tracker();
        let recorder = administrator(&tracker).unwrap_or("admin").to_string();
        Given {
            recorder,
            ..Given::from(tracker)
        }
    }

    /// The tracker as it stands.
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    /// The tracker, leaving the fixture.
    pub fn into_tracker(self) -> Tracker {
        self.tracker
    }

    /// The fixture's clock: when the helpers act. It stands where
    /// [`Given::on`] put it, or at the latest command run through
    /// [`Given::ok`] if that is later.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Sets the clock to `day` at [`Given::TIME_OF_DAY`]. Events must be
    /// recorded in date order, so the clock should only move forward.
    pub fn on(&mut self, day: NaiveDate) -> &mut Self {
        self.now = Given::time(day);
        self
    }

    /// The actor the helpers act as: `admin`, or the example's administrator.
    pub fn recorder(&self) -> &str {
        &self.recorder
    }

    /// Makes `review` the one [`Given::recommendation`] adds to and
    /// [`Given::plan`] answers (else the first published through
    /// [`Given::review`]).
    pub fn in_review(&mut self, review: &str) -> &mut Self {
        self.review = Some(review.into());
        self
    }

    /// Makes `plan` the one [`Given::action`] adds to (else the first
    /// created through [`Given::plan`]).
    pub fn in_plan(&mut self, plan: &str) -> &mut Self {
        self.plan = Some(plan.into());
        self
    }

    /// Makes `body` the addressee of [`Given::recommendation`] and the
    /// responder of [`Given::accept`] and [`Given::reject`].
    pub fn addressing(&mut self, body: &str) -> &mut Self {
        self.addressee = Some(body.into());
        self
    }

    // -- When and then ------------------------------------------------------

    /// Runs a command that must be accepted, and moves the clock on to `at`
    /// if that is later.
    ///
    /// # Panics
    /// When the tracker rejects it, naming the submission and the error.
    #[track_caller]
    pub fn ok(
        &mut self,
        actor: &str,
        at: DateTime<Utc>,
        reason: Option<&str>,
        command: Command,
    ) -> &mut Self {
        let mut s = Submission::new(actor, at, command);
        s.reason = reason.map(str::to_string);
        if let Err(e) = self.tracker.execute(s.clone()) {
            panic!("expected {s:?} to be accepted, got: {e}");
        }
        self.now = self.now.max(at);
        self
    }

    /// Runs a command that must be rejected, checks that the tracker is
    /// unchanged and that the error has a message, and returns the error.
    ///
    /// # Panics
    /// When the tracker accepts the command, or changes while rejecting it.
    #[track_caller]
    pub fn rejects(
        &mut self,
        actor: &str,
        at: DateTime<Utc>,
        reason: Option<&str>,
        command: Command,
    ) -> Error {
        let before = self.tracker.clone();
        let mut s = Submission::new(actor, at, command);
        s.reason = reason.map(str::to_string);
        match self.tracker.execute(s.clone()) {
            Ok(event) => panic!("expected {s:?} to be rejected, it was recorded as {event:?}"),
            Err(e) => {
                assert_eq!(
                    self.tracker, before,
                    "a rejected command changed the tracker"
                );
                assert!(
                    !e.to_string().is_empty(),
                    "an error without a message: {e:?}"
                );
                e
            }
        }
    }

    /// Runs a command by `actor` at the clock, giving [`Given::REASON`].
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn run(&mut self, actor: &str, command: Command) -> &mut Self {
        let now = self.now;
        self.ok(actor, now, Some(Given::REASON), command)
    }

    /// Runs a command as the recorder at the clock, giving [`Given::REASON`].
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn record(&mut self, command: Command) -> &mut Self {
        let recorder = self.recorder.clone();
        self.run(&recorder, command)
    }

    /// `command` as `tracker`'s first administrator, one minute after its
    /// last event (or on [`Given::FIRST_DAY`] when it has none), with no
    /// reason. A tracker without an administrator gets `admin`, and rejects it.
    ///
    /// For a tracker the test does not hold in a fixture, such as a store's.
    pub fn submission_after(tracker: &Tracker, command: Command) -> Submission {
        let at = tracker
            .last_event_at()
            .map_or(Given::time(Given::FIRST_DAY), |at| {
                at + Duration::minutes(1)
            });
        Submission::new(administrator(tracker).unwrap_or("admin"), at, command)
    }

    /// A note any state of `tracker` accepts when it has an administrator and
    /// a review: [`Given::submission_after`] adding `text` about its first
    /// review (a tracker without a review rejects it).
    pub fn note_after(tracker: &Tracker, text: &str) -> Submission {
        let review = tracker.reviews().next().map_or("rev", |r| r.id.as_str());
        let about = Subject::new(EntityKind::Review, review);
        Given::submission_after(tracker, AddNote::new(about, text).into())
    }

    // -- Cast ---------------------------------------------------------------

    /// Registers a body.
    ///
    /// # Panics
    /// When the tracker rejects it (a duplicate identifier, say).
    #[track_caller]
    pub fn body(&mut self, id: &str, kind: BodyKind) -> &mut Self {
        self.record(RegisterBody::new(id, id, kind).into())
    }

    /// Registers an actor of `body` holding `roles` (several, as councils
    /// often grant), named as its identifier.
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn actor(&mut self, id: &str, body: &str, roles: &[Role]) -> &mut Self {
        self.record(RegisterActor::new(id, id, body, roles.to_vec()).into())
    }

    // -- Reviews and responses ----------------------------------------------

    /// Publishes a review titled "Review {id}" on the clock's day; the
    /// first becomes the one [`Given::recommendation`] adds to.
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn review(&mut self, id: &str, kind: ReviewKind, publisher: &str) -> &mut Self {
        let published = self.now.date_naive();
        let title = format!("Review {id}");
        self.record(PublishReview::new(id, title, kind, publisher, published).into());
        self.review.get_or_insert_with(|| id.into());
        self
    }

    /// Adds a recommendation to the review, addressed to the addressee
    /// ([`Given::addressing`]).
    ///
    /// # Panics
    /// When there is no review or addressee, or the tracker rejects it.
    #[track_caller]
    pub fn recommendation(&mut self, id: &str) -> &mut Self {
        self.recommendation_with(id, |_| {})
    }

    /// Adds a recommendation to the review, addressed to `addressees`.
    ///
    /// # Panics
    /// When there is no review, or the tracker rejects it.
    #[track_caller]
    pub fn recommendation_to(&mut self, id: &str, addressees: &[&str]) -> &mut Self {
        let addressees: Vec<String> = addressees.iter().map(|s| s.to_string()).collect();
        self.recommendation_with(id, |r| r.addressees = addressees)
    }

    /// Adds a recommendation titled "Recommendation {id}" to the review,
    /// numbered after those already recorded and addressed to the addressee,
    /// after `change` has set any other field (a due date, a reply clock,
    /// themes…).
    ///
    /// # Panics
    /// When there is no review, or the tracker rejects it.
    #[track_caller]
    pub fn recommendation_with(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut AddRecommendation),
    ) -> &mut Self {
        let Some(review) = self.review.clone() else {
            panic!("recommendation {id}: no review; publish one with Given::review first");
        };
        let number = (self.tracker.recommendations().len() + 1).to_string();
        let addressees = self.addressee.iter().cloned().collect();
        let mut r = AddRecommendation::new(
            id,
            review,
            number,
            format!("Recommendation {id}"),
            addressees,
        );
        change(&mut r);
        self.record(r.into())
    }

    /// The addressee's response to `recommendation`.
    #[track_caller]
    fn response_to(&self, recommendation: &str) -> String {
        let Some(body) = &self.addressee else {
            panic!("response to {recommendation}: no addressee; set one with Given::addressing");
        };
        response_id(recommendation, body)
    }

    /// Answers a response (`{recommendation}@{body}`), giving a rationale
    /// where the answer needs one (rejection, partial acceptance).
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn respond(&mut self, response: &str, answer: Answer) -> &mut Self {
        let mut r = Respond::new(response, answer);
        if matches!(answer, Answer::Reject | Answer::AcceptInPart) {
            r.rationale = Some("reasons".into());
        }
        self.record(r.into())
    }

    /// The addressee accepts `recommendation`.
    ///
    /// # Panics
    /// When there is no addressee, or the tracker rejects it.
    #[track_caller]
    pub fn accept(&mut self, recommendation: &str) -> &mut Self {
        let response = self.response_to(recommendation);
        self.respond(&response, Answer::Accept)
    }

    /// The addressee rejects `recommendation`, with a rationale.
    ///
    /// # Panics
    /// When there is no addressee, or the tracker rejects it.
    #[track_caller]
    pub fn reject(&mut self, recommendation: &str) -> &mut Self {
        let response = self.response_to(recommendation);
        self.respond(&response, Answer::Reject)
    }

    // -- Plans, actions and milestones --------------------------------------

    /// Creates a local plan titled "Plan {id}" owned by `owner`, answering
    /// the review if there is one; the first becomes the one
    /// [`Given::action`] adds to.
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn plan(&mut self, id: &str, owner: &str) -> &mut Self {
        let mut p = CreatePlan::new(id, format!("Plan {id}"), PlanKind::Local, owner);
        p.reviews = self.review.iter().cloned().collect();
        self.record(p.into());
        self.plan.get_or_insert_with(|| id.into());
        self
    }

    /// Adds an action titled "Action {id}" to the plan, answering
    /// `answers`, due on `due`.
    ///
    /// # Panics
    /// When there is no plan, or the tracker rejects it.
    #[track_caller]
    pub fn action(&mut self, id: &str, answers: &[&str], due: NaiveDate) -> &mut Self {
        self.action_with(id, answers, due, |_| {})
    }

    /// [`Given::action`] after `change` has set any other field (another
    /// plan, a theme, a weight, a demonstration period…).
    ///
    /// # Panics
    /// When there is no plan, or the tracker rejects it.
    #[track_caller]
    pub fn action_with(
        &mut self,
        id: &str,
        answers: &[&str],
        due: NaiveDate,
        change: impl FnOnce(&mut AddAction),
    ) -> &mut Self {
        let Some(plan) = self.plan.clone() else {
            panic!("action {id}: no plan; create one with Given::plan first");
        };
        let mut a = AddAction::new(id, plan, format!("Action {id}"), due);
        a.answers = answers.iter().map(|s| s.to_string()).collect();
        change(&mut a);
        self.record(a.into())
    }

    /// Adds a milestone titled "Milestone {id}" to `action`, due on `due`.
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn milestone(&mut self, id: &str, action: &str, due: NaiveDate) -> &mut Self {
        self.record(AddMilestone::new(id, action, format!("Milestone {id}"), due).into())
    }

    /// Starts an action.
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn start(&mut self, action: &str) -> &mut Self {
        self.record(StartAction::new(action).into())
    }

    /// Records an action as blocked.
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn block(&mut self, action: &str) -> &mut Self {
        self.record(BlockAction::new(action).into())
    }

    /// Claims an action complete.
    ///
    /// # Panics
    /// When the tracker rejects it (a pending milestone, say).
    #[track_caller]
    pub fn complete(&mut self, action: &str) -> &mut Self {
        self.record(CompleteAction::new(action).into())
    }

    /// Cancels an action.
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn cancel(&mut self, action: &str) -> &mut Self {
        self.record(CancelAction::new(action).into())
    }

    /// Records a milestone as achieved on the clock's day.
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn achieve(&mut self, milestone: &str) -> &mut Self {
        self.record(AchieveMilestone::new(milestone).into())
    }

    /// Records a milestone as missed.
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn miss(&mut self, milestone: &str) -> &mut Self {
        self.record(MissMilestone::new(milestone).into())
    }

    // -- Evidence, verification and dates -----------------------------------

    /// Submits a public evidence item about `about`, numbered `E1`, `E2`…
    /// after those already recorded.
    ///
    /// # Panics
    /// When the tracker rejects it.
    #[track_caller]
    pub fn evidence(&mut self, about: Subject) -> &mut Self {
        let mut n = self.tracker.evidence().len() + 1;
        while self.tracker.evidence_item(&format!("E{n}")).is_ok() {
            n += 1;
        }
        let item = SubmitEvidence::new(format!("E{n}"), about, format!("doc-{n}"), "evidence");
        self.record(item.into())
    }

    /// Submits evidence about a completed action, then `verifier` verifies it.
    ///
    /// # Panics
    /// When the tracker rejects either.
    #[track_caller]
    pub fn verify(&mut self, action: &str, verifier: &str) -> &mut Self {
        self.evidence(Subject::action(action))
            .run(verifier, VerifyAction::new(action).into())
    }

    /// Moves the target date of an action or recommendation to `to`.
    ///
    /// # Panics
    /// When the tracker rejects it (an earlier date, say).
    #[track_caller]
    pub fn revise(&mut self, subject: Subject, to: NaiveDate) -> &mut Self {
        self.record(ReviseTargetDate::new(subject, to).into())
    }
}

/// The first actor of `tracker` holding the administrator role.
fn administrator(tracker: &Tracker) -> Option<&str> {
    tracker
        .actors()
        .find(|a| a.has_role(Role::Administrator))
        .map(|a| a.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::action::ActionState;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    /// A review, a recommendation to the force and a plan with one action.
    fn planned() -> Given {
        let mut g = Given::new();
        g.review("rev", ReviewKind::PanelReport, "panel")
            .recommendation("R1")
            .plan("plan", "force")
            .action("A1", &["R1"], day("2024-06-30"));
        g
    }

    #[test]
    fn the_standard_cast_is_registered_in_order() {
        let g = Given::new();
        let bodies: Vec<&str> = g.tracker().bodies().map(|b| b.id.as_str()).collect();
        let actors: Vec<&str> = g.tracker().actors().map(|a| a.id.as_str()).collect();
        assert_eq!(
            bodies,
            Given::BODIES.iter().map(|b| b.0).collect::<Vec<_>>()
        );
        assert_eq!(
            actors,
            Given::ACTORS.iter().map(|a| a.0).collect::<Vec<_>>()
        );
        let lead2 = g.tracker().actor("lead2").unwrap();
        assert!(lead2.has_role(Role::Owner) && lead2.has_role(Role::Verifier));
        assert_eq!(g.now(), Given::time(Given::FIRST_DAY));
        assert!(Given::empty().tracker().events().is_empty());
    }

    #[test]
    fn helpers_add_to_the_review_plan_and_addressee_chosen() {
        let mut g = planned();
        g.review("other", ReviewKind::Inspection, "panel")
            .plan("plan2", "council")
            .recommendation("R2")
            .action("A2", &[], day("2024-06-30"));
        // The first review and plan stay chosen until in_review/in_plan.
        assert_eq!(g.tracker().recommendation("R2").unwrap().review, "rev");
        assert_eq!(g.tracker().action("A2").unwrap().plan, "plan");
        g.in_review("other").in_plan("plan2").addressing("council");
        g.recommendation("R3").action("A3", &[], day("2024-06-30"));
        assert_eq!(g.tracker().recommendation("R3").unwrap().review, "other");
        assert!(g.tracker().response("R3@council").is_ok());
        assert_eq!(g.tracker().action("A3").unwrap().plan, "plan2");
        assert_eq!(g.tracker().recommendation("R3").unwrap().number, "3");
    }

    #[test]
    fn ok_moves_the_clock_on_and_helpers_act_there() {
        let mut g = planned();
        let start = Given::time(day("2024-02-01"));
        g.ok("lead", start, None, StartAction::new("A1").into());
        assert_eq!(g.now(), start);
        // A command earlier than the clock leaves it where it is.
        let march = Given::time(day("2024-03-01"));
        let block = BlockAction::new("A1").into();
        g.on(day("2024-03-01")).ok(
            "lead",
            Given::time(day("2024-02-15")),
            Some("vetting"),
            block,
        );
        assert_eq!(g.now(), march);
        g.cancel("A1");
        let last = g.tracker().events().iter().next_back().unwrap();
        assert_eq!((last.actor.as_str(), last.at), ("admin", march));
        assert_eq!(last.reason.as_deref(), Some(Given::REASON));
        assert_eq!(
            g.tracker().action("A1").unwrap().state,
            ActionState::Cancelled
        );
    }

    #[test]
    fn rejects_returns_the_error_and_leaves_the_tracker_as_it_was() {
        let mut g = planned();
        let before = g.tracker().clone();
        let at = g.now();
        let e = g.rejects("analyst", at, None, StartAction::new("A9").into());
        assert_eq!(e.code(), "unknown_id");
        assert_eq!(g.tracker(), &before);
    }

    #[test]
    #[should_panic(expected = "to be accepted")]
    fn ok_panics_when_the_command_is_rejected() {
        let mut g = planned();
        let at = g.now();
        g.ok("lead", at, None, CompleteAction::new("A9").into());
    }

    #[test]
    #[should_panic(expected = "to be rejected")]
    fn rejects_panics_when_the_command_is_accepted() {
        let mut g = planned();
        let at = g.now();
        g.rejects("lead", at, None, StartAction::new("A1").into());
    }

    #[test]
    #[should_panic(expected = "no review")]
    fn a_recommendation_without_a_review_panics() {
        Given::new().recommendation("R1");
    }

    #[test]
    fn evidence_takes_the_next_free_number_and_verification_needs_a_verifier() {
        let mut g = planned();
        let taken = SubmitEvidence::new("E2", Subject::action("A1"), "ref", "taken");
        g.record(taken.into())
            .evidence(Subject::action("A1"))
            .on(day("2024-03-01"))
            .start("A1")
            .complete("A1")
            .verify("A1", "officer");
        let ids: Vec<&str> = g.tracker().evidence().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["E2", "E3", "E4"]);
        let a = g.tracker().action("A1").unwrap();
        assert_eq!(a.state, ActionState::Verified);
        assert_eq!(a.verified.as_ref().unwrap().actor, "officer");
    }

    #[test]
    fn submissions_after_a_tracker_are_accepted_by_it() {
        let g = Given::example();
        assert!(g
            .tracker()
            .actor(g.recorder())
            .unwrap()
            .has_role(Role::Administrator));
        assert_eq!(Some(g.now()), g.tracker().last_event_at());
        let mut t = g.into_tracker();
        for text in ["one", "two"] {
            let note = Given::note_after(&t, text);
            assert!(note.at > t.last_event_at().unwrap());
            t.execute(note).unwrap();
        }
        assert_eq!(t.notes().len(), crate::example::tracker().notes().len() + 2);
        // An empty tracker has no administrator or review: it refuses the note.
        let mut empty = Tracker::new();
        let note = Given::note_after(&empty, "nothing to note");
        assert_eq!(note.at, Given::time(Given::FIRST_DAY));
        assert!(empty.execute(note).is_err());
    }
}
