//! The seeded, deterministic workload: `N` actions of police forces and
//! councils, streamed as [`Submission`]s in date order.
//!
//! Each action's life is drawn from its own random stream (ChaCha8 seeded
//! with the workload's seed, stream = action number), so the same seed and
//! size always give the same log, byte for byte, and the log is produced
//! without holding it in memory: a heap keeps only the next step of each
//! action that has begun.

use dueregard::commands::{
    AchieveMilestone, AddAction, AddMilestone, AddRecommendation, BlockAction, CancelAction,
    CompleteAction, CreatePlan, MissMilestone, PublishReview, RegisterActor, RegisterBody,
    RescheduleMilestone, StartAction, SubmitEvidence, UnblockAction, VerifyAction,
};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use dueregard::{
    BodyKind, Command, PlanKind, ReviewKind, Role, Subject, Submission, Text, Visibility,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::{BenchError, Result};

/// Actions to a plan.
pub const ACTIONS_PER_PLAN: usize = 100;
/// Milestones to an action.
pub const MILESTONES_PER_ACTION: u8 = 3;
/// Police forces of England and Wales; further owner bodies are councils.
pub const FORCES: usize = 43;
/// Owner bodies at most (43 forces and about 330 councils).
pub const MAX_OWNER_BODIES: usize = 373;
/// Verifying actors at the inspectorate.
pub const INSPECTORS: usize = 10;
/// Actions are created over this many days from the first day.
pub const CREATE_SPAN_DAYS: i64 = 3000;
/// The default seed.
pub const DEFAULT_SEED: u64 = 0x5eed_d0e5;

/// The first day of the workload (actions are created from this day on).
pub fn origin() -> NaiveDate {
    NaiveDate::from_ymd_opt(2016, 4, 1).unwrap_or(NaiveDate::MIN)
}

/// The quarter end the stream stops at (nothing later is written): the
/// end of the UK financial year 2024-25.
pub fn cutoff() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 31).unwrap_or(NaiveDate::MAX)
}

/// The illegal commands the workload plants; each must be rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Illegal {
    /// Verify while the action is still in progress.
    VerifyBeforeCompletion,
    /// The actor who claimed completion verifies it.
    VerifyByClaimant,
    /// Complete while a milestone is pending.
    CompleteWithMilestonePending,
    /// Achieve a milestone that is already achieved.
    AchieveTwice,
}

impl Illegal {
    /// The core's error code the command must be rejected with.
    pub fn expected_code(self) -> &'static str {
        match self {
            Illegal::VerifyBeforeCompletion | Illegal::AchieveTwice => "invalid_transition",
            Illegal::VerifyByClaimant => "self_verification",
            Illegal::CompleteWithMilestonePending => "milestones_pending",
        }
    }
}

/// What a workload is: how many actions, from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    /// Number of actions (at least 1).
    pub actions: usize,
    /// Seed of every random draw.
    pub seed: u64,
}

impl Workload {
    /// A workload of `actions` actions from the default seed.
    ///
    /// # Errors
    /// [`BenchError::InvalidSize`] when `actions` is 0 or above 10^8.
    pub fn new(actions: usize) -> Result<Self> {
        Self::seeded(actions, DEFAULT_SEED)
    }

    /// A workload of `actions` actions from `seed`.
    ///
    /// # Errors
    /// [`BenchError::InvalidSize`] when `actions` is 0 or above 10^8.
    pub fn seeded(actions: usize, seed: u64) -> Result<Self> {
        if actions == 0 || actions > 100_000_000 {
            return Err(BenchError::InvalidSize { actions });
        }
        Ok(Workload { actions, seed })
    }

    /// Number of plans.
    pub fn plans(&self) -> usize {
        self.actions.div_ceil(ACTIONS_PER_PLAN)
    }

    /// Number of owner bodies (forces first, then councils).
    pub fn owner_bodies(&self) -> usize {
        self.plans().min(MAX_OWNER_BODIES)
    }

    /// The submissions, in date order.
    pub fn submissions(&self) -> Generator {
        Generator::new(*self)
    }
}

/// What the library must report after running the whole log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    /// Commands written.
    pub commands: u64,
    /// Commands that must be recorded.
    pub applied: u64,
    /// Commands that must be rejected, by the core's error code.
    pub rejected: BTreeMap<String, u64>,
    /// Planted illegal commands, by kind.
    pub illegal: BTreeMap<String, u64>,
}

/// One step of an action's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    CreatePlan,
    AddAction,
    AddMilestone(u8),
    Start,
    Block,
    Unblock,
    Achieve(u8),
    Miss(u8),
    Reschedule(u8),
    Cancel,
    Evidence,
    Complete,
    Verify,
    Illegal(Illegal),
}

/// The drawn life of one action: dated steps in order, due dates.
struct Script {
    steps: Vec<(i64, Step)>,
    due_day: i64,
    milestone_due: [i64; MILESTONES_PER_ACTION as usize],
    missed_to: i64,
}

const DAY: i64 = 86_400;

/// Seconds from the origin's midnight.
fn at(day: i64, seconds: i64) -> i64 {
    day * DAY + seconds
}

fn owner_body(index: usize) -> String {
    if index < FORCES {
        format!("force-{index:02}")
    } else {
        format!("council-{:03}", index - FORCES)
    }
}

impl Workload {
    fn created_day(&self, action: usize) -> i64 {
        (action as u128 * CREATE_SPAN_DAYS as u128 / self.actions as u128) as i64
    }

    fn body_of_plan(&self, plan: usize) -> String {
        owner_body(plan % self.owner_bodies())
    }

    fn script(&self, action: usize) -> Script {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(action as u64);
        let c = self.created_day(action);
        let d: i64 = rng.random_range(180..=1080);
        let missed: Option<u8> = rng
            .random_bool(0.15)
            .then(|| rng.random_range(0..MILESTONES_PER_ACTION));
        let blocked = rng.random_bool(0.10);
        let cancelled = rng.random_bool(0.05);
        let verified = rng.random_bool(0.85);
        let illegal =
            (!cancelled && rng.random_bool(0.10 / 0.95)).then(|| match rng.random_range(0..4u8) {
                0 => Illegal::VerifyBeforeCompletion,
                1 => Illegal::VerifyByClaimant,
                2 => Illegal::CompleteWithMilestonePending,
                _ => Illegal::AchieveTwice,
            });
        // A fifth of the actions finish late: their due date passes while open.
        let late: i64 = if rng.random_bool(0.20) {
            rng.random_range(30..=240)
        } else {
            0
        };
        let mut milestone_due = [0i64; MILESTONES_PER_ACTION as usize];
        for (m, due) in milestone_due.iter_mut().enumerate() {
            *due = c + d * (m as i64 + 1) / 4;
        }
        let nine = 9 * 3600;
        let mut steps = Vec::with_capacity(20);
        // The plan is created in the same second as its first action, so an
        // action's first step is never earlier than the previous action's
        // (several actions share a day at large sizes).
        if action.is_multiple_of(ACTIONS_PER_PLAN) {
            steps.push((at(c, nine + 1), Step::CreatePlan));
        }
        steps.push((at(c, nine + 1), Step::AddAction));
        for m in 0..MILESTONES_PER_ACTION {
            steps.push((at(c, nine + 2 + i64::from(m)), Step::AddMilestone(m)));
        }
        steps.push((at(c + 7, nine), Step::Start));
        if blocked {
            steps.push((at(c + d / 8, nine), Step::Block));
            steps.push((at(c + d / 8 + 7, nine), Step::Unblock));
        }
        let mut missed_to = 0;
        for m in 0..MILESTONES_PER_ACTION {
            let due = milestone_due[m as usize];
            if missed == Some(m) {
                missed_to = due + 45;
                steps.push((at(due + 1, nine), Step::Miss(m)));
                steps.push((at(due + 3, nine), Step::Reschedule(m)));
                steps.push((at(due + 40, nine), Step::Achieve(m)));
            } else {
                let early: i64 = rng.random_range(0..5);
                steps.push((at(due - early, nine), Step::Achieve(m)));
            }
        }
        let done = c + d + late;
        steps.push((at(done - 2, nine), Step::Evidence));
        steps.push((at(done, nine), Step::Complete));
        if verified {
            steps.push((at(done + 14, nine), Step::Verify));
        }
        match illegal {
            Some(i @ (Illegal::VerifyBeforeCompletion | Illegal::AchieveTwice)) => {
                steps.push((at(done - 1, nine), Step::Illegal(i)));
            }
            Some(i @ Illegal::VerifyByClaimant) => {
                steps.push((at(done + 1, nine), Step::Illegal(i)));
            }
            Some(i @ Illegal::CompleteWithMilestonePending) => {
                steps.push((at(c + d / 2 + 3, nine), Step::Illegal(i)));
            }
            None => {}
        }
        // Stable: steps of one day keep the order they were pushed in.
        steps.sort_by_key(|s| s.0);
        if cancelled {
            let when = at(c + d / 2 + 2, nine);
            steps.retain(|s| s.0 <= when);
            steps.push((when, Step::Cancel));
        }
        let end = at((cutoff() - origin()).num_days(), DAY - 1);
        steps.retain(|s| s.0 <= end);
        Script {
            steps,
            due_day: c + d,
            milestone_due,
            missed_to,
        }
    }

    fn submission(&self, action: usize, script: &Script, step: usize) -> Submission {
        let (when, kind) = script.steps[step];
        let t0 = origin()
            .and_hms_opt(0, 0, 0)
            .map(|d| Utc.from_utc_datetime(&d))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let when = t0 + Duration::seconds(when);
        let plan = action / ACTIONS_PER_PLAN;
        let body = self.body_of_plan(plan);
        let lead = format!("lead-{body}");
        let inspector = format!("inspector-{}", action % INSPECTORS);
        let a = format!("A{action}");
        let ms = |m: u8| format!("A{action}/M{m}");
        let day = |d: i64| origin() + Duration::days(d);
        let sub = |actor: &str, command| Submission::new(actor, when, command);
        match kind {
            Step::CreatePlan => sub(
                &lead,
                Command::CreatePlan(CreatePlan {
                    id: format!("P{plan}"),
                    title: Text::new(format!("Local action plan {plan} of {body}")),
                    kind: PlanKind::Local,
                    owner: body.clone(),
                    themes: vec![],
                    parent: None,
                    reviews: vec![],
                }),
            ),
            Step::AddAction => sub(
                &lead,
                Command::AddAction(AddAction {
                    id: a,
                    plan: format!("P{plan}"),
                    title: Text::new(format!("Action {action}")),
                    owner: None,
                    lead: None,
                    answers: vec![format!("R-{body}")],
                    theme: None,
                    weight: None,
                    due: day(script.due_day),
                    demonstration_days: None,
                }),
            ),
            Step::AddMilestone(m) => sub(
                &lead,
                Command::AddMilestone(AddMilestone {
                    id: ms(m),
                    action: a,
                    title: Text::new(format!("Milestone {m}")),
                    due: day(script.milestone_due[m as usize]),
                }),
            ),
            Step::Start => sub(&lead, Command::StartAction(StartAction { action: a })),
            Step::Block => sub(&lead, Command::BlockAction(BlockAction { action: a }))
                .because("waiting on a partner body"),
            Step::Unblock => sub(&lead, Command::UnblockAction(UnblockAction { action: a })),
            Step::Achieve(m) => sub(
                &lead,
                Command::AchieveMilestone(AchieveMilestone {
                    milestone: ms(m),
                    on: None,
                }),
            ),
            Step::Miss(m) => sub(
                &lead,
                Command::MissMilestone(MissMilestone { milestone: ms(m) }),
            ),
            Step::Reschedule(m) => sub(
                &lead,
                Command::RescheduleMilestone(RescheduleMilestone {
                    milestone: ms(m),
                    to: day(script.missed_to),
                }),
            )
            .because("training places were not available"),
            Step::Cancel => sub(&lead, Command::CancelAction(CancelAction { action: a }))
                .because("superseded by a force-wide programme"),
            Step::Evidence => sub(
                &lead,
                Command::SubmitEvidence(SubmitEvidence {
                    id: format!("A{action}/E"),
                    about: Subject::action(a),
                    reference: format!("doc-{action}"),
                    description: Text::new("Minutes and audit showing the change"),
                    visibility: Visibility::Public,
                }),
            ),
            Step::Complete => sub(&lead, Command::CompleteAction(CompleteAction { action: a })),
            Step::Verify => sub(
                &inspector,
                Command::VerifyAction(VerifyAction { action: a }),
            ),
            Step::Illegal(Illegal::VerifyBeforeCompletion) => sub(
                &inspector,
                Command::VerifyAction(VerifyAction { action: a }),
            ),
            Step::Illegal(Illegal::VerifyByClaimant) => {
                sub(&lead, Command::VerifyAction(VerifyAction { action: a }))
            }
            Step::Illegal(Illegal::CompleteWithMilestonePending) => {
                sub(&lead, Command::CompleteAction(CompleteAction { action: a }))
            }
            Step::Illegal(Illegal::AchieveTwice) => sub(
                &lead,
                Command::AchieveMilestone(AchieveMilestone {
                    milestone: ms(0),
                    on: None,
                }),
            ),
        }
    }

    /// Bodies, actors, the inspectorate's review and one recommendation to
    /// each owner body, the day before the origin.
    fn setup(&self) -> Vec<Submission> {
        let t = origin()
            .pred_opt()
            .and_then(|d| d.and_hms_opt(8, 0, 0))
            .map(|d| Utc.from_utc_datetime(&d))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let mut out = Vec::new();
        let mut push = |c: Command| out.push(Submission::new("admin", t, c));
        let body = |id: &str, kind| {
            Command::RegisterBody(RegisterBody {
                id: id.into(),
                name: Text::new(id),
                kind,
                parent: None,
            })
        };
        let actor = |id: String, body: &str, roles: Vec<Role>| {
            Command::RegisterActor(RegisterActor {
                name: id.clone(),
                id,
                body: body.into(),
                roles,
            })
        };
        push(body("tracker", BodyKind::Other));
        push(actor("admin".into(), "tracker", vec![Role::Administrator]));
        push(body("inspectorate", BodyKind::Inspectorate));
        for i in 0..INSPECTORS {
            push(actor(
                format!("inspector-{i}"),
                "inspectorate",
                vec![Role::Verifier],
            ));
        }
        push(Command::PublishReview(PublishReview {
            id: "review".into(),
            title: Text::new("National review of standards"),
            kind: ReviewKind::Inspection,
            publisher: "inspectorate".into(),
            published: origin().pred_opt().unwrap_or(NaiveDate::MIN),
        }));
        for b in 0..self.owner_bodies() {
            let id = owner_body(b);
            let kind = if b < FORCES {
                BodyKind::PoliceForce
            } else {
                BodyKind::Council
            };
            push(body(&id, kind));
            push(actor(
                format!("lead-{id}"),
                &id,
                vec![Role::Owner, Role::Verifier],
            ));
            push(Command::AddRecommendation(AddRecommendation {
                id: format!("R-{id}"),
                review: "review".into(),
                number: format!("{}", b + 1),
                title: Text::new(format!("Improve standards at {id}")),
                text: None,
                addressees: vec![id.clone()],
                themes: vec![],
                due: None,
                priority: false,
                reply_within_days: None,
                demonstration_days: None,
            }));
        }
        out
    }
}

/// The stream of submissions of a [`Workload`], in date order. After the
/// last item, [`Generator::expected`] says what the library must report.
pub struct Generator {
    workload: Workload,
    setup: std::vec::IntoIter<Submission>,
    /// (seconds from origin, action, step): the next step of each begun action.
    heap: BinaryHeap<Reverse<(i64, u32, u8)>>,
    expected: Expected,
}

impl Generator {
    fn new(workload: Workload) -> Self {
        let setup = workload.setup();
        let mut heap = BinaryHeap::new();
        let first = workload.script(0);
        if let Some(s) = first.steps.first() {
            heap.push(Reverse((s.0, 0, 0)));
        }
        Generator {
            workload,
            setup: setup.into_iter(),
            heap,
            expected: Expected::default(),
        }
    }

    /// What the library must report once every submission so far is run.
    pub fn expected(&self) -> &Expected {
        &self.expected
    }
}

impl Iterator for Generator {
    type Item = Submission;

    fn next(&mut self) -> Option<Submission> {
        if let Some(s) = self.setup.next() {
            self.expected.commands += 1;
            self.expected.applied += 1;
            return Some(s);
        }
        let Reverse((_, action, step)) = self.heap.pop()?;
        let (action, step) = (action as usize, step as usize);
        let script = self.workload.script(action);
        if let Some(next) = script.steps.get(step + 1) {
            self.heap
                .push(Reverse((next.0, action as u32, (step + 1) as u8)));
        }
        if step == 0 && action + 1 < self.workload.actions {
            let following = self.workload.script(action + 1);
            if let Some(s) = following.steps.first() {
                self.heap.push(Reverse((s.0, (action + 1) as u32, 0)));
            }
        }
        self.expected.commands += 1;
        match script.steps[step].1 {
            Step::Illegal(i) => {
                let name = serde_json::to_value(i)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                *self.expected.illegal.entry(name).or_default() += 1;
                *self
                    .expected
                    .rejected
                    .entry(i.expected_code().to_string())
                    .or_default() += 1;
            }
            _ => self.expected.applied += 1,
        }
        Some(self.workload.submission(action, &script, step))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dueregard::Tracker;

    fn run(w: Workload) -> (Tracker, Expected, BTreeMap<String, u64>, u64) {
        let mut g = w.submissions();
        let mut t = Tracker::new();
        let mut rejected = BTreeMap::new();
        let mut applied = 0;
        for s in g.by_ref() {
            match t.execute(s) {
                Ok(_) => applied += 1,
                Err(e) => *rejected.entry(e.code().to_string()).or_default() += 1,
            }
        }
        (t, g.expected().clone(), rejected, applied)
    }

    #[test]
    fn the_library_applies_and_rejects_exactly_what_the_generator_planted() {
        let (t, expected, rejected, applied) = run(Workload::new(2_000).unwrap());
        assert_eq!(applied, expected.applied);
        assert_eq!(rejected, expected.rejected);
        assert_eq!(t.actions().len(), 2_000);
        let illegal: u64 = expected.illegal.values().sum();
        assert!(
            (150..=250).contains(&illegal),
            "about 10% illegal: {illegal}"
        );
        assert_eq!(expected.illegal.len(), 4, "every kind planted");
        let open = t.actions().filter(|a| a.state.is_open()).count();
        assert!(
            open > 100,
            "many actions still open at the quarter end: {open}"
        );
        assert!(t
            .last_event_at()
            .is_some_and(|l| l.date_naive() <= cutoff()));
    }

    #[test]
    fn same_seed_same_log_other_seed_other_log() {
        let a: Vec<_> = Workload::seeded(300, 7).unwrap().submissions().collect();
        let b: Vec<_> = Workload::seeded(300, 7).unwrap().submissions().collect();
        let c: Vec<_> = Workload::seeded(300, 8).unwrap().submissions().collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn events_are_in_date_order() {
        let subs: Vec<_> = Workload::new(1_000).unwrap().submissions().collect();
        assert!(subs.windows(2).all(|w| w[0].at <= w[1].at));
    }

    #[test]
    fn events_are_in_date_order_when_many_actions_share_a_day() {
        // 700 000 actions over 3000 days: plans start mid-day.
        let subs: Vec<_> = Workload::new(700_000)
            .unwrap()
            .submissions()
            .take(30_000)
            .collect();
        assert!(subs.windows(2).all(|w| w[0].at <= w[1].at));
    }

    #[test]
    fn zero_actions_is_refused() {
        assert!(matches!(
            Workload::new(0),
            Err(BenchError::InvalidSize { actions: 0 })
        ));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        #[test]
        fn any_seed_and_size_replays_as_planted(seed in 0u64..u64::MAX, n in 1usize..400) {
            let (_, expected, rejected, applied) = run(Workload::seeded(n, seed).unwrap());
            proptest::prop_assert_eq!(applied, expected.applied);
            proptest::prop_assert_eq!(rejected, expected.rejected);
        }
    }
}
