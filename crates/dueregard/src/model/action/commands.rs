//! The commands that change actions: each payload with its rules
//! (`decide`) and its effect (`apply`).

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::engine::apply::{cite, fresh, get, next};
use crate::engine::command::moves;
use crate::engine::decide::non_blank_text;
use crate::engine::guard::Item;
use crate::error::Error;
use crate::model::action::{Action, ActionState, ACTION_MACHINE};
use crate::model::schedule::TargetDate;
use crate::model::text::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::{about, Payload};
use crate::engine::event::Event;
use crate::engine::guard::Check;
use crate::engine::tracker::Tracker;
use crate::error::Result;
use crate::model::subject::EntityKind;

/// Add an action to a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddAction {
    /// New identifier.
    pub id: String,
    /// The plan.
    pub plan: String,
    /// Title.
    pub title: Text,
    /// Responsible body; the plan's owner when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Lead role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Recommendations answered (none for a local ask beyond the review).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    /// Theme (must be one of the plan's themes when the plan has themes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Weight in the plan's progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Due date.
    #[serde(deserialize_with = "crate::model::dates::date")]
    #[schemars(with = "NaiveDate")]
    pub due: NaiveDate,
    /// Days a change must hold after verification before sign-off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demonstration_days: Option<u32>,
}

impl AddAction {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(
        id: impl Into<String>,
        plan: impl Into<String>,
        title: impl Into<Text>,
        due: NaiveDate,
    ) -> Self {
        AddAction {
            id: id.into(),
            plan: plan.into(),
            title: title.into(),
            owner: Default::default(),
            lead: Default::default(),
            answers: Default::default(),
            theme: Default::default(),
            weight: Default::default(),
            due,
            demonstration_days: Default::default(),
        }
    }
}

/// Start an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartAction {
    /// The action.
    pub action: String,
}

impl StartAction {
    /// The command with its required fields.
    pub fn new(action: impl Into<String>) -> Self {
        StartAction {
            action: action.into(),
        }
    }
}

/// Record that an action is blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockAction {
    /// The action.
    pub action: String,
}

impl BlockAction {
    /// The command with its required fields.
    pub fn new(action: impl Into<String>) -> Self {
        BlockAction {
            action: action.into(),
        }
    }
}

/// Record that a blocked action can go on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnblockAction {
    /// The action.
    pub action: String,
}

impl UnblockAction {
    /// The command with its required fields.
    pub fn new(action: impl Into<String>) -> Self {
        UnblockAction {
            action: action.into(),
        }
    }
}

/// Defer an action to a later date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeferAction {
    /// The action.
    pub action: String,
    /// The new due date.
    #[serde(deserialize_with = "crate::model::dates::date")]
    #[schemars(with = "NaiveDate")]
    pub until: NaiveDate,
}

impl DeferAction {
    /// The command with its required fields.
    pub fn new(action: impl Into<String>, until: NaiveDate) -> Self {
        DeferAction {
            action: action.into(),
            until,
        }
    }
}

/// Resume a deferred action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResumeAction {
    /// The action.
    pub action: String,
}

impl ResumeAction {
    /// The command with its required fields.
    pub fn new(action: impl Into<String>) -> Self {
        ResumeAction {
            action: action.into(),
        }
    }
}

/// Claim an action is complete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteAction {
    /// The action.
    pub action: String,
}

impl CompleteAction {
    /// The command with its required fields.
    pub fn new(action: impl Into<String>) -> Self {
        CompleteAction {
            action: action.into(),
        }
    }
}

/// Verify a completed action against its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyAction {
    /// The action.
    pub action: String,
}

impl VerifyAction {
    /// The command with its required fields.
    pub fn new(action: impl Into<String>) -> Self {
        VerifyAction {
            action: action.into(),
        }
    }
}

/// Send a completed or verified action back to work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBackAction {
    /// The action.
    pub action: String,
}

impl SendBackAction {
    /// The command with its required fields.
    pub fn new(action: impl Into<String>) -> Self {
        SendBackAction {
            action: action.into(),
        }
    }
}

/// Cancel an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelAction {
    /// The action.
    pub action: String,
}

impl CancelAction {
    /// The command with its required fields.
    pub fn new(action: impl Into<String>) -> Self {
        CancelAction {
            action: action.into(),
        }
    }
}

about! {
    AddAction => Action by id;
}

impl Payload for AddAction {
    fn references<'a>(&'a self, out: &mut Vec<(EntityKind, &'a str)>) {
        out.push((EntityKind::Plan, &self.plan));
        if let Some(o) = &self.owner {
            out.push((EntityKind::Body, o));
        }
        out.extend(
            self.answers
                .iter()
                .map(|r| (EntityKind::Recommendation, r.as_str())),
        );
    }
    fn owner<'a>(&'a self, t: &'a Tracker) -> Result<Option<Cow<'a, str>>> {
        Ok(Some(t.plan(&self.plan)?.owner.as_str().into()))
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let t = c.tracker;
        c.new_id(EntityKind::Action, &self.id)?;
        let p = t.plan(&self.plan)?;
        non_blank_text("title", &self.title)?;
        if let Some(o) = &self.owner {
            t.body(o)?;
        }
        for r in &self.answers {
            t.recommendation(r)?;
        }
        if let Some(theme) = &self.theme {
            if !p.themes.is_empty() && !p.themes.contains(theme) {
                return Err(Error::invalid(
                    "theme",
                    format!(
                        "{theme:?} is not a theme of plan {}; use one of: {}",
                        self.plan,
                        p.themes.join(", ")
                    ),
                ));
            }
        }
        if let Some(w) = self.weight {
            if !w.is_finite() || w <= 0.0 {
                return Err(Error::invalid(
                    "weight",
                    "a weight must be a positive number",
                ));
            }
        }
        Ok(())
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        fresh(&t.actions, e.seq, EntityKind::Action, &self.id)?;
        let p = get(&mut t.plans, e.seq, EntityKind::Plan, &self.plan)?;
        p.actions.push(self.id.clone());
        let owner = self.owner.clone().unwrap_or_else(|| p.owner.clone());
        t.actions.insert(
            self.id.clone(),
            Action {
                id: self.id.clone(),
                plan: self.plan.clone(),
                title: self.title.clone(),
                owner,
                lead: self.lead.clone(),
                answers: self.answers.clone(),
                theme: self.theme.clone(),
                weight: self.weight,
                demonstration_days: self.demonstration_days,
                due: TargetDate::new(self.due),
                state: ACTION_MACHINE.initial,
                blocked_since: None,
                milestones: Vec::new(),
                indicators: Vec::new(),
                evidence: Vec::new(),
                claimed: None,
                verified: None,
                signed_off: None,
                reason: None,
                ratings: Default::default(),
            },
        );
        let position = t.actions.len() - 1;
        for r in &self.answers {
            let positions = t.answered_by.entry(r.clone()).or_default();
            // An action listing a recommendation twice answers it once.
            if positions.last() != Some(&position) {
                positions.push(position);
            }
        }
        Ok(())
    }
}

/// The action a command moves, once the table allows the move and its
/// guards hold.
pub(crate) fn decide_move<'a>(c: &Check<'a>, id: &str) -> Result<&'a Action> {
    let a = c.tracker.action(id)?;
    c.step(&ACTION_MACHINE, a.state, &Item::of_action(a))?;
    Ok(a)
}

/// Moves the action along its table for a recorded event.
pub(crate) fn apply_move<'a>(t: &'a mut Tracker, e: &Event, id: &str) -> Result<&'a mut Action> {
    let a = get(&mut t.actions, e.seq, EntityKind::Action, id)?;
    a.state = next(&ACTION_MACHINE, e.seq, a.state, e.command.kind())?;
    a.blocked_since = (a.state == ActionState::Blocked).then_some(e.at);
    Ok(a)
}

moves! {
    Action by action, decide: decide_move, apply: apply_move;
    StartAction;
    BlockAction;
    UnblockAction;
    ResumeAction;
    DeferAction [date: until] => |a, e, p| {
        a.due.revise(p.until, e.reason_text(), &e.actor, e.at);
        a.reason = Some(e.reason_text().to_string());
    };
    CancelAction => |a, e, p| a.reason = Some(e.reason_text().to_string());
    CompleteAction => |a, e, p| a.claimed = Some(e.signature());
    VerifyAction => |a, e, p| {
        a.verified = Some(e.signature());
        cite(&mut a.evidence, &e.evidence);
    };
    SendBackAction => |a, e, p| {
        a.claimed = None;
        a.verified = None;
    };
}
