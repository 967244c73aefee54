//! Trails: for every entity, the event that created it and the events that
//! touched it, so one entity's history and its state as of a past date come
//! from its own events instead of a scan or replay of the whole log.
//!
//! Every event joins exactly one trail, that of the *root* its subject
//! belongs to: a milestone's events join its action's trail, evidence, notes,
//! ratings and decisions join the trail of what they are about, an
//! indicator's those of the action or plan it measures. A trail is a chain of
//! event positions linked backwards (four bytes an event, eight an entity).

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::engine::command::Command;
use crate::engine::event::Event;
use crate::engine::machine::State;
use crate::engine::tracker::Tracker;
use crate::error::{Error, Result};
use crate::model::subject::{EntityKind, Subject};

/// No event.
const NONE: u32 = u32::MAX;

const KINDS: usize = 11;

fn slot(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Body => 0,
        EntityKind::Actor => 1,
        EntityKind::Review => 2,
        EntityKind::Recommendation => 3,
        EntityKind::Response => 4,
        EntityKind::Plan => 5,
        EntityKind::Action => 6,
        EntityKind::Milestone => 7,
        EntityKind::Indicator => 8,
        EntityKind::Evidence => 9,
        EntityKind::Decision => 10,
    }
}

/// Where an entity's events are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    /// The event that created it.
    created: u32,
    /// The last event on its trail, when it is a root.
    head: u32,
    /// The root whose trail holds its events: kind slot and position.
    root_kind: u8,
    root: u32,
}

/// The trail index of a tracker, kept in step with its event log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Trails {
    /// For each event, the previous event on the same trail.
    previous: Vec<u32>,
    /// For each kind, an entry per entity in creation order.
    entries: [Vec<Entry>; KINDS],
}

impl Trails {
    pub(crate) fn reserve(&mut self, events: usize) {
        self.previous.reserve(events);
    }
}

/// The trail index as it was before a command, for [`crate::undo`].
#[derive(Debug)]
pub(crate) struct TrailMark {
    previous: usize,
    lengths: [usize; KINDS],
    roots: Vec<(usize, usize, Entry)>,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE)
}

impl Tracker {
    /// The number of entities of a kind.
    fn count(&self, kind: EntityKind) -> usize {
        match kind {
            EntityKind::Body => self.bodies.len(),
            EntityKind::Actor => self.actors.len(),
            EntityKind::Review => self.reviews.len(),
            EntityKind::Recommendation => self.recommendations.len(),
            EntityKind::Response => self.responses.len(),
            EntityKind::Plan => self.plans.len(),
            EntityKind::Action => self.actions.len(),
            EntityKind::Milestone => self.milestones.len(),
            EntityKind::Indicator => self.indicators.len(),
            EntityKind::Evidence => self.evidence.len(),
            EntityKind::Decision => self.decisions.len(),
        }
    }

    /// The position of an entity in its kind's creation order.
    pub(crate) fn position(&self, kind: EntityKind, id: &str) -> Option<usize> {
        match kind {
            EntityKind::Body => self.bodies.get_index_of(id),
            EntityKind::Actor => self.actors.get_index_of(id),
            EntityKind::Review => self.reviews.get_index_of(id),
            EntityKind::Recommendation => self.recommendations.get_index_of(id),
            EntityKind::Response => self.responses.get_index_of(id),
            EntityKind::Plan => self.plans.get_index_of(id),
            EntityKind::Action => self.actions.get_index_of(id),
            EntityKind::Milestone => self.milestones.get_index_of(id),
            EntityKind::Indicator => self.indicators.get_index_of(id),
            EntityKind::Evidence => self.evidence.get_index_of(id),
            EntityKind::Decision => self.decisions.get_index_of(id),
        }
    }

    fn entry(&self, kind: EntityKind, id: &str) -> Option<Entry> {
        let p = self.position(kind, id)?;
        self.trails.entries[slot(kind)].get(p).copied()
    }

    /// The root of a new entity at `position` of `kind`.
    fn root_of_new(&self, kind: EntityKind, position: usize) -> (u8, u32) {
        let own = (slot(kind) as u8, to_u32(position));
        let parent: Option<(EntityKind, &str)> = match kind {
            EntityKind::Milestone => self
                .milestones
                .get_index(position)
                .map(|(_, m)| (EntityKind::Action, m.action.as_str())),
            EntityKind::Evidence => self
                .evidence
                .get_index(position)
                .map(|(_, e)| (e.about.kind, e.about.id.as_str())),
            EntityKind::Decision => self
                .decisions
                .get_index(position)
                .map(|(_, d)| (d.about.kind, d.about.id.as_str())),
            EntityKind::Indicator => self.indicators.get_index(position).and_then(|(_, i)| {
                i.action
                    .as_deref()
                    .map(|a| (EntityKind::Action, a))
                    .or(i.plan.as_deref().map(|p| (EntityKind::Plan, p)))
            }),
            _ => None,
        };
        parent
            .and_then(|(k, id)| self.entry(k, id))
            .map_or(own, |e| (e.root_kind, e.root))
    }

    /// Records the event about to be pushed at position `at` of the log:
    /// entries for the entities it created, and its place on its root's trail.
    pub(crate) fn record_trail(&mut self, command: &Command, at: usize) {
        let at = to_u32(at);
        for kind in EntityKind::all().iter().copied() {
            let s = slot(kind);
            while self.trails.entries[s].len() < self.count(kind) {
                let position = self.trails.entries[s].len();
                let (root_kind, root) = self.root_of_new(kind, position);
                self.trails.entries[s].push(Entry {
                    created: at,
                    head: NONE,
                    root_kind,
                    root,
                });
            }
        }
        let (kind, id) = command.subject_ref();
        let root = self
            .entry(kind, id)
            .map(|e| (usize::from(e.root_kind), e.root as usize));
        let previous = match root.and_then(|(k, p)| self.trails.entries[k].get_mut(p)) {
            Some(r) => std::mem::replace(&mut r.head, at),
            None => NONE,
        };
        self.trails.previous.push(previous);
    }

    /// Marks the trail index before a command naming `named` is recorded.
    pub(crate) fn trail_mark<'a>(
        &self,
        named: impl Iterator<Item = (EntityKind, &'a str)>,
    ) -> TrailMark {
        let roots = named
            .filter_map(|(kind, id)| self.entry(kind, id))
            .filter_map(|e| {
                let (k, p) = (usize::from(e.root_kind), e.root as usize);
                Some((k, p, *self.trails.entries[k].get(p)?))
            })
            .collect();
        TrailMark {
            previous: self.trails.previous.len(),
            lengths: std::array::from_fn(|k| self.trails.entries[k].len()),
            roots,
        }
    }

    /// Puts the trail index back as it was at `mark`.
    pub(crate) fn restore_trail(&mut self, mark: TrailMark) {
        self.trails.previous.truncate(mark.previous);
        for (entries, len) in self.trails.entries.iter_mut().zip(mark.lengths) {
            entries.truncate(len);
        }
        for (k, p, entry) in mark.roots {
            if let Some(slot) = self.trails.entries[k].get_mut(p) {
                *slot = entry;
            }
        }
    }

    /// Positions of the events on the trail holding `subject`'s events, newest first.
    fn trail(&self, subject: &Subject) -> Result<(Entry, Vec<usize>)> {
        let unknown = || Error::unknown(subject.kind, &subject.id);
        let entry = self.entry(subject.kind, &subject.id).ok_or_else(unknown)?;
        let root = self.trails.entries[usize::from(entry.root_kind)]
            .get(entry.root as usize)
            .ok_or_else(unknown)?;
        let mut out = Vec::new();
        let mut at = root.head;
        while at != NONE {
            out.push(at as usize);
            at = self
                .trails
                .previous
                .get(at as usize)
                .copied()
                .unwrap_or(NONE);
        }
        Ok((entry, out))
    }

    /// The events that touched `subject`, oldest first, found through its
    /// trail rather than a scan of the log: the event that created it, those
    /// about it and, for an action or plan, those about its milestones,
    /// evidence, indicators, notes, ratings and decisions about it. (For a
    /// response: the recommendation that opened it, then its own events.)
    ///
    /// # Errors
    /// [`Error::UnknownId`] when there is no such entity.
    pub fn trail_of(&self, subject: &Subject) -> Result<Vec<Event>> {
        let (entry, trail) = self.trail(subject)?;
        let is_root = self.trails.entries[usize::from(entry.root_kind)]
            .get(entry.root as usize)
            .is_some_and(|r| *r == entry);
        let mut positions = trail;
        positions.push(entry.created as usize);
        positions.sort_unstable();
        positions.dedup();
        let created = entry.created as usize;
        Ok(positions
            .into_iter()
            .filter_map(|i| self.events.get(i).map(|e| (i, e)))
            .filter(|(i, e)| {
                let (k, id) = e.command.subject_ref();
                is_root || *i == created || (k == subject.kind && id == subject.id)
            })
            .map(|(_, e)| e)
            .collect())
    }

    /// A tracker holding `subject` as it stood at the end of `date`, with
    /// whatever it depends on (its plan, owner, the recommendations it
    /// answers, its milestones, evidence…), built from those entities' own
    /// events instead of a replay of the whole log. Views run on it as on any
    /// tracker, but it holds only that part of the state; its log keeps the
    /// original sequence numbers and is not meant to be extended.
    ///
    /// # Errors
    /// [`Error::UnknownId`] when there is no such entity (it may still not
    /// have existed on `date`: the result then does not contain it).
    pub fn slice_as_of(&self, subject: &Subject, date: NaiveDate) -> Result<Tracker> {
        self.slice_of([(subject.kind, subject.id.as_str())], date, true)
    }

    /// [`Tracker::slice_as_of`] for several distinct subjects at once; without
    /// `keep_log` the slice holds the state only (no events, no trails).
    pub(crate) fn slice_of<'a>(
        &self,
        subjects: impl IntoIterator<Item = (EntityKind, &'a str)>,
        date: NaiveDate,
        keep_log: bool,
    ) -> Result<Tracker> {
        let cutoff = self.events.count_through(date);
        // Each event is on exactly one trail, so distinct roots give distinct events.
        let mut roots: HashSet<(u8, u32)> = HashSet::new();
        let mut needed: Vec<usize> = Vec::new();
        let mut created: HashSet<usize> = HashSet::new();
        for (kind, id) in subjects {
            let subject = Subject::new(kind, id);
            let entry = self
                .entry(kind, id)
                .ok_or_else(|| Error::unknown(kind, id))?;
            if roots.insert((entry.root_kind, entry.root)) {
                let (_, trail) = self.trail(&subject)?;
                needed.extend(trail.into_iter().filter(|&i| i < cutoff));
            }
            if (entry.created as usize) < cutoff {
                created.insert(entry.created as usize);
            }
        }
        // Add the events creating everything those events name, transitively.
        let mut pending: Vec<usize> = needed.iter().chain(&created).copied().collect();
        while let Some(i) = pending.pop() {
            let Some(e) = self.events.get(i) else {
                continue;
            };
            let cited = e
                .evidence
                .iter()
                .map(|id| (EntityKind::Evidence, id.as_str()));
            for (kind, id) in e.command.references().into_iter().chain(cited) {
                if let Some(c) = self.entry(kind, id).map(|x| x.created as usize) {
                    if c < cutoff && created.insert(c) {
                        pending.push(c);
                    }
                }
            }
        }
        needed.extend(created);
        needed.sort_unstable();
        needed.dedup();
        let mut slice = Tracker::with_policy(self.policy.clone());
        for i in needed {
            if let Some(e) = self.events.get(i) {
                slice.fold(&e)?;
                if keep_log {
                    slice.record_trail(&e.command, slice.events.len());
                    slice.events.push(&e)?;
                }
            }
        }
        Ok(slice)
    }

    /// The position in the log of the event that created an entity.
    pub(crate) fn created_at(&self, kind: EntityKind, id: &str) -> Option<usize> {
        self.entry(kind, id).map(|e| e.created as usize)
    }

    /// True when an event at position `from` or later is on the trail
    /// holding the entity's events (so it may have changed since).
    pub(crate) fn touched_since(&self, kind: EntityKind, id: &str, from: usize) -> bool {
        self.entry(kind, id)
            .and_then(|e| self.trails.entries[usize::from(e.root_kind)].get(e.root as usize))
            .is_some_and(|r| r.head != NONE && r.head as usize >= from)
    }

    /// The root subject holding an entity's events.
    pub(crate) fn root_subject(&self, kind: EntityKind, id: &str) -> Option<(EntityKind, &str)> {
        let e = self.entry(kind, id)?;
        let k = *EntityKind::all().get(usize::from(e.root_kind))?;
        let p = e.root as usize;
        let id = match k {
            EntityKind::Body => self.bodies.get_index(p).map(|(k, _)| k),
            EntityKind::Actor => self.actors.get_index(p).map(|(k, _)| k),
            EntityKind::Review => self.reviews.get_index(p).map(|(k, _)| k),
            EntityKind::Recommendation => self.recommendations.get_index(p).map(|(k, _)| k),
            EntityKind::Response => self.responses.get_index(p).map(|(k, _)| k),
            EntityKind::Plan => self.plans.get_index(p).map(|(k, _)| k),
            EntityKind::Action => self.actions.get_index(p).map(|(k, _)| k),
            EntityKind::Milestone => self.milestones.get_index(p).map(|(k, _)| k),
            EntityKind::Indicator => self.indicators.get_index(p).map(|(k, _)| k),
            EntityKind::Evidence => self.evidence.get_index(p).map(|(k, _)| k),
            EntityKind::Decision => self.decisions.get_index(p).map(|(k, _)| k),
        }?;
        Some((k, id.as_str()))
    }

    /// The action as it stood at the end of `date`, or `None` if it did not
    /// exist yet; folded from its own events (see [`Tracker::slice_as_of`]).
    ///
    /// # Errors
    /// [`Error::UnknownId`] when there is no such action.
    pub fn action_as_of(
        &self,
        id: &str,
        date: NaiveDate,
    ) -> Result<Option<crate::model::action::Action>> {
        let mut slice = self.slice_as_of(&Subject::action(id), date)?;
        Ok(slice.actions.shift_remove(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::AddAction;
    use crate::example;

    fn dates(t: &Tracker) -> Vec<NaiveDate> {
        let first = t.events().first().map(|e| e.at.date_naive());
        let last = t.events().last().map(|e| e.at.date_naive());
        let (Some(first), Some(last)) = (first, last) else {
            return Vec::new();
        };
        let span = (last - first).num_days();
        (0..=8)
            .map(|k| first + chrono::Duration::days(span * k / 8 - 1))
            .chain([last])
            .collect()
    }

    #[test]
    fn one_action_as_of_a_date_matches_a_full_replay() {
        let t = example::tracker();
        for d in dates(&t) {
            let full = t.as_of(d);
            for a in t.actions() {
                let slice = t.slice_as_of(&Subject::action(&a.id), d).unwrap();
                assert_eq!(
                    t.action_as_of(&a.id, d).unwrap().as_ref(),
                    full.action(&a.id).ok(),
                    "action {} on {d}",
                    a.id
                );
                for m in &a.milestones {
                    assert_eq!(
                        slice.milestone(m).ok(),
                        full.milestone(m).ok(),
                        "{m} on {d}"
                    );
                }
            }
        }
    }

    /// For every entity of a kind, its slice on `$d` holds it as the full
    /// replay `$full` does.
    macro_rules! slices_match {
        ($t:expr, $full:expr, $d:expr, $kind:expr, $all:ident, $one:ident) => {
            for x in $t.$all() {
                let s = $t.slice_as_of(&Subject::new($kind, &x.id), $d).unwrap();
                assert_eq!(
                    s.$one(&x.id).ok(),
                    $full.$one(&x.id).ok(),
                    "{} on {}",
                    x.id,
                    $d
                );
            }
        };
    }

    #[test]
    fn every_leaf_entity_as_of_a_date_matches_a_full_replay() {
        let t = example::tracker();
        for d in dates(&t) {
            let full = t.as_of(d);
            slices_match!(t, full, d, EntityKind::Response, responses, response);
            slices_match!(t, full, d, EntityKind::Indicator, indicators, indicator);
            slices_match!(t, full, d, EntityKind::Evidence, evidence, evidence_item);
            slices_match!(t, full, d, EntityKind::Decision, decisions, decision);
        }
    }

    #[test]
    fn trail_holds_every_event_about_the_subject_and_nothing_unrelated() {
        let t = example::tracker();
        for a in t.actions() {
            let subject = Subject::action(&a.id);
            let trail = t.history(&subject);
            let scanned: Vec<Event> = t
                .events()
                .iter()
                .filter(|e| {
                    let (k, id) = e.command.subject_ref();
                    (k == EntityKind::Action && id == a.id)
                        || (k == EntityKind::Milestone && a.milestones.iter().any(|m| m == id))
                })
                .collect();
            for e in &scanned {
                assert!(trail.contains(e), "{} misses event {}", a.id, e.seq);
            }
            for e in &trail {
                assert!(
                    e.command.references().iter().any(|&(k, id)| {
                        (k == EntityKind::Action && id == a.id)
                            || (k == EntityKind::Milestone && a.milestones.iter().any(|m| m == id))
                    }) || matches!(&e.command, Command::AddAction(AddAction { id, .. }) if *id == a.id),
                    "{} holds unrelated event {}",
                    a.id,
                    e.seq
                );
            }
            assert!(trail.windows(2).all(|w| w[0].seq < w[1].seq));
        }
        let unknown = Subject::action("no-such-action");
        assert!(t.history(&unknown).is_empty());
        assert!(matches!(
            t.slice_as_of(&unknown, example::as_of()),
            Err(Error::UnknownId { .. })
        ));
    }

    #[test]
    fn slots_follow_the_declared_order_of_kinds() {
        for (i, k) in EntityKind::all().iter().enumerate() {
            assert_eq!(slot(*k), i);
        }
        assert_eq!(EntityKind::all().len(), KINDS);
    }

    #[test]
    fn an_action_created_later_is_absent_before() {
        let t = example::tracker();
        let a = t.actions().next().unwrap();
        let created = t.history(&Subject::action(&a.id))[0].at.date_naive();
        let before = created - chrono::Duration::days(1);
        assert_eq!(t.action_as_of(&a.id, before).unwrap(), None);
        assert!(t.action_as_of(&a.id, created).unwrap().is_some());
    }
}
