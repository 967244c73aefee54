//! The commands that change action plans: each payload with its rules
//! (`decide`) and its effect (`apply`).

use std::borrow::Cow;

use crate::engine::apply::fresh;
use crate::engine::decide::non_blank_text;
use crate::model::action_plan::{ActionPlan, PlanKind};
use crate::model::text::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::{about, Payload, Refs};
use crate::engine::event::Event;
use crate::engine::guard::Check;
use crate::engine::tracker::Tracker;
use crate::error::Result;
use crate::model::subject::EntityKind;

/// Create an action plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlan {
    /// New identifier.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Kind of plan.
    pub kind: PlanKind,
    /// Owning body.
    pub owner: String,
    /// Themes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    /// Parent plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Reviews answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<String>,
}

impl CreatePlan {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(
        id: impl Into<String>,
        title: impl Into<Text>,
        kind: PlanKind,
        owner: impl Into<String>,
    ) -> Self {
        CreatePlan {
            id: id.into(),
            title: title.into(),
            kind,
            owner: owner.into(),
            themes: Default::default(),
            parent: Default::default(),
            reviews: Default::default(),
        }
    }
}

about! {
    CreatePlan => Plan by id;
}

impl Payload for CreatePlan {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.one(EntityKind::Body, &self.owner)
            .opt(EntityKind::Plan, &self.parent)
            .all(EntityKind::Review, &self.reviews);
    }
    fn owner<'a>(&'a self, _: &'a Tracker) -> Result<Option<Cow<'a, str>>> {
        Ok(Some(self.owner.as_str().into()))
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let t = c.tracker;
        c.new_id(EntityKind::Plan, &self.id)?;
        t.body(&self.owner)?;
        non_blank_text("title", &self.title)?;
        if let Some(p) = &self.parent {
            t.plan(p)?;
        }
        for r in &self.reviews {
            t.review(r)?;
        }
        Ok(())
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        fresh(&t.plans, e.seq, EntityKind::Plan, &self.id)?;
        t.plans.insert(
            self.id.clone(),
            ActionPlan {
                id: self.id.clone(),
                title: self.title.clone(),
                kind: self.kind,
                owner: self.owner.clone(),
                themes: self.themes.clone(),
                parent: self.parent.clone(),
                reviews: self.reviews.clone(),
                actions: Vec::new(),
            },
        );
        Ok(())
    }
}
