//! `dueregard`: the command-line tool of the dueregard tracker.
//!
//! See `docs/cli.md` for the guide and the exit codes.

mod commands;
mod error;
mod render;
mod report;
mod source;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::render::Format;

const EXAMPLES: &str = "\
Examples:
  dueregard demo                              load the example into ./dueregard.db and write a report
  dueregard status --as-of 2025-03-31         counts per state and RAG per plan
  dueregard overdue --format csv > late.csv   everything late, as CSV
  dueregard chase --days 14                   what each owner must deliver in the next 14 days
  dueregard diff --from 2024-12-31 --to 2025-03-31
  dueregard compare casey-2023                boroughs side by side on one review
  dueregard report --format html --period 2024/25-Q4 --out q4.html
  dueregard apply '{\"actor\":\"cn-commander\",\"at\":\"2025-04-02T09:00:00Z\",\"reason\":\"work began\",\"command\":{\"start_action\":{\"action\":\"islington-lap/A4\"}}}'
  dueregard --file tracker.json history islington-lap/A1

Exit codes: 0 ok, 1 refused by a rule, 2 usage or bad input, 3 store missing, damaged or not writable.";

/// Track whether public bodies act on the recommendations made to them.
///
/// Works on the embedded store (`dueregard.db` in the working directory, or
/// --store PATH) or on a JSON tracker document (--file PATH).
#[derive(Debug, Parser)]
#[command(name = "dueregard", version, after_help = EXAMPLES)]
pub struct Cli {
    /// A JSON tracker document to read (and, for apply, to update).
    #[arg(long, global = true, value_name = "PATH", conflicts_with = "store")]
    pub file: Option<PathBuf>,
    /// The SQLite store [default: dueregard.db].
    #[arg(long, global = true, value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// The day to describe, YYYY-MM-DD [default: today].
    #[arg(long, global = true, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Output format: table, json or csv (md or html for report) [default: table; html for report].
    #[arg(long, global = true, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Never colour the output.
    #[arg(long, global = true)]
    pub no_color: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Cmd,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Load the example tracker into a fresh store (or --file document), print its summary and write the HTML report.
    Demo {
        /// Replace an existing store or document.
        #[arg(long)]
        force: bool,
        /// Where to write the HTML report.
        #[arg(long, value_name = "PATH", default_value = "dueregard-report.html")]
        report: PathBuf,
    },
    /// Start an empty tracker of your own (a new store, or --file document) with the default policy, its first body and its administrator.
    Init {
        /// Identifier of the body that keeps the tracker, e.g. islington-scrutiny.
        #[arg(long, value_name = "ID")]
        body: String,
        /// Its name, e.g. "Islington policy and performance scrutiny committee".
        #[arg(long, value_name = "NAME")]
        body_name: String,
        /// Its kind: council, committee, police_and_crime_panel, police_force, inspectorate, other…
        #[arg(long, value_name = "KIND", default_value = "other")]
        body_kind: String,
        /// Identifier of the first administrator, who registers everyone else.
        #[arg(long, value_name = "ID")]
        admin: String,
        /// The administrator's name.
        #[arg(long, value_name = "NAME")]
        admin_name: String,
    },
    /// Check a tracker document or a JSON-lines command log and list every problem with its location.
    Validate {
        /// The file to check.
        #[arg(value_name = "FILE")]
        path: PathBuf,
    },
    /// Counts per state, and progress and RAG per plan.
    Status,
    /// Actions, milestones, implementations and replies that are late, with days late.
    Overdue,
    /// The actions answering each recommendation per addressee, and the gaps.
    Coverage,
    /// What each owner must deliver or report in the next days, and reply clocks running out.
    Chase {
        /// How many days ahead.
        #[arg(long, default_value_t = 30)]
        days: i64,
    },
    /// What changed between two dates: moves, slips, evidence, decisions, indicators.
    Diff {
        /// Start date (exclusive), YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// End date (inclusive), YYYY-MM-DD.
        #[arg(long)]
        to: String,
    },
    /// Bodies answering the same review, side by side.
    Compare {
        /// The review identifier, e.g. casey-2023.
        review: String,
    },
    /// RAG / BRAG ratings.
    Rag {
        /// Which items.
        #[arg(long, value_enum, default_value_t = commands::RagLevel::Recommendation)]
        level: commands::RagLevel,
    },
    /// Original against current target dates, with serial extensions flagged.
    Slippage {
        /// Revisions that make an extension serial.
        #[arg(long, default_value_t = 2)]
        serial_after: usize,
    },
    /// Roll-ups by review, recommendation, body, plan, theme or reporting period.
    Rollup {
        /// What to group by.
        #[arg(long, value_enum, default_value_t = commands::By::Plan)]
        by: commands::By,
    },
    /// A committee report for a reporting quarter (Markdown or self-contained HTML).
    Report {
        /// The quarter, e.g. 2024/25-Q4 [default: the quarter of --as-of].
        #[arg(long)]
        period: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Print a state machine as a Mermaid diagram.
    Diagram {
        /// response, implementation, action or milestone.
        machine: String,
    },
    /// Record a change: a submission as JSON, or --log FILE of JSON lines. All or nothing.
    Apply {
        /// A submission: {"actor": ..., "at": ..., "command": {...}}.
        json: Option<String>,
        /// A JSON-lines file of submissions.
        #[arg(long, value_name = "FILE", conflicts_with = "json")]
        log: Option<PathBuf>,
    },
    /// Who did what and when to an item.
    History {
        /// Any identifier: action, response, recommendation, plan, milestone…
        id: String,
    },
    /// Walk the store's hash chain and report the first break.
    Verify,
    /// Print the JSON Schema of the tracker document and the logs.
    Schema,
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        // A reader that went away (`dueregard ... | head`) is not an error.
        if msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(i32::from(error::OK));
        }
        eprintln!("error: internal error ({msg}); please report it");
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if e.use_stderr() {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or("invalid usage");
                eprintln!("{first} (see dueregard --help)");
                return ExitCode::from(error::BAD_INPUT);
            }
            print!("{e}");
            return ExitCode::from(error::OK);
        }
    };
    let color =
        !cli.no_color && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let outcome = std::panic::catch_unwind(|| commands::run(&cli, color));
    match outcome {
        Ok(Ok(text)) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes());
            ExitCode::from(error::OK)
        }
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
        Err(_) => ExitCode::from(error::INTERNAL),
    }
}

/// Parses the --format option.
pub fn format_of(cli: &Cli) -> error::Result<Format> {
    match cli.format.as_deref() {
        None | Some("table") => Ok(Format::Table),
        Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some(other) => Err(error::CliError::BadValue {
            what: "format",
            value: other.to_string(),
            hint: "use table, json or csv (md or html for report)".into(),
        }),
    }
}
