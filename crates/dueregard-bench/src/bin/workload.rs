//! Writes the seeded workload as the project's JSON-lines command log (one
//! `dueregard::Submission` per line, as serde_json writes it).
//!
//! ```text
//! dueregard-workload --actions 100000 [--seed 1575891173] [--out log.jsonl] [--expected expected.json]
//! ```
//! Without `--out` the log goes to standard output. `--expected` writes what
//! the library must report: commands, applied, rejected by error code, and
//! the planted illegal commands by kind.

mod args;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use dueregard_bench::{BenchError, Result, Workload, DEFAULT_SEED};

const USAGE: &str =
    "usage: dueregard-workload --actions N [--seed S] [--out PATH] [--expected PATH]";

fn create(path: &PathBuf) -> Result<File> {
    File::create(path).map_err(|source| BenchError::Io {
        action: "create",
        path: path.clone(),
        source,
    })
}

fn run() -> Result<()> {
    if std::env::args().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return Ok(());
    }
    let args = args::Args::parse(&["actions", "seed", "out", "expected"])?;
    if let Some(p) = args.positional.first() {
        return Err(BenchError::Usage {
            detail: format!("unexpected argument {p:?}"),
        });
    }
    let w = Workload::seeded(
        args.number("actions", None)?,
        args.number("seed", Some(DEFAULT_SEED))?,
    )?;
    let out_path = args.options.get("out").map(PathBuf::from);
    let io_err = |source| BenchError::Io {
        action: "write",
        path: out_path
            .clone()
            .unwrap_or_else(|| PathBuf::from("<stdout>")),
        source,
    };
    let sink: Box<dyn Write> = match &out_path {
        Some(p) => Box::new(create(p)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    let mut g = w.submissions();
    for s in g.by_ref() {
        serde_json::to_writer(&mut out, &s)?;
        out.write_all(b"\n").map_err(io_err)?;
    }
    out.flush().map_err(io_err)?;
    if let Some(p) = args.options.get("expected") {
        let p = PathBuf::from(p);
        let f = create(&p)?;
        serde_json::to_writer_pretty(f, g.expected())?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dueregard-workload: {e}");
            ExitCode::from(2)
        }
    }
}
