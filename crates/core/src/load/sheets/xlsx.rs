//! Office Open XML workbooks (`.xlsx`), read through calamine one cell at a time as the sheet's
//! XML streams: no sheet is ever held as a rectangle, so one cell at XFD1048576 costs one cell.

use std::io::Cursor;

use calamine::{DataRef, ExcelDateTime, Reader, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};

use super::{RowBuilder, Sheet, Value};

/// Every sheet of the workbook, in its order. `Err` names the sheet when one cannot be read.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| format!("is not a readable .xlsx workbook ({e})"))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let rows = read_sheet(&mut book, &name).map_err(|e| format!("sheet `{name}` {e}"))?;
        sheets.push(Sheet {
            name,
            rows,
            file: None,
        });
    }
    Ok(sheets)
}

fn read_sheet(book: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Vec<super::Row>, String> {
    let mut cells = book
        .worksheet_cells_reader(name)
        .map_err(|e| format!("cannot be read ({e})"))?;
    let mut rows = RowBuilder::default();
    loop {
        let record = cells
            .next_cell_with_formula_metadata()
            .map_err(|e| format!("cannot be read ({e})"))?;
        let Some(record) = record else { break };
        let (row, col) = record.pos;
        let value = match (value(&record.value), &record.formula) {
            (None, Some(_)) => Some(Value::FormulaWithoutValue(
                "a formula whose result was not saved".into(),
            )),
            (value, _) => value,
        };
        rows.push(row, col, value)?;
    }
    Ok(rows.finish())
}

/// A cell's value as the loader reads it; `None` for an empty cell.
fn value(data: &DataRef<'_>) -> Option<Value> {
    Some(match data {
        DataRef::Empty => return None,
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(dt) => date_time(dt),
        DataRef::DateTimeIso(s) => iso(s),
        DataRef::DurationIso(s) => Value::Error(format!(
            "a duration ({s}), not a date or a number; write the number of hours"
        )),
        DataRef::Error(e) => Value::Error(format!("the error value {e}")),
    })
}

/// A serial date of the 1900 or 1904 system as a wall time, rounded to the second (a program
/// stores 12:00 as 0.49999999… of a day).
pub fn date_time(dt: &ExcelDateTime) -> Value {
    if dt.is_duration() {
        return Value::Error(
            "a duration, not a date or a number; write the number of hours".into(),
        );
    }
    if dt.as_f64() < 1.0 {
        return Value::Error("a time of day without a date".into());
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    let Some(date) = NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d)) else {
        return Value::Error(format!(
            "the date {y:04}-{mo:02}-{d:02}, which does not exist (the 1900 leap-year error of old spreadsheets)"
        ));
    };
    let wall = date
        .and_hms_opt(u32::from(h), u32::from(mi), u32::from(s))
        .unwrap_or_default();
    let wall = if ms >= 500 {
        wall + chrono::Duration::seconds(1)
    } else {
        wall
    };
    Value::DateTime {
        wall,
        date_only: dt.as_f64().fract() == 0.0,
    }
}

/// An ISO 8601 date or date-time as the reader gives it ("2016-05-01", "2016-05-01T12:00:00").
pub fn iso(s: &str) -> Value {
    if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Value::date(date);
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(wall) = NaiveDateTime::parse_from_str(s, format) {
            return Value::DateTime {
                wall: round_to_second(wall),
                date_only: false,
            };
        }
    }
    Value::Error(format!("a date that cannot be read ({s})"))
}

fn round_to_second(wall: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    let whole = wall.with_nanosecond(0).unwrap_or(wall);
    if wall.nanosecond() >= 500_000_000 {
        whole + chrono::Duration::seconds(1)
    } else {
        whole
    }
}
