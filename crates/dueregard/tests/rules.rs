//! One test per rule of the model: each rejected command gets its own typed
//! error and changes nothing.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use dueregard::commands::{
    AchieveMilestone, AddAction, AddMilestone, AddNote, AddRecommendation, BlockAction,
    ClaimImplemented, CompleteAction, CreatePlan, ExtendReplyDeadline, LinkRecommendations,
    MissMilestone, PauseReplyClock, PublishReview, Rate, RecordDecision, RegisterActor,
    RegisterBody, RescheduleMilestone, Respond, ResumeReplyClock, ReviseTargetDate, SignOff,
    StartAction, StartImplementation, SubmitEvidence, VerifyAction, VerifyImplementation,
    WaiveMilestone,
};
use dueregard::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap()
}

/// Given/when/then for the tracker: `given` runs commands that must succeed,
/// `when` runs one that may fail, and the helpers check the outcome.
struct Given {
    t: Tracker,
}

fn given() -> Given {
    let mut g = Given { t: Tracker::new() };
    let t0 = at(2024, 1, 1);
    for (id, kind) in [
        ("tracker", BodyKind::Other),
        ("force", BodyKind::PoliceForce),
        ("council", BodyKind::Council),
        ("panel", BodyKind::PoliceAndCrimePanel),
        ("iopc", BodyKind::Iopc),
    ] {
        g.ok(
            "admin",
            t0,
            None,
            Command::RegisterBody(RegisterBody {
                id: id.into(),
                name: Text::new(id),
                kind,
                parent: None,
            }),
        );
    }
    for (id, body, roles) in [
        ("admin", "tracker", vec![Role::Administrator]),
        ("lead", "force", vec![Role::Owner]),
        ("lead2", "force", vec![Role::Owner, Role::Verifier]),
        ("analyst", "force", vec![Role::Reporter]),
        ("officer", "council", vec![Role::Verifier]),
        ("council-owner", "council", vec![Role::Owner]),
        ("chair", "panel", vec![Role::Scrutineer]),
        ("iopc-lead", "iopc", vec![Role::Scrutineer]),
    ] {
        g.ok(
            "admin",
            t0,
            None,
            Command::RegisterActor(RegisterActor {
                id: id.into(),
                name: id.into(),
                body: body.into(),
                roles,
            }),
        );
    }
    g.ok(
        "chair",
        t0,
        None,
        Command::PublishReview(PublishReview {
            id: "rev".into(),
            title: Text::new("Panel report"),
            kind: ReviewKind::PanelReport,
            publisher: "panel".into(),
            published: day(2024, 1, 1),
        }),
    );
    g.ok(
        "chair",
        t0,
        None,
        Command::AddRecommendation(AddRecommendation {
            id: "rev/R1".into(),
            review: "rev".into(),
            number: "1".into(),
            title: Text::new("Publish a recruitment plan"),
            text: None,
            addressees: vec!["force".into()],
            themes: vec![],
            due: Some(day(2024, 12, 31)),
            priority: false,
            reply_within_days: None,
            demonstration_days: Some(182),
        }),
    );
    g.ok(
        "iopc-lead",
        t0,
        None,
        Command::PublishReview(PublishReview {
            id: "iopc".into(),
            title: Text::new("Learning report"),
            kind: ReviewKind::Investigation,
            publisher: "iopc".into(),
            published: day(2024, 1, 1),
        }),
    );
    g.ok(
        "iopc-lead",
        t0,
        None,
        Command::AddRecommendation(AddRecommendation {
            id: "iopc/R1".into(),
            review: "iopc".into(),
            number: "1".into(),
            title: Text::new("Review training"),
            text: None,
            addressees: vec!["force".into()],
            themes: vec![],
            due: None,
            priority: false,
            reply_within_days: Some(56),
            demonstration_days: None,
        }),
    );
    g.ok(
        "lead",
        t0,
        None,
        Command::CreatePlan(CreatePlan {
            id: "plan".into(),
            title: Text::new("Local action plan"),
            kind: PlanKind::Local,
            owner: "force".into(),
            themes: vec![],
            parent: None,
            reviews: vec!["rev".into()],
        }),
    );
    g.ok(
        "lead",
        t0,
        None,
        Command::AddAction(AddAction {
            id: "A1".into(),
            plan: "plan".into(),
            title: Text::new("Recruit"),
            owner: None,
            lead: None,
            answers: vec!["rev/R1".into()],
            theme: None,
            weight: None,
            due: day(2024, 6, 30),
            demonstration_days: Some(182),
        }),
    );
    g.ok(
        "lead",
        t0,
        None,
        Command::AddMilestone(AddMilestone {
            id: "A1/M1".into(),
            action: "A1".into(),
            title: Text::new("Adverts out"),
            due: day(2024, 3, 31),
        }),
    );
    g
}

impl Given {
    fn ok(
        &mut self,
        actor: &str,
        when: DateTime<Utc>,
        reason: Option<&str>,
        c: Command,
    ) -> &mut Self {
        let mut s = Submission::new(actor, when, c);
        s.reason = reason.map(str::to_string);
        if let Err(e) = self.t.execute(s.clone()) {
            panic!("expected {s:?} to be accepted, got: {e}");
        }
        self
    }

    /// Runs a command that must be rejected; checks nothing changed and returns the error.
    fn rejects(
        &mut self,
        actor: &str,
        when: DateTime<Utc>,
        reason: Option<&str>,
        c: Command,
    ) -> Error {
        let before = self.t.clone();
        let mut s = Submission::new(actor, when, c);
        s.reason = reason.map(str::to_string);
        let e = self.t.execute(s).expect_err("expected a rejection");
        assert_eq!(self.t, before, "a rejected command changed the tracker");
        assert!(!e.to_string().is_empty());
        e
    }

    fn start(&mut self) -> &mut Self {
        self.ok(
            "lead",
            at(2024, 2, 1),
            None,
            Command::StartAction(StartAction {
                action: "A1".into(),
            }),
        )
    }

    fn evidence(&mut self) -> &mut Self {
        self.ok(
            "lead",
            at(2024, 6, 1),
            None,
            Command::SubmitEvidence(SubmitEvidence {
                id: "E1".into(),
                about: Subject::action("A1"),
                reference: "report 12".into(),
                description: Text::new("recruitment figures"),
                visibility: Visibility::Public,
            }),
        )
    }

    fn complete(&mut self) -> &mut Self {
        self.start()
            .ok(
                "analyst",
                at(2024, 3, 1),
                None,
                Command::AchieveMilestone(AchieveMilestone {
                    milestone: "A1/M1".into(),
                    on: None,
                }),
            )
            .ok(
                "lead",
                at(2024, 6, 1),
                None,
                Command::CompleteAction(CompleteAction {
                    action: "A1".into(),
                }),
            )
    }
}

#[test]
fn completing_with_a_pending_milestone_is_refused_until_waived() {
    let mut g = given();
    g.start();
    let e = g.rejects(
        "lead",
        at(2024, 6, 1),
        None,
        Command::CompleteAction(CompleteAction {
            action: "A1".into(),
        }),
    );
    assert_eq!(
        e,
        Error::MilestonesPending {
            action: "A1".into(),
            pending: vec!["A1/M1".into()]
        }
    );
    // Waiving needs a reason.
    let e = g.rejects(
        "lead",
        at(2024, 6, 1),
        None,
        Command::WaiveMilestone(WaiveMilestone {
            milestone: "A1/M1".into(),
        }),
    );
    assert_eq!(e.code(), "reason_required");
    g.ok(
        "lead",
        at(2024, 6, 1),
        Some("adverts replaced by a recruitment fair"),
        Command::WaiveMilestone(WaiveMilestone {
            milestone: "A1/M1".into(),
        }),
    );
    g.ok(
        "lead",
        at(2024, 6, 1),
        None,
        Command::CompleteAction(CompleteAction {
            action: "A1".into(),
        }),
    );
    assert_eq!(g.t.action("A1").unwrap().state, ActionState::Completed);
    assert_eq!(
        g.t.milestone("A1/M1").unwrap().waiver.as_deref(),
        Some("adverts replaced by a recruitment fair")
    );
}

#[test]
fn verification_needs_evidence() {
    let mut g = given();
    g.complete();
    let e = g.rejects(
        "officer",
        at(2024, 7, 1),
        None,
        Command::VerifyAction(VerifyAction {
            action: "A1".into(),
        }),
    );
    assert!(
        matches!(
            e,
            Error::EvidenceRequired {
                kind: EntityKind::Action,
                ..
            }
        ),
        "{e}"
    );
    g.evidence();
    g.ok(
        "officer",
        at(2024, 7, 1),
        None,
        Command::VerifyAction(VerifyAction {
            action: "A1".into(),
        }),
    );
    let a = g.t.action("A1").unwrap();
    assert_eq!(a.state, ActionState::Verified);
    assert_eq!(a.claimed.as_ref().unwrap().actor, "lead");
    assert_eq!(a.verified.as_ref().unwrap().actor, "officer");
}

#[test]
fn the_claimant_cannot_verify_their_own_claim() {
    let mut g = given();
    g.start()
        .ok(
            "analyst",
            at(2024, 3, 1),
            None,
            Command::AchieveMilestone(AchieveMilestone {
                milestone: "A1/M1".into(),
                on: None,
            }),
        )
        .evidence()
        .ok(
            "lead2",
            at(2024, 6, 2),
            None,
            Command::CompleteAction(CompleteAction {
                action: "A1".into(),
            }),
        );
    let e = g.rejects(
        "lead2",
        at(2024, 7, 1),
        None,
        Command::VerifyAction(VerifyAction {
            action: "A1".into(),
        }),
    );
    assert!(
        matches!(&e, Error::SelfVerification { claimant, scope, .. } if claimant == "lead2" && *scope == "actor"),
        "{e}"
    );
    // Another actor of the same body may verify under the default policy…
    let mut same_body = Given { t: g.t.clone() };
    same_body.ok(
        "admin",
        at(2024, 7, 1),
        None,
        Command::RegisterActor(RegisterActor {
            id: "force-verifier".into(),
            name: "x".into(),
            body: "force".into(),
            roles: vec![Role::Verifier],
        }),
    );
    same_body.ok(
        "force-verifier",
        at(2024, 7, 1),
        None,
        Command::VerifyAction(VerifyAction {
            action: "A1".into(),
        }),
    );
    // …but not when the policy wants another body.
    let policy = Policy {
        verifier_from_other_body: true,
        ..Policy::default()
    };
    let strict = Tracker::replay(policy, g.t.events().to_vec()).unwrap();
    let mut strict = Given { t: strict };
    strict.ok(
        "admin",
        at(2024, 7, 1),
        None,
        Command::RegisterActor(RegisterActor {
            id: "force-verifier".into(),
            name: "x".into(),
            body: "force".into(),
            roles: vec![Role::Verifier],
        }),
    );
    let e = strict.rejects(
        "force-verifier",
        at(2024, 7, 1),
        None,
        Command::VerifyAction(VerifyAction {
            action: "A1".into(),
        }),
    );
    assert!(
        matches!(&e, Error::SelfVerification { scope, .. } if *scope == "body"),
        "{e}"
    );
    strict.ok(
        "officer",
        at(2024, 7, 1),
        None,
        Command::VerifyAction(VerifyAction {
            action: "A1".into(),
        }),
    );
}

#[test]
fn rejection_and_partial_acceptance_need_a_rationale() {
    let mut g = given();
    let respond = |answer, rationale: Option<&str>| {
        Command::Respond(Respond {
            response: "rev/R1@force".into(),
            answer,
            statement: None,
            rationale: rationale.map(Text::new),
            visibility: Visibility::Public,
        })
    };
    let e = g.rejects("lead", at(2024, 2, 1), None, respond(Answer::Reject, None));
    assert!(
        matches!(&e, Error::ReasonRequired { what, .. } if what == "rationale"),
        "{e}"
    );
    let e = g.rejects(
        "lead",
        at(2024, 2, 1),
        None,
        respond(Answer::AcceptInPart, Some("  ")),
    );
    assert!(
        matches!(&e, Error::ReasonRequired { what, .. } if what == "reservation"),
        "{e}"
    );
    g.ok(
        "lead",
        at(2024, 2, 1),
        None,
        respond(
            Answer::AcceptInPart,
            Some("accepts the findings, not the term"),
        ),
    );
    let r = g.t.response("rev/R1@force").unwrap();
    assert_eq!(r.state, ResponseState::AcceptedInPart);
    assert_eq!(
        r.rationale.as_ref().unwrap().primary(),
        "accepts the findings, not the term"
    );
    // Answering twice is an illegal transition naming what is allowed.
    let e = g.rejects("lead", at(2024, 2, 2), None, respond(Answer::Note, None));
    match e {
        Error::InvalidTransition {
            state,
            command,
            allowed,
            ..
        } => {
            assert_eq!(state, "accepted_in_part");
            assert_eq!(command, "note");
            assert_eq!(allowed, vec!["accept".to_string()]);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn implementation_waits_for_acceptance() {
    let mut g = given();
    let e = g.rejects(
        "lead",
        at(2024, 2, 1),
        None,
        Command::StartImplementation(StartImplementation {
            response: "rev/R1@force".into(),
        }),
    );
    assert!(
        matches!(&e, Error::NotAccepted { decision, .. } if decision == "awaiting"),
        "{e}"
    );
}

#[test]
fn rescheduled_dates_must_be_later() {
    let mut g = given();
    g.start().ok(
        "analyst",
        at(2024, 4, 2),
        None,
        Command::MissMilestone(MissMilestone {
            milestone: "A1/M1".into(),
        }),
    );
    let e = g.rejects(
        "lead",
        at(2024, 4, 3),
        Some("late"),
        Command::RescheduleMilestone(RescheduleMilestone {
            milestone: "A1/M1".into(),
            to: day(2024, 3, 1),
        }),
    );
    assert_eq!(
        e,
        Error::DateNotLater {
            kind: EntityKind::Milestone,
            id: "A1/M1".into(),
            current: day(2024, 3, 31),
            proposed: day(2024, 3, 1),
        }
    );
    g.ok(
        "lead",
        at(2024, 4, 3),
        Some("supplier delay"),
        Command::RescheduleMilestone(RescheduleMilestone {
            milestone: "A1/M1".into(),
            to: day(2024, 5, 31),
        }),
    );
    let m = g.t.milestone("A1/M1").unwrap();
    assert_eq!(m.state, MilestoneState::Pending);
    assert_eq!(m.due.original, day(2024, 3, 31));
    assert_eq!(m.due.current(), day(2024, 5, 31));
    assert_eq!(m.due.revisions[0].approver, "lead");
    assert_eq!(m.times_missed, 1);
}

#[test]
fn achieving_a_milestone_twice_is_illegal() {
    let mut g = given();
    g.start().ok(
        "analyst",
        at(2024, 3, 1),
        None,
        Command::AchieveMilestone(AchieveMilestone {
            milestone: "A1/M1".into(),
            on: None,
        }),
    );
    let e = g.rejects(
        "analyst",
        at(2024, 3, 2),
        None,
        Command::AchieveMilestone(AchieveMilestone {
            milestone: "A1/M1".into(),
            on: None,
        }),
    );
    assert_eq!(e.code(), "invalid_transition");
    assert!(e.to_string().contains("milestone A1/M1 is achieved"), "{e}");
}

#[test]
fn roles_and_bodies_are_enforced() {
    let mut g = given();
    // A reporter may not complete; a verifier may not start; an owner of another body may not start.
    g.start().ok(
        "analyst",
        at(2024, 3, 1),
        None,
        Command::AchieveMilestone(AchieveMilestone {
            milestone: "A1/M1".into(),
            on: None,
        }),
    );
    let e = g.rejects(
        "analyst",
        at(2024, 6, 1),
        None,
        Command::CompleteAction(CompleteAction {
            action: "A1".into(),
        }),
    );
    assert!(
        matches!(&e, Error::NotAuthorised { actor, command, .. } if actor == "analyst" && command == "complete_action"),
        "{e}"
    );
    assert!(
        e.to_string().contains("complete_action needs the role"),
        "{e}"
    );
    let e = g.rejects(
        "council-owner",
        at(2024, 6, 1),
        None,
        Command::CompleteAction(CompleteAction {
            action: "A1".into(),
        }),
    );
    assert!(e.to_string().contains("belongs to force"), "{e}");
    // An unknown actor is an unknown id, never a panic.
    let e = g.rejects(
        "nobody",
        at(2024, 6, 1),
        None,
        Command::CompleteAction(CompleteAction {
            action: "A1".into(),
        }),
    );
    assert!(matches!(
        e,
        Error::UnknownId {
            kind: EntityKind::Actor,
            ..
        }
    ));
}

#[test]
fn the_policy_table_is_data() {
    // A host that lets reporters complete actions changes only the table.
    let mut policy = Policy::default();
    policy.grants.push(Grant {
        role: Role::Reporter,
        commands: vec![CommandKind::CompleteAction],
        scope: Scope::OwnBody,
    });
    let g0 = given();
    let mut g = Given {
        t: Tracker::replay(policy, g0.t.events().to_vec()).unwrap(),
    };
    g.start()
        .ok(
            "analyst",
            at(2024, 3, 1),
            None,
            Command::AchieveMilestone(AchieveMilestone {
                milestone: "A1/M1".into(),
                on: None,
            }),
        )
        .ok(
            "analyst",
            at(2024, 6, 1),
            None,
            Command::CompleteAction(CompleteAction {
                action: "A1".into(),
            }),
        );
}

#[test]
fn unknown_and_duplicate_identifiers() {
    let mut g = given();
    let e = g.rejects(
        "lead",
        at(2024, 2, 1),
        None,
        Command::StartAction(StartAction {
            action: "A9".into(),
        }),
    );
    assert!(matches!(&e, Error::UnknownId { kind: EntityKind::Action, id, .. } if id == "A9"));
    let e = g.rejects(
        "lead",
        at(2024, 2, 1),
        None,
        Command::AddMilestone(AddMilestone {
            id: "A1/M1".into(),
            action: "A1".into(),
            title: Text::new("again"),
            due: day(2024, 5, 1),
        }),
    );
    assert_eq!(
        e,
        Error::DuplicateId {
            kind: EntityKind::Milestone,
            id: "A1/M1".into()
        }
    );
    let e = g.rejects(
        "lead",
        at(2024, 2, 1),
        None,
        Command::AddAction(AddAction {
            id: " ".into(),
            plan: "plan".into(),
            title: Text::new("x"),
            owner: None,
            lead: None,
            answers: vec!["rev/R404".into()],
            theme: None,
            weight: None,
            due: day(2024, 6, 30),
            demonstration_days: None,
        }),
    );
    assert_eq!(e.code(), "invalid");
}

#[test]
fn events_must_be_in_date_order() {
    let mut g = given();
    g.start();
    let e = g.rejects(
        "lead",
        at(2023, 12, 1),
        Some("x"),
        Command::BlockAction(BlockAction {
            action: "A1".into(),
        }),
    );
    assert!(matches!(e, Error::OutOfOrder { .. }));
}

#[test]
fn sign_off_waits_for_the_demonstration_period() {
    let mut g = given();
    g.complete().evidence().ok(
        "officer",
        at(2024, 7, 1),
        None,
        Command::VerifyAction(VerifyAction {
            action: "A1".into(),
        }),
    );
    let e = g.rejects(
        "chair",
        at(2024, 10, 1),
        None,
        Command::SignOff(SignOff {
            about: Subject::action("A1"),
        }),
    );
    assert_eq!(
        e,
        Error::DemonstrationPeriod {
            kind: EntityKind::Action,
            id: "A1".into(),
            until: day(2024, 12, 30)
        }
    );
    g.ok(
        "chair",
        at(2024, 12, 30),
        None,
        Command::SignOff(SignOff {
            about: Subject::action("A1"),
        }),
    );
    let a = g.t.action("A1").unwrap();
    assert_eq!(a.state, ActionState::SignedOff);
    assert_eq!(a.signed_off.as_ref().unwrap().body, "panel");
}

#[test]
fn reply_clock_extension_pause_and_answer() {
    let mut g = given();
    let r = "iopc/R1@force";
    assert_eq!(
        g.t.response(r)
            .unwrap()
            .clock
            .as_ref()
            .unwrap()
            .live_deadline(day(2024, 1, 1)),
        day(2024, 2, 26)
    );
    // Extensions need a reason and a later date, and must come before expiry.
    let e = g.rejects(
        "iopc-lead",
        at(2024, 2, 1),
        None,
        Command::ExtendReplyDeadline(ExtendReplyDeadline {
            response: r.into(),
            until: day(2024, 3, 31),
        }),
    );
    assert_eq!(e.code(), "reason_required");
    g.ok(
        "iopc-lead",
        at(2024, 2, 1),
        Some("asked for on 30 January"),
        Command::ExtendReplyDeadline(ExtendReplyDeadline {
            response: r.into(),
            until: day(2024, 3, 31),
        }),
    );
    g.ok(
        "iopc-lead",
        at(2024, 3, 1),
        Some("judicial review"),
        Command::PauseReplyClock(PauseReplyClock { response: r.into() }),
    );
    g.ok(
        "iopc-lead",
        at(2024, 3, 11),
        None,
        Command::ResumeReplyClock(ResumeReplyClock { response: r.into() }),
    );
    let clock = g.t.response(r).unwrap().clock.clone().unwrap();
    assert_eq!(clock.live_deadline(day(2024, 3, 20)), day(2024, 4, 10));
    assert_eq!(clock.deadline.original, day(2024, 2, 26));
    let e = g.rejects(
        "iopc-lead",
        at(2024, 4, 20),
        Some("late"),
        Command::ExtendReplyDeadline(ExtendReplyDeadline {
            response: r.into(),
            until: day(2024, 5, 31),
        }),
    );
    assert_eq!(
        e,
        Error::DeadlinePassed {
            id: r.into(),
            deadline: day(2024, 4, 10)
        }
    );
    g.ok(
        "lead",
        at(2024, 4, 21),
        None,
        Command::Respond(Respond {
            response: r.into(),
            answer: Answer::Accept,
            statement: None,
            rationale: None,
            visibility: Visibility::Public,
        }),
    );
    assert_eq!(
        g.t.response(r).unwrap().clock.as_ref().unwrap().answered,
        Some(day(2024, 4, 21))
    );
}

#[test]
fn target_date_history_is_kept() {
    let mut g = given();
    let e = g.rejects(
        "lead",
        at(2024, 2, 1),
        None,
        Command::ReviseTargetDate(ReviseTargetDate {
            subject: Subject::action("A1"),
            to: day(2024, 9, 30),
        }),
    );
    assert_eq!(e.code(), "reason_required");
    g.ok(
        "lead",
        at(2024, 2, 1),
        Some("budget"),
        Command::ReviseTargetDate(ReviseTargetDate {
            subject: Subject::action("A1"),
            to: day(2024, 9, 30),
        }),
    )
    .ok(
        "lead",
        at(2024, 8, 1),
        Some("vetting"),
        Command::ReviseTargetDate(ReviseTargetDate {
            subject: Subject::action("A1"),
            to: day(2024, 12, 31),
        }),
    );
    let due = &g.t.action("A1").unwrap().due;
    assert_eq!(due.original, day(2024, 6, 30));
    assert_eq!(due.current(), day(2024, 12, 31));
    assert_eq!(due.revision_count(), 2);
    assert_eq!(due.days_moved(), 184);
}

#[test]
fn decisions_ratings_and_visibility() {
    let mut g = given();
    let e = g.rejects(
        "chair",
        at(2024, 3, 1),
        None,
        Command::RecordDecision(RecordDecision {
            id: "D1".into(),
            committee: "panel".into(),
            meeting: day(2024, 3, 1),
            about: Subject::plan("plan"),
            outcome: ScrutinyOutcome::FurtherReportRequested,
            report_due: None,
            minute: None,
        }),
    );
    assert_eq!(e.code(), "invalid");
    // A scrutineer records decisions only for their own committee.
    let e = g.rejects(
        "chair",
        at(2024, 3, 1),
        None,
        Command::RecordDecision(RecordDecision {
            id: "D1".into(),
            committee: "council".into(),
            meeting: day(2024, 3, 1),
            about: Subject::plan("plan"),
            outcome: ScrutinyOutcome::Noted,
            report_due: None,
            minute: None,
        }),
    );
    assert_eq!(e.code(), "not_authorised");
    g.ok(
        "chair",
        at(2024, 3, 1),
        None,
        Command::RecordDecision(RecordDecision {
            id: "D1".into(),
            committee: "panel".into(),
            meeting: day(2024, 3, 1),
            about: Subject::plan("plan"),
            outcome: ScrutinyOutcome::FurtherReportRequested,
            report_due: Some(day(2024, 6, 1)),
            minute: None,
        }),
    );
    g.ok(
        "lead",
        at(2024, 3, 2),
        None,
        Command::Rate(Rate {
            about: Subject::action("A1"),
            rag: Rag::Green,
            assessment: Assessment::SelfAssessment,
        }),
    )
    .ok(
        "chair",
        at(2024, 3, 2),
        None,
        Command::Rate(Rate {
            about: Subject::action("A1"),
            rag: Rag::Red,
            assessment: Assessment::Independent,
        }),
    )
    .ok(
        "lead",
        at(2024, 3, 3),
        None,
        Command::AddNote(AddNote {
            about: Subject::action("A1"),
            text: Text::new("staff shortages"),
            visibility: Visibility::Internal,
        }),
    );
    assert!(g.t.action("A1").unwrap().ratings.disagree());
    // The owner cannot give the independent rating.
    let e = g.rejects(
        "lead",
        at(2024, 3, 3),
        None,
        Command::Rate(Rate {
            about: Subject::action("A1"),
            rag: Rag::Green,
            assessment: Assessment::Independent,
        }),
    );
    assert_eq!(e.code(), "not_authorised");
    // The public document leaves the internal note out and still replays.
    let public = g.t.to_public_document();
    assert_eq!(public.events.len(), g.t.events().len() - 1);
    let t = Tracker::from_document(public).unwrap();
    assert!(t.notes().is_empty());
    assert_eq!(g.t.notes().len(), 1);
}

#[test]
fn overlaps_across_reviews_are_queryable() {
    let mut g = given();
    g.ok(
        "iopc-lead",
        at(2024, 2, 1),
        None,
        Command::LinkRecommendations(LinkRecommendations {
            from: "iopc/R1".into(),
            relation: Relation::Overlaps,
            to: "rev/R1".into(),
        }),
    );
    g.ok(
        "lead",
        at(2024, 2, 1),
        None,
        Command::AddAction(AddAction {
            id: "A2".into(),
            plan: "plan".into(),
            title: Text::new("Joint training"),
            owner: None,
            lead: None,
            answers: vec!["rev/R1".into(), "iopc/R1".into()],
            theme: None,
            weight: None,
            due: day(2024, 9, 30),
            demonstration_days: None,
        }),
    );
    let o = g.t.overlaps();
    assert!(o.contains(&("iopc/R1".into(), "rev/R1".into(), "overlaps".into())));
    assert!(o.contains(&("rev/R1".into(), "iopc/R1".into(), "answered_by:A2".into())));
    assert_eq!(g.t.actions_answering("iopc/R1").count(), 1);
}

#[test]
fn as_of_a_past_date_and_history() {
    let mut g = given();
    g.complete();
    let before = g.t.as_of(day(2024, 2, 15));
    assert_eq!(before.action("A1").unwrap().state, ActionState::InProgress);
    assert_eq!(
        before.milestone("A1/M1").unwrap().state,
        MilestoneState::Pending
    );
    let h: Vec<&str> =
        g.t.history(&Subject::action("A1"))
            .iter()
            .map(|e| e.name())
            .collect();
    assert_eq!(
        h,
        vec![
            "ActionAdded",
            "MilestoneAdded",
            "ActionStarted",
            "MilestoneAchieved",
            "ActionCompleted"
        ]
    );
}

#[test]
fn a_damaged_log_is_refused_not_panicked_on() {
    let g = given();
    let mut events = g.t.events().to_vec();
    events.remove(3);
    let e = Tracker::replay(Policy::default(), events).unwrap_err();
    assert!(matches!(e, Error::CorruptLog { seq: 5, .. }), "{e}");
    let mut events = g.t.events().to_vec();
    if let Command::AddMilestone(AddMilestone { action, .. }) =
        &mut events.last_mut().unwrap().command
    {
        *action = "nope".into();
    }
    let e = Tracker::replay(Policy::default(), events).unwrap_err();
    assert!(e.to_string().contains("unknown action"), "{e}");
}

#[test]
fn documents_and_logs_reject_bad_input_clearly() {
    let e = Tracker::from_json("{\"format\": \"dueregard\", \"version\": 1,\n \"policy\": 3}")
        .unwrap_err();
    assert!(matches!(e, Error::Parse { line: Some(2), .. }), "{e}");
    let mut doc = example::tracker().to_document();
    doc.version = 99;
    assert!(matches!(
        Tracker::from_document(doc).unwrap_err(),
        Error::UnsupportedVersion { found: 99, .. }
    ));
    let e = events_from_jsonl("\n{\"seq\": 1}\n".as_bytes()).unwrap_err();
    assert!(matches!(e, Error::Parse { line: Some(2), .. }), "{e}");
}

#[test]
fn command_logs_count_rejections_by_line() {
    let g = given();
    let mut t = g.t.clone();
    let log = [
        serde_json::to_string(&Submission::new(
            "lead",
            at(2024, 2, 1),
            Command::StartAction(StartAction {
                action: "A1".into(),
            }),
        ))
        .unwrap(),
        serde_json::to_string(&Submission::new(
            "lead",
            at(2024, 2, 2),
            Command::StartAction(StartAction {
                action: "A1".into(),
            }),
        ))
        .unwrap(),
        serde_json::to_string(&Submission::new(
            "officer",
            at(2024, 2, 3),
            Command::VerifyAction(VerifyAction {
                action: "A1".into(),
            }),
        ))
        .unwrap(),
    ]
    .join("\n");
    let out = t.run_command_log(log.as_bytes()).unwrap();
    assert_eq!(out.applied, 1);
    assert_eq!(
        out.rejected
            .iter()
            .map(|(l, e)| (*l, e.code()))
            .collect::<Vec<_>>(),
        vec![(2, "invalid_transition"), (3, "invalid_transition")]
    );
}

#[test]
fn a_unit_counts_toward_its_parent_body() {
    let mut g = given();
    let e = g.rejects(
        "admin",
        at(2024, 2, 1),
        None,
        Command::RegisterBody(RegisterBody {
            id: "bcu".into(),
            name: Text::new("Borough command unit"),
            kind: BodyKind::PoliceForce,
            parent: Some("nowhere".into()),
        }),
    );
    assert!(
        matches!(
            e,
            Error::UnknownId {
                kind: EntityKind::Body,
                ..
            }
        ),
        "{e}"
    );
    g.ok(
        "admin",
        at(2024, 2, 1),
        None,
        Command::RegisterBody(RegisterBody {
            id: "bcu".into(),
            name: Text::new("Borough command unit"),
            kind: BodyKind::PoliceForce,
            parent: Some("force".into()),
        }),
    );
    assert!(g.t.is_within("bcu", "force"));
    assert!(g.t.is_within("force", "force"));
    assert!(!g.t.is_within("force", "bcu"));
    assert!(!g.t.is_within("council", "force"));
    assert!(!g.t.is_within("unknown", "force"));
}

#[test]
fn borough_actions_cover_the_force_in_the_example() {
    let t = example::tracker();
    let cov = view::coverage(&t, example::as_of());
    let row = cov
        .rows
        .iter()
        .find(|r| r.recommendation == "casey-2023/R9" && r.addressee == "met")
        .expect("row for R9 and the Met");
    assert!(
        row.actions.iter().any(|a| a.starts_with("islington-lap/")),
        "{row:?}"
    );
}

#[test]
fn a_batch_is_all_or_nothing() {
    let mut g = given();
    let before = g.t.clone();
    let start = || Submission::new("lead", at(2024, 2, 1), StartAction::new("A1").into());
    let complete = Submission::new("lead", at(2024, 2, 2), CompleteAction::new("A1").into());
    let e = g.t.execute_batch(vec![start(), complete]).unwrap_err();
    assert_eq!((e.index, e.error.code()), (1, "milestones_pending"));
    assert!(
        e.to_string()
            .starts_with("submission 1 of the batch was rejected"),
        "{e}"
    );
    assert_eq!(g.t, before);
    assert_eq!(g.t.execute_batch(vec![start()]).unwrap(), 1);
    let last = g.t.events().get(g.t.events().len() - 1).unwrap();
    assert_eq!(
        (last.seq, last.name()),
        (before.version() + 1, "ActionStarted")
    );
}

#[test]
fn a_batch_not_committed_is_undone_and_a_committed_one_kept() {
    let mut g = given();
    let before = g.t.clone();
    let start = Submission::new("lead", at(2024, 2, 1), StartAction::new("A1").into());
    let mut batch = g.t.batch(1);
    assert_eq!(
        batch.execute(start.clone()).unwrap().name(),
        "ActionStarted"
    );
    // A rejected command inside a batch changes nothing and the batch goes on.
    let again = batch.execute(start.clone()).unwrap_err();
    assert_eq!(again.code(), "invalid_transition");
    assert_eq!(batch.events().len(), 1);
    assert_eq!(
        batch.tracker().action("A1").unwrap().state,
        ActionState::InProgress
    );
    drop(batch);
    assert_eq!(g.t, before);
    let mut batch = g.t.batch(1);
    batch.execute(start).unwrap();
    assert_eq!(batch.commit(), 1);
    assert_eq!(g.t.action("A1").unwrap().state, ActionState::InProgress);
}

#[test]
fn commands_and_submissions_read_from_json_with_typed_errors() {
    let c = Command::from_json(r#"{"start_action": {"action": "A1"}}"#).unwrap();
    assert_eq!(
        c,
        Command::StartAction(StartAction {
            action: "A1".into()
        })
    );
    let e = Command::from_json(r#"{"start_action": {"acton": "A1"}}"#).unwrap_err();
    assert!(matches!(e, Error::Parse { .. }), "{e}");
    assert!(e.to_string().contains("acton"), "{e}");
    let e = Submission::from_json("{").unwrap_err();
    assert_eq!(e.code(), "parse");
}

#[test]
fn the_answer_index_matches_a_scan_of_every_action() {
    let t = example::tracker();
    let mut answered = 0;
    for r in t.recommendations() {
        let indexed: Vec<&str> = t.actions_answering(&r.id).map(|a| a.id.as_str()).collect();
        let scanned: Vec<&str> = t
            .actions()
            .filter(|a| a.answers.contains(&r.id))
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(indexed, scanned, "{}", r.id);
        answered += usize::from(!indexed.is_empty());
    }
    assert!(answered > 10, "{answered}");
}

impl Given {
    /// Registers an actor holding several roles, as councils often grant.
    fn actor(&mut self, id: &str, body: &str, roles: &[Role]) -> &mut Self {
        self.ok(
            "admin",
            at(2024, 1, 2),
            None,
            Command::RegisterActor(RegisterActor {
                id: id.into(),
                name: id.into(),
                body: body.into(),
                roles: roles.to_vec(),
            }),
        )
    }
}

fn sign_off(about: Subject) -> Command {
    Command::SignOff(SignOff { about })
}

fn signature_clash(e: &Error) -> (&'static str, &str, &str) {
    match e {
        Error::SelfVerification {
            step,
            claimant,
            scope,
            ..
        } => (*step, claimant.as_str(), *scope),
        other => panic!("expected a separation-of-duties error, got {other}"),
    }
}

/// Claim, verification and sign-off of an action are three signatures by
/// three actors: one test per pair (claim/verify is tested above).
#[test]
fn an_action_is_claimed_verified_and_signed_off_by_three_actors() {
    let mut g = given();
    g.actor("lead-chair", "force", &[Role::Owner, Role::Scrutineer])
        .actor(
            "officer-chair",
            "council",
            &[Role::Verifier, Role::Scrutineer],
        );
    g.start()
        .ok(
            "analyst",
            at(2024, 3, 1),
            None,
            Command::AchieveMilestone(AchieveMilestone {
                milestone: "A1/M1".into(),
                on: None,
            }),
        )
        .evidence()
        .ok(
            "lead-chair",
            at(2024, 6, 2),
            None,
            Command::CompleteAction(CompleteAction {
                action: "A1".into(),
            }),
        )
        .ok(
            "officer-chair",
            at(2024, 7, 1),
            None,
            Command::VerifyAction(VerifyAction {
                action: "A1".into(),
            }),
        );
    let after_period = at(2025, 1, 6);
    // The verifier cannot sign off what they verified…
    let e = g.rejects(
        "officer-chair",
        after_period,
        None,
        sign_off(Subject::action("A1")),
    );
    assert_eq!(
        signature_clash(&e),
        ("verified", "officer-chair", "actor"),
        "{e}"
    );
    assert!(
        e.to_string().contains("was verified by officer-chair"),
        "{e}"
    );
    // …nor the claimant what they claimed…
    let e = g.rejects(
        "lead-chair",
        after_period,
        None,
        sign_off(Subject::action("A1")),
    );
    assert_eq!(
        signature_clash(&e),
        ("claimed", "lead-chair", "actor"),
        "{e}"
    );
    // …but a third actor can.
    g.ok("chair", after_period, None, sign_off(Subject::action("A1")));
    let a = g.t.action("A1").unwrap();
    assert_eq!(a.signed_off.as_ref().unwrap().actor, "chair");
}

/// The same for a response's implementation, and the policy switch that
/// wants the sign-off from a body other than the claimant's and the verifier's.
#[test]
fn an_implementation_is_signed_off_by_a_third_actor_and_where_asked_a_third_body() {
    let mut g = given();
    g.actor(
        "lead-chair",
        "force",
        &[Role::Owner, Role::Verifier, Role::Scrutineer],
    )
    .actor(
        "officer-chair",
        "council",
        &[Role::Verifier, Role::Scrutineer],
    )
    .actor("council-chair", "council", &[Role::Scrutineer]);
    let response = "rev/R1@force";
    g.ok(
        "lead",
        at(2024, 2, 1),
        None,
        Command::Respond(Respond {
            response: response.into(),
            answer: Answer::Accept,
            statement: None,
            rationale: None,
            visibility: Visibility::Public,
        }),
    )
    .ok(
        "lead-chair",
        at(2024, 3, 1),
        None,
        Command::ClaimImplemented(ClaimImplemented {
            response: response.into(),
        }),
    )
    .ok(
        "lead",
        at(2024, 3, 2),
        None,
        Command::SubmitEvidence(SubmitEvidence {
            id: "E-R1".into(),
            about: Subject::response(response),
            reference: "recruitment plan, published".into(),
            description: Text::new("the plan as published"),
            visibility: Visibility::Public,
        }),
    );
    let e = g.rejects(
        "lead-chair",
        at(2024, 3, 3),
        None,
        Command::VerifyImplementation(VerifyImplementation {
            response: response.into(),
        }),
    );
    assert_eq!(
        signature_clash(&e),
        ("claimed", "lead-chair", "actor"),
        "{e}"
    );
    g.ok(
        "officer-chair",
        at(2024, 3, 4),
        None,
        Command::VerifyImplementation(VerifyImplementation {
            response: response.into(),
        }),
    );
    let later = at(2024, 10, 1);
    let e = g.rejects(
        "officer-chair",
        later,
        None,
        sign_off(Subject::response(response)),
    );
    assert_eq!(
        signature_clash(&e),
        ("verified", "officer-chair", "actor"),
        "{e}"
    );
    let e = g.rejects(
        "lead-chair",
        later,
        None,
        sign_off(Subject::response(response)),
    );
    assert_eq!(
        signature_clash(&e),
        ("claimed", "lead-chair", "actor"),
        "{e}"
    );
    // Under the default policy another actor of the verifier's body may sign off…
    let mut same_body = Given { t: g.t.clone() };
    same_body.ok(
        "council-chair",
        later,
        None,
        sign_off(Subject::response(response)),
    );
    // …but not when the policy wants a third body.
    let policy = Policy {
        signer_from_other_body: true,
        ..Policy::default()
    };
    let mut strict = Given {
        t: Tracker::replay(policy, g.t.events().to_vec()).unwrap(),
    };
    let e = strict.rejects(
        "council-chair",
        later,
        None,
        sign_off(Subject::response(response)),
    );
    assert_eq!(signature_clash(&e), ("verified", "council", "body"), "{e}");
    strict.ok("chair", later, None, sign_off(Subject::response(response)));
    let r = strict.t.response(response).unwrap();
    let bodies: Vec<&str> = [&r.claimed, &r.verified, &r.signed_off]
        .iter()
        .map(|s| s.as_ref().unwrap().body.as_str())
        .collect();
    assert_eq!(bodies, ["force", "council", "panel"]);
}
