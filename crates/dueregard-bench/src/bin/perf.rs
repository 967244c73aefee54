//! Runs one phase of the workload and prints one JSON record per line
//! (phase, actions, events, seconds, peak RSS).
//!
//! ```text
//! dueregard-perf PHASE LOG --actions N [--answers PATH] [--store LOCATION --label NAME]
//! ```
//! PHASE is one of `parse`, `apply`, `load` (parse + apply, streaming),
//! `queries`, `json`, `store`. `apply` and `load` check the outcome against
//! `--expected` when given and write the answers the peers must reproduce to
//! `--answers`.

mod args;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dueregard_bench::measure::{self, Answers, Record};
use dueregard_bench::{BenchError, Expected, Result};

const USAGE: &str = "usage: dueregard-perf parse|apply|load|queries|json|store LOG --actions N \
[--expected PATH] [--answers PATH] [--store LOCATION --label NAME]";

fn check(answers: &Answers, expected: Option<&String>) -> Result<()> {
    let Some(p) = expected else { return Ok(()) };
    let text = std::fs::read_to_string(p).map_err(|source| BenchError::Io {
        action: "read",
        path: PathBuf::from(p),
        source,
    })?;
    let e: Expected = serde_json::from_str(&text)?;
    if e.applied != answers.applied || e.rejected != answers.rejected {
        return Err(BenchError::Mismatch {
            detail: format!(
                "expected {} applied and rejections {:?}, got {} and {:?}",
                e.applied, e.rejected, answers.applied, answers.rejected
            ),
        });
    }
    Ok(())
}

fn run() -> Result<()> {
    if std::env::args().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return Ok(());
    }
    let args = args::Args::parse(&["actions", "expected", "answers", "store", "label"])?;
    let [phase, log] = args.positional.as_slice() else {
        return Err(BenchError::Usage {
            detail: "give a phase and the command log".into(),
        });
    };
    let log = Path::new(log);
    let n: usize = args.number("actions", None)?;
    let mut answers = None;
    let records: Vec<Record> = match phase.as_str() {
        "parse" => measure::phase_parse(log, n)?,
        "apply" | "load" => {
            let (r, a) = if phase == "apply" {
                measure::phase_apply(log, n)?
            } else {
                measure::phase_load(log, n)?
            };
            check(&a, args.options.get("expected"))?;
            answers = Some(a);
            r
        }
        "queries" => measure::phase_queries(log, n)?,
        "json" => measure::phase_json(log, n)?,
        "store" => {
            let location = args.options.get("store").ok_or_else(|| BenchError::Usage {
                detail: "the store phase needs --store LOCATION".into(),
            })?;
            let label = args.options.get("label").map_or("sqlite", String::as_str);
            measure::phase_store(log, n, location, label)?
        }
        other => {
            return Err(BenchError::Usage {
                detail: format!("unknown phase {other:?}"),
            })
        }
    };
    if let (Some(a), Some(p)) = (&answers, args.options.get("answers")) {
        let f = std::fs::File::create(p).map_err(|source| BenchError::Io {
            action: "create",
            path: PathBuf::from(p),
            source,
        })?;
        serde_json::to_writer_pretty(f, a)?;
    }
    for r in records {
        println!("{}", serde_json::to_string(&r)?);
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dueregard-perf: {e}");
            ExitCode::from(2)
        }
    }
}
