//! The commands that change indicators and their observations: each payload with its rules
//! (`decide`) and its effect (`apply`).

use std::borrow::Cow;

use crate::engine::apply::{corrupt, fresh, get};
use crate::engine::decide::{finite, non_blank, non_blank_text};
use crate::error::Error;
use crate::model::indicator::{Direction, Indicator, Observation};
use crate::model::text::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::{about, Payload, Refs};
use crate::engine::event::Event;
use crate::engine::guard::Check;
use crate::engine::tracker::Tracker;
use crate::error::Result;
use crate::model::subject::EntityKind;

/// Define an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefineIndicator {
    /// New identifier.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Unit.
    pub unit: String,
    /// Which way is better.
    pub direction: Direction,
    /// Reporting body; the action's or plan's owner when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The action measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The plan measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// Baseline.
    pub baseline: Observation,
    /// Target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Observation>,
    /// Source of the figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl DefineIndicator {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(
        id: impl Into<String>,
        title: impl Into<Text>,
        unit: impl Into<String>,
        direction: Direction,
        baseline: Observation,
    ) -> Self {
        DefineIndicator {
            id: id.into(),
            title: title.into(),
            unit: unit.into(),
            direction,
            owner: Default::default(),
            action: Default::default(),
            plan: Default::default(),
            baseline,
            target: Default::default(),
            source: Default::default(),
        }
    }
}

/// Record an indicator value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordObservation {
    /// The indicator.
    pub indicator: String,
    /// The value and the day it refers to.
    pub observation: Observation,
}

impl RecordObservation {
    /// The command with its required fields.
    pub fn new(indicator: impl Into<String>, observation: Observation) -> Self {
        RecordObservation {
            indicator: indicator.into(),
            observation,
        }
    }
}

impl DefineIndicator {
    /// The body that reports the indicator: its owner, else the owner of
    /// the action or plan it measures.
    ///
    /// # Errors
    /// [`Error::Invalid`] when none of the three is given, or
    /// [`Error::UnknownId`] for an unknown action or plan.
    pub(crate) fn reporting_body<'a>(&'a self, t: &'a Tracker) -> Result<&'a str> {
        if let Some(o) = &self.owner {
            return Ok(o);
        }
        if let Some(a) = &self.action {
            return Ok(&t.action(a)?.owner);
        }
        if let Some(p) = &self.plan {
            return Ok(&t.plan(p)?.owner);
        }
        Err(Error::invalid(
            "indicator",
            "give an owner, an action or a plan so the indicator has a reporting body",
        ))
    }
}

about! {
    DefineIndicator => Indicator by id;
    RecordObservation => Indicator by indicator;
}

impl Payload for DefineIndicator {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.opt(EntityKind::Body, &self.owner)
            .opt(EntityKind::Action, &self.action)
            .opt(EntityKind::Plan, &self.plan);
    }
    fn owner<'a>(&'a self, t: &'a Tracker) -> Result<Option<Cow<'a, str>>> {
        Ok(Some(self.reporting_body(t)?.into()))
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let t = c.tracker;
        c.new_id(EntityKind::Indicator, &self.id)?;
        non_blank_text("title", &self.title)?;
        non_blank("unit", &self.unit)?;
        t.body(self.reporting_body(t)?)?;
        if let Some(a) = &self.action {
            t.action(a)?;
        }
        if let Some(p) = &self.plan {
            t.plan(p)?;
        }
        finite("baseline", self.baseline.value)?;
        if let Some(target) = &self.target {
            finite("target", target.value)?;
            if target.on < self.baseline.on {
                return Err(Error::invalid(
                    "target",
                    "the target date is before the baseline date",
                ));
            }
        }
        Ok(())
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        fresh(&t.indicators, e.seq, EntityKind::Indicator, &self.id)?;
        let owner = self
            .reporting_body(t)
            .map_err(|err| corrupt(e.seq, err.to_string()))?
            .to_string();
        if let Some(a) = &self.action {
            get(&mut t.actions, e.seq, EntityKind::Action, a)?
                .indicators
                .push(self.id.clone());
        }
        t.indicators.insert(
            self.id.clone(),
            Indicator {
                id: self.id.clone(),
                title: self.title.clone(),
                unit: self.unit.clone(),
                direction: self.direction,
                owner,
                action: self.action.clone(),
                plan: self.plan.clone(),
                baseline: self.baseline,
                target: self.target,
                observations: Vec::new(),
                source: self.source.clone(),
            },
        );
        Ok(())
    }
}

impl Payload for RecordObservation {
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let i = c.tracker.indicator(&self.indicator)?;
        let o = &self.observation;
        finite("value", o.value)?;
        match i.observations.last() {
            Some(last) if o.on < last.on => Err(Error::invalid(
                "observation",
                format!(
                    "{} is before the latest observation ({}); record observations in date order",
                    o.on, last.on
                ),
            )),
            _ => Ok(()),
        }
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        get(
            &mut t.indicators,
            e.seq,
            EntityKind::Indicator,
            &self.indicator,
        )?
        .observations
        .push(self.observation);
        Ok(())
    }
}
