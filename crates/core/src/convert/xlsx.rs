//! An `.xlsx` workbook: one sheet per table, the header row bold and frozen, dates and times as
//! date cells, and drop-down lists for the columns that take one of a few words.

use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use strum::VariantArray;

use super::{Out, Table, WriteError};
use crate::model::{EventKind, Precision};

/// The last row a drop-down list covers: the whole sheet below the header.
const LAST_ROW: u32 = 1_048_575;

/// Writes the tables (and a `README` sheet first, when given) to `path`.
pub fn write(tables: &[Table], path: &Path, readme: Option<&[String]>) -> Result<(), WriteError> {
    let failed = |e: XlsxError| WriteError::Workbook {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut book = Workbook::new();
    if let Some(lines) = readme {
        let sheet = book.add_worksheet();
        sheet.set_name("README").map_err(failed)?;
        sheet.set_column_width(0, 110).map_err(failed)?;
        let bold = Format::new().set_bold();
        for (i, line) in lines.iter().enumerate() {
            let row = u32::try_from(i).unwrap_or(u32::MAX);
            match i {
                0 => sheet.write_string_with_format(row, 0, line, &bold),
                _ => sheet.write_string(row, 0, line),
            }
            .map_err(failed)?;
        }
    }
    for table in tables {
        let sheet = book.add_worksheet();
        write_table(sheet, table).map_err(failed)?;
    }
    book.save(path).map_err(failed)
}

fn write_table(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    sheet.set_name(table.name)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let minute = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let second = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    for (c, name) in table.columns.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, *name, &bold)?;
        sheet.set_column_width(col, width(name))?;
        if let Some(list) = choices(table.name, name) {
            let list = DataValidation::new()
                .allow_list_strings(&list)?
                .ignore_blank(true);
            sheet.add_data_validation(1, col, LAST_ROW, col, &list)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                None => {}
                Some(Out::Text(t)) => {
                    sheet.write_string(r, c, t)?;
                }
                Some(Out::Number(n)) => {
                    sheet.write_number(r, c, *n)?;
                }
                Some(Out::Bool(b)) => {
                    sheet.write_boolean(r, c, *b)?;
                }
                Some(Out::Date(d)) => {
                    sheet.write_datetime_with_format(r, c, excel_date(*d)?, &date)?;
                }
                Some(Out::DateTime(t)) => {
                    let format = if t.second() == 0 { &minute } else { &second };
                    sheet.write_datetime_with_format(r, c, excel_time(*t)?, format)?;
                }
            }
        }
    }
    Ok(())
}

/// The words a column takes, offered as a drop-down list.
fn choices(sheet: &str, column: &str) -> Option<Vec<&'static str>> {
    let precisions = || Precision::VARIANTS.iter().map(|p| p.as_str()).collect();
    match (sheet, column) {
        ("events", "kind") => Some(EventKind::VARIANTS.iter().map(|k| k.as_str()).collect()),
        ("events", "precision") | ("sources", "published_precision") => Some(precisions()),
        ("zones", "approximate") => Some(vec!["TRUE", "FALSE"]),
        _ => None,
    }
}

fn width(column: &str) -> f64 {
    match column {
        "quote" | "note" | "description" | "headline" | "value" | "geometry_source" => 50.0,
        "id" | "time" | "until" | "published" | "name" | "outlet" | "actor" | "url" | "source"
        | "zones" | "speaker" | "as_reported" | "instrument" => 20.0,
        _ => 14.0,
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).unwrap_or(0),
        d.month() as u8,
        d.day() as u8,
    )
}

fn excel_time(t: NaiveDateTime) -> Result<ExcelDateTime, XlsxError> {
    excel_date(t.date())?.and_hms(t.hour() as u16, t.minute() as u8, t.second())
}
