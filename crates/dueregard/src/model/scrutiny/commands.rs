//! The commands that change evidence, notes, decisions, ratings and sign-off: each payload with its rules
//! (`decide`) and its effect (`apply`).

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::engine::apply::{corrupt, fresh, get};
use crate::engine::decide::{non_blank, non_blank_text};
use crate::error::Error;
use crate::model::action::commands as action;
use crate::model::response::commands as response;
use crate::model::scrutiny::{
    Assessment, Evidence, Note, Rag, Rating, ScrutinyDecision, ScrutinyOutcome,
};
use crate::model::subject::{Subject, Visibility};
use crate::model::text::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::{about, About, CommandKind, Payload, Refs};
use crate::engine::event::Event;
use crate::engine::guard::Check;
use crate::engine::tracker::Tracker;
use crate::error::Result;
use crate::model::subject::EntityKind;

/// Submit an evidence item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitEvidence {
    /// New identifier.
    pub id: String,
    /// What it supports.
    pub about: Subject,
    /// Reference.
    pub reference: String,
    /// What it shows.
    pub description: Text,
    /// Whether it may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

impl SubmitEvidence {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(
        id: impl Into<String>,
        about: Subject,
        reference: impl Into<String>,
        description: impl Into<Text>,
    ) -> Self {
        SubmitEvidence {
            id: id.into(),
            about,
            reference: reference.into(),
            description: description.into(),
            visibility: Default::default(),
        }
    }
}

/// Add a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddNote {
    /// What it is about.
    pub about: Subject,
    /// The note.
    pub text: Text,
    /// Whether it may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

impl AddNote {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(about: Subject, text: impl Into<Text>) -> Self {
        AddNote {
            about,
            text: text.into(),
            visibility: Default::default(),
        }
    }
}

/// Record a committee's or panel's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordDecision {
    /// New identifier.
    pub id: String,
    /// The committee or panel.
    pub committee: String,
    /// Meeting date.
    #[serde(deserialize_with = "crate::model::dates::date")]
    #[schemars(with = "NaiveDate")]
    pub meeting: NaiveDate,
    /// What was considered.
    pub about: Subject,
    /// Outcome.
    pub outcome: ScrutinyOutcome,
    /// Meeting a further report is due at.
    #[serde(
        default,
        deserialize_with = "crate::model::dates::optional_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub report_due: Option<NaiveDate>,
    /// The minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minute: Option<Text>,
}

impl RecordDecision {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(
        id: impl Into<String>,
        committee: impl Into<String>,
        meeting: NaiveDate,
        about: Subject,
        outcome: ScrutinyOutcome,
    ) -> Self {
        RecordDecision {
            id: id.into(),
            committee: committee.into(),
            meeting,
            about,
            outcome,
            report_due: Default::default(),
            minute: Default::default(),
        }
    }
}

/// Rate progress on an action or response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// An action or response.
    pub about: Subject,
    /// The rating.
    pub rag: Rag,
    /// Whose rating.
    pub assessment: Assessment,
}

impl Rate {
    /// The command with its required fields.
    pub fn new(about: Subject, rag: Rag, assessment: Assessment) -> Self {
        Rate {
            about,
            rag,
            assessment,
        }
    }
}

/// Sign off a verified action or implementation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    /// An action or response.
    pub about: Subject,
}

impl SignOff {
    /// The command with its required fields.
    pub fn new(about: Subject) -> Self {
        SignOff { about }
    }
}

about! {
    SubmitEvidence => about;
    AddNote => about;
    RecordDecision => about;
    SignOff => about;
}

impl Payload for SubmitEvidence {
    fn visibility(&self) -> Visibility {
        self.visibility
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        c.new_id(EntityKind::Evidence, &self.id)?;
        c.exists(&self.about)?;
        non_blank("reference", &self.reference)?;
        non_blank_text("description", &self.description)
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        fresh(&t.evidence, e.seq, EntityKind::Evidence, &self.id)?;
        let about = &self.about;
        let attached = match about.kind {
            EntityKind::Action => {
                Some(&mut get(&mut t.actions, e.seq, about.kind, &about.id)?.evidence)
            }
            EntityKind::Response => {
                Some(&mut get(&mut t.responses, e.seq, about.kind, &about.id)?.evidence)
            }
            _ => None,
        };
        if let Some(list) = attached {
            list.push(self.id.clone());
        }
        t.evidence.insert(
            self.id.clone(),
            Evidence {
                id: self.id.clone(),
                about: about.clone(),
                reference: self.reference.clone(),
                description: self.description.clone(),
                submitted_by: e.actor.clone(),
                submitted_at: e.at,
                visibility: self.visibility,
            },
        );
        Ok(())
    }
}

impl Payload for AddNote {
    fn visibility(&self) -> Visibility {
        self.visibility
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        c.exists(&self.about)?;
        non_blank_text("text", &self.text)
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        t.notes.push(Note {
            about: self.about.clone(),
            text: self.text.clone(),
            author: e.actor.clone(),
            at: e.at,
            visibility: self.visibility,
        });
        Ok(())
    }
}

impl Payload for RecordDecision {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.one(EntityKind::Body, &self.committee)
            .one(self.about.kind, &self.about.id);
    }
    fn owner<'a>(&'a self, _: &'a Tracker) -> Result<Option<Cow<'a, str>>> {
        Ok(Some(self.committee.as_str().into()))
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let t = c.tracker;
        c.new_id(EntityKind::Decision, &self.id)?;
        t.body(&self.committee)?;
        c.exists(&self.about)?;
        let meeting = self.meeting;
        match (self.outcome, self.report_due) {
            (ScrutinyOutcome::FurtherReportRequested, None) => Err(Error::invalid(
                "report_due",
                "a further report needs the meeting date it is due at",
            )),
            (ScrutinyOutcome::FurtherReportRequested, Some(d)) if d <= meeting => {
                Err(Error::invalid(
                    "report_due",
                    format!("{d} must be after the meeting on {meeting}"),
                ))
            }
            _ => Ok(()),
        }
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        fresh(&t.decisions, e.seq, EntityKind::Decision, &self.id)?;
        t.decisions.insert(
            self.id.clone(),
            ScrutinyDecision {
                id: self.id.clone(),
                committee: self.committee.clone(),
                meeting: self.meeting,
                about: self.about.clone(),
                outcome: self.outcome,
                report_due: self.report_due,
                minute: self.minute.clone(),
                recorded_by: e.actor.clone(),
            },
        );
        Ok(())
    }
}

impl About for Rate {
    fn kind(&self) -> CommandKind {
        match self.assessment {
            Assessment::SelfAssessment => CommandKind::RateSelf,
            Assessment::Independent => CommandKind::RateIndependent,
        }
    }
    fn subject(&self) -> (EntityKind, &str) {
        (self.about.kind, &self.about.id)
    }
}

impl Payload for Rate {
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let id = &self.about.id;
        match self.about.kind {
            EntityKind::Action => c.tracker.action(id).map(drop),
            EntityKind::Response => c.tracker.response(id).map(drop),
            other => Err(Error::invalid(
                "about",
                format!("a {other} cannot be rated; rate an action or a response"),
            )),
        }
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        let rating = Rating {
            rag: self.rag,
            by: e.actor.clone(),
            at: e.at,
        };
        let (kind, id) = (self.about.kind, &self.about.id);
        let ratings = match kind {
            EntityKind::Action => &mut get(&mut t.actions, e.seq, kind, id)?.ratings,
            EntityKind::Response => &mut get(&mut t.responses, e.seq, kind, id)?.ratings,
            other => return Err(corrupt(e.seq, format!("a {other} cannot be rated"))),
        };
        match self.assessment {
            Assessment::SelfAssessment => ratings.self_assessed = Some(rating),
            Assessment::Independent => ratings.independent = Some(rating),
        }
        Ok(())
    }
}

impl Payload for SignOff {
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let id = &self.about.id;
        match self.about.kind {
            EntityKind::Action => action::decide_move(c, id).map(drop),
            EntityKind::Response => response::decide_move(c, id).map(drop),
            other => Err(Error::invalid(
                "about",
                format!("a {other} cannot be signed off; sign off an action or a response"),
            )),
        }
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        let id = &self.about.id;
        let signed_off = match self.about.kind {
            EntityKind::Action => &mut action::apply_move(t, e, id)?.signed_off,
            EntityKind::Response => &mut response::apply_move(t, e, id)?.signed_off,
            other => return Err(corrupt(e.seq, format!("a {other} cannot be signed off"))),
        };
        *signed_off = Some(e.signature());
        Ok(())
    }
}
