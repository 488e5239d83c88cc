//! Times as people read and type them: in the dataset's local time, with the offset spelt out
//! and the precision of what the reports say respected ("late on Friday" is not 23:59).

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::model::incidents::{Span, When};
use crate::model::{Moment, Precision};

/// "Damascus" for `Asia/Damascus`, "New York" for `America/New_York`.
pub fn zone_city(tz: Tz) -> String {
    tz.name()
        .rsplit('/')
        .next()
        .unwrap_or(tz.name())
        .replace('_', " ")
}

/// "UTC+3", "UTC+5:30", "UTC".
pub fn offset_label(offset: FixedOffset) -> String {
    let secs = offset.local_minus_utc();
    if secs == 0 {
        return "UTC".into();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

pub fn local(t: DateTime<Utc>, tz: Tz) -> DateTime<FixedOffset> {
    tz.from_utc_datetime(&t.naive_utc()).fixed_offset()
}

/// "Sun 1 May 2016, 12:00 Damascus (UTC+3)": the slider and status bar label.
pub fn instant_label(t: DateTime<Utc>, tz: Tz) -> String {
    let l = local(t, tz);
    format!(
        "{}, {} {} ({})",
        l.format("%a %-d %b %Y"),
        l.format("%H:%M"),
        zone_city(tz),
        offset_label(*l.offset())
    )
}

/// "Sunday 1 May 2016, 12:00, Damascus, UTC+3": the instant read out in full, for a screen
/// reader (the slider's value text).
pub fn instant_words(t: DateTime<Utc>, tz: Tz) -> String {
    let l = local(t, tz);
    format!(
        "{}, {}, {}, {}",
        l.format("%A %-d %B %Y"),
        l.format("%H:%M"),
        zone_city(tz),
        offset_label(*l.offset())
    )
}

/// "2016-05-01T12:00:00+03:00".
pub fn rfc3339_local(t: DateTime<Utc>, tz: Tz) -> String {
    local(t, tz).to_rfc3339()
}

/// Whether the local clock reading of `t` happens twice (the hour repeated when clocks go back):
/// such a time must show its offset, or "23:30" may read later than a "23:15" that came after it.
pub fn in_repeated_hour(t: DateTime<Utc>, tz: Tz) -> bool {
    matches!(
        tz.from_local_datetime(&local(t, tz).naive_local()),
        LocalResult::Ambiguous(..)
    )
}

/// " (UTC+3)" for a time in the repeated hour, else nothing.
fn offset_if_repeated(t: DateTime<Utc>, tz: Tz) -> String {
    if in_repeated_hour(t, tz) {
        format!(" ({})", offset_label(offset_at(t, tz)))
    } else {
        String::new()
    }
}

/// A reported moment as precisely as it is known: a minute shows the clock, a day only the date,
/// an approximate time only "about" the date.
pub fn moment_label(m: &Moment, tz: Tz) -> String {
    let l = local(m.utc(), tz);
    let offset = offset_if_repeated(m.utc(), tz);
    match m.precision {
        Precision::Minute => format!("{}{offset}", l.format("%a %-d %b %Y, %H:%M")),
        Precision::Hour => format!("{}{offset} (to the hour)", l.format("%a %-d %b %Y, %H:00")),
        Precision::Day => l.format("%a %-d %b %Y").to_string(),
        Precision::Approximate => format!("about {}", l.format("%a %-d %b %Y")),
    }
}

/// Short form for dense lists: "1 May 12:00", "1 May", "~30 Apr".
pub fn moment_short(m: &Moment, tz: Tz) -> String {
    let l = local(m.utc(), tz);
    match m.precision {
        Precision::Minute | Precision::Hour => {
            format!(
                "{}{}",
                l.format("%-d %b %H:%M"),
                offset_if_repeated(m.utc(), tz)
            )
        }
        Precision::Day => l.format("%-d %b").to_string(),
        Precision::Approximate => format!("~{}", l.format("%-d %b")),
    }
}

/// The last second of the local day that `t` falls in: "as known on 1 May" means everything
/// published that day.
pub fn end_of_local_day(t: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
    let next = local(t, tz).date_naive().succ_opt()?;
    Some(local_day_start(next, tz)? - Duration::seconds(1))
}

/// The first instant of a local calendar day: its midnight, or, where a clock change skips
/// midnight (Damascus on 25 March 2016, Santiago on 8 September 2024), the instant the clocks
/// jump. `None` only for a date outside chrono's range.
pub fn local_day_start(date: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    let midnight = date.and_hms_opt(0, 0, 0)?;
    match tz.from_local_datetime(&midnight) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => {
            // In the gap, the offset before the jump still holds at the jump itself: midnight
            // read with that offset is the instant the day begins.
            let day_before = midnight.checked_sub_signed(Duration::days(1))?;
            let before = tz.offset_from_utc_datetime(&day_before).fix();
            let jump = midnight
                .checked_sub_signed(Duration::seconds(i64::from(before.local_minus_utc())))?;
            let t = Utc.from_utc_datetime(&jump);
            let starts_day = |t: DateTime<Utc>| local(t, tz).date_naive() >= date;
            if starts_day(t) && !starts_day(t - Duration::seconds(1)) {
                return Some(t);
            }
            // Two changes within a day: find the first minute of the day by stepping.
            (-15 * 60..=15 * 60)
                .map(|m| Utc.from_utc_datetime(&midnight) + Duration::minutes(m))
                .find(|&t| starts_day(t))
        }
    }
}

/// The half-open stretch `[start, end)` an incident's time covers, in seconds (data/FORMAT.md,
/// "Counting incidents"): a minute or an hour from its instant; a local day from its first
/// instant to the next day's; a period from its first day's first instant to the day after its
/// last. `None` for a date outside chrono's range.
pub fn span_of(when: &When, tz: Tz) -> Option<Span> {
    let day = |d: NaiveDate| local_day_start(d, tz).map(|t| t.timestamp());
    let (start, end) = match *when {
        When::Instant(t, precision) => {
            let unit = if precision == Precision::Minute {
                60
            } else {
                3600
            };
            let start = t.timestamp();
            (start, start + unit)
        }
        When::Day(d) => (day(d)?, day(d.succ_opt()?)?),
        When::Period(first, last) => (day(first)?, day(last.succ_opt()?)?),
    };
    (end > start).then_some(Span { start, end })
}

/// Reads a time typed by a person. Accepts RFC 3339 with an offset, or a local date and time in
/// the dataset's zone ("2016-05-01 12:00", "2016-05-01T12:00", "2016-05-01").
pub fn parse_user_time(text: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    });
    let Some(naive) = naive else {
        return Err(format!(
            "\"{text}\" is not a time; use 2016-05-01T12:00:00+03:00, or a local time like 2016-05-01 12:00 ({})",
            tz.name()
        ));
    };
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // At a fall-back hour, take the first of the two readings, as clocks showed it first.
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "{text} does not exist in {} (the clocks skipped it); give an offset to be exact",
            tz.name()
        )),
    }
}

/// Reads an "as known on" time: a date alone means the end of that local day (everything
/// published that day is known), as the app's choice of a report day does; a time is taken as
/// given.
pub fn parse_known_on(text: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    if let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        let start = local_day_start(date, tz)
            .ok_or_else(|| format!("{text} has no first instant in {}", tz.name()))?;
        return end_of_local_day(start, tz)
            .ok_or_else(|| format!("{text} has no last instant in {}", tz.name()));
    }
    parse_user_time(text, tz)
}

/// The offset in force in `tz` at `t`.
pub fn offset_at(t: DateTime<Utc>, tz: Tz) -> FixedOffset {
    tz.offset_from_utc_datetime(&t.naive_utc()).fix()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_in_words_spells_out_the_day_the_month_and_the_offset() {
        let t = "2016-05-01T09:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("valid");
        assert_eq!(
            instant_words(t, chrono_tz::Asia::Damascus),
            "Sunday 1 May 2016, 12:00, Damascus, UTC+3"
        );
        assert_eq!(
            instant_words(t, chrono_tz::Asia::Kolkata),
            "Sunday 1 May 2016, 14:30, Kolkata, UTC+5:30"
        );
    }

    fn damascus() -> Tz {
        chrono_tz::Asia::Damascus
    }

    #[test]
    fn the_slider_label_reads_as_a_person_would_say_it() {
        let t = parse_user_time("2016-05-01T12:00:00+03:00", damascus()).expect("valid");
        assert_eq!(
            instant_label(t, damascus()),
            "Sun 1 May 2016, 12:00 Damascus (UTC+3)"
        );
    }

    #[test]
    fn damascus_is_utc_plus_two_in_february_and_plus_three_after_march_25() {
        let feb = parse_user_time("2016-02-27 00:00", damascus()).expect("valid");
        let apr = parse_user_time("2016-04-30 06:00", damascus()).expect("valid");
        assert_eq!(offset_label(offset_at(feb, damascus())), "UTC+2");
        assert_eq!(offset_label(offset_at(apr, damascus())), "UTC+3");
        assert_eq!(rfc3339_local(feb, damascus()), "2016-02-27T00:00:00+02:00");
    }

    #[test]
    fn a_local_time_without_offset_is_read_in_the_dataset_zone() {
        let a = parse_user_time("2016-05-01 12:00", damascus()).expect("valid");
        let b = parse_user_time("2016-05-01T09:00:00Z", damascus()).expect("valid");
        assert_eq!(a, b);
    }

    #[test]
    fn nonsense_time_input_is_refused_with_an_example() {
        let err = parse_user_time("yesterday", damascus()).expect_err("must fail");
        assert!(err.contains("2016-05-01"), "{err}");
    }

    #[test]
    fn an_approximate_moment_shows_no_clock() {
        let t = DateTime::parse_from_rfc3339("2016-04-29T21:00:00+03:00").expect("valid");
        let m = Moment {
            time: t,
            precision: Precision::Approximate,
        };
        assert_eq!(moment_label(&m, damascus()), "about Fri 29 Apr 2016");
        let m = Moment {
            time: t,
            precision: Precision::Minute,
        };
        assert_eq!(moment_label(&m, damascus()), "Fri 29 Apr 2016, 21:00");
    }

    #[test]
    fn a_day_whose_midnight_was_skipped_starts_when_the_clocks_jumped() {
        // Damascus went from 23:59:59 on 24 March 2016 (UTC+2) straight to 01:00 (UTC+3).
        let d = NaiveDate::from_ymd_opt(2016, 3, 25).expect("date");
        let start = local_day_start(d, damascus()).expect("exists");
        assert_eq!(start.to_rfc3339(), "2016-03-24T22:00:00+00:00");
        assert_eq!(
            rfc3339_local(start, damascus()),
            "2016-03-25T01:00:00+03:00"
        );
        // Santiago skipped midnight on 8 September 2024 (UTC-4 to UTC-3).
        let santiago = chrono_tz::America::Santiago;
        let d = NaiveDate::from_ymd_opt(2024, 9, 8).expect("date");
        let start = local_day_start(d, santiago).expect("exists");
        assert_eq!(rfc3339_local(start, santiago), "2024-09-08T01:00:00-03:00");
        // An ordinary day starts at midnight.
        let d = NaiveDate::from_ymd_opt(2016, 5, 1).expect("date");
        let start = local_day_start(d, damascus()).expect("exists");
        assert_eq!(
            rfc3339_local(start, damascus()),
            "2016-05-01T00:00:00+03:00"
        );
    }

    #[test]
    fn a_time_in_the_repeated_hour_shows_its_offset_so_order_reads_right() {
        // Damascus put clocks back from 00:00 (UTC+3) to 23:00 (UTC+2) on 28 October 2016.
        let first = "2016-10-27T23:30:00+03:00"
            .parse::<DateTime<FixedOffset>>()
            .expect("valid");
        let second = "2016-10-27T23:15:00+02:00"
            .parse::<DateTime<FixedOffset>>()
            .expect("valid");
        assert!(first < second);
        let m = |t: DateTime<FixedOffset>| Moment {
            time: t,
            precision: Precision::Minute,
        };
        assert_eq!(
            moment_label(&m(first), damascus()),
            "Thu 27 Oct 2016, 23:30 (UTC+3)"
        );
        assert_eq!(
            moment_label(&m(second), damascus()),
            "Thu 27 Oct 2016, 23:15 (UTC+2)"
        );
        assert_eq!(moment_short(&m(second), damascus()), "27 Oct 23:15 (UTC+2)");
        // Outside the repeated hour no offset clutters the label.
        let noon = "2016-10-27T12:00:00+03:00"
            .parse::<DateTime<FixedOffset>>()
            .expect("valid");
        assert_eq!(moment_label(&m(noon), damascus()), "Thu 27 Oct 2016, 12:00");
    }

    #[test]
    fn known_on_a_date_means_the_end_of_that_local_day() {
        let k = parse_known_on("2016-05-01", damascus()).expect("valid");
        assert_eq!(rfc3339_local(k, damascus()), "2016-05-01T23:59:59+03:00");
        let k = parse_known_on("2016-05-01 12:00", damascus()).expect("valid");
        assert_eq!(rfc3339_local(k, damascus()), "2016-05-01T12:00:00+03:00");
        // The day the clocks jumped still ends at 23:59:59.
        let k = parse_known_on("2016-03-25", damascus()).expect("valid");
        assert_eq!(rfc3339_local(k, damascus()), "2016-03-25T23:59:59+03:00");
    }

    #[test]
    fn offsets_with_minutes_are_spelt_out() {
        let o = FixedOffset::east_opt(5 * 3600 + 1800).expect("valid");
        assert_eq!(offset_label(o), "UTC+5:30");
        assert_eq!(zone_city(chrono_tz::America::New_York), "New York");
    }
}
