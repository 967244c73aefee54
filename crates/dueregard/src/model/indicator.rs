//! Measurable indicators with a baseline, a target and dated observations.

pub(crate) mod commands;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::machine::states;
use crate::model::text::Text;

states! {
    /// Which way is better.
    pub enum Direction {
        /// Higher is better.
        Increase => "increase",
        /// Lower is better.
        Decrease => "decrease",
    }
}

/// A dated value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Observation {
    /// The value.
    pub value: f64,
    /// The day it refers to.
    pub on: NaiveDate,
}

/// A measure of progress, e.g. the number of female officers or the share of
/// residents who trust the police in a 200-resident survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Indicator {
    /// Identifier.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Unit, e.g. `officers`, `%`, `days`.
    pub unit: String,
    /// Which way is better.
    pub direction: Direction,
    /// Body that reports it.
    pub owner: String,
    /// The action it measures, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The plan it measures, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// The starting point.
    pub baseline: Observation,
    /// The value aimed at, and by when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Observation>,
    /// Observations in date order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
    /// Where the figures come from (e.g. `public attitude survey, 200 residents`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Indicator {
    /// The latest observation on or before `as_of`, or the baseline.
    pub fn latest(&self, as_of: NaiveDate) -> Observation {
        self.observations
            .iter()
            .rev()
            .find(|o| o.on <= as_of)
            .copied()
            .unwrap_or(self.baseline)
    }

    /// Change of the latest value since the baseline, in percent of the
    /// baseline (`None` when the baseline is zero).
    pub fn change_since_baseline_pct(&self, as_of: NaiveDate) -> Option<f64> {
        let b = self.baseline.value;
        if b == 0.0 {
            return None;
        }
        Some((self.latest(as_of).value - b) / b.abs() * 100.0)
    }

    /// Progress from baseline toward target as a fraction (0 at the baseline,
    /// 1 at the target; below 0 when moving the wrong way, above 1 when
    /// beyond target). `None` without a target.
    pub fn progress(&self, as_of: NaiveDate) -> Option<f64> {
        let target = self.target?;
        let span = target.value - self.baseline.value;
        if span == 0.0 {
            return Some(1.0);
        }
        Some((self.latest(as_of).value - self.baseline.value) / span)
    }

    /// True when the latest value has reached the target in the right direction.
    pub fn target_met(&self, as_of: NaiveDate) -> bool {
        let Some(target) = self.target else {
            return false;
        };
        let v = self.latest(as_of).value;
        match self.direction {
            Direction::Increase => v >= target.value,
            Direction::Decrease => v <= target.value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn female_officers() -> Indicator {
        Indicator {
            id: "i".into(),
            title: Text::new("Female officers"),
            unit: "officers".into(),
            direction: Direction::Increase,
            owner: "met".into(),
            action: None,
            plan: None,
            baseline: Observation {
                value: 170.0,
                on: d("2021-05-01"),
            },
            target: Some(Observation {
                value: 255.0,
                on: d("2025-03-31"),
            }),
            observations: vec![Observation {
                value: 230.0,
                on: d("2024-03-31"),
            }],
            source: None,
        }
    }

    #[test]
    fn rise_since_baseline() {
        let i = female_officers();
        let pct = i.change_since_baseline_pct(d("2024-06-01")).unwrap();
        assert!((pct - 35.294).abs() < 0.01, "{pct}");
        // Before the first observation, the baseline stands.
        assert_eq!(i.change_since_baseline_pct(d("2022-01-01")), Some(0.0));
    }

    #[test]
    fn progress_toward_target() {
        let i = female_officers();
        let p = i.progress(d("2024-06-01")).unwrap();
        assert!((p - 60.0 / 85.0).abs() < 1e-9);
        assert!(!i.target_met(d("2024-06-01")));
    }

    #[test]
    fn decreasing_indicator() {
        let mut i = female_officers();
        i.direction = Direction::Decrease;
        i.baseline.value = 40.0;
        i.target = Some(Observation {
            value: 20.0,
            on: d("2025-01-01"),
        });
        i.observations = vec![Observation {
            value: 15.0,
            on: d("2024-01-01"),
        }];
        assert!(i.target_met(d("2024-02-01")));
        assert!((i.progress(d("2024-02-01")).unwrap() - 1.25).abs() < 1e-9);
    }
}
