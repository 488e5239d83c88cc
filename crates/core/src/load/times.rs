//! Times in dataset files: RFC 3339 with the offset in force locally, or a publication date.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::report::Scope;
use crate::timefmt::local_day_start;

/// The latest instant any time, or any end a duration or extension produces, may reach: the
/// last second RFC 3339 can write. Beyond it a time could not be shown or exported.
pub fn max_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Parses an RFC 3339 time and checks its offset against the dataset's zone, because a
/// "+02:00" left in a May timestamp (Damascus was on +03:00) silently shifts the event by an hour.
pub fn parse_time(
    text: &str,
    tz: Option<Tz>,
    field: &str,
    s: &mut Scope<'_>,
) -> Option<DateTime<FixedOffset>> {
    let t = match DateTime::parse_from_rfc3339(text) {
        Ok(t) => t,
        Err(e) => {
            s.add(format!(
                "`{field}` \"{text}\" is not a valid RFC 3339 time with offset, like 2016-05-01T12:00:00+03:00 ({e})"
            ));
            return None;
        }
    };
    if t.with_timezone(&Utc) > max_time() {
        s.add(format!(
            "`{field}` {text} is after 9999-12-31T23:59:59Z, the last time that can be written"
        ));
        return None;
    }
    if let Some(tz) = tz {
        let local = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
        let offset = *t.offset();
        if offset != local && offset.local_minus_utc() != 0 {
            s.add(format!(
                "`{field}` {text}: offset {offset} is not {tz}'s offset on that date ({local}); use {local} or Z"
            ));
        }
    }
    Some(t)
}

/// A publication date ("2016-05-01") is the first instant of that local day (its midnight, or
/// the moment the clocks jumped where a change skipped midnight); a full time is read as such.
/// Returns the time and whether it was a date alone.
pub fn parse_published(
    text: &str,
    tz: Option<Tz>,
    s: &mut Scope<'_>,
) -> Option<(DateTime<FixedOffset>, bool)> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        // Without a valid time zone there is no local day; dataset.json's error says why.
        let tz = tz?;
        return match local_day_start(date, tz) {
            Some(t) => Some((t.with_timezone(&tz).fixed_offset(), true)),
            None => {
                s.add(format!("`published` {text} has no first instant in {tz}"));
                None
            }
        };
    }
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) if t.with_timezone(&Utc) <= max_time() => Some((t, false)),
        _ => {
            s.add(format!(
                "`published` \"{text}\" is neither a date (2016-05-01) nor an RFC 3339 time"
            ));
            None
        }
    }
}
