//! Applying: folding one recorded event into the state. No rules are
//! checked here (they were checked when the event was recorded); only the
//! log's own consistency, so a damaged log is refused instead of panicking.

use chrono::NaiveDate;

use crate::engine::command::{Answer, Command, CommandKind};
use crate::engine::event::Event;
use crate::engine::machine::{Machine, State};
use crate::engine::tracker::Tracker;
use crate::error::{Error, Result};
use crate::model::action::{Action, ActionState, ACTION_MACHINE};
use crate::model::action_plan::ActionPlan;
use crate::model::indicator::Indicator;
use crate::model::milestone::{Milestone, MilestoneState, MILESTONE_MACHINE};
use crate::model::party::{Actor, Body};
use crate::model::response::{
    response_id, ClockPause, ImplementationState, ReplyClock, Response, ResponseState,
    IMPLEMENTATION_MACHINE, RESPONSE_MACHINE,
};
use crate::model::review::{Recommendation, RecommendationLink, Review};
use crate::model::schedule::{Signature, TargetDate};
use crate::model::scrutiny::{Assessment, Evidence, Note, Rating, ScrutinyDecision};
use crate::model::subject::EntityKind;

fn corrupt(seq: i64, detail: impl Into<String>) -> Error {
    Error::CorruptLog {
        seq,
        detail: detail.into(),
    }
}

fn get<'a, T>(
    map: &'a mut crate::engine::tracker::Map<T>,
    seq: i64,
    kind: EntityKind,
    id: &str,
) -> Result<&'a mut T> {
    map.get_mut(id)
        .ok_or_else(|| corrupt(seq, format!("names unknown {kind} {id:?}")))
}

fn fresh<T>(
    map: &crate::engine::tracker::Map<T>,
    seq: i64,
    kind: EntityKind,
    id: &str,
) -> Result<()> {
    if map.contains_key(id) {
        return Err(corrupt(seq, format!("creates {kind} {id:?} a second time")));
    }
    Ok(())
}

fn next<S: State>(m: &Machine<S>, seq: i64, from: S, command: CommandKind) -> Result<S> {
    m.next(from, command).ok_or_else(|| {
        corrupt(
            seq,
            format!("{} cannot {} from {}", m.name, command.name(), from.name()),
        )
    })
}

impl Tracker {
    /// Folds one event into the state. On error nothing has changed.
    pub(crate) fn apply(&mut self, e: &Event) -> Result<()> {
        self.apply_with(e, None)
    }

    /// [`Tracker::apply`] with the command already encoded for the log.
    pub(crate) fn apply_with(&mut self, e: &Event, command: Option<&[u8]>) -> Result<()> {
        let seq = e.seq;
        if seq != self.version() + 1 {
            return Err(corrupt(
                seq,
                format!("expected sequence number {}", self.version() + 1),
            ));
        }
        if let Some(last) = self.last_event_at() {
            if e.at < last {
                return Err(corrupt(seq, "is dated before the event it follows"));
            }
        }
        // Encoded first: a fold that fails is then undone by dropping the record.
        let index = self.events.len();
        let mark = self.events.mark();
        self.events.push_with(e, command)?;
        if let Err(err) = self.fold(e) {
            self.events.truncate(mark);
            return Err(err);
        }
        self.record_trail(&e.command, index);
        Ok(())
    }

    fn signature(e: &Event) -> Signature {
        Signature {
            actor: e.actor.clone(),
            body: e.body.clone(),
            at: e.at,
        }
    }

    pub(crate) fn fold(&mut self, e: &Event) -> Result<()> {
        use Command as C;
        let seq = e.seq;
        let kind = e.command.kind();
        let today: NaiveDate = e.at.date_naive();
        let reason: &str = e.reason.as_deref().unwrap_or("");
        match &e.command {
            C::RegisterBody {
                id,
                name,
                kind,
                parent,
            } => {
                fresh(&self.bodies, seq, EntityKind::Body, id)?;
                if let Some(p) = parent {
                    get(&mut self.bodies, seq, EntityKind::Body, p)?;
                }
                self.bodies.insert(
                    id.clone(),
                    Body {
                        id: id.clone(),
                        name: name.clone(),
                        kind: *kind,
                        parent: parent.clone(),
                    },
                );
            }
            C::RegisterActor {
                id,
                name,
                body,
                roles,
            } => {
                fresh(&self.actors, seq, EntityKind::Actor, id)?;
                get(&mut self.bodies, seq, EntityKind::Body, body)?;
                self.actors.insert(
                    id.clone(),
                    Actor {
                        id: id.clone(),
                        name: name.clone(),
                        body: body.clone(),
                        roles: roles.clone(),
                    },
                );
            }
            C::PublishReview {
                id,
                title,
                kind,
                publisher,
                published,
            } => {
                fresh(&self.reviews, seq, EntityKind::Review, id)?;
                self.reviews.insert(
                    id.clone(),
                    Review {
                        id: id.clone(),
                        title: title.clone(),
                        kind: *kind,
                        publisher: publisher.clone(),
                        published: *published,
                        recommendations: Vec::new(),
                    },
                );
            }
            C::AddRecommendation {
                id,
                review,
                number,
                title,
                text,
                addressees,
                themes,
                due,
                priority,
                reply_within_days,
                demonstration_days,
            } => {
                fresh(&self.recommendations, seq, EntityKind::Recommendation, id)?;
                for a in addressees {
                    fresh(
                        &self.responses,
                        seq,
                        EntityKind::Response,
                        &response_id(id, a),
                    )?;
                }
                let r = get(&mut self.reviews, seq, EntityKind::Review, review)?;
                let published = r.published;
                r.recommendations.push(id.clone());
                self.recommendations.insert(
                    id.clone(),
                    Recommendation {
                        id: id.clone(),
                        review: review.clone(),
                        number: number.clone(),
                        title: title.clone(),
                        text: text.clone(),
                        addressees: addressees.clone(),
                        themes: themes.clone(),
                        due: due.map(TargetDate::new),
                        priority: *priority,
                        links: Vec::new(),
                    },
                );
                for a in addressees {
                    let rid = response_id(id, a);
                    self.responses.insert(
                        rid.clone(),
                        Response {
                            id: rid,
                            recommendation: id.clone(),
                            addressee: a.clone(),
                            state: ResponseState::Awaiting,
                            implementation: ImplementationState::NotStarted,
                            rationale: None,
                            rationale_visibility: Default::default(),
                            statement: None,
                            clock: reply_within_days
                                .map(|d| ReplyClock::new(published.max(today), d)),
                            demonstration_days: *demonstration_days,
                            claimed: None,
                            verified: None,
                            signed_off: None,
                            closure_reason: None,
                            evidence: Vec::new(),
                            ratings: Default::default(),
                        },
                    );
                }
            }
            C::LinkRecommendations { from, relation, to } => {
                get(
                    &mut self.recommendations,
                    seq,
                    EntityKind::Recommendation,
                    to,
                )?;
                let r = get(
                    &mut self.recommendations,
                    seq,
                    EntityKind::Recommendation,
                    from,
                )?;
                r.links.push(RecommendationLink {
                    relation: *relation,
                    other: to.clone(),
                });
            }
            C::CreatePlan {
                id,
                title,
                kind,
                owner,
                themes,
                parent,
                reviews,
            } => {
                fresh(&self.plans, seq, EntityKind::Plan, id)?;
                self.plans.insert(
                    id.clone(),
                    ActionPlan {
                        id: id.clone(),
                        title: title.clone(),
                        kind: *kind,
                        owner: owner.clone(),
                        themes: themes.clone(),
                        parent: parent.clone(),
                        reviews: reviews.clone(),
                        actions: Vec::new(),
                    },
                );
            }
            C::AddAction {
                id,
                plan,
                title,
                owner,
                lead,
                answers,
                theme,
                weight,
                due,
                demonstration_days,
            } => {
                fresh(&self.actions, seq, EntityKind::Action, id)?;
                let p = get(&mut self.plans, seq, EntityKind::Plan, plan)?;
                p.actions.push(id.clone());
                let owner = owner.clone().unwrap_or_else(|| p.owner.clone());
                self.actions.insert(
                    id.clone(),
                    Action {
                        id: id.clone(),
                        plan: plan.clone(),
                        title: title.clone(),
                        owner,
                        lead: lead.clone(),
                        answers: answers.clone(),
                        theme: theme.clone(),
                        weight: *weight,
                        demonstration_days: *demonstration_days,
                        due: TargetDate::new(*due),
                        state: ACTION_MACHINE.initial,
                        blocked_since: None,
                        milestones: Vec::new(),
                        indicators: Vec::new(),
                        evidence: Vec::new(),
                        claimed: None,
                        verified: None,
                        signed_off: None,
                        reason: None,
                        ratings: Default::default(),
                    },
                );
                let position = self.actions.len() - 1;
                for r in answers {
                    let positions = self.answered_by.entry(r.clone()).or_default();
                    // An action listing a recommendation twice answers it once.
                    if positions.last() != Some(&position) {
                        positions.push(position);
                    }
                }
            }
            C::AddMilestone {
                id,
                action,
                title,
                due,
            } => {
                fresh(&self.milestones, seq, EntityKind::Milestone, id)?;
                let a = get(&mut self.actions, seq, EntityKind::Action, action)?;
                a.milestones.push(id.clone());
                self.milestones.insert(
                    id.clone(),
                    Milestone {
                        id: id.clone(),
                        action: action.clone(),
                        title: title.clone(),
                        due: TargetDate::new(*due),
                        state: MILESTONE_MACHINE.initial,
                        achieved_on: None,
                        times_missed: 0,
                        waiver: None,
                    },
                );
            }
            C::DefineIndicator {
                id,
                title,
                unit,
                direction,
                owner,
                action,
                plan,
                baseline,
                target,
                source,
            } => {
                fresh(&self.indicators, seq, EntityKind::Indicator, id)?;
                let owner = self
                    .indicator_owner(owner, action, plan)
                    .map_err(|err| corrupt(seq, err.to_string()))?;
                if let Some(a) = action {
                    get(&mut self.actions, seq, EntityKind::Action, a)?
                        .indicators
                        .push(id.clone());
                }
                self.indicators.insert(
                    id.clone(),
                    Indicator {
                        id: id.clone(),
                        title: title.clone(),
                        unit: unit.clone(),
                        direction: *direction,
                        owner,
                        action: action.clone(),
                        plan: plan.clone(),
                        baseline: *baseline,
                        target: *target,
                        observations: Vec::new(),
                        source: source.clone(),
                    },
                );
            }
            C::Respond {
                response,
                answer,
                statement,
                rationale,
                visibility,
            } => {
                let r = get(&mut self.responses, seq, EntityKind::Response, response)?;
                r.state = next(&RESPONSE_MACHINE, seq, r.state, answer.kind())?;
                if statement.is_some() {
                    r.statement = statement.clone();
                }
                match answer {
                    Answer::Reject | Answer::AcceptInPart => {
                        r.rationale = rationale.clone();
                        r.rationale_visibility = *visibility;
                    }
                    _ => {
                        if rationale.is_some() {
                            r.rationale = rationale.clone();
                            r.rationale_visibility = *visibility;
                        }
                    }
                }
                if let Some(c) = r.clock.as_mut() {
                    if c.answered.is_none() {
                        if let Some(p) = c.pauses.last_mut() {
                            if p.until.is_none() {
                                p.until = Some(today);
                            }
                        }
                        c.answered = Some(today);
                    }
                }
            }
            C::ExtendReplyDeadline { response, until } => {
                let r = get(&mut self.responses, seq, EntityKind::Response, response)?;
                let c = r
                    .clock
                    .as_mut()
                    .ok_or_else(|| corrupt(seq, format!("response {response} has no clock")))?;
                c.deadline.revise(*until, reason, &e.actor, e.at);
            }
            C::PauseReplyClock { response } => {
                let r = get(&mut self.responses, seq, EntityKind::Response, response)?;
                let c = r
                    .clock
                    .as_mut()
                    .ok_or_else(|| corrupt(seq, format!("response {response} has no clock")))?;
                c.pauses.push(ClockPause {
                    from: today,
                    until: None,
                    reason: reason.to_string(),
                });
            }
            C::ResumeReplyClock { response } => {
                let r = get(&mut self.responses, seq, EntityKind::Response, response)?;
                let p = r
                    .clock
                    .as_mut()
                    .and_then(|c| c.pauses.last_mut())
                    .ok_or_else(|| corrupt(seq, format!("response {response} is not paused")))?;
                p.until = Some(today);
            }
            C::StartImplementation { response }
            | C::ClaimImplemented { response }
            | C::VerifyImplementation { response }
            | C::SendBackImplementation { response }
            | C::Supersede { response, .. }
            | C::Withdraw { response } => {
                let r = get(&mut self.responses, seq, EntityKind::Response, response)?;
                r.implementation = next(&IMPLEMENTATION_MACHINE, seq, r.implementation, kind)?;
                match &e.command {
                    C::ClaimImplemented { .. } => r.claimed = Some(Self::signature(e)),
                    C::VerifyImplementation { .. } => {
                        r.verified = Some(Self::signature(e));
                        for ev in &e.evidence {
                            if !r.evidence.contains(ev) {
                                r.evidence.push(ev.clone());
                            }
                        }
                    }
                    C::SendBackImplementation { .. } => {
                        r.claimed = None;
                        r.verified = None;
                    }
                    C::Supersede { .. } | C::Withdraw { .. } => {
                        r.closure_reason = Some(reason.to_string())
                    }
                    _ => {}
                }
            }
            C::StartAction { action }
            | C::BlockAction { action }
            | C::UnblockAction { action }
            | C::DeferAction { action, .. }
            | C::ResumeAction { action }
            | C::CompleteAction { action }
            | C::VerifyAction { action }
            | C::SendBackAction { action }
            | C::CancelAction { action } => {
                let a = get(&mut self.actions, seq, EntityKind::Action, action)?;
                a.state = next(&ACTION_MACHINE, seq, a.state, kind)?;
                a.blocked_since = (a.state == ActionState::Blocked).then_some(e.at);
                match &e.command {
                    C::DeferAction { until, .. } => {
                        a.due.revise(*until, reason, &e.actor, e.at);
                        a.reason = Some(reason.to_string());
                    }
                    C::CancelAction { .. } => a.reason = Some(reason.to_string()),
                    C::CompleteAction { .. } => a.claimed = Some(Self::signature(e)),
                    C::VerifyAction { .. } => {
                        a.verified = Some(Self::signature(e));
                        for ev in &e.evidence {
                            if !a.evidence.contains(ev) {
                                a.evidence.push(ev.clone());
                            }
                        }
                    }
                    C::SendBackAction { .. } => {
                        a.claimed = None;
                        a.verified = None;
                    }
                    _ => {}
                }
            }
            C::AchieveMilestone { milestone, on } => {
                let m = get(&mut self.milestones, seq, EntityKind::Milestone, milestone)?;
                m.state = next(&MILESTONE_MACHINE, seq, m.state, kind)?;
                m.achieved_on = Some(on.unwrap_or(today));
            }
            C::MissMilestone { milestone } => {
                let m = get(&mut self.milestones, seq, EntityKind::Milestone, milestone)?;
                m.state = next(&MILESTONE_MACHINE, seq, m.state, kind)?;
                m.times_missed += 1;
            }
            C::RescheduleMilestone { milestone, to } => {
                let m = get(&mut self.milestones, seq, EntityKind::Milestone, milestone)?;
                m.state = next(&MILESTONE_MACHINE, seq, m.state, kind)?;
                m.due.revise(*to, reason, &e.actor, e.at);
            }
            C::WaiveMilestone { milestone } => {
                let m = get(&mut self.milestones, seq, EntityKind::Milestone, milestone)?;
                m.state = next(&MILESTONE_MACHINE, seq, m.state, kind)?;
                debug_assert_eq!(m.state, MilestoneState::Waived);
                m.waiver = Some(reason.to_string());
            }
            C::RecordObservation {
                indicator,
                observation,
            } => {
                let i = get(&mut self.indicators, seq, EntityKind::Indicator, indicator)?;
                i.observations.push(*observation);
            }
            C::ReviseTargetDate { subject, to } => match subject.kind {
                EntityKind::Action => {
                    get(&mut self.actions, seq, EntityKind::Action, &subject.id)?
                        .due
                        .revise(*to, reason, &e.actor, e.at);
                }
                EntityKind::Recommendation => {
                    let r = get(
                        &mut self.recommendations,
                        seq,
                        EntityKind::Recommendation,
                        &subject.id,
                    )?;
                    match r.due.as_mut() {
                        Some(d) => d.revise(*to, reason, &e.actor, e.at),
                        None => r.due = Some(TargetDate::new(*to)),
                    }
                }
                other => return Err(corrupt(seq, format!("a {other} has no target date"))),
            },
            C::SubmitEvidence {
                id,
                about,
                reference,
                description,
                visibility,
            } => {
                fresh(&self.evidence, seq, EntityKind::Evidence, id)?;
                match about.kind {
                    EntityKind::Action => {
                        get(&mut self.actions, seq, EntityKind::Action, &about.id)?
                            .evidence
                            .push(id.clone())
                    }
                    EntityKind::Response => {
                        get(&mut self.responses, seq, EntityKind::Response, &about.id)?
                            .evidence
                            .push(id.clone())
                    }
                    _ => {}
                }
                self.evidence.insert(
                    id.clone(),
                    Evidence {
                        id: id.clone(),
                        about: about.clone(),
                        reference: reference.clone(),
                        description: description.clone(),
                        submitted_by: e.actor.clone(),
                        submitted_at: e.at,
                        visibility: *visibility,
                    },
                );
            }
            C::AddNote {
                about,
                text,
                visibility,
            } => {
                self.notes.push(Note {
                    about: about.clone(),
                    text: text.clone(),
                    author: e.actor.clone(),
                    at: e.at,
                    visibility: *visibility,
                });
            }
            C::RecordDecision {
                id,
                committee,
                meeting,
                about,
                outcome,
                report_due,
                minute,
            } => {
                fresh(&self.decisions, seq, EntityKind::Decision, id)?;
                self.decisions.insert(
                    id.clone(),
                    ScrutinyDecision {
                        id: id.clone(),
                        committee: committee.clone(),
                        meeting: *meeting,
                        about: about.clone(),
                        outcome: *outcome,
                        report_due: *report_due,
                        minute: minute.clone(),
                        recorded_by: e.actor.clone(),
                    },
                );
            }
            C::Rate {
                about,
                rag,
                assessment,
            } => {
                let rating = Rating {
                    rag: *rag,
                    by: e.actor.clone(),
                    at: e.at,
                };
                let ratings = match about.kind {
                    EntityKind::Action => {
                        &mut get(&mut self.actions, seq, EntityKind::Action, &about.id)?.ratings
                    }
                    EntityKind::Response => {
                        &mut get(&mut self.responses, seq, EntityKind::Response, &about.id)?.ratings
                    }
                    other => return Err(corrupt(seq, format!("a {other} cannot be rated"))),
                };
                match assessment {
                    Assessment::SelfAssessment => ratings.self_assessed = Some(rating),
                    Assessment::Independent => ratings.independent = Some(rating),
                }
            }
            C::SignOff { about } => match about.kind {
                EntityKind::Action => {
                    let a = get(&mut self.actions, seq, EntityKind::Action, &about.id)?;
                    a.state = next(&ACTION_MACHINE, seq, a.state, kind)?;
                    a.signed_off = Some(Self::signature(e));
                }
                EntityKind::Response => {
                    let r = get(&mut self.responses, seq, EntityKind::Response, &about.id)?;
                    r.implementation = next(&IMPLEMENTATION_MACHINE, seq, r.implementation, kind)?;
                    r.signed_off = Some(Self::signature(e));
                }
                other => return Err(corrupt(seq, format!("a {other} cannot be signed off"))),
            },
        }
        Ok(())
    }
}
