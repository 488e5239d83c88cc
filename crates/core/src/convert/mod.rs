//! A dataset written out in any of its formats: a JSON folder, an `.xlsx` workbook, a folder of
//! CSV files (`truce-atlas convert`), and the workbook template (`truce-atlas new`).
//!
//! Every format is made from the same [`tables`]: the sheets of data/FORMAT.md's spreadsheet
//! layout, one row per citation, so that a dataset read back from any of them is the one that
//! was written. Whatever is written goes to a folder beside the destination first and is moved
//! into place only once complete.

mod csv;
mod incidents;
mod json;
pub mod story;
mod template;
mod xlsx;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use thiserror::Error;

use crate::model::{Dataset, Precision};
use crate::timefmt::local_day_start;

pub use template::template;

/// What one written cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
    /// A wall time in the dataset's zone.
    DateTime(NaiveDateTime),
}

/// One sheet: its name, its columns and its rows (a cell per column, `None` for empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Option<Out>>>,
}

impl Table {
    fn new(name: &'static str, columns: &[&'static str]) -> Table {
        Table {
            name,
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row from (column, cell) pairs; columns left out are empty.
    fn push(&mut self, cells: Vec<(&str, Option<Out>)>) {
        let mut row = vec![None; self.columns.len()];
        for (name, cell) in cells {
            if let Some(i) = self.columns.iter().position(|c| *c == name) {
                row[i] = cell;
            }
        }
        self.rows.push(row);
    }
}

/// Where a written dataset goes, and in which format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A folder of dataset.json, zones.geojson, sources.json, events.json (and places.geojson).
    Json,
    /// A folder of CSV files, one per sheet, with zones.geojson and places.geojson.
    Csv,
    /// `DEST.xlsx`, with zones.geojson and places.geojson beside it.
    Xlsx,
}

impl Format {
    /// The format a destination path asks for: a name ending in `.xlsx` is a workbook; any other
    /// is a folder, of CSV files when `csv` is asked for.
    pub fn of(dest: &Path, csv: bool) -> Result<Format, String> {
        let ext = dest
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match (ext.as_deref(), csv) {
            (Some("xlsx"), false) => Ok(Format::Xlsx),
            (Some("xlsx"), true) => Err("--csv writes a folder; give a folder name, not an .xlsx file".into()),
            (Some("ods"), _) => Err("writing .ods is not supported: write an .xlsx workbook (LibreOffice opens it) or a CSV folder".into()),
            (_, true) => Ok(Format::Csv),
            _ => Ok(Format::Json),
        }
    }
}

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("{path}: {message}")]
    Refused { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot write the workbook ({message})")]
    Workbook { path: String, message: String },
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The sheets of the spreadsheet layout, filled from a dataset.
pub fn tables(ds: &Dataset) -> Vec<Table> {
    let tz = ds.meta.timezone;
    let mut dataset = Table::new("dataset", &["field", "value"]);
    let text = |s: &str| (!s.trim().is_empty()).then(|| Out::Text(s.to_string()));
    let mut field = |name: &str, value: Option<Out>| {
        if value.is_some() {
            dataset.push(vec![
                ("field", Some(Out::Text(name.into()))),
                ("value", value),
            ]);
        }
    };
    field("name", Some(Out::Text(ds.meta.name.clone())));
    field("timezone", Some(Out::Text(tz.name().to_string())));
    field("format", Some(Out::Text("truce-atlas/1".into())));
    field("description", text(&ds.meta.description));
    field(
        "default_instant",
        ds.meta.default_instant.map(|t| time_cell(t, tz)),
    );
    field(
        "reports_until",
        ds.meta.reports_until.map(|t| time_cell(t, tz)),
    );
    field("attribution", text(&ds.meta.attribution));
    let mut sides = Table::new("sides", &["id", "name", "description"]);
    for s in &ds.meta.sides {
        sides.push(vec![
            ("id", text(&s.id)),
            ("name", text(&s.name)),
            ("description", text(&s.description)),
        ]);
    }
    let mut instruments = Table::new("instruments", &["id", "name", "description"]);
    for i in &ds.instruments {
        instruments.push(vec![
            ("id", text(&i.id)),
            ("name", text(&i.name)),
            ("description", text(&i.description)),
        ]);
    }
    let mut all = vec![
        dataset,
        sides,
        zones_table(ds),
        sources_table(ds),
        instruments,
        events_table(ds),
    ];
    all.extend(incidents::table(ds));
    all
}

fn zones_table(ds: &Dataset) -> Table {
    let spec = crate::load::workbook::spec("zones")
        .map(|s| s.columns)
        .unwrap_or(&[]);
    let mut zones = Table::new("zones", spec);
    for z in &ds.zones {
        zones.push(vec![
            ("id", Some(Out::Text(z.id.clone()))),
            ("name", Some(Out::Text(z.name.clone()))),
            (
                "kind",
                (!z.kind.is_empty()).then(|| Out::Text(z.kind.clone())),
            ),
            ("approximate", Some(Out::Bool(z.approximate))),
            (
                "admin_code",
                (!z.admin_codes.is_empty()).then(|| Out::Text(z.admin_codes.join(", "))),
            ),
            (
                "geometry_source",
                (!z.geometry_source.is_empty()).then(|| Out::Text(z.geometry_source.clone())),
            ),
        ]);
    }
    zones
}

fn sources_table(ds: &Dataset) -> Table {
    let tz = ds.meta.timezone;
    let spec = crate::load::workbook::spec("sources")
        .map(|s| s.columns)
        .unwrap_or(&[]);
    let mut sources = Table::new("sources", spec);
    let opt = |s: &Option<String>| s.clone().map(Out::Text);
    let text = |s: &str| (!s.is_empty()).then(|| Out::Text(s.to_string()));
    for s in &ds.sources {
        let (published, precision) = published_cell(s.published.time, s.published.precision, tz);
        sources.push(vec![
            ("id", Some(Out::Text(s.id.clone()))),
            ("outlet", Some(Out::Text(s.outlet.clone()))),
            ("published", Some(published)),
            ("headline", text(&s.headline)),
            (
                "published_precision",
                precision.map(|p| Out::Text(p.as_str().into())),
            ),
            ("published_note", text(&s.published_note)),
            ("url", opt(&s.url)),
            ("sha256", opt(&s.sha256)),
            ("archive_file", opt(&s.archive_file)),
        ]);
    }
    sources
}

fn events_table(ds: &Dataset) -> Table {
    let tz = ds.meta.timezone;
    let spec = crate::load::workbook::spec("events")
        .map(|s| s.columns)
        .unwrap_or(&[]);
    let mut events = Table::new("events", spec);
    let opt = |s: &Option<String>| s.clone().map(Out::Text);
    for e in &ds.events {
        for (k, c) in e.citations.iter().enumerate() {
            let mut row = vec![
                ("source", Some(Out::Text(ds.sources[c.source].id.clone()))),
                ("quote", Some(Out::Text(c.quote.clone()))),
                ("speaker", opt(&c.speaker)),
            ];
            if k == 0 {
                let zones: Vec<&str> = e.zones.iter().map(|&z| ds.zones[z].id.as_str()).collect();
                row.extend([
                    ("id", Some(Out::Text(e.id.clone()))),
                    ("time", Some(time_cell(e.moment.time, tz))),
                    (
                        "precision",
                        Some(Out::Text(e.moment.precision.as_str().into())),
                    ),
                    ("as_reported", opt(&e.as_reported)),
                    ("kind", Some(Out::Text(e.kind.as_str().into()))),
                    ("zones", Some(Out::Text(zones.join(", ")))),
                    ("actor", Some(Out::Text(e.actor.clone()))),
                    (
                        "side",
                        e.side.map(|s| Out::Text(ds.meta.sides[s].id.clone())),
                    ),
                    (
                        "instrument",
                        e.instrument
                            .map(|i| Out::Text(ds.instruments[i].id.clone())),
                    ),
                    ("until", e.until.map(|u| time_cell(u.time, tz))),
                    (
                        "duration_hours",
                        e.duration_hours.map(|h| Out::Number(f64::from(h))),
                    ),
                    ("note", opt(&e.note)),
                ]);
            } else {
                row.push(("id", Some(Out::Text(e.id.clone()))));
            }
            events.push(row);
        }
    }
    events
}

/// A time as a date-time cell (a wall time in `tz`), or as RFC 3339 text where the wall time
/// alone would not say which instant it is (the hour the clocks repeat).
pub fn time_cell(t: DateTime<FixedOffset>, tz: Tz) -> Out {
    let wall = t.with_timezone(&tz).naive_local();
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(_) => Out::DateTime(wall),
        _ => Out::Text(crate::load::workbook::rfc3339(
            t.with_timezone(&tz).fixed_offset(),
        )),
    }
}

/// `published`: a date cell where the source gives a day (the first instant of its local day,
/// at day precision); otherwise a time, with its precision written when it is not the default.
fn published_cell(
    t: DateTime<FixedOffset>,
    precision: Precision,
    tz: Tz,
) -> (Out, Option<Precision>) {
    let date = t.with_timezone(&tz).date_naive();
    let day_start = local_day_start(date, tz).map(|s| s.timestamp());
    if precision == Precision::Day && day_start == Some(t.timestamp()) {
        return (Out::Date(date), None);
    }
    let written = (precision != Precision::Minute).then_some(precision);
    (time_cell(t, tz), written)
}

/// Writes `ds` to `dest` in `format`, whole or not at all: into a folder beside `dest`, moved
/// into place once every file is complete. `dest` must not exist yet.
pub fn write(ds: &Dataset, dest: &Path, format: Format) -> Result<(), WriteError> {
    let refused = |message: &str| WriteError::Refused {
        path: dest.display().to_string(),
        message: message.into(),
    };
    if dest.exists() {
        return Err(refused(
            "already exists; give a new name (nothing is overwritten)",
        ));
    }
    let staging = staging_beside(dest)?;
    let result = (|| {
        match format {
            Format::Json => json::write(ds, &staging),
            Format::Csv => {
                csv::write(&tables(ds), &staging).and_then(|()| json::write_beside(ds, &staging))
            }
            Format::Xlsx => {
                let name = dest
                    .file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| "dataset.xlsx".into());
                xlsx::write(&tables(ds), &staging.join(name), None)
                    .and_then(|()| json::write_beside(ds, &staging))
            }
        }?;
        move_into_place(&staging, dest, format)
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result
}

/// A new, empty folder next to `dest`, on the same file system so that renames are atomic.
fn staging_beside(dest: &Path) -> Result<PathBuf, WriteError> {
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    Ok(staging)
}

/// A folder is renamed into place in one step. A workbook's GeoJSON files go beside it first
/// (never over existing ones), then the workbook, the file that makes it a dataset, last.
fn move_into_place(staging: &Path, dest: &Path, format: Format) -> Result<(), WriteError> {
    if format != Format::Xlsx {
        return std::fs::rename(staging, dest).map_err(io(dest));
    }
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dest.file_name().unwrap_or_default();
    let beside: Vec<_> = [
        crate::load::ZONES_FILE,
        crate::load::PLACES_FILE,
        crate::load::STORY_FILE,
    ]
    .into_iter()
    .filter(|f| staging.join(f).exists())
    .collect();
    if let Some(clash) = beside.iter().find(|f| dir.join(f).exists()) {
        return Err(WriteError::Refused {
            path: dir.join(clash).display().to_string(),
            message: "already exists beside the workbook; write the workbook into a new folder"
                .into(),
        });
    }
    // Whole or nothing: if a later step fails, the files already moved go back out.
    let mut moved = Vec::new();
    let result = (|| {
        for f in &beside {
            std::fs::rename(staging.join(f), dir.join(f)).map_err(io(&dir.join(f)))?;
            moved.push(dir.join(f));
        }
        std::fs::rename(staging.join(name), dest).map_err(io(dest))
    })();
    if result.is_err() {
        for path in moved {
            let _ = std::fs::remove_file(path);
        }
    }
    result
}

#[cfg(test)]
mod tests;
