//! Hand-made trackers for the views' tests: one review `REV` by body `b`'s
//! reviewer, recommendations addressed to body `b`, one plan `P` owned by
//! `b`, and an administrator `admin` (body `b`) who records everything
//! except verification, which the verifier `v` of body `c` does.

use crate::commands::{
    AchieveMilestone, AddAction, AddMilestone, AddRecommendation, BlockAction, CancelAction,
    CompleteAction, CreatePlan, MissMilestone, PublishReview, RegisterActor, RegisterBody, Respond,
    ReviseTargetDate, StartAction, SubmitEvidence, VerifyAction,
};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::engine::command::{Answer, Command, Submission};
use crate::engine::tracker::Tracker;
use crate::model::action_plan::PlanKind;
use crate::model::party::{BodyKind, Role};
use crate::model::review::ReviewKind;
use crate::model::subject::{Subject, Visibility};

pub(crate) fn d(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

pub(crate) struct Fixture {
    t: Tracker,
    now: DateTime<Utc>,
    evidence: u32,
}

impl Fixture {
    pub(crate) fn new() -> Self {
        let mut f = Fixture {
            t: Tracker::new(),
            now: Self::time("2024-01-10"),
            evidence: 0,
        };
        for (id, kind) in [("b", BodyKind::Council), ("c", BodyKind::Committee)] {
            f.run(
                "setup",
                Command::RegisterBody(RegisterBody {
                    id: id.into(),
                    name: id.into(),
                    kind,
                    parent: None,
                }),
            );
        }
        f.run(
            "setup",
            Command::RegisterActor(RegisterActor {
                id: "admin".into(),
                name: "Admin".into(),
                body: "b".into(),
                roles: vec![Role::Administrator],
            }),
        );
        f.admin(Command::RegisterActor(RegisterActor {
            id: "v".into(),
            name: "Verifier".into(),
            body: "c".into(),
            roles: vec![Role::Verifier],
        }));
        f.admin(Command::PublishReview(PublishReview {
            id: "REV".into(),
            title: "Review".into(),
            kind: ReviewKind::IndependentReview,
            publisher: "c".into(),
            published: d("2024-01-10"),
        }));
        f.admin(Command::CreatePlan(CreatePlan {
            id: "P".into(),
            title: "Plan".into(),
            kind: PlanKind::Local,
            owner: "b".into(),
            themes: vec![],
            parent: None,
            reviews: vec!["REV".into()],
        }));
        f
    }

    fn time(day: &str) -> DateTime<Utc> {
        d(day).and_time(NaiveTime::MIN).and_utc()
    }

    pub(crate) fn at(&mut self, day: &str) {
        self.now = Self::time(day);
    }

    pub(crate) fn run(&mut self, actor: &str, c: Command) {
        let s = Submission::new(actor, self.now, c).because("recorded by the test");
        if let Err(e) = self.t.execute(s.clone()) {
            panic!("fixture command rejected: {e}: {s:?}");
        }
    }

    pub(crate) fn admin(&mut self, c: Command) {
        self.run("admin", c);
    }

    pub(crate) fn tracker(&self) -> Tracker {
        self.t.clone()
    }

    fn add_recommendation(
        &mut self,
        id: &str,
        due: Option<&str>,
        clock: Option<u32>,
        theme: &str,
        to: &[&str],
    ) {
        let number = self.t.recommendations().len() + 1;
        self.admin(Command::AddRecommendation(AddRecommendation {
            id: id.into(),
            review: "REV".into(),
            number: number.to_string(),
            title: format!("Recommendation {id}").into(),
            text: None,
            addressees: to.iter().map(|s| s.to_string()).collect(),
            themes: vec![theme.into()],
            due: due.map(d),
            priority: false,
            reply_within_days: clock,
            demonstration_days: None,
        }));
    }

    pub(crate) fn recommendation(&mut self, id: &str, due: Option<&str>) {
        self.add_recommendation(id, due, None, "t1", &["b"]);
    }

    pub(crate) fn recommendation_to(&mut self, id: &str, to: &[&str], theme: &str) {
        self.add_recommendation(id, None, None, theme, to);
    }

    pub(crate) fn recommendation_with_clock(&mut self, id: &str, days: u32) {
        self.add_recommendation(id, None, Some(days), "t1", &["b"]);
    }

    fn respond(&mut self, response: String, answer: Answer) {
        let rationale =
            matches!(answer, Answer::Reject | Answer::AcceptInPart).then(|| "reasons".into());
        self.admin(Command::Respond(Respond {
            response,
            answer,
            statement: None,
            rationale,
            visibility: Visibility::Public,
        }));
    }

    pub(crate) fn accept(&mut self, rec: &str) {
        self.respond(format!("{rec}@b"), Answer::Accept);
    }

    pub(crate) fn accept_by(&mut self, rec: &str, body: &str) {
        self.respond(format!("{rec}@{body}"), Answer::Accept);
    }

    pub(crate) fn reject(&mut self, rec: &str) {
        self.respond(format!("{rec}@b"), Answer::Reject);
    }

    pub(crate) fn plan(&mut self, id: &str, owner: &str) {
        self.admin(Command::CreatePlan(CreatePlan {
            id: id.into(),
            title: format!("Plan {id}").into(),
            kind: PlanKind::Local,
            owner: owner.into(),
            themes: vec![],
            parent: None,
            reviews: vec!["REV".into()],
        }));
    }

    pub(crate) fn action_full(
        &mut self,
        id: &str,
        plan: &str,
        answers: &[&str],
        due: &str,
        theme: Option<&str>,
        weight: Option<f64>,
    ) {
        self.admin(Command::AddAction(AddAction {
            id: id.into(),
            plan: plan.into(),
            title: format!("Action {id}").into(),
            owner: None,
            lead: None,
            answers: answers.iter().map(|s| s.to_string()).collect(),
            theme: theme.map(str::to_string),
            weight,
            due: d(due),
            demonstration_days: None,
        }));
    }

    pub(crate) fn action(&mut self, id: &str, answers: &[&str], due: &str) {
        self.action_full(id, "P", answers, due, None, None);
    }

    pub(crate) fn milestone(&mut self, id: &str, action: &str, due: &str) {
        self.admin(Command::AddMilestone(AddMilestone {
            id: id.into(),
            action: action.into(),
            title: format!("Milestone {id}").into(),
            due: d(due),
        }));
    }

    pub(crate) fn start(&mut self, a: &str) {
        self.admin(Command::StartAction(StartAction { action: a.into() }));
    }
    pub(crate) fn block(&mut self, a: &str) {
        self.admin(Command::BlockAction(BlockAction { action: a.into() }));
    }
    pub(crate) fn complete(&mut self, a: &str) {
        self.admin(Command::CompleteAction(CompleteAction { action: a.into() }));
    }
    pub(crate) fn cancel(&mut self, a: &str) {
        self.admin(Command::CancelAction(CancelAction { action: a.into() }));
    }
    pub(crate) fn achieve(&mut self, m: &str) {
        self.admin(Command::AchieveMilestone(AchieveMilestone {
            milestone: m.into(),
            on: None,
        }));
    }
    pub(crate) fn miss(&mut self, m: &str) {
        self.admin(Command::MissMilestone(MissMilestone {
            milestone: m.into(),
        }));
    }

    pub(crate) fn evidence(&mut self, about: Subject) -> String {
        self.evidence += 1;
        let id = format!("E{}", self.evidence);
        self.admin(Command::SubmitEvidence(SubmitEvidence {
            id: id.clone(),
            about,
            reference: format!("doc-{}", self.evidence),
            description: "evidence".into(),
            visibility: Visibility::Public,
        }));
        id
    }

    pub(crate) fn verify(&mut self, a: &str) {
        self.evidence(Subject::action(a));
        self.run(
            "v",
            Command::VerifyAction(VerifyAction { action: a.into() }),
        );
    }

    pub(crate) fn revise(&mut self, subject: Subject, to: &str) {
        let s = Submission::new(
            "admin",
            self.now,
            Command::ReviseTargetDate(ReviseTargetDate { subject, to: d(to) }),
        )
        .because("delayed");
        if let Err(e) = self.t.execute(s.clone()) {
            panic!("fixture command rejected: {e}: {s:?}");
        }
    }
}
