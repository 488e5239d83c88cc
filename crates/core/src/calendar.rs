//! Steps and rounding in the dataset's local time, as a reader counts them: "the next day" is
//! the same wall-clock time on the next date (23 or 25 hours away across a clock change), and
//! "on the hour" is a whole hour on the local clock (half past, in UTC, for UTC+5:30).

use chrono::{DateTime, Days, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// The UTC offset in force at `t`, in seconds.
fn offset_at(t: DateTime<Utc>, tz: Tz) -> i64 {
    i64::from(
        tz.offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc(),
    )
}

/// `t` rounded to the nearest whole hour of local time (half an hour rounds up).
pub fn round_to_hour(t: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    let offset = offset_at(t, tz);
    let local = t.timestamp() + offset;
    let rounded = (local + 1800).div_euclid(3600) * 3600 - offset;
    Utc.timestamp_opt(rounded, 0).single().unwrap_or(t)
}

/// The same local wall-clock time `days` dates later (or earlier, if negative). A time that
/// does not exist on that date (skipped by a clock change) moves on by the length of the gap;
/// a time that exists twice keeps the offset `t` had if it can, else takes the earlier one.
/// `None` past the ends of chrono's calendar.
pub fn add_days(t: DateTime<Utc>, tz: Tz, days: i64) -> Option<DateTime<Utc>> {
    let local = t.with_timezone(&tz);
    let naive = local.naive_local();
    let n = Days::new(days.unsigned_abs());
    let target = if days >= 0 {
        naive.checked_add_days(n)?
    } else {
        naive.checked_sub_days(n)?
    };
    resolve(target, tz, local.offset().fix().local_minus_utc())
}

fn resolve(naive: NaiveDateTime, tz: Tz, prefer_offset: i32) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => {
            let pick = if b.offset().fix().local_minus_utc() == prefer_offset {
                b
            } else {
                a
            };
            Some(pick.with_timezone(&Utc))
        }
        // In a gap: read the wall-clock time with the offset before the change, which lands
        // as far past the change as the time was past its start.
        LocalResult::None => {
            let before = tz
                .from_local_datetime(&naive.checked_sub_signed(chrono::Duration::hours(3))?)
                .earliest()?
                .offset()
                .fix();
            naive
                .checked_sub_signed(chrono::Duration::seconds(i64::from(
                    before.local_minus_utc(),
                )))
                .map(|utc| utc.and_utc())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::{Damascus, Kolkata};

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_day_forward_across_the_march_2016_change_in_damascus_keeps_noon() {
        // Clocks went from UTC+2 to UTC+3 at midnight on Friday 25 March 2016.
        let thursday_noon = at("2016-03-24T12:00:00+02:00");
        let friday_noon = at("2016-03-25T12:00:00+03:00");
        assert_eq!(add_days(thursday_noon, Damascus, 1), Some(friday_noon));
        assert_eq!(add_days(friday_noon, Damascus, -1), Some(thursday_noon));
        assert_eq!((friday_noon - thursday_noon).num_hours(), 23);
    }

    #[test]
    fn a_day_forward_across_the_october_2016_change_in_damascus_keeps_noon() {
        // Back from UTC+3 to UTC+2 at midnight on Friday 28 October 2016.
        let thursday_noon = at("2016-10-27T12:00:00+03:00");
        let friday_noon = at("2016-10-28T12:00:00+02:00");
        assert_eq!(add_days(thursday_noon, Damascus, 1), Some(friday_noon));
        assert_eq!(add_days(friday_noon, Damascus, -1), Some(thursday_noon));
        assert_eq!((friday_noon - thursday_noon).num_hours(), 25);
    }

    #[test]
    fn a_day_that_lands_in_the_skipped_hour_moves_past_it() {
        // 00:30 on 25 March 2016 never happened in Damascus: 00:30 at UTC+2 is 01:30 at UTC+3.
        let before = at("2016-03-24T00:30:00+02:00");
        assert_eq!(
            add_days(before, Damascus, 1),
            Some(at("2016-03-25T01:30:00+03:00"))
        );
    }

    #[test]
    fn a_day_that_lands_in_the_repeated_hour_keeps_its_offset() {
        // 23:30 on 27 October 2016 happened twice in Damascus (UTC+3, then UTC+2).
        let summer = at("2016-10-26T23:30:00+03:00");
        assert_eq!(
            add_days(summer, Damascus, 1),
            Some(at("2016-10-27T23:30:00+03:00"))
        );
        let winter = at("2016-10-28T23:30:00+02:00");
        assert_eq!(
            add_days(winter, Damascus, -1),
            Some(at("2016-10-27T23:30:00+02:00"))
        );
    }

    #[test]
    fn an_hour_rounds_on_the_local_clock_in_a_half_hour_zone() {
        // 10:20 in Kolkata (UTC+5:30) is 04:50 UTC: the local hour is 10:00, 04:30 UTC.
        let t = at("2016-05-01T10:20:00+05:30");
        assert_eq!(round_to_hour(t, Kolkata), at("2016-05-01T10:00:00+05:30"));
        let t = at("2016-05-01T10:31:00+05:30");
        assert_eq!(round_to_hour(t, Kolkata), at("2016-05-01T11:00:00+05:30"));
    }

    #[test]
    fn an_hour_rounds_to_the_nearest_whole_hour_in_damascus() {
        let t = at("2016-05-01T12:29:00+03:00");
        assert_eq!(round_to_hour(t, Damascus), at("2016-05-01T12:00:00+03:00"));
        let t = at("2016-05-01T12:30:00+03:00");
        assert_eq!(round_to_hour(t, Damascus), at("2016-05-01T13:00:00+03:00"));
    }

    #[test]
    fn days_past_the_end_of_the_calendar_go_nowhere() {
        let t = at("9999-12-31T12:00:00Z");
        assert_eq!(add_days(t, Damascus, i64::MAX), None);
    }
}
