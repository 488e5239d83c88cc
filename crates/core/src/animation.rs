//! An exported animation's plan: the instants it pictures (from, to, by a step), its format and
//! how long each picture is shown. Pure: the app draws the pictures and its encoder
//! (`truce_atlas::ui::encode`) writes them.
//!
//! The plan is checked before anything is drawn, so a wrong flag costs nothing: the step must be
//! a whole number of minutes, hours or days, the range must run forward, and the number of
//! pictures is capped (each is a whole window's worth of pixels).

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use thiserror::Error;

/// The most pictures one animation holds: at 1400x900 that is about 2.5 GB of pixels passed
/// through the encoder, and a file no article would embed.
pub const MAX_FRAMES: usize = 1_000;

/// How long each picture is shown unless asked otherwise.
pub const DEFAULT_DELAY_MS: u16 = 500;

/// The longest a picture may be shown (the GIF format counts in hundredths of a second).
pub const MAX_DELAY_MS: u16 = 60_000;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlanError {
    #[error(
        "--step `{0}`: expected a whole number followed by m, h or d (minutes, hours, days), e.g. 6h or 1d"
    )]
    Step(String),
    #[error("--step must be at least one minute")]
    ZeroStep,
    #[error("--to ({to}) is before --from ({from})")]
    Backwards { from: String, to: String },
    #[error(
        "{count} pictures from --from to --to by this step; the limit is {MAX_FRAMES} (use a longer step or a shorter range)"
    )]
    TooMany { count: u128 },
    #[error("--delay must be between 10 and {MAX_DELAY_MS} milliseconds")]
    Delay,
    #[error(
        "--format: cannot tell the format from `{0}`; name the file .gif or .png, or give --format gif|apng"
    )]
    UnknownFormat(String),
}

/// The file format of an animation.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
pub enum Format {
    /// Animated GIF: opens everywhere, 256 colours per picture.
    #[default]
    Gif,
    /// Animated PNG: every colour exactly, opens in browsers and most viewers.
    Apng,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Gif => "gif",
            Format::Apng => "png",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Gif => "GIF",
            Format::Apng => "APNG",
        }
    }

    /// The format a file name asks for: `.gif` or `.png`/`.apng` (any case).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "gif" => Some(Format::Gif),
            "png" | "apng" => Some(Format::Apng),
            _ => None,
        }
    }

    /// The format given, else the one the file name asks for.
    pub fn choose(given: Option<Format>, path: &Path) -> Result<Format, PlanError> {
        given
            .or_else(|| Format::from_path(path))
            .ok_or_else(|| PlanError::UnknownFormat(path.display().to_string()))
    }
}

/// A step between pictures, e.g. `6h`, `1d`, `30m`.
pub fn parse_step(text: &str) -> Result<TimeDelta, PlanError> {
    let text = text.trim();
    let bad = || PlanError::Step(text.to_string());
    let unit_at = text.len().checked_sub(1).ok_or_else(bad)?;
    let (number, unit) = text.split_at(unit_at);
    // Digits only: a sign or a fraction is not a step.
    let n: u32 = number.trim().parse().map_err(|_| bad())?;
    let n = i64::from(n);
    let step = match unit.to_ascii_lowercase().as_str() {
        "m" => TimeDelta::try_minutes(n),
        "h" => TimeDelta::try_hours(n),
        "d" => TimeDelta::try_days(n),
        _ => None,
    }
    .ok_or_else(bad)?;
    if step < TimeDelta::minutes(1) {
        return Err(PlanError::ZeroStep);
    }
    Ok(step)
}

/// The step in the words `parse_step` reads back (the largest whole unit).
pub fn step_text(step: TimeDelta) -> String {
    let minutes = step.num_minutes();
    if minutes % (24 * 60) == 0 {
        format!("{}d", minutes / (24 * 60))
    } else if minutes % 60 == 0 {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}m")
    }
}

/// What an animation pictures and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub instants: Vec<DateTime<Utc>>,
    pub step: TimeDelta,
    pub format: Format,
    /// How long each picture is shown, in milliseconds.
    pub delay_ms: u16,
    /// A story pictured step by step instead of instants (`export story`).
    pub story: Option<StoryPlan>,
}

/// A story's pictures: one per step, each shown as long as its text needs in an animation;
/// with `page`, written as picture files beside that web page instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryPlan {
    pub delays_ms: Vec<u16>,
    /// `index.html`, and the picture files' names in step order.
    pub page: Option<(String, Vec<String>)>,
}

impl Plan {
    /// Every instant from `from` to `to` by `step`, both ends included (the last picture is `to`
    /// itself even where the step does not land on it, so the range asked for is the range
    /// shown).
    pub fn new(
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        step: TimeDelta,
        format: Format,
        delay_ms: u16,
    ) -> Result<Plan, PlanError> {
        if step < TimeDelta::minutes(1) {
            return Err(PlanError::ZeroStep);
        }
        if to < from {
            return Err(PlanError::Backwards {
                from: from.to_rfc3339(),
                to: to.to_rfc3339(),
            });
        }
        if !(10..=MAX_DELAY_MS).contains(&delay_ms) {
            return Err(PlanError::Delay);
        }
        // Counted before anything is made: a range of years by the minute is refused at once.
        let span = (to - from).num_milliseconds().unsigned_abs();
        let per = step.num_milliseconds().unsigned_abs().max(1);
        let count = u128::from(span / per) + 1 + u128::from(!span.is_multiple_of(per));
        if count > MAX_FRAMES as u128 {
            return Err(PlanError::TooMany { count });
        }
        let mut instants = Vec::with_capacity(count as usize);
        let mut t = from;
        while t < to {
            instants.push(t);
            match t.checked_add_signed(step) {
                Some(next) => t = next,
                None => break,
            }
        }
        instants.push(to);
        Ok(Plan {
            instants,
            step,
            format,
            delay_ms,
            story: None,
        })
    }

    /// A story's steps, one picture each: an animation (`page` `None`) or a web page's pictures.
    pub fn story(
        story: &crate::model::Story,
        format: Format,
        page: Option<crate::publish::StoryPage>,
    ) -> Plan {
        Plan {
            instants: story.steps.iter().map(|s| s.at).collect(),
            step: TimeDelta::zero(),
            format,
            delay_ms: 0,
            story: Some(StoryPlan {
                delays_ms: story
                    .steps
                    .iter()
                    .map(crate::publish::step_delay_ms)
                    .collect(),
                page: page.map(|p| (p.html, p.pictures)),
            }),
        }
    }

    /// How long picture `k` is shown, in milliseconds.
    pub fn delay_of(&self, k: usize) -> u16 {
        match &self.story {
            Some(s) => s.delays_ms.get(k).copied().unwrap_or(self.delay_ms),
            None => self.delay_ms,
        }
    }

    pub fn len(&self) -> usize {
        self.instants.len()
    }

    pub fn is_empty(&self) -> bool {
        self.instants.is_empty()
    }
}

/// What a user asked for, as typed (the command line's flags, or the app's dialog fields).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub from: Option<String>,
    pub to: Option<String>,
    /// Default `1d`.
    pub step: Option<String>,
    /// Default: from the file name.
    pub format: Option<Format>,
    /// Default [`DEFAULT_DELAY_MS`].
    pub delay_ms: Option<u16>,
}

impl Request {
    /// The plan: both ends read in the dataset's time zone (or with their offset) and inside its
    /// span, the step, the format (given, or from the file name), the delay. Err: what is
    /// wrong, in words naming the flag.
    pub fn plan(&self, engine: &crate::engine::Engine, output: &Path) -> Result<Plan, String> {
        let (lo, hi) = engine.span();
        let tz = engine.dataset().meta.timezone;
        let inside = |flag: &str, text: Option<&str>| -> Result<DateTime<Utc>, String> {
            let text = text.ok_or_else(|| format!("--{flag} TIME is required"))?;
            let t =
                crate::timefmt::parse_user_time(text, tz).map_err(|e| format!("--{flag}: {e}"))?;
            if t < lo || t > hi {
                return Err(format!(
                    "--{flag} {text} is outside the dataset's time span, {} to {}",
                    lo.with_timezone(&tz).to_rfc3339(),
                    hi.with_timezone(&tz).to_rfc3339()
                ));
            }
            Ok(t)
        };
        let from = inside("from", self.from.as_deref())?;
        let to = inside("to", self.to.as_deref())?;
        let step = parse_step(self.step.as_deref().unwrap_or("1d")).map_err(|e| e.to_string())?;
        let format = Format::choose(self.format, output).map_err(|e| e.to_string())?;
        Plan::new(
            from,
            to,
            step,
            format,
            self.delay_ms.unwrap_or(DEFAULT_DELAY_MS),
        )
        .map_err(|e| e.to_string())
    }
}

/// How far an export has come, for a progress bar or a terminal line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Pictures drawn and handed to the encoder.
    pub done: usize,
    pub total: usize,
}

impl Progress {
    pub fn fraction(self) -> f32 {
        if self.total == 0 {
            1.0
        } else {
            self.done as f32 / self.total as f32
        }
    }

    /// "picture 3 of 29": the words of a progress bar and the terminal's line.
    pub fn text(self) -> String {
        format!("picture {} of {}", self.done, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn may(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2016, 5, day, hour, 0, 0)
            .single()
            .expect("a valid date")
    }

    #[test]
    fn steps_are_read_in_minutes_hours_and_days() {
        assert_eq!(parse_step("6h"), Ok(TimeDelta::hours(6)));
        assert_eq!(parse_step("1d"), Ok(TimeDelta::days(1)));
        assert_eq!(parse_step("30m"), Ok(TimeDelta::minutes(30)));
        assert_eq!(parse_step(" 2D "), Ok(TimeDelta::days(2)));
        for bad in ["", "h", "6", "6w", "-1d", "1.5h", "9999999999999999d"] {
            assert!(
                matches!(parse_step(bad), Err(PlanError::Step(_))),
                "{bad:?} was read"
            );
        }
        assert_eq!(parse_step("0h"), Err(PlanError::ZeroStep));
    }

    #[test]
    fn a_step_is_written_back_in_its_largest_whole_unit() {
        for text in ["6h", "1d", "30m", "90m", "36h"] {
            let step = parse_step(text).expect("a step");
            assert_eq!(parse_step(&step_text(step)), Ok(step));
        }
        assert_eq!(step_text(TimeDelta::hours(48)), "2d");
        assert_eq!(step_text(TimeDelta::minutes(90)), "90m");
    }

    #[test]
    fn one_to_eight_may_by_six_hours_is_twenty_nine_pictures_ending_on_the_last_instant() {
        let plan =
            Plan::new(may(1, 0), may(8, 0), TimeDelta::hours(6), Format::Gif, 500).expect("a plan");
        assert_eq!(plan.len(), 29);
        assert_eq!(plan.instants[0], may(1, 0));
        assert_eq!(plan.instants[1], may(1, 6));
        assert_eq!(plan.instants.last(), Some(&may(8, 0)));
    }

    #[test]
    fn the_last_picture_is_the_end_even_off_the_step() {
        let plan =
            Plan::new(may(1, 0), may(2, 5), TimeDelta::days(1), Format::Gif, 500).expect("a plan");
        assert_eq!(plan.instants, vec![may(1, 0), may(2, 0), may(2, 5)]);
        let one =
            Plan::new(may(1, 0), may(1, 0), TimeDelta::days(1), Format::Gif, 500).expect("a plan");
        assert_eq!(one.instants, vec![may(1, 0)]);
    }

    #[test]
    fn a_backwards_range_or_too_many_pictures_is_refused_before_anything_is_made() {
        assert!(matches!(
            Plan::new(may(8, 0), may(1, 0), TimeDelta::hours(6), Format::Gif, 500),
            Err(PlanError::Backwards { .. })
        ));
        let far = Utc
            .with_ymd_and_hms(9000, 1, 1, 0, 0, 0)
            .single()
            .expect("a valid date");
        assert!(matches!(
            Plan::new(may(1, 0), far, TimeDelta::minutes(1), Format::Gif, 500),
            Err(PlanError::TooMany { .. })
        ));
        assert_eq!(
            Plan::new(may(1, 0), may(2, 0), TimeDelta::hours(1), Format::Gif, 5),
            Err(PlanError::Delay)
        );
    }

    #[test]
    fn the_format_comes_from_the_flag_or_else_the_file_name() {
        let gif = Path::new("out/May.GIF");
        let png = Path::new("a.png");
        assert_eq!(Format::choose(None, gif), Ok(Format::Gif));
        assert_eq!(Format::choose(None, png), Ok(Format::Apng));
        assert_eq!(Format::choose(Some(Format::Gif), png), Ok(Format::Gif));
        assert!(Format::choose(None, Path::new("movie.mp4")).is_err());
    }
}
