//! Criterion benchmarks of each phase on the seeded workload (small sizes;
//! the large sizes are measured once each by `benches/run.sh`).
//!
//! `cargo bench -p dueregard-bench --bench phases` (add `-- --quick` for a
//! short run; `DUEREGARD_BENCH_ACTIONS=10000` to change the size).

use std::io::Write;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dueregard::view::{self, GroupBy, PeriodConfig};
use dueregard::Tracker;
use dueregard_bench::{cutoff, measure, Workload};
use dueregard_store::{EventStore, Location, TrackerStore};

fn size() -> usize {
    std::env::var("DUEREGARD_BENCH_ACTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

fn bench(c: &mut Criterion) {
    let n = size();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let log = dir.path().join("log.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&log).expect("log file"));
        for s in Workload::new(n).expect("size").submissions() {
            serde_json::to_writer(&mut f, &s).expect("serialise");
            f.write_all(b"\n").expect("write");
        }
        f.flush().expect("flush");
    }
    let subs = measure::parse(&log).expect("parse");
    let commands = subs.len() as u64;
    let (tracker, _, _) = measure::apply(subs.clone());
    let events = tracker.events().len() as u64;
    let as_of = cutoff();

    let mut g = c.benchmark_group(format!("actions={n}"));
    g.sample_size(10);
    g.throughput(Throughput::Elements(commands));
    g.bench_function("parse", |b| b.iter(|| measure::parse(&log).expect("parse")));
    g.bench_function("apply", |b| {
        b.iter_batched(|| subs.clone(), measure::apply, BatchSize::LargeInput)
    });
    g.bench_function("parse+apply", |b| {
        b.iter(|| measure::load(&log).expect("load"))
    });
    g.throughput(Throughput::Elements(events));
    let json = tracker.to_json();
    g.bench_function("to_json", |b| b.iter(|| tracker.to_json()));
    g.bench_function("from_json", |b| {
        b.iter(|| Tracker::from_json(&json).expect("round trip"))
    });
    // The tracker keeps its log encoded; the store takes decoded events.
    let events = tracker.events().to_vec();
    g.bench_function("sqlite_append", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("dir"),
            |d| {
                let loc = Location::Sqlite(d.path().join("s.sqlite"));
                let mut s = EventStore::open(&loc).expect("open");
                let mut v = 0;
                for chunk in events.chunks(measure::STORE_BATCH) {
                    s.append(v, chunk).expect("append");
                    v += chunk.len() as i64;
                }
                d
            },
            BatchSize::PerIteration,
        )
    });
    let stored = dir.path().join("stored.sqlite");
    {
        let loc = Location::Sqlite(stored.clone());
        let mut s = EventStore::open(&loc).expect("open");
        s.append(0, &events).expect("append");
    }
    g.bench_function("sqlite_open+replay", |b| {
        b.iter(|| TrackerStore::open_location(&Location::Sqlite(stored.clone())).expect("open"))
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("query:summary", |b| {
        b.iter(|| view::summary(&tracker, as_of))
    });
    g.bench_function("query:overdue", |b| {
        b.iter(|| view::overdue(&tracker, as_of))
    });
    g.bench_function("query:progress", |b| {
        b.iter(|| view::progress(&tracker, as_of))
    });
    g.bench_function("query:coverage", |b| {
        b.iter(|| view::coverage(&tracker, as_of))
    });
    g.bench_function("query:rollup_by_body", |b| {
        b.iter(|| view::rollup(&tracker, as_of, GroupBy::Body, &PeriodConfig::uk()))
    });
    g.bench_function("query:as_of_past_date", |b| {
        b.iter(|| tracker.as_of(as_of - chrono::Duration::days(365)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
