//! What a command, note, evidence item or decision is about.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::machine::states;

states! {
    /// The kinds of entity the tracker holds.
    pub enum EntityKind {
        /// A public body (force, council, panel, inspectorate…).
        Body => "body",
        /// A person or system acting for a body.
        Actor => "actor",
        /// A review, inspection, inquiry or panel report.
        Review => "review",
        /// A numbered recommendation of a review.
        Recommendation => "recommendation",
        /// One addressee's response to one recommendation.
        Response => "response",
        /// An action plan.
        Plan => "plan",
        /// An action of a plan.
        Action => "action",
        /// A milestone of an action.
        Milestone => "milestone",
        /// A measurable indicator.
        Indicator => "indicator",
        /// An evidence item.
        Evidence => "evidence",
        /// A scrutiny decision of a committee or panel.
        Decision => "decision",
    }
}

/// A reference to one entity: its kind and identifier.
///
/// In JSON: `{"kind": "action", "id": "islington/A3"}`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Subject {
    /// What kind of entity.
    pub kind: EntityKind,
    /// Its identifier.
    pub id: String,
}

impl Subject {
    /// A subject of the given kind.
    pub fn new(kind: EntityKind, id: impl Into<String>) -> Self {
        Subject {
            kind,
            id: id.into(),
        }
    }
    /// An action.
    pub fn action(id: impl Into<String>) -> Self {
        Self::new(EntityKind::Action, id)
    }
    /// A response.
    pub fn response(id: impl Into<String>) -> Self {
        Self::new(EntityKind::Response, id)
    }
    /// A recommendation.
    pub fn recommendation(id: impl Into<String>) -> Self {
        Self::new(EntityKind::Recommendation, id)
    }
    /// A plan.
    pub fn plan(id: impl Into<String>) -> Self {
        Self::new(EntityKind::Plan, id)
    }
    /// A milestone.
    pub fn milestone(id: impl Into<String>) -> Self {
        Self::new(EntityKind::Milestone, id)
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.id)
    }
}

states! {
    /// Who may see a note, an evidence item or part of a response.
    pub enum Visibility {
        /// Shown in public reports and exports.
        Public => "public",
        /// Kept out of public views.
        Internal => "internal",
    }
}

#[allow(clippy::derivable_impls)] // the enum is declared by the `states!` macro
impl Default for Visibility {
    fn default() -> Self {
        Visibility::Public
    }
}

impl Visibility {
    /// True for [`Visibility::Public`].
    pub fn is_public(self) -> bool {
        self == Visibility::Public
    }
}
