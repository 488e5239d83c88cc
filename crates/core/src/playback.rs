//! Playing the instant forward, so that a story reads as it happened: a speed in dataset time per
//! second of real time, looping or stopping at the end, and optionally pausing at each event.
//! Pure: the session applies it, the window only says how much real time went by.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use strum::VariantArray;

/// Dataset time per second of real time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, VariantArray)]
pub enum Speed {
    #[default]
    HourPerSecond,
    SixHoursPerSecond,
    DayPerSecond,
}

impl Speed {
    pub fn per_second(self) -> Duration {
        match self {
            Speed::HourPerSecond => Duration::hours(1),
            Speed::SixHoursPerSecond => Duration::hours(6),
            Speed::DayPerSecond => Duration::hours(24),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::HourPerSecond => "1 hour per second",
            Speed::SixHoursPerSecond => "6 hours per second",
            Speed::DayPerSecond => "1 day per second",
        }
    }
}

/// How the instant plays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Playback {
    /// Never remembered between runs: a window opens still.
    #[serde(skip)]
    pub playing: bool,
    pub speed: Speed,
    /// At the end, start again from the beginning (else stop there).
    pub looping: bool,
    /// Pause at each event, so a story reads event by event.
    pub stop_at_events: bool,
    /// Reduce motion: the instant moves in one jump a second instead of gliding.
    pub reduce_motion: bool,
}

/// Where one tick leaves the instant, and whether it still plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advance {
    pub instant: DateTime<Utc>,
    pub playing: bool,
}

/// The most real time one tick counts: after a stall (a suspended laptop, a slow frame) the
/// story goes on from where it was rather than jumping ahead.
pub const MAX_TICK: std::time::Duration = std::time::Duration::from_millis(250);

/// With reduced motion, the real time between two jumps of the instant.
pub const HOP: std::time::Duration = std::time::Duration::from_secs(1);

impl Playback {
    /// One tick of `real` time from `instant`, between `span`'s ends. `next_event` is the first
    /// event strictly after `instant` (for stopping at events).
    pub fn advance(
        &self,
        instant: DateTime<Utc>,
        real: std::time::Duration,
        span: (DateTime<Utc>, DateTime<Utc>),
        next_event: Option<DateTime<Utc>>,
    ) -> Advance {
        let (start, end) = span;
        if !self.playing {
            return Advance {
                instant,
                playing: false,
            };
        }
        let most = if self.reduce_motion { HOP } else { MAX_TICK };
        let millis = real.min(most).as_millis() as i64;
        let by = self
            .speed
            .per_second()
            .num_milliseconds()
            .checked_mul(millis)
            .map_or(Duration::zero(), |m| Duration::milliseconds(m / 1000));
        let target = instant.checked_add_signed(by).unwrap_or(end);
        if self.stop_at_events
            && let Some(e) = next_event.filter(|e| *e > instant && *e <= target.min(end))
        {
            return Advance {
                instant: e,
                playing: false,
            };
        }
        if target < end {
            return Advance {
                instant: target,
                playing: true,
            };
        }
        if self.looping {
            Advance {
                instant: start,
                playing: true,
            }
        } else {
            Advance {
                instant: end,
                playing: false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> DateTime<Utc> {
        text.parse().expect("time")
    }

    fn span() -> (DateTime<Utc>, DateTime<Utc>) {
        (t("2016-02-26T00:00:00Z"), t("2016-05-09T00:00:00Z"))
    }

    fn playing(speed: Speed) -> Playback {
        Playback {
            playing: true,
            speed,
            ..Playback::default()
        }
    }

    const TENTH: std::time::Duration = std::time::Duration::from_millis(100);

    #[test]
    fn each_tick_moves_the_instant_by_the_speed_times_the_real_time() {
        let from = t("2016-05-01T09:00:00Z");
        let mut at = from;
        for _ in 0..10 {
            at = playing(Speed::SixHoursPerSecond)
                .advance(at, TENTH, span(), None)
                .instant;
        }
        assert_eq!(
            at - from,
            Duration::hours(6),
            "ten tenths of a second: six hours"
        );
        let day = playing(Speed::DayPerSecond).advance(from, TENTH, span(), None);
        assert_eq!(day.instant - from, Duration::minutes(144));
        let paused = Playback::default().advance(from, TENTH, span(), None);
        assert_eq!(paused.instant, from);
    }

    #[test]
    fn with_stop_at_events_it_pauses_on_the_next_event_and_goes_on_past_it() {
        let p = Playback {
            stop_at_events: true,
            ..playing(Speed::DayPerSecond)
        };
        let from = t("2016-05-01T09:00:00Z");
        let event = t("2016-05-01T10:00:00Z");
        let stopped = p.advance(from, TENTH, span(), Some(event));
        assert_eq!(
            stopped,
            Advance {
                instant: event,
                playing: false
            }
        );
        // Played again from the event, it does not stop on it a second time.
        let on = p.advance(event, TENTH, span(), Some(t("2016-05-03T00:00:00Z")));
        assert!(on.playing && on.instant > event);
        let without = playing(Speed::DayPerSecond).advance(from, TENTH, span(), Some(event));
        assert!(
            without.playing && without.instant > event,
            "not asked: it plays through"
        );
    }

    #[test]
    fn at_the_end_it_stops_or_starts_again() {
        let near_end = span().1 - Duration::minutes(5);
        let stop = playing(Speed::DayPerSecond).advance(near_end, TENTH, span(), None);
        assert_eq!(
            stop,
            Advance {
                instant: span().1,
                playing: false
            }
        );
        let looping = Playback {
            looping: true,
            ..playing(Speed::DayPerSecond)
        };
        let again = looping.advance(near_end, TENTH, span(), None);
        assert_eq!(
            again,
            Advance {
                instant: span().0,
                playing: true
            }
        );
    }

    #[test]
    fn a_stall_counts_as_a_quarter_second_at_most_and_time_arithmetic_never_overflows() {
        let from = t("2016-05-01T09:00:00Z");
        let stalled = playing(Speed::DayPerSecond).advance(
            from,
            std::time::Duration::from_secs(3600),
            span(),
            None,
        );
        assert_eq!(stalled.instant - from, Duration::hours(6));
        let edge = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        let last = playing(Speed::DayPerSecond).advance(edge.1, TENTH, edge, None);
        assert_eq!(
            last,
            Advance {
                instant: edge.1,
                playing: false
            }
        );
    }
}
