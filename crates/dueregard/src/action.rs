//! Actions of a plan and their lifecycle.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::machine::{row, states, Machine};
use crate::schedule::{Signature, TargetDate};
use crate::scrutiny::Ratings;
use crate::text::Text;

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

impl ActionState {
    /// True once the owner has claimed completion (completed, verified, signed off).
    pub fn is_done(self) -> bool {
        matches!(
            self,
            ActionState::Completed | ActionState::Verified | ActionState::SignedOff
        )
    }

    /// True while work is still expected (planned, in progress, blocked, deferred).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ActionState::Planned
                | ActionState::InProgress
                | ActionState::Blocked
                | ActionState::Deferred
        )
    }
}

/// The action machine.
pub const ACTION_MACHINE: Machine<ActionState> = Machine {
    name: "action",
    initial: ActionState::Planned,
    transitions: &[
        row(
            ActionState::Planned,
            "start_action",
            ActionState::InProgress,
        ),
        row(
            ActionState::InProgress,
            "block_action",
            ActionState::Blocked,
        ),
        row(
            ActionState::Blocked,
            "unblock_action",
            ActionState::InProgress,
        ),
        row(
            ActionState::InProgress,
            "complete_action",
            ActionState::Completed,
        ),
        row(
            ActionState::Completed,
            "verify_action",
            ActionState::Verified,
        ),
        row(
            ActionState::Completed,
            "send_back_action",
            ActionState::InProgress,
        ),
        row(
            ActionState::Verified,
            "send_back_action",
            ActionState::InProgress,
        ),
        row(ActionState::Verified, "sign_off", ActionState::SignedOff),
        row(ActionState::Planned, "defer_action", ActionState::Deferred),
        row(
            ActionState::InProgress,
            "defer_action",
            ActionState::Deferred,
        ),
        row(ActionState::Blocked, "defer_action", ActionState::Deferred),
        row(
            ActionState::Deferred,
            "resume_action",
            ActionState::InProgress,
        ),
        row(
            ActionState::Planned,
            "cancel_action",
            ActionState::Cancelled,
        ),
        row(
            ActionState::InProgress,
            "cancel_action",
            ActionState::Cancelled,
        ),
        row(
            ActionState::Blocked,
            "cancel_action",
            ActionState::Cancelled,
        ),
        row(
            ActionState::Deferred,
            "cancel_action",
            ActionState::Cancelled,
        ),
    ],
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
