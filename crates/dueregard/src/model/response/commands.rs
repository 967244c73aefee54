//! The commands that change responses: the answer, the reply clock and the implementation: each payload with its rules
//! (`decide`) and its effect (`apply`).

use chrono::NaiveDate;

use crate::engine::apply::{corrupt, get, next};
use crate::engine::command::{moves, Answer};
use crate::engine::guard::Item;
use crate::error::Error;
use crate::model::response::{
    ClockPause, ReplyClock, Response, IMPLEMENTATION_MACHINE, RESPONSE_MACHINE,
};
use crate::model::subject::Visibility;
use crate::model::text::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::{about, About, CommandKind, Payload, Refs};
use crate::engine::event::Event;
use crate::engine::guard::Check;
use crate::engine::tracker::Tracker;
use crate::error::Result;
use crate::model::subject::EntityKind;

/// Answer a recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Respond {
    /// The response (`"{recommendation}@{addressee}"`).
    pub response: String,
    /// The answer.
    pub answer: Answer,
    /// The answer's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Text>,
    /// Rationale (rejection) or reservation (partial acceptance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Text>,
    /// Whether the rationale may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

impl Respond {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(response: impl Into<String>, answer: Answer) -> Self {
        Respond {
            response: response.into(),
            answer,
            statement: Default::default(),
            rationale: Default::default(),
            visibility: Default::default(),
        }
    }
}

/// Extend a reply deadline (before it expires; the reason is the request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendReplyDeadline {
    /// The response.
    pub response: String,
    /// The new deadline.
    #[serde(deserialize_with = "crate::model::dates::date")]
    #[schemars(with = "NaiveDate")]
    pub until: NaiveDate,
}

impl ExtendReplyDeadline {
    /// The command with its required fields.
    pub fn new(response: impl Into<String>, until: NaiveDate) -> Self {
        ExtendReplyDeadline {
            response: response.into(),
            until,
        }
    }
}

/// Stop a reply clock (e.g. judicial review).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseReplyClock {
    /// The response.
    pub response: String,
}

impl PauseReplyClock {
    /// The command with its required fields.
    pub fn new(response: impl Into<String>) -> Self {
        PauseReplyClock {
            response: response.into(),
        }
    }
}

/// Restart a paused reply clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResumeReplyClock {
    /// The response.
    pub response: String,
}

impl ResumeReplyClock {
    /// The command with its required fields.
    pub fn new(response: impl Into<String>) -> Self {
        ResumeReplyClock {
            response: response.into(),
        }
    }
}

/// Start implementing an accepted recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartImplementation {
    /// The response.
    pub response: String,
}

impl StartImplementation {
    /// The command with its required fields.
    pub fn new(response: impl Into<String>) -> Self {
        StartImplementation {
            response: response.into(),
        }
    }
}

/// Claim a recommendation is implemented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimImplemented {
    /// The response.
    pub response: String,
}

impl ClaimImplemented {
    /// The command with its required fields.
    pub fn new(response: impl Into<String>) -> Self {
        ClaimImplemented {
            response: response.into(),
        }
    }
}

/// Verify a claimed implementation against its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyImplementation {
    /// The response.
    pub response: String,
}

impl VerifyImplementation {
    /// The command with its required fields.
    pub fn new(response: impl Into<String>) -> Self {
        VerifyImplementation {
            response: response.into(),
        }
    }
}

/// Send a claimed or verified implementation back to work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBackImplementation {
    /// The response.
    pub response: String,
}

impl SendBackImplementation {
    /// The command with its required fields.
    pub fn new(response: impl Into<String>) -> Self {
        SendBackImplementation {
            response: response.into(),
        }
    }
}

/// Mark a recommendation superseded for this addressee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supersede {
    /// The response.
    pub response: String,
    /// The recommendation that replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl Supersede {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(response: impl Into<String>) -> Self {
        Supersede {
            response: response.into(),
            by: Default::default(),
        }
    }
}

/// Withdraw a recommendation for this addressee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdraw {
    /// The response.
    pub response: String,
}

impl Withdraw {
    /// The command with its required fields.
    pub fn new(response: impl Into<String>) -> Self {
        Withdraw {
            response: response.into(),
        }
    }
}

about! {
    ExtendReplyDeadline => Response by response;
    PauseReplyClock => Response by response;
    ResumeReplyClock => Response by response;
    Supersede => Response by response;
}

impl About for Respond {
    fn kind(&self) -> CommandKind {
        self.answer.kind()
    }
    fn subject(&self) -> (EntityKind, &str) {
        (EntityKind::Response, &self.response)
    }
}

impl Payload for Respond {
    fn rationale(&self) -> Option<&Text> {
        self.rationale.as_ref()
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let r = c.tracker.response(&self.response)?;
        c.step(&RESPONSE_MACHINE, r.state, &Item::of_response(r))
            .map(drop)
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        let r = get(
            &mut t.responses,
            e.seq,
            EntityKind::Response,
            &self.response,
        )?;
        r.state = next(&RESPONSE_MACHINE, e.seq, r.state, self.answer.kind())?;
        if self.statement.is_some() {
            r.statement = self.statement.clone();
        }
        // A rejection or partial acceptance always records its rationale
        // (the guard saw one); other answers keep an earlier one unless
        // they give their own.
        let required = matches!(self.answer, Answer::Reject | Answer::AcceptInPart);
        if required || self.rationale.is_some() {
            r.rationale = self.rationale.clone();
            r.rationale_visibility = self.visibility;
        }
        if let Some(c) = r.clock.as_mut() {
            c.answer(e.at.date_naive());
        }
        Ok(())
    }
}

/// The reply clock of a response.
fn clock<'a>(c: &Check<'a>, id: &str) -> Result<&'a ReplyClock> {
    c.tracker.response(id)?.clock.as_ref().ok_or_else(|| {
        Error::invalid(
            "response",
            format!(
                "response {id} has no reply clock; set reply_within_days on the recommendation"
            ),
        )
    })
}

/// The reply clock of a response that is still running.
fn running_clock<'a>(c: &Check<'a>, id: &str) -> Result<&'a ReplyClock> {
    let clock = clock(c, id)?;
    if clock.answered.is_some() {
        return Err(Error::invalid(
            "response",
            format!("response {id} has been answered; its clock has stopped"),
        ));
    }
    Ok(clock)
}

/// The reply clock of a recorded event's response.
fn clock_mut<'a>(t: &'a mut Tracker, e: &Event, id: &str) -> Result<&'a mut ReplyClock> {
    get(&mut t.responses, e.seq, EntityKind::Response, id)?
        .clock
        .as_mut()
        .ok_or_else(|| corrupt(e.seq, format!("response {id} has no clock")))
}

impl Payload for ExtendReplyDeadline {
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let today = c.today();
        let deadline = running_clock(c, &self.response)?.live_deadline(today);
        if today > deadline {
            return Err(Error::DeadlinePassed {
                id: self.response.clone(),
                deadline,
            });
        }
        c.later(deadline, self.until)?;
        c.reason()
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        clock_mut(t, e, &self.response)?.deadline.revise(
            self.until,
            e.reason_text(),
            &e.actor,
            e.at,
        );
        Ok(())
    }
}

impl Payload for PauseReplyClock {
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        if running_clock(c, &self.response)?.is_paused() {
            return Err(Error::invalid(
                "response",
                format!("the reply clock of {} is already stopped", self.response),
            ));
        }
        c.reason()
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        clock_mut(t, e, &self.response)?.pauses.push(ClockPause {
            from: e.at.date_naive(),
            until: None,
            reason: e.reason_text().to_string(),
        });
        Ok(())
    }
}

impl Payload for ResumeReplyClock {
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        if !clock(c, &self.response)?.is_paused() {
            return Err(Error::invalid(
                "response",
                format!("the reply clock of {} is not paused", self.response),
            ));
        }
        Ok(())
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        let id = &self.response;
        let pause = clock_mut(t, e, id)?
            .pauses
            .last_mut()
            .ok_or_else(|| corrupt(e.seq, format!("response {id} is not paused")))?;
        pause.until = Some(e.at.date_naive());
        Ok(())
    }
}

/// The response whose implementation a command moves, once the table
/// allows the move and its guards hold.
pub(crate) fn decide_move<'a>(c: &Check<'a>, id: &str) -> Result<&'a Response> {
    let r = c.tracker.response(id)?;
    c.step(
        &IMPLEMENTATION_MACHINE,
        r.implementation,
        &Item::of_response(r),
    )?;
    Ok(r)
}

/// Moves a response's implementation along its table for a recorded event.
pub(crate) fn apply_move<'a>(t: &'a mut Tracker, e: &Event, id: &str) -> Result<&'a mut Response> {
    let r = get(&mut t.responses, e.seq, EntityKind::Response, id)?;
    r.implementation = next(
        &IMPLEMENTATION_MACHINE,
        e.seq,
        r.implementation,
        e.command.kind(),
    )?;
    Ok(r)
}

moves! {
    Response by response, decide: decide_move, apply: apply_move;
    StartImplementation;
    ClaimImplemented => |r, e, p| r.signatures().claim(e);
    VerifyImplementation => |r, e, p| r.signatures().verify(e);
    SendBackImplementation => |r, e, p| r.signatures().send_back();
    Withdraw => |r, e, p| r.closure_reason = Some(e.reason_text().to_string());
}

impl Payload for Supersede {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.one(EntityKind::Response, &self.response)
            .opt(EntityKind::Recommendation, &self.by);
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        decide_move(c, &self.response)?;
        if let Some(by) = &self.by {
            c.tracker.recommendation(by)?;
        }
        Ok(())
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        apply_move(t, e, &self.response)?.closure_reason = Some(e.reason_text().to_string());
        Ok(())
    }
}
