//! Scrutiny: evidence, notes, committee decisions and ratings.

pub(crate) mod commands;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::machine::states;
use crate::model::subject::{Subject, Visibility};
use crate::model::text::Text;

/// An evidence item attached to a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// Identifier.
    pub id: String,
    /// What it supports.
    pub about: Subject,
    /// A reference: a document number, URL or file name.
    pub reference: String,
    /// What it shows.
    pub description: Text,
    /// Actor who submitted it.
    pub submitted_by: String,
    /// When.
    pub submitted_at: DateTime<Utc>,
    /// Whether it may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

/// A note on any entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Note {
    /// What it is about.
    pub about: Subject,
    /// The note.
    pub text: Text,
    /// Who wrote it.
    pub author: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Whether it may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

states! {
    /// What a committee or panel decided about an item.
    pub enum ScrutinyOutcome {
        /// Noted.
        Noted => "noted",
        /// Satisfied that regard has been had.
        Satisfied => "satisfied",
        /// Not satisfied.
        NotSatisfied => "not_satisfied",
        /// A further report is requested for a later meeting.
        FurtherReportRequested => "further_report_requested",
    }
}

/// A decision of a committee or panel at a dated meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScrutinyDecision {
    /// Identifier, e.g. `dc-panel/2015-06-26/3`.
    pub id: String,
    /// The committee or panel.
    pub committee: String,
    /// Meeting date.
    pub meeting: NaiveDate,
    /// What was considered.
    pub about: Subject,
    /// The outcome.
    pub outcome: ScrutinyOutcome,
    /// For a further report: the meeting it is expected at (a work programme item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_due: Option<NaiveDate>,
    /// The minute, in the tracker's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minute: Option<Text>,
    /// Who recorded it.
    pub recorded_by: String,
}

states! {
    /// A RAG (red/amber/green) rating, with blue for complete (BRAG).
    pub enum Rag {
        /// Complete.
        Blue => "blue",
        /// On track or achieved.
        Green => "green",
        /// Acceptable progress with concerns.
        Amber => "amber",
        /// Unacceptable progress.
        Red => "red",
    }
}

states! {
    /// Whose rating it is.
    pub enum Assessment {
        /// The owner's own rating.
        SelfAssessment => "self",
        /// The monitor's independent rating.
        Independent => "independent",
    }
}

/// A rating given by someone at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Rating {
    /// The rating.
    pub rag: Rag,
    /// Who gave it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The owner's self-assessment and the monitor's independent assessment, side by side.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Ratings {
    /// The owner's latest own rating.
    #[serde(default, rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_assessed: Option<Rating>,
    /// The monitor's latest rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub independent: Option<Rating>,
}

impl Ratings {
    /// True when both ratings exist and differ.
    pub fn disagree(&self) -> bool {
        match (&self.self_assessed, &self.independent) {
            (Some(a), Some(b)) => a.rag != b.rag,
            _ => false,
        }
    }
}
