//! Loads the example tracker and prints a compliance summary.
//!
//! `cargo run -p dueregard --example demo`

use dueregard::{example, view};

fn main() {
    let tracker = example::tracker();
    let s = view::summary(&tracker, example::as_of());
    println!("dueregard example tracker, as of {}", s.as_of);
    println!(
        "{} events, {} reviews, {} recommendations",
        tracker.events().len(),
        s.reviews,
        s.recommendations
    );
    println!("\nresponses by decision:");
    for (k, v) in &s.responses {
        println!("  {k:<24}{v:>4}");
    }
    println!("\nimplementation:");
    for (k, v) in &s.implementation {
        println!("  {k:<24}{v:>4}");
    }
    println!("\nactions by state:");
    for (k, v) in &s.actions {
        println!("  {k:<24}{v:>4}");
    }
    println!("\noverdue actions: {}, overdue or missed milestones: {}, recommendations with no action: {}",
        s.overdue_actions, s.overdue_milestones, s.unanswered_recommendations);
    println!(
        "\n{:<16}{:<10}{:>8}{:>6}{:>10}{:>9}{:>8}",
        "plan", "owner", "actions", "done", "verified", "overdue", "% done"
    );
    for p in &s.plans {
        println!(
            "{:<16}{:<10}{:>8}{:>6}{:>10}{:>9}{:>7.0}%",
            p.plan, p.owner, p.actions, p.done, p.verified, p.overdue, p.percent_done
        );
    }
}
