//! Self against independent ratings, side by side with the computed one.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::engine::tracker::Tracker;
use crate::model::scrutiny::{Rag, Ratings};
use crate::model::subject::EntityKind;

use super::rag::RagPolicy;
use super::state_at;

/// One item's ratings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingPair {
    /// Action or response.
    pub kind: EntityKind,
    /// Identifier.
    pub id: String,
    /// Title.
    pub title: String,
    /// The owning body.
    pub owner: String,
    /// The owner's own latest rating.
    pub self_rag: Option<Rag>,
    /// When it was given.
    pub self_at: Option<DateTime<Utc>>,
    /// The monitor's latest rating.
    pub independent: Option<Rag>,
    /// Who gave it.
    pub independent_by: Option<String>,
    /// The rating the policy computes.
    pub computed: Option<Rag>,
    /// True when both ratings exist and differ.
    pub disagree: bool,
}

fn pair(
    kind: EntityKind,
    id: &str,
    title: String,
    owner: &str,
    r: &Ratings,
    computed: Option<Rag>,
) -> Option<RatingPair> {
    if r.self_assessed.is_none() && r.independent.is_none() {
        return None;
    }
    Some(RatingPair {
        kind,
        id: id.to_string(),
        title,
        owner: owner.to_string(),
        self_rag: r.self_assessed.as_ref().map(|x| x.rag),
        self_at: r.self_assessed.as_ref().map(|x| x.at),
        independent: r.independent.as_ref().map(|x| x.rag),
        independent_by: r.independent.as_ref().map(|x| x.by.clone()),
        computed,
        disagree: r.disagree(),
    })
}

/// Every action and response with a self or independent rating at the end
/// of `as_of`, disagreements first.
pub fn ratings(tracker: &Tracker, as_of: NaiveDate, policy: &RagPolicy) -> Vec<RatingPair> {
    let t = state_at(tracker, as_of);
    let t: &Tracker = &t;
    let mut out: Vec<RatingPair> = Vec::new();
    for a in t.actions() {
        let c = policy.rate_action(t, a, as_of).map(|x| x.rag);
        out.extend(pair(
            EntityKind::Action,
            &a.id,
            a.title.to_string(),
            &a.owner,
            &a.ratings,
            c,
        ));
    }
    for r in t.responses() {
        let c = policy.rate_response(t, r, as_of).map(|x| x.rag);
        let title = t
            .recommendation(&r.recommendation)
            .map(|x| x.title.to_string())
            .unwrap_or_default();
        out.extend(pair(
            EntityKind::Response,
            &r.id,
            title,
            &r.addressee,
            &r.ratings,
            c,
        ));
    }
    out.sort_by_key(|p| !p.disagree);
    out
}

#[cfg(test)]
mod tests {
    use super::super::{d, given};
    use super::*;
    use crate::commands::Rate;
    use crate::fixture::Given;
    use crate::{Assessment, Subject};

    #[test]
    fn side_by_side_by_hand() {
        let mut f = given();
        f.action("A", &[], d("2024-12-31"));
        f.action("B", &[], d("2024-12-31"));
        f.action("C", &[], d("2024-12-31"));
        let rate = |f: &mut Given, actor: &str, id: &str, rag: Rag, assessment| {
            f.run(
                actor,
                Rate::new(Subject::action(id), rag, assessment).into(),
            );
        };
        rate(&mut f, "admin", "A", Rag::Green, Assessment::SelfAssessment);
        rate(&mut f, "v", "A", Rag::Red, Assessment::Independent);
        rate(&mut f, "admin", "B", Rag::Amber, Assessment::SelfAssessment);
        rate(&mut f, "v", "B", Rag::Amber, Assessment::Independent);
        let rows = ratings(f.tracker(), d("2024-03-01"), &RagPolicy::default());
        // C has no rating and is left out; A disagrees and comes first.
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].id.as_str(), rows[0].disagree), ("A", true));
        assert_eq!(
            (rows[0].self_rag, rows[0].independent),
            (Some(Rag::Green), Some(Rag::Red))
        );
        assert_eq!(rows[0].independent_by.as_deref(), Some("v"));
        assert_eq!(rows[0].computed, Some(Rag::Green));
        assert_eq!((rows[1].id.as_str(), rows[1].disagree), ("B", false));
    }
}
