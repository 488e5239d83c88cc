//! A folder of CSV files, one per sheet: UTF-8 with a comma, dates and times as text in the
//! reader's own forms (`2016-05-01`, `2016-05-01 12:00`).

use std::path::Path;

use super::{Out, Table, WriteError, io};

pub fn write(tables: &[Table], dir: &Path) -> Result<(), WriteError> {
    for table in tables {
        let path = dir.join(format!("{}.csv", table.name));
        let mut out = ::csv::Writer::from_path(&path).map_err(|e| csv_error(&path, e))?;
        out.write_record(&table.columns)
            .map_err(|e| csv_error(&path, e))?;
        for row in &table.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| c.as_ref().map(cell_text).unwrap_or_default())
                .collect();
            out.write_record(&cells).map_err(|e| csv_error(&path, e))?;
        }
        out.flush().map_err(io(&path))?;
    }
    Ok(())
}

/// A cell as CSV text, in a form the reader takes back as the same value.
pub fn cell_text(cell: &Out) -> String {
    match cell {
        Out::Text(t) => t.clone(),
        Out::Number(n) => crate::load::workbook::number_text(*n),
        Out::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Out::Date(d) => d.format("%Y-%m-%d").to_string(),
        Out::DateTime(t) => {
            use chrono::Timelike;
            if t.second() == 0 {
                t.format("%Y-%m-%d %H:%M").to_string()
            } else {
                t.format("%Y-%m-%d %H:%M:%S").to_string()
            }
        }
    }
}

fn csv_error(path: &Path, e: ::csv::Error) -> WriteError {
    WriteError::Io {
        path: path.display().to_string(),
        source: std::io::Error::other(e.to_string()),
    }
}
