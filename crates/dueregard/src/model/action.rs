//! Actions of a plan and their lifecycle.

pub(crate) mod commands;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::apply::signed;
use crate::engine::command::CommandKind as K;
use crate::engine::machine::{guarded, phases, row, states, Guard as G, Machine};
use crate::model::schedule::{Signature, TargetDate};
use crate::model::scrutiny::Ratings;
use crate::model::text::Text;

states! {
    /// Where an action is in its lifecycle.
    pub enum ActionState {
        /// Agreed, not started.
        Planned => "planned",
        /// Work under way.
        InProgress => "in_progress",
        /// Work stopped by an obstacle.
        Blocked => "blocked",
        /// Put off to a later date.
        Deferred => "deferred",
        /// The owner claims it is done.
        Completed => "completed",
        /// Someone other than the claimant checked the evidence.
        Verified => "verified",
        /// A committee or panel signed it off.
        SignedOff => "signed_off",
        /// Dropped, with a reason.
        Cancelled => "cancelled",
    }
}

phases!(
    ActionState,
    ACTION_MACHINE,
    "planned, in progress, blocked, deferred",
    "completed, verified, signed off"
);

/// Verification needs evidence and someone other than the claimant.
pub(crate) const VERIFY: &[G] = &[G::Evidence, G::NotClaimant];
/// Sign-off is the third signature: neither the claimant nor the verifier,
/// and only once the change has held for its demonstration period.
pub(crate) const SIGN_OFF: &[G] = &[G::NotClaimant, G::NotVerifier, G::DemonstrationElapsed];
const DEFER: &[G] = &[G::LaterDate, G::Reason];

/// The action machine.
pub const ACTION_MACHINE: Machine<ActionState> = {
    use ActionState as S;
    Machine {
        name: "action",
        initial: ActionState::Planned,
        claim: Some(K::CompleteAction),
        transitions: &[
            row(S::Planned, K::StartAction, S::InProgress),
            guarded(S::InProgress, K::BlockAction, S::Blocked, &[G::Reason]),
            row(S::Blocked, K::UnblockAction, S::InProgress),
            guarded(
                S::InProgress,
                K::CompleteAction,
                S::Completed,
                &[G::MilestonesSettled],
            ),
            guarded(S::Completed, K::VerifyAction, S::Verified, VERIFY),
            guarded(S::Completed, K::SendBackAction, S::InProgress, &[G::Reason]),
            guarded(S::Verified, K::SendBackAction, S::InProgress, &[G::Reason]),
            guarded(S::Verified, K::SignOff, S::SignedOff, SIGN_OFF),
            guarded(S::Planned, K::DeferAction, S::Deferred, DEFER),
            guarded(S::InProgress, K::DeferAction, S::Deferred, DEFER),
            guarded(S::Blocked, K::DeferAction, S::Deferred, DEFER),
            row(S::Deferred, K::ResumeAction, S::InProgress),
            guarded(S::Planned, K::CancelAction, S::Cancelled, &[G::Reason]),
            guarded(S::InProgress, K::CancelAction, S::Cancelled, &[G::Reason]),
            guarded(S::Blocked, K::CancelAction, S::Cancelled, &[G::Reason]),
            guarded(S::Deferred, K::CancelAction, S::Cancelled, &[G::Reason]),
        ],
    }
};

/// An action of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Action {
    /// Identifier, e.g. `islington-lap/A3`.
    pub id: String,
    /// The plan it belongs to.
    pub plan: String,
    /// Title.
    pub title: Text,
    /// Body responsible for delivery.
    pub owner: String,
    /// The lead role, e.g. `Borough Commander`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Recommendations this action answers (from one or more reviews).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    /// Theme within the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Weight in the plan's progress (1 when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Days the change must hold after verification before sign-off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demonstration_days: Option<u32>,
    /// The due date and its revisions.
    pub due: TargetDate,
    /// Lifecycle state.
    pub state: ActionState,
    /// When the action was last blocked (while blocked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_since: Option<DateTime<Utc>>,
    /// Milestone identifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<String>,
    /// Indicator identifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<String>,
    /// Evidence item identifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Who claimed completion, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed: Option<Signature>,
    /// Who verified it, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Signature>,
    /// Who signed it off, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_off: Option<Signature>,
    /// Reason given when cancelled or deferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The owner's and the monitor's ratings.
    #[serde(default)]
    pub ratings: Ratings,
}

signed!(Action);
