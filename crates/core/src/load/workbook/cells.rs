//! What one cell means for one field: text, a yes/no, a number, a time.
//!
//! The rules for times are the JSON format's, said for cells: a date or date-time cell is a
//! wall time in the dataset's zone; text is RFC 3339 with its offset, a wall time, or a date.

use std::borrow::Cow;

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone,
};
use chrono_tz::Tz;

use super::super::sheets::Value;
use crate::timefmt::local_day_start;

/// A cell read as text. Numbers are written as a spreadsheet shows them in General format
/// (`2016`, `1.5`); a date cell as its ISO date or date-time. Text cells are borrowed.
pub fn text(value: &Value) -> Result<Cow<'_, str>, String> {
    match value {
        Value::Text(t) => Ok(Cow::Borrowed(t.as_str())),
        Value::Number(n) => Ok(Cow::Owned(number_text(*n))),
        Value::Bool(b) => Ok(Cow::Borrowed(if *b { "TRUE" } else { "FALSE" })),
        Value::DateTime { wall, date_only } => Ok(Cow::Owned(if *date_only {
            wall.date().format("%Y-%m-%d").to_string()
        } else {
            wall.format("%Y-%m-%d %H:%M:%S").to_string()
        })),
        other => Err(unusable(other)),
    }
}

/// Why a cell holding an error or an unsaved formula cannot be read.
pub fn unusable(value: &Value) -> String {
    match value {
        Value::Error(what) => format!("holds {what}"),
        Value::FormulaWithoutValue(what) => {
            format!("holds {what}: open the file in a spreadsheet program and save it again")
        }
        _ => "cannot be read".into(),
    }
}

pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// `approximate`: a TRUE/FALSE cell or the text true/false (any case). LibreOffice keeps a
/// TRUE/FALSE cell as the number 1 or 0 shown as a truth value, so those numbers are read too.
pub fn yes_no(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if *n == 1.0 => Ok(true),
        Value::Number(n) if *n == 0.0 => Ok(false),
        Value::Text(t) if t.trim().eq_ignore_ascii_case("true") => Ok(true),
        Value::Text(t) if t.trim().eq_ignore_ascii_case("false") => Ok(false),
        Value::Error(_) | Value::FormulaWithoutValue(_) => Err(unusable(value)),
        other => Err(format!(
            "must be TRUE or FALSE, not \"{}\"",
            text(other).unwrap_or_default()
        )),
    }
}

/// `duration_hours`: a number cell or a number written as text.
pub fn number(value: &Value) -> Result<f64, String> {
    match value {
        Value::Number(n) => Ok(*n),
        Value::Text(t) => t
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| format!("\"{t}\" is not a number")),
        Value::DateTime { .. } | Value::Bool(_) => Err(format!(
            "\"{}\" is not a number",
            text(value).unwrap_or_default()
        )),
        other => Err(unusable(other)),
    }
}

/// Which dates alone a time field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateAlone {
    /// `published`: a date stays a date (its precision is then a day).
    KeptAsDate,
    /// `time` with precision `day` or `approximate`: the first instant of that local day.
    FirstInstant,
    /// Every other time: a date alone is refused as text (a date cell is its midnight).
    Refused,
}

/// A time field's cell as the JSON format writes it: RFC 3339 with the local offset, or a date
/// (`published` only). `tz` is the dataset's zone (UTC stands in when it is unknown, so the
/// other checks still run; dataset's own error says what is wrong with it).
pub fn time(value: &Value, tz: Tz, alone: DateAlone) -> Result<String, String> {
    match value {
        Value::DateTime {
            wall,
            date_only: true,
        } => date(wall.date(), tz, alone, true),
        Value::DateTime {
            wall,
            date_only: false,
        } => wall_time(*wall, tz),
        Value::Text(t) => time_text(t.trim(), tz, alone),
        Value::Number(n) => Err(format!(
            "is the number {}, not a date: format the cell as a date, or write the time as text like 2016-05-01 12:00",
            number_text(*n)
        )),
        Value::Bool(_) => Err("is TRUE or FALSE, not a date".into()),
        other => Err(unusable(other)),
    }
}

fn time_text(t: &str, tz: Tz, alone: DateAlone) -> Result<String, String> {
    // The common case first, without a format string to interpret for every cell.
    if let Some(wall) = plain_wall_time(t) {
        return wall_time(wall, tz);
    }
    if DateTime::parse_from_rfc3339(t).is_ok() {
        return Ok(t.to_string());
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(wall) = NaiveDateTime::parse_from_str(t, format) {
            return wall_time(wall, tz);
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return date(day, tz, alone, false);
    }
    Err(format!(
        "\"{t}\" is not a time: write 2016-05-01 12:00 (a wall time in the dataset's zone), 2016-05-01T12:00:00+03:00, or use a date-time cell"
    ))
}

/// `2016-05-01 12:00` or `2016-05-01 12:00:30` (a space or a `T` between), read digit by
/// digit; anything else is left to the general parsers.
fn plain_wall_time(t: &str) -> Option<NaiveDateTime> {
    let b = t.as_bytes();
    if !(b.len() == 16 || b.len() == 19) || b[4] != b'-' || b[7] != b'-' || b[13] != b':' {
        return None;
    }
    if !(b[10] == b' ' || b[10] == b'T') || (b.len() == 19 && b[16] != b':') {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<u32> {
        b.get(from..from + len)?.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let second = if b.len() == 19 { num(17, 2)? } else { 0 };
    NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)?).ok()?, num(5, 2)?, num(8, 2)?)?.and_hms_opt(
        num(11, 2)?,
        num(14, 2)?,
        second,
    )
}

fn date(day: NaiveDate, tz: Tz, alone: DateAlone, cell: bool) -> Result<String, String> {
    match alone {
        DateAlone::KeptAsDate => Ok(day.format("%Y-%m-%d").to_string()),
        DateAlone::Refused if !cell => Err(format!(
            "\"{day}\" is a date without a time of day; write 2016-05-01 00:00 if midnight is meant (a date alone is for `published`, and for `time` with precision day or approximate)"
        )),
        _ => local_day_start(day, tz)
            .map(|t| rfc3339(t.with_timezone(&tz).fixed_offset()))
            .ok_or_else(|| format!("{day} has no first instant in {tz}")),
    }
}

/// A wall time in `tz`: refused where the clocks skip it or show it twice, since either would
/// be a guess.
fn wall_time(wall: NaiveDateTime, tz: Tz) -> Result<String, String> {
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) => Ok(rfc3339(t.fixed_offset())),
        LocalResult::None => Err(format!(
            "{} does not exist in {tz}: the clocks skip it (they jump forward that night)",
            wall.format("%Y-%m-%d %H:%M")
        )),
        LocalResult::Ambiguous(a, b) => Err(format!(
            "{} happens twice in {tz} (the clocks go back that night): write it as text with its offset, {} or {}",
            wall.format("%Y-%m-%d %H:%M"),
            rfc3339(a.fixed_offset()),
            rfc3339(b.fixed_offset())
        )),
    }
}

pub fn rfc3339(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}
