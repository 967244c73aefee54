//! One addressee's response to one recommendation: the decision, the
//! implementation status and the reply clock.

pub(crate) mod commands;

use chrono::{Days, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::apply::signed;
use crate::engine::command::CommandKind as K;
use crate::engine::machine::{guarded, phases, row, states, Guard as G, Machine};
use crate::model::action::{SIGN_OFF, VERIFY};
use crate::model::schedule::{Signature, TargetDate};
use crate::model::scrutiny::Ratings;
use crate::model::subject::Visibility;
use crate::model::text::Text;

states! {
    /// The addressee's answer to a recommendation.
    pub enum ResponseState {
        /// No answer yet.
        Awaiting => "awaiting",
        /// Accepted in full.
        Accepted => "accepted",
        /// Accepted in principle.
        AcceptedInPrinciple => "accepted_in_principle",
        /// Accepted in part; the reservation is recorded.
        AcceptedInPart => "accepted_in_part",
        /// Rejected; the rationale is recorded.
        Rejected => "rejected",
        /// Noted without commitment.
        Noted => "noted",
    }
}

impl ResponseState {
    /// True when the answer commits the addressee to some work.
    pub fn is_accepting(self) -> bool {
        matches!(
            self,
            ResponseState::Accepted
                | ResponseState::AcceptedInPrinciple
                | ResponseState::AcceptedInPart
        )
    }
}

/// The response decision machine.
pub const RESPONSE_MACHINE: Machine<ResponseState> = {
    use ResponseState as S;
    Machine {
        name: "response",
        initial: ResponseState::Awaiting,
        claim: None,
        transitions: &[
            row(S::Awaiting, K::Accept, S::Accepted),
            row(S::Awaiting, K::AcceptInPrinciple, S::AcceptedInPrinciple),
            guarded(
                S::Awaiting,
                K::AcceptInPart,
                S::AcceptedInPart,
                &[G::Reservation],
            ),
            guarded(S::Awaiting, K::Reject, S::Rejected, &[G::Rationale]),
            row(S::Awaiting, K::Note, S::Noted),
            // A body may reconsider: a rejection or partial answer can become acceptance.
            row(S::Rejected, K::Accept, S::Accepted),
            guarded(
                S::Rejected,
                K::AcceptInPart,
                S::AcceptedInPart,
                &[G::Reservation],
            ),
            row(S::Noted, K::Accept, S::Accepted),
            guarded(
                S::Noted,
                K::AcceptInPart,
                S::AcceptedInPart,
                &[G::Reservation],
            ),
            row(S::AcceptedInPrinciple, K::Accept, S::Accepted),
            row(S::AcceptedInPart, K::Accept, S::Accepted),
        ],
    }
};

states! {
    /// How far the addressee has got with implementing a recommendation.
    pub enum ImplementationState {
        /// Nothing done yet.
        NotStarted => "not_started",
        /// Work under way.
        InProgress => "in_progress",
        /// The addressee claims it is implemented.
        Implemented => "implemented",
        /// Someone other than the claimant checked the evidence.
        Verified => "verified",
        /// A committee or panel signed it off.
        SignedOff => "signed_off",
        /// Replaced by a later recommendation.
        Superseded => "superseded",
        /// Withdrawn by the body that made it.
        Withdrawn => "withdrawn",
    }
}

phases!(
    ImplementationState,
    IMPLEMENTATION_MACHINE,
    "not started, in progress",
    "implemented, verified, signed off"
);

/// The implementation machine of a response.
pub const IMPLEMENTATION_MACHINE: Machine<ImplementationState> = {
    use ImplementationState as S;
    Machine {
        name: "implementation",
        initial: ImplementationState::NotStarted,
        claim: Some(K::ClaimImplemented),
        transitions: &[
            guarded(
                S::NotStarted,
                K::StartImplementation,
                S::InProgress,
                &[G::Accepted],
            ),
            guarded(
                S::NotStarted,
                K::ClaimImplemented,
                S::Implemented,
                &[G::Accepted],
            ),
            guarded(
                S::InProgress,
                K::ClaimImplemented,
                S::Implemented,
                &[G::Accepted],
            ),
            guarded(S::Implemented, K::VerifyImplementation, S::Verified, VERIFY),
            guarded(
                S::Implemented,
                K::SendBackImplementation,
                S::InProgress,
                &[G::Reason],
            ),
            guarded(
                S::Verified,
                K::SendBackImplementation,
                S::InProgress,
                &[G::Reason],
            ),
            guarded(S::Verified, K::SignOff, S::SignedOff, SIGN_OFF),
            guarded(S::NotStarted, K::Supersede, S::Superseded, &[G::Reason]),
            guarded(S::InProgress, K::Supersede, S::Superseded, &[G::Reason]),
            guarded(S::Implemented, K::Supersede, S::Superseded, &[G::Reason]),
            guarded(S::NotStarted, K::Withdraw, S::Withdrawn, &[G::Reason]),
            guarded(S::InProgress, K::Withdraw, S::Withdrawn, &[G::Reason]),
            guarded(S::Implemented, K::Withdraw, S::Withdrawn, &[G::Reason]),
        ],
    }
};

/// A statutory or expected reply deadline (e.g. 56 days for an IOPC
/// recommendation), with extensions and pauses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReplyClock {
    /// The day the clock started (usually the recommendation's date).
    pub started: NaiveDate,
    /// The deadline before extensions and pauses.
    pub deadline: TargetDate,
    /// Periods the clock stood still (e.g. during judicial review).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<ClockPause>,
    /// The day the addressee answered, which stops the clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<NaiveDate>,
}

/// A period during which a reply clock stood still.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClockPause {
    /// First paused day.
    pub from: NaiveDate,
    /// Day the clock resumed; open while paused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Why.
    pub reason: String,
}

impl ReplyClock {
    /// A clock of `days` days from `started`.
    pub fn new(started: NaiveDate, days: u32) -> Self {
        let deadline = started
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX);
        ReplyClock {
            started,
            deadline: TargetDate::new(deadline),
            pauses: Vec::new(),
            answered: None,
        }
    }

    /// True while a pause is open.
    pub fn is_paused(&self) -> bool {
        self.pauses.last().is_some_and(|p| p.until.is_none())
    }

    /// The live deadline as of `as_of`: the (possibly extended) deadline
    /// pushed back by every paused day up to `as_of`.
    pub fn live_deadline(&self, as_of: NaiveDate) -> NaiveDate {
        let paused: i64 = self
            .pauses
            .iter()
            .map(|p| {
                let end = p.until.unwrap_or(as_of).min(as_of);
                (end - p.from).num_days().max(0)
            })
            .sum();
        let base = self.deadline.current();
        u64::try_from(paused)
            .ok()
            .and_then(|d| base.checked_add_days(Days::new(d)))
            .unwrap_or(base)
    }

    /// Stops the clock on the day of the answer, closing an open pause.
    pub(crate) fn answer(&mut self, on: NaiveDate) {
        if self.answered.is_some() {
            return;
        }
        if let Some(p) = self.pauses.last_mut() {
            if p.until.is_none() {
                p.until = Some(on);
            }
        }
        self.answered = Some(on);
    }

    /// Days left before the live deadline (negative when overdue); `None`
    /// once answered.
    pub fn days_left(&self, as_of: NaiveDate) -> Option<i64> {
        if self.answered.is_some() {
            return None;
        }
        Some((self.live_deadline(as_of) - as_of).num_days())
    }
}

/// One addressee's response to one recommendation.
///
/// Its identifier is `"{recommendation}@{addressee}"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Response {
    /// Identifier, `"{recommendation}@{addressee}"`.
    pub id: String,
    /// The recommendation answered.
    pub recommendation: String,
    /// The body answering.
    pub addressee: String,
    /// The decision.
    pub state: ResponseState,
    /// The implementation status.
    pub implementation: ImplementationState,
    /// The rationale of a rejection, or the reservation of a partial acceptance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Text>,
    /// Whether the rationale may be published.
    #[serde(default)]
    pub rationale_visibility: Visibility,
    /// The answer's free text, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Text>,
    /// The reply deadline, when the regime sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<ReplyClock>,
    /// Days the change must hold after verification before sign-off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demonstration_days: Option<u32>,
    /// Who claimed implementation, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed: Option<Signature>,
    /// Who verified it, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Signature>,
    /// Who signed it off, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_off: Option<Signature>,
    /// The reason given for superseding or withdrawing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure_reason: Option<String>,
    /// Evidence item identifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The owner's and the monitor's ratings.
    #[serde(default)]
    pub ratings: Ratings,
}

signed!(Response);

impl Response {
    /// The response opened for one addressee when a recommendation is added.
    pub(crate) fn opened(
        recommendation: &str,
        addressee: &str,
        clock: Option<ReplyClock>,
        demonstration_days: Option<u32>,
    ) -> Self {
        Response {
            id: response_id(recommendation, addressee),
            recommendation: recommendation.to_string(),
            addressee: addressee.to_string(),
            state: RESPONSE_MACHINE.initial,
            implementation: IMPLEMENTATION_MACHINE.initial,
            rationale: None,
            rationale_visibility: Visibility::default(),
            statement: None,
            clock,
            demonstration_days,
            claimed: None,
            verified: None,
            signed_off: None,
            closure_reason: None,
            evidence: Vec::new(),
            ratings: Ratings::default(),
        }
    }
}

/// The identifier of the response of `addressee` to `recommendation`.
pub fn response_id(recommendation: &str, addressee: &str) -> String {
    format!("{recommendation}@{addressee}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn clock_of_56_days() {
        let c = ReplyClock::new(d("2024-01-10"), 56);
        assert_eq!(c.live_deadline(d("2024-01-10")), d("2024-03-06"));
        assert_eq!(c.days_left(d("2024-03-01")), Some(5));
        assert_eq!(c.days_left(d("2024-03-08")), Some(-2));
    }

    #[test]
    fn pauses_push_the_deadline_back() {
        let mut c = ReplyClock::new(d("2024-01-10"), 56);
        c.pauses.push(ClockPause {
            from: d("2024-02-01"),
            until: Some(d("2024-02-11")),
            reason: "judicial review".into(),
        });
        assert_eq!(c.live_deadline(d("2024-03-01")), d("2024-03-16"));
        // An open pause counts up to the as-of date only.
        c.pauses.push(ClockPause {
            from: d("2024-03-10"),
            until: None,
            reason: "judicial review".into(),
        });
        assert!(c.is_paused());
        assert_eq!(c.live_deadline(d("2024-03-12")), d("2024-03-18"));
    }

    #[test]
    fn answered_clock_has_no_days_left() {
        let mut c = ReplyClock::new(d("2024-01-10"), 56);
        c.answered = Some(d("2024-02-01"));
        assert_eq!(c.days_left(d("2024-05-01")), None);
    }
}
