//! One function per subcommand: load, call a view, render.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{NaiveDate, Utc};
use dueregard::view::{self, GroupBy, PeriodConfig, RagPolicy};
use dueregard::{EntityKind, State, Subject, Submission, Tracker};
use dueregard_store::{Location, TrackerStore};

use crate::error::{CliError, Result, BAD_INPUT, REJECTED, STORAGE};
use crate::render::{opt, pct, render, Format, Grid};
use crate::source::{self, Source};
use crate::{format_of, Cli, Cmd};

/// Which items `rag` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RagLevel {
    /// Actions.
    Action,
    /// Responses (one per addressee).
    Response,
    /// Recommendations.
    Recommendation,
    /// Plans.
    Plan,
    /// Bodies.
    Body,
}

/// What `rollup` groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// Review.
    Review,
    /// Recommendation.
    Recommendation,
    /// Body.
    Body,
    /// Plan.
    Plan,
    /// Theme.
    Theme,
    /// Reporting quarter.
    Period,
}

/// Parses a YYYY-MM-DD date given on the command line.
pub fn date(what: &'static str, s: &str) -> Result<NaiveDate> {
    s.trim()
        .parse::<NaiveDate>()
        .map_err(|e| CliError::BadValue {
            what,
            value: s.to_string(),
            hint: format!("{e}; write the date as YYYY-MM-DD"),
        })
}

fn as_of(cli: &Cli) -> Result<NaiveDate> {
    match &cli.as_of {
        Some(s) => date("--as-of date", s),
        None => Ok(Utc::now().date_naive()),
    }
}

/// Runs the command and returns what to print.
pub fn run(cli: &Cli, color: bool) -> Result<String> {
    let src = Source::from_options(cli.file.clone(), cli.store.clone());
    match &cli.command {
        Cmd::Demo { force, report } => demo(cli, &src, *force, report),
        Cmd::Init {
            body,
            body_name,
            body_kind,
            admin,
            admin_name,
        } => {
            let kind =
                body_kind
                    .parse::<dueregard::BodyKind>()
                    .map_err(|e| CliError::BadValue {
                        what: "--body-kind",
                        value: body_kind.clone(),
                        hint: e.to_string(),
                    })?;
            let first = source::FirstParties {
                body,
                body_name,
                kind,
                admin,
                admin_name,
            };
            let n = src.init(&first)?;
            Ok(format!(
                "tracker started in {}: body {body}, administrator {admin} ({n} events); record with `dueregard apply --log FILE`\n",
                src.path().display()
            ))
        }
        Cmd::Validate { path } => validate(cli, path),
        Cmd::Schema => Ok(format!("{}\n", dueregard::json_schema())),
        Cmd::Diagram { machine } => diagram(machine),
        Cmd::Apply { json, log } => apply(&src, json.as_deref(), log.as_deref()),
        Cmd::Verify => verify(&src),
        Cmd::Report { period, out } => {
            let t = src.load()?;
            let config = PeriodConfig::uk();
            let period = match period {
                Some(p) => config.parse(p)?,
                None => config.quarter_of(as_of(cli)?),
            };
            let text = match cli.format.as_deref() {
                None | Some("html") => crate::report::html(&t, &period, &config),
                Some("md") | Some("markdown") => crate::report::markdown(&t, &period, &config),
                Some(other) => {
                    return Err(CliError::BadValue {
                        what: "report format",
                        value: other.to_string(),
                        hint: "use md or html".into(),
                    })
                }
            };
            match out {
                Some(p) => {
                    source::write_atomic(p, &text)?;
                    Ok(format!(
                        "report for {} written to {}\n",
                        period.label,
                        p.display()
                    ))
                }
                None => Ok(text),
            }
        }
        _ => {
            let format = format_of(cli)?;
            let date = as_of(cli)?;
            let t = src.load()?;
            listing(cli, &t, date, format, color)
        }
    }
}

fn listing(
    cli: &Cli,
    t: &Tracker,
    as_of: NaiveDate,
    format: Format,
    color: bool,
) -> Result<String> {
    let policy = RagPolicy::default();
    match &cli.command {
        Cmd::Status => {
            let s = view::summary(t, as_of);
            let rag = view::rag(t, as_of, &policy);
            let mut g = Grid::new(&[
                "plan", "owner", "actions", "done", "verified", "overdue", "% done", "rag",
            ])
            .numeric(&[2, 3, 4, 5, 6])
            .rag(7);
            for p in &s.plans {
                let r = rag
                    .plans
                    .iter()
                    .find(|l| l.id == p.plan)
                    .and_then(|l| l.rag);
                g.push(vec![
                    p.plan.clone(),
                    p.owner.clone(),
                    p.actions.to_string(),
                    p.done.to_string(),
                    p.verified.to_string(),
                    p.overdue.to_string(),
                    format!("{:.0}", p.percent_done),
                    opt(r),
                ]);
            }
            if format == Format::Table {
                let mut out = status_header(t, &s);
                out.push_str(&g.table(color));
                Ok(out)
            } else {
                render(
                    &serde_json::json!({"summary": s, "plans": rag.plans}),
                    &g,
                    format,
                    color,
                )
            }
        }
        Cmd::Overdue => {
            let items = view::overdue(t, as_of);
            let mut g = Grid::new(&["kind", "id", "owner", "state", "due", "days late", "title"])
                .numeric(&[5]);
            for i in &items {
                g.push(vec![
                    serde_plain(&i.kind),
                    i.id.clone(),
                    i.owner.clone(),
                    i.state.clone(),
                    i.due.to_string(),
                    i.days_late.to_string(),
                    i.title.clone(),
                ]);
            }
            render(&items, &g, format, color)
        }
        Cmd::Coverage => {
            let c = view::coverage(t, as_of);
            let mut g = Grid::new(&[
                "recommendation",
                "addressee",
                "response",
                "implementation",
                "actions",
                "other bodies' actions",
            ]);
            for r in &c.rows {
                g.push(vec![
                    r.recommendation.clone(),
                    r.addressee.clone(),
                    r.response.clone(),
                    r.implementation.clone(),
                    r.actions.join(" "),
                    r.other_actions.join(" "),
                ]);
            }
            let mut out = render(&c, &g, format, color)?;
            if format == Format::Table {
                let _ = writeln!(
                    out,
                    "\nrecommendations with no action: {}",
                    list(&c.without_action)
                );
                let _ = writeln!(
                    out,
                    "accepted with no action of the addressee: {}",
                    list(&c.accepted_without_plan)
                );
                let _ = writeln!(
                    out,
                    "actions answering no recommendation: {}",
                    list(&c.actions_answering_nothing)
                );
            }
            Ok(out)
        }
        Cmd::Chase { days } => {
            let items = view::chase(t, as_of, *days);
            let mut g =
                Grid::new(&["owner", "what", "id", "due", "days left", "title"]).numeric(&[4]);
            for i in &items {
                g.push(vec![
                    i.owner.clone(),
                    serde_plain(&i.kind),
                    i.id.clone(),
                    i.due.to_string(),
                    i.days_left.to_string(),
                    i.title.clone(),
                ]);
            }
            render(&items, &g, format, color)
        }
        Cmd::Diff { from, to } => {
            let c = view::change(t, date("--from date", from)?, date("--to date", to)?);
            let mut g = Grid::new(&["change", "kind", "id", "was", "now", "detail"]);
            for m in &c.moved {
                g.push(vec![
                    "moved".into(),
                    m.kind.to_string(),
                    m.id.clone(),
                    m.from.clone().unwrap_or_else(|| "(new)".into()),
                    m.to.clone(),
                    m.title.clone(),
                ]);
            }
            for s in &c.slipped {
                g.push(vec![
                    "slipped".into(),
                    s.kind.to_string(),
                    s.id.clone(),
                    s.was.to_string(),
                    s.now.to_string(),
                    format!("{} days: {}", s.days, s.reason),
                ]);
            }
            for e in &c.evidence {
                g.push(vec![
                    "evidence".into(),
                    "evidence".into(),
                    e.id.clone(),
                    String::new(),
                    e.on.to_string(),
                    format!("{} ({})", e.reference, e.about),
                ]);
            }
            for d in &c.decisions {
                g.push(vec![
                    "decision".into(),
                    "decision".into(),
                    d.id.clone(),
                    String::new(),
                    d.outcome.clone(),
                    format!("{} on {}, {}", d.committee, d.meeting, d.about),
                ]);
            }
            for i in &c.indicators {
                g.push(vec![
                    "indicator".into(),
                    "indicator".into(),
                    i.id.clone(),
                    format!("{}", i.was),
                    format!("{}", i.now),
                    format!("{} ({})", i.title, i.unit),
                ]);
            }
            render(&c, &g, format, color)
        }
        Cmd::Compare { review } => {
            let c = view::compare(t, review, as_of, &policy)?;
            let mut headers: Vec<String> = vec!["no.".into(), "recommendation".into()];
            headers.extend(c.bodies.iter().cloned());
            let mut g = Grid::new(&headers);
            for r in &c.rows {
                let mut row = vec![r.number.clone(), r.title.clone()];
                row.extend(r.cells.iter().map(|c| {
                    if c.actions == 0 {
                        "-".to_string()
                    } else if c.overdue > 0 {
                        format!("{}/{} done, {} late", c.done, c.actions, c.overdue)
                    } else {
                        format!("{}/{} done", c.done, c.actions)
                    }
                }));
                g.push(row);
            }
            let mut out = render(&c, &g, format, color)?;
            if format == Format::Table {
                let mut tg = Grid::new(&[
                    "body", "covered", "actions", "done", "overdue", "% done", "rag", "behind",
                ])
                .numeric(&[1, 2, 3, 4, 5])
                .rag(6);
                for x in &c.totals {
                    tg.push(vec![
                        x.body.clone(),
                        x.covered.to_string(),
                        x.actions.to_string(),
                        x.done.to_string(),
                        x.overdue.to_string(),
                        pct(x.percent_done),
                        opt(x.rag),
                        if x.behind { "yes".into() } else { "no".into() },
                    ]);
                }
                out.push('\n');
                out.push_str(&tg.table(color));
            }
            Ok(out)
        }
        Cmd::Rag { level } => {
            let r = view::rag(t, as_of, &policy);
            let lines = match level {
                RagLevel::Action => &r.actions,
                RagLevel::Response => &r.responses,
                RagLevel::Recommendation => &r.recommendations,
                RagLevel::Plan => &r.plans,
                RagLevel::Body => &r.bodies,
            };
            let mut g = Grid::new(&["id", "owner", "state", "rag", "reason"]).rag(3);
            for l in lines {
                g.push(vec![
                    l.id.clone(),
                    l.owner.clone(),
                    l.state.clone(),
                    opt(l.rag),
                    l.reason.clone(),
                ]);
            }
            render(lines, &g, format, color)
        }
        Cmd::Slippage { serial_after } => {
            let rows = view::slippage(t, as_of, *serial_after);
            let mut g = Grid::new(&[
                "kind",
                "id",
                "owner",
                "original",
                "current",
                "revisions",
                "days moved",
                "serial",
            ])
            .numeric(&[5, 6]);
            for r in &rows {
                g.push(vec![
                    r.kind.to_string(),
                    r.id.clone(),
                    r.owner.clone(),
                    r.original.to_string(),
                    r.current.to_string(),
                    r.revisions.to_string(),
                    r.days_moved.to_string(),
                    if r.serial { "yes".into() } else { "no".into() },
                ]);
            }
            render(&rows, &g, format, color)
        }
        Cmd::Rollup { by } => {
            let by = match by {
                By::Review => GroupBy::Review,
                By::Recommendation => GroupBy::Recommendation,
                By::Body => GroupBy::Body,
                By::Plan => GroupBy::Plan,
                By::Theme => GroupBy::Theme,
                By::Period => GroupBy::Period,
            };
            let rows = view::rollup(t, as_of, by, &PeriodConfig::uk());
            let mut g = Grid::new(&[
                "group",
                "actions",
                "% implemented",
                "% verified",
                "overdue",
                "median days late",
                "indicator progress %",
                "states",
            ])
            .numeric(&[1, 2, 3, 4, 5, 6]);
            for r in &rows {
                let states: Vec<String> = r
                    .action_states
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect();
                g.push(vec![
                    r.group.clone(),
                    r.actions.to_string(),
                    pct(r.implemented_pct),
                    pct(r.verified_pct),
                    r.overdue.to_string(),
                    opt(r.median_days_late),
                    pct(r.indicator_progress_pct),
                    states.join(", "),
                ]);
            }
            render(&rows, &g, format, color)
        }
        Cmd::History { id } => {
            let until = match &cli.as_of {
                Some(s) => Some(date("--as-of date", s)?),
                None => None,
            };
            history(t, id, until, format, color)
        }
        _ => Ok(String::new()),
    }
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// The snake_case name serde gives a unit enum value.
fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|x| x.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn status_header(t: &Tracker, s: &view::Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "as of {}: {} events, {} reviews, {} recommendations",
        s.as_of,
        t.events().len(),
        s.reviews,
        s.recommendations
    );
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "responses:      {}", counts(&s.responses));
    let _ = writeln!(out, "implementation: {}", counts(&s.implementation));
    let _ = writeln!(out, "actions:        {}", counts(&s.actions));
    let _ = writeln!(
        out,
        "overdue actions {}, overdue or missed milestones {}, recommendations with no action {}\n",
        s.overdue_actions, s.overdue_milestones, s.unanswered_recommendations
    );
    out
}

fn demo(cli: &Cli, src: &Source, force: bool, report: &Path) -> Result<String> {
    let t = dueregard::example::tracker();
    let path = src.path();
    if path.exists() {
        if !force {
            return Err(CliError::Exists(path.to_path_buf()));
        }
        std::fs::remove_file(path).map_err(|e| CliError::File {
            action: "replace",
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    }
    match src {
        Source::File(p) => source::write_atomic(p, &t.to_json())?,
        Source::Store(p) => {
            TrackerStore::import_document(&Location::Sqlite(p.clone()), t.to_document())?;
        }
    }
    let as_of = match &cli.as_of {
        Some(s) => date("--as-of date", s)?,
        None => dueregard::example::as_of(),
    };
    let config = PeriodConfig::uk();
    let period = config.quarter_of(as_of);
    source::write_atomic(report, &crate::report::html(&t, &period, &config))?;
    let s = view::summary(&t, as_of);
    let mut out = format!("example tracker written to {}\n", path.display());
    out.push_str(&status_header(&t, &s));
    let _ = writeln!(
        out,
        "report for {} written to {}",
        period.label,
        report.display()
    );
    Ok(out)
}

fn diagram(name: &str) -> Result<String> {
    let machines = dueregard::machines();
    match machines.iter().find(|m| m.name == name) {
        Some(m) => Ok(m.mermaid.clone()),
        None => Err(CliError::BadValue {
            what: "machine",
            value: name.to_string(),
            hint: format!(
                "choose one of {}",
                machines
                    .iter()
                    .map(|m| m.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

fn apply(src: &Source, json: Option<&str>, log: Option<&Path>) -> Result<String> {
    let submissions = match (json, log) {
        (Some(j), _) => vec![serde_json::from_str::<Submission>(j).map_err(|e| CliError::BadValue {
            what: "submission",
            value: j.chars().take(60).collect(),
            hint: format!("{e}; give {{\"actor\": …, \"at\": …, \"command\": {{…}}}} (see dueregard schema)"),
        })?],
        (None, Some(p)) => {
            let mut subs = Vec::new();
            for (line, parsed) in source::read_lines(p)? {
                match parsed {
                    Ok(s) => subs.push(s),
                    Err(e) => {
                        return Err(CliError::Core(dueregard::Error::Parse {
                            source_name: p.display().to_string(),
                            line: Some(line),
                            detail: e,
                        }))
                    }
                }
            }
            subs
        }
        (None, None) => {
            return Err(CliError::BadValue {
                what: "apply",
                value: String::new(),
                hint: "give a submission as JSON or --log FILE".into(),
            })
        }
    };
    let n = src.apply(submissions)?;
    Ok(format!(
        "{n} command(s) recorded in {}\n",
        src.path().display()
    ))
}

fn verify(src: &Source) -> Result<String> {
    let Source::Store(p) = src else {
        return Err(CliError::BadValue {
            what: "source",
            value: src.path().display().to_string(),
            hint: "verify works on a store (--store PATH); a JSON document has no hash chain"
                .into(),
        });
    };
    let mut store = source::open_store(p)?;
    let report = store.verify()?;
    if report.is_intact() {
        Ok(format!("{report}\n"))
    } else {
        Err(CliError::Problems(
            format!("{} is damaged: {report}", p.display()),
            STORAGE,
        ))
    }
}

/// `history ID [--as-of DATE]`: the item's trail, up to the end of DATE when given.
fn history(
    t: &Tracker,
    id: &str,
    until: Option<NaiveDate>,
    format: Format,
    color: bool,
) -> Result<String> {
    let subject = <EntityKind as State>::all()
        .iter()
        .map(|k| Subject::new(*k, id))
        .find(|s| t.contains(s))
        .ok_or_else(|| CliError::BadValue {
            what: "identifier",
            value: id.to_string(),
            hint: "no entity has it; list identifiers with `dueregard rag --level action` or `coverage`".into(),
        })?;
    // Up to a date, the item is folded from its own events (no replay of the log).
    let slice = until.map(|d| t.slice_as_of(&subject, d)).transpose()?;
    let events = slice.as_ref().unwrap_or(t).history(&subject);
    let mut g =
        Grid::new(&["seq", "at", "actor", "body", "event", "about", "reason"]).numeric(&[0]);
    for e in &events {
        g.push(vec![
            e.seq.to_string(),
            e.at.format("%Y-%m-%d %H:%M").to_string(),
            e.actor.clone(),
            e.body.clone(),
            e.name().to_string(),
            e.command.subject().id,
            e.reason.clone().unwrap_or_default(),
        ]);
    }
    render(&events, &g, format, color)
}

/// `validate FILE`: every problem with its location.
fn validate(cli: &Cli, file: &Path) -> Result<String> {
    let text = source::read(file)?;
    let trimmed = text.trim_start();
    let mut problems: Vec<String> = Vec::new();
    let mut worst = 0u8;
    let name = file.display().to_string();
    // A command log has one complete JSON object per line; anything else
    // starting with `{` is read as a tracker document.
    let first_line_is_object = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| {
            serde_json::from_str::<serde_json::Value>(l).is_ok_and(|v| v.get("command").is_some())
        });
    let is_document = trimmed.starts_with('{') && !first_line_is_object;
    let checked;
    if is_document {
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| dueregard::Error::Parse {
                source_name: name.clone(),
                line: Some(e.line() as u64),
                detail: e.to_string(),
            })?;
        let mut events = Vec::new();
        if let Some(arr) = value.get("events").and_then(|v| v.as_array()) {
            for (i, ev) in arr.iter().enumerate() {
                match serde_json::from_value::<dueregard::Event>(ev.clone()) {
                    Ok(e) => events.push(e),
                    Err(e) => {
                        problems.push(format!("{name}: events[{i}]: {e}"));
                        worst = worst.max(BAD_INPUT);
                    }
                }
            }
        }
        let mut shell = value.clone();
        if let Some(obj) = shell.as_object_mut() {
            obj.insert("events".into(), serde_json::Value::Array(Vec::new()));
        }
        match serde_json::from_value::<dueregard::Document>(shell) {
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                worst = worst.max(BAD_INPUT);
            }
            Ok(doc) if problems.is_empty() => {
                let mut doc = doc;
                doc.events = events;
                if let Err(e) = Tracker::from_document(doc) {
                    problems.push(format!("{name}: {e}"));
                    worst = worst.max(crate::error::CliError::Core(e).exit_code());
                }
            }
            Ok(_) => {}
        }
        checked = "tracker document";
    } else {
        // A JSON-lines command log, run against the --file/--store tracker if
        // one was given, else against an empty tracker.
        let mut t = if cli.file.is_some() || cli.store.is_some() {
            Source::from_options(cli.file.clone(), cli.store.clone()).load()?
        } else {
            Tracker::new()
        };
        for (line, parsed) in source::read_lines(file)? {
            match parsed {
                Err(e) => {
                    problems.push(format!("{name} line {line}: {e}"));
                    worst = worst.max(BAD_INPUT);
                }
                Ok(s) => {
                    if let Err(e) = t.execute(s) {
                        problems.push(format!("{name} line {line}: rejected: {e}"));
                        worst = worst.max(REJECTED);
                    }
                }
            }
        }
        checked = "command log";
    }
    if problems.is_empty() {
        Ok(format!("{name}: {checked} is valid\n"))
    } else {
        for p in &problems {
            eprintln!("{p}");
        }
        Err(CliError::Problems(
            format!("{} problem(s) in {name}", problems.len()),
            worst,
        ))
    }
}
