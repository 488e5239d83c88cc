//! A folder of CSV files, one per sheet (`events.csv` is the `events` sheet).
//!
//! Spreadsheet programs write CSV in the user's locale: a comma, or a semicolon where the comma
//! is the decimal mark, with or without a byte-order mark. Both are read; the separator is the
//! one that splits the header row into names the caller knows.

use std::path::Path;

use super::{RowBuilder, Sheet, Value};

/// The CSV files of a folder (`*.csv`, in name order), each read as a sheet. `known(sheet,
/// column)` says whether a header name means something, to choose the separator. `Err` names
/// the file and what is wrong with it.
pub fn read_folder(
    dir: &Path,
    cap: u64,
    known: &dyn Fn(&str, &str) -> bool,
) -> Result<Vec<Sheet>, (String, String)> {
    let real = std::fs::canonicalize(dir)
        .map_err(|e| (dir.display().to_string(), format!("cannot open: {e}")))?;
    let mut names: Vec<String> = std::fs::read_dir(&real)
        .map_err(|e| (dir.display().to_string(), format!("cannot list: {e}")))?
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.to_ascii_lowercase().ends_with(".csv"))
        .collect();
    names.sort();
    let mut sheets = Vec::with_capacity(names.len());
    for file in names {
        let bytes = match super::super::files::read_inside(&real, &file, cap) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => continue,
            Err(e) => return Err((file, e)),
        };
        let name = file[..file.len() - 4].to_string();
        let rows =
            read_text(&bytes, &|column| known(&name, column)).map_err(|e| (file.clone(), e))?;
        sheets.push(Sheet {
            name,
            rows,
            file: Some(file),
        });
    }
    Ok(sheets)
}

/// One CSV file's rows. `Err` when it is not UTF-8 or cannot be split into records.
pub fn read_text(bytes: &[u8], known: &dyn Fn(&str) -> bool) -> Result<Vec<super::Row>, String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return Err(format!(
                "is not UTF-8 text (an invalid byte at offset {}): it must be UTF-8; save it as \"CSV UTF-8\" (in LibreOffice: character set Unicode (UTF-8))",
                e.valid_up_to()
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = separator(text, known);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = RowBuilder::default();
    let mut record = ::csv::StringRecord::new();
    let mut index: u32 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(format!("row {}: cannot be read as CSV ({e})", index + 1)),
        }
        for (col, field) in record.iter().enumerate() {
            let col = u32::try_from(col).unwrap_or(u32::MAX);
            let value = (!field.trim().is_empty()).then(|| Value::Text(field.to_string()));
            rows.push(index, col, value)?;
        }
        index = index.saturating_add(1);
    }
    Ok(rows.finish())
}

/// `,` or `;`: the one whose split of the first line gives the most names the caller knows
/// (a comma when they tie, as in a file with one column).
fn separator(text: &str, known: &dyn Fn(&str) -> bool) -> u8 {
    let header = |sep: u8| -> usize {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(sep)
            .from_reader(text.as_bytes());
        let mut record = ::csv::StringRecord::new();
        match reader.read_record(&mut record) {
            Ok(true) => record.iter().filter(|name| known(name.trim())).count(),
            _ => 0,
        }
    };
    if header(b';') > header(b',') {
        b';'
    } else {
        b','
    }
}
