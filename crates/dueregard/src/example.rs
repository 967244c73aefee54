//! A realistic example tracker built from public facts: the Casey Review of
//! the Metropolitan Police (16 recommendations; the numbering here is
//! illustrative, not the report's own), the force's plan, three boroughs'
//! local action plans with a year of quarterly events, an IOPC
//! recommendation with a 56-day reply duty, and a police and crime panel's
//! recommendations to its commissioner.
//!
//! ```
//! let t = dueregard::example::tracker();
//! assert_eq!(t.review("casey-2023").unwrap().recommendations.len(), 16);
//! ```

use crate::commands::{
    AchieveMilestone, AddAction, AddMilestone, AddRecommendation, BlockAction, CancelAction,
    ClaimImplemented, CompleteAction, CreatePlan, DefineIndicator, ExtendReplyDeadline,
    LinkRecommendations, MissMilestone, PublishReview, Rate, RecordDecision, RecordObservation,
    RegisterActor, RegisterBody, RescheduleMilestone, Respond, ReviseTargetDate, SignOff,
    StartAction, StartImplementation, SubmitEvidence, UnblockAction, VerifyAction,
    VerifyImplementation, WaiveMilestone,
};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::engine::command::{Answer, Command, Submission};
use crate::engine::tracker::Tracker;
use crate::model::action_plan::PlanKind;
use crate::model::indicator::{Direction, Observation};
use crate::model::party::{BodyKind, Role};
use crate::model::review::{Relation, ReviewKind};
use crate::model::scrutiny::{Assessment, Rag, ScrutinyOutcome};
use crate::model::subject::{Subject, Visibility};
use crate::model::text::Text;

/// The date the example's story ends (the end of the 2024/25 financial year).
pub fn as_of() -> NaiveDate {
    date(2025, 3, 31)
}

/// The example's commands, in date order.
pub fn submissions() -> Vec<Submission> {
    let mut s = Script::default();
    s.parties();
    s.panel();
    s.casey();
    s.iopc();
    s.force_plan();
    for lap in LAPS {
        s.local_plan(lap);
    }
    let mut subs = s.subs;
    subs.sort_by_key(|x| x.at);
    subs
}

/// The example tracker, with every command applied.
pub fn tracker() -> Tracker {
    let mut t = Tracker::new();
    for sub in submissions() {
        // The dataset is fixed and checked by the crate's tests.
        if let Err(e) = t.execute(sub.clone()) {
            debug_assert!(false, "example command rejected: {e}: {sub:?}");
        }
    }
    t
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[derive(Default)]
struct Script {
    subs: Vec<Submission>,
}

/// The example's bodies: identifier, name and kind.
const BODIES: &[(&str, &str, BodyKind)] = &[
    ("tracker", "Tracker administration", BodyKind::Other),
    ("met", "Metropolitan Police Service", BodyKind::PoliceForce),
    (
        "met-cn",
        "Met Central North BCU (Islington and Camden)",
        BodyKind::PoliceForce,
    ),
    (
        "met-ea",
        "Met East Area BCU (Barking and Dagenham, Havering, Redbridge)",
        BodyKind::PoliceForce,
    ),
    (
        "met-nw",
        "Met North West BCU (Brent, Barnet, Harrow)",
        BodyKind::PoliceForce,
    ),
    (
        "mopac",
        "Mayor's Office for Policing and Crime",
        BodyKind::MayorsOffice,
    ),
    ("home-office", "Home Office", BodyKind::GovernmentDepartment),
    (
        "casey",
        "Baroness Casey Review",
        BodyKind::IndependentReviewer,
    ),
    (
        "iopc",
        "Independent Office for Police Conduct",
        BodyKind::Iopc,
    ),
    ("islington", "Islington Council", BodyKind::Council),
    (
        "islington-committee",
        "Islington policy and performance scrutiny committee",
        BodyKind::Committee,
    ),
    (
        "lbbd",
        "London Borough of Barking and Dagenham",
        BodyKind::Council,
    ),
    (
        "lbbd-csp",
        "Barking and Dagenham community safety partnership board",
        BodyKind::Committee,
    ),
    ("brent", "Brent Council", BodyKind::Council),
    (
        "dc-panel",
        "Devon and Cornwall police and crime panel",
        BodyKind::PoliceAndCrimePanel,
    ),
    (
        "dc-pcc",
        "Devon and Cornwall police and crime commissioner",
        BodyKind::PoliceAndCrimeCommissioner,
    ),
    (
        "dc-police",
        "Devon and Cornwall Police",
        BodyKind::PoliceForce,
    ),
    (
        "hmic",
        "HM Inspectorate of Constabulary",
        BodyKind::Inspectorate,
    ),
];

/// The example's actors: identifier, name, body and roles.
const ACTORS: &[(&str, &str, &str, &[Role])] = &[
    (
        "admin",
        "Tracker administrator",
        "tracker",
        &[Role::Administrator],
    ),
    (
        "met-reform",
        "Met reform programme lead",
        "met",
        &[Role::Owner],
    ),
    (
        "met-standards",
        "Met professional standards reporter",
        "met",
        &[Role::Reporter],
    ),
    (
        "mopac-oversight",
        "MOPAC oversight lead",
        "mopac",
        &[Role::Owner, Role::Verifier, Role::Scrutineer],
    ),
    (
        "ho-policing",
        "Home Office policing unit",
        "home-office",
        &[Role::Owner],
    ),
    (
        "casey-secretariat",
        "Review secretariat",
        "casey",
        &[Role::Scrutineer],
    ),
    (
        "iopc-casework",
        "IOPC casework lead",
        "iopc",
        &[Role::Scrutineer, Role::Verifier],
    ),
    (
        "cn-commander",
        "Central North borough commander",
        "met-cn",
        &[Role::Owner],
    ),
    (
        "cn-analyst",
        "Central North performance analyst",
        "met-cn",
        &[Role::Reporter],
    ),
    (
        "ea-commander",
        "East Area borough commander",
        "met-ea",
        &[Role::Owner],
    ),
    (
        "ea-analyst",
        "East Area performance analyst",
        "met-ea",
        &[Role::Reporter],
    ),
    (
        "nw-commander",
        "North West borough commander",
        "met-nw",
        &[Role::Owner],
    ),
    (
        "nw-analyst",
        "North West performance analyst",
        "met-nw",
        &[Role::Reporter],
    ),
    (
        "islington-cso",
        "Islington community safety officer",
        "islington",
        &[Role::Verifier],
    ),
    (
        "islington-chair",
        "Chair, Islington scrutiny committee",
        "islington-committee",
        &[Role::Scrutineer],
    ),
    (
        "lbbd-cso",
        "Barking and Dagenham community safety officer",
        "lbbd",
        &[Role::Verifier],
    ),
    (
        "lbbd-chair",
        "Chair, Barking and Dagenham community safety partnership",
        "lbbd-csp",
        &[Role::Scrutineer],
    ),
    (
        "brent-cso",
        "Brent community safety officer",
        "brent",
        &[Role::Verifier, Role::Scrutineer],
    ),
    (
        "dc-chair",
        "Chair, Devon and Cornwall police and crime panel",
        "dc-panel",
        &[Role::Scrutineer],
    ),
    (
        "dc-commissioner",
        "Devon and Cornwall police and crime commissioner",
        "dc-pcc",
        &[Role::Owner],
    ),
    (
        "dc-chief",
        "Devon and Cornwall chief constable's office",
        "dc-police",
        &[Role::Owner],
    ),
];

/// A recommendation numbered as printed (`{review}/R{number}`), addressed
/// to some bodies under some themes.
fn numbered(
    review: &str,
    number: &str,
    title: &str,
    addressees: &[&str],
    themes: &[&str],
) -> AddRecommendation {
    let to = addressees.iter().map(|a| (*a).to_string()).collect();
    AddRecommendation {
        themes: themes.iter().map(|t| (*t).to_string()).collect(),
        ..AddRecommendation::new(format!("{review}/R{number}"), review, number, title, to)
    }
}

impl Script {
    fn add(&mut self, actor: &str, when: DateTime<Utc>, reason: Option<&str>, command: Command) {
        let mut sub = Submission::new(actor, when, command);
        sub.reason = reason.map(str::to_string);
        self.subs.push(sub);
    }

    fn parties(&mut self) {
        let t0 = at(2015, 1, 5);
        for (id, name, kind) in BODIES {
            // Borough command units are part of the force.
            let parent = id.starts_with("met-").then(|| "met".to_string());
            self.add(
                "admin",
                t0,
                None,
                Command::from(RegisterBody {
                    parent,
                    ..RegisterBody::new(*id, *name, *kind)
                }),
            );
        }
        for (id, name, body, roles) in ACTORS {
            self.add(
                "admin",
                t0,
                None,
                Command::from(RegisterActor::new(*id, *name, *body, roles.to_vec())),
            );
        }
    }

    /// Adds a recommendation (with the example's demonstration period of
    /// 182 days); returns its identifier.
    fn recommendation(&mut self, actor: &str, when: DateTime<Utc>, r: AddRecommendation) -> String {
        let id = r.id.clone();
        let r = AddRecommendation {
            demonstration_days: Some(182),
            ..r
        };
        self.add(actor, when, None, Command::from(r));
        id
    }

    fn respond(
        &mut self,
        actor: &str,
        when: DateTime<Utc>,
        response: &str,
        answer: Answer,
        rationale: Option<&str>,
    ) {
        self.add(
            actor,
            when,
            None,
            Command::from(Respond {
                rationale: rationale.map(Text::new),
                ..Respond::new(response, answer)
            }),
        );
    }

    fn panel(&mut self) {
        let published = date(2015, 2, 6);
        self.add(
            "dc-chair",
            at(2015, 2, 6),
            None,
            Command::from(PublishReview::new(
                "dc-panel-2015",
                "Panel report on the draft refresh of the Police and Crime Plan 2014-17",
                ReviewKind::PanelReport,
                "dc-panel",
                published,
            )),
        );
        let recs = [
            ("1", "Let the panel see the full draft plan during consultation and comment on significant changes through its chair"),
            ("2", "Set up a way to hold the community rehabilitation company to account, with access to its data"),
            ("3", "Fix the 101 non-emergency service with a costed action plan"),
            ("4", "Ask the chief constable for a report on cyber-enabled threats and local capability"),
        ];
        let mut ids = Vec::new();
        for (n, title) in recs {
            let r = numbered("dc-panel-2015", n, title, &["dc-pcc"], &["plan"]);
            ids.push(self.recommendation("dc-chair", at(2015, 2, 6), r));
        }
        // The commissioner first declines to share the full draft, then reconsiders.
        let r1 = format!("{}@dc-pcc", ids[0]);
        self.respond("dc-commissioner", at(2015, 3, 2), &r1, Answer::Reject,
            Some("the consultation timetable leaves no room to share the full draft each year; a statement of intentions will be shared instead"));
        self.respond(
            "dc-commissioner",
            at(2015, 5, 20),
            &r1,
            Answer::Accept,
            None,
        );
        self.respond(
            "dc-commissioner",
            at(2015, 3, 2),
            &format!("{}@dc-pcc", ids[1]),
            Answer::AcceptInPrinciple,
            None,
        );
        self.respond(
            "dc-commissioner",
            at(2015, 3, 2),
            &format!("{}@dc-pcc", ids[2]),
            Answer::Accept,
            None,
        );
        self.respond(
            "dc-commissioner",
            at(2015, 3, 2),
            &format!("{}@dc-pcc", ids[3]),
            Answer::Accept,
            None,
        );
        for r in &ids[1..] {
            self.add(
                "dc-commissioner",
                at(2015, 4, 1),
                None,
                Command::from(StartImplementation::new(format!("{r}@dc-pcc"))),
            );
        }
        self.add(
            "dc-commissioner",
            at(2015, 6, 1),
            None,
            Command::from(ClaimImplemented::new(r1.clone())),
        );

        // Three inspection reports on child sexual exploitation, addressed to the force.
        self.add(
            "admin",
            at(2015, 3, 10),
            None,
            Command::from(PublishReview::new(
                "hmic-cse-2015",
                "Inspections of the police response to child sexual exploitation",
                ReviewKind::Inspection,
                "hmic",
                date(2015, 3, 10),
            )),
        );
        let cse = [
            (
                "1",
                "Share police and covert data systems with safeguarding partners",
            ),
            (
                "2",
                "Build capacity and capability to tackle online child sexual exploitation",
            ),
            ("3", "Put right the failures found in child protection"),
        ];
        for (n, title) in cse {
            let r = AddRecommendation {
                due: Some(date(2016, 3, 31)),
                ..numbered("hmic-cse-2015", n, title, &["dc-police"], &["safeguarding"])
            };
            let id = self.recommendation("admin", at(2015, 3, 10), r);
            self.respond(
                "dc-chief",
                at(2015, 4, 15),
                &format!("{id}@dc-police"),
                Answer::Accept,
                None,
            );
        }

        let meeting = date(2015, 6, 26);
        let w = at(2015, 6, 26);
        let decisions: &[(&str, Subject, ScrutinyOutcome, Option<NaiveDate>, &str)] = &[
            ("dc-panel/2015-06-26/1", Subject::new(crate::EntityKind::Review, "dc-panel-2015"), ScrutinyOutcome::Satisfied, None,
             "due regard has been had to the panel's recommendations, which are reflected in the final refresh"),
            ("dc-panel/2015-06-26/2", Subject::response(format!("{}@dc-pcc", ids[0])), ScrutinyOutcome::Satisfied, None,
             "the timetable now lets the panel review the draft plan itself"),
            ("dc-panel/2015-06-26/3", Subject::new(crate::EntityKind::Review, "hmic-cse-2015"), ScrutinyOutcome::FurtherReportRequested, Some(date(2015, 10, 16)),
             "the chief constable's response to all the inspection recommendations to come to the panel"),
            ("dc-panel/2015-06-26/4", Subject::response(format!("{}@dc-pcc", ids[2])), ScrutinyOutcome::Noted, None,
             "30 extra call-handling staff across the two call centres"),
            ("dc-panel/2015-06-26/5", Subject::response(format!("{}@dc-pcc", ids[3])), ScrutinyOutcome::FurtherReportRequested, Some(date(2015, 10, 16)),
             "report on cyber-enabled threats expected after the summer"),
        ];
        for (id, about, outcome, due, minute) in decisions {
            self.add(
                "dc-chair",
                w,
                None,
                Command::from(RecordDecision {
                    report_due: *due,
                    minute: Some(Text::new(*minute)),
                    ..RecordDecision::new(*id, "dc-panel", meeting, about.clone(), *outcome)
                }),
            );
        }
    }

    fn casey(&mut self) {
        let when = at(2023, 3, 21);
        self.add("casey-secretariat", when, None, Command::from(PublishReview::new("casey-2023", "Baroness Casey Review: an independent review into the standards of behaviour and internal culture of the Metropolitan Police Service (final report)", ReviewKind::IndependentReview, "casey", date(2023, 3, 21))));
        for (i, (title, to, theme)) in CASEY.iter().enumerate() {
            let r = numbered("casey-2023", &(i + 1).to_string(), title, to, &[theme]);
            self.recommendation("casey-secretariat", when, r);
        }
        // Responses: the force accepts its recommendations; on R8 (discrimination)
        // it accepts the findings but not the term "institutional".
        let r = at(2023, 7, 12);
        for (i, (_, to, _)) in CASEY.iter().enumerate() {
            let id = format!("casey-2023/R{}", i + 1);
            for a in to.iter() {
                let (actor, answer, why) = match (*a, i + 1) {
                    ("met", 9) => (
                        "met-reform",
                        Answer::AcceptInPart,
                        Some("accepts every finding but does not adopt the label 'institutional'"),
                    ),
                    ("met", _) => ("met-reform", Answer::Accept, None),
                    ("mopac", _) => ("mopac-oversight", Answer::Accept, None),
                    (_, 16) => ("ho-policing", Answer::Note, None),
                    _ => ("ho-policing", Answer::AcceptInPrinciple, None),
                };
                self.respond(actor, r, &format!("{id}@{a}"), answer, why);
                if answer != Answer::Note {
                    self.add(
                        actor,
                        at(2023, 9, 1),
                        None,
                        Command::from(StartImplementation::new(format!("{id}@{a}"))),
                    );
                }
            }
        }
        // The London Policing Board meets: MOPAC claims R12 implemented; the claim is
        // evidenced and verified by the review secretariat's successor (the oversight lead cannot verify their own claim).
        self.add(
            "mopac-oversight",
            at(2024, 1, 10),
            None,
            Command::from(SubmitEvidence::new(
                "ev-lpb-terms",
                Subject::response("casey-2023/R12@mopac"),
                "London Policing Board terms of reference, first public meeting",
                "Board established, chaired by the Mayor, meeting in public",
            )),
        );
        self.add(
            "mopac-oversight",
            at(2024, 1, 10),
            None,
            Command::from(ClaimImplemented::new("casey-2023/R12@mopac")),
        );
        self.add(
            "iopc-casework",
            at(2024, 2, 5),
            None,
            Command::from(VerifyImplementation::new("casey-2023/R12@mopac")),
        );
    }

    fn iopc(&mut self) {
        self.add("iopc-casework", at(2023, 8, 14), None, Command::from(PublishReview::new("iopc-port-2023", "Learning recommendations after the re-investigation of officers in the Stephen Port case", ReviewKind::Investigation, "iopc", date(2023, 8, 14))));
        let r = AddRecommendation {
            reply_within_days: Some(56),
            ..numbered(
                "iopc-port-2023",
                "1",
                "Review how deaths of LGBTQ+ people in similar circumstances are linked and investigated",
                &["met"],
                &["culture"],
            )
        };
        let id = self.recommendation("iopc-casework", at(2023, 8, 14), r);
        let resp = format!("{id}@met");
        self.add(
            "iopc-casework",
            at(2023, 8, 14),
            None,
            Command::from(LinkRecommendations::new(
                id.clone(),
                Relation::Overlaps,
                "casey-2023/R1",
            )),
        );
        // Extension asked for and granted before the 56 days ran out.
        self.add(
            "iopc-casework",
            at(2023, 9, 28),
            Some("the force asked for more time to consult its LGBT advisory group"),
            Command::from(ExtendReplyDeadline::new(resp.clone(), date(2023, 11, 9))),
        );
        self.respond("met-reform", at(2023, 11, 2), &resp, Answer::Accept, None);
        self.add(
            "met-reform",
            at(2023, 11, 20),
            None,
            Command::from(StartImplementation::new(resp)),
        );
    }

    fn force_plan(&mut self) {
        self.add(
            "met-reform",
            at(2023, 9, 1),
            None,
            Command::from(CreatePlan {
                themes: THEMES.iter().map(|t| t.to_string()).collect(),
                reviews: vec!["casey-2023".into(), "iopc-port-2023".into()],
                ..CreatePlan::new(
                    "new-met",
                    "A New Met for London: the force's response to the Casey Review",
                    PlanKind::OrganisationWide,
                    "met",
                )
            }),
        );
        for (n, title, answers, theme, due) in force_actions() {
            self.add(
                "met-reform",
                at(2023, 9, 1),
                None,
                Command::from(AddAction {
                    lead: Some("Deputy Commissioner".into()),
                    answers: answers.iter().map(|a| a.to_string()).collect(),
                    theme: Some(theme.into()),
                    weight: Some(2.0),
                    demonstration_days: Some(182),
                    ..AddAction::new(format!("new-met/{n}"), "new-met", title, due)
                }),
            );
            self.add(
                "met-reform",
                at(2023, 9, 1),
                None,
                Command::from(StartAction::new(format!("new-met/{n}"))),
            );
        }
        self.add(
            "met-reform",
            at(2024, 3, 28),
            None,
            Command::from(SubmitEvidence {
                visibility: Visibility::Internal,
                ..SubmitEvidence::new(
                    "ev-nm1",
                    Subject::action("new-met/NM1"),
                    "Professional standards restructure, staffing return",
                    "Team in post with external specialists",
                )
            }),
        );
        self.add(
            "met-reform",
            at(2024, 3, 29),
            None,
            Command::from(CompleteAction::new("new-met/NM1")),
        );
        self.add(
            "mopac-oversight",
            at(2024, 4, 22),
            None,
            Command::from(VerifyAction::new("new-met/NM1")),
        );
        self.add(
            "met-reform",
            at(2024, 8, 30),
            Some("vetting backlog from the re-vetting exercise"),
            Command::from(ReviseTargetDate::new(
                Subject::action("new-met/NM2"),
                date(2025, 3, 31),
            )),
        );
        self.add(
            "met-reform",
            at(2025, 1, 15),
            Some("training contract re-let"),
            Command::from(ReviseTargetDate::new(
                Subject::action("new-met/NM2"),
                date(2025, 9, 30),
            )),
        );
        // The third signature: neither the claimant (the Met) nor the verifier (MOPAC).
        self.add(
            "casey-secretariat",
            at(2025, 1, 20),
            None,
            Command::from(SignOff::new(Subject::action("new-met/NM1"))),
        );
        self.add(
            "met-reform",
            at(2024, 10, 1),
            None,
            Command::from(DefineIndicator {
                plan: Some("new-met".into()),
                target: Some(Observation {
                    value: 255.0,
                    on: date(2026, 3, 31),
                }),
                source: Some("workforce data reported to the borough's scrutiny committee".into()),
                ..DefineIndicator::new(
                    "new-met/female-officers",
                    "Female officers in the Central North BCU",
                    "officers",
                    Direction::Increase,
                    Observation {
                        value: 170.0,
                        on: date(2021, 5, 1),
                    },
                )
            }),
        );
        self.add(
            "met-reform",
            at(2024, 10, 1),
            None,
            Command::from(RecordObservation::new(
                "new-met/female-officers",
                Observation {
                    value: 230.0,
                    on: date(2024, 9, 30),
                },
            )),
        );
    }

    fn local_plan(&mut self, lap: &Lap) {
        self.add(
            lap.owner,
            at(2024, 4, 2),
            None,
            Command::from(CreatePlan {
                parent: Some("new-met".into()),
                reviews: vec!["casey-2023".into()],
                ..CreatePlan::new(lap.plan, lap.title, PlanKind::Local, lap.body)
            }),
        );
        let q = [
            at(2024, 6, 28),
            at(2024, 9, 27),
            at(2024, 12, 20),
            at(2025, 3, 28),
        ];
        for (i, (title, answers)) in lap.actions.iter().enumerate() {
            self.local_action(lap, i, title, answers, &q);
        }
        self.local_indicators(lap, &q);
        self.local_scrutiny(lap, &q);
    }

    /// Action `i` of a local plan with its two milestones, and what happened
    /// to it: one action in five each delivered, slipping, blocked, not
    /// started (the ninth cancelled) and delivered with a milestone waived.
    fn local_action(&mut self, lap: &Lap, i: usize, title: &str, answers: &[&str], q: &Quarters) {
        let plan = lap.plan;
        let id = format!("{plan}/A{}", i + 1);
        let due = [
            date(2024, 9, 30),
            date(2024, 12, 31),
            date(2025, 3, 31),
            date(2025, 6, 30),
        ][i % 4];
        self.add(
            lap.owner,
            at(2024, 4, 2),
            None,
            Command::from(AddAction {
                lead: Some("Borough Commander".into()),
                answers: answers.iter().map(|a| a.to_string()).collect(),
                ..AddAction::new(id.clone(), plan, title, due)
            }),
        );
        let m1 = format!("{id}/M1");
        let m2 = format!("{id}/M2");
        for (m, t, d) in [
            (&m1, "Plan agreed with partners", date(2024, 6, 30)),
            (&m2, "Delivered and reported to the community meeting", due),
        ] {
            self.add(
                lap.owner,
                at(2024, 4, 2),
                None,
                Command::from(AddMilestone::new(m.clone(), id.clone(), t, d)),
            );
        }
        match i % 5 {
            0 => self.delivered(lap, &id, m1, m2, q),
            1 => self.slipping(lap, &id, m1, q),
            2 => self.blocked(lap, &id, m1, q),
            3 => {
                // Not started: overdue once its date passes.
                if i == 8 {
                    self.add(
                        lap.owner,
                        q[2],
                        Some("superseded by the force-wide programme"),
                        Command::from(CancelAction::new(id.clone())),
                    );
                }
            }
            _ => self.delivered_with_a_waiver(lap, &id, m1, m2, q),
        }
    }

    /// Started, milestones achieved, evidenced, claimed, verified and rated blue.
    fn delivered(&mut self, lap: &Lap, id: &str, m1: String, m2: String, q: &Quarters) {
        let ev = format!("{id}/evidence");
        self.add(
            lap.owner,
            at(2024, 4, 15),
            None,
            Command::from(StartAction::new(id)),
        );
        self.add(
            lap.analyst,
            q[0],
            None,
            Command::from(AchieveMilestone::new(m1)),
        );
        self.add(
            lap.analyst,
            q[1],
            None,
            Command::from(AchieveMilestone::new(m2)),
        );
        self.add(
            lap.owner,
            q[1],
            None,
            Command::from(SubmitEvidence::new(
                ev.clone(),
                Subject::action(id),
                format!("Quarterly community meeting pack, {}", lap.title),
                "Delivery report with figures",
            )),
        );
        self.add(
            lap.owner,
            q[1],
            None,
            Command::from(CompleteAction::new(id)),
        );
        self.add(
            lap.verifier,
            q[2],
            None,
            Command::from(VerifyAction::new(id)),
        );
        self.add(
            lap.owner,
            q[2],
            None,
            Command::from(Rate::new(
                Subject::action(id),
                Rag::Blue,
                Assessment::SelfAssessment,
            )),
        );
    }

    /// A missed milestone rescheduled and achieved late, the target date
    /// revised, and the owner's rating greener than the panel's.
    fn slipping(&mut self, lap: &Lap, id: &str, m1: String, q: &Quarters) {
        self.add(
            lap.owner,
            at(2024, 4, 15),
            None,
            Command::from(StartAction::new(id)),
        );
        self.add(
            lap.analyst,
            at(2024, 7, 5),
            None,
            Command::from(MissMilestone::new(m1.clone())),
        );
        self.add(
            lap.owner,
            at(2024, 7, 8),
            Some("partner sign-up slower than planned"),
            Command::from(RescheduleMilestone::new(m1.clone(), date(2024, 10, 31))),
        );
        self.add(
            lap.analyst,
            q[2],
            None,
            Command::from(AchieveMilestone {
                on: Some(date(2024, 10, 30)),
                ..AchieveMilestone::new(m1)
            }),
        );
        self.add(
            lap.owner,
            q[2],
            Some("dependent on central recruitment"),
            Command::from(ReviseTargetDate::new(
                Subject::action(id),
                date(2025, 9, 30),
            )),
        );
        self.add(
            lap.owner,
            q[3],
            None,
            Command::from(Rate::new(
                Subject::action(id),
                Rag::Green,
                Assessment::SelfAssessment,
            )),
        );
        self.add(
            lap.scrutineer,
            q[3],
            None,
            Command::from(Rate::new(
                Subject::action(id),
                Rag::Amber,
                Assessment::Independent,
            )),
        );
    }

    /// Blocked for a quarter by a data-sharing agreement.
    fn blocked(&mut self, lap: &Lap, id: &str, m1: String, q: &Quarters) {
        self.add(
            lap.owner,
            at(2024, 7, 1),
            None,
            Command::from(StartAction::new(id)),
        );
        self.add(
            lap.analyst,
            q[1],
            Some("awaiting data-sharing agreement with the council"),
            Command::from(BlockAction::new(id)),
        );
        self.add(
            lap.analyst,
            at(2025, 1, 17),
            None,
            Command::from(UnblockAction::new(id)),
        );
        self.add(
            lap.analyst,
            q[3],
            None,
            Command::from(AchieveMilestone::new(m1)),
        );
    }

    /// Delivered through the partnership, the second milestone waived.
    fn delivered_with_a_waiver(
        &mut self,
        lap: &Lap,
        id: &str,
        m1: String,
        m2: String,
        q: &Quarters,
    ) {
        self.add(
            lap.owner,
            at(2024, 5, 1),
            None,
            Command::from(StartAction::new(id)),
        );
        self.add(
            lap.analyst,
            q[1],
            None,
            Command::from(AchieveMilestone::new(m1)),
        );
        self.add(
            lap.owner,
            q[3],
            Some("delivered through the partnership instead"),
            Command::from(WaiveMilestone::new(m2)),
        );
        self.add(
            lap.owner,
            q[3],
            None,
            Command::from(CompleteAction::new(id)),
        );
    }

    /// A local plan's indicators with a quarter's observation each.
    fn local_indicators(&mut self, lap: &Lap, q: &Quarters) {
        let plan = lap.plan;
        for (n, (title, unit, dir, base, target, obs)) in lap.indicators.iter().enumerate() {
            let iid = format!("{plan}/I{}", n + 1);
            self.add(
                lap.owner,
                at(2024, 4, 2),
                None,
                Command::from(DefineIndicator {
                    plan: Some(plan.into()),
                    target: Some(Observation {
                        value: *target,
                        on: date(2025, 3, 31),
                    }),
                    ..DefineIndicator::new(
                        iid.clone(),
                        *title,
                        *unit,
                        *dir,
                        Observation {
                            value: *base,
                            on: date(2024, 3, 31),
                        },
                    )
                }),
            );
            for (k, v) in obs.iter().enumerate() {
                self.add(
                    lap.analyst,
                    q[k],
                    None,
                    Command::from(RecordObservation::new(
                        iid.clone(),
                        Observation {
                            value: *v,
                            on: q[k].date_naive(),
                        },
                    )),
                );
            }
        }
    }

    /// The committee's decision on the plan each quarter.
    fn local_scrutiny(&mut self, lap: &Lap, q: &Quarters) {
        let plan = lap.plan;
        for (k, when) in q.iter().enumerate() {
            let outcome = if k == 3 {
                ScrutinyOutcome::FurtherReportRequested
            } else {
                ScrutinyOutcome::Noted
            };
            self.add(
                lap.scrutineer,
                *when,
                None,
                Command::from(RecordDecision {
                    report_due: (k == 3).then(|| date(2025, 7, 10)),
                    minute: Some(Text::new(format!(
                        "quarterly update on the local action plan, Q{} 2024/25",
                        k + 1
                    ))),
                    ..RecordDecision::new(
                        format!("{plan}/q{}", k + 1),
                        lap.committee,
                        when.date_naive(),
                        Subject::plan(plan),
                        outcome,
                    )
                }),
            );
        }
    }
}

/// The force plan's actions: number, title, recommendations answered,
/// theme and due date.
type ForceAction = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    NaiveDate,
);

fn force_actions() -> Vec<ForceAction> {
    vec![
        (
            "NM1",
            "Stand up an independent, multidisciplinary misconduct team",
            &["casey-2023/R1", "iopc-port-2023/R1"],
            "new-oversight",
            date(2024, 3, 31),
        ),
        (
            "NM2",
            "Re-vet the workforce and tighten recruitment checks",
            &["casey-2023/R2", "casey-2023/R3"],
            "culture",
            date(2024, 9, 30),
        ),
        (
            "NM3",
            "Launch specialist rape and serious sexual offence units",
            &["casey-2023/R5", "casey-2023/R7"],
            "women-and-children",
            date(2024, 12, 31),
        ),
        (
            "NM4",
            "Publish a children's safeguarding strategy",
            &["casey-2023/R6"],
            "women-and-children",
            date(2024, 6, 30),
        ),
        (
            "NM5",
            "Rebuild neighbourhood teams with two-year tenure",
            &["casey-2023/R8"],
            "police-deal",
            date(2025, 3, 31),
        ),
    ]
}

/// Themes of the force's plan.
const THEMES: [&str; 7] = [
    "culture",
    "women-and-children",
    "trust",
    "police-deal",
    "leadership",
    "new-oversight",
    "showing-reform",
];

/// The review's reforms (titles paraphrased; numbering illustrative), addressees and theme.
const CASEY: [(&str, &[&str], &str); 16] = [
    ("Create an independent, multidisciplinary team to overhaul how misconduct is handled", &["met"], "new-oversight"),
    ("Overhaul recruitment and vetting straight away", &["met"], "culture"),
    ("Withdraw special qualifications from officers whose standards fall short", &["met"], "culture"),
    ("Give the Commissioner new powers where misconduct sanctions fall short", &["home-office"], "leadership"),
    ("Set up a dedicated Women's Protection Service", &["met"], "women-and-children"),
    ("Adopt a children's strategy built around safeguarding", &["met"], "women-and-children"),
    ("Restore sexual and domestic abuse work as specialist functions", &["met"], "women-and-children"),
    ("Rebuild visible neighbourhood policing and borough leadership", &["met"], "police-deal"),
    ("Root out discrimination in recruitment, promotion and misconduct", &["met"], "culture"),
    ("Disband parliamentary and diplomatic protection in its present form and re-vet firearms officers", &["met"], "culture"),
    ("Bring outside specialists into permanent, non-advisory roles", &["met"], "leadership"),
    ("Create a public London Policing Board chaired by the Mayor", &["mopac"], "new-oversight"),
    ("Give the Mayor oversight of regular progress updates", &["mopac"], "showing-reform"),
    ("Commission independent progress reviews after two and five years", &["met", "mopac"], "showing-reform"),
    ("Apologise for past failings and start a process to rebuild consent", &["met"], "trust"),
    ("If progress falls short, consider structural change such as removing national functions", &["home-office"], "new-oversight"),
];

/// Title, unit, direction, baseline, target and quarterly observations.
type IndicatorSeed = (
    &'static str,
    &'static str,
    Direction,
    f64,
    f64,
    &'static [f64],
);

/// The four quarterly meeting dates of 2024/25.
type Quarters = [DateTime<Utc>; 4];

struct Lap {
    plan: &'static str,
    title: &'static str,
    body: &'static str,
    owner: &'static str,
    analyst: &'static str,
    verifier: &'static str,
    scrutineer: &'static str,
    committee: &'static str,
    actions: [(&'static str, &'static [&'static str]); 10],
    indicators: &'static [IndicatorSeed],
}

const LAPS: [&Lap; 3] = [
    &Lap {
        plan: "islington-lap",
        title: "Central North local action plan: Islington",
        body: "met-cn",
        owner: "cn-commander",
        analyst: "cn-analyst",
        verifier: "islington-cso",
        scrutineer: "islington-chair",
        committee: "islington-committee",
        actions: [
            ("Two-year tenure for neighbourhood officers, ending the probationer carousel", &["casey-2023/R8"]),
            ("Professional standards board reviewing complaints, misconduct and corruption risks", &["casey-2023/R1"]),
            ("Community consultation on use of force, stop and search and Taser through ward panels", &["casey-2023/R15"]),
            ("Intelligence-led crime fighting in the places of greatest harm", &["casey-2023/R8"]),
            ("Lived-experience and trauma training for response and neighbourhood teams", &["casey-2023/R9"]),
            ("More staff in priority public protection units", &["casey-2023/R5", "casey-2023/R7"]),
            ("Dedicated hate crime investigation team", &["casey-2023/R9"]),
            ("Support detective sergeant for less experienced investigators", &[]),
            ("Joint support at the council's access hubs", &["casey-2023/R6"]),
            ("Monthly community newsletter and wider social media reach", &["casey-2023/R15"]),
        ],
        indicators: &[
            ("Residents who trust the local police (public attitude survey, 200 residents)", "%", Direction::Increase, 58.0, 65.0, &[59.0, 60.5, 61.0, 62.5]),
        ],
    },
    &Lap {
        plan: "lbbd-lap",
        title: "East Area local action plan: Barking and Dagenham",
        body: "met-ea",
        owner: "ea-commander",
        analyst: "ea-analyst",
        verifier: "lbbd-cso",
        scrutineer: "lbbd-chair",
        committee: "lbbd-csp",
        actions: [
            ("A dedicated neighbourhood superintendent for the borough", &["casey-2023/R8"]),
            ("Fill 50 new public protection posts for rape, sexual assault and VAWG", &["casey-2023/R5"]),
            ("Four public meetings a year with the safer neighbourhood board and ward panels", &["casey-2023/R15"]),
            ("Bring the town-centre campaign against street harassment to Barking", &["casey-2023/R5"]),
            ("Joint VAWG training with the council and partners", &[]),
            ("Dialogue with ethnic minority and female officers on promotion and discipline", &["casey-2023/R9"]),
            ("Quicker misconduct charging and dismissal", &["casey-2023/R1", "iopc-port-2023/R1"]),
            ("LGBT+ liaison officer working with the borough's community groups", &["iopc-port-2023/R1"]),
            ("Joint training on policing people with autism and disabilities", &[]),
            ("Referrals into the borough's domestic abuse support service", &["casey-2023/R7"]),
        ],
        indicators: &[
            ("Public protection posts filled", "posts", Direction::Increase, 0.0, 50.0, &[12.0, 25.0, 38.0, 44.0]),
            ("Public community meetings held in the year", "meetings", Direction::Increase, 0.0, 4.0, &[1.0, 2.0, 3.0, 4.0]),
        ],
    },
    &Lap {
        plan: "brent-lap",
        title: "North West local action plan: Brent",
        body: "met-nw",
        owner: "nw-commander",
        analyst: "nw-analyst",
        verifier: "brent-cso",
        scrutineer: "brent-cso",
        committee: "brent",
        actions: [
            ("Invest in borough-based frontline and public protection teams", &["casey-2023/R8"]),
            ("Compassionate support for victims of domestic and sexual violence", &["casey-2023/R7"]),
            ("Overhaul accountability for stop and search and use of force", &[]),
            ("Partnership scrutiny of police powers with London local government", &["casey-2023/R13"]),
            ("Work with the communities most affected by disproportionality", &["casey-2023/R9"]),
            ("Neighbourhood leadership visible at ward level", &["casey-2023/R8"]),
            ("Vetting refresh for officers in the borough", &["casey-2023/R2"]),
            ("Women's safety walks with residents", &["casey-2023/R5"]),
            ("Youth engagement on trust and confidence", &["casey-2023/R15"]),
            ("Report progress on the review's recommendations to full council", &["casey-2023/R14"]),
        ],
        indicators: &[
            ("Stop and search with a positive outcome", "%", Direction::Increase, 24.0, 30.0, &[24.5, 25.0, 26.1, 27.0]),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_command_is_accepted() {
        let mut t = Tracker::new();
        for (i, sub) in submissions().into_iter().enumerate() {
            if let Err(e) = t.execute(sub.clone()) {
                panic!("command {i} rejected: {e}\n{sub:?}");
            }
        }
        assert!(t.events().len() > 400, "{}", t.events().len());
    }

    #[test]
    fn shape_of_the_example() {
        let t = tracker();
        assert_eq!(t.review("casey-2023").unwrap().recommendations.len(), 16);
        assert_eq!(t.actions_of("islington-lap").count(), 10);
        assert_eq!(t.actions_of("lbbd-lap").count(), 10);
        assert_eq!(t.actions_of("brent-lap").count(), 10);
        let partial = t.response("casey-2023/R9@met").unwrap();
        assert_eq!(partial.state, crate::ResponseState::AcceptedInPart);
        assert!(partial.rationale.is_some());
        // The commissioner reconsidered a rejection.
        assert_eq!(
            t.response("dc-panel-2015/R1@dc-pcc").unwrap().state,
            crate::ResponseState::Accepted
        );
    }
}
