//! Reading and validating a dataset folder.
//!
//! Validation collects every problem it can find rather than stopping at the first, because the
//! people who write datasets by hand fix them in one pass when they see the whole list. Each
//! problem names the file and the place in it (a line and column, and a record path and id).
//!
//! Nothing is dropped silently: every record a file holds is either loaded or named in a
//! problem, and whatever is read past (GeoJSON foreign members, unused properties) is listed as
//! a note. Reads are bounded ([`files`]) and every count and length has a limit ([`limits`]).

pub mod files;
pub mod geojson;
pub mod json;
pub mod limits;

mod events;
mod incidents;
mod meta;
mod report;
pub mod schema;
pub mod sheets;
mod sources;
mod story;
mod times;
pub mod workbook;
mod zones;

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;
use thiserror::Error;

use crate::model::Dataset;
use json::Text;
use report::{Collector, Scope};

pub use files::{DatasetFiles, EmbeddedFiles, FolderFiles};
pub use limits::MAX_FILE_BYTES;
pub use times::{extent, max_time, pad};

/// The files of a dataset folder. `places.geojson` may be absent.
pub const DATASET_FILE: &str = "dataset.json";
pub const ZONES_FILE: &str = "zones.geojson";
pub const SOURCES_FILE: &str = "sources.json";
pub const EVENTS_FILE: &str = "events.json";
pub const PLACES_FILE: &str = "places.geojson";
/// Optional: the dataset's own incidents and aggregate reports.
pub const INCIDENTS_FILE: &str = "incidents.json";
/// Optional: a guided story through the data.
pub const STORY_FILE: &str = "story.json";

/// One thing wrong with a dataset, with enough context to find and fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// Where in the file: "line 3, column 7", or a record path such as `events[2] "id"`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.place, self.message)
        }
    }
}

/// A dataset that could not be loaded, with every problem found.
#[derive(Debug, Clone, Error)]
#[error("{origin}: {} problem{} found", problems.len(), if problems.len() == 1 { "" } else { "s" })]
pub struct DatasetError {
    /// The folder (or "embedded default dataset").
    pub origin: String,
    pub problems: Vec<Problem>,
}

impl DatasetError {
    /// The summary line followed by one problem per line, as the CLI prints it.
    pub fn report(&self) -> String {
        let mut out = format!("{self}\n");
        for p in &self.problems {
            out.push_str(&format!("  {p}\n"));
        }
        out
    }

    /// An error about the dataset as a whole, in one file.
    pub fn single(origin: impl Into<String>, file: &str, place: &str, message: &str) -> Self {
        DatasetError {
            origin: origin.into(),
            problems: vec![Problem {
                file: file.into(),
                place: place.into(),
                message: message.into(),
            }],
        }
    }
}

pub fn load_folder(dir: &Path) -> Result<Dataset, DatasetError> {
    let not_a_dataset = |why: &str| {
        DatasetError::single(
            dir.display().to_string(),
            &dir.display().to_string(),
            "",
            &format!(
                "{why} (a dataset is a folder holding dataset.json, zones.geojson, sources.json and events.json)"
            ),
        )
    };
    if !dir.is_dir() {
        return Err(not_a_dataset("is not a folder"));
    }
    let files = FolderFiles::new(dir).map_err(|e| not_a_dataset(&e))?;
    load(&files)
}

/// Loads a dataset from wherever it is on disk: a JSON folder, a folder of CSV files, or an
/// `.xlsx` or `.ods` workbook.
pub fn load_path(path: &Path) -> Result<Dataset, DatasetError> {
    use workbook::Layout;
    let origin = path.display().to_string();
    match workbook::layout(path) {
        Ok(Layout::Json) => load_folder(path),
        Ok(Layout::Csv) => workbook::load_csv_folder(path),
        Ok(Layout::Workbook) => workbook::load_workbook(path),
        Err(why) => Err(DatasetError::single(
            origin.clone(),
            &origin,
            "",
            &format!(
                "{why} (a dataset is a folder of JSON or CSV files, or an .xlsx or .ods workbook)"
            ),
        )),
    }
}

pub fn load_embedded() -> Result<Dataset, DatasetError> {
    load(&EmbeddedFiles)
}

/// Ids present in the zones and sources files, even of records that are themselves broken,
/// for reference checks. `None` when the whole file failed, so its references go unchecked
/// rather than burying the one real error under a hundred "unknown id" lines.
pub(crate) struct KnownIds {
    zones: Option<HashSet<String>>,
    sources: Option<HashSet<String>>,
}

/// Loads and validates a dataset. Returns every problem found, or the dataset with its events
/// sorted by time.
pub fn load(files: &dyn DatasetFiles) -> Result<Dataset, DatasetError> {
    load_with(files, None)
}

/// [`load`], with the events given as records instead of read from events.json (a
/// spreadsheet's rows: the same rules, without writing and reading JSON in between).
pub(in crate::load) fn load_with(
    files: &dyn DatasetFiles,
    records: Option<events::EventRecords>,
) -> Result<Dataset, DatasetError> {
    let mut c = Collector::default();
    let meta = with_text(files, DATASET_FILE, true, &mut c, meta::read).flatten();
    let tz = meta.as_ref().map(|m| m.timezone);
    let (zones, zone_ids) = match with_text(files, ZONES_FILE, true, &mut c, zones::read_zones) {
        Some((zones, ids)) => (zones, ids),
        None => (Vec::new(), None),
    };
    let places =
        with_text(files, PLACES_FILE, false, &mut c, zones::read_places).unwrap_or_default();
    let read_sources = |text: &Text<'_>, c: &mut Collector| sources::read(text, tz, c);
    let (sources, source_ids) = match with_text(files, SOURCES_FILE, true, &mut c, read_sources) {
        Some((sources, ids)) => (sources, ids),
        None => (Vec::new(), None),
    };
    let known = KnownIds {
        zones: zone_ids,
        sources: source_ids,
    };
    let sides = meta.as_ref().map(|m| m.sides.as_slice());
    let (instruments, events) = match records {
        Some(records) => events::read_records(records, tz, &zones, &sources, sides, &known, &mut c),
        None => {
            let read_events = |text: &Text<'_>, c: &mut Collector| {
                events::read(text, tz, &zones, &sources, sides, &known, c)
            };
            with_text(files, EVENTS_FILE, true, &mut c, read_events).unwrap_or_default()
        }
    };
    let read_incidents =
        |text: &Text<'_>, c: &mut Collector| incidents::read(text, tz, &zones, &sources, &known, c);
    let incidents =
        with_text(files, INCIDENTS_FILE, false, &mut c, read_incidents).unwrap_or_default();
    let against = story::Against {
        meta: meta.as_ref(),
        zones: &zones,
        sources: &sources,
        events: &events,
    };
    let read_story = |text: &Text<'_>, c: &mut Collector| story::read(text, &against, c);
    // The story names every other file's records: it is read once they load, so that one
    // broken file is one list of problems, not a cascade of unknown ids in the story too.
    let story = if c.problems.is_empty() {
        with_text(files, STORY_FILE, false, &mut c, read_story).flatten()
    } else {
        None
    };
    c.finish();
    match meta {
        Some(meta) if c.problems.is_empty() => Ok(Dataset {
            meta,
            zones,
            places,
            sources,
            instruments,
            events,
            incidents: std::sync::Arc::new(incidents),
            story,
            notes: c.notes.iter().map(Problem::to_string).collect(),
        }),
        _ => Err(DatasetError {
            origin: files.origin(),
            problems: c.problems,
        }),
    }
}

/// Reads a file as strict JSON text and hands it to `read`. Missing, unreadable, empty,
/// non-UTF-8, malformed and duplicate-member files become problems; `None` means the file could
/// not be used at all.
fn with_text<T>(
    files: &dyn DatasetFiles,
    name: &'static str,
    required: bool,
    c: &mut Collector,
    read: impl FnOnce(&Text<'_>, &mut Collector) -> T,
) -> Option<T> {
    let bytes = match files.read(name) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            if required {
                c.add(name, "", "file is missing");
            }
            return None;
        }
        Err(message) => {
            c.add(name, "", message);
            return None;
        }
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        c.add(name, "", "file is empty");
        return None;
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = Text::new(valid).line_column(valid.len());
            c.add(
                name,
                format!("line {line}, column {column}"),
                "not UTF-8 text (byte sequence invalid here); save the file as UTF-8",
            );
            return None;
        }
    };
    let text = Text::new(text.strip_prefix('\u{feff}').unwrap_or(text));
    // serde_json refuses nesting deeper than 128 levels, which covers "absurdly deep" input
    // without a stack overflow.
    if let Err((place, message)) = json::check(&text) {
        c.add(name, place, message);
        return None;
    }
    Some(read(&text, c))
}

/// Parses a file's top-level object into `T` (whose unknown members are errors).
fn top<'a, T: Deserialize<'a>>(
    text: &Text<'a>,
    file: &'static str,
    c: &mut Collector,
) -> Option<T> {
    match serde_json::from_str::<T>(text.text) {
        Ok(top) => Some(top),
        Err(e) => {
            c.add(file, text.place_in(text.text, &e), json::message(&e));
            None
        }
    }
}

/// Refuses a list longer than its limit, before any record of it is read.
fn within_count(n: usize, max: usize, what: &str, file: &'static str, c: &mut Collector) -> bool {
    if n > max {
        c.add(
            file,
            "",
            format!("the file holds {n} {what}; the limit is {max} (see data/FORMAT.md)"),
        );
    }
    n <= max
}

/// A record with an id, to name it in messages.
trait Record {
    fn id(&self) -> &str;
}

/// Parses the i-th record of an array: on success, the record and a scope for its problems,
/// placed as `events[3] "aleppo-truce" (line 40)`.
fn parse_record<'a, 'c, T: Deserialize<'a> + Record>(
    text: &Text<'_>,
    file: &'static str,
    array: &str,
    i: usize,
    raw: &'a RawValue,
    c: &'c mut Collector,
) -> Option<(T, Scope<'c>)> {
    /// Only to name a record that failed to parse: other members are not looked at.
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    match json::record::<T>(text, raw) {
        Ok(record) => {
            let line = text.line_of(text.offset_of(raw.get()));
            let place = record_place(array, i, Some(record.id()));
            Some((record, c.scope(file, place, Some(line))))
        }
        Err((place, message)) => {
            let id = serde_json::from_str::<IdOnly>(raw.get())
                .ok()
                .and_then(|r| r.id);
            let at = record_place(array, i, id.as_deref());
            c.add(file, format!("{at} ({place})"), message);
            None
        }
    }
}

/// `events[3] "aleppo-truce"`, or `events[3]` when the id is missing or unusable.
fn record_place(array: &str, i: usize, id: Option<&str>) -> String {
    match id {
        Some(id) if !id.is_empty() && !limits::too_long(id, limits::MAX_ID_CHARS) => {
            format!("{array}[{i}] \"{id}\"")
        }
        _ => format!("{array}[{i}]"),
    }
}

/// Ids may not hold a comma in any format: a spreadsheet cell lists zone ids separated by
/// commas, and the two formats are one.
fn comma_in_id(what: &str, id: &str) -> String {
    format!(
        "`id`: the {what} id \"{id}\" contains a comma, which separates ids in a spreadsheet cell; use another character"
    )
}

/// An id must be non-empty, short, unique and free of commas.
fn check_id(id: &str, seen: &mut HashSet<String>, what: &str, s: &mut Scope<'_>) {
    if id.trim().is_empty() {
        s.add(format!("`id`: the {what} id is empty"));
    } else if limits::too_long(id, limits::MAX_ID_CHARS) {
        s.limit("id", id, limits::MAX_ID_CHARS);
    } else if !seen.insert(id.to_string()) {
        s.add(format!("`id`: duplicate {what} id \"{id}\""));
    } else if id.contains(',') {
        s.add(comma_in_id(what, id));
    }
}

#[cfg(test)]
mod tests;
