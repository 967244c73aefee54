//! # dueregard-bench
//!
//! A seeded, deterministic workload at national scale (every recommendation
//! made to the forces and councils of England and Wales, with their plans,
//! actions and milestones) and the measurement of each phase: parsing the
//! JSON-lines command log, applying it, querying, the JSON round-trip and the
//! event store.
//!
//! ```
//! use dueregard_bench::Workload;
//! let w = Workload::new(200).unwrap();
//! let mut g = w.submissions();
//! let mut t = dueregard::Tracker::new();
//! let mut rejected = 0;
//! for s in g.by_ref() {
//!     if t.execute(s).is_err() {
//!         rejected += 1;
//!     }
//! }
//! assert_eq!(rejected, g.expected().rejected.values().sum::<u64>());
//! ```
#![deny(missing_docs)]

mod error;
pub mod measure;
mod workload;

pub use error::{BenchError, Result};
pub use workload::{
    cutoff, origin, Expected, Generator, Illegal, Workload, ACTIONS_PER_PLAN, DEFAULT_SEED,
    MILESTONES_PER_ACTION,
};
