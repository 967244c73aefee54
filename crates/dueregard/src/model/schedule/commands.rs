//! The commands that change target dates: each payload with its rules
//! (`decide`) and its effect (`apply`).

use chrono::NaiveDate;

use crate::engine::apply::{corrupt, get};
use crate::error::Error;
use crate::model::schedule::TargetDate;
use crate::model::subject::Subject;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::{about, Payload};
use crate::engine::event::Event;
use crate::engine::guard::Check;
use crate::engine::tracker::Tracker;
use crate::error::Result;
use crate::model::subject::EntityKind;

/// Change the target date of an action or recommendation response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseTargetDate {
    /// An action or a recommendation.
    pub subject: Subject,
    /// The new date.
    #[serde(deserialize_with = "crate::model::dates::date")]
    #[schemars(with = "NaiveDate")]
    pub to: NaiveDate,
}

impl ReviseTargetDate {
    /// The command with its required fields.
    pub fn new(subject: Subject, to: NaiveDate) -> Self {
        ReviseTargetDate { subject, to }
    }
}

about! {
    ReviseTargetDate => subject;
}

impl Payload for ReviseTargetDate {
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let t = c.tracker;
        let id = &self.subject.id;
        let current = match self.subject.kind {
            EntityKind::Action => {
                let a = t.action(id)?;
                if !a.state.is_open() {
                    return Err(Error::invalid(
                        "subject",
                        format!(
                            "action {id} is {}; only open actions have a live target date",
                            a.state
                        ),
                    ));
                }
                a.due.current()
            }
            EntityKind::Recommendation => t
                .recommendation(id)?
                .due
                .as_ref()
                .ok_or_else(|| {
                    Error::invalid(
                        "subject",
                        format!("recommendation {id} has no due date to revise"),
                    )
                })?
                .current(),
            EntityKind::Milestone => {
                return Err(Error::invalid(
                    "subject",
                    "use reschedule_milestone to move a milestone",
                ))
            }
            other => {
                return Err(Error::invalid(
                    "subject",
                    format!("a {other} has no target date; revise an action or a recommendation"),
                ))
            }
        };
        if current == self.to {
            return Err(Error::invalid(
                "to",
                format!("{} is already due {}", c.subject, self.to),
            ));
        }
        c.reason()
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        let (to, reason) = (self.to, e.reason_text());
        let id = &self.subject.id;
        match self.subject.kind {
            EntityKind::Action => get(&mut t.actions, e.seq, EntityKind::Action, id)?
                .due
                .revise(to, reason, &e.actor, e.at),
            EntityKind::Recommendation => {
                let kind = EntityKind::Recommendation;
                let r = get(&mut t.recommendations, e.seq, kind, id)?;
                match r.due.as_mut() {
                    Some(d) => d.revise(to, reason, &e.actor, e.at),
                    None => r.due = Some(TargetDate::new(to)),
                }
            }
            other => return Err(corrupt(e.seq, format!("a {other} has no target date"))),
        }
        Ok(())
    }
}
