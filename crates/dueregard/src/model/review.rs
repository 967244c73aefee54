//! Reviews and their numbered recommendations.

pub(crate) mod commands;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::machine::states;
use crate::model::schedule::TargetDate;
use crate::model::text::Text;

states! {
    /// What kind of report makes the recommendations.
    pub enum ReviewKind {
        /// An independent review (e.g. the Casey Review).
        IndependentReview => "independent_review",
        /// An inspection (e.g. by HMICFRS).
        Inspection => "inspection",
        /// An investigation (e.g. by the IOPC).
        Investigation => "investigation",
        /// A public inquiry.
        Inquiry => "inquiry",
        /// A police and crime panel or scrutiny committee report.
        PanelReport => "panel_report",
        /// A coroner's prevention of future deaths report.
        PreventionOfFutureDeaths => "prevention_of_future_deaths",
        /// Anything else.
        Other => "other",
    }
}

/// A report that makes recommendations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Review {
    /// Identifier, e.g. `casey-2023`.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Kind of report.
    pub kind: ReviewKind,
    /// Body that published it.
    pub publisher: String,
    /// Publication date.
    pub published: NaiveDate,
    /// Recommendation identifiers, in the order added.
    pub recommendations: Vec<String>,
}

states! {
    /// How two recommendations relate.
    pub enum Relation {
        /// The first replaces the second.
        Supersedes => "supersedes",
        /// The first repeats the second.
        Duplicates => "duplicates",
        /// The two ask for overlapping work.
        Overlaps => "overlaps",
    }
}

/// A link from one recommendation to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecommendationLink {
    /// How this recommendation relates to the other.
    pub relation: Relation,
    /// The other recommendation.
    pub other: String,
}

/// A numbered recommendation of a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Recommendation {
    /// Identifier, e.g. `casey-2023/R4`.
    pub id: String,
    /// The review that made it.
    pub review: String,
    /// Number as printed in the report, e.g. `4` or `4.2`.
    pub number: String,
    /// Short title.
    pub title: Text,
    /// Full text, when kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
    /// Bodies asked to act; each gets a [`crate::Response`].
    pub addressees: Vec<String>,
    /// Themes for roll-ups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    /// When it should be implemented, if the review says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<TargetDate>,
    /// A priority recommendation.
    #[serde(default)]
    pub priority: bool,
    /// Links to other recommendations (supersedes, duplicates, overlaps).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<RecommendationLink>,
}
