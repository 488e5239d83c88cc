//! The marks on a time axis: which instants get a tick and which a label, for a time range drawn
//! over a given width, in the dataset's local calendar.
//!
//! The work is proportional to the marks drawn, never to the days in the range: an axis from
//! year 1 to 9999 is a few dozen year marks, not three million days. Ranges of weeks label days,
//! ranges of years label months, longer ranges label years (1, 2, 5, 10... at a time).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::timefmt::{local, local_day_start};

/// Labels need this much room, in points, so that they do not run into each other.
pub const LABEL_SPACING: f32 = 64.0;
/// Unlabelled ticks closer than this are left out.
const TICK_SPACING: f32 = 3.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub at: DateTime<Utc>,
    /// `Some` for a labelled (taller) tick.
    pub label: Option<String>,
    /// A small tick inside a day (6:00, 12:00, 18:00) on a zoomed-in axis.
    pub hour: bool,
}

/// The marks for `[start, end]` drawn over `width` points.
pub fn marks(start: DateTime<Utc>, end: DateTime<Utc>, width: f32, tz: Tz) -> Vec<Mark> {
    let seconds = (end - start).num_seconds().max(1) as f64;
    let per_day = width as f64 / (seconds / 86_400.0);
    let per_year = per_day * 365.2425;
    if per_day * 30.0 >= LABEL_SPACING as f64 {
        day_marks(start, end, per_day as f32, tz)
    } else if per_year / 12.0 * 6.0 >= LABEL_SPACING as f64 {
        month_marks(start, end, per_year as f32 / 12.0, tz)
    } else {
        year_marks(start, end, per_year as f32, tz)
    }
}

/// Local midnights, labelled every 1, 2, 7, 14 or 30 days counted from the first day shown.
fn day_marks(start: DateTime<Utc>, end: DateTime<Utc>, per_day: f32, tz: Tz) -> Vec<Mark> {
    let label_every = [1, 2, 7, 14, 30]
        .into_iter()
        .find(|k| *k as f32 * per_day >= LABEL_SPACING)
        .unwrap_or(30);
    let format = if per_day > 200.0 {
        "%a %-d %b"
    } else {
        "%-d %b"
    };
    let first = local(start, tz).date_naive();
    let mut out = Vec::new();
    for (ordinal, day) in first.iter_days().enumerate() {
        let Some(t) = local_day_start(day, tz) else {
            continue;
        };
        if t > end {
            break;
        }
        if t < start {
            continue;
        }
        let labelled = ordinal % label_every == 0;
        if per_day >= TICK_SPACING || labelled {
            out.push(Mark {
                at: t,
                label: labelled.then(|| day.format(format).to_string()),
                hour: false,
            });
        }
        if per_day > 200.0 {
            out.extend([6, 12, 18].into_iter().map(|h| Mark {
                at: t + Duration::hours(h),
                label: None,
                hour: true,
            }));
        }
    }
    out
}

/// Month starts, labelled every 1, 3 or 6 months (January always carries its year).
fn month_marks(start: DateTime<Utc>, end: DateTime<Utc>, per_month: f32, tz: Tz) -> Vec<Mark> {
    let label_every = [1, 3, 6]
        .into_iter()
        .find(|k| *k as f32 * per_month >= LABEL_SPACING)
        .unwrap_or(6);
    let first = local(start, tz).date_naive();
    let mut month = (first.year(), first.month0());
    let mut out = Vec::new();
    while let Some(day) = NaiveDate::from_ymd_opt(month.0, month.1 + 1, 1) {
        match local_day_start(day, tz) {
            Some(t) if t > end => break,
            Some(t) if t >= start => {
                let labelled = month.1.is_multiple_of(label_every);
                let format = if month.1 == 0 { "%b %Y" } else { "%b" };
                if per_month >= TICK_SPACING || labelled {
                    out.push(Mark {
                        at: t,
                        label: labelled.then(|| day.format(format).to_string()),
                        hour: false,
                    });
                }
            }
            _ => {}
        }
        month = if month.1 == 11 {
            (month.0 + 1, 0)
        } else {
            (month.0, month.1 + 1)
        };
    }
    out
}

/// The first instant of each year that is a multiple of `step`, within the range.
fn year_starts(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    step: i32,
    tz: Tz,
) -> Vec<(i32, DateTime<Utc>)> {
    let first = local(start, tz).year();
    let mut year = first.div_euclid(step) * step;
    let mut out = Vec::new();
    while let Some(t) = NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| local_day_start(d, tz)) {
        if t > end {
            break;
        }
        if t >= start {
            out.push((year, t));
        }
        year += step;
    }
    out
}

/// Year starts, labelled every 1, 2, 5, 10, 20, 50... years; unlabelled ticks at the finest
/// such step that leaves room between them.
fn year_marks(start: DateTime<Utc>, end: DateTime<Utc>, per_year: f32, tz: Tz) -> Vec<Mark> {
    let steps = (0..5).flat_map(|p| [1, 2, 5].map(|m| m * 10i32.pow(p)));
    let label_step = steps
        .clone()
        .find(|k| *k as f32 * per_year >= LABEL_SPACING)
        .unwrap_or(10_000);
    let tick_step = steps
        .filter(|k| label_step % k == 0)
        .find(|k| *k as f32 * per_year >= TICK_SPACING * 2.0)
        .unwrap_or(label_step);
    year_starts(start, end, tick_step, tz)
        .into_iter()
        .map(|(year, at)| Mark {
            at,
            label: (year % label_step == 0).then(|| year.to_string()),
            hour: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn damascus() -> Tz {
        chrono_tz::Asia::Damascus
    }

    fn t(text: &str) -> DateTime<Utc> {
        text.parse::<DateTime<chrono::FixedOffset>>()
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn labels(marks: &[Mark]) -> Vec<&str> {
        marks.iter().filter_map(|m| m.label.as_deref()).collect()
    }

    #[test]
    fn ten_weeks_over_a_wide_axis_label_every_week_and_tick_every_day() {
        let (a, b) = (
            t("2016-02-26T00:00:00+02:00"),
            t("2016-05-08T00:00:00+03:00"),
        );
        let marks = marks(a, b, 1200.0, damascus());
        assert_eq!(marks.len(), 73, "a tick a day");
        assert_eq!(labels(&marks)[..3], ["26 Feb", "4 Mar", "11 Mar"]);
        // The day the clocks skipped midnight still has its tick, at 01:00 local.
        assert!(marks.iter().any(|m| m.at == t("2016-03-25T01:00:00+03:00")));
    }

    #[test]
    fn a_span_of_ten_thousand_years_costs_a_few_dozen_marks_and_labels_years() {
        let (a, b) = (t("0001-01-01T00:00:00Z"), t("9999-12-30T00:00:00Z"));
        let marks = marks(a, b, 1200.0, damascus());
        assert!(marks.len() <= 1200 / 3, "{} marks", marks.len());
        let labels = labels(&marks);
        assert!(
            labels.contains(&"2000") && labels.contains(&"5000"),
            "{labels:?}"
        );
        assert!(
            labels.len() <= (1200.0 / LABEL_SPACING) as usize + 1,
            "{labels:?}"
        );
    }

    #[test]
    fn marks_grow_with_the_width_not_with_the_length_of_time() {
        let a = t("2016-01-01T00:00:00Z");
        let spans = [
            Duration::days(400),
            Duration::days(4_000),
            Duration::days(400_000),
        ];
        for span in spans {
            let n = marks(a, a + span, 800.0, damascus()).len();
            assert!(n <= 800 / 3 + 1, "{span:?}: {n} marks");
        }
    }

    #[test]
    fn two_years_label_months_and_put_the_year_on_january() {
        let (a, b) = (t("2015-01-01T00:00:00Z"), t("2017-01-01T00:00:00Z"));
        let marks = marks(a, b, 1200.0, damascus());
        let labels = labels(&marks);
        assert!(labels.contains(&"Jan 2016"), "{labels:?}");
        assert!(labels.iter().all(|l| l.len() <= 8), "{labels:?}");
    }

    #[test]
    fn a_zoomed_axis_adds_ticks_within_the_day_and_weekday_labels() {
        let (a, b) = (
            t("2016-05-01T00:00:00+03:00"),
            t("2016-05-03T00:00:00+03:00"),
        );
        let marks = marks(a, b, 1200.0, damascus());
        assert!(marks.iter().any(|m| m.hour));
        assert_eq!(labels(&marks), ["Sun 1 May", "Mon 2 May", "Tue 3 May"]);
    }
}
