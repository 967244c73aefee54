//! One test per rule of the model: each rejected command gets its own typed
//! error and changes nothing.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use dueregard::commands::{
    AchieveMilestone, AddAction, AddMilestone, AddNote, AddRecommendation, BlockAction,
    ClaimImplemented, CompleteAction, CreatePlan, ExtendReplyDeadline, LinkRecommendations,
    MissMilestone, PauseReplyClock, PublishReview, Rate, RecordDecision, RegisterBody,
    RescheduleMilestone, Respond, ResumeReplyClock, ReviseTargetDate, SignOff, StartAction,
    StartImplementation, SubmitEvidence, VerifyAction, VerifyImplementation, WaiveMilestone,
};
use dueregard::fixture::Given;
use dueregard::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap()
}

/// The standard cast ([`Given::new`]) and, all on 2024-01-01: the panel's
/// review `rev` with `rev/R1` to the force (due 2024-12-31, 182 days'
/// demonstration), the IOPC's report `iopc` with `iopc/R1` (a 56-day reply
/// duty), and the force's `plan` with action `A1` answering `rev/R1` (due
/// 2024-06-30, 182 days' demonstration) and its milestone `A1/M1` (due
/// 2024-03-31).
fn given() -> Given {
    let mut g = Given::new();
    let t0 = at(2024, 1, 1);
    let to_force = || vec!["force".to_string()];
    g.ok(
        "chair",
        t0,
        None,
        PublishReview::new(
            "rev",
            "Panel report",
            ReviewKind::PanelReport,
            "panel",
            day(2024, 1, 1),
        )
        .into(),
    )
    .ok(
        "chair",
        t0,
        None,
        AddRecommendation {
            due: Some(day(2024, 12, 31)),
            demonstration_days: Some(182),
            ..AddRecommendation::new(
                "rev/R1",
                "rev",
                "1",
                "Publish a recruitment plan",
                to_force(),
            )
        }
        .into(),
    )
    .ok(
        "iopc-lead",
        t0,
        None,
        PublishReview::new(
            "iopc",
            "Learning report",
            ReviewKind::Investigation,
            "iopc",
            day(2024, 1, 1),
        )
        .into(),
    )
    .ok(
        "iopc-lead",
        t0,
        None,
        AddRecommendation {
            reply_within_days: Some(56),
            ..AddRecommendation::new("iopc/R1", "iopc", "1", "Review training", to_force())
        }
        .into(),
    )
    .ok(
        "lead",
        t0,
        None,
        CreatePlan {
            reviews: vec!["rev".into()],
            ..CreatePlan::new("plan", "Local action plan", PlanKind::Local, "force")
        }
        .into(),
    )
    .ok(
        "lead",
        t0,
        None,
        AddAction {
            answers: vec!["rev/R1".into()],
            demonstration_days: Some(182),
            ..AddAction::new("A1", "plan", "Recruit", day(2024, 6, 30))
        }
        .into(),
    )
    .ok(
        "lead",
        t0,
        None,
        AddMilestone::new("A1/M1", "A1", "Adverts out", day(2024, 3, 31)).into(),
    );
    g
}

/// The lead's evidence for `A1` (submitted on 2024-06-01 in these tests).
/// A1 started by its lead and its milestone achieved by the analyst.
fn under_way(g: &mut Given) -> &mut Given {
    g.ok("lead", at(2024, 2, 1), None, StartAction::new("A1").into())
        .ok(
            "analyst",
            at(2024, 3, 1),
            None,
            AchieveMilestone::new("A1/M1").into(),
        )
}

fn recruitment_figures() -> Command {
    let about = Subject::action("A1");
    SubmitEvidence::new("E1", about, "report 12", "recruitment figures").into()
}

#[test]
fn completing_with_a_pending_milestone_is_refused_until_waived() {
    let mut g = given();
    g.ok("lead", at(2024, 2, 1), None, StartAction::new("A1").into());
    let e = g.rejects(
        "lead",
        at(2024, 6, 1),
        None,
        CompleteAction::new("A1").into(),
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
        WaiveMilestone::new("A1/M1").into(),
    );
    assert_eq!(e.code(), "reason_required");
    g.ok(
        "lead",
        at(2024, 6, 1),
        Some("adverts replaced by a recruitment fair"),
        WaiveMilestone::new("A1/M1").into(),
    );
    g.ok(
        "lead",
        at(2024, 6, 1),
        None,
        CompleteAction::new("A1").into(),
    );
    assert_eq!(
        g.tracker().action("A1").unwrap().state,
        ActionState::Completed
    );
    assert_eq!(
        g.tracker().milestone("A1/M1").unwrap().waiver.as_deref(),
        Some("adverts replaced by a recruitment fair")
    );
}

#[test]
fn verification_needs_evidence() {
    let mut g = given();
    under_way(&mut g).ok(
        "lead",
        at(2024, 6, 1),
        None,
        CompleteAction::new("A1").into(),
    );
    let e = g.rejects(
        "officer",
        at(2024, 7, 1),
        None,
        VerifyAction::new("A1").into(),
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
    g.ok("lead", at(2024, 6, 1), None, recruitment_figures());
    g.ok(
        "officer",
        at(2024, 7, 1),
        None,
        VerifyAction::new("A1").into(),
    );
    let a = g.tracker().action("A1").unwrap();
    assert_eq!(a.state, ActionState::Verified);
    assert_eq!(a.claimed.as_ref().unwrap().actor, "lead");
    assert_eq!(a.verified.as_ref().unwrap().actor, "officer");
}

#[test]
fn the_claimant_cannot_verify_their_own_claim() {
    let mut g = given();
    under_way(&mut g)
        .ok("lead", at(2024, 6, 1), None, recruitment_figures())
        .ok(
            "lead2",
            at(2024, 6, 2),
            None,
            CompleteAction::new("A1").into(),
        );
    let e = g.rejects(
        "lead2",
        at(2024, 7, 1),
        None,
        VerifyAction::new("A1").into(),
    );
    assert!(
        matches!(&e, Error::SelfVerification { claimant, scope, .. } if claimant == "lead2" && *scope == "actor"),
        "{e}"
    );
    // Another actor of the same body may verify under the default policy…
    let mut same_body = g.clone();
    same_body.actor("force-verifier", "force", &[Role::Verifier]);
    same_body.ok(
        "force-verifier",
        at(2024, 7, 1),
        None,
        VerifyAction::new("A1").into(),
    );
    // …but not when the policy wants another body.
    let policy = Policy {
        verifier_from_other_body: true,
        ..Policy::default()
    };
    let strict = Tracker::replay(policy, g.tracker().events().to_vec()).unwrap();
    let mut strict = Given::from(strict);
    strict.actor("force-verifier", "force", &[Role::Verifier]);
    let e = strict.rejects(
        "force-verifier",
        at(2024, 7, 1),
        None,
        VerifyAction::new("A1").into(),
    );
    assert!(
        matches!(&e, Error::SelfVerification { scope, .. } if *scope == "body"),
        "{e}"
    );
    strict.ok(
        "officer",
        at(2024, 7, 1),
        None,
        VerifyAction::new("A1").into(),
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
    let r = g.tracker().response("rev/R1@force").unwrap();
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
        StartImplementation::new("rev/R1@force").into(),
    );
    assert!(
        matches!(&e, Error::NotAccepted { decision, .. } if decision == "awaiting"),
        "{e}"
    );
}

#[test]
fn rescheduled_dates_must_be_later() {
    let mut g = given();
    g.ok("lead", at(2024, 2, 1), None, StartAction::new("A1").into())
        .ok(
            "analyst",
            at(2024, 4, 2),
            None,
            MissMilestone::new("A1/M1").into(),
        );
    let e = g.rejects(
        "lead",
        at(2024, 4, 3),
        Some("late"),
        RescheduleMilestone::new("A1/M1", day(2024, 3, 1)).into(),
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
        RescheduleMilestone::new("A1/M1", day(2024, 5, 31)).into(),
    );
    let m = g.tracker().milestone("A1/M1").unwrap();
    assert_eq!(m.state, MilestoneState::Pending);
    assert_eq!(m.due.original, day(2024, 3, 31));
    assert_eq!(m.due.current(), day(2024, 5, 31));
    assert_eq!(m.due.revisions[0].approver, "lead");
    assert_eq!(m.times_missed, 1);
}

#[test]
fn achieving_a_milestone_twice_is_illegal() {
    let mut g = given();
    under_way(&mut g);
    let e = g.rejects(
        "analyst",
        at(2024, 3, 2),
        None,
        AchieveMilestone::new("A1/M1").into(),
    );
    assert_eq!(e.code(), "invalid_transition");
    assert!(e.to_string().contains("milestone A1/M1 is achieved"), "{e}");
}

#[test]
fn roles_and_bodies_are_enforced() {
    let mut g = given();
    // A reporter may not complete; a verifier may not start; an owner of another body may not start.
    under_way(&mut g);
    let e = g.rejects(
        "analyst",
        at(2024, 6, 1),
        None,
        CompleteAction::new("A1").into(),
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
        CompleteAction::new("A1").into(),
    );
    assert!(e.to_string().contains("belongs to force"), "{e}");
    // An unknown actor is an unknown id, never a panic.
    let e = g.rejects(
        "nobody",
        at(2024, 6, 1),
        None,
        CompleteAction::new("A1").into(),
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
    let mut g = Given::from(Tracker::replay(policy, g0.tracker().events().to_vec()).unwrap());
    under_way(&mut g).ok(
        "analyst",
        at(2024, 6, 1),
        None,
        CompleteAction::new("A1").into(),
    );
}

#[test]
fn unknown_and_duplicate_identifiers() {
    let mut g = given();
    let e = g.rejects("lead", at(2024, 2, 1), None, StartAction::new("A9").into());
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
    g.ok("lead", at(2024, 2, 1), None, StartAction::new("A1").into());
    let e = g.rejects(
        "lead",
        at(2023, 12, 1),
        Some("x"),
        BlockAction::new("A1").into(),
    );
    assert!(matches!(e, Error::OutOfOrder { .. }));
}

#[test]
fn sign_off_waits_for_the_demonstration_period() {
    let mut g = given();
    under_way(&mut g)
        .ok(
            "lead",
            at(2024, 6, 1),
            None,
            CompleteAction::new("A1").into(),
        )
        .ok("lead", at(2024, 6, 1), None, recruitment_figures())
        .ok(
            "officer",
            at(2024, 7, 1),
            None,
            VerifyAction::new("A1").into(),
        );
    let e = g.rejects(
        "chair",
        at(2024, 10, 1),
        None,
        SignOff::new(Subject::action("A1")).into(),
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
        SignOff::new(Subject::action("A1")).into(),
    );
    let a = g.tracker().action("A1").unwrap();
    assert_eq!(a.state, ActionState::SignedOff);
    assert_eq!(a.signed_off.as_ref().unwrap().body, "panel");
}

#[test]
fn reply_clock_extension_pause_and_answer() {
    let mut g = given();
    let r = "iopc/R1@force";
    assert_eq!(
        g.tracker()
            .response(r)
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
        ExtendReplyDeadline::new(r, day(2024, 3, 31)).into(),
    );
    assert_eq!(e.code(), "reason_required");
    g.ok(
        "iopc-lead",
        at(2024, 2, 1),
        Some("asked for on 30 January"),
        ExtendReplyDeadline::new(r, day(2024, 3, 31)).into(),
    );
    g.ok(
        "iopc-lead",
        at(2024, 3, 1),
        Some("judicial review"),
        PauseReplyClock::new(r).into(),
    );
    g.ok(
        "iopc-lead",
        at(2024, 3, 11),
        None,
        ResumeReplyClock::new(r).into(),
    );
    let clock = g.tracker().response(r).unwrap().clock.clone().unwrap();
    assert_eq!(clock.live_deadline(day(2024, 3, 20)), day(2024, 4, 10));
    assert_eq!(clock.deadline.original, day(2024, 2, 26));
    let e = g.rejects(
        "iopc-lead",
        at(2024, 4, 20),
        Some("late"),
        ExtendReplyDeadline::new(r, day(2024, 5, 31)).into(),
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
        Respond::new(r, Answer::Accept).into(),
    );
    assert_eq!(
        g.tracker()
            .response(r)
            .unwrap()
            .clock
            .as_ref()
            .unwrap()
            .answered,
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
        ReviseTargetDate::new(Subject::action("A1"), day(2024, 9, 30)).into(),
    );
    assert_eq!(e.code(), "reason_required");
    g.ok(
        "lead",
        at(2024, 2, 1),
        Some("budget"),
        ReviseTargetDate::new(Subject::action("A1"), day(2024, 9, 30)).into(),
    )
    .ok(
        "lead",
        at(2024, 8, 1),
        Some("vetting"),
        ReviseTargetDate::new(Subject::action("A1"), day(2024, 12, 31)).into(),
    );
    let due = &g.tracker().action("A1").unwrap().due;
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
        Rate::new(
            Subject::action("A1"),
            Rag::Green,
            Assessment::SelfAssessment,
        )
        .into(),
    )
    .ok(
        "chair",
        at(2024, 3, 2),
        None,
        Rate::new(Subject::action("A1"), Rag::Red, Assessment::Independent).into(),
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
    assert!(g.tracker().action("A1").unwrap().ratings.disagree());
    // The owner cannot give the independent rating.
    let e = g.rejects(
        "lead",
        at(2024, 3, 3),
        None,
        Rate::new(Subject::action("A1"), Rag::Green, Assessment::Independent).into(),
    );
    assert_eq!(e.code(), "not_authorised");
    // The public document leaves the internal note out and still replays.
    let public = g.tracker().to_public_document();
    assert_eq!(public.events.len(), g.tracker().events().len() - 1);
    let t = Tracker::from_document(public).unwrap();
    assert!(t.notes().is_empty());
    assert_eq!(g.tracker().notes().len(), 1);
}

#[test]
fn overlaps_across_reviews_are_queryable() {
    let mut g = given();
    g.ok(
        "iopc-lead",
        at(2024, 2, 1),
        None,
        LinkRecommendations::new("iopc/R1", Relation::Overlaps, "rev/R1").into(),
    );
    g.ok(
        "lead",
        at(2024, 2, 1),
        None,
        AddAction {
            answers: vec!["rev/R1".into(), "iopc/R1".into()],
            ..AddAction::new("A2", "plan", "Joint training", day(2024, 9, 30))
        }
        .into(),
    );
    let o = g.tracker().overlaps();
    assert!(o.contains(&("iopc/R1".into(), "rev/R1".into(), "overlaps".into())));
    assert!(o.contains(&("rev/R1".into(), "iopc/R1".into(), "answered_by:A2".into())));
    assert_eq!(g.tracker().actions_answering("iopc/R1").count(), 1);
}

#[test]
fn as_of_a_past_date_and_history() {
    let mut g = given();
    under_way(&mut g).ok(
        "lead",
        at(2024, 6, 1),
        None,
        CompleteAction::new("A1").into(),
    );
    let before = g.tracker().as_of(day(2024, 2, 15));
    assert_eq!(before.action("A1").unwrap().state, ActionState::InProgress);
    assert_eq!(
        before.milestone("A1/M1").unwrap().state,
        MilestoneState::Pending
    );
    let h: Vec<&str> = g
        .tracker()
        .history(&Subject::action("A1"))
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
    let mut events = g.tracker().events().to_vec();
    events.remove(3);
    let e = Tracker::replay(Policy::default(), events).unwrap_err();
    assert!(matches!(e, Error::CorruptLog { seq: 5, .. }), "{e}");
    let mut events = g.tracker().events().to_vec();
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
    let mut t = given().into_tracker();
    let log = [
        serde_json::to_string(&Submission::new(
            "lead",
            at(2024, 2, 1),
            StartAction::new("A1").into(),
        ))
        .unwrap(),
        serde_json::to_string(&Submission::new(
            "lead",
            at(2024, 2, 2),
            StartAction::new("A1").into(),
        ))
        .unwrap(),
        serde_json::to_string(&Submission::new(
            "officer",
            at(2024, 2, 3),
            VerifyAction::new("A1").into(),
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
        RegisterBody {
            parent: Some("nowhere".into()),
            ..RegisterBody::new("bcu", "Borough command unit", BodyKind::PoliceForce)
        }
        .into(),
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
        RegisterBody {
            parent: Some("force".into()),
            ..RegisterBody::new("bcu", "Borough command unit", BodyKind::PoliceForce)
        }
        .into(),
    );
    assert!(g.tracker().is_within("bcu", "force"));
    assert!(g.tracker().is_within("force", "force"));
    assert!(!g.tracker().is_within("force", "bcu"));
    assert!(!g.tracker().is_within("council", "force"));
    assert!(!g.tracker().is_within("unknown", "force"));
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
    let mut t = given().into_tracker();
    let before = t.clone();
    let start = || Submission::new("lead", at(2024, 2, 1), StartAction::new("A1").into());
    let complete = Submission::new("lead", at(2024, 2, 2), CompleteAction::new("A1").into());
    let e = t.execute_batch(vec![start(), complete]).unwrap_err();
    assert_eq!((e.index, e.error.code()), (1, "milestones_pending"));
    assert!(
        e.to_string()
            .starts_with("submission 1 of the batch was rejected"),
        "{e}"
    );
    assert_eq!(t, before);
    assert_eq!(t.execute_batch(vec![start()]).unwrap(), 1);
    let last = t.events().get(t.events().len() - 1).unwrap();
    assert_eq!(
        (last.seq, last.name()),
        (before.version() + 1, "ActionStarted")
    );
}

#[test]
fn a_batch_not_committed_is_undone_and_a_committed_one_kept() {
    let mut t = given().into_tracker();
    let before = t.clone();
    let start = Submission::new("lead", at(2024, 2, 1), StartAction::new("A1").into());
    let mut batch = t.batch(1);
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
    assert_eq!(t, before);
    let mut batch = t.batch(1);
    batch.execute(start).unwrap();
    assert_eq!(batch.commit(), 1);
    assert_eq!(t.action("A1").unwrap().state, ActionState::InProgress);
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

fn sign_off(about: Subject) -> Command {
    SignOff::new(about).into()
}

/// Runs a verification or sign-off that must be refused for separation of
/// duties, checks which earlier signature it clashed with (step, who, scope)
/// and returns the error.
fn refuses_signature(
    g: &mut Given,
    actor: &str,
    when: DateTime<Utc>,
    command: Command,
    expected: (&str, &str, &str),
) -> Error {
    let e = g.rejects(actor, when, None, command);
    assert_eq!(signature_clash(&e), expected, "{e}");
    e
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
    under_way(&mut g)
        .ok("lead", at(2024, 6, 1), None, recruitment_figures())
        .ok(
            "lead-chair",
            at(2024, 6, 2),
            None,
            CompleteAction::new("A1").into(),
        )
        .ok(
            "officer-chair",
            at(2024, 7, 1),
            None,
            VerifyAction::new("A1").into(),
        );
    let after_period = at(2025, 1, 6);
    // The verifier cannot sign off what they verified…
    let e = refuses_signature(
        &mut g,
        "officer-chair",
        after_period,
        sign_off(Subject::action("A1")),
        ("verified", "officer-chair", "actor"),
    );
    assert!(
        e.to_string().contains("was verified by officer-chair"),
        "{e}"
    );
    // …nor the claimant what they claimed…
    refuses_signature(
        &mut g,
        "lead-chair",
        after_period,
        sign_off(Subject::action("A1")),
        ("claimed", "lead-chair", "actor"),
    );
    // …but a third actor can.
    g.ok("chair", after_period, None, sign_off(Subject::action("A1")));
    let a = g.tracker().action("A1").unwrap();
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
        Respond::new(response, Answer::Accept).into(),
    )
    .ok(
        "lead-chair",
        at(2024, 3, 1),
        None,
        ClaimImplemented::new(response).into(),
    )
    .ok(
        "lead",
        at(2024, 3, 2),
        None,
        SubmitEvidence::new(
            "E-R1",
            Subject::response(response),
            "recruitment plan, published",
            "the plan as published",
        )
        .into(),
    );
    refuses_signature(
        &mut g,
        "lead-chair",
        at(2024, 3, 3),
        VerifyImplementation::new(response).into(),
        ("claimed", "lead-chair", "actor"),
    );
    g.ok(
        "officer-chair",
        at(2024, 3, 4),
        None,
        VerifyImplementation::new(response).into(),
    );
    let later = at(2024, 10, 1);
    refuses_signature(
        &mut g,
        "officer-chair",
        later,
        sign_off(Subject::response(response)),
        ("verified", "officer-chair", "actor"),
    );
    refuses_signature(
        &mut g,
        "lead-chair",
        later,
        sign_off(Subject::response(response)),
        ("claimed", "lead-chair", "actor"),
    );
    // Under the default policy another actor of the verifier's body may sign off…
    let mut same_body = g.clone();
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
    let mut strict = Given::from(Tracker::replay(policy, g.tracker().events().to_vec()).unwrap());
    refuses_signature(
        &mut strict,
        "council-chair",
        later,
        sign_off(Subject::response(response)),
        ("verified", "council", "body"),
    );
    strict.ok("chair", later, None, sign_off(Subject::response(response)));
    let r = strict.tracker().response(response).unwrap();
    let bodies: Vec<&str> = [&r.claimed, &r.verified, &r.signed_off]
        .iter()
        .map(|s| s.as_ref().unwrap().body.as_str())
        .collect();
    assert_eq!(bodies, ["force", "council", "panel"]);
}
