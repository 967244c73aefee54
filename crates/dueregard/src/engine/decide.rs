//! Deciding: who is acting, whether the policy lets them, and then the
//! command's own rules (its payload's `decide`, beside the concept it
//! changes). Nothing here mutates the tracker.

use crate::engine::command::{CommandKind, Submission};
use crate::engine::guard::{Acting, Check, Named};
use crate::engine::machine::State;
use crate::engine::policy::Policy;
use crate::engine::tracker::Tracker;
use crate::error::{Error, Result};
use crate::model::party::Role;
use crate::model::subject::EntityKind;
use crate::model::text::Text;

impl Tracker {
    /// Checks a command without recording it.
    ///
    /// # Errors
    /// The first rule the command breaks.
    pub fn check(&self, submission: &Submission) -> Result<()> {
        self.decide(submission).map(|_| ())
    }

    /// Checks every rule; returns the body the actor acts for.
    pub(crate) fn decide(&self, s: &Submission) -> Result<String> {
        if let Some(last) = self.last_event_at() {
            if s.at < last {
                return Err(Error::OutOfOrder { last, at: s.at });
            }
        }
        let payload = s.command.payload();
        let kind = payload.kind();
        let acting = self.acting(s)?;
        for e in &s.evidence {
            if !self.evidence.contains_key(e) {
                return Err(Error::unknown(EntityKind::Evidence, e));
            }
        }
        let (subject_kind, subject_id) = payload.subject();
        let subject = Named {
            kind: subject_kind,
            id: subject_id,
        };
        let owner = payload.owner(self)?;
        if !acting.roles.is_empty() {
            authorise(&self.policy, &acting, kind, subject, owner.as_deref())?;
        }
        payload.decide(&Check::new(self, s, &acting, subject))?;
        Ok(acting.body.to_string())
    }

    /// Who is acting. While no administrator is registered, anyone may
    /// register bodies and actors (bootstrapping a new tracker).
    fn acting<'a>(&'a self, s: &'a Submission) -> Result<Acting<'a>> {
        if let Some(a) = self.actors.get(&s.actor) {
            return Ok(Acting {
                id: &s.actor,
                body: &a.body,
                roles: &a.roles,
            });
        }
        let bootstrapping = !self
            .actors
            .values()
            .any(|a| a.has_role(Role::Administrator));
        match s.command.payload().bootstrap_body() {
            Some(body) if bootstrapping => Ok(Acting {
                id: &s.actor,
                body,
                roles: &[],
            }),
            _ => Err(Error::UnknownId {
                kind: EntityKind::Actor,
                id: s.actor.clone(),
                hint: "register the actor first (an administrator registers actors)".into(),
            }),
        }
    }
}

fn authorise(
    policy: &Policy,
    acting: &Acting<'_>,
    kind: CommandKind,
    subject: Named<'_>,
    owner: Option<&str>,
) -> Result<()> {
    if policy.permits(acting.roles, acting.body, kind, owner) {
        return Ok(());
    }
    let held: Vec<&str> = acting.roles.iter().map(|r| r.name()).collect();
    let scoped = policy.permits(acting.roles, acting.body, kind, None);
    let reason = if scoped {
        format!(
            "{} belongs to {}, not to the actor's body {}",
            subject,
            owner.unwrap_or("another body"),
            acting.body
        )
    } else {
        format!(
            "the actor holds {}; {}",
            held.join(", "),
            policy.who_may(kind)
        )
    };
    Err(Error::NotAuthorised {
        actor: acting.id.to_string(),
        command: kind.to_string(),
        kind: subject.kind,
        id: subject.id.to_string(),
        reason,
    })
}

pub(crate) fn new_id(kind: EntityKind, id: &str, taken: bool) -> Result<()> {
    if id.trim().is_empty() || id.trim() != id || id.chars().any(char::is_control) {
        return Err(Error::invalid(
            "id",
            format!("{kind} identifier {id:?} must be non-empty, without surrounding spaces or control characters"),
        ));
    }
    if taken {
        return Err(Error::DuplicateId {
            kind,
            id: id.to_string(),
        });
    }
    Ok(())
}

pub(crate) fn non_blank(field: &str, v: &str) -> Result<()> {
    if v.trim().is_empty() {
        return Err(Error::invalid(field, "must not be blank"));
    }
    Ok(())
}

pub(crate) fn non_blank_text(field: &str, v: &Text) -> Result<()> {
    if v.is_blank() {
        return Err(Error::invalid(field, "must not be blank"));
    }
    Ok(())
}

pub(crate) fn finite(field: &str, v: f64) -> Result<()> {
    if !v.is_finite() {
        return Err(Error::invalid(field, "must be a finite number"));
    }
    Ok(())
}
