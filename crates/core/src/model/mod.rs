//! The dataset as the rest of the program sees it: validated, typed, indexed by position.
//!
//! Everything here has been through [`crate::load`], so ids resolve, times parse and geometry
//! is a valid polygon. References between records are indices into the dataset's vectors, so
//! the engine never looks an id up by string on a hot path.

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use geo::MultiPolygon;
pub use strum::VariantArray;

pub mod incidents;
pub mod story;
pub use incidents::IncidentSet;
pub use story::Story;

/// How exactly a time is known. Ordered from finest to coarsest, so `max` gives the coarser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, VariantArray)]
pub enum Precision {
    Minute,
    Hour,
    Day,
    /// "Late on Friday", "late April": a best placement, not a reading of a clock.
    Approximate,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Minute => "minute",
            Precision::Hour => "hour",
            Precision::Day => "day",
            Precision::Approximate => "approximate",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::VARIANTS.iter().copied().find(|p| p.as_str() == text)
    }
}

/// What an event says happened. The status engine gives each kind its meaning; see
/// `data/FORMAT.md` for the prose version that dataset authors read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, VariantArray)]
pub enum EventKind {
    /// A truce, lull or cessation takes effect in the zones (optionally with an end or duration).
    TruceStart,
    /// The instrument's run in the zones is extended (by a duration, or to a time).
    Extension,
    /// A claim about when the instrument ends in the zones; disagreeing claims make it contested.
    ScheduledEnd,
    /// The instrument is reported to have broken down in the zones.
    Breakdown,
    /// The zones are left out of the instrument, which is in force elsewhere.
    Exclusion,
    /// Talks are under way to bring the zones under a truce.
    Talks,
    /// A party rejects the instrument or says it is not holding in the zones.
    Dispute,
    /// A party says the instrument is holding in the zones.
    Affirmation,
    /// Context for the chronology; changes no status.
    Statement,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::TruceStart => "truce_start",
            EventKind::Extension => "extension",
            EventKind::ScheduledEnd => "scheduled_end",
            EventKind::Breakdown => "breakdown",
            EventKind::Exclusion => "exclusion",
            EventKind::Talks => "talks",
            EventKind::Dispute => "dispute",
            EventKind::Affirmation => "affirmation",
            EventKind::Statement => "statement",
        }
    }

    /// A short human label for lists and tooltips.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::TruceStart => "Truce takes effect",
            EventKind::Extension => "Extension",
            EventKind::ScheduledEnd => "Stated end",
            EventKind::Breakdown => "Breakdown",
            EventKind::Exclusion => "Exclusion",
            EventKind::Talks => "Talks",
            EventKind::Dispute => "Dispute",
            EventKind::Affirmation => "Said to hold",
            EventKind::Statement => "Statement",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::VARIANTS.iter().copied().find(|k| k.as_str() == text)
    }

    /// Kinds that need an instrument to mean anything.
    pub fn needs_instrument(self) -> bool {
        matches!(
            self,
            EventKind::TruceStart
                | EventKind::Extension
                | EventKind::ScheduledEnd
                | EventKind::Breakdown
                | EventKind::Exclusion
                | EventKind::Dispute
                | EventKind::Affirmation
        )
    }
}

/// The truce status of a zone at an instant. Derived by the engine, never typed by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, VariantArray)]
pub enum Status {
    InEffect,
    Negotiating,
    Excluded,
    Collapsed,
    #[default]
    Unknown,
}

impl Status {
    /// The stable machine word, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InEffect => "in_effect",
            Status::Negotiating => "negotiating",
            Status::Excluded => "excluded",
            Status::Collapsed => "collapsed",
            Status::Unknown => "unknown",
        }
    }

    /// The word people read, wherever the status is shown: map labels, legend, lists.
    pub fn label(self) -> &'static str {
        match self {
            Status::InEffect => "In effect",
            Status::Negotiating => "Negotiating",
            Status::Excluded => "Excluded",
            Status::Collapsed => "Collapsed",
            Status::Unknown => "Unknown",
        }
    }
}

/// An instant together with how exactly it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub time: DateTime<FixedOffset>,
    pub precision: Precision,
}

impl Moment {
    pub fn utc(&self) -> DateTime<Utc> {
        self.time.with_timezone(&Utc)
    }
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub name: String,
    pub description: String,
    pub timezone: Tz,
    /// The instant the app opens on; the engine falls back to the first event.
    pub default_instant: Option<DateTime<FixedOffset>>,
    /// The last instant the reports speak for; by default the end of the local day of the
    /// latest publication. Past it a status is "as last reported".
    pub reports_until: Option<DateTime<FixedOffset>>,
    pub attribution: String,
    /// The groups that events' actors belong to ("Russian officials"), for filters.
    pub sides: Vec<Side>,
    /// Incident files (ACLED or UCDP CSV) named in dataset.json's `incidents`, by their names
    /// beside the dataset, read with it.
    pub incident_files: Vec<String>,
}

/// A group of actors declared in `dataset.json` (e.g. "Russian officials"): events name theirs
/// in `side`, so that a reader can ask what one side says. `actor` stays free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Zone {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// True where the outline is drawn by hand rather than taken from an authority.
    pub approximate: bool,
    pub geometry_source: String,
    /// The codes of the areas it stands for (`admin_code`), empty when it has none. Kept when a
    /// drawn outline wins, so that a dataset converted to another format says the same.
    pub admin_codes: Vec<String>,
    /// Whether `geometry` is the codes' areas' outline (no outline was drawn).
    pub outline_by_code: bool,
    pub geometry: MultiPolygon<f64>,
}

/// A labelled point for the map (cities, towns).
#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub kind: String,
    pub lon: f64,
    pub lat: f64,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub outlet: String,
    pub headline: String,
    /// Publication day (or instant) in the dataset's time zone, with its precision.
    pub published: Moment,
    /// Free text on how the date was read, e.g. "inferred from 'on Sunday, May 1'".
    pub published_note: String,
    pub url: Option<String>,
    pub sha256: Option<String>,
    /// The archived text's file name, for `verify` when no hash matches.
    pub archive_file: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Instrument {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Citation {
    pub source: usize,
    pub quote: String,
    /// Who is speaking in the quote, when it is not the outlet's own reporting.
    pub speaker: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub moment: Moment,
    /// The time as the reports phrase it ("late on Friday"), for display beside the instant.
    pub as_reported: Option<String>,
    pub kind: EventKind,
    pub zones: Vec<usize>,
    pub actor: String,
    /// The actor's group, an index into `meta.sides`.
    pub side: Option<usize>,
    pub instrument: Option<usize>,
    pub until: Option<Moment>,
    /// Whole hours, so that "24 hours" stays exactly 24 hours.
    pub duration_hours: Option<u32>,
    pub citations: Vec<Citation>,
    pub note: Option<String>,
    /// When the event was first reported: its earliest source's publication.
    pub reported: DateTime<Utc>,
}

impl Event {
    pub fn concerns(&self, zone: usize) -> bool {
        self.zones.contains(&zone)
    }

    /// Whether the event had been reported by `known_on` ("as known on"; everything is known
    /// without one). The one place this rule is written.
    pub fn known_by(&self, known_on: Option<DateTime<Utc>>) -> bool {
        known_on.is_none_or(|k| self.reported <= k)
    }
}

#[derive(Debug, Clone)]
pub struct Dataset {
    pub meta: Meta,
    pub zones: Vec<Zone>,
    pub places: Vec<Place>,
    pub sources: Vec<Source>,
    pub instruments: Vec<Instrument>,
    /// Sorted by time; events at the same instant keep their file order.
    pub events: Vec<Event>,
    /// The dataset's own incidents and aggregate reports (`incidents.json`), empty without one.
    pub incidents: std::sync::Arc<IncidentSet>,
    /// The dataset's story (`story.json`), if it has one.
    pub story: Option<Story>,
    /// What the loader read past without it being an error ("zones.geojson: ignored member
    /// `crs`"), for `validate` to list.
    pub notes: Vec<String>,
}

impl Dataset {
    pub fn zone_index(&self, id: &str) -> Option<usize> {
        self.zones.iter().position(|z| z.id == id)
    }

    pub fn event_index(&self, id: &str) -> Option<usize> {
        self.events.iter().position(|e| e.id == id)
    }
}

/// Which event kinds the lanes and the event list show. A display choice only: every status
/// still counts every kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Kinds(u16);

impl Default for Kinds {
    fn default() -> Self {
        Kinds::ALL
    }
}

impl Kinds {
    pub const ALL: Kinds = Kinds((1 << EventKind::VARIANTS.len()) - 1);

    fn bit(kind: EventKind) -> u16 {
        let i = EventKind::VARIANTS
            .iter()
            .position(|&k| k == kind)
            .unwrap_or_default();
        1 << i
    }

    pub fn shows(self, kind: EventKind) -> bool {
        self.0 & Self::bit(kind) != 0
    }

    /// These kinds with `kind` shown or hidden.
    pub fn with(self, kind: EventKind, shown: bool) -> Kinds {
        if shown {
            Kinds(self.0 | Self::bit(kind))
        } else {
            Kinds(self.0 & !Self::bit(kind))
        }
    }

    /// `--hide-kinds`' value for these kinds ("statement,talks"), `None` with every kind shown.
    pub fn hidden_flag(self) -> Option<String> {
        let hidden: Vec<&str> = EventKind::VARIANTS
            .iter()
            .filter(|&&k| !self.shows(k))
            .map(|k| k.as_str())
            .collect();
        (!hidden.is_empty()).then(|| hidden.join(","))
    }

    /// Reads `--hide-kinds statement,talks`: every kind shown but those.
    pub fn hiding(list: &str) -> Result<Kinds, String> {
        list.split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .try_fold(Kinds::ALL, |kinds, k| match EventKind::parse(k) {
                Some(kind) => Ok(kinds.with(kind, false)),
                None => {
                    let all: Vec<&str> = EventKind::VARIANTS.iter().map(|k| k.as_str()).collect();
                    Err(format!(
                        "--hide-kinds: \"{k}\" is not a kind of event; the kinds are {}",
                        all.join(", ")
                    ))
                }
            })
    }

    /// How many kinds are shown (of [`EventKind::VARIANTS`]).
    pub fn count(self) -> usize {
        (self.0 & Self::ALL.0).count_ones() as usize
    }
}

/// What stretch of time the slider and the lanes show.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    strum::VariantArray,
)]
pub enum Window {
    /// The dataset's whole span.
    #[default]
    All,
    TwoWeeks,
    TwoDays,
}

impl Window {
    pub fn label(self) -> &'static str {
        match self {
            Window::All => "All",
            Window::TwoWeeks => "2 weeks",
            Window::TwoDays => "2 days",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Window::All => "Time axis: the dataset's whole span",
            Window::TwoWeeks => "Time axis: two weeks around the instant",
            Window::TwoDays => "Time axis: two days around the instant",
        }
    }

    pub fn length(self) -> Option<chrono::Duration> {
        match self {
            Window::All => None,
            Window::TwoWeeks => Some(chrono::Duration::days(14)),
            Window::TwoDays => Some(chrono::Duration::days(2)),
        }
    }

    /// Every window, in menu order.
    pub fn all() -> &'static [Window] {
        Self::VARIANTS
    }
}
