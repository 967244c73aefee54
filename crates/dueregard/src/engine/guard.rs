//! The generic step: a command moves an item along its machine when the
//! table has a row for it and every guard of that row holds.

use chrono::NaiveDate;

use crate::engine::command::{CommandKind, Submission};
use crate::engine::machine::{Guard, Machine, State};
use crate::engine::tracker::Tracker;
use crate::error::{Error, Result};
use crate::model::action::Action;
use crate::model::milestone::Milestone;
use crate::model::response::{Response, ResponseState};
use crate::model::schedule::Signature;
use crate::model::subject::{EntityKind, Subject};
use crate::model::text::Text;

/// The entity a command is about, borrowed from the command; an owned
/// [`crate::Subject`] is built only for an error.
#[derive(Clone, Copy)]
pub(crate) struct Named<'a> {
    pub(crate) kind: EntityKind,
    pub(crate) id: &'a str,
}

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind, self.id)
    }
}

/// The acting party after authentication.
pub(crate) struct Acting<'a> {
    pub(crate) id: &'a str,
    pub(crate) body: &'a str,
    pub(crate) roles: &'a [crate::model::party::Role],
}

/// What guards read about the item a command moves.
#[derive(Default)]
pub(crate) struct Item<'a> {
    evidence: &'a [String],
    claimed: Option<&'a Signature>,
    verified: Option<&'a Signature>,
    demonstration_days: Option<u32>,
    due: Option<NaiveDate>,
    action: Option<&'a Action>,
    decision: Option<ResponseState>,
}

impl<'a> Item<'a> {
    pub(crate) fn of_action(a: &'a Action) -> Self {
        Item {
            evidence: &a.evidence,
            claimed: a.claimed.as_ref(),
            verified: a.verified.as_ref(),
            demonstration_days: a.demonstration_days,
            due: Some(a.due.current()),
            action: Some(a),
            decision: None,
        }
    }

    pub(crate) fn of_response(r: &'a Response) -> Self {
        Item {
            evidence: &r.evidence,
            claimed: r.claimed.as_ref(),
            verified: r.verified.as_ref(),
            demonstration_days: r.demonstration_days,
            decision: Some(r.state),
            ..Item::default()
        }
    }

    pub(crate) fn of_milestone(m: &'a Milestone) -> Self {
        Item {
            due: Some(m.due.current()),
            ..Item::default()
        }
    }
}

/// One submission being decided: everything a guard may read.
pub(crate) struct Check<'a> {
    /// The tracker as it stands before the command.
    pub(crate) tracker: &'a Tracker,
    /// The submission being decided.
    pub(crate) submission: &'a Submission,
    acting: &'a Acting<'a>,
    /// What the command is about.
    pub(crate) subject: Named<'a>,
    kind: CommandKind,
}

impl<'a> Check<'a> {
    pub(crate) fn new(
        tracker: &'a Tracker,
        submission: &'a Submission,
        acting: &'a Acting<'a>,
        subject: Named<'a>,
    ) -> Self {
        Check {
            tracker,
            submission,
            acting,
            subject,
            kind: submission.command.kind(),
        }
    }

    /// The state the command moves the item to, if the table has a row for
    /// it from `from` and every guard of that row holds.
    ///
    /// # Errors
    /// [`Error::InvalidTransition`] naming the commands allowed from `from`,
    /// or the error of the first guard that fails.
    pub(crate) fn step<S: State>(
        &self,
        machine: &Machine<S>,
        from: S,
        item: &Item<'_>,
    ) -> Result<S> {
        let row = machine
            .row(from, self.kind)
            .ok_or_else(|| Error::InvalidTransition {
                kind: self.subject.kind,
                id: self.subject.id.to_string(),
                state: from.name().to_string(),
                command: self.kind.name().to_string(),
                allowed: machine
                    .allowed_from(from)
                    .into_iter()
                    .map(|k| k.name().to_string())
                    .collect(),
            })?;
        for guard in row.guards {
            self.holds(*guard, item)?;
        }
        Ok(row.to)
    }

    /// The day the command takes effect.
    pub(crate) fn today(&self) -> NaiveDate {
        self.submission.at.date_naive()
    }

    /// The submission must give a non-blank reason.
    ///
    /// # Errors
    /// [`Error::ReasonRequired`].
    pub(crate) fn reason(&self) -> Result<()> {
        let reason = self.submission.reason.as_deref();
        if reason.is_none_or(|r| r.trim().is_empty()) {
            return Err(self.missing("reason"));
        }
        Ok(())
    }

    /// A proposed date must be later than the current one.
    ///
    /// # Errors
    /// [`Error::DateNotLater`].
    pub(crate) fn later(&self, current: NaiveDate, proposed: NaiveDate) -> Result<()> {
        if proposed <= current {
            return Err(Error::DateNotLater {
                kind: self.subject.kind,
                id: self.subject.id.to_string(),
                current,
                proposed,
            });
        }
        Ok(())
    }

    /// A new entity's identifier must be well formed and not taken.
    ///
    /// # Errors
    /// [`Error::Invalid`] or [`Error::DuplicateId`].
    pub(crate) fn new_id(&self, kind: EntityKind, id: &str) -> Result<()> {
        crate::engine::decide::new_id(kind, id, self.tracker.position(kind, id).is_some())
    }

    /// The entity must exist.
    ///
    /// # Errors
    /// [`Error::UnknownId`].
    pub(crate) fn exists(&self, s: &Subject) -> Result<()> {
        if self.tracker.contains(s) {
            Ok(())
        } else {
            Err(Error::unknown(s.kind, &s.id))
        }
    }

    fn holds(&self, guard: Guard, item: &Item<'_>) -> Result<()> {
        let s = self.submission;
        let payload = s.command.payload();
        match guard {
            Guard::Reason => self.reason()?,
            Guard::Rationale | Guard::Reservation => {
                if payload.rationale().is_none_or(Text::is_blank) {
                    return Err(self.missing(guard.name()));
                }
            }
            Guard::Evidence => {
                if item.evidence.is_empty() && s.evidence.is_empty() {
                    return Err(Error::EvidenceRequired {
                        kind: self.subject.kind,
                        id: self.subject.id.to_string(),
                        command: self.kind.to_string(),
                    });
                }
            }
            Guard::NotClaimant => self.another_signatory(item.claimed, "claimed")?,
            Guard::NotVerifier => self.another_signatory(item.verified, "verified")?,
            Guard::MilestonesSettled => {
                if let Some(a) = item.action {
                    let pending: Vec<String> = self
                        .tracker
                        .milestones_of(a)
                        .filter(|m| m.state.is_open())
                        .map(|m| m.id.clone())
                        .collect();
                    if !pending.is_empty() {
                        return Err(Error::MilestonesPending {
                            action: a.id.clone(),
                            pending,
                        });
                    }
                }
            }
            Guard::DemonstrationElapsed => {
                if let (Some(v), Some(days)) = (item.verified, item.demonstration_days) {
                    let until =
                        v.at.date_naive()
                            .checked_add_days(chrono::Days::new(u64::from(days)))
                            .unwrap_or(NaiveDate::MAX);
                    if s.at.date_naive() < until {
                        return Err(Error::DemonstrationPeriod {
                            kind: self.subject.kind,
                            id: self.subject.id.to_string(),
                            until,
                        });
                    }
                }
            }
            Guard::LaterDate => {
                if let (Some(current), Some(proposed)) = (item.due, payload.proposed_date()) {
                    self.later(current, proposed)?;
                }
            }
            Guard::Accepted => {
                if let Some(decision) = item.decision {
                    if !decision.is_accepting() {
                        return Err(Error::NotAccepted {
                            id: self.subject.id.to_string(),
                            decision: decision.to_string(),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn missing(&self, what: &str) -> Error {
        Error::ReasonRequired {
            kind: self.subject.kind,
            id: self.subject.id.to_string(),
            command: self.kind.to_string(),
            what: what.to_string(),
        }
    }

    /// Separation of duties: this signature must not come from the actor
    /// (or, where the policy says so, the body) that gave an earlier one.
    fn another_signatory(&self, earlier: Option<&Signature>, step: &'static str) -> Result<()> {
        let Some(earlier) = earlier else {
            return Ok(());
        };
        let policy = self.tracker.policy();
        let bodies_differ = if self.kind == CommandKind::SignOff {
            policy.signer_from_other_body
        } else {
            policy.verifier_from_other_body
        };
        let clash = if earlier.actor == self.acting.id {
            Some(("actor", &earlier.actor))
        } else if bodies_differ && earlier.body == self.acting.body {
            Some(("body", &earlier.body))
        } else {
            None
        };
        match clash {
            None => Ok(()),
            Some((scope, who)) => Err(Error::SelfVerification {
                kind: self.subject.kind,
                id: self.subject.id.to_string(),
                command: self.kind.to_string(),
                step,
                claimant: who.clone(),
                scope,
            }),
        }
    }
}
