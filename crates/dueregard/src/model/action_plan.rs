//! Action plans: a force-wide plan with themes, a borough's local action plan,
//! a partnership plan.

pub(crate) mod commands;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::machine::states;
use crate::model::text::Text;

states! {
    /// What kind of plan.
    pub enum PlanKind {
        /// An organisation-wide plan (e.g. a force's response to a review).
        OrganisationWide => "organisation_wide",
        /// A local plan (e.g. a borough's local action plan).
        Local => "local",
        /// A plan shared by partners.
        Partnership => "partnership",
        /// Anything else.
        Other => "other",
    }
}

/// A plan of actions answering one or more reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ActionPlan {
    /// Identifier, e.g. `islington-lap`.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Kind of plan.
    pub kind: PlanKind,
    /// Body that owns the plan.
    pub owner: String,
    /// Themes the plan is organised by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    /// The plan this one delivers part of (a local plan under a force-wide plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Reviews the plan answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<String>,
    /// Action identifiers, in the order added.
    #[serde(default)]
    pub actions: Vec<String>,
}
