//! The commands that change milestones: each payload with its rules
//! (`decide`) and its effect (`apply`).

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::engine::apply::{fresh, get, next};
use crate::engine::command::moves;
use crate::engine::decide::non_blank_text;
use crate::engine::guard::Item;
use crate::error::Error;
use crate::model::milestone::{Milestone, MILESTONE_MACHINE};
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

/// Add a milestone to an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMilestone {
    /// New identifier.
    pub id: String,
    /// The action.
    pub action: String,
    /// Title.
    pub title: Text,
    /// Due date.
    #[serde(deserialize_with = "crate::model::dates::date")]
    #[schemars(with = "NaiveDate")]
    pub due: NaiveDate,
}

impl AddMilestone {
    /// The command with its required fields.
    pub fn new(
        id: impl Into<String>,
        action: impl Into<String>,
        title: impl Into<Text>,
        due: NaiveDate,
    ) -> Self {
        AddMilestone {
            id: id.into(),
            action: action.into(),
            title: title.into(),
            due,
        }
    }
}

/// Record a milestone as achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AchieveMilestone {
    /// The milestone.
    pub milestone: String,
    /// The day achieved; the command's date when omitted.
    #[serde(
        default,
        deserialize_with = "crate::model::dates::optional_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub on: Option<NaiveDate>,
}

impl AchieveMilestone {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(milestone: impl Into<String>) -> Self {
        AchieveMilestone {
            milestone: milestone.into(),
            on: Default::default(),
        }
    }
}

/// Record a milestone as missed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MissMilestone {
    /// The milestone.
    pub milestone: String,
}

impl MissMilestone {
    /// The command with its required fields.
    pub fn new(milestone: impl Into<String>) -> Self {
        MissMilestone {
            milestone: milestone.into(),
        }
    }
}

/// Move a milestone to a later date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleMilestone {
    /// The milestone.
    pub milestone: String,
    /// The new date.
    #[serde(deserialize_with = "crate::model::dates::date")]
    #[schemars(with = "NaiveDate")]
    pub to: NaiveDate,
}

impl RescheduleMilestone {
    /// The command with its required fields.
    pub fn new(milestone: impl Into<String>, to: NaiveDate) -> Self {
        RescheduleMilestone {
            milestone: milestone.into(),
            to,
        }
    }
}

/// Waive a milestone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiveMilestone {
    /// The milestone.
    pub milestone: String,
}

impl WaiveMilestone {
    /// The command with its required fields.
    pub fn new(milestone: impl Into<String>) -> Self {
        WaiveMilestone {
            milestone: milestone.into(),
        }
    }
}

about! {
    AddMilestone => Milestone by id;
    AchieveMilestone => Milestone by milestone;
}

impl Payload for AddMilestone {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.one(EntityKind::Action, &self.action);
    }
    fn owner<'a>(&'a self, t: &'a Tracker) -> Result<Option<Cow<'a, str>>> {
        Ok(Some(t.action(&self.action)?.owner.as_str().into()))
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let t = c.tracker;
        c.new_id(EntityKind::Milestone, &self.id)?;
        let a = t.action(&self.action)?;
        non_blank_text("title", &self.title)?;
        if !a.state.is_open() {
            return Err(Error::invalid(
                "action",
                format!(
                    "action {} is {}; milestones can be added only while it is open",
                    self.action, a.state
                ),
            ));
        }
        Ok(())
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        fresh(&t.milestones, e.seq, EntityKind::Milestone, &self.id)?;
        let a = get(&mut t.actions, e.seq, EntityKind::Action, &self.action)?;
        a.milestones.push(self.id.clone());
        t.milestones.insert(
            self.id.clone(),
            Milestone {
                id: self.id.clone(),
                action: self.action.clone(),
                title: self.title.clone(),
                due: TargetDate::new(self.due),
                state: MILESTONE_MACHINE.initial,
                achieved_on: None,
                times_missed: 0,
                waiver: None,
            },
        );
        Ok(())
    }
}

/// The milestone a command moves, once the table allows the move and its
/// guards hold.
fn decide_move<'a>(c: &Check<'a>, id: &str) -> Result<&'a Milestone> {
    let m = c.tracker.milestone(id)?;
    c.step(&MILESTONE_MACHINE, m.state, &Item::of_milestone(m))?;
    Ok(m)
}

/// Moves the milestone along its table for a recorded event.
fn apply_move<'a>(t: &'a mut Tracker, e: &Event, id: &str) -> Result<&'a mut Milestone> {
    let m = get(&mut t.milestones, e.seq, EntityKind::Milestone, id)?;
    m.state = next(&MILESTONE_MACHINE, e.seq, m.state, e.command.kind())?;
    Ok(m)
}

impl Payload for AchieveMilestone {
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        decide_move(c, &self.milestone)?;
        let today = c.today();
        match self.on {
            Some(on) if on > today => Err(Error::invalid(
                "on",
                format!("{on} is after the command's date {today}; a milestone cannot be achieved in the future"),
            )),
            _ => Ok(()),
        }
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        let m = apply_move(t, e, &self.milestone)?;
        m.achieved_on = Some(self.on.unwrap_or(e.at.date_naive()));
        Ok(())
    }
}

moves! {
    Milestone by milestone, decide: decide_move, apply: apply_move;
    MissMilestone => |m, e, p| m.times_missed += 1;
    RescheduleMilestone [date: to] => |m, e, p| m.due.revise(p.to, e.reason_text(), &e.actor, e.at);
    WaiveMilestone => |m, e, p| m.waiver = Some(e.reason_text().to_string());
}
