//! Milestones of an action.

pub(crate) mod commands;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::CommandKind as K;
use crate::engine::machine::{guarded, phases, row, states, Guard as G, Machine};
use crate::model::schedule::TargetDate;
use crate::model::text::Text;

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

phases!(
    MilestoneState,
    MILESTONE_MACHINE,
    "pending, missed",
    "achieved"
);

const RESCHEDULE: &[G] = &[G::LaterDate, G::Reason];

/// The milestone machine.
pub const MILESTONE_MACHINE: Machine<MilestoneState> = {
    use MilestoneState as S;
    Machine {
        name: "milestone",
        initial: MilestoneState::Pending,
        claim: Some(K::AchieveMilestone),
        transitions: &[
            row(S::Pending, K::AchieveMilestone, S::Achieved),
            row(S::Pending, K::MissMilestone, S::Missed),
            guarded(S::Missed, K::RescheduleMilestone, S::Pending, RESCHEDULE),
            guarded(S::Pending, K::RescheduleMilestone, S::Pending, RESCHEDULE),
            guarded(S::Pending, K::WaiveMilestone, S::Waived, &[G::Reason]),
            guarded(S::Missed, K::WaiveMilestone, S::Waived, &[G::Reason]),
            row(S::Missed, K::AchieveMilestone, S::Achieved),
        ],
    }
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
