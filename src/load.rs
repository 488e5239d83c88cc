//! Reading and validating a dataset folder.
//!
//! Validation collects every problem it can find rather than stopping at the first, because the
//! people who write datasets by hand fix them in one pass when they see the whole list. Each
//! problem names the file and the place in it (a line and column for syntax, a record path and
//! id for meaning).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use geo::{Coord, CoordsIter, MultiPolygon, Validation};
use serde::Deserialize;
use serde_json::Value;
use thiserror::Error;

use crate::model::{
    Citation, Dataset, Event, EventKind, Instrument, Meta, Moment, Place, Precision, Source, Zone,
};

/// The files of a dataset folder. `places.geojson` may be absent.
pub const DATASET_FILE: &str = "dataset.json";
pub const ZONES_FILE: &str = "zones.geojson";
pub const SOURCES_FILE: &str = "sources.json";
pub const EVENTS_FILE: &str = "events.json";
pub const PLACES_FILE: &str = "places.geojson";

/// No real dataset comes near this; a file this large is a mistake (or a wrong folder).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

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
}

/// Where the bytes of a dataset come from: a folder on disk or the copy built into the binary.
pub trait DatasetFiles {
    /// A human description for messages.
    fn origin(&self) -> String;
    /// `Ok(None)` when the file does not exist.
    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String>;
}

pub struct FolderFiles(pub PathBuf);

impl DatasetFiles for FolderFiles {
    fn origin(&self) -> String {
        self.0.display().to_string()
    }

    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let path = self.0.join(name);
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read: {e}")),
        };
        if meta.is_dir() {
            return Err("is a folder, expected a file".into());
        }
        // Checked before reading, so that a wrong path to a huge file costs nothing.
        if meta.len() > MAX_FILE_BYTES {
            return Err(format!(
                "file is {} bytes; the limit is {} bytes",
                meta.len(),
                MAX_FILE_BYTES
            ));
        }
        std::fs::read(&path)
            .map(Some)
            .map_err(|e| format!("cannot read: {e}"))
    }
}

/// The default dataset, embedded so that the binary works from any directory.
pub struct EmbeddedFiles;

impl DatasetFiles for EmbeddedFiles {
    fn origin(&self) -> String {
        "embedded default dataset (data/syria-2016)".into()
    }

    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let bytes: &[u8] = match name {
            DATASET_FILE => include_bytes!("../data/syria-2016/dataset.json"),
            ZONES_FILE => include_bytes!("../data/syria-2016/zones.geojson"),
            SOURCES_FILE => include_bytes!("../data/syria-2016/sources.json"),
            EVENTS_FILE => include_bytes!("../data/syria-2016/events.json"),
            PLACES_FILE => include_bytes!("../data/syria-2016/places.geojson"),
            _ => return Ok(None),
        };
        Ok(Some(bytes.to_vec()))
    }
}

pub fn load_folder(dir: &Path) -> Result<Dataset, DatasetError> {
    if !dir.is_dir() {
        return Err(DatasetError {
            origin: dir.display().to_string(),
            problems: vec![Problem {
                file: dir.display().to_string(),
                place: String::new(),
                message: "is not a folder (a dataset is a folder holding dataset.json, zones.geojson, sources.json and events.json)".into(),
            }],
        });
    }
    load(&FolderFiles(dir.to_path_buf()))
}

pub fn load_embedded() -> Result<Dataset, DatasetError> {
    load(&EmbeddedFiles)
}

// ---------------------------------------------------------------------------------------------
// Raw file shapes. Unknown fields are errors, because a misspelt field ("zone" for "zones")
// would otherwise be silently ignored and change what the dataset says.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    name: String,
    #[serde(default)]
    description: String,
    timezone: String,
    #[serde(default)]
    default_instant: Option<String>,
    #[serde(default)]
    attribution: String,
    #[serde(default)]
    format: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: String,
    outlet: String,
    #[serde(default)]
    headline: String,
    published: String,
    #[serde(default)]
    published_precision: Option<String>,
    #[serde(default)]
    published_note: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    sha256: Option<String>,
    #[serde(default)]
    archive_file: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    id: String,
    name: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCitation {
    source: String,
    quote: String,
    #[serde(default)]
    speaker: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    id: String,
    time: String,
    precision: String,
    #[serde(default)]
    as_reported: Option<String>,
    kind: String,
    zones: Vec<String>,
    actor: String,
    #[serde(default)]
    instrument: Option<String>,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    duration_hours: Option<f64>,
    citations: Vec<RawCitation>,
    #[serde(default)]
    note: Option<String>,
}

// ---------------------------------------------------------------------------------------------

struct Collector {
    problems: Vec<Problem>,
}

impl Collector {
    fn add(&mut self, file: &str, place: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            file: file.to_string(),
            place: place.into(),
            message: message.into(),
        });
    }
}

/// Reads one file as JSON. Empty, non-UTF-8, too deep and malformed files become problems with
/// a line and column; `None` means the file could not be used at all.
fn read_json(
    files: &dyn DatasetFiles,
    name: &str,
    required: bool,
    c: &mut Collector,
) -> Option<Value> {
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
    parse_json_bytes(name, &bytes, c)
}

fn parse_json_bytes(name: &str, bytes: &[u8], c: &mut Collector) -> Option<Value> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        c.add(name, "", "file is empty");
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let (line, column) = line_column(&bytes[..e.valid_up_to()]);
            c.add(
                name,
                format!("line {line}, column {column}"),
                "not UTF-8 text (byte sequence invalid here); save the file as UTF-8",
            );
            return None;
        }
    };
    // serde_json refuses nesting deeper than 128 levels, which covers "absurdly deep" input
    // without a stack overflow.
    match serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) {
        Ok(value) => Some(value),
        Err(e) => {
            c.add(
                name,
                format!("line {}, column {}", e.line(), e.column()),
                json_error_message(&e),
            );
            None
        }
    }
}

fn json_error_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde_json appends " at line L column C"; the place is reported separately.
    let text = match text.rfind(" at line ") {
        Some(pos) => text[..pos].to_string(),
        None => text,
    };
    match e.classify() {
        serde_json::error::Category::Eof => {
            format!("JSON ends too early ({text}); is the file truncated?")
        }
        serde_json::error::Category::Syntax => format!("JSON syntax error: {text}"),
        _ => text,
    }
}

fn line_column(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
    let column = prefix.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

fn strip_serde_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(pos) => text[..pos].to_string(),
        None => text,
    }
}

/// Takes `key` from a top-level object as an array, reporting what is wrong otherwise.
fn top_array(value: Value, file: &str, key: &str, c: &mut Collector) -> Vec<Value> {
    match value {
        Value::Object(mut map) => match map.remove(key) {
            Some(Value::Array(items)) => items,
            Some(_) => {
                c.add(file, key, format!("`{key}` must be an array"));
                Vec::new()
            }
            None => {
                c.add(
                    file,
                    "",
                    format!("the top-level object has no `{key}` array"),
                );
                Vec::new()
            }
        },
        _ => {
            c.add(
                file,
                "",
                format!("expected a JSON object with a `{key}` array"),
            );
            Vec::new()
        }
    }
}

fn record<T: for<'de> Deserialize<'de>>(
    value: Value,
    file: &str,
    place: &str,
    c: &mut Collector,
) -> Option<T> {
    match serde_json::from_value::<T>(value) {
        Ok(v) => Some(v),
        Err(e) => {
            c.add(file, place, strip_serde_position(&e));
            None
        }
    }
}

/// The place of the i-th record, with its id when it has one, so messages read like
/// `events[3] "aleppo-truce"`.
fn place_of(array: &str, i: usize, value: &Value) -> String {
    match value.get("id").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => format!("{array}[{i}] \"{id}\""),
        _ => format!("{array}[{i}]"),
    }
}

/// Parses an RFC 3339 time and checks its offset against the dataset's zone, because a
/// "+02:00" left in a May timestamp (Damascus was on +03:00) silently shifts the event by an hour.
fn parse_time(
    text: &str,
    tz: Option<Tz>,
    file: &str,
    place: &str,
    field: &str,
    c: &mut Collector,
) -> Option<DateTime<FixedOffset>> {
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => {
            if let Some(tz) = tz {
                let local = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
                let offset = *t.offset();
                if offset != local && offset.local_minus_utc() != 0 {
                    c.add(
                        file,
                        place,
                        format!(
                            "`{field}` {text}: offset {offset} is not {tz}'s offset on that date ({local}); use {local} or Z"
                        ),
                    );
                }
            }
            Some(t)
        }
        Err(e) => {
            c.add(
                file,
                place,
                format!(
                    "`{field}` \"{text}\" is not a valid RFC 3339 time with offset, like 2016-05-01T12:00:00+03:00 ({e})"
                ),
            );
            None
        }
    }
}

fn check_id(
    id: &str,
    seen: &mut HashSet<String>,
    file: &str,
    place: &str,
    what: &str,
    c: &mut Collector,
) -> bool {
    if id.trim().is_empty() {
        c.add(file, place, format!("{what} id is empty"));
        return false;
    }
    if !seen.insert(id.to_string()) {
        c.add(file, place, format!("duplicate {what} id \"{id}\""));
        return false;
    }
    true
}

/// Loads and validates a dataset. Returns every problem found, or the dataset with its events
/// sorted by time.
pub fn load(files: &dyn DatasetFiles) -> Result<Dataset, DatasetError> {
    let mut c = Collector {
        problems: Vec::new(),
    };

    let meta = read_json(files, DATASET_FILE, true, &mut c)
        .and_then(|v| record::<RawMeta>(v, DATASET_FILE, "", &mut c))
        .and_then(|raw| validate_meta(raw, &mut c));
    let tz = meta.as_ref().map(|m| m.timezone);

    // Ids that exist, even where the record itself is broken: references to them are not
    // reported again. `None` when the whole file failed, so its references go unchecked rather
    // than burying the one real error under a hundred "unknown id" lines.
    let (zones, zone_ids) = match read_json(files, ZONES_FILE, true, &mut c) {
        Some(v) => {
            let (zones, ids) = validate_zones(v, &mut c);
            (zones, Some(ids))
        }
        None => (Vec::new(), None),
    };
    let places = read_json(files, PLACES_FILE, false, &mut c)
        .map(|v| validate_places(v, &mut c))
        .unwrap_or_default();
    let (sources, source_ids) = match read_json(files, SOURCES_FILE, true, &mut c) {
        Some(v) => {
            let (sources, ids) = validate_sources(v, tz, &mut c);
            (sources, Some(ids))
        }
        None => (Vec::new(), None),
    };
    let known = KnownIds {
        zones: zone_ids,
        sources: source_ids,
    };
    let (instruments, events) = match read_json(files, EVENTS_FILE, true, &mut c) {
        Some(v) => validate_events(v, tz, &zones, &sources, &known, &mut c),
        None => (Vec::new(), Vec::new()),
    };

    match meta {
        Some(meta) if c.problems.is_empty() => Ok(Dataset {
            meta,
            zones,
            places,
            sources,
            instruments,
            events,
        }),
        _ => Err(DatasetError {
            origin: files.origin(),
            problems: c.problems,
        }),
    }
}

fn validate_meta(raw: RawMeta, c: &mut Collector) -> Option<Meta> {
    let f = DATASET_FILE;
    if let Some(format) = &raw.format
        && format != "truce-atlas/1"
    {
        c.add(
            f,
            "format",
            format!("unsupported format \"{format}\"; this version reads \"truce-atlas/1\""),
        );
    }
    if raw.name.trim().is_empty() {
        c.add(f, "name", "the dataset name is empty");
    }
    let timezone: Option<Tz> = match raw.timezone.parse() {
        Ok(tz) => Some(tz),
        Err(_) => {
            c.add(
                f,
                "timezone",
                format!(
                    "\"{}\" is not an IANA time zone name such as Asia/Damascus",
                    raw.timezone
                ),
            );
            None
        }
    };
    let default_instant = raw
        .default_instant
        .as_deref()
        .and_then(|t| parse_time(t, timezone, f, "default_instant", "default_instant", c));
    Some(Meta {
        name: raw.name,
        description: raw.description,
        timezone: timezone?,
        default_instant,
        attribution: raw.attribution,
    })
}

fn feature_list(value: Value, file: &str, c: &mut Collector) -> Vec<Value> {
    if value.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        c.add(
            file,
            "",
            "expected a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")",
        );
        return Vec::new();
    }
    top_array(value, file, "features", c)
}

fn parse_feature(
    item: Value,
    file: &str,
    place: &str,
    c: &mut Collector,
) -> Option<geojson::Feature> {
    match serde_json::from_value(item) {
        Ok(feature) => Some(feature),
        Err(e) => {
            c.add(
                file,
                place,
                format!("not a GeoJSON Feature: {}", strip_serde_position(&e)),
            );
            None
        }
    }
}

fn feature_id(
    feature: &geojson::Feature,
    props: &serde_json::Map<String, Value>,
) -> Option<String> {
    match &feature.id {
        Some(geojson::feature::Id::String(s)) => Some(s.clone()),
        Some(geojson::feature::Id::Number(n)) => Some(n.to_string()),
        // Some tools (QGIS among them) write the id as a property; accept it there too.
        None => props.get("id").and_then(Value::as_str).map(str::to_string),
    }
}

/// Ids present in the zones and sources files, for reference checks (see [`load`]).
struct KnownIds {
    zones: Option<HashSet<String>>,
    sources: Option<HashSet<String>>,
}

impl KnownIds {
    fn unknown_zone(&self, id: &str) -> bool {
        self.zones.as_ref().is_some_and(|ids| !ids.contains(id))
    }
    fn unknown_source(&self, id: &str) -> bool {
        self.sources.as_ref().is_some_and(|ids| !ids.contains(id))
    }
}

fn validate_zones(value: Value, c: &mut Collector) -> (Vec<Zone>, HashSet<String>) {
    let f = ZONES_FILE;
    let mut seen = HashSet::new();
    let mut zones = Vec::new();
    for (i, item) in feature_list(value, f, c).into_iter().enumerate() {
        let mut place = format!("features[{i}]");
        let Some(feature) = parse_feature(item, f, &place, c) else {
            continue;
        };
        let props = feature.properties.clone().unwrap_or_default();
        let id = feature_id(&feature, &props).unwrap_or_default();
        if !id.is_empty() {
            place = format!("features[{i}] \"{id}\"");
        }
        let id_ok = check_id(&id, &mut seen, f, &place, "zone", c);
        let text = |key: &str| {
            props
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let name = text("name");
        if name.trim().is_empty() {
            c.add(f, &place, "property `name` is missing or empty");
        }
        let approximate = match props.get("approximate") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                c.add(f, &place, "property `approximate` must be true or false");
                false
            }
        };
        let geometry = match feature.geometry.as_ref() {
            None => {
                c.add(f, &place, "feature has no geometry");
                None
            }
            Some(g) => polygonal(&g.value, f, &place, c),
        };
        if let (true, Some(geometry)) = (id_ok, geometry) {
            zones.push(Zone {
                id,
                name,
                kind: text("kind"),
                approximate,
                geometry_source: text("geometry_source"),
                geometry,
            });
        }
    }
    if zones.is_empty() && c.problems.iter().all(|p| p.file != f) {
        c.add(f, "features", "the dataset has no zones");
    }
    (zones, seen)
}

/// Converts a GeoJSON geometry to a valid multipolygon, or reports why it cannot be one.
fn polygonal(
    value: &geojson::GeometryValue,
    file: &str,
    place: &str,
    c: &mut Collector,
) -> Option<MultiPolygon<f64>> {
    let mp: MultiPolygon<f64> = match value {
        geojson::GeometryValue::Polygon { .. } => match geo::Polygon::try_from(value) {
            Ok(p) => MultiPolygon(vec![p]),
            Err(e) => {
                c.add(file, place, format!("invalid polygon: {e}"));
                return None;
            }
        },
        geojson::GeometryValue::MultiPolygon { .. } => match MultiPolygon::try_from(value) {
            Ok(mp) => mp,
            Err(e) => {
                c.add(file, place, format!("invalid multipolygon: {e}"));
                return None;
            }
        },
        other => {
            c.add(
                file,
                place,
                format!(
                    "geometry is a {}; a zone must be a Polygon or MultiPolygon",
                    other.type_name()
                ),
            );
            return None;
        }
    };
    let out_of_range = mp
        .coords_iter()
        .find(|Coord { x, y }| !(-180.0..=180.0).contains(x) || !(-90.0..=90.0).contains(y));
    if let Some(Coord { x, y }) = out_of_range {
        c.add(
            file,
            place,
            format!("coordinate [{x}, {y}] is outside longitude -180..180 / latitude -90..90 (are longitude and latitude swapped, or is it not WGS 84?)"),
        );
        return None;
    }
    if mp.0.is_empty() {
        c.add(file, place, "geometry has no polygons");
        return None;
    }
    for (k, polygon) in mp.0.iter().enumerate() {
        if let Some(error) = polygon.validation_errors().into_iter().next() {
            let which = if mp.0.len() > 1 {
                format!("polygon {k}: ")
            } else {
                String::new()
            };
            c.add(file, place, format!("invalid geometry: {which}{error}"));
            return None;
        }
    }
    Some(mp)
}

fn validate_places(value: Value, c: &mut Collector) -> Vec<Place> {
    let f = PLACES_FILE;
    let mut places = Vec::new();
    for (i, item) in feature_list(value, f, c).into_iter().enumerate() {
        let place = format!("features[{i}]");
        let Some(feature) = parse_feature(item, f, &place, c) else {
            continue;
        };
        let props = feature.properties.clone().unwrap_or_default();
        let name = props
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if name.trim().is_empty() {
            c.add(f, &place, "property `name` is missing or empty");
            continue;
        }
        match feature.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::Point { coordinates }) if coordinates.len() >= 2 => {
                let (lon, lat) = (coordinates[0], coordinates[1]);
                if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                    c.add(
                        f,
                        &place,
                        format!("point [{lon}, {lat}] is outside the globe"),
                    );
                    continue;
                }
                places.push(Place {
                    name,
                    kind: props
                        .get("kind")
                        .and_then(Value::as_str)
                        .unwrap_or("city")
                        .to_string(),
                    lon,
                    lat,
                });
            }
            _ => c.add(f, &place, "a place must be a Point"),
        }
    }
    places
}

/// A publication date ("2016-05-01") becomes the start of that day in the dataset's zone.
fn parse_published(
    text: &str,
    tz: Option<Tz>,
    file: &str,
    place: &str,
    c: &mut Collector,
) -> Option<(DateTime<FixedOffset>, bool)> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let tz = tz?;
        let midnight = date.and_hms_opt(0, 0, 0)?;
        let local = tz.from_local_datetime(&midnight).earliest()?;
        return Some((local.fixed_offset(), true));
    }
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => Some((t, false)),
        Err(_) => {
            c.add(
                file,
                place,
                format!(
                    "`published` \"{text}\" is neither a date (2016-05-01) nor an RFC 3339 time"
                ),
            );
            None
        }
    }
}

fn validate_sources(
    value: Value,
    tz: Option<Tz>,
    c: &mut Collector,
) -> (Vec<Source>, HashSet<String>) {
    let f = SOURCES_FILE;
    let mut seen = HashSet::new();
    let mut sources = Vec::new();
    for (i, item) in top_array(value, f, "sources", c).into_iter().enumerate() {
        let place = place_of("sources", i, &item);
        let Some(raw) = record::<RawSource>(item, f, &place, c) else {
            continue;
        };
        let id_ok = check_id(&raw.id, &mut seen, f, &place, "source", c);
        if raw.outlet.trim().is_empty() {
            c.add(f, &place, "`outlet` is empty");
        }
        if let Some(hash) = &raw.sha256
            && (hash.len() != 64 || !hash.chars().all(|ch| ch.is_ascii_hexdigit()))
        {
            c.add(f, &place, "`sha256` must be 64 hexadecimal digits");
        }
        let published = parse_published(&raw.published, tz, f, &place, c);
        let precision = match raw.published_precision.as_deref() {
            None => None,
            Some(p) => match Precision::parse(p) {
                Some(p) => Some(p),
                None => {
                    c.add(f, &place, format!("`published_precision` \"{p}\" is not one of minute, hour, day, approximate"));
                    continue;
                }
            },
        };
        if let (true, Some((time, date_only))) = (id_ok, published) {
            let default_precision = if date_only {
                Precision::Day
            } else {
                Precision::Minute
            };
            sources.push(Source {
                id: raw.id,
                outlet: raw.outlet,
                headline: raw.headline,
                published: Moment {
                    time,
                    precision: precision.unwrap_or(default_precision),
                },
                published_note: raw.published_note,
                url: raw.url,
                sha256: raw.sha256.map(|h| h.to_ascii_lowercase()),
                archive_file: raw.archive_file,
            });
        }
    }
    (sources, seen)
}

fn validate_events(
    value: Value,
    tz: Option<Tz>,
    zones: &[Zone],
    sources: &[Source],
    known: &KnownIds,
    c: &mut Collector,
) -> (Vec<Instrument>, Vec<Event>) {
    let f = EVENTS_FILE;
    let mut instruments = Vec::new();
    let mut seen = HashSet::new();
    let (raw_instruments, raw_events) = match value {
        Value::Object(mut map) => {
            let instruments = map
                .remove("instruments")
                .unwrap_or(Value::Array(Vec::new()));
            (instruments, Value::Object(map))
        }
        other => (Value::Array(Vec::new()), other),
    };
    match raw_instruments {
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                let place = place_of("instruments", i, &item);
                let Some(raw) = record::<RawInstrument>(item, f, &place, c) else {
                    continue;
                };
                if !check_id(&raw.id, &mut seen, f, &place, "instrument", c) {
                    continue;
                }
                if raw.name.trim().is_empty() {
                    c.add(f, &place, "instrument `name` is empty");
                }
                instruments.push(Instrument {
                    id: raw.id,
                    name: raw.name,
                    description: raw.description,
                });
            }
        }
        _ => c.add(f, "instruments", "`instruments` must be an array"),
    }

    let zone_ids: HashMap<&str, usize> = zones
        .iter()
        .enumerate()
        .map(|(i, z)| (z.id.as_str(), i))
        .collect();
    let source_ids: HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let instrument_ids: HashMap<&str, usize> = instruments
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();

    let mut events = Vec::new();
    let mut event_ids = HashSet::new();
    for (i, item) in top_array(raw_events, f, "events", c)
        .into_iter()
        .enumerate()
    {
        let place = place_of("events", i, &item);
        let Some(raw) = record::<RawEvent>(item, f, &place, c) else {
            continue;
        };
        let mut ok = check_id(&raw.id, &mut event_ids, f, &place, "event", c);
        let time = parse_time(&raw.time, tz, f, &place, "time", c);
        let precision = Precision::parse(&raw.precision);
        if precision.is_none() {
            c.add(
                f,
                &place,
                format!(
                    "`precision` \"{}\" is not one of minute, hour, day, approximate",
                    raw.precision
                ),
            );
        }
        let kind = EventKind::parse(&raw.kind);
        if kind.is_none() {
            let all: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
            c.add(
                f,
                &place,
                format!("`kind` \"{}\" is not one of {}", raw.kind, all.join(", ")),
            );
        }
        if raw.actor.trim().is_empty() {
            c.add(
                f,
                &place,
                "`actor` is empty: say who announced or claimed it",
            );
            ok = false;
        }
        let mut zone_idx = Vec::new();
        if raw.zones.is_empty() {
            c.add(f, &place, "`zones` is empty");
            ok = false;
        }
        for z in &raw.zones {
            match zone_ids.get(z.as_str()) {
                Some(&zi) if !zone_idx.contains(&zi) => zone_idx.push(zi),
                Some(_) => c.add(f, &place, format!("zone \"{z}\" is listed twice")),
                None => {
                    if known.unknown_zone(z) {
                        c.add(
                            f,
                            &place,
                            format!("unknown zone id \"{z}\" (not in zones.geojson)"),
                        );
                    }
                    ok = false;
                }
            }
        }
        let instrument = match raw.instrument.as_deref() {
            Some(id) => match instrument_ids.get(id) {
                Some(&ii) => Some(ii),
                None => {
                    c.add(
                        f,
                        &place,
                        format!("unknown instrument id \"{id}\" (not in `instruments`)"),
                    );
                    ok = false;
                    None
                }
            },
            None => {
                if let Some(kind) = kind
                    && kind.needs_instrument()
                {
                    c.add(
                        f,
                        &place,
                        format!("a `{}` event needs an `instrument`", kind.as_str()),
                    );
                    ok = false;
                }
                None
            }
        };
        let until = raw
            .until
            .as_deref()
            .and_then(|u| parse_time(u, tz, f, &place, "until", c));
        if let (Some(t), Some(u)) = (time, until)
            && u <= t
        {
            c.add(
                f,
                &place,
                format!("`until` {u} is not after `time` {t} (the end is before the start)"),
            );
            ok = false;
        }
        let duration_hours = match raw.duration_hours {
            None => None,
            Some(h) if h.is_finite() && h > 0.0 && h.fract() == 0.0 && h <= 24.0 * 366.0 * 10.0 => {
                Some(h as u32)
            }
            Some(h) => {
                c.add(
                    f,
                    &place,
                    format!("`duration_hours` {h} must be a positive whole number of hours"),
                );
                ok = false;
                None
            }
        };
        if until.is_some() && duration_hours.is_some() {
            c.add(
                f,
                &place,
                "give either `until` or `duration_hours`, not both",
            );
            ok = false;
        }
        if let Some(kind) = kind {
            let timed = matches!(
                kind,
                EventKind::TruceStart | EventKind::Extension | EventKind::ScheduledEnd
            );
            if !timed && (raw.until.is_some() || raw.duration_hours.is_some()) {
                c.add(
                    f,
                    &place,
                    format!(
                        "a `{}` event takes no `until` or `duration_hours`",
                        kind.as_str()
                    ),
                );
                ok = false;
            }
            if matches!(kind, EventKind::Extension | EventKind::ScheduledEnd)
                && raw.until.is_none()
                && raw.duration_hours.is_none()
            {
                c.add(
                    f,
                    &place,
                    format!(
                        "a `{}` event needs `until` or `duration_hours`",
                        kind.as_str()
                    ),
                );
                ok = false;
            }
        }
        if raw.citations.is_empty() {
            c.add(
                f,
                &place,
                "no citations: every event needs at least one quote from a source",
            );
            ok = false;
        }
        let mut citations = Vec::new();
        for (k, cit) in raw.citations.iter().enumerate() {
            let cplace = format!("{place} citations[{k}]");
            let source = source_ids.get(cit.source.as_str()).copied();
            if source.is_none() {
                if known.unknown_source(&cit.source) {
                    c.add(
                        f,
                        &cplace,
                        format!("unknown source id \"{}\" (not in sources.json)", cit.source),
                    );
                }
                ok = false;
            }
            if cit.quote.trim().is_empty() {
                c.add(f, &cplace, "quote is empty");
                ok = false;
            }
            if let Some(source) = source {
                citations.push(Citation {
                    source,
                    quote: cit.quote.trim().to_string(),
                    speaker: cit.speaker.clone().filter(|s| !s.trim().is_empty()),
                });
            }
        }
        let (Some(time), Some(precision), Some(kind), true) = (time, precision, kind, ok) else {
            continue;
        };
        let reported = citations
            .iter()
            .map(|cit| sources[cit.source].published.utc())
            .min()
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        events.push(Event {
            id: raw.id,
            moment: Moment { time, precision },
            as_reported: raw.as_reported.filter(|s| !s.trim().is_empty()),
            kind,
            zones: zone_idx,
            actor: raw.actor,
            instrument,
            until: until.map(|time| Moment { time, precision }),
            duration_hours,
            citations,
            note: raw.note.filter(|s| !s.trim().is_empty()),
            reported,
        });
    }
    // Stable, so that events at the same instant keep the order the author gave them.
    events.sort_by_key(|e| e.moment.utc());
    check_runs_exist(&events, zones, &instruments, c);
    (instruments, events)
}

/// An extension or stated end must follow a start of the same instrument in each zone it names:
/// otherwise it extends nothing, which is almost always a wrong zone or instrument id.
fn check_runs_exist(
    events: &[Event],
    zones: &[Zone],
    instruments: &[Instrument],
    c: &mut Collector,
) {
    let mut started: HashSet<(usize, usize)> = HashSet::new();
    for e in events {
        let Some(instrument) = e.instrument else {
            continue;
        };
        for &z in &e.zones {
            match e.kind {
                EventKind::TruceStart => {
                    started.insert((z, instrument));
                }
                EventKind::Extension | EventKind::ScheduledEnd
                    if !started.contains(&(z, instrument)) =>
                {
                    c.add(
                        EVENTS_FILE,
                        format!("event \"{}\"", e.id),
                        format!(
                            "`{}` of instrument \"{}\" in zone \"{}\" comes before any `truce_start` of it there",
                            e.kind.as_str(),
                            instruments[instrument].id,
                            zones[z].id
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests;
