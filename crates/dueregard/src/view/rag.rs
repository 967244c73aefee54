//! RAG / BRAG ratings computed from a documented, configurable policy.
//!
//! The policy is data ([`RagPolicy`]); the rules that read it are in this
//! module only. For an **action**, in this order:
//!
//! | rating | when |
//! |---|---|
//! | none | cancelled |
//! | blue | done to the level [`RagPolicy::blue_when`] names (verified by default) |
//! | green | completion claimed, not yet at the blue level |
//! | red | open and more than [`RagPolicy::red_after_days_late`] days past its current due date |
//! | red | blocked for more than [`RagPolicy::red_when_blocked_longer_than_days`] days |
//! | amber | deferred |
//! | amber | a milestone missed, or pending past its date ([`RagPolicy::amber_on_missed_milestone`]) |
//! | amber | its due date or a milestone's date was revised ([`RagPolicy::amber_on_revised_date`]) |
//! | amber | due within [`RagPolicy::amber_within_days`] days with work left |
//! | green | otherwise |
//!
//! For a **response** (one addressee's answer to one recommendation):
//! superseded, withdrawn, rejected and noted responses are not rated; an
//! implementation at the blue level is blue; an unanswered response is red
//! once its reply clock has run out, amber within `amber_within_days` of it,
//! green otherwise; an accepted response with no action of the addressee
//! answering it is red when the recommendation's due date has passed and
//! amber otherwise; else it takes the worst rating of the addressee's
//! actions answering it, with blue lowered to green until the implementation
//! itself reaches the blue level.
//!
//! A **recommendation** takes the worst rating of its responses. A **plan**
//! and a **body** aggregate their rated items by share ([`Aggregation`]):
//! blue when every item is blue, red when the red share reaches
//! `red_share`, amber when the red and amber share reaches `amber_share`,
//! green otherwise.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::engine::tracker::Tracker;
use crate::model::action::{Action, ActionState};
use crate::model::milestone::MilestoneState;
use crate::model::response::{ImplementationState, Response, ResponseState};
use crate::model::scrutiny::Rag;
use crate::model::subject::EntityKind;

use super::{days_between, state_at};

/// The completion level that earns blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlueWhen {
    /// The owner claimed completion.
    Completed,
    /// Someone other than the claimant verified it.
    Verified,
    /// A committee or panel signed it off.
    SignedOff,
}

/// How a plan's or body's items add up to one rating.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Aggregation {
    /// Red when at least this share (0–1) of rated items is red.
    pub red_share: f64,
    /// Amber when at least this share (0–1) of rated items is red or amber.
    pub amber_share: f64,
}

/// The thresholds of the RAG / BRAG rating (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RagPolicy {
    /// Amber when due within this many days with work left.
    pub amber_within_days: i64,
    /// Red when more than this many days late (0: red from the first day late).
    pub red_after_days_late: i64,
    /// Red when blocked for more than this many days.
    pub red_when_blocked_longer_than_days: i64,
    /// Amber when a milestone was missed or is pending past its date.
    pub amber_on_missed_milestone: bool,
    /// Amber when the due date (or a milestone's date) was ever revised.
    pub amber_on_revised_date: bool,
    /// The completion level that earns blue.
    pub blue_when: BlueWhen,
    /// How plans and bodies add up.
    pub aggregation: Aggregation,
}

impl Default for RagPolicy {
    /// Amber within 30 days, red from the first day late, red when blocked
    /// for more than 28 days, amber on missed milestones and revised dates,
    /// blue when verified, plans and bodies red at a quarter red and amber at
    /// a quarter red or amber.
    fn default() -> Self {
        RagPolicy {
            amber_within_days: 30,
            red_after_days_late: 0,
            red_when_blocked_longer_than_days: 28,
            amber_on_missed_milestone: true,
            amber_on_revised_date: true,
            blue_when: BlueWhen::Verified,
            aggregation: Aggregation {
                red_share: 0.25,
                amber_share: 0.25,
            },
        }
    }
}

/// A rating with the reason it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rated {
    /// The rating.
    pub rag: Rag,
    /// Why, in a few words.
    pub reason: String,
}

fn rated(rag: Rag, reason: impl Into<String>) -> Option<Rated> {
    Some(Rated {
        rag,
        reason: reason.into(),
    })
}

/// One rated item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RagLine {
    /// What kind of item.
    pub kind: EntityKind,
    /// Its identifier.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The owning body (addressee, plan owner, action owner).
    pub owner: String,
    /// Its state, in words.
    pub state: String,
    /// The rating, or `None` when the item is not rated (cancelled, rejected…).
    pub rag: Option<Rag>,
    /// Why.
    pub reason: String,
}

/// Ratings of every action, response, recommendation, plan and body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RagReport {
    /// The date rated.
    pub as_of: NaiveDate,
    /// The policy used.
    pub policy: RagPolicy,
    /// Per action.
    pub actions: Vec<RagLine>,
    /// Per response.
    pub responses: Vec<RagLine>,
    /// Per recommendation.
    pub recommendations: Vec<RagLine>,
    /// Per plan.
    pub plans: Vec<RagLine>,
    /// Per body with rated items.
    pub bodies: Vec<RagLine>,
}

fn level(blue: BlueWhen) -> u8 {
    match blue {
        BlueWhen::Completed => 1,
        BlueWhen::Verified => 2,
        BlueWhen::SignedOff => 3,
    }
}

fn action_level(s: ActionState) -> u8 {
    match s {
        ActionState::Completed => 1,
        ActionState::Verified => 2,
        ActionState::SignedOff => 3,
        _ => 0,
    }
}

fn implementation_level(s: ImplementationState) -> u8 {
    match s {
        ImplementationState::Implemented => 1,
        ImplementationState::Verified => 2,
        ImplementationState::SignedOff => 3,
        _ => 0,
    }
}

/// Orders ratings from best to worst: blue, green, amber, red.
fn severity(r: Rag) -> u8 {
    match r {
        Rag::Blue => 0,
        Rag::Green => 1,
        Rag::Amber => 2,
        Rag::Red => 3,
    }
}

impl RagPolicy {
    /// The rating of an action as of a date (`None` when cancelled).
    pub fn rate_action(&self, t: &Tracker, a: &Action, as_of: NaiveDate) -> Option<Rated> {
        if a.state == ActionState::Cancelled {
            return None;
        }
        let lvl = action_level(a.state);
        if lvl >= level(self.blue_when) {
            return rated(Rag::Blue, format!("{}", a.state));
        }
        if lvl > 0 {
            return rated(
                Rag::Green,
                format!("{}; awaiting {:?}", a.state, self.blue_when).to_lowercase(),
            );
        }
        let due = a.due.current();
        let late = days_between(due, as_of);
        if late > self.red_after_days_late {
            return rated(Rag::Red, format!("{late} days past its due date {due}"));
        }
        if a.state == ActionState::Blocked {
            if let Some(since) = a.blocked_since {
                let days = days_between(since.date_naive(), as_of);
                if days > self.red_when_blocked_longer_than_days {
                    return rated(Rag::Red, format!("blocked for {days} days"));
                }
            }
        }
        if a.state == ActionState::Deferred {
            return rated(Rag::Amber, "deferred");
        }
        let milestones: Vec<_> = t.milestones_of(a).collect();
        if self.amber_on_missed_milestone {
            if let Some(m) = milestones.iter().find(|m| {
                m.state == MilestoneState::Missed
                    || (m.state == MilestoneState::Pending && m.due.current() < as_of)
            }) {
                return rated(Rag::Amber, format!("milestone {} missed", m.id));
            }
        }
        if self.amber_on_revised_date {
            if a.due.revision_count() > 0 {
                return rated(
                    Rag::Amber,
                    format!("due date revised {} time(s)", a.due.revision_count()),
                );
            }
            if let Some(m) = milestones
                .iter()
                .find(|m| m.due.revision_count() > 0 || m.times_missed > 0)
            {
                return rated(Rag::Amber, format!("milestone {} rescheduled", m.id));
            }
        }
        let left = -late;
        if left <= self.amber_within_days {
            return rated(Rag::Amber, format!("due in {left} days with work left"));
        }
        rated(Rag::Green, "on track")
    }

    /// The rating of a response as of a date (`None` when not rated).
    pub fn rate_response(&self, t: &Tracker, r: &Response, as_of: NaiveDate) -> Option<Rated> {
        self.rate_response_with(t, r, as_of, |_, a| {
            self.rate_action(t, a, as_of).map(Cow::Owned)
        })
    }

    /// [`RagPolicy::rate_response`] with the ratings of actions (by position) given.
    fn rate_response_with<'x>(
        &self,
        t: &Tracker,
        r: &Response,
        as_of: NaiveDate,
        rate: impl Fn(usize, &Action) -> Option<Cow<'x, Rated>>,
    ) -> Option<Rated> {
        if matches!(
            r.implementation,
            ImplementationState::Superseded | ImplementationState::Withdrawn
        ) || matches!(r.state, ResponseState::Rejected | ResponseState::Noted)
        {
            return None;
        }
        let lvl = implementation_level(r.implementation);
        if lvl >= level(self.blue_when) {
            return rated(Rag::Blue, format!("implementation {}", r.implementation));
        }
        if r.state == ResponseState::Awaiting {
            return match r.clock.as_ref().and_then(|c| c.days_left(as_of)) {
                Some(left) if left < 0 => rated(Rag::Red, format!("reply {} days overdue", -left)),
                Some(left) if left <= self.amber_within_days => {
                    rated(Rag::Amber, format!("reply due in {left} days"))
                }
                _ => rated(Rag::Green, "awaiting a reply"),
            };
        }
        let worst = t
            .actions_answering_at(&r.recommendation)
            .filter(|(_, a)| t.is_within(&a.owner, &r.addressee))
            .filter_map(|(i, a)| rate(i, a).map(|x| (a, x)))
            .max_by_key(|(_, x)| severity(x.rag));
        match worst {
            None => {
                let due = t
                    .recommendation(&r.recommendation)
                    .ok()
                    .and_then(|rec| rec.due.as_ref().map(|d| d.current()));
                match due {
                    Some(d) if d < as_of && lvl == 0 => {
                        rated(Rag::Red, format!("accepted, no action, due {d} passed"))
                    }
                    _ if lvl > 0 => {
                        rated(Rag::Green, format!("implementation {}", r.implementation))
                    }
                    _ => rated(Rag::Amber, "accepted with no action answering it"),
                }
            }
            Some((_, x)) if x.rag == Rag::Blue => rated(
                Rag::Green,
                format!("every action done; implementation {}", r.implementation),
            ),
            Some((a, x)) => rated(x.rag, format!("action {}: {}", a.id, x.reason)),
        }
    }

    /// Adds up ratings of a plan's or body's items.
    pub fn aggregate(&self, items: &[Rag]) -> Option<Rated> {
        if items.is_empty() {
            return None;
        }
        let n = items.len() as f64;
        let red = items.iter().filter(|r| **r == Rag::Red).count();
        let amber = items.iter().filter(|r| **r == Rag::Amber).count();
        let blue = items.iter().filter(|r| **r == Rag::Blue).count();
        let counts = format!(
            "{} blue, {} green, {amber} amber, {red} red",
            blue,
            items.len() - red - amber - blue
        );
        if blue == items.len() {
            rated(Rag::Blue, counts)
        } else if red as f64 / n >= self.aggregation.red_share {
            rated(Rag::Red, counts)
        } else if (red + amber) as f64 / n >= self.aggregation.amber_share {
            rated(Rag::Amber, counts)
        } else {
            rated(Rag::Green, counts)
        }
    }
}

fn line(
    kind: EntityKind,
    id: &str,
    title: String,
    owner: &str,
    state: String,
    r: Option<Rated>,
) -> RagLine {
    let (rag, reason) = match r {
        Some(r) => (Some(r.rag), r.reason),
        None => (None, "not rated".to_string()),
    };
    RagLine {
        kind,
        id: id.to_string(),
        title,
        owner: owner.to_string(),
        state,
        rag,
        reason,
    }
}

/// Rates every action, response, recommendation, plan and body as of the end
/// of `as_of` under `policy`.
pub fn rag(tracker: &Tracker, as_of: NaiveDate, policy: &RagPolicy) -> RagReport {
    let t = state_at(tracker, as_of);
    let t: &Tracker = &t;
    // Every action is rated once; responses and plans reuse the ratings.
    let ratings: Vec<Option<Rated>> = t
        .actions()
        .map(|a| policy.rate_action(t, a, as_of))
        .collect();
    let mut by_body: BTreeMap<String, Vec<Rag>> = BTreeMap::new();
    let mut by_plan: Vec<Vec<Rag>> = vec![Vec::new(); t.plans.len()];
    for (a, r) in t.actions().zip(&ratings) {
        if let Some(r) = r {
            by_body.entry(a.owner.clone()).or_default().push(r.rag);
            if let Some(p) = t.plans.get_index_of(&a.plan) {
                by_plan[p].push(r.rag);
            }
        }
    }
    let mut by_rec: BTreeMap<&str, Vec<Rag>> = BTreeMap::new();
    let responses: Vec<RagLine> = t
        .responses()
        .map(|r| {
            let x = policy.rate_response_with(t, r, as_of, |i, _| {
                ratings.get(i)?.as_ref().map(Cow::Borrowed)
            });
            if let Some(x) = &x {
                by_rec
                    .entry(r.recommendation.as_str())
                    .or_default()
                    .push(x.rag);
                by_body.entry(r.addressee.clone()).or_default().push(x.rag);
            }
            let title = t
                .recommendation(&r.recommendation)
                .map(|x| x.title.to_string())
                .unwrap_or_default();
            line(
                EntityKind::Response,
                &r.id,
                title,
                &r.addressee,
                format!("{} / {}", r.state, r.implementation),
                x,
            )
        })
        .collect();
    let recommendations = t
        .recommendations()
        .map(|rec| {
            let worst = by_rec
                .get(rec.id.as_str())
                .and_then(|v| v.iter().copied().max_by_key(|r| severity(*r)));
            let owner = rec.addressees.join(", ");
            let r = worst.map(|w| Rated {
                rag: w,
                reason: "worst of its responses".into(),
            });
            line(
                EntityKind::Recommendation,
                &rec.id,
                rec.title.to_string(),
                &owner,
                format!("{} response(s)", t.responses_to(&rec.id).count()),
                r,
            )
        })
        .collect();
    let plans = t
        .plans()
        .zip(&by_plan)
        .map(|(p, items)| {
            line(
                EntityKind::Plan,
                &p.id,
                p.title.to_string(),
                &p.owner,
                format!("{} action(s)", p.actions.len()),
                policy.aggregate(items),
            )
        })
        .collect();
    let bodies = t
        .bodies()
        .filter_map(|b| {
            let items = by_body.get(&b.id)?;
            Some(line(
                EntityKind::Body,
                &b.id,
                b.name.to_string(),
                &b.id,
                format!("{} rated item(s)", items.len()),
                policy.aggregate(items),
            ))
        })
        .collect();
    let actions: Vec<RagLine> = t
        .actions()
        .zip(ratings)
        .map(|(a, r)| {
            line(
                EntityKind::Action,
                &a.id,
                a.title.to_string(),
                &a.owner,
                a.state.to_string(),
                r,
            )
        })
        .collect();
    RagReport {
        as_of,
        policy: policy.clone(),
        actions,
        responses,
        recommendations,
        plans,
        bodies,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{d, given};
    use super::*;

    fn rag_of(report: &RagReport, kind: EntityKind, id: &str) -> Option<Rag> {
        let lines = match kind {
            EntityKind::Action => &report.actions,
            EntityKind::Response => &report.responses,
            EntityKind::Recommendation => &report.recommendations,
            EntityKind::Plan => &report.plans,
            _ => &report.bodies,
        };
        lines.iter().find(|l| l.id == id).and_then(|l| l.rag)
    }

    #[test]
    fn each_action_rule_by_hand() {
        let mut f = given();
        f.recommendation("R1");
        f.accept("R1");
        // Due 2024-06-30, as of 2024-05-01: 60 days left -> green.
        f.action("A-green", &["R1"], d("2024-06-30"));
        // Due 2024-05-20: 19 days left, within 30 -> amber.
        f.action("A-soon", &["R1"], d("2024-05-20"));
        // Due 2024-04-30: one day late -> red.
        f.action("A-late", &["R1"], d("2024-04-30"));
        // Blocked since 2024-03-01: 61 days > 28 -> red.
        f.action("A-blocked", &[], d("2024-12-31"));
        // Milestone due 2024-04-15, still pending on 2024-05-01 -> amber.
        f.action("A-ms", &[], d("2024-12-31"));
        f.milestone("A-ms/M1", "A-ms", d("2024-04-15"));
        // Verified -> blue; completed only -> green.
        f.action("A-done", &[], d("2024-12-31"));
        f.action("A-claimed", &[], d("2024-12-31"));
        f.action("A-cancelled", &[], d("2024-12-31"));
        f.on(d("2024-03-01"));
        f.start("A-blocked");
        f.block("A-blocked");
        f.start("A-done");
        f.complete("A-done");
        f.verify("A-done", "v");
        f.start("A-claimed");
        f.complete("A-claimed");
        f.cancel("A-cancelled");
        let t = f.into_tracker();
        let rep = rag(&t, d("2024-05-01"), &RagPolicy::default());
        use EntityKind::Action as A;
        assert_eq!(rag_of(&rep, A, "A-green"), Some(Rag::Green));
        assert_eq!(rag_of(&rep, A, "A-soon"), Some(Rag::Amber));
        assert_eq!(rag_of(&rep, A, "A-late"), Some(Rag::Red));
        assert_eq!(rag_of(&rep, A, "A-blocked"), Some(Rag::Red));
        assert_eq!(rag_of(&rep, A, "A-ms"), Some(Rag::Amber));
        assert_eq!(rag_of(&rep, A, "A-done"), Some(Rag::Blue));
        assert_eq!(rag_of(&rep, A, "A-claimed"), Some(Rag::Green));
        assert_eq!(rag_of(&rep, A, "A-cancelled"), None);
        // The response to R1 takes the worst of A-green, A-soon, A-late: red.
        assert_eq!(rag_of(&rep, EntityKind::Response, "R1@b"), Some(Rag::Red));
        assert_eq!(
            rag_of(&rep, EntityKind::Recommendation, "R1"),
            Some(Rag::Red)
        );
        // Plan P: 7 rated actions: 1 blue, 2 green, 2 amber, 2 red.
        // Red share 2/7 >= 0.25 -> red.
        assert_eq!(rag_of(&rep, EntityKind::Plan, "P"), Some(Rag::Red));
        let p = rep.plans.iter().find(|l| l.id == "P").unwrap();
        assert_eq!(p.reason, "1 blue, 2 green, 2 amber, 2 red");
    }

    #[test]
    fn the_report_rates_each_item_as_the_policy_does_alone() {
        let t = crate::example::tracker();
        let policy = RagPolicy::default();
        for as_of in [d("2024-06-30"), d("2024-12-31"), crate::example::as_of()] {
            let report = rag(&t, as_of, &policy);
            let past = state_at(&t, as_of);
            let rated = |x: Option<Rated>| match x {
                Some(r) => (Some(r.rag), r.reason),
                None => (None, "not rated".to_string()),
            };
            for (a, line) in past.actions().zip(&report.actions) {
                let alone = rated(policy.rate_action(&past, a, as_of));
                assert_eq!((line.rag, line.reason.clone()), alone, "{}", a.id);
            }
            for (r, line) in past.responses().zip(&report.responses) {
                let alone = rated(policy.rate_response(&past, r, as_of));
                assert_eq!((line.rag, line.reason.clone()), alone, "{}", r.id);
            }
        }
    }

    #[test]
    fn thresholds_are_data() {
        let mut f = given();
        f.action("A", &[], d("2024-05-20"));
        f.action("B", &[], d("2024-04-25"));
        let t = f.into_tracker();
        let strict = RagPolicy::default();
        let lenient = RagPolicy {
            amber_within_days: 7,
            red_after_days_late: 10,
            ..RagPolicy::default()
        };
        let s = rag(&t, d("2024-05-01"), &strict);
        let l = rag(&t, d("2024-05-01"), &lenient);
        // A: 19 days left. Amber under 30, green under 7.
        assert_eq!(rag_of(&s, EntityKind::Action, "A"), Some(Rag::Amber));
        assert_eq!(rag_of(&l, EntityKind::Action, "A"), Some(Rag::Green));
        // B: 6 days late. Red from day 1, but amber (due passed, within 7) when red waits for 10.
        assert_eq!(rag_of(&s, EntityKind::Action, "B"), Some(Rag::Red));
        assert_eq!(rag_of(&l, EntityKind::Action, "B"), Some(Rag::Amber));
        let json = serde_json::to_string(&lenient).unwrap();
        let back: RagPolicy = serde_json::from_str(&json).unwrap();
        assert_eq!(back, lenient);
        let partial: RagPolicy = serde_json::from_str(r#"{"amber_within_days": 3}"#).unwrap();
        assert_eq!(partial.amber_within_days, 3);
        assert_eq!(partial.red_when_blocked_longer_than_days, 28);
    }

    #[test]
    fn responses_by_hand() {
        let mut f = given();
        // Clock of 56 days from 2024-01-10: deadline 2024-03-06.
        f.recommendation_with("R-clock", |r| r.reply_within_days = Some(56));
        f.recommendation_with("R-none", |r| r.due = Some(d("2024-04-01")));
        f.recommendation("R-rej");
        f.accept("R-none");
        f.reject("R-rej");
        let t = f.into_tracker();
        let p = RagPolicy::default();
        // 2024-03-01: 5 days left -> amber; 2024-03-08: 2 days overdue -> red.
        let a = rag(&t, d("2024-03-01"), &p);
        assert_eq!(
            rag_of(&a, EntityKind::Response, "R-clock@b"),
            Some(Rag::Amber)
        );
        let r = rag(&t, d("2024-03-08"), &p);
        assert_eq!(
            rag_of(&r, EntityKind::Response, "R-clock@b"),
            Some(Rag::Red)
        );
        // Accepted, no action: amber before its due date, red after.
        assert_eq!(
            rag_of(&a, EntityKind::Response, "R-none@b"),
            Some(Rag::Amber)
        );
        let later = rag(&t, d("2024-04-02"), &p);
        assert_eq!(
            rag_of(&later, EntityKind::Response, "R-none@b"),
            Some(Rag::Red)
        );
        // Rejected: not rated, and the recommendation with only that response neither.
        assert_eq!(rag_of(&a, EntityKind::Response, "R-rej@b"), None);
        assert_eq!(rag_of(&a, EntityKind::Recommendation, "R-rej"), None);
    }

    #[test]
    fn aggregation_by_share() {
        let p = RagPolicy::default();
        use Rag::*;
        assert_eq!(p.aggregate(&[]), None);
        assert_eq!(p.aggregate(&[Blue, Blue]).unwrap().rag, Blue);
        // 1 red of 4 = 0.25 -> red.
        assert_eq!(p.aggregate(&[Red, Green, Green, Blue]).unwrap().rag, Red);
        // 1 red of 5 = 0.2 < 0.25, red+amber 2/5 = 0.4 -> amber.
        assert_eq!(
            p.aggregate(&[Red, Amber, Green, Green, Green]).unwrap().rag,
            Amber
        );
        // 1 amber of 5 = 0.2 -> green.
        assert_eq!(
            p.aggregate(&[Amber, Green, Green, Green, Blue])
                .unwrap()
                .rag,
            Green
        );
    }
}
