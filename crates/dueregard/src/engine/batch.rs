//! All-or-nothing batches: commands (or recorded events) applied through a
//! [`Batch`] are undone together unless it is committed, using the undo
//! points of [`crate::engine::undo`] rather than a replay or a copy of the
//! log. A store writes a batch's events and commits it only once they are
//! written, so a failed write leaves the tracker as it was.

use crate::engine::command::Submission;
use crate::engine::event::Event;
use crate::engine::tracker::Tracker;
use crate::engine::undo::Undo;
use crate::error::{Error, Result};

/// A batch that was refused: the position of the first rejected submission
/// (from 0) and why. Nothing of the batch was recorded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("submission {index} of the batch was rejected, so none was recorded: {error}")]
pub struct BatchError {
    /// Position of the rejected submission in the batch, from 0.
    pub index: usize,
    /// Why it was rejected.
    #[source]
    pub error: Error,
}

/// Changes to a tracker that stand or fall together. Dropped without
/// [`Batch::commit`], it puts the tracker back as it was when the batch began.
///
/// ```
/// use dueregard::commands::AddNote;
/// use dueregard::{example, EntityKind, Subject, Submission};
/// let mut tracker = example::tracker();
/// let before = tracker.clone();
/// let at = tracker.last_event_at().unwrap();
/// let note = |text: &str| {
///     let about = Subject::new(EntityKind::Review, "casey-2023");
///     Submission::new("admin", at, AddNote::new(about, text).into())
/// };
/// let mut batch = tracker.batch(2);
/// batch.execute(note("first of two notes")).unwrap();
/// assert_eq!(batch.len(), 1);
/// drop(batch); // not committed: the note is undone
/// assert_eq!(tracker, before);
///
/// let mut batch = tracker.batch(2);
/// batch.execute(note("first of two notes")).unwrap();
/// batch.execute(note("second of two notes")).unwrap();
/// assert_eq!(batch.commit(), 2);
/// assert_eq!(tracker.notes().len(), before.notes().len() + 2);
/// ```
#[derive(Debug)]
pub struct Batch<'t> {
    tracker: &'t mut Tracker,
    /// A copy of the state for a batch longer than the log so far (cheaper
    /// than an undo point per command then).
    copy: Option<Box<Tracker>>,
    journal: Vec<Undo>,
    first: usize,
    committed: bool,
}

impl Tracker {
    /// Begins a batch of about `expected` commands (a hint: a batch longer
    /// than the log so far keeps one copy of the state instead of an undo
    /// point per command).
    pub fn batch(&mut self, expected: usize) -> Batch<'_> {
        let first = self.events.len();
        let copy = (expected > 1 && expected > first).then(|| Box::new(self.clone()));
        Batch {
            tracker: self,
            copy,
            journal: Vec::new(),
            first,
            committed: false,
        }
    }

    /// Executes commands all or nothing: either every one is recorded, or
    /// none is and the error names the first rejected one. Returns how many
    /// were recorded; their events are the last ones of [`Tracker::events`].
    ///
    /// # Errors
    /// [`BatchError`] with the index and error of the first rejected
    /// submission; the tracker is then as it was before the call.
    pub fn execute_batch(
        &mut self,
        submissions: impl IntoIterator<Item = Submission>,
    ) -> std::result::Result<usize, BatchError> {
        let submissions = submissions.into_iter();
        let mut batch = self.batch(submissions.size_hint().0);
        for (index, s) in submissions.enumerate() {
            batch
                .execute(s)
                .map_err(|error| BatchError { index, error })?;
        }
        Ok(batch.commit())
    }
}

impl Batch<'_> {
    /// Checks a command and records it in the batch ([`Tracker::execute`]).
    ///
    /// # Errors
    /// Any rule the command breaks; that command then changed nothing and
    /// the batch goes on.
    pub fn execute(&mut self, submission: Submission) -> Result<Event> {
        let undo = self.undo_point(&submission.command);
        let event = self.tracker.execute(submission)?;
        self.journal.extend(undo);
        Ok(event)
    }

    /// Appends a recorded event in the batch ([`Tracker::apply_recorded`]).
    ///
    /// # Errors
    /// [`Error::CorruptLog`] when it does not follow; it then changed nothing.
    pub fn apply_recorded(&mut self, event: Event) -> Result<()> {
        let undo = self.undo_point(&event.command);
        self.tracker.apply_recorded(event)?;
        self.journal.extend(undo);
        Ok(())
    }

    fn undo_point(&self, command: &crate::Command) -> Option<Undo> {
        self.copy
            .is_none()
            .then(|| self.tracker.undo_point(command))
    }

    /// The tracker with the batch's changes so far.
    pub fn tracker(&self) -> &Tracker {
        self.tracker
    }

    /// How many events the batch has recorded.
    pub fn len(&self) -> usize {
        self.tracker.events.len() - self.first
    }

    /// True when the batch has recorded nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The events the batch recorded, oldest first.
    pub fn events(&self) -> Vec<Event> {
        let log = &self.tracker.events;
        log.range(self.first, log.len()).collect()
    }

    /// Keeps the batch's changes; returns how many events it recorded.
    pub fn commit(mut self) -> usize {
        self.committed = true;
        self.len()
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        match self.copy.take() {
            Some(copy) => *self.tracker = *copy,
            None => {
                while let Some(u) = self.journal.pop() {
                    self.tracker.undo(u);
                }
            }
        }
    }
}
