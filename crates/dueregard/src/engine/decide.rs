//! Deciding: every rule a command must satisfy before it is recorded. Nothing
//! here mutates the tracker.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::engine::command::{Command, CommandKind, Submission};
use crate::engine::guard::{Acting, Check, Item, Named};
use crate::engine::machine::State;
use crate::engine::policy::Policy;
use crate::engine::tracker::Tracker;
use crate::error::{Error, Result};
use crate::model::action::ACTION_MACHINE;
use crate::model::milestone::MILESTONE_MACHINE;
use crate::model::party::Role;
use crate::model::response::{IMPLEMENTATION_MACHINE, RESPONSE_MACHINE};
use crate::model::scrutiny::ScrutinyOutcome;
use crate::model::subject::{EntityKind, Subject};
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
        let kind = s.command.kind();
        let acting = self.acting(s)?;
        for e in &s.evidence {
            if !self.evidence.contains_key(e) {
                return Err(Error::unknown(EntityKind::Evidence, e));
            }
        }
        let (subject_kind, subject_id) = s.command.subject_ref();
        let subject = Named {
            kind: subject_kind,
            id: subject_id,
        };
        let owner = self.owner_for(&s.command)?;
        if !acting.roles.is_empty() {
            authorise(&self.policy, &acting, kind, subject, owner.as_deref())?;
        }
        self.rules(s, &acting, subject)?;
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
        match (&s.command, bootstrapping) {
            (Command::RegisterBody { id, .. }, true) => Ok(Acting {
                id: &s.actor,
                body: id,
                roles: &[],
            }),
            (Command::RegisterActor { body, .. }, true) => Ok(Acting {
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

    /// The body whose ownership the policy's `own_body` scope is checked against.
    fn owner_for<'a>(&'a self, c: &'a Command) -> Result<Option<Cow<'a, str>>> {
        use Command as C;
        let owner: Option<Cow<'a, str>> = match c {
            C::RegisterBody { .. } => None,
            C::RegisterActor { body, .. } => Some(body.as_str().into()),
            C::PublishReview { publisher, .. } => Some(publisher.as_str().into()),
            C::AddRecommendation { review, .. } => {
                Some(self.review(review)?.publisher.as_str().into())
            }
            C::CreatePlan { owner, .. } => Some(owner.as_str().into()),
            C::AddAction { plan, .. } => Some(self.plan(plan)?.owner.as_str().into()),
            C::AddMilestone { action, .. } => Some(self.action(action)?.owner.as_str().into()),
            C::DefineIndicator {
                owner,
                action,
                plan,
                ..
            } => Some(self.indicator_owner(owner, action, plan)?.into()),
            C::RecordDecision { committee, .. } => Some(committee.as_str().into()),
            C::SubmitEvidence { about, .. } | C::AddNote { about, .. } => {
                self.owner_of(about)?.map(Cow::Borrowed)
            }
            other => {
                let (kind, id) = other.subject_ref();
                self.owner_of_id(kind, id)?.map(Cow::Borrowed)
            }
        };
        Ok(owner)
    }

    pub(crate) fn indicator_owner(
        &self,
        owner: &Option<String>,
        action: &Option<String>,
        plan: &Option<String>,
    ) -> Result<String> {
        if let Some(o) = owner {
            return Ok(o.clone());
        }
        if let Some(a) = action {
            return Ok(self.action(a)?.owner.clone());
        }
        if let Some(p) = plan {
            return Ok(self.plan(p)?.owner.clone());
        }
        Err(Error::invalid(
            "indicator",
            "give an owner, an action or a plan so the indicator has a reporting body",
        ))
    }

    fn rules(&self, s: &Submission, acting: &Acting<'_>, subject: Named<'_>) -> Result<()> {
        use Command as C;
        let kind = s.command.kind();
        let today = s.at.date_naive();
        match &s.command {
            C::RegisterBody {
                id, name, parent, ..
            } => {
                new_id(EntityKind::Body, id, self.bodies.contains_key(id))?;
                if let Some(p) = parent {
                    self.body(p)?;
                }
                non_blank_text("name", name)
            }
            C::RegisterActor {
                id,
                name,
                body,
                roles,
            } => {
                new_id(EntityKind::Actor, id, self.actors.contains_key(id))?;
                self.body(body)?;
                non_blank("name", name)?;
                if roles.is_empty() {
                    return Err(Error::invalid("roles", "give the actor at least one role"));
                }
                Ok(())
            }
            C::PublishReview {
                id,
                title,
                publisher,
                ..
            } => {
                new_id(EntityKind::Review, id, self.reviews.contains_key(id))?;
                self.body(publisher)?;
                non_blank_text("title", title)
            }
            C::AddRecommendation {
                id,
                review,
                number,
                title,
                addressees,
                due,
                ..
            } => {
                new_id(
                    EntityKind::Recommendation,
                    id,
                    self.recommendations.contains_key(id),
                )?;
                let r = self.review(review)?;
                non_blank("number", number)?;
                non_blank_text("title", title)?;
                if addressees.is_empty() {
                    return Err(Error::invalid(
                        "addressees",
                        "name at least one body the recommendation is made to",
                    ));
                }
                for (i, a) in addressees.iter().enumerate() {
                    self.body(a)?;
                    if addressees[..i].contains(a) {
                        return Err(Error::invalid("addressees", format!("{a} is listed twice")));
                    }
                }
                if let Some(d) = due {
                    if *d < r.published {
                        return Err(Error::invalid(
                            "due",
                            format!("{d} is before the review was published ({})", r.published),
                        ));
                    }
                }
                Ok(())
            }
            C::LinkRecommendations { from, to, .. } => {
                self.recommendation(from)?;
                self.recommendation(to)?;
                if from == to {
                    return Err(Error::invalid(
                        "to",
                        "a recommendation cannot be linked to itself",
                    ));
                }
                Ok(())
            }
            C::CreatePlan {
                id,
                title,
                owner,
                parent,
                reviews,
                ..
            } => {
                new_id(EntityKind::Plan, id, self.plans.contains_key(id))?;
                self.body(owner)?;
                non_blank_text("title", title)?;
                if let Some(p) = parent {
                    self.plan(p)?;
                }
                for r in reviews {
                    self.review(r)?;
                }
                Ok(())
            }
            C::AddAction {
                id,
                plan,
                title,
                owner,
                answers,
                theme,
                weight,
                ..
            } => {
                new_id(EntityKind::Action, id, self.actions.contains_key(id))?;
                let p = self.plan(plan)?;
                non_blank_text("title", title)?;
                if let Some(o) = owner {
                    self.body(o)?;
                }
                for r in answers {
                    self.recommendation(r)?;
                }
                if let Some(t) = theme {
                    if !p.themes.is_empty() && !p.themes.contains(t) {
                        return Err(Error::invalid(
                            "theme",
                            format!(
                                "{t:?} is not a theme of plan {plan}; use one of: {}",
                                p.themes.join(", ")
                            ),
                        ));
                    }
                }
                if let Some(w) = weight {
                    if !w.is_finite() || *w <= 0.0 {
                        return Err(Error::invalid(
                            "weight",
                            "a weight must be a positive number",
                        ));
                    }
                }
                Ok(())
            }
            C::AddMilestone {
                id, action, title, ..
            } => {
                new_id(EntityKind::Milestone, id, self.milestones.contains_key(id))?;
                let a = self.action(action)?;
                non_blank_text("title", title)?;
                if !a.state.is_open() {
                    return Err(Error::invalid(
                        "action",
                        format!(
                            "action {action} is {}; milestones can be added only while it is open",
                            a.state
                        ),
                    ));
                }
                Ok(())
            }
            C::DefineIndicator {
                id,
                title,
                unit,
                owner,
                action,
                plan,
                baseline,
                target,
                ..
            } => {
                new_id(EntityKind::Indicator, id, self.indicators.contains_key(id))?;
                non_blank_text("title", title)?;
                non_blank("unit", unit)?;
                let o = self.indicator_owner(owner, action, plan)?;
                self.body(&o)?;
                if let Some(a) = action {
                    self.action(a)?;
                }
                if let Some(p) = plan {
                    self.plan(p)?;
                }
                finite("baseline", baseline.value)?;
                if let Some(t) = target {
                    finite("target", t.value)?;
                    if t.on < baseline.on {
                        return Err(Error::invalid(
                            "target",
                            "the target date is before the baseline date",
                        ));
                    }
                }
                Ok(())
            }
            C::Respond {
                response,
                answer,
                rationale,
                ..
            } => {
                let r = self.response(response)?;
                let _ = (answer, rationale);
                let check = Check::new(self, s, acting, subject);
                check.step(&RESPONSE_MACHINE, r.state, &Item::of_response(r))?;
                Ok(())
            }
            C::ExtendReplyDeadline { response, until } => {
                let r = self.response(response)?;
                let clock = r.clock.as_ref().ok_or_else(|| no_clock(response))?;
                if clock.answered.is_some() {
                    return Err(Error::invalid(
                        "response",
                        format!("response {response} has been answered; its clock has stopped"),
                    ));
                }
                let deadline = clock.live_deadline(today);
                if today > deadline {
                    return Err(Error::DeadlinePassed {
                        id: response.clone(),
                        deadline,
                    });
                }
                later(subject, deadline, *until)?;
                need_reason(s, subject, kind)
            }
            C::PauseReplyClock { response } => {
                let r = self.response(response)?;
                let clock = r.clock.as_ref().ok_or_else(|| no_clock(response))?;
                if clock.is_paused() || clock.answered.is_some() {
                    return Err(Error::invalid(
                        "response",
                        format!("the reply clock of {response} is already stopped"),
                    ));
                }
                need_reason(s, subject, kind)
            }
            C::ResumeReplyClock { response } => {
                let r = self.response(response)?;
                let clock = r.clock.as_ref().ok_or_else(|| no_clock(response))?;
                if !clock.is_paused() {
                    return Err(Error::invalid(
                        "response",
                        format!("the reply clock of {response} is not paused"),
                    ));
                }
                Ok(())
            }
            C::StartImplementation { response }
            | C::ClaimImplemented { response }
            | C::VerifyImplementation { response }
            | C::SendBackImplementation { response }
            | C::Withdraw { response }
            | C::Supersede { response, .. } => {
                let r = self.response(response)?;
                let check = Check::new(self, s, acting, subject);
                check.step(
                    &IMPLEMENTATION_MACHINE,
                    r.implementation,
                    &Item::of_response(r),
                )?;
                if let C::Supersede { by: Some(by), .. } = &s.command {
                    self.recommendation(by)?;
                }
                Ok(())
            }
            C::StartAction { action }
            | C::UnblockAction { action }
            | C::ResumeAction { action }
            | C::BlockAction { action }
            | C::SendBackAction { action }
            | C::CancelAction { action }
            | C::DeferAction { action, .. }
            | C::CompleteAction { action }
            | C::VerifyAction { action } => {
                let a = self.action(action)?;
                let check = Check::new(self, s, acting, subject);
                check.step(&ACTION_MACHINE, a.state, &Item::of_action(a))?;
                Ok(())
            }
            C::AchieveMilestone { on, .. } => {
                self.milestone_step(s, acting, subject)?;
                if let Some(on) = on {
                    if *on > today {
                        return Err(Error::invalid(
                            "on",
                            format!("{on} is after the command's date {today}; a milestone cannot be achieved in the future"),
                        ));
                    }
                }
                Ok(())
            }
            C::MissMilestone { .. } | C::RescheduleMilestone { .. } | C::WaiveMilestone { .. } => {
                self.milestone_step(s, acting, subject).map(|_| ())
            }
            C::RecordObservation {
                indicator,
                observation,
            } => {
                let i = self.indicator(indicator)?;
                finite("value", observation.value)?;
                if let Some(last) = i.observations.last() {
                    if observation.on < last.on {
                        return Err(Error::invalid(
                            "observation",
                            format!(
                                "{} is before the latest observation ({}); record observations in date order",
                                observation.on, last.on
                            ),
                        ));
                    }
                }
                Ok(())
            }
            C::ReviseTargetDate {
                subject: target,
                to,
            } => {
                let current = match target.kind {
                    EntityKind::Action => {
                        let a = self.action(&target.id)?;
                        if !a.state.is_open() {
                            return Err(Error::invalid(
                                "subject",
                                format!(
                                    "action {} is {}; only open actions have a live target date",
                                    a.id, a.state
                                ),
                            ));
                        }
                        a.due.current()
                    }
                    EntityKind::Recommendation => {
                        let r = self.recommendation(&target.id)?;
                        r.due
                            .as_ref()
                            .ok_or_else(|| {
                                Error::invalid(
                                    "subject",
                                    format!("recommendation {} has no due date to revise", r.id),
                                )
                            })?
                            .current()
                    }
                    EntityKind::Milestone => {
                        return Err(Error::invalid(
                            "subject",
                            "use reschedule_milestone to move a milestone",
                        ))
                    }
                    other => {
                        return Err(Error::invalid(
                            "subject",
                            format!(
                            "a {other} has no target date; revise an action or a recommendation"
                        ),
                        ))
                    }
                };
                if current == *to {
                    return Err(Error::invalid(
                        "to",
                        format!("{subject} is already due {to}"),
                    ));
                }
                need_reason(s, subject, kind)
            }
            C::SubmitEvidence {
                id,
                about,
                reference,
                description,
                ..
            } => {
                new_id(EntityKind::Evidence, id, self.evidence.contains_key(id))?;
                self.exists(about)?;
                non_blank("reference", reference)?;
                non_blank_text("description", description)
            }
            C::AddNote { about, text, .. } => {
                self.exists(about)?;
                non_blank_text("text", text)
            }
            C::RecordDecision {
                id,
                committee,
                meeting,
                about,
                outcome,
                report_due,
                ..
            } => {
                new_id(EntityKind::Decision, id, self.decisions.contains_key(id))?;
                self.body(committee)?;
                self.exists(about)?;
                match (outcome, report_due) {
                    (ScrutinyOutcome::FurtherReportRequested, None) => Err(Error::invalid(
                        "report_due",
                        "a further report needs the meeting date it is due at",
                    )),
                    (ScrutinyOutcome::FurtherReportRequested, Some(d)) if d <= meeting => {
                        Err(Error::invalid(
                            "report_due",
                            format!("{d} must be after the meeting on {meeting}"),
                        ))
                    }
                    _ => Ok(()),
                }
            }
            C::Rate { about, .. } => match about.kind {
                EntityKind::Action => self.action(&about.id).map(|_| ()),
                EntityKind::Response => self.response(&about.id).map(|_| ()),
                other => Err(Error::invalid(
                    "about",
                    format!("a {other} cannot be rated; rate an action or a response"),
                )),
            },
            C::SignOff { about } => {
                let check = Check::new(self, s, acting, subject);
                match about.kind {
                    EntityKind::Action => {
                        let a = self.action(&about.id)?;
                        check.step(&ACTION_MACHINE, a.state, &Item::of_action(a))?;
                    }
                    EntityKind::Response => {
                        let r = self.response(&about.id)?;
                        check.step(
                            &IMPLEMENTATION_MACHINE,
                            r.implementation,
                            &Item::of_response(r),
                        )?;
                    }
                    other => {
                        return Err(Error::invalid(
                            "about",
                            format!(
                                "a {other} cannot be signed off; sign off an action or a response"
                            ),
                        ))
                    }
                };
                Ok(())
            }
        }
    }

    /// The milestone, if the command is a legal transition from its state.
    fn milestone_step(
        &self,
        s: &Submission,
        acting: &Acting<'_>,
        subject: Named<'_>,
    ) -> Result<&crate::Milestone> {
        let m = self.milestone(subject.id)?;
        let check = Check::new(self, s, acting, subject);
        check.step(&MILESTONE_MACHINE, m.state, &Item::of_milestone(m))?;
        Ok(m)
    }

    fn exists(&self, s: &Subject) -> Result<()> {
        if self.contains(s) {
            Ok(())
        } else {
            Err(Error::unknown(s.kind, &s.id))
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

fn new_id(kind: EntityKind, id: &str, taken: bool) -> Result<()> {
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

fn non_blank(field: &str, v: &str) -> Result<()> {
    if v.trim().is_empty() {
        return Err(Error::invalid(field, "must not be blank"));
    }
    Ok(())
}

fn non_blank_text(field: &str, v: &Text) -> Result<()> {
    if v.is_blank() {
        return Err(Error::invalid(field, "must not be blank"));
    }
    Ok(())
}

fn finite(field: &str, v: f64) -> Result<()> {
    if !v.is_finite() {
        return Err(Error::invalid(field, "must be a finite number"));
    }
    Ok(())
}

fn reason_required(subject: Named<'_>, kind: CommandKind, what: &str) -> Error {
    Error::ReasonRequired {
        kind: subject.kind,
        id: subject.id.to_string(),
        command: kind.to_string(),
        what: what.to_string(),
    }
}

fn need_reason(s: &Submission, subject: Named<'_>, kind: CommandKind) -> Result<()> {
    if s.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(reason_required(subject, kind, "reason"));
    }
    Ok(())
}

fn later(subject: Named<'_>, current: NaiveDate, proposed: NaiveDate) -> Result<()> {
    if proposed <= current {
        return Err(Error::DateNotLater {
            kind: subject.kind,
            id: subject.id.to_string(),
            current,
            proposed,
        });
    }
    Ok(())
}

fn no_clock(response: &str) -> Error {
    Error::invalid(
        "response",
        format!(
            "response {response} has no reply clock; set reply_within_days on the recommendation"
        ),
    )
}
