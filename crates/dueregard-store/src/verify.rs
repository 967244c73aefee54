//! Walking the hash chain: [`VerifyReport`] and the first [`ChainBreak`].

use std::fmt;

use dueregard::{Policy, Tracker};

use crate::backend::Head;
use crate::backend::StoredRow;
use crate::chain::{self, Hash};
use crate::error::StoreError;

/// What kind of damage `verify` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BreakKind {
    /// The event's stored bytes, hash or columns were changed after it was recorded.
    Altered,
    /// An event is not there (deleted, or the log was cut short).
    Missing,
    /// A row holds another event than its sequence number says (rows swapped
    /// or renumbered).
    Reordered,
    /// The chain holds but the event does not replay onto the events before it.
    Unreplayable,
}

impl fmt::Display for BreakKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BreakKind::Altered => "altered",
            BreakKind::Missing => "missing",
            BreakKind::Reordered => "reordered",
            BreakKind::Unreplayable => "unreplayable",
        })
    }
}

/// The first break found in a store's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The sequence number of the first event altered, missing or out of
    /// place (0 means the store's header: its policy or head).
    pub seq: i64,
    /// What was found.
    pub kind: BreakKind,
    /// A sentence for people.
    pub reason: String,
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seq == 0 {
            write!(f, "store header {}: {}", self.kind, self.reason)
        } else {
            write!(f, "event {} {}: {}", self.seq, self.kind, self.reason)
        }
    }
}

/// The outcome of [`crate::EventStore::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Event rows read.
    pub events: i64,
    /// Hex SHA-256 of the last event that verified (the genesis hash for an
    /// empty store). Publishing it elsewhere lets a later `verify` detect even
    /// a rewrite of the whole log.
    pub head: String,
    /// The first break, if any.
    pub first_break: Option<ChainBreak>,
}

impl VerifyReport {
    pub(crate) fn broken(events: i64, b: ChainBreak) -> Self {
        VerifyReport {
            events,
            head: String::new(),
            first_break: Some(b),
        }
    }

    /// True when every event verified.
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none()
    }

    /// `Ok` with the report when intact.
    ///
    /// # Errors
    /// [`StoreError::ChainBroken`] naming the first break.
    pub fn into_result(self) -> Result<Self, StoreError> {
        match &self.first_break {
            None => Ok(self),
            Some(b) => Err(StoreError::ChainBroken {
                seq: b.seq,
                reason: format!("{}: {}", b.kind, b.reason),
            }),
        }
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.first_break {
            None => write!(f, "{} events verified; head {}", self.events, self.head),
            Some(b) => write!(f, "{} events read; {}", self.events, b),
        }
    }
}

/// Checks rows one at a time, in sequence order.
pub(crate) struct Walker {
    genesis: Hash,
    next: i64,
    prev: Vec<u8>,
    rows: i64,
    tracker: Tracker,
    first: Option<ChainBreak>,
    /// Reused for re-encoding each event.
    encoded: Vec<u8>,
}

impl Walker {
    pub(crate) fn new(genesis: Hash, policy: Policy) -> Self {
        Walker {
            genesis,
            next: 1,
            prev: genesis.to_vec(),
            rows: 0,
            tracker: Tracker::with_policy(policy),
            first: None,
            encoded: Vec::new(),
        }
    }

    fn fail(&mut self, seq: i64, kind: BreakKind, reason: impl Into<String>) {
        if self.first.is_none() {
            self.first = Some(ChainBreak {
                seq,
                kind,
                reason: reason.into(),
            });
        }
    }

    pub(crate) fn row(&mut self, row: StoredRow<'_>) {
        self.rows += 1;
        if self.first.is_some() {
            return;
        }
        let s = row.seq;
        if s != self.next {
            let reason = if s > self.next {
                format!("the next stored event is {s}")
            } else {
                format!("a row numbered {s} follows event {}", self.next - 1)
            };
            return self.fail(self.next, BreakKind::Missing, reason);
        }
        if row.format != chain::FORMAT_MSGPACK {
            return self.fail(
                s,
                BreakKind::Altered,
                format!("unknown payload format {}", row.format),
            );
        }
        let event = match chain::decode(row.payload) {
            Ok(e) => e,
            Err(e) => {
                return self.fail(
                    s,
                    BreakKind::Altered,
                    format!("its payload does not decode ({e})"),
                )
            }
        };
        if event.seq != s {
            return self.fail(
                s,
                BreakKind::Reordered,
                format!("the row numbered {s} holds event {}", event.seq),
            );
        }
        if chain::link(row.prev_hash, s, row.payload).as_slice() != row.hash {
            return self.fail(
                s,
                BreakKind::Altered,
                "its contents no longer match its hash",
            );
        }
        if row.prev_hash != self.prev.as_slice() {
            if s == 1 {
                return self.fail(
                    0,
                    BreakKind::Altered,
                    "the store's policy was changed after event 1 was recorded",
                );
            }
            return self.fail(
                s - 1,
                BreakKind::Altered,
                format!("it was rewritten after event {s} recorded its hash"),
            );
        }
        self.encoded.clear();
        match chain::encode_into(&mut self.encoded, &event) {
            Ok(()) if self.encoded == row.payload => {}
            _ => {
                return self.fail(
                    s,
                    BreakKind::Altered,
                    "its payload is not in the canonical encoding",
                )
            }
        }
        let Some(plain) = row.plain else {
            return self.fail(s, BreakKind::Altered, "its plain columns were not read");
        };
        let version = i64::from(event.version());
        let at = chain::time_text(&event);
        let mismatch = if plain.name != event.name() {
            Some(("name", plain.name.to_string(), event.name().to_string()))
        } else if plain.version != version {
            Some(("version", plain.version.to_string(), version.to_string()))
        } else if plain.actor != event.actor {
            Some(("actor", plain.actor.to_string(), event.actor.clone()))
        } else if plain.at != at {
            Some(("at", plain.at.to_string(), at))
        } else {
            None
        };
        if let Some((column, stored, recorded)) = mismatch {
            return self.fail(
                s,
                BreakKind::Altered,
                format!("column {column} says {stored:?} but the recorded event says {recorded:?}"),
            );
        }
        if let Err(e) = self.tracker.apply_recorded(event) {
            return self.fail(s, BreakKind::Unreplayable, e.to_string());
        }
        self.prev.clear();
        self.prev.extend_from_slice(row.hash);
        self.next = s + 1;
    }

    pub(crate) fn finish(mut self, initialised: bool, head: Option<Head>) -> VerifyReport {
        let last = self.next - 1;
        if self.first.is_none() {
            match head {
                None if self.rows > 0 || initialised => {
                    self.fail(0, BreakKind::Missing, "the store's head row is missing")
                }
                None => {}
                Some(h) if h.version > last => self.fail(
                    last + 1,
                    BreakKind::Missing,
                    format!(
                        "the store's head records {} events but the log stops at {last}",
                        h.version
                    ),
                ),
                Some(h) if h.version < last => self.fail(
                    h.version + 1,
                    BreakKind::Altered,
                    format!(
                        "it was added outside the store: the head records only {} events",
                        h.version
                    ),
                ),
                Some(h) if h.hash != self.prev => self.fail(
                    last,
                    BreakKind::Altered,
                    "the store's head does not match its hash",
                ),
                Some(_) => {}
            }
        }
        let head = if last == 0 {
            chain::hex(&self.genesis)
        } else {
            chain::hex(&self.prev)
        };
        VerifyReport {
            events: self.rows,
            head,
            first_break: self.first,
        }
    }
}
