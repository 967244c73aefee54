//! Applying: folding one recorded event into the state. No rules are
//! checked here (they were checked when the event was recorded); only the
//! log's own consistency, so a damaged log is refused instead of panicking.

use crate::engine::command::CommandKind;
use crate::engine::event::Event;
use crate::engine::machine::{Machine, State};
use crate::engine::tracker::{Map, Tracker};
use crate::error::{Error, Result};
use crate::model::schedule::Signature;
use crate::model::subject::EntityKind;

pub(crate) fn corrupt(seq: i64, detail: impl Into<String>) -> Error {
    Error::CorruptLog {
        seq,
        detail: detail.into(),
    }
}

pub(crate) fn get<'a, T>(
    map: &'a mut Map<T>,
    seq: i64,
    kind: EntityKind,
    id: &str,
) -> Result<&'a mut T> {
    map.get_mut(id)
        .ok_or_else(|| corrupt(seq, format!("names unknown {kind} {id:?}")))
}

pub(crate) fn fresh<T>(map: &Map<T>, seq: i64, kind: EntityKind, id: &str) -> Result<()> {
    if map.contains_key(id) {
        return Err(corrupt(seq, format!("creates {kind} {id:?} a second time")));
    }
    Ok(())
}

pub(crate) fn next<S: State>(m: &Machine<S>, seq: i64, from: S, command: CommandKind) -> Result<S> {
    m.next(from, command).ok_or_else(|| {
        corrupt(
            seq,
            format!("{} cannot {} from {}", m.name, command.name(), from.name()),
        )
    })
}

/// The signatures of an item that is claimed, verified and signed off (an
/// action, or a response's implementation), with its evidence.
pub(crate) struct Signatures<'a> {
    pub(crate) claimed: &'a mut Option<Signature>,
    pub(crate) verified: &'a mut Option<Signature>,
    pub(crate) evidence: &'a mut Vec<String>,
}

impl Signatures<'_> {
    /// The owner's claim that the work is done.
    pub(crate) fn claim(self, e: &Event) {
        *self.claimed = Some(e.signature());
    }

    /// Someone else's check of the claim, with the evidence it cites.
    pub(crate) fn verify(self, e: &Event) {
        *self.verified = Some(e.signature());
        cite(self.evidence, &e.evidence);
    }

    /// Back to work: the claim and its verification no longer stand.
    pub(crate) fn send_back(self) {
        *self.claimed = None;
        *self.verified = None;
    }
}

/// Gives an entity with `claimed`, `verified` and `evidence` fields its
/// [`Signatures`].
macro_rules! signed {
    ($entity:ty) => {
        impl $entity {
            /// Its claim, verification and evidence, for the commands that sign it.
            pub(crate) fn signatures(&mut self) -> $crate::engine::apply::Signatures<'_> {
                $crate::engine::apply::Signatures {
                    claimed: &mut self.claimed,
                    verified: &mut self.verified,
                    evidence: &mut self.evidence,
                }
            }
        }
    };
}
pub(crate) use signed;

/// Attaches the evidence a verification cites to the item, once each.
pub(crate) fn cite(attached: &mut Vec<String>, cited: &[String]) {
    for id in cited {
        if !attached.contains(id) {
            attached.push(id.clone());
        }
    }
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

    /// Folds the event's command into the state (see [`crate::engine::command::Payload::apply`]).
    pub(crate) fn fold(&mut self, e: &Event) -> Result<()> {
        e.command.payload().apply(self, e)
    }
}
