//! [`Tracker`]: the one object of the bindings.

use std::sync::{Arc, Mutex, MutexGuard};

use dueregard_store::{Location, TrackerStore};

use crate::error::{guard, DueregardError, Result};
use crate::records::{
    parse_date, ActionRecord, ActorRecord, BodyRecord, EntityKind, EventRecord, MilestoneRecord,
    PlanRecord, RecommendationRecord, ResponseRecord, ReviewRecord, Submission, SummaryRecord,
    VerifyRecord,
};
use crate::views::{count_arg, ChaseRecord, CoverageRecord, OverdueRecord, SlipRecord};

/// Where the tracker's events live.
enum Backing {
    /// In memory only (empty, the example, or a loaded document).
    Memory(Box<dueregard::Tracker>),
    /// In a store: every accepted command is appended before it returns.
    Stored(Box<TrackerStore>),
}

impl Backing {
    fn tracker(&self) -> &dueregard::Tracker {
        match self {
            Backing::Memory(t) => t,
            Backing::Stored(s) => s.tracker(),
        }
    }

    fn store(&mut self) -> Result<&mut TrackerStore> {
        match self {
            Backing::Stored(s) => Ok(s),
            Backing::Memory(_) => Err(DueregardError::NotStored {
                detail: "this tracker lives in memory; open it with Tracker.open(location) to use a store"
                    .into(),
            }),
        }
    }
}

/// A recommendation tracker, in memory or kept in a SQLite store.
///
/// Share one `Tracker` between threads freely: calls are serialised by a
/// mutex inside. Each accepted command is checked by the core's rules and,
/// for a stored tracker, appended to the store before the call returns; a
/// rejected command changes nothing.
///
/// Release it when done (`close()` in Kotlin, or `.use { }`).
#[derive(uniffi::Object)]
pub struct Tracker {
    inner: Mutex<Backing>,
}

impl Tracker {
    fn wrap(backing: Backing) -> Arc<Self> {
        Arc::new(Tracker {
            inner: Mutex::new(backing),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Backing>> {
        self.inner.lock().map_err(|_| DueregardError::Internal {
            detail:
                "an earlier internal failure left this tracker in an unknown state; open it again"
                    .into(),
        })
    }

    /// Runs `f` on the core tracker, under the lock and the panic guard.
    fn read<T>(&self, f: impl FnOnce(&dueregard::Tracker) -> Result<T>) -> Result<T> {
        guard(|| {
            let inner = self.lock()?;
            f(inner.tracker())
        })
    }
}

fn location(text: &str) -> Result<Location> {
    Ok(text.parse::<Location>()?)
}

#[uniffi::export]
impl Tracker {
    /// An empty tracker in memory, with the default role policy.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Self::wrap(Backing::Memory(Box::default()))
    }

    /// The example tracker, in memory: the Casey Review of the Metropolitan
    /// Police, three boroughs' local action plans, an IOPC recommendation and
    /// a police and crime panel (see the core's `example` module).
    #[uniffi::constructor]
    pub fn example() -> Arc<Self> {
        Self::wrap(Backing::Memory(Box::new(dueregard::example::tracker())))
    }

    /// A tracker in memory, replayed from a JSON tracker document.
    #[uniffi::constructor]
    pub fn from_json(document: String) -> Result<Arc<Self>> {
        guard(|| {
            let t = dueregard::Tracker::from_json(&document)?;
            Ok(Self::wrap(Backing::Memory(Box::new(t))))
        })
    }

    /// Opens the store at `location` (a SQLite file path, created when
    /// absent) and replays it.
    #[uniffi::constructor]
    pub fn open(location: String) -> Result<Arc<Self>> {
        guard(|| {
            let store = TrackerStore::open_location(&self::location(&location)?)?;
            Ok(Self::wrap(Backing::Stored(Box::new(store))))
        })
    }

    /// Imports a JSON tracker document into the new or empty store at
    /// `location` and opens it.
    #[uniffi::constructor]
    pub fn import_json(location: String, document: String) -> Result<Arc<Self>> {
        guard(|| {
            let doc: dueregard::Document =
                serde_json::from_str(&document).map_err(|e| DueregardError::Parse {
                    detail: format!("cannot read tracker document: {e}"),
                    source_name: "tracker document".into(),
                    line: i64::try_from(e.line()).ok(),
                })?;
            let store = TrackerStore::import_document(&self::location(&location)?, doc)?;
            Ok(Self::wrap(Backing::Stored(Box::new(store))))
        })
    }

    /// Checks one command and records it; returns the recorded event.
    ///
    /// Throws the rule it broke (e.g. `InvalidTransition`, `NotAuthorised`),
    /// `Conflict` when another writer appended to the store first, or a
    /// store error; in every case nothing is recorded.
    pub fn execute(&self, submission: Submission) -> Result<EventRecord> {
        guard(|| {
            let submission = dueregard::Submission::try_from(submission)?;
            let mut inner = self.lock()?;
            match &mut *inner {
                Backing::Memory(t) => Ok(t.execute(submission)?.into()),
                Backing::Stored(s) => Ok((&s.execute(submission)?).into()),
            }
        })
    }

    /// Checks and records one command given as a command-log line:
    /// `{"actor": "...", "at": "2024-04-02T10:00:00Z", "command": {...}}`.
    pub fn execute_json(&self, line: String) -> Result<EventRecord> {
        guard(|| {
            let submission: dueregard::Submission =
                serde_json::from_str(&line).map_err(|e| DueregardError::Parse {
                    detail: format!("cannot read the command-log line: {e}"),
                    source_name: "command log line".into(),
                    line: None,
                })?;
            let mut inner = self.lock()?;
            match &mut *inner {
                Backing::Memory(t) => Ok(t.execute(submission)?.into()),
                Backing::Stored(s) => Ok((&s.execute(submission)?).into()),
            }
        })
    }

    /// Checks and records several commands, all or nothing: if one is
    /// rejected, none is recorded and its error is thrown.
    pub fn execute_batch(&self, submissions: Vec<Submission>) -> Result<Vec<EventRecord>> {
        guard(|| {
            let submissions = submissions
                .into_iter()
                .map(dueregard::Submission::try_from)
                .collect::<Result<Vec<_>>>()?;
            let mut inner = self.lock()?;
            match &mut *inner {
                Backing::Memory(t) => {
                    let n = t.execute_batch(submissions)?;
                    let log = t.events();
                    Ok(log
                        .range(log.len() - n, log.len())
                        .map(|e| (&e).into())
                        .collect())
                }
                Backing::Stored(s) => Ok(s
                    .execute_batch(submissions)?
                    .iter()
                    .map(Into::into)
                    .collect()),
            }
        })
    }

    /// The number of events recorded.
    pub fn version(&self) -> Result<i64> {
        self.read(|t| Ok(t.version()))
    }

    /// Where the store is (passwords left out), or `None` in memory.
    pub fn location(&self) -> Result<Option<String>> {
        guard(|| {
            let inner = self.lock()?;
            Ok(match &*inner {
                Backing::Memory(_) => None,
                Backing::Stored(s) => Some(s.location()),
            })
        })
    }

    /// Applies the events other writers appended to the store since this
    /// tracker last read it; returns how many.
    pub fn refresh(&self) -> Result<i64> {
        guard(|| {
            let mut inner = self.lock()?;
            let n = inner.store()?.refresh()?;
            Ok(i64::try_from(n).unwrap_or(i64::MAX))
        })
    }

    /// Walks the store's hash chain and reports the first altered event.
    pub fn verify(&self) -> Result<VerifyRecord> {
        guard(|| {
            let mut inner = self.lock()?;
            Ok(inner.store()?.verify()?.into())
        })
    }

    /// The whole tracker as a JSON document.
    pub fn to_json(&self) -> Result<String> {
        self.read(|t| Ok(t.to_json()))
    }

    /// The tracker as a JSON document for publication: internal notes and
    /// evidence left out, withheld rationales replaced.
    pub fn to_public_json(&self) -> Result<String> {
        self.read(|t| {
            serde_json::to_string_pretty(&t.to_public_document()).map_err(|e| {
                DueregardError::Internal {
                    detail: format!("the public document could not be written: {e}"),
                }
            })
        })
    }

    /// Every event, oldest first.
    pub fn events(&self) -> Result<Vec<EventRecord>> {
        self.read(|t| Ok(t.events().iter().map(Into::into).collect()))
    }

    /// The events that touched one entity, oldest first (for an action,
    /// those of its milestones and the evidence, notes, ratings and
    /// decisions about it too); up to the end of `as_of` (`YYYY-MM-DD`) when
    /// given, read from the entity's own events.
    #[uniffi::method(default(as_of = None))]
    pub fn history(
        &self,
        kind: EntityKind,
        id: String,
        as_of: Option<String>,
    ) -> Result<Vec<EventRecord>> {
        let until = as_of.map(|d| parse_date("as_of", &d)).transpose()?;
        self.read(|t| {
            let subject = dueregard::Subject::new(kind.into(), id);
            t.trail_of(&subject)?;
            Ok(match until {
                Some(d) => t
                    .slice_as_of(&subject, d)?
                    .history(&subject)
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                None => t.history(&subject).into_iter().map(Into::into).collect(),
            })
        })
    }

    /// The action as it stood at the end of `as_of` (`YYYY-MM-DD`), or none
    /// if it did not exist yet; folded from its own events, not a replay.
    pub fn action_as_of(&self, id: String, as_of: String) -> Result<Option<ActionRecord>> {
        let date = parse_date("as_of", &as_of)?;
        self.read(|t| Ok(t.action_as_of(&id, date)?.as_ref().map(Into::into)))
    }

    /// Every body.
    pub fn bodies(&self) -> Result<Vec<BodyRecord>> {
        self.read(|t| Ok(t.bodies().map(Into::into).collect()))
    }

    /// Every actor.
    pub fn actors(&self) -> Result<Vec<ActorRecord>> {
        self.read(|t| Ok(t.actors().map(Into::into).collect()))
    }

    /// Every review.
    pub fn reviews(&self) -> Result<Vec<ReviewRecord>> {
        self.read(|t| Ok(t.reviews().map(Into::into).collect()))
    }

    /// Every recommendation.
    pub fn recommendations(&self) -> Result<Vec<RecommendationRecord>> {
        self.read(|t| Ok(t.recommendations().map(Into::into).collect()))
    }

    /// Every response.
    pub fn responses(&self) -> Result<Vec<ResponseRecord>> {
        self.read(|t| Ok(t.responses().map(Into::into).collect()))
    }

    /// Every action plan.
    pub fn plans(&self) -> Result<Vec<PlanRecord>> {
        self.read(|t| Ok(t.plans().map(Into::into).collect()))
    }

    /// Every action.
    pub fn actions(&self) -> Result<Vec<ActionRecord>> {
        self.read(|t| Ok(t.actions().map(Into::into).collect()))
    }

    /// Every milestone.
    pub fn milestones(&self) -> Result<Vec<MilestoneRecord>> {
        self.read(|t| Ok(t.milestones().map(Into::into).collect()))
    }

    /// The body with this identifier.
    pub fn body(&self, id: String) -> Result<BodyRecord> {
        self.read(|t| Ok(t.body(&id)?.into()))
    }

    /// The actor with this identifier.
    pub fn actor(&self, id: String) -> Result<ActorRecord> {
        self.read(|t| Ok(t.actor(&id)?.into()))
    }

    /// The review with this identifier.
    pub fn review(&self, id: String) -> Result<ReviewRecord> {
        self.read(|t| Ok(t.review(&id)?.into()))
    }

    /// The recommendation with this identifier.
    pub fn recommendation(&self, id: String) -> Result<RecommendationRecord> {
        self.read(|t| Ok(t.recommendation(&id)?.into()))
    }

    /// The response with this identifier (`"{recommendation}@{addressee}"`).
    pub fn response(&self, id: String) -> Result<ResponseRecord> {
        self.read(|t| Ok(t.response(&id)?.into()))
    }

    /// The plan with this identifier.
    pub fn plan(&self, id: String) -> Result<PlanRecord> {
        self.read(|t| Ok(t.plan(&id)?.into()))
    }

    /// The action with this identifier.
    pub fn action(&self, id: String) -> Result<ActionRecord> {
        self.read(|t| Ok(t.action(&id)?.into()))
    }

    /// The milestone with this identifier.
    pub fn milestone(&self, id: String) -> Result<MilestoneRecord> {
        self.read(|t| Ok(t.milestone(&id)?.into()))
    }

    /// Responses to a recommendation, one per addressee.
    pub fn responses_to(&self, recommendation: String) -> Result<Vec<ResponseRecord>> {
        self.read(|t| Ok(t.responses_to(&recommendation).map(Into::into).collect()))
    }

    /// Actions of a plan.
    pub fn actions_of(&self, plan: String) -> Result<Vec<ActionRecord>> {
        self.read(|t| {
            t.plan(&plan)?;
            Ok(t.actions_of(&plan).map(Into::into).collect())
        })
    }

    /// Actions answering a recommendation.
    pub fn actions_answering(&self, recommendation: String) -> Result<Vec<ActionRecord>> {
        self.read(|t| {
            Ok(t.actions_answering(&recommendation)
                .map(Into::into)
                .collect())
        })
    }

    /// Milestones of an action.
    pub fn milestones_of(&self, action: String) -> Result<Vec<MilestoneRecord>> {
        self.read(|t| {
            let a = t.action(&action)?;
            Ok(t.milestones_of(a).map(Into::into).collect())
        })
    }

    /// A compliance summary as of `as_of` (`YYYY-MM-DD`; today when `None`):
    /// counts per state, overdue items and each plan's progress.
    #[uniffi::method(default(as_of = None))]
    pub fn summary(&self, as_of: Option<String>) -> Result<SummaryRecord> {
        let as_of = report_date(as_of)?;
        self.read(|t| Ok((&dueregard::view::summary(t, as_of)).into()))
    }
}

/// The date a report is computed for: `as_of` (`YYYY-MM-DD`) or today (UTC).
fn report_date(as_of: Option<String>) -> Result<chrono::NaiveDate> {
    match as_of {
        Some(text) => parse_date("as_of", &text),
        None => Ok(chrono::Utc::now().date_naive()),
    }
}

#[uniffi::export]
impl Tracker {
    /// Overdue items as of `as_of` (today when `None`): open actions and
    /// milestones past their dates, late implementations and expired reply
    /// clocks, with days late.
    #[uniffi::method(default(as_of = None))]
    pub fn overdue(&self, as_of: Option<String>) -> Result<Vec<OverdueRecord>> {
        let as_of = report_date(as_of)?;
        self.read(|t| {
            Ok(dueregard::view::overdue(t, as_of)
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// Items whose target dates moved, most days moved first; those revised
    /// `serial_after` times or more are flagged as serial extensions.
    #[uniffi::method(default(as_of = None, serial_after = 2))]
    pub fn slippage(&self, as_of: Option<String>, serial_after: i64) -> Result<Vec<SlipRecord>> {
        let as_of = report_date(as_of)?;
        let serial_after = count_arg("serial_after", serial_after)?;
        self.read(|t| {
            Ok(dueregard::view::slippage(t, as_of, serial_after)
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// What each owner must deliver within `days` days of `as_of`, and what
    /// is already late, grouped by owner and then date.
    #[uniffi::method(default(as_of = None, days = 28))]
    pub fn chase(&self, as_of: Option<String>, days: i64) -> Result<Vec<ChaseRecord>> {
        let as_of = report_date(as_of)?;
        self.read(|t| {
            Ok(dueregard::view::chase(t, as_of, days)
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// Which recommendations have actions answering them, and which do not.
    #[uniffi::method(default(as_of = None))]
    pub fn coverage(&self, as_of: Option<String>) -> Result<CoverageRecord> {
        let as_of = report_date(as_of)?;
        self.read(|t| Ok(dueregard::view::coverage(t, as_of).into()))
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::records::ActionState;

    fn sub(actor: &str, command: &str) -> Submission {
        Submission {
            actor: actor.into(),
            at: SystemTime::now(),
            command: command.into(),
            reason: None,
            evidence: vec![],
        }
    }

    #[test]
    fn example_answers_queries() {
        let t = Tracker::example();
        assert_eq!(
            t.review("casey-2023".into()).unwrap().recommendations.len(),
            16
        );
        assert_eq!(t.actions_of("islington-lap".into()).unwrap().len(), 10);
        let s = t.summary(Some("2025-03-31".into())).unwrap();
        assert_eq!(s.recommendations, t.recommendations().unwrap().len() as i64);
        assert!(matches!(
            t.actions_of("no-such-plan".into()),
            Err(DueregardError::UnknownId {
                kind: EntityKind::Plan,
                ..
            })
        ));
    }

    #[test]
    fn views_are_the_core_ones() {
        let t = Tracker::example();
        let as_of = dueregard::example::as_of();
        let core = dueregard::view::overdue(&dueregard::example::tracker(), as_of);
        let ours = t.overdue(Some(as_of.to_string())).unwrap();
        assert_eq!(ours.len(), core.len());
        assert!(ours.iter().all(|o| o.days_late > 0));
        let cov = t.coverage(Some(as_of.to_string())).unwrap();
        assert_eq!(cov.as_of, as_of.to_string());
        assert!(!cov.rows.is_empty());
        assert!(matches!(
            t.slippage(None, -1),
            Err(DueregardError::Invalid { .. })
        ));
        assert!(t.chase(Some(as_of.to_string()), 28).is_ok());
    }

    #[test]
    fn memory_and_document_round_trip() {
        let t = Tracker::example();
        let back = Tracker::from_json(t.to_json().unwrap()).unwrap();
        assert_eq!(back.version().unwrap(), t.version().unwrap());
        assert!(matches!(
            back.verify(),
            Err(DueregardError::NotStored { .. })
        ));
    }

    #[test]
    fn a_stored_tracker_records_and_rejects() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db").to_string_lossy().into_owned();
        let t = Tracker::import_json(path.clone(), Tracker::example().to_json().unwrap()).unwrap();
        let planned = t
            .actions()
            .unwrap()
            .into_iter()
            .find(|a| a.state == ActionState::Planned)
            .unwrap();
        let before = t.version().unwrap();
        let cmd = format!("{{\"verify_action\": {{\"action\": \"{}\"}}}}", planned.id);
        let e = t.execute(sub("admin", &cmd)).unwrap_err();
        assert!(
            matches!(e, DueregardError::InvalidTransition { .. }),
            "{e:?}"
        );
        assert_eq!(t.version().unwrap(), before);
        let cmd = format!("{{\"start_action\": {{\"action\": \"{}\"}}}}", planned.id);
        let ev = t.execute(sub("admin", &cmd)).unwrap();
        assert_eq!(ev.seq, before + 1);
        assert_eq!(ev.subject_kind, EntityKind::Action);
        let reopened = Tracker::open(path).unwrap();
        assert_eq!(reopened.version().unwrap(), before + 1);
        assert!(reopened.verify().unwrap().intact);
    }

    #[test]
    fn execute_batch_is_all_or_nothing_in_memory() {
        let t = Tracker::example();
        let planned: Vec<_> = t
            .actions()
            .unwrap()
            .into_iter()
            .filter(|a| a.state == ActionState::Planned)
            .take(1)
            .collect();
        let id = &planned[0].id;
        let before = t.version().unwrap();
        let ok = format!("{{\"start_action\": {{\"action\": \"{id}\"}}}}");
        let bad =
            format!("{{\"sign_off\": {{\"about\": {{\"kind\": \"action\", \"id\": \"{id}\"}}}}}}");
        assert!(t
            .execute_batch(vec![sub("admin", &ok), sub("admin", &bad)])
            .is_err());
        assert_eq!(t.version().unwrap(), before);
        assert_eq!(t.execute_batch(vec![sub("admin", &ok)]).unwrap().len(), 1);
    }
}
