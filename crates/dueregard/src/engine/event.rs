//! Events: accepted commands with their envelope (sequence, time, actor,
//! body, reason, evidence).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::Command;
use crate::model::schedule::Signature;

/// Version of the event payload encoding; bumped when a command's shape
/// changes, with an upcaster in [`crate::Document`].
pub const EVENT_VERSION: u32 = 1;

/// One recorded change. Events are never edited: state is a fold over them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Position in the log, from 1 with no gaps.
    pub seq: i64,
    /// When it took effect.
    #[serde(deserialize_with = "crate::model::dates::instant")]
    #[schemars(with = "DateTime<Utc>")]
    pub at: DateTime<Utc>,
    /// The actor who issued it.
    pub actor: String,
    /// The body the actor acted for.
    pub body: String,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Evidence items cited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The accepted command.
    pub command: Command,
}

impl Event {
    /// The stable past-tense name of the event (e.g. `ActionCompleted`).
    pub fn name(&self) -> &'static str {
        self.command.kind().event_name()
    }

    /// Who recorded it, for whom and when: the signature a claim,
    /// verification or sign-off leaves on its item.
    pub(crate) fn signature(&self) -> Signature {
        Signature {
            actor: self.actor.clone(),
            body: self.body.clone(),
            at: self.at,
        }
    }

    /// The reason given, or an empty one.
    pub(crate) fn reason_text(&self) -> &str {
        self.reason.as_deref().unwrap_or("")
    }

    /// The payload version.
    pub fn version(&self) -> u32 {
        EVENT_VERSION
    }
}
