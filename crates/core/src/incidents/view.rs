//! What the app shows of the incidents at an instant: the marks of a window of local days up to
//! the instant, and each zone's counts over it. Worked out from a compact copy of every set's
//! points, made once, so that a slider move scans a slice of small records.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{Incidents, Tally, heard, tally};
use crate::engine::Engine;
use crate::geometry::mercator;
use crate::model::Status;
use crate::model::incidents::{Basis, Where};
use crate::timefmt::{local, local_day_start};

/// How many local days of incidents the map shows, up to and including the instant's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Days {
    Today,
    #[default]
    Week,
    Month,
}

impl Days {
    pub const ALL: [Days; 3] = [Days::Today, Days::Week, Days::Month];

    pub fn count(self) -> i64 {
        match self {
            Days::Today => 1,
            Days::Week => 7,
            Days::Month => 30,
        }
    }

    /// "the day of", "the 7 days up to": the words before a date.
    pub fn label(self) -> &'static str {
        match self {
            Days::Today => "That day",
            Days::Week => "7 days",
            Days::Month => "30 days",
        }
    }
}

/// `[first instant of the window's first day, first instant of the day after the instant's)`,
/// in seconds: the `days` local days ending with the instant's own day.
pub fn window(at: DateTime<Utc>, tz: Tz, days: Days) -> Option<(i64, i64)> {
    let day = local(at, tz).date_naive();
    let first = day.checked_sub_signed(Duration::days(days.count() - 1))?;
    let start = local_day_start(first, tz)?;
    let end = local_day_start(day.succ_opt()?, tz)?;
    Some((start.timestamp(), end.timestamp()))
}

/// One incident as the map draws it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub start: i64,
    pub end: i64,
    /// Projected (Web Mercator, 0..1) position.
    pub at: [f32; 2],
    /// Best fatalities, else low; `None`: unknown (drawn hollow).
    pub size: Option<u32>,
    pub set: u16,
    pub index: u32,
    /// A record of the dataset's own, which "as known on" and the filters apply to.
    pub cited: bool,
}

/// Every set's incidents as marks, by start time.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    marks: Vec<Mark>,
    longest: i64,
}

impl Marks {
    /// An incident without a point is drawn at its first zone's label point.
    pub fn new(incidents: &Incidents, label_points: &[(f64, f64)]) -> Marks {
        let mut marks = Vec::new();
        for (s, placed) in incidents.sets.iter().enumerate() {
            for (i, incident) in placed.set.incidents.iter().enumerate() {
                let (lon, lat) = match &incident.place {
                    &Where::Point { lon, lat, .. } => (lon, lat),
                    Where::Zones(zones) => {
                        match zones.first().and_then(|&z| label_points.get(z as usize)) {
                            Some(&p) => p,
                            None => continue,
                        }
                    }
                };
                let p = mercator(lon, lat);
                marks.push(Mark {
                    start: incident.span.start,
                    end: incident.span.end,
                    at: [p[0] as f32, p[1] as f32],
                    size: incident.fatalities.size(),
                    set: u16::try_from(s).unwrap_or(u16::MAX),
                    index: i as u32,
                    cited: matches!(incident.basis, Basis::Cited { .. }),
                });
            }
        }
        marks.sort_by_key(|m| m.start);
        let longest = marks.iter().map(|m| m.end - m.start).max().unwrap_or(0);
        Marks { marks, longest }
    }

    /// The marks whose span meets `[from, to)`.
    pub fn meeting(&self, (from, to): (i64, i64)) -> impl Iterator<Item = &Mark> {
        let lo = self
            .marks
            .partition_point(|m| m.start < from.saturating_sub(self.longest));
        let hi = self.marks.partition_point(|m| m.start < to);
        self.marks[lo..hi.max(lo)]
            .iter()
            .filter(move |m| m.end > from && m.start < to)
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }
}

/// Whether a mark counts in this view (the dataset's own: as known on, and heard).
pub fn mark_heard(
    engine: &Engine,
    incidents: &Incidents,
    mark: &Mark,
    known_on: Option<DateTime<Utc>>,
) -> bool {
    !mark.cited
        || incidents
            .sets
            .get(mark.set as usize)
            .and_then(|p| p.set.incidents.get(mark.index as usize))
            .is_some_and(|i| heard(engine, i, known_on))
}

/// A zone's counts over the window, per set (whole and partly alike: the window is not a
/// status interval).
pub fn zone_window(
    engine: &Engine,
    incidents: &Incidents,
    zone: usize,
    (from, to): (i64, i64),
    known_on: Option<DateTime<Utc>>,
) -> Vec<Tally> {
    incidents
        .sets
        .iter()
        .map(|p| tally(engine, p, zone, (Some(from), Some(to)), known_on))
        .collect()
}

/// Where the zone is shown in effect at `at` and an incident of any set falls on the instant's
/// local day: "violence reported during the truce" (a fact about the records, never the word
/// "violated").
pub fn violence_during_truce(
    engine: &Engine,
    incidents: &Incidents,
    zone: usize,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
) -> bool {
    if engine.status(zone, at, known_on).status != Status::InEffect {
        return false;
    }
    let tz = engine.dataset().meta.timezone;
    let Some(day) = window(at, tz, Days::Today) else {
        return false;
    };
    incidents.sets.iter().any(|p| {
        p.meeting(zone, Some(day.0), Some(day.1)).iter().any(|&i| {
            let incident = &p.set.incidents[i as usize];
            incident.span.overlaps(Some(day.0), Some(day.1)) && heard(engine, incident, known_on)
        })
    })
}

/// Incidents per local day in a zone, set by set (never added across sets): for each set, for
/// each pair of neighbouring day starts in `starts`, the incidents meeting that day.
pub fn per_day(
    engine: &Engine,
    incidents: &Incidents,
    zone: usize,
    starts: &[i64],
    known_on: Option<DateTime<Utc>>,
) -> Vec<Vec<u64>> {
    incidents
        .sets
        .iter()
        .map(|p| {
            starts
                .windows(2)
                .map(|w| {
                    let t = tally(engine, p, zone, (Some(w[0]), Some(w[1])), known_on);
                    t.whole + t.partly
                })
                .collect()
        })
        .collect()
}

/// Incidents of one set meeting a window, and the deaths they give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowCount {
    pub incidents: u64,
    /// The sum of each one's best figure, else its low one; `None` when none gives one.
    pub killed: Option<u64>,
}

/// Per set, the zone's incidents meeting `[from, to)` (whole or in part: a window is not a
/// status interval), each set on its own.
pub fn window_counts(
    engine: &Engine,
    incidents: &Incidents,
    zone: usize,
    (from, to): (i64, i64),
    known_on: Option<DateTime<Utc>>,
) -> Vec<WindowCount> {
    incidents
        .sets
        .iter()
        .map(|p| {
            let mut c = WindowCount::default();
            for &i in p.meeting(zone, Some(from), Some(to)) {
                let incident = &p.set.incidents[i as usize];
                if incident.span.overlaps(Some(from), Some(to)) && heard(engine, incident, known_on)
                {
                    c.incidents += 1;
                    if let Some(k) = incident.fatalities.size() {
                        c.killed = Some(c.killed.unwrap_or(0) + u64::from(k));
                    }
                }
            }
            c
        })
        .collect()
}
