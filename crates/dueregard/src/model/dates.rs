//! Reading dates (`2025-03-31`) and instants (`2025-03-31T09:00:00Z`) from
//! text. The common exact forms are read directly; anything else goes to
//! chrono's parsers, so what is accepted and refused is chrono's.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

fn digits<const N: usize>(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &c in b.get(..N)? {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

/// `YYYY-MM-DD` without going through a format-item parser.
fn exact_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits::<4>(b)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits::<2>(&b[5..])?, digits::<2>(&b[8..])?)
}

/// Parses a calendar date as chrono does, quickly for `YYYY-MM-DD`.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, chrono::ParseError> {
    match exact_date(s.as_bytes()) {
        Some(d) => Ok(d),
        None => s.parse(),
    }
}

/// Parses an instant as chrono's `DateTime<Utc>` does, quickly for
/// `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn parse_instant(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    let b = s.as_bytes();
    if b.len() == 20 && b[10] == b'T' && b[13] == b':' && b[16] == b':' && b[19] == b'Z' {
        let time = (|| {
            NaiveTime::from_hms_opt(
                digits::<2>(&b[11..])?,
                digits::<2>(&b[14..])?,
                digits::<2>(&b[17..])?,
            )
        })();
        if let (Some(d), Some(t)) = (exact_date(&b[..10]), time) {
            return Ok(NaiveDateTime::new(d, t).and_utc());
        }
    }
    s.parse()
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = NaiveDate;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date such as 2025-03-31")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
        parse_date(v).map_err(E::custom)
    }
}

struct InstantVisitor;

impl Visitor<'_> for InstantVisitor {
    type Value = DateTime<Utc>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 date and time such as 2025-03-31T09:00:00Z")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
        parse_instant(v).map_err(E::custom)
    }
}

/// `deserialize_with` for a `NaiveDate` field.
pub(crate) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(DateVisitor)
}

/// `deserialize_with` for an `Option<NaiveDate>` field (with `default`).
pub(crate) fn optional_date<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<NaiveDate>, D::Error> {
    struct OptionVisitor;
    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<NaiveDate>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date such as 2025-03-31, or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            date(d).map(Some)
        }
    }
    d.deserialize_option(OptionVisitor)
}

/// `deserialize_with` for a `DateTime<Utc>` field.
pub(crate) fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(InstantVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_forms_agree_with_chrono() {
        for s in ["2025-03-31", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(parse_date(s).unwrap(), s.parse::<NaiveDate>().unwrap());
        }
        for s in ["2025-03-31T09:00:00Z", "2016-04-01T23:59:59Z"] {
            assert_eq!(
                parse_instant(s).unwrap(),
                s.parse::<DateTime<Utc>>().unwrap()
            );
        }
    }

    #[test]
    fn other_forms_fall_back_to_chrono() {
        assert_eq!(
            parse_instant("2025-03-31T10:00:00+01:00").unwrap(),
            parse_instant("2025-03-31T09:00:00Z").unwrap()
        );
        assert_eq!(
            parse_instant("2025-03-31T09:00:00.5Z").unwrap(),
            "2025-03-31T09:00:00.5Z".parse::<DateTime<Utc>>().unwrap()
        );
        for bad in ["2025-02-30", "2025-13-01", "2025-03-31x"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        for bad in [
            "2025-03-31T25:00:00Z",
            "2025-02-30T09:00:00Z",
            "2025-03-31 09:00",
        ] {
            assert!(parse_instant(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn serde_reads_both_and_null() {
        #[derive(serde::Deserialize)]
        struct Row {
            #[serde(deserialize_with = "date")]
            d: NaiveDate,
            #[serde(default, deserialize_with = "optional_date")]
            o: Option<NaiveDate>,
            #[serde(default, deserialize_with = "optional_date")]
            n: Option<NaiveDate>,
            #[serde(deserialize_with = "instant")]
            t: DateTime<Utc>,
        }
        let r: Row = serde_json::from_str(
            r#"{"d":"2025-03-31","o":"2025-04-01","n":null,"t":"2025-03-31T09:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(r.d.to_string(), "2025-03-31");
        assert_eq!(r.o.map(|d| d.to_string()).as_deref(), Some("2025-04-01"));
        assert!(r.n.is_none());
        assert_eq!(r.t.to_rfc3339(), "2025-03-31T09:00:00+00:00");
        let missing: Row =
            serde_json::from_str(r#"{"d":"2025-03-31","t":"2025-03-31T09:00:00Z"}"#).unwrap();
        assert!(missing.o.is_none());
        assert!(
            serde_json::from_str::<Row>(r#"{"d":"2025-02-30","t":"2025-03-31T09:00:00Z"}"#)
                .is_err()
        );
    }
}
