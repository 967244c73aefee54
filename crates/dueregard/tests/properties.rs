//! Property tests: random command sequences against the rules.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use dueregard::commands::{
    AchieveMilestone, AddNote, BlockAction, CancelAction, ClaimImplemented, CompleteAction,
    DeferAction, ExtendReplyDeadline, MissMilestone, PauseReplyClock, Rate, RescheduleMilestone,
    Respond, ResumeAction, ResumeReplyClock, ReviseTargetDate, SendBackAction, SignOff,
    StartAction, StartImplementation, SubmitEvidence, UnblockAction, VerifyAction,
    VerifyImplementation, WaiveMilestone,
};
use dueregard::fixture::Given;
use dueregard::*;
use proptest::prelude::*;

const ACTIONS: [&str; 3] = ["A0", "A1", "A2"];
/// Two actors hold several roles, as councils often grant, so that the
/// separation of duties is tested by the rules and not only by the roles.
const ACTORS: [&str; 7] = [
    "admin",
    "lead",
    "analyst",
    "officer",
    "chair",
    "lead-chair",
    "officer-chair",
];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The standard cast ([`Given::new`]) with two actors holding several roles
/// (see [`ACTORS`]); the panel's review `rev` with `R1` to the force (a
/// 56-day reply duty, 30 days' demonstration); and the force's `plan` with
/// the [`ACTIONS`], each answering `R1`, due 2024-06-30 with 30 days'
/// demonstration and two milestones due 2024-03-31. All on the fixture's
/// first day, where its clock stands.
fn given() -> Given {
    let mut g = Given::new();
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
    .review("rev", ReviewKind::PanelReport, "panel")
    .recommendation_with("R1", |r| {
        r.reply_within_days = Some(56);
        r.demonstration_days = Some(30);
    })
    .plan("plan", "force");
    for a in ACTIONS {
        g.action_with(a, &["R1"], day(2024, 6, 30), |x| {
            x.demonstration_days = Some(30)
        });
        for m in 0..2 {
            g.milestone(&format!("{a}/M{m}"), a, day(2024, 3, 31));
        }
    }
    g
}

/// A random command with its actor, reason and the days since the previous one.
#[derive(Debug, Clone)]
struct Step {
    actor: usize,
    days: i64,
    reason: bool,
    op: u8,
    target: usize,
    sub: usize,
    date_shift: i64,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0..ACTORS.len(),
        0i64..20,
        any::<bool>(),
        0u8..27,
        0..ACTIONS.len(),
        0usize..2,
        -40i64..120,
    )
        .prop_map(|(actor, days, reason, op, target, sub, date_shift)| Step {
            actor,
            days,
            reason,
            op,
            target,
            sub,
            date_shift,
        })
}

/// A step of an item's life toward sign-off only (start, milestones,
/// evidence, claim, verification, sign-off), so that random sequences reach
/// sign-off often.
fn lifecycle_step() -> impl Strategy<Value = Step> {
    (
        step(),
        prop::sample::select(vec![0u8, 3, 4, 9, 13, 14, 16, 18, 19, 20, 25]),
    )
        .prop_map(|(s, op)| Step { op, ..s })
}

fn submission(s: &Step, at: DateTime<Utc>, n: usize) -> Submission {
    let a = ACTIONS[s.target].to_string();
    let m = format!("{a}/M{}", s.sub);
    let shifted = day(2024, 6, 30) + Duration::days(s.date_shift);
    let r = "R1@force".to_string();
    let command = match s.op {
        0 => StartAction::new(a).into(),
        1 => BlockAction::new(a).into(),
        2 => UnblockAction::new(a).into(),
        3 => CompleteAction::new(a).into(),
        4 => VerifyAction::new(a).into(),
        5 => SendBackAction::new(a).into(),
        6 => CancelAction::new(a).into(),
        7 => DeferAction::new(a, shifted).into(),
        8 => ResumeAction::new(a).into(),
        9 => AchieveMilestone::new(m).into(),
        10 => MissMilestone::new(m).into(),
        11 => RescheduleMilestone::new(m, shifted).into(),
        12 => WaiveMilestone::new(m).into(),
        13 => Command::SubmitEvidence(SubmitEvidence {
            id: format!("E{n}"),
            about: Subject::action(a),
            reference: "ref".into(),
            description: Text::new("d"),
            visibility: if s.sub == 0 {
                Visibility::Public
            } else {
                Visibility::Internal
            },
        }),
        14 => SignOff::new(Subject::action(a)).into(),
        15 => ReviseTargetDate::new(Subject::action(a), shifted).into(),
        16 => Command::Respond(Respond {
            response: r,
            answer: [Answer::Accept, Answer::Reject, Answer::AcceptInPart][s.sub.min(2)],
            statement: None,
            rationale: s.reason.then(|| Text::new("because")),
            visibility: Visibility::Public,
        }),
        17 => StartImplementation::new(r).into(),
        18 => ClaimImplemented::new(r).into(),
        19 => VerifyImplementation::new(r).into(),
        20 => Command::SubmitEvidence(SubmitEvidence {
            id: format!("E{n}"),
            about: Subject::response(r),
            reference: "ref".into(),
            description: Text::new("d"),
            visibility: Visibility::Public,
        }),
        21 => ExtendReplyDeadline::new(r, shifted).into(),
        22 => PauseReplyClock::new(r).into(),
        23 => ResumeReplyClock::new(r).into(),
        24 => Command::Rate(Rate {
            about: Subject::action(a),
            rag: Rag::Amber,
            assessment: if s.sub == 0 {
                Assessment::SelfAssessment
            } else {
                Assessment::Independent
            },
        }),
        25 => SignOff::new(Subject::response(r)).into(),
        _ => Command::AddNote(AddNote {
            about: Subject::action(a),
            text: Text::new("note"),
            visibility: Visibility::Internal,
        }),
    };
    let mut sub = Submission::new(ACTORS[s.actor], at, command);
    if s.reason {
        sub.reason = Some("reason".into());
    }
    sub
}

/// Runs the steps, checking that every rejection leaves the tracker unchanged.
fn run(steps: &[Step]) -> (Tracker, usize) {
    let g = given();
    let mut at = g.now();
    let mut t = g.into_tracker();
    let mut rejected = 0;
    for (n, s) in steps.iter().enumerate() {
        at += Duration::days(s.days);
        let sub = submission(s, at, n);
        let before = t.clone();
        if t.execute(sub).is_err() {
            rejected += 1;
            assert_eq!(t, before, "a rejected command changed the tracker");
        }
    }
    (t, rejected)
}

fn every_transition_is_a_table_row(t: &Tracker) -> bool {
    // Replaying checks each recorded transition against the tables again.
    Tracker::replay(t.policy().clone(), t.events().to_vec()).is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if std::env::var("CI").is_ok() { 256 } else { 128 }))]

    #[test]
    fn replay_rebuilds_the_live_state(steps in prop::collection::vec(step(), 0..80)) {
        let (t, _) = run(&steps);
        prop_assert!(every_transition_is_a_table_row(&t));
        let rebuilt = Tracker::replay(t.policy().clone(), t.events().to_vec()).unwrap();
        prop_assert_eq!(rebuilt, t);
    }

    #[test]
    fn json_round_trip_is_the_identity(steps in prop::collection::vec(step(), 0..60)) {
        let (t, _) = run(&steps);
        let json = t.to_json();
        let back = Tracker::from_json(&json).unwrap();
        prop_assert_eq!(&back, &t);
        prop_assert_eq!(back.to_json(), json);
        let lines = events_to_jsonl(t.events());
        prop_assert_eq!(events_from_jsonl(lines.as_bytes()).unwrap(), t.events().to_vec());
    }

    #[test]
    fn as_of_the_latest_date_is_the_current_state(steps in prop::collection::vec(step(), 0..60)) {
        let (t, _) = run(&steps);
        let last = t.last_event_at().unwrap().date_naive();
        prop_assert_eq!(t.as_of(last), t.clone());
        // And as of any earlier date it equals the replay of the prefix.
        let cut = t.events().len() / 2;
        let day = t.events().get(cut).unwrap().at.date_naive();
        let prefix: Vec<Event> = t.events().iter().take_while(|e| e.at.date_naive() <= day).collect();
        prop_assert_eq!(t.as_of(day), Tracker::replay(t.policy().clone(), prefix).unwrap());
    }

    #[test]
    fn one_action_as_of_a_date_needs_no_full_replay(steps in prop::collection::vec(step(), 0..60), at in 0usize..60) {
        let (t, _) = run(&steps);
        let Some(e) = t.events().get(at.min(t.events().len().saturating_sub(1))) else {
            return Ok(());
        };
        let day = e.at.date_naive();
        let full = t.as_of(day);
        for a in t.actions() {
            let sliced = t.action_as_of(&a.id, day).unwrap();
            prop_assert_eq!(sliced.as_ref(), full.action(&a.id).ok());
            let history = t.history(&dueregard::Subject::action(&a.id));
            prop_assert!(history.windows(2).all(|w| w[0].seq < w[1].seq));
            prop_assert!(history.iter().any(|e| e.command.kind() == dueregard::CommandKind::AddAction));
        }
    }

    #[test]
    fn a_rejected_batch_leaves_the_tracker_as_it_was(
        prefix in prop::collection::vec(step(), 0..60),
        batch in prop::collection::vec(step(), 1..12),
    ) {
        let (mut t, _) = run(&prefix);
        let mut at = t.last_event_at().unwrap_or_else(|| given().now());
        let subs: Vec<Submission> = batch
            .iter()
            .enumerate()
            .map(|(n, s)| {
                at += Duration::days(s.days);
                submission(s, at, prefix.len() + n)
            })
            .collect();
        let before = t.clone();
        // The same commands one by one, stopping at the first rejection.
        let mut alone = t.clone();
        let first_rejected = subs.iter().position(|s| alone.execute(s.clone()).is_err());
        // Through an iterator of unknown length: always undone entity by entity.
        let mut streamed = t.clone();
        let count = streamed.execute_batch(subs.clone().into_iter().filter(|_| true));
        match &count {
            Ok(n) => prop_assert_eq!((*n, &streamed), (subs.len(), &alone)),
            Err(e) => prop_assert_eq!((Some(e.index), &streamed), (first_rejected, &before)),
        }
        // With its length known: a copy when longer than the log, else undo points.
        match t.execute_batch(subs) {
            Ok(n) => {
                prop_assert_eq!(first_rejected, None);
                prop_assert_eq!(&t, &alone);
                prop_assert_eq!(n, t.events().len() - before.events().len());
            }
            Err(e) => {
                prop_assert_eq!(Some(e.index), first_rejected);
                prop_assert_eq!(&t, &before);
            }
        }
    }

    #[test]
    fn states_stay_within_the_declared_machines(steps in prop::collection::vec(step(), 0..80)) {
        let (t, _) = run(&steps);
        for a in t.actions() {
            prop_assert!(ActionState::all().contains(&a.state));
            // A verified or signed-off action always has a claimant and a distinct verifier.
            if matches!(a.state, ActionState::Verified | ActionState::SignedOff) {
                let c = a.claimed.as_ref().unwrap();
                let v = a.verified.as_ref().unwrap();
                prop_assert_ne!(&c.actor, &v.actor);
                prop_assert!(!a.evidence.is_empty());
                for m in t.milestones_of(a) {
                    prop_assert!(matches!(m.state, MilestoneState::Achieved | MilestoneState::Waived));
                }
            }
            if a.state == ActionState::Blocked {
                prop_assert!(a.blocked_since.is_some());
            }
            prop_assert_eq!(a.due.original, day(2024, 6, 30));
        }
        for r in t.responses() {
            if r.implementation != ImplementationState::NotStarted {
                prop_assert!(r.state.is_accepting() || matches!(r.implementation, ImplementationState::Superseded | ImplementationState::Withdrawn));
            }
        }
    }

    #[test]
    fn no_item_is_signed_off_with_two_signatures_by_one_actor(steps in prop::collection::vec(lifecycle_step(), 0..120)) {
        let (t, _) = run(&steps);
        let signatures = t
            .actions()
            .map(|a| (&a.id, [&a.claimed, &a.verified, &a.signed_off]))
            .chain(t.responses().map(|r| (&r.id, [&r.claimed, &r.verified, &r.signed_off])));
        for (id, [claimed, verified, signed_off]) in signatures {
            let Some(s) = signed_off else { continue };
            let c = claimed.as_ref().expect("signed off without a claim");
            let v = verified.as_ref().expect("signed off without a verification");
            prop_assert!(
                c.actor != v.actor && c.actor != s.actor && v.actor != s.actor,
                "{} signed by {}, {} and {}", id, c.actor, v.actor, s.actor
            );
        }
    }

    #[test]
    fn the_public_document_replays_without_internal_material(steps in prop::collection::vec(step(), 0..60)) {
        let (t, _) = run(&steps);
        let public = Tracker::from_document(t.to_public_document()).unwrap();
        prop_assert!(public.notes().iter().all(|n| n.visibility.is_public()));
        prop_assert!(public.evidence().all(|e| e.visibility.is_public()));
        for a in t.actions() {
            prop_assert_eq!(public.action(&a.id).unwrap().state, a.state);
        }
    }
}
