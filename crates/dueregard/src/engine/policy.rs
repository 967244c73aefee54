//! Which role may issue which command: a table of data that host software
//! can replace.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::CommandKind;
use crate::engine::machine::{states, State};
use crate::model::party::Role;

states! {
    /// Where a grant applies.
    pub enum Scope {
        /// Only to items owned by (or addressed to) the actor's own body.
        OwnBody => "own_body",
        /// To any item.
        Any => "any",
    }
}

/// One row of the policy table: a role may issue some commands within a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// Commands the role may issue.
    pub commands: Vec<CommandKind>,
    /// Where.
    pub scope: Scope,
}

/// The tracker's rules that are configuration rather than law.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Policy {
    /// Which role may issue which command.
    pub grants: Vec<Grant>,
    /// When true, verification must come from a body other than the claimant's
    /// (not only a different actor).
    #[serde(default)]
    pub verifier_from_other_body: bool,
    /// When true, sign-off must come from a body other than both the
    /// claimant's and the verifier's (not only a third actor). Left out of
    /// the JSON when false, so documents without it read and write alike.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub signer_from_other_body: bool,
}

impl Default for Policy {
    /// The default table:
    ///
    /// | role | commands | scope |
    /// |---|---|---|
    /// | administrator | every command | any |
    /// | owner | answer, deliver, report, revise dates, plan | own body |
    /// | reporter | progress, milestones, observations, evidence, notes, self rating | own body |
    /// | verifier | verify, send back, evidence, notes, independent rating | any |
    /// | scrutineer | publish reviews and recommendations, link, supersede, withdraw, clocks, decisions, sign-off, independent rating, notes | any (decisions: own committee) |
    fn default() -> Self {
        use CommandKind as K;
        Policy {
            grants: vec![
                Grant {
                    role: Role::Administrator,
                    commands: CommandKind::all().to_vec(),
                    scope: Scope::Any,
                },
                Grant {
                    role: Role::Owner,
                    commands: vec![
                        K::CreatePlan,
                        K::AddAction,
                        K::AddMilestone,
                        K::DefineIndicator,
                        K::Accept,
                        K::AcceptInPrinciple,
                        K::AcceptInPart,
                        K::Reject,
                        K::Note,
                        K::StartImplementation,
                        K::ClaimImplemented,
                        K::StartAction,
                        K::BlockAction,
                        K::UnblockAction,
                        K::DeferAction,
                        K::ResumeAction,
                        K::CompleteAction,
                        K::CancelAction,
                        K::ReassignAction,
                        K::AchieveMilestone,
                        K::MissMilestone,
                        K::RescheduleMilestone,
                        K::WaiveMilestone,
                        K::RecordObservation,
                        K::ReviseTargetDate,
                        K::SubmitEvidence,
                        K::AddNote,
                        K::RateSelf,
                    ],
                    scope: Scope::OwnBody,
                },
                Grant {
                    role: Role::Reporter,
                    commands: vec![
                        K::StartAction,
                        K::BlockAction,
                        K::UnblockAction,
                        K::AchieveMilestone,
                        K::MissMilestone,
                        K::RecordObservation,
                        K::SubmitEvidence,
                        K::AddNote,
                        K::RateSelf,
                    ],
                    scope: Scope::OwnBody,
                },
                Grant {
                    role: Role::Verifier,
                    commands: vec![
                        K::VerifyAction,
                        K::VerifyImplementation,
                        K::SendBackAction,
                        K::SendBackImplementation,
                        K::SubmitEvidence,
                        K::AddNote,
                        K::RateIndependent,
                    ],
                    scope: Scope::Any,
                },
                Grant {
                    role: Role::Scrutineer,
                    commands: vec![
                        K::PublishReview,
                        K::AddRecommendation,
                        K::LinkRecommendations,
                        K::Supersede,
                        K::Withdraw,
                        K::ExtendReplyDeadline,
                        K::PauseReplyClock,
                        K::ResumeReplyClock,
                        K::SignOff,
                        K::RateIndependent,
                        K::AddNote,
                    ],
                    scope: Scope::Any,
                },
                Grant {
                    role: Role::Scrutineer,
                    commands: vec![K::RecordDecision],
                    scope: Scope::OwnBody,
                },
            ],
            verifier_from_other_body: false,
            signer_from_other_body: false,
        }
    }
}

impl Policy {
    /// Whether an actor with `roles` in `body` may issue `command` on an item
    /// owned by `owner` (`None` when the item has no single owning body).
    pub fn permits(
        &self,
        roles: &[Role],
        body: &str,
        command: CommandKind,
        owner: Option<&str>,
    ) -> bool {
        self.grants.iter().any(|g| {
            roles.contains(&g.role)
                && g.commands.contains(&command)
                && match g.scope {
                    Scope::Any => true,
                    Scope::OwnBody => owner.is_none_or(|o| o == body),
                }
        })
    }

    /// The roles that may issue `command` anywhere or within their own body,
    /// for error messages.
    pub fn roles_for(&self, command: CommandKind) -> Vec<(Role, Scope)> {
        let mut out = Vec::new();
        for g in &self.grants {
            if g.commands.contains(&command) && !out.contains(&(g.role, g.scope)) {
                out.push((g.role, g.scope));
            }
        }
        out
    }

    /// A sentence saying who may issue `command`.
    pub fn who_may(&self, command: CommandKind) -> String {
        let roles = self.roles_for(command);
        if roles.is_empty() {
            return format!("no role may {command} under this policy");
        }
        let parts: Vec<String> = roles
            .iter()
            .map(|(r, s)| match s {
                Scope::Any => r.name().to_string(),
                Scope::OwnBody => format!("{} of the owning body", r.name()),
            })
            .collect();
        format!("{command} needs the role {}", parts.join(" or "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_is_limited_to_own_body() {
        let p = Policy::default();
        assert!(p.permits(
            &[Role::Owner],
            "islington",
            CommandKind::StartAction,
            Some("islington")
        ));
        assert!(!p.permits(
            &[Role::Owner],
            "brent",
            CommandKind::StartAction,
            Some("islington")
        ));
    }

    #[test]
    fn verifier_cannot_claim_and_owner_cannot_verify() {
        let p = Policy::default();
        assert!(!p.permits(
            &[Role::Verifier],
            "x",
            CommandKind::CompleteAction,
            Some("x")
        ));
        assert!(!p.permits(&[Role::Owner], "x", CommandKind::VerifyAction, Some("x")));
        assert!(p.permits(&[Role::Verifier], "x", CommandKind::VerifyAction, Some("y")));
    }

    #[test]
    fn who_may_names_roles() {
        let p = Policy::default();
        let s = p.who_may(CommandKind::RecordDecision);
        assert!(s.contains("administrator"), "{s}");
        assert!(s.contains("scrutineer of the owning body"), "{s}");
    }

    #[test]
    fn policy_round_trips_through_json() {
        let p = Policy::default();
        let j = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&j).unwrap(), p);
    }
}
