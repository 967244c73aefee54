//! The commands that change reviews and their recommendations: each payload with its rules
//! (`decide`) and its effect (`apply`).

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::engine::apply::{fresh, get};
use crate::engine::decide::{non_blank, non_blank_text};
use crate::error::Error;
use crate::model::response::{response_id, ReplyClock, Response};
use crate::model::review::{Recommendation, RecommendationLink, Relation, Review, ReviewKind};
use crate::model::schedule::TargetDate;
use crate::model::text::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::{about, Payload, Refs};
use crate::engine::event::Event;
use crate::engine::guard::Check;
use crate::engine::tracker::Tracker;
use crate::error::Result;
use crate::model::subject::EntityKind;

/// Record a published review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishReview {
    /// New identifier.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Kind of report.
    pub kind: ReviewKind,
    /// Publishing body.
    pub publisher: String,
    /// Publication date.
    #[serde(deserialize_with = "crate::model::dates::date")]
    #[schemars(with = "NaiveDate")]
    pub published: NaiveDate,
}

impl PublishReview {
    /// The command with its required fields.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<Text>,
        kind: ReviewKind,
        publisher: impl Into<String>,
        published: NaiveDate,
    ) -> Self {
        PublishReview {
            id: id.into(),
            title: title.into(),
            kind,
            publisher: publisher.into(),
            published,
        }
    }
}

/// Add a recommendation to a review; a response is opened for each addressee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddRecommendation {
    /// New identifier.
    pub id: String,
    /// The review.
    pub review: String,
    /// Number as printed.
    pub number: String,
    /// Short title.
    pub title: Text,
    /// Full text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
    /// Bodies asked to act (at least one).
    pub addressees: Vec<String>,
    /// Themes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    /// Implementation due date, if set.
    #[serde(
        default,
        deserialize_with = "crate::model::dates::optional_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub due: Option<NaiveDate>,
    /// A priority recommendation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub priority: bool,
    /// A reply duty in days from publication (e.g. 56).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_within_days: Option<u32>,
    /// Days a change must hold after verification before sign-off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demonstration_days: Option<u32>,
}

impl AddRecommendation {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(
        id: impl Into<String>,
        review: impl Into<String>,
        number: impl Into<String>,
        title: impl Into<Text>,
        addressees: Vec<String>,
    ) -> Self {
        AddRecommendation {
            id: id.into(),
            review: review.into(),
            number: number.into(),
            title: title.into(),
            text: Default::default(),
            addressees,
            themes: Default::default(),
            due: Default::default(),
            priority: Default::default(),
            reply_within_days: Default::default(),
            demonstration_days: Default::default(),
        }
    }
}

/// Link one recommendation to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkRecommendations {
    /// The recommendation that relates.
    pub from: String,
    /// How.
    pub relation: Relation,
    /// The other recommendation.
    pub to: String,
}

impl LinkRecommendations {
    /// The command with its required fields.
    pub fn new(from: impl Into<String>, relation: Relation, to: impl Into<String>) -> Self {
        LinkRecommendations {
            from: from.into(),
            relation,
            to: to.into(),
        }
    }
}

about! {
    PublishReview => Review by id;
    AddRecommendation => Recommendation by id;
    LinkRecommendations => Recommendation by from;
}

impl Payload for PublishReview {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.one(EntityKind::Body, &self.publisher);
    }
    fn owner<'a>(&'a self, _: &'a Tracker) -> Result<Option<Cow<'a, str>>> {
        Ok(Some(self.publisher.as_str().into()))
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let t = c.tracker;
        c.new_id(EntityKind::Review, &self.id)?;
        t.body(&self.publisher)?;
        non_blank_text("title", &self.title)
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        fresh(&t.reviews, e.seq, EntityKind::Review, &self.id)?;
        t.reviews.insert(
            self.id.clone(),
            Review {
                id: self.id.clone(),
                title: self.title.clone(),
                kind: self.kind,
                publisher: self.publisher.clone(),
                published: self.published,
                recommendations: Vec::new(),
            },
        );
        Ok(())
    }
}

impl Payload for AddRecommendation {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.one(EntityKind::Review, &self.review)
            .all(EntityKind::Body, &self.addressees);
    }
    fn owner<'a>(&'a self, t: &'a Tracker) -> Result<Option<Cow<'a, str>>> {
        Ok(Some(t.review(&self.review)?.publisher.as_str().into()))
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let t = c.tracker;
        c.new_id(EntityKind::Recommendation, &self.id)?;
        let r = t.review(&self.review)?;
        non_blank("number", &self.number)?;
        non_blank_text("title", &self.title)?;
        if self.addressees.is_empty() {
            return Err(Error::invalid(
                "addressees",
                "name at least one body the recommendation is made to",
            ));
        }
        for (i, a) in self.addressees.iter().enumerate() {
            t.body(a)?;
            if self.addressees[..i].contains(a) {
                return Err(Error::invalid("addressees", format!("{a} is listed twice")));
            }
        }
        match self.due {
            Some(d) if d < r.published => Err(Error::invalid(
                "due",
                format!("{d} is before the review was published ({})", r.published),
            )),
            _ => Ok(()),
        }
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        let seq = e.seq;
        fresh(
            &t.recommendations,
            seq,
            EntityKind::Recommendation,
            &self.id,
        )?;
        for a in &self.addressees {
            let id = response_id(&self.id, a);
            fresh(&t.responses, seq, EntityKind::Response, &id)?;
        }
        let r = get(&mut t.reviews, seq, EntityKind::Review, &self.review)?;
        let published = r.published;
        r.recommendations.push(self.id.clone());
        t.recommendations.insert(
            self.id.clone(),
            Recommendation {
                id: self.id.clone(),
                review: self.review.clone(),
                number: self.number.clone(),
                title: self.title.clone(),
                text: self.text.clone(),
                addressees: self.addressees.clone(),
                themes: self.themes.clone(),
                due: self.due.map(TargetDate::new),
                priority: self.priority,
                links: Vec::new(),
            },
        );
        let started = published.max(e.at.date_naive());
        for a in &self.addressees {
            let clock = self.reply_within_days.map(|d| ReplyClock::new(started, d));
            let response = Response::opened(&self.id, a, clock, self.demonstration_days);
            t.responses.insert(response.id.clone(), response);
        }
        Ok(())
    }
}

impl Payload for LinkRecommendations {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.one(EntityKind::Recommendation, &self.from)
            .one(EntityKind::Recommendation, &self.to);
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        c.tracker.recommendation(&self.from)?;
        c.tracker.recommendation(&self.to)?;
        if self.from == self.to {
            return Err(Error::invalid(
                "to",
                "a recommendation cannot be linked to itself",
            ));
        }
        Ok(())
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        let kind = EntityKind::Recommendation;
        get(&mut t.recommendations, e.seq, kind, &self.to)?;
        get(&mut t.recommendations, e.seq, kind, &self.from)?
            .links
            .push(RecommendationLink {
                relation: self.relation,
                other: self.to.clone(),
            });
        Ok(())
    }
}
