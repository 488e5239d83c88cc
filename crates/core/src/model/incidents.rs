//! Incidents: what violence was reported, a second kind of record beside the events. They never
//! change a status nor move the evidence horizon; they are counted against the statuses (see
//! `crate::incidents`). Two kinds are kept apart: an [`Incident`] (one attack, clash or strike,
//! as a coder such as ACLED or UCDP records it, or as a report describes it) and an
//! [`AggregateReport`] (a total a source states over a period and an area, never added up).

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use super::{Citation, Precision};

/// Deaths as a source gives them. Each figure may be missing; none is ever invented (a source
/// that says "more than 50" gives a low of 51 and no best).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fatalities {
    pub low: Option<u32>,
    pub best: Option<u32>,
    pub high: Option<u32>,
}

impl Fatalities {
    /// The figure a mark is sized by: the best estimate, else the low one.
    pub fn size(&self) -> Option<u32> {
        self.best.or(self.low)
    }
}

/// When an incident happened, as exactly as its source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// An instant read to the minute or the hour.
    Instant(DateTime<FixedOffset>, Precision),
    /// A local day.
    Day(NaiveDate),
    /// Local days, the first to the last, both included.
    Period(NaiveDate, NaiveDate),
}

/// The stretch of time an incident or report covers, half-open: `[start, end)`, in seconds
/// since 1970 (UTC). A day covers its local day; a period, its first day to the day after its
/// last (data/FORMAT.md, "Counting incidents").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

impl Span {
    /// Whether the span meets `[from, to)` (`to` `None`: open-ended).
    pub fn overlaps(&self, from: Option<i64>, to: Option<i64>) -> bool {
        from.is_none_or(|f| self.end > f) && to.is_none_or(|t| self.start < t)
    }

    /// Whether the span lies wholly inside `[from, to)`.
    pub fn within(&self, from: Option<i64>, to: Option<i64>) -> bool {
        from.is_none_or(|f| self.start >= f) && to.is_none_or(|t| self.end <= t)
    }
}

/// How much a point says about where: an exact place, or a whole province or country that the
/// coder put at a point inside it. A wide point is placed only in zones that are such an area
/// (by `admin_code`), never in a smaller zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    Exact,
    Province,
    Country,
}

/// Where an incident happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Where {
    Point {
        lon: f64,
        lat: f64,
        reach: Reach,
    },
    /// No point is known; the record names zones (indices into the dataset's zones).
    Zones(Box<[u32]>),
}

/// What an incident rests on.
#[derive(Debug, Clone)]
pub enum Basis {
    /// A record of the dataset's `incidents.json`: its quotes, and when it was first reported.
    Cited {
        citations: Vec<Citation>,
        reported: DateTime<Utc>,
        note: Option<String>,
    },
    /// A row of an imported file (ACLED, UCDP): no quote and no publication date. Its summary
    /// (ACLED's notes, UCDP's source headline) is read from the file when shown, at this byte.
    Row { line: u64, byte: u64 },
}

/// One incident. Words (types, actors, places) are indices into its set's [`IncidentSet::words`]:
/// a million rows name a few hundred actors.
#[derive(Debug, Clone)]
pub struct Incident {
    pub id: Box<str>,
    pub when: When,
    pub span: Span,
    pub place: Where,
    /// Type and sub-type as the source gives them ("Explosions/Remote violence", "Air/drone
    /// strike"; UCDP's type of violence).
    pub kind: u32,
    pub sub_kind: u32,
    pub actors: Box<[u32]>,
    /// The place as the source names it ("Aleppo - Bustan al-Qasr"), and its province.
    pub location: u32,
    pub admin1: u32,
    /// Who the coder read ("SOHR; Reuters"), for imported rows.
    pub source: u32,
    pub fatalities: Fatalities,
    pub basis: Basis,
}

impl Incident {
    /// Whether the incident had been reported by `known_on`. Imported rows carry no publication
    /// date: "as known on" does not apply to them (every output says so).
    pub fn known_by(&self, known_on: Option<DateTime<Utc>>) -> bool {
        match &self.basis {
            Basis::Cited { reported, .. } => known_on.is_none_or(|k| *reported <= k),
            Basis::Row { .. } => true,
        }
    }
}

/// A total a source states over a period and an area ("More than a week of fighting in Aleppo
/// has killed several hundred civilians"): shown beside the counts, never added to them.
#[derive(Debug, Clone)]
pub struct AggregateReport {
    pub id: String,
    pub when: When,
    pub span: Span,
    /// How the source gives the period ("more than a week"), if it does in words.
    pub period_as_reported: Option<String>,
    /// Indices into the dataset's zones.
    pub zones: Vec<usize>,
    /// Who the figure counts ("civilians killed").
    pub what: String,
    /// The figure in the source's words ("several hundred").
    pub as_reported: String,
    pub fatalities: Fatalities,
    pub citations: Vec<Citation>,
    pub reported: DateTime<Utc>,
    pub note: Option<String>,
}

/// Where a set of incidents comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetKind {
    /// The dataset's own `incidents.json` (or `incidents` sheet).
    Dataset,
    /// An ACLED CSV export.
    Acled,
    /// A UCDP GED CSV.
    Ucdp,
}

impl SetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SetKind::Dataset => "dataset",
            SetKind::Acled => "acled",
            SetKind::Ucdp => "ucdp",
        }
    }

    /// The credit line the data's terms ask for wherever it is shown (empty for the dataset's
    /// own, whose quotes carry their sources).
    pub fn credit(self) -> &'static str {
        match self {
            SetKind::Dataset => "",
            SetKind::Acled => "Armed Conflict Location & Event Data (ACLED); acleddata.com",
            SetKind::Ucdp => {
                "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program; Sundberg and Melander (2013), Journal of Peace Research 50(4)"
            }
        }
    }

    /// The credit in a few words, for the map's corner (the full line goes everywhere else).
    pub fn short_credit(self) -> &'static str {
        match self {
            SetKind::Dataset => "",
            SetKind::Acled => "ACLED, acleddata.com",
            SetKind::Ucdp => "UCDP GED (Sundberg and Melander 2013)",
        }
    }

    /// What the summary of a row is called: never a quote.
    pub fn summary_label(self) -> &'static str {
        match self {
            SetKind::Dataset => "Quote",
            SetKind::Acled => "ACLED's summary",
            SetKind::Ucdp => "UCDP's source headline",
        }
    }
}

/// A row of an imported file that was skipped, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file's line (1 is the header).
    pub line: u64,
    /// The column's name, empty for the row as a whole.
    pub column: String,
    pub message: String,
}

/// One set of incidents: the dataset's own or one imported file. Two sets are never added
/// together (ACLED and UCDP record many of the same incidents).
#[derive(Debug, Clone)]
pub struct IncidentSet {
    /// `"dataset"`, or the file's name.
    pub name: String,
    pub kind: SetKind,
    /// The file read, for summaries read when shown.
    pub path: Option<PathBuf>,
    /// The set's distinct words; index 0 is the empty word.
    pub words: Vec<String>,
    pub incidents: Vec<Incident>,
    pub reports: Vec<AggregateReport>,
    /// The first skipped rows (up to a limit), and how many were skipped in all.
    pub skipped: Vec<Skipped>,
    pub skipped_total: u64,
    /// The file's length when read, to tell a changed file when a summary is read from it.
    pub file_len: u64,
    /// The column (0-based) holding each row's summary.
    pub summary_column: Option<usize>,
}

impl Default for IncidentSet {
    fn default() -> Self {
        IncidentSet::new("dataset", SetKind::Dataset, None)
    }
}

impl IncidentSet {
    pub fn new(name: &str, kind: SetKind, path: Option<PathBuf>) -> Self {
        IncidentSet {
            name: name.to_string(),
            kind,
            path,
            words: vec![String::new()],
            incidents: Vec::new(),
            reports: Vec::new(),
            skipped: Vec::new(),
            skipped_total: 0,
            file_len: 0,
            summary_column: None,
        }
    }

    pub fn word(&self, i: u32) -> &str {
        self.words.get(i as usize).map_or("", String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.incidents.is_empty() && self.reports.is_empty()
    }
}

/// A set's distinct words while it is read, each stored once.
#[derive(Debug)]
pub struct Words {
    list: Vec<String>,
    index: std::collections::HashMap<String, u32>,
}

impl Default for Words {
    fn default() -> Self {
        Words::new()
    }
}

impl Words {
    /// Index 0 is the empty word.
    pub fn new() -> Self {
        Words {
            list: vec![String::new()],
            index: std::collections::HashMap::from([(String::new(), 0)]),
        }
    }

    /// The word's index, adding it the first time (trimmed).
    pub fn id(&mut self, word: &str) -> u32 {
        let word = word.trim();
        if let Some(&i) = self.index.get(word) {
            return i;
        }
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.list.push(word.to_string());
        self.index.insert(word.to_string(), i);
        i
    }

    pub fn into_list(self) -> Vec<String> {
        self.list
    }
}
