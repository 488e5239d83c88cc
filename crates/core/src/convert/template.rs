//! The workbook `truce-atlas new` writes: every sheet with its header, one worked example row
//! each (the zone given by an `admin_code`, so no map file is needed), drop-down lists, and a
//! README sheet saying how to fill it in. It validates as written.

use std::path::Path;

use chrono::NaiveDate;

use super::{Out, Table, WriteError};
use crate::load::workbook::spec;

/// The template's file name inside the folder `new` makes.
pub const TEMPLATE_FILE: &str = "dataset.xlsx";

/// The README sheet, one line per row.
const README: [&str; 24] = [
    "Truce Atlas dataset workbook",
    "",
    "Each sheet is one kind of record; the first row names the columns (keep those names; columns may be in any order).",
    "Each column means what the field of the same name means in data/FORMAT.md (\"Writing a dataset in a spreadsheet\").",
    "Replace the example rows with your own. Every event needs a verbatim quote from a source: copy it exactly.",
    "",
    "dataset: one row per field. 'name' and 'timezone' (an IANA name such as Asia/Damascus or Europe/Kyiv) are required.",
    "sides (optional): the groups actors belong to, for filtering ('id', 'name', 'description').",
    "zones: one row per zone. Its outline is its 'admin_code' (see 'truce-atlas areas'; several codes separated by commas",
    "   make one zone), or else the feature with the same id in a zones.geojson file beside this workbook.",
    "sources: one row per report: 'outlet', 'published' (a date, or a date and time), 'url'.",
    "instruments: the truces, lulls and ceasefires events refer to.",
    "events: one row per quote. The first row of an event gives its fields; rows below it with the same id (or an",
    "   empty id) add more quotes and leave the other columns empty. 'zones' lists zone ids separated by commas.",
    "   'kind', 'precision' and 'published_precision' offer their words in a drop-down list.",
    "",
    "Times: a date-time cell is a wall time in the dataset's time zone; text may be 2016-05-01 12:00 or",
    "   2016-05-01T12:00:00+03:00. A date alone is allowed for 'published', and for 'time' with precision day or approximate.",
    "   In the hour the clocks repeat (autumn), write the time as text with its offset.",
    "",
    "A sheet named README, and any sheet or column whose name starts with #, is read past (add \"# checked by\" columns).",
    "Check it:   truce-atlas validate --data dataset.xlsx      Open it:   truce-atlas --data dataset.xlsx",
    "The app reloads the map when this file is saved. Google Sheets: File > Download > Microsoft Excel (.xlsx).",
    "",
];

fn table(name: &'static str, cells: &[(&str, Out)]) -> Table {
    let mut t = Table::new(name, spec(name).map(|s| s.columns).unwrap_or(&[]));
    t.push(cells.iter().map(|(k, v)| (*k, Some(v.clone()))).collect());
    t
}

fn text(s: &str) -> Out {
    Out::Text(s.to_string())
}

/// The template's sheets.
pub fn tables() -> Vec<Table> {
    let day = |d: u32| NaiveDate::from_ymd_opt(2016, 5, d).unwrap_or_default();
    let at = |d: u32, h: u32| Out::DateTime(day(d).and_hms_opt(h, 0, 0).unwrap_or_default());
    let mut dataset = Table::new("dataset", &["field", "value"]);
    for (field, value) in [
        ("name", text("My truce (example: replace every row)")),
        ("timezone", text("Asia/Damascus")),
        (
            "description",
            text("What this dataset covers and how it was made."),
        ),
        ("default_instant", at(2, 12)),
        ("attribution", text("Compiled by …")),
    ] {
        dataset.push(vec![("field", Some(text(field))), ("value", Some(value))]);
    }
    vec![
        dataset,
        table(
            "sides",
            &[
                ("id", text("example-side")),
                ("name", text("Example side")),
                ("description", text("Whose side it is.")),
            ],
        ),
        table(
            "zones",
            &[
                ("id", text("example-zone")),
                ("name", text("Example zone (Idlib province)")),
                ("kind", text("province")),
                ("approximate", Out::Bool(false)),
                ("admin_code", text("SY-ID")),
            ],
        ),
        table(
            "sources",
            &[
                ("id", text("example-source")),
                ("outlet", text("Example outlet")),
                ("published", Out::Date(day(1))),
                ("headline", text("The report's headline, as published")),
                ("url", text("https://example.org/report")),
            ],
        ),
        table(
            "instruments",
            &[
                ("id", text("example-truce")),
                ("name", text("Example 48-hour truce")),
                ("description", text("What was agreed, by whom.")),
            ],
        ),
        table(
            "events",
            &[
                ("id", text("example-truce-starts")),
                ("time", at(1, 1)),
                ("precision", text("hour")),
                ("as_reported", text("from 1 a.m. on Sunday")),
                ("kind", text("truce_start")),
                ("zones", text("example-zone")),
                ("actor", text("Who announced it")),
                ("side", text("example-side")),
                ("instrument", text("example-truce")),
                ("duration_hours", Out::Number(48.0)),
                ("source", text("example-source")),
                (
                    "quote",
                    text("Replace this with the exact words of the report."),
                ),
                ("speaker", text("Who said it, if it is someone's words")),
            ],
        ),
    ]
}

/// Writes `dir/dataset.xlsx`, making `dir` if needed; an existing workbook there is kept.
pub fn template(dir: &Path) -> Result<std::path::PathBuf, WriteError> {
    let path = dir.join(TEMPLATE_FILE);
    if path.exists() {
        return Err(WriteError::Refused {
            path: path.display().to_string(),
            message: "already exists; nothing was written (give a new folder)".into(),
        });
    }
    std::fs::create_dir_all(dir).map_err(super::io(dir))?;
    let readme: Vec<String> = README.iter().map(|s| (*s).to_string()).collect();
    // Written beside and renamed: a failed write leaves no half workbook.
    let partial = dir.join(format!(".{TEMPLATE_FILE}.partial-{}", std::process::id()));
    let result = super::xlsx::write(&tables(), &partial, Some(&readme))
        .and_then(|()| std::fs::rename(&partial, &path).map_err(super::io(&path)));
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result.map(|()| path)
}
