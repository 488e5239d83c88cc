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

/// The first and last instant a dataset speaks of: its events, their ends (an `until`, or a
/// duration counted from the event) and its default instant. Here, not in the engine, so that
/// the loader can hold a story's steps to it.
pub fn extent(
    events: &[crate::model::Event],
    default_instant: Option<DateTime<FixedOffset>>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let mut times: Vec<DateTime<Utc>> = events.iter().map(|e| e.moment.utc()).collect();
    for ev in events {
        times.extend(ev.until.map(|u| u.utc()));
        let end = ev.duration_hours.and_then(|h| {
            ev.moment
                .utc()
                .checked_add_signed(chrono::Duration::hours(i64::from(h)))
                .filter(|end| *end <= max_time())
        });
        times.extend(end);
    }
    times.extend(default_instant.map(|t| t.with_timezone(&Utc)));
    match (times.iter().min(), times.iter().max()) {
        (Some(&lo), Some(&hi)) => (lo, hi),
        _ => (Utc::now(), Utc::now()),
    }
}

/// A day of margin either side of the extent: the span the slider covers. Times lie within
/// years 0 to 9999, far inside chrono's range, and the span ends no later than the last time
/// that can be written.
pub fn pad((lo, hi): (DateTime<Utc>, DateTime<Utc>)) -> (DateTime<Utc>, DateTime<Utc>) {
    let day = chrono::Duration::days(1);
    (
        lo.checked_sub_signed(day).unwrap_or(lo),
        hi.checked_add_signed(day)
            .unwrap_or(hi)
            .min(max_time())
            .max(hi),
    )
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
