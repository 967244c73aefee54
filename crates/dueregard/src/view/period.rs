//! Reporting periods: quarters of a financial year. UK public bodies report
//! by financial-year quarters starting in April, which is the default.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How reporting quarters are laid out: the month the reporting year starts.
///
/// The default is the UK financial year (April), so `2024/25 Q1` is April to
/// June 2024 and `2024/25 Q4` is January to March 2025. With a January start
/// quarters are calendar quarters and labels read `2024 Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodConfig {
    /// The first month of the reporting year (1 = January … 12 = December).
    pub year_start_month: u32,
}

impl Default for PeriodConfig {
    fn default() -> Self {
        PeriodConfig::uk()
    }
}

/// One reporting quarter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    /// Label such as `2024/25 Q3` (or `2024 Q3` for calendar years).
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

impl Period {
    /// True when `date` falls in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

impl PeriodConfig {
    /// UK financial-year quarters (April start).
    pub fn uk() -> Self {
        PeriodConfig {
            year_start_month: 4,
        }
    }

    /// Calendar quarters (January start).
    pub fn calendar() -> Self {
        PeriodConfig {
            year_start_month: 1,
        }
    }

    /// A configuration starting the reporting year in `month`.
    ///
    /// # Errors
    /// [`Error::Invalid`] unless `month` is 1 to 12.
    pub fn starting(month: u32) -> Result<Self> {
        if (1..=12).contains(&month) {
            Ok(PeriodConfig {
                year_start_month: month,
            })
        } else {
            Err(Error::invalid(
                "year_start_month",
                format!("{month} is not a month; give 1 (January) to 12 (December)"),
            ))
        }
    }

    fn start_month(&self) -> u32 {
        self.year_start_month.clamp(1, 12)
    }

    fn label(&self, year: i32, quarter: u32) -> String {
        if self.start_month() == 1 {
            format!("{year} Q{quarter}")
        } else {
            format!("{year}/{:02} Q{quarter}", (year + 1).rem_euclid(100))
        }
    }

    /// The quarter `quarter` (1–4) of the reporting year starting in `year`.
    fn quarter(&self, year: i32, quarter: u32) -> Option<Period> {
        let year_start = NaiveDate::from_ymd_opt(year, self.start_month(), 1)?;
        let start = year_start.checked_add_months(Months::new(3 * (quarter - 1)))?;
        let end = start.checked_add_months(Months::new(3))?.pred_opt()?;
        Some(Period {
            label: self.label(year, quarter),
            start,
            end,
        })
    }

    /// The quarter containing `date`.
    pub fn quarter_of(&self, date: NaiveDate) -> Period {
        let m = self.start_month();
        let (year, offset) = if date.month() >= m {
            (date.year(), date.month() - m)
        } else {
            (date.year() - 1, date.month() + 12 - m)
        };
        self.quarter(year, offset / 3 + 1).unwrap_or(Period {
            label: self.label(year, offset / 3 + 1),
            start: date,
            end: date,
        })
    }

    /// The quarter before `period`.
    pub fn previous(&self, period: &Period) -> Period {
        let day = period.start.pred_opt().unwrap_or(period.start);
        self.quarter_of(day)
    }

    /// Reads a quarter such as `2024/25 Q3`, `2024/25-Q3`, `2024-Q3` or
    /// `2024Q3`; the year is the one the reporting year starts in.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the expected forms.
    pub fn parse(&self, text: &str) -> Result<Period> {
        let bad = || {
            Error::invalid(
                "period",
                format!(
                    "{text:?} is not a quarter; write e.g. 2024/25-Q3 or 2024-Q3 (the year the reporting year starts)"
                ),
            )
        };
        let t = text.trim().to_ascii_uppercase();
        let (year_part, q_part) = t.rsplit_once('Q').ok_or_else(bad)?;
        let quarter: u32 = q_part.trim().parse().map_err(|_| bad())?;
        if !(1..=4).contains(&quarter) {
            return Err(bad());
        }
        let year_part = year_part.trim().trim_end_matches(['-', ' ', '_']);
        let year_text = match year_part.split_once('/') {
            Some((y, next)) => {
                let y: i32 = y.parse().map_err(|_| bad())?;
                let n: i32 = next.parse().map_err(|_| bad())?;
                if n.rem_euclid(100) != (y + 1).rem_euclid(100) {
                    return Err(bad());
                }
                y
            }
            None => year_part.parse().map_err(|_| bad())?,
        };
        if !(1000..=9999).contains(&year_text) {
            return Err(bad());
        }
        self.quarter(year_text, quarter).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn uk_quarters_start_in_april() {
        let c = PeriodConfig::default();
        let q = c.quarter_of(d("2024-05-17"));
        assert_eq!(q.label, "2024/25 Q1");
        assert_eq!((q.start, q.end), (d("2024-04-01"), d("2024-06-30")));
        let q4 = c.quarter_of(d("2025-03-31"));
        assert_eq!(q4.label, "2024/25 Q4");
        assert_eq!((q4.start, q4.end), (d("2025-01-01"), d("2025-03-31")));
        assert_eq!(c.previous(&q).label, "2023/24 Q4");
        assert_eq!(c.previous(&q).start, d("2024-01-01"));
    }

    #[test]
    fn calendar_quarters_are_configurable() {
        let c = PeriodConfig::calendar();
        let q = c.quarter_of(d("2024-05-17"));
        assert_eq!(q.label, "2024 Q2");
        assert_eq!((q.start, q.end), (d("2024-04-01"), d("2024-06-30")));
        let sept = PeriodConfig::starting(9).unwrap();
        assert_eq!(sept.quarter_of(d("2024-08-31")).label, "2023/24 Q4");
        assert!(PeriodConfig::starting(13).is_err());
    }

    #[test]
    fn parses_every_written_form() {
        let c = PeriodConfig::uk();
        for s in ["2024/25 Q3", "2024/25-Q3", "2024-Q3", "2024q3", " 2024 Q3 "] {
            let p = c.parse(s).unwrap();
            assert_eq!((p.start, p.end), (d("2024-10-01"), d("2024-12-31")), "{s}");
            assert_eq!(p.label, "2024/25 Q3");
        }
        for s in ["2024-Q5", "2024/26 Q1", "Q1", "twenty Q1", "2024", ""] {
            let e = c.parse(s).unwrap_err().to_string();
            assert!(e.contains("is not a quarter"), "{s}: {e}");
        }
    }
}
