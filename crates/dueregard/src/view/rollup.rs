//! Roll-ups by review, recommendation, body, plan, theme or reporting
//! period: counts per state, share implemented and verified, overdue count,
//! median days late and indicator progress.
//!
//! Actions fall into groups as follows: by review, every review one of the
//! recommendations it answers belongs to (an action counts once per review);
//! by recommendation, each recommendation it answers; by body, its owner; by
//! plan, its plan; by theme, its theme (`(none)` without one); by period, the
//! reporting quarter of its current due date. Responses fall into groups by
//! review, recommendation, body (the addressee) and theme (the
//! recommendation's themes); plans and periods count no responses.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::engine::tracker::Tracker;
use crate::model::action::{Action, ActionState};
use crate::model::response::{ImplementationState, Response};

use super::period::PeriodConfig;
use super::{days_between, median, state_at, StateCounts};

/// What to group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The review.
    Review,
    /// The recommendation.
    Recommendation,
    /// The owning or addressed body.
    Body,
    /// The plan.
    Plan,
    /// The theme.
    Theme,
    /// The reporting quarter of the due date.
    Period,
}

/// One group's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollupRow {
    /// The group's key (an identifier, theme or period label).
    pub group: String,
    /// Actions in the group, cancelled included.
    pub actions: usize,
    /// Actions per state.
    pub action_states: BTreeMap<String, usize>,
    /// Responses per implementation state.
    pub implementation_states: BTreeMap<String, usize>,
    /// Share of non-cancelled actions completed, verified or signed off, 0–100.
    pub implemented_pct: Option<f64>,
    /// Share of non-cancelled actions verified or signed off, 0–100.
    pub verified_pct: Option<f64>,
    /// Open actions past their due date.
    pub overdue: usize,
    /// Median days late of those overdue actions.
    pub median_days_late: Option<f64>,
    /// Mean progress toward target of the indicators of the group's actions
    /// (and, by plan, of the plan), 0–100.
    pub indicator_progress_pct: Option<f64>,
}

/// Calls `f` with each group an action falls into (once per group).
fn action_keys(
    t: &Tracker,
    a: &Action,
    by: GroupBy,
    periods: &PeriodConfig,
    mut f: impl FnMut(&str),
) {
    match by {
        GroupBy::Review => {
            let reviews: BTreeSet<&str> = a
                .answers
                .iter()
                .filter_map(|r| t.recommendation(r).ok().map(|x| x.review.as_str()))
                .collect();
            reviews.into_iter().for_each(f);
        }
        GroupBy::Recommendation => a.answers.iter().for_each(|r| f(r)),
        GroupBy::Body => f(&a.owner),
        GroupBy::Plan => f(&a.plan),
        GroupBy::Theme => f(a.theme.as_deref().unwrap_or("(none)")),
        GroupBy::Period => f(&periods.quarter_of(a.due.current()).label),
    }
}

/// Calls `f` with each group a response falls into.
fn response_keys(t: &Tracker, r: &Response, by: GroupBy, mut f: impl FnMut(&str)) {
    let rec = t.recommendation(&r.recommendation).ok();
    match by {
        GroupBy::Review => rec.into_iter().for_each(|x| f(&x.review)),
        GroupBy::Recommendation => f(&r.recommendation),
        GroupBy::Body => f(&r.addressee),
        GroupBy::Theme => rec.into_iter().flat_map(|x| &x.themes).for_each(|k| f(k)),
        GroupBy::Plan | GroupBy::Period => {}
    }
}

#[derive(Default)]
struct Acc {
    actions: usize,
    action_states: StateCounts<ActionState>,
    implementation_states: StateCounts<ImplementationState>,
    live: usize,
    done: usize,
    verified: usize,
    late: Vec<i64>,
    indicators: BTreeSet<String>,
}

/// The groups met so far, found by key without allocating for known ones.
#[derive(Default)]
struct Groups {
    index: HashMap<String, usize, foldhash::fast::RandomState>,
    accs: Vec<Acc>,
}

impl Groups {
    fn get(&mut self, key: &str) -> &mut Acc {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.index.insert(key.to_string(), self.accs.len());
                self.accs.push(Acc::default());
                self.accs.len() - 1
            }
        };
        &mut self.accs[i]
    }
}

/// Trackers with at least this many actions are rolled up on two threads.
const TWO_THREADS_FROM: usize = 50_000;

impl Acc {
    /// Adds another part's figures for the same group.
    fn absorb(&mut self, o: Acc) {
        self.actions += o.actions;
        self.action_states.merge(&o.action_states);
        self.implementation_states.merge(&o.implementation_states);
        self.live += o.live;
        self.done += o.done;
        self.verified += o.verified;
        self.late.extend(o.late);
        self.indicators.extend(o.indicators);
    }
}

impl Groups {
    /// Adds another part's groups.
    fn absorb(&mut self, other: Groups) {
        let mut accs: Vec<Option<Acc>> = other.accs.into_iter().map(Some).collect();
        for (key, i) in other.index {
            if let Some(acc) = accs.get_mut(i).and_then(Option::take) {
                self.get(&key).absorb(acc);
            }
        }
    }
}

/// The groups of some actions.
fn action_groups<'a>(
    t: &Tracker,
    actions: impl Iterator<Item = &'a Action>,
    as_of: NaiveDate,
    by: GroupBy,
    periods: &PeriodConfig,
) -> Groups {
    let mut groups = Groups::default();
    for a in actions {
        let done = a.state.is_done();
        let verified = matches!(a.state, ActionState::Verified | ActionState::SignedOff);
        let due = a.due.current();
        let late = (a.state.is_open() && due < as_of).then(|| days_between(due, as_of));
        action_keys(t, a, by, periods, |key| {
            let g = groups.get(key);
            g.actions += 1;
            g.action_states.add(a.state);
            if a.state != ActionState::Cancelled {
                g.live += 1;
            }
            g.done += usize::from(done);
            g.verified += usize::from(verified);
            if let Some(days) = late {
                g.late.push(days);
            }
            g.indicators.extend(a.indicators.iter().cloned());
        });
    }
    groups
}

/// The groups of every action: on two threads (each half of the actions,
/// then merged) when there are at least `two_threads_from`.
fn all_action_groups(
    t: &Tracker,
    as_of: NaiveDate,
    by: GroupBy,
    periods: &PeriodConfig,
    two_threads_from: usize,
) -> Groups {
    let all = t.actions.as_slice();
    if all.len() < two_threads_from.max(2) {
        return action_groups(t, all.values(), as_of, by, periods);
    }
    let (first, second) = all.split_at(all.len() / 2);
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, || {
            action_groups(t, second.values(), as_of, by, periods)
        });
        let mut groups = action_groups(t, first.values(), as_of, by, periods);
        match other.map(|h| h.join()) {
            Ok(Ok(rest)) => groups.absorb(rest),
            // No second thread (or it failed): do its half here.
            _ => groups.absorb(action_groups(t, second.values(), as_of, by, periods)),
        }
        groups
    })
}

/// Figures per group at the end of `as_of`, in key order.
pub fn rollup(
    tracker: &Tracker,
    as_of: NaiveDate,
    by: GroupBy,
    periods: &PeriodConfig,
) -> Vec<RollupRow> {
    rollup_from(tracker, as_of, by, periods, TWO_THREADS_FROM)
}

fn rollup_from(
    tracker: &Tracker,
    as_of: NaiveDate,
    by: GroupBy,
    periods: &PeriodConfig,
    two_threads_from: usize,
) -> Vec<RollupRow> {
    let t = state_at(tracker, as_of);
    let t: &Tracker = &t;
    let mut groups = all_action_groups(t, as_of, by, periods, two_threads_from);
    for r in t.responses() {
        response_keys(t, r, by, |key| {
            groups.get(key).implementation_states.add(r.implementation);
        });
    }
    if by == GroupBy::Plan {
        for i in t.indicators() {
            if let Some(p) = &i.plan {
                groups.get(p).indicators.insert(i.id.clone());
            }
        }
    }
    let pct = |n: usize, d: usize| (d > 0).then(|| 100.0 * n as f64 / d as f64);
    let mut keyed: Vec<(String, usize)> = groups.index.into_iter().collect();
    keyed.sort_unstable();
    let mut accs: Vec<Option<Acc>> = groups.accs.into_iter().map(Some).collect();
    keyed
        .into_iter()
        .filter_map(|(group, i)| Some((group, accs.get_mut(i)?.take()?)))
        .map(|(group, mut g)| {
            let progress: Vec<f64> = g
                .indicators
                .iter()
                .filter_map(|i| t.indicator(i).ok()?.progress(as_of))
                .collect();
            RollupRow {
                group,
                actions: g.actions,
                implemented_pct: pct(g.done, g.live),
                verified_pct: pct(g.verified, g.live),
                overdue: g.late.len(),
                median_days_late: median(&mut g.late),
                indicator_progress_pct: (!progress.is_empty())
                    .then(|| 100.0 * progress.iter().sum::<f64>() / progress.len() as f64),
                action_states: g.action_states.named(),
                implementation_states: g.implementation_states.named(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::overdue::{overdue, OverdueKind};
    use super::super::{d, given};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn two_threads_give_the_same_rows_as_one() {
        let t = crate::example::tracker();
        let periods = PeriodConfig::uk();
        for by in [
            GroupBy::Review,
            GroupBy::Recommendation,
            GroupBy::Body,
            GroupBy::Plan,
            GroupBy::Theme,
            GroupBy::Period,
        ] {
            for as_of in [d("2024-06-30"), crate::example::as_of()] {
                let one = rollup_from(&t, as_of, by, &periods, usize::MAX);
                assert!(!one.is_empty());
                assert_eq!(rollup_from(&t, as_of, by, &periods, 0), one, "{by:?}");
            }
        }
    }

    #[test]
    fn by_theme_and_period_by_hand() {
        let mut f = given();
        f.recommendation_with("R1", |r| r.themes = vec!["t1".into()]);
        f.recommendation_with("R2", |r| r.themes = vec!["t2".into()]);
        f.action_with("A", &["R1", "R2"], d("2024-05-01"), |a| {
            a.theme = Some("x".into())
        }); // 2024/25 Q1, 31 late
        f.action_with("B", &["R1"], d("2024-05-21"), |a| {
            a.theme = Some("x".into())
        }); // Q1, 11 late
        f.action_with("C", &["R2"], d("2024-05-26"), |a| {
            a.theme = Some("x".into())
        }); // Q1, 6 late
        f.action("D", &[], d("2024-10-01")); // Q3
        f.action("E", &[], d("2024-03-01")); // 2023/24 Q4, cancelled
        f.start("D");
        f.complete("D");
        f.cancel("E");
        let t = f.into_tracker();
        let periods = PeriodConfig::uk();
        let by_theme = rollup(&t, d("2024-06-01"), GroupBy::Theme, &periods);
        // Action themes (none), x; recommendation themes t1, t2 (responses only).
        let groups: Vec<&str> = by_theme.iter().map(|r| r.group.as_str()).collect();
        assert_eq!(groups, vec!["(none)", "t1", "t2", "x"]);
        assert_eq!(
            (
                by_theme[1].actions,
                by_theme[1].implementation_states.get("not_started")
            ),
            (0, Some(&1))
        );
        let (none, x) = (&by_theme[0], &by_theme[3]);
        assert_eq!((none.group.as_str(), none.actions), ("(none)", 2));
        // D done, E cancelled: 1 of 1 non-cancelled done.
        assert_eq!(none.implemented_pct, Some(100.0));
        assert_eq!(none.verified_pct, Some(0.0));
        assert_eq!((x.group.as_str(), x.actions, x.overdue), ("x", 3, 3));
        // Days late 31, 11, 6: median 11.
        assert_eq!(x.median_days_late, Some(11.0));
        assert_eq!(x.implemented_pct, Some(0.0));
        let by_period = rollup(&t, d("2024-06-01"), GroupBy::Period, &periods);
        let labels: Vec<(&str, usize)> = by_period
            .iter()
            .map(|r| (r.group.as_str(), r.actions))
            .collect();
        assert_eq!(
            labels,
            vec![("2023/24 Q4", 1), ("2024/25 Q1", 3), ("2024/25 Q3", 1)]
        );
        let by_rec = rollup(&t, d("2024-06-01"), GroupBy::Recommendation, &periods);
        // A answers both; R1 gets A and B, R2 gets A and C; each has one response.
        let recs: Vec<(&str, usize, usize)> = by_rec
            .iter()
            .map(|r| {
                (
                    r.group.as_str(),
                    r.actions,
                    r.implementation_states.values().sum(),
                )
            })
            .collect();
        assert_eq!(recs, vec![("R1", 2, 1), ("R2", 2, 1)]);
        let by_review = rollup(&t, d("2024-06-01"), GroupBy::Review, &periods);
        // A counts once for REV although it answers two of its recommendations.
        assert_eq!(
            (by_review[0].group.as_str(), by_review[0].actions),
            ("REV", 3)
        );
    }

    #[derive(Debug, Clone)]
    enum Fate {
        Planned,
        Started,
        Completed,
        Verified,
        Cancelled,
    }

    fn fate() -> impl Strategy<Value = Fate> {
        prop_oneof![
            Just(Fate::Planned),
            Just(Fate::Started),
            Just(Fate::Completed),
            Just(Fate::Verified),
            Just(Fate::Cancelled),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        /// Roll-ups add up to the underlying counts whatever the grouping.
        #[test]
        fn rollups_add_up(
            actions in proptest::collection::vec((fate(), 0u32..365, 0usize..3, 0usize..3), 1..12),
            as_of_day in 10u32..400,
        ) {
            let mut f = given();
            for r in 0..3 {
                f.recommendation_with(&format!("R{r}"), |rec| rec.themes = vec![format!("t{r}")]);
            }
            let base = d("2024-01-01");
            for (i, (_, due, rec, theme)) in actions.iter().enumerate() {
                let due = base + chrono::Days::new(u64::from(*due));
                let rec = format!("R{rec}");
                let theme = format!("x{theme}");
                let answers: Vec<&str> = if i % 4 == 3 { vec![] } else { vec![rec.as_str()] };
                f.action_with(&format!("A{i}"), &answers, due, |a| a.theme = Some(theme));
            }
            for (i, (fate, ..)) in actions.iter().enumerate() {
                let id = format!("A{i}");
                match fate {
                    Fate::Planned => {}
                    Fate::Started => { f.start(&id); }
                    Fate::Completed => { f.start(&id).complete(&id); }
                    Fate::Verified => { f.start(&id).complete(&id).verify(&id, "v"); }
                    Fate::Cancelled => { f.cancel(&id); }
                }
            }
            let t = f.into_tracker();
            let as_of = base + chrono::Days::new(u64::from(as_of_day));
            let late_actions = overdue(&t, as_of).iter().filter(|o| o.kind == OverdueKind::Action).count();
            let periods = PeriodConfig::uk();
            // Groupings that put each action in exactly one group.
            for by in [GroupBy::Body, GroupBy::Plan, GroupBy::Theme, GroupBy::Period] {
                let rows = rollup(&t, as_of, by, &periods);
                prop_assert_eq!(rows.iter().map(|r| r.actions).sum::<usize>(), actions.len());
                prop_assert_eq!(rows.iter().map(|r| r.overdue).sum::<usize>(), late_actions);
                for r in &rows {
                    prop_assert_eq!(r.action_states.values().sum::<usize>(), r.actions);
                    if let (Some(i), Some(v)) = (r.implemented_pct, r.verified_pct) {
                        prop_assert!(v <= i + 1e-9 && i <= 100.0 + 1e-9);
                    }
                }
            }
            // By recommendation, each action counts once per recommendation it answers.
            let rows = rollup(&t, as_of, GroupBy::Recommendation, &periods);
            let answering: usize = t.actions().map(|a| a.answers.len()).sum();
            prop_assert_eq!(rows.iter().map(|r| r.actions).sum::<usize>(), answering);
            let responses: usize = rows.iter().map(|r| r.implementation_states.values().sum::<usize>()).sum();
            prop_assert_eq!(responses, t.responses().len());
            // The per-state counts match the tracker's own.
            let plan = rollup(&t, as_of, GroupBy::Plan, &periods);
            let done = t.actions().filter(|a| a.state.is_done()).count();
            let live = t.actions().filter(|a| a.state != ActionState::Cancelled).count();
            let expected = (live > 0).then(|| 100.0 * done as f64 / live as f64);
            prop_assert_eq!(plan[0].implemented_pct, expected);
        }
    }
}
