//! Datasets written in a spreadsheet: an `.xlsx` or `.ods` workbook, or a folder of CSV files,
//! one sheet per file. The layout is data/FORMAT.md's "Writing a dataset in a spreadsheet".
//!
//! A workbook is turned into the JSON format's files (each column is the JSON field of the same
//! name), and those go through the one loader, so the two formats cannot drift apart. What the
//! loader finds is then placed back where the user can fix it: `events!F14`, the sheet, the row
//! and the column letter the spreadsheet shows.

mod cells;
mod convert;
mod events;
mod incidents;
mod place;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::sheets::{self, Workbook};
use super::{DatasetError, DatasetFiles, Problem};
use crate::model::Dataset;

pub use cells::{number_text, rfc3339};

/// The sheets of the layout and their columns, in the order a new workbook writes them.
pub struct SheetSpec {
    pub name: &'static str,
    pub required: bool,
    pub columns: &'static [&'static str],
    /// The columns that must be there.
    pub required_columns: &'static [&'static str],
}

pub const SHEETS: [SheetSpec; 7] = [
    SheetSpec {
        name: "dataset",
        required: true,
        columns: &["field", "value"],
        required_columns: &["field", "value"],
    },
    SheetSpec {
        name: "sides",
        required: false,
        columns: &["id", "name", "description"],
        required_columns: &["id", "name"],
    },
    SheetSpec {
        name: "zones",
        required: true,
        columns: &[
            "id",
            "name",
            "kind",
            "approximate",
            "admin_code",
            "geometry_source",
        ],
        required_columns: &["id", "name"],
    },
    SheetSpec {
        name: "sources",
        required: true,
        columns: &[
            "id",
            "outlet",
            "headline",
            "published",
            "published_precision",
            "published_note",
            "url",
            "sha256",
            "archive_file",
        ],
        required_columns: &["id", "outlet", "published"],
    },
    SheetSpec {
        name: "instruments",
        required: false,
        columns: &["id", "name", "description"],
        required_columns: &["id", "name"],
    },
    SheetSpec {
        name: "events",
        required: true,
        columns: &[
            "id",
            "time",
            "precision",
            "as_reported",
            "kind",
            "zones",
            "actor",
            "side",
            "instrument",
            "until",
            "duration_hours",
            "note",
            "source",
            "quote",
            "speaker",
        ],
        required_columns: &[
            "id",
            "time",
            "precision",
            "kind",
            "zones",
            "actor",
            "source",
            "quote",
        ],
    },
    SheetSpec {
        name: "incidents",
        required: false,
        columns: &[
            "id",
            "record",
            "time",
            "until",
            "precision",
            "longitude",
            "latitude",
            "reach",
            "zones",
            "location",
            "type",
            "sub_type",
            "actors",
            "fatalities_low",
            "fatalities_best",
            "fatalities_high",
            "what",
            "as_reported",
            "period_as_reported",
            "note",
            "source",
            "quote",
            "speaker",
        ],
        required_columns: &["id", "time", "source", "quote"],
    },
];

/// The `dataset` sheet's fields, as dataset.json names them.
pub const DATASET_FIELDS: [&str; 7] = [
    "name",
    "timezone",
    "format",
    "description",
    "default_instant",
    "reports_until",
    "attribution",
];

/// The CSV file whose presence makes a folder a CSV dataset.
pub const CSV_MARKER: &str = "dataset.csv";

pub fn spec(sheet: &str) -> Option<&'static SheetSpec> {
    SHEETS.iter().find(|s| s.name == sheet)
}

/// Whether a sheet or column is read past on purpose: a `README` sheet, and any sheet or column
/// whose name starts with `#` (teams add "# checked by").
pub fn is_read_past(name: &str) -> bool {
    name.trim_start().starts_with('#')
}

/// What a path holds: a JSON folder, a CSV folder, or a workbook file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Json,
    Csv,
    Workbook,
}

/// Says which layout a path holds, or why it holds none.
pub fn layout(path: &Path) -> Result<Layout, String> {
    if path.is_file() {
        return Ok(Layout::Workbook);
    }
    if !path.is_dir() {
        return Err(if path.exists() {
            "is neither a folder nor a file".into()
        } else {
            "does not exist".into()
        });
    }
    let json = path.join(super::DATASET_FILE).exists();
    let csv = path.join(CSV_MARKER).exists();
    match (json, csv) {
        (true, true) => Err(format!(
            "holds both {} and {CSV_MARKER}: a folder is a JSON dataset or a CSV dataset, not both; move one away",
            super::DATASET_FILE
        )),
        (false, true) => Ok(Layout::Csv),
        _ => Ok(Layout::Json),
    }
}

/// Loads a workbook file (`.xlsx`, `.ods`), with `zones.geojson` and `places.geojson` read from
/// beside it.
pub fn load_workbook(path: &Path) -> Result<Dataset, DatasetError> {
    let origin = path.display().to_string();
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| origin.clone());
    let whole = |message: String| DatasetError::single(origin.clone(), &file, "", &message);
    let dir = parent(path);
    let real_dir = std::fs::canonicalize(&dir).map_err(|e| whole(format!("cannot open: {e}")))?;
    let bytes = super::files::read_inside(&real_dir, &file, super::limits::file_cap())
        .map_err(&whole)?
        .ok_or_else(|| whole("does not exist".into()))?;
    let book = sheets::read_workbook(&file, &bytes).map_err(whole)?;
    load_sheets(&book, &real_dir, origin)
}

/// Loads a folder of CSV files.
pub fn load_csv_folder(dir: &Path) -> Result<Dataset, DatasetError> {
    let origin = dir.display().to_string();
    let known = |sheet: &str, column: &str| {
        spec(sheet).is_some_and(|s| s.columns.contains(&column)) || is_read_past(column)
    };
    let sheets = sheets::csv::read_folder(dir, super::limits::file_cap(), &known)
        .map_err(|(file, message)| DatasetError::single(origin.clone(), &file, "", &message))?;
    let book = Workbook {
        file: origin.clone(),
        sheets,
    };
    let real_dir = std::fs::canonicalize(dir).map_err(|e| {
        DatasetError::single(origin.clone(), &origin, "", &format!("cannot open: {e}"))
    })?;
    load_sheets(&book, &real_dir, origin)
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The sheets, turned into the JSON files and loaded; every problem placed on its cell.
pub fn load_sheets(book: &Workbook, dir: &Path, origin: String) -> Result<Dataset, DatasetError> {
    load_sheets_beside(book, &Beside::read(dir), origin)
}

/// [`load_sheets`] with the files beside the workbook given (tests, fuzzing).
pub fn load_sheets_beside(
    book: &Workbook,
    beside: &Beside,
    origin: String,
) -> Result<Dataset, DatasetError> {
    let converted = convert::convert(book, beside);
    let files = Converted {
        origin: origin.clone(),
        files: &converted.files,
        beside,
    };
    let loaded = super::load_with(&files, Some(converted.records));
    let mut problems = converted.problems;
    let mut notes = converted.notes;
    match loaded {
        Ok(mut dataset) if problems.is_empty() => {
            let mut all: Vec<String> = notes.iter().map(ToString::to_string).collect();
            all.append(&mut dataset.notes);
            dataset.notes = all;
            Ok(dataset)
        }
        Ok(_) => Err(DatasetError { origin, problems }),
        Err(e) => {
            problems.extend(
                e.problems
                    .iter()
                    .filter_map(|p| place::place(p, book, &converted.map)),
            );
            // The loader's "and N more" lines stay as they are.
            notes.clear();
            Err(DatasetError { origin, problems })
        }
    }
}

/// The GeoJSON files beside a workbook: drawn outlines (`zones.geojson`) and `places.geojson`.
pub struct Beside {
    files: HashMap<&'static str, Result<Option<Vec<u8>>, String>>,
}

impl Beside {
    fn read(dir: &Path) -> Beside {
        let cap = super::limits::file_cap();
        let files = [super::ZONES_FILE, super::PLACES_FILE, super::STORY_FILE]
            .into_iter()
            .map(|name| (name, super::files::read_inside(dir, name, cap)))
            .collect();
        Beside { files }
    }

    /// Files held in memory (tests, fuzzing): `zones.geojson`, `places.geojson`.
    pub fn from_memory(files: Vec<(&'static str, Vec<u8>)>) -> Beside {
        Beside {
            files: files.into_iter().map(|(n, b)| (n, Ok(Some(b)))).collect(),
        }
    }

    pub fn get(&self, name: &str) -> Result<Option<&[u8]>, String> {
        match self.files.get(name) {
            Some(Ok(Some(bytes))) => Ok(Some(bytes)),
            Some(Ok(None)) | None => Ok(None),
            Some(Err(e)) => Err(e.clone()),
        }
    }
}

/// The JSON files made from the sheets, as the loader reads files.
struct Converted<'a> {
    origin: String,
    files: &'a HashMap<&'static str, String>,
    beside: &'a Beside,
}

impl DatasetFiles for Converted<'_> {
    fn origin(&self) -> String {
        self.origin.clone()
    }

    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        if let Some(text) = self.files.get(name) {
            return Ok(Some(text.as_bytes().to_vec()));
        }
        // A workbook keeps its story in a story.json beside it.
        if name == super::PLACES_FILE || name == super::STORY_FILE {
            return self.beside.get(name).map(|b| b.map(<[u8]>::to_vec));
        }
        Ok(None)
    }
}

/// A problem that is not about one cell: the sheet's file and a place inside it.
fn problem(file: String, place: String, message: impl Into<String>) -> Problem {
    Problem {
        file,
        place,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests;
