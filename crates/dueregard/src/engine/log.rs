//! The event log, kept encoded: one byte arena with an offset per event.
//!
//! An [`Event`] in memory is over 300 bytes plus an allocation for each of
//! its strings; a tracker of a million actions holds ten million of them.
//! The log keeps each event as a compact record instead: the envelope
//! (sequence number, time, actor and body as numbers into a table of names,
//! reason and evidence) in postcard's varint form, then the command in
//! MessagePack with field names, so the encoding reads back whatever shape
//! the command has. An event is decoded when it is read: by history, a
//! slice, an export or a store.

use chrono::{DateTime, NaiveDate, Utc};
use indexmap::IndexSet;
use serde::{Deserialize, Serialize};

use crate::engine::command::Command;
use crate::engine::event::Event;
use crate::error::{Error, Result};

type Names = IndexSet<Box<str>, foldhash::fast::RandomState>;

/// An event's envelope as written: names are positions in the log's table.
#[derive(Serialize)]
struct EnvelopeOut<'a> {
    seq: i64,
    secs: i64,
    nanos: u32,
    actor: u32,
    body: u32,
    reason: Option<&'a str>,
    evidence: &'a [String],
}

/// The envelope as read back.
#[derive(Deserialize)]
struct EnvelopeIn<'a> {
    seq: i64,
    secs: i64,
    nanos: u32,
    actor: u32,
    body: u32,
    #[serde(borrow)]
    reason: Option<&'a str>,
    #[serde(borrow)]
    evidence: Vec<&'a str>,
}

/// The leading fields alone, for reading an event's time without the rest.
#[derive(Deserialize)]
struct Stamp {
    _seq: i64,
    secs: i64,
    nanos: u32,
}

/// A tracker's event log, oldest first, stored encoded.
///
/// Read it with [`EventLog::iter`], [`EventLog::get`] or
/// [`EventLog::to_vec`]; each yields decoded [`Event`]s.
#[derive(Clone, Default)]
pub struct EventLog {
    /// Encoded events back to back.
    bytes: Vec<u8>,
    /// Where each event starts in `bytes`.
    starts: Vec<u64>,
    /// Actor and body identifiers, each kept once.
    names: Names,
    /// The time of the last event, asked for by every command.
    last_at: Option<DateTime<Utc>>,
}

/// The length of a log and of its name table, to go back to after a
/// rejected batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LogMark {
    events: usize,
    names: usize,
}

impl EventLog {
    /// The number of events.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True when no event has been recorded.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The event at `index` (0-based; its sequence number is usually `index + 1`).
    pub fn get(&self, index: usize) -> Option<Event> {
        self.record(index).map(|r| self.decode(r))
    }

    /// The oldest event.
    pub fn first(&self) -> Option<Event> {
        self.get(0)
    }

    /// The newest event.
    pub fn last(&self) -> Option<Event> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Every event, oldest first.
    pub fn iter(&self) -> Events<'_> {
        self.range(0, self.len())
    }

    /// The events from position `from` (inclusive) to `to` (exclusive),
    /// clamped to the log.
    pub fn range(&self, from: usize, to: usize) -> Events<'_> {
        let to = to.min(self.len());
        Events {
            log: self,
            next: from.min(to),
            end: to,
        }
    }

    /// Every event, decoded into a vector.
    pub fn to_vec(&self) -> Vec<Event> {
        self.iter().collect()
    }

    /// When the event at `index` took effect, read without decoding the rest.
    pub fn at(&self, index: usize) -> Option<DateTime<Utc>> {
        let record = self.record(index)?;
        let (stamp, _) = postcard::take_from_bytes::<Stamp>(record).ok()?;
        DateTime::from_timestamp(stamp.secs, stamp.nanos)
    }

    /// When the newest event took effect.
    pub fn last_at(&self) -> Option<DateTime<Utc>> {
        self.last_at
    }

    /// How many events are dated on or before `date` (the log is in date order).
    pub fn count_through(&self, date: NaiveDate) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if self.at(mid).is_some_and(|at| at.date_naive() <= date) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    /// Bytes the encoded events take (not counting the offset table).
    pub fn encoded_bytes(&self) -> usize {
        self.bytes.len()
    }

    pub(crate) fn reserve(&mut self, events: usize) {
        self.starts.reserve(events);
    }

    /// Appends one event.
    pub(crate) fn push(&mut self, event: &Event) -> Result<()> {
        self.push_with(event, None)
    }

    /// Appends one event whose command [`encode_command`] already wrote
    /// (on another thread), or encodes it here when `command` is `None`.
    pub(crate) fn push_with(&mut self, event: &Event, command: Option<&[u8]>) -> Result<()> {
        let start = self.bytes.len();
        let envelope = EnvelopeOut {
            seq: event.seq,
            secs: event.at.timestamp(),
            nanos: event.at.timestamp_subsec_nanos(),
            actor: self.intern(&event.actor)?,
            body: self.intern(&event.body)?,
            reason: event.reason.as_deref(),
            evidence: &event.evidence,
        };
        if let Err(e) = postcard::to_io(&envelope, &mut self.bytes) {
            self.bytes.truncate(start);
            return Err(encoding(event.seq, &e));
        }
        match command {
            Some(encoded) => self.bytes.extend_from_slice(encoded),
            None => {
                if let Err(e) = encode_command(&event.command, &mut self.bytes) {
                    self.bytes.truncate(start);
                    return Err(encoding(event.seq, &e));
                }
            }
        }
        self.starts.push(start as u64);
        self.last_at = Some(event.at);
        Ok(())
    }

    pub(crate) fn mark(&self) -> LogMark {
        LogMark {
            events: self.len(),
            names: self.names.len(),
        }
    }

    /// Drops every event and name recorded after `mark`.
    pub(crate) fn truncate(&mut self, mark: LogMark) {
        if let Some(&start) = self.starts.get(mark.events) {
            self.bytes.truncate(start as usize);
            self.starts.truncate(mark.events);
            self.last_at = self.len().checked_sub(1).and_then(|i| self.at(i));
        }
        self.names.truncate(mark.names);
    }

    fn intern(&mut self, name: &str) -> Result<u32> {
        let index = match self.names.get_index_of(name) {
            Some(i) => i,
            None => self.names.insert_full(name.into()).0,
        };
        u32::try_from(index)
            .map_err(|_| Error::invalid("event", "more than 2^32 actors and bodies"))
    }

    fn record(&self, index: usize) -> Option<&[u8]> {
        let start = usize::try_from(*self.starts.get(index)?).ok()?;
        let end = match self.starts.get(index + 1) {
            Some(&next) => usize::try_from(next).ok()?,
            None => self.bytes.len(),
        };
        self.bytes.get(start..end)
    }

    fn name(&self, index: u32) -> String {
        self.names
            .get_index(index as usize)
            .map(|n| n.to_string())
            .unwrap_or_default()
    }

    /// Decodes one record this log wrote.
    fn decode(&self, record: &[u8]) -> Event {
        self.try_decode(record)
            .expect("an event encoded by the log decodes again")
    }

    fn try_decode(&self, record: &[u8]) -> std::result::Result<Event, String> {
        let (envelope, command) =
            postcard::take_from_bytes::<EnvelopeIn<'_>>(record).map_err(|e| e.to_string())?;
        let command: Command = rmp_serde::from_slice(command).map_err(|e| e.to_string())?;
        let at = DateTime::from_timestamp(envelope.secs, envelope.nanos)
            .ok_or_else(|| "time out of range".to_string())?;
        Ok(Event {
            seq: envelope.seq,
            at,
            actor: self.name(envelope.actor),
            body: self.name(envelope.body),
            reason: envelope.reason.map(str::to_string),
            evidence: envelope.evidence.into_iter().map(str::to_string).collect(),
            command,
        })
    }
}

/// Writes a command as the log keeps it, so it can be encoded before the
/// tracker records it (see [`EventLog::push_with`]).
pub(crate) fn encode_command(
    command: &Command,
    out: &mut Vec<u8>,
) -> std::result::Result<(), rmp_serde::encode::Error> {
    rmp_serde::encode::write_named(out, command)
}

fn encoding(seq: i64, e: &dyn std::fmt::Display) -> Error {
    Error::invalid("event", format!("event {seq} cannot be recorded: {e}"))
}

impl PartialEq for EventLog {
    /// Two logs are equal when they hold the same events (their name tables
    /// may number names differently).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for EventLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLog")
            .field("events", &self.len())
            .field("encoded_bytes", &self.bytes.len())
            .field("names", &self.names.len())
            .finish()
    }
}

impl<'a> IntoIterator for &'a EventLog {
    type Item = Event;
    type IntoIter = Events<'a>;

    fn into_iter(self) -> Events<'a> {
        self.iter()
    }
}

/// The events of an [`EventLog`], decoded one at a time.
#[derive(Debug, Clone)]
pub struct Events<'a> {
    log: &'a EventLog,
    next: usize,
    end: usize,
}

impl Iterator for Events<'_> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if self.next >= self.end {
            return None;
        }
        let event = self.log.get(self.next);
        self.next += 1;
        event
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end - self.next;
        (n, Some(n))
    }

    fn nth(&mut self, n: usize) -> Option<Event> {
        self.next = self.next.saturating_add(n).min(self.end);
        self.next()
    }
}

impl DoubleEndedIterator for Events<'_> {
    fn next_back(&mut self) -> Option<Event> {
        if self.next >= self.end {
            return None;
        }
        self.end -= 1;
        self.log.get(self.end)
    }
}

impl ExactSizeIterator for Events<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::StartAction;
    use crate::example;
    use proptest::prelude::*;

    #[test]
    fn every_example_event_reads_back_as_written() {
        let t = example::tracker();
        let mut log = EventLog::default();
        let events = t.events().to_vec();
        for e in &events {
            log.push(e).unwrap();
        }
        assert_eq!(log.len(), events.len());
        assert_eq!(log.to_vec(), events);
        for (i, e) in events.iter().enumerate() {
            assert_eq!(log.at(i), Some(e.at));
        }
        assert!(
            log.encoded_bytes() < events.len() * 120,
            "{}",
            log.encoded_bytes()
        );
    }

    #[test]
    fn truncating_to_a_mark_forgets_names_added_since() {
        let t = example::tracker();
        let events = t.events().to_vec();
        let mut log = EventLog::default();
        log.push(&events[0]).unwrap();
        let mark = log.mark();
        for e in &events[1..20] {
            log.push(e).unwrap();
        }
        log.truncate(mark);
        assert_eq!(log.to_vec(), events[..1].to_vec());
        assert_eq!(log.mark(), mark);
    }

    #[test]
    fn count_through_splits_the_log_by_date() {
        let t = example::tracker();
        let events = t.events().to_vec();
        let log = t.events();
        for e in events.iter().step_by(17) {
            let date = e.at.date_naive();
            let expected = events.partition_point(|x| x.at.date_naive() <= date);
            assert_eq!(log.count_through(date), expected);
        }
        assert_eq!(log.count_through(NaiveDate::MIN), 0);
        assert_eq!(log.count_through(NaiveDate::MAX), events.len());
    }

    fn any_event() -> impl Strategy<Value = Event> {
        (
            1i64..1_000_000,
            -4_000_000_000i64..8_000_000_000,
            0u32..1_000_000_000,
            ".{0,12}",
            "[a-z]{0,3}",
            proptest::option::of(".{0,20}"),
            proptest::collection::vec(".{0,8}", 0..3),
            ".{0,16}",
        )
            .prop_map(
                |(seq, secs, nanos, actor, body, reason, evidence, id)| Event {
                    seq,
                    at: DateTime::from_timestamp(secs, nanos).unwrap_or_default(),
                    actor,
                    body,
                    reason,
                    evidence,
                    command: Command::StartAction(StartAction { action: id }),
                },
            )
    }

    proptest! {
        /// Any events read back as written, whatever their strings, times
        /// and names, and a log cut back to a mark holds what it held then.
        #[test]
        fn events_round_trip_through_the_log(
            events in proptest::collection::vec(any_event(), 0..40),
            cut in 0usize..40,
        ) {
            let cut = cut.min(events.len());
            let mut log = EventLog::default();
            for e in &events[..cut] {
                log.push(e).unwrap();
            }
            let mark = log.mark();
            for e in &events[cut..] {
                log.push(e).unwrap();
            }
            prop_assert_eq!(log.to_vec(), events.clone());
            for (i, e) in events.iter().enumerate() {
                prop_assert_eq!(log.at(i), Some(e.at));
            }
            prop_assert_eq!(log.last_at(), events.last().map(|e| e.at));
            log.truncate(mark);
            prop_assert_eq!(log.to_vec(), events[..cut].to_vec());
            prop_assert_eq!(log.last_at(), events[..cut].last().map(|e| e.at));
        }
    }

    #[test]
    fn ranges_are_clamped_and_run_both_ways() {
        let t = example::tracker();
        let log = t.events();
        let n = log.len();
        assert_eq!(log.range(n - 3, n + 10).count(), 3);
        assert_eq!(log.range(n + 1, n + 2).count(), 0);
        let back: Vec<i64> = log.range(0, 5).rev().map(|e| e.seq).collect();
        assert_eq!(back, vec![5, 4, 3, 2, 1]);
    }
}
