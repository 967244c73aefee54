//! Core throughput: executing commands with every guard, role check and full
//! history, replaying the recorded log, and JSON round-trips.
//!
//! `cargo bench -p dueregard --bench core` (add `-- --quick` for a short run).

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dueregard::*;

/// A deterministic workload: `n` actions, 100 to a plan, 3 milestones each,
/// started, milestones achieved, completed, evidenced and verified.
fn workload(n: usize) -> Vec<Submission> {
    let t0 = Utc.with_ymd_and_hms(2024, 4, 1, 9, 0, 0).unwrap();
    let due = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
    let mut out = Vec::new();
    let mut tick = 0i64;
    let mut push = |actor: &str, _phase: i64, c: Command| {
        tick += 1;
        out.push(Submission::new(actor, t0 + Duration::seconds(tick), c));
    };
    for (id, kind) in [
        ("tracker", BodyKind::Other),
        ("force", BodyKind::PoliceForce),
        ("council", BodyKind::Council),
    ] {
        push(
            "admin",
            0,
            Command::RegisterBody {
                id: id.into(),
                name: Text::new(id),
                kind,
                parent: None,
            },
        );
    }
    for (id, body, role) in [
        ("admin", "tracker", Role::Administrator),
        ("lead", "force", Role::Owner),
        ("officer", "council", Role::Verifier),
    ] {
        push(
            "admin",
            0,
            Command::RegisterActor {
                id: id.into(),
                name: id.into(),
                body: body.into(),
                roles: vec![role],
            },
        );
    }
    for p in 0..n.div_ceil(100) {
        push(
            "lead",
            0,
            Command::CreatePlan {
                id: format!("P{p}"),
                title: Text::new("plan"),
                kind: PlanKind::Local,
                owner: "force".into(),
                themes: vec![],
                parent: None,
                reviews: vec![],
            },
        );
    }
    for i in 0..n {
        let a = format!("A{i}");
        push(
            "lead",
            1,
            Command::AddAction {
                id: a.clone(),
                plan: format!("P{}", i / 100),
                title: Text::new("action"),
                owner: None,
                lead: None,
                answers: vec![],
                theme: None,
                weight: None,
                due,
                demonstration_days: None,
            },
        );
        for m in 0..3 {
            push(
                "lead",
                1,
                Command::AddMilestone {
                    id: format!("{a}/M{m}"),
                    action: a.clone(),
                    title: Text::new("m"),
                    due,
                },
            );
        }
    }
    for i in 0..n {
        let a = format!("A{i}");
        push("lead", 2, Command::StartAction { action: a.clone() });
        for m in 0..3 {
            push(
                "lead",
                3,
                Command::AchieveMilestone {
                    milestone: format!("{a}/M{m}"),
                    on: None,
                },
            );
        }
        push(
            "lead",
            4,
            Command::SubmitEvidence {
                id: format!("{a}/E"),
                about: Subject::action(&a),
                reference: "r".into(),
                description: Text::new("d"),
                visibility: Visibility::Public,
            },
        );
        push("lead", 4, Command::CompleteAction { action: a.clone() });
        push("officer", 5, Command::VerifyAction { action: a });
    }
    out
}

fn bench(c: &mut Criterion) {
    for n in [1_000usize, 10_000] {
        let subs = workload(n);
        let mut g = c.benchmark_group(format!("actions={n}"));
        g.sample_size(10);
        g.throughput(Throughput::Elements(subs.len() as u64));
        g.bench_function("execute", |b| {
            b.iter_batched(
                || subs.clone(),
                |subs| {
                    let mut t = Tracker::new();
                    for s in subs {
                        t.execute(s).unwrap();
                    }
                    t
                },
                BatchSize::LargeInput,
            )
        });
        let mut t = Tracker::new();
        for s in subs.clone() {
            t.execute(s).unwrap();
        }
        let events = t.events().to_vec();
        g.bench_function("replay", |b| {
            b.iter_batched(
                || events.clone(),
                |ev| Tracker::replay(Policy::default(), ev).unwrap(),
                BatchSize::LargeInput,
            )
        });
        let lines = events_to_jsonl(&events);
        g.bench_function("parse_jsonl", |b| {
            b.iter(|| events_from_jsonl(lines.as_bytes()).unwrap())
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
