//! Milestones of an action.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::machine::{row, states, Machine};
use crate::schedule::TargetDate;
use crate::text::Text;

states! {
    /// Where a milestone is.
    pub enum MilestoneState {
        /// Not yet reached.
        Pending => "pending",
        /// Reached.
        Achieved => "achieved",
        /// Its date passed without it being reached.
        Missed => "missed",
        /// Set aside with a reason (so its action may complete).
        Waived => "waived",
    }
}

/// The milestone machine.
pub const MILESTONE_MACHINE: Machine<MilestoneState> = Machine {
    name: "milestone",
    initial: MilestoneState::Pending,
    transitions: &[
        row(
            MilestoneState::Pending,
            "achieve_milestone",
            MilestoneState::Achieved,
        ),
        row(
            MilestoneState::Pending,
            "miss_milestone",
            MilestoneState::Missed,
        ),
        row(
            MilestoneState::Missed,
            "reschedule_milestone",
            MilestoneState::Pending,
        ),
        row(
            MilestoneState::Pending,
            "reschedule_milestone",
            MilestoneState::Pending,
        ),
        row(
            MilestoneState::Pending,
            "waive_milestone",
            MilestoneState::Waived,
        ),
        row(
            MilestoneState::Missed,
            "waive_milestone",
            MilestoneState::Waived,
        ),
        row(
            MilestoneState::Missed,
            "achieve_milestone",
            MilestoneState::Achieved,
        ),
    ],
};

/// A dated step of an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Milestone {
    /// Identifier, e.g. `islington-lap/A3/M1`.
    pub id: String,
    /// The action it belongs to.
    pub action: String,
    /// Title.
    pub title: Text,
    /// The due date and its revisions.
    pub due: TargetDate,
    /// State.
    pub state: MilestoneState,
    /// The day it was achieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved_on: Option<NaiveDate>,
    /// How many times it was missed.
    #[serde(default)]
    pub times_missed: u32,
    /// Why it was waived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<String>,
}
