//! The commands that change actions: each payload with its rules
//! (`decide`) and its effect (`apply`).

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::engine::apply::{fresh, get, next};
use crate::engine::command::moves;
use crate::engine::decide::{non_blank, non_blank_text};
use crate::engine::guard::Item;
use crate::error::Error;
use crate::model::action::{Action, ActionState, ACTION_MACHINE};
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
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.one(EntityKind::Plan, &self.plan)
            .opt(EntityKind::Body, &self.owner)
            .all(EntityKind::Recommendation, &self.answers);
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
    CompleteAction => |a, e, p| a.signatures().claim(e);
    VerifyAction => |a, e, p| a.signatures().verify(e);
    SendBackAction => |a, e, p| a.signatures().send_back();
}

/// Hand an open action to another responsible body or lead (a restructure,
/// a new post holder). The reason is required; the action's history keeps
/// who held it before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignAction {
    /// The action.
    pub action: String,
    /// The body responsible from now on; unchanged when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The lead role from now on; unchanged when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
}

impl ReassignAction {
    /// The command with its required fields; give `owner`, `lead` or both
    /// with struct update syntax (`..Self::new(…)`).
    pub fn new(action: impl Into<String>) -> Self {
        ReassignAction {
            action: action.into(),
            owner: None,
            lead: None,
        }
    }
}

about! {
    ReassignAction => Action by action;
}

impl Payload for ReassignAction {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.one(EntityKind::Action, &self.action)
            .opt(EntityKind::Body, &self.owner);
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let a = c.tracker.action(&self.action)?;
        if !a.state.is_open() {
            return Err(Error::invalid(
                "action",
                format!(
                    "action {} is {}; only an open action can be reassigned",
                    a.id, a.state
                ),
            ));
        }
        if let Some(o) = &self.owner {
            c.tracker.body(o)?;
        }
        if let Some(l) = &self.lead {
            non_blank("lead", l)?;
        }
        let new_owner = self.owner.as_ref().filter(|o| **o != a.owner);
        let new_lead = self.lead.as_ref().filter(|l| a.lead.as_ref() != Some(*l));
        if new_owner.is_none() && new_lead.is_none() {
            return Err(Error::invalid(
                "owner",
                format!(
                    "action {} is already held by {}; give a different owner or lead",
                    a.id, a.owner
                ),
            ));
        }
        c.reason()
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        let a = get(&mut t.actions, e.seq, EntityKind::Action, &self.action)?;
        if let Some(o) = &self.owner {
            a.owner = o.clone();
        }
        if let Some(l) = &self.lead {
            a.lead = Some(l.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::example;
    use crate::{Command, Submission};

    fn reassign(
        t: &mut Tracker,
        actor: &str,
        reason: Option<&str>,
        c: ReassignAction,
    ) -> Result<Event> {
        let at = t.last_event_at().expect("the example has events");
        let mut s = Submission::new(actor, at, Command::from(c));
        s.reason = reason.map(str::to_string);
        t.execute(s)
    }

    /// An open action of the example owned by the Met, and its lead.
    fn open_met_action(t: &Tracker) -> (String, Option<String>) {
        let a = t
            .actions()
            .find(|a| a.owner == "met" && a.state.is_open())
            .expect("the example has an open Met action");
        (a.id.clone(), a.lead.clone())
    }

    #[test]
    fn an_open_action_is_handed_to_a_borough_with_a_reason() {
        let mut t = example::tracker();
        let (id, _) = open_met_action(&t);
        let to_borough = ReassignAction {
            owner: Some("met-cn".into()),
            lead: Some("Central North borough commander".into()),
            ..ReassignAction::new(&id)
        };
        let before = t.clone();
        let e = reassign(&mut t, "met-reform", None, to_borough.clone()).unwrap_err();
        assert_eq!(e.code(), "reason_required", "{e}");
        assert_eq!(t, before);
        let event = reassign(
            &mut t,
            "met-reform",
            Some("borough restructure"),
            to_borough,
        )
        .unwrap();
        assert_eq!(event.name(), "ActionReassigned");
        let a = t.action(&id).unwrap();
        assert_eq!(a.owner, "met-cn");
        assert_eq!(a.lead.as_deref(), Some("Central North borough commander"));
        // The history keeps the event, and replay gives the same state.
        let history = t.history(&crate::Subject::action(&id));
        assert_eq!(history.last().unwrap().name(), "ActionReassigned");
        let replayed = Tracker::replay(t.policy().clone(), t.events().to_vec()).unwrap();
        assert_eq!(replayed, t);
    }

    #[test]
    fn a_reassignment_must_change_something_and_name_known_bodies() {
        let mut t = example::tracker();
        let (id, lead) = open_met_action(&t);
        let same = ReassignAction {
            owner: Some("met".into()),
            lead,
            ..ReassignAction::new(&id)
        };
        let e = reassign(&mut t, "met-reform", Some("no change"), same).unwrap_err();
        assert!(e.to_string().contains("already held by met"), "{e}");
        let unknown = ReassignAction {
            owner: Some("met-xx".into()),
            ..ReassignAction::new(&id)
        };
        let e = reassign(&mut t, "met-reform", Some("typo"), unknown).unwrap_err();
        assert_eq!(e.code(), "unknown_id", "{e}");
        // A reporter may not reassign; the owner role may (own body only).
        let e = reassign(
            &mut t,
            "met-standards",
            Some("not theirs to give"),
            ReassignAction {
                lead: Some("someone else".into()),
                ..ReassignAction::new(&id)
            },
        )
        .unwrap_err();
        assert_eq!(e.code(), "not_authorised", "{e}");
    }
}
