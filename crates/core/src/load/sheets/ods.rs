//! OpenDocument spreadsheets (`.ods`), read from `content.xml` as it streams.
//!
//! Read here rather than through calamine's ODS reader because that one builds each sheet as a
//! rectangle of cells, so a repeated row or column could ask for a hundred million of them; here
//! a run of repeated empty cells costs nothing and a repeated non-empty one counts against the
//! cells-per-sheet limit.

use std::io::{BufReader, Cursor};

use chrono::NaiveDate;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{RowBuilder, Sheet, Value};

/// The spreadsheet's own last row and column: anything past them is not a real cell.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;

pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("is not a readable .ods workbook ({e})"))?;
    let content = archive
        .by_name("content.xml")
        .map_err(|e| format!("is not a readable .ods workbook: no content ({e})"))?;
    parse(BufReader::new(content))
}

/// The cell being read: its value, its text as it arrives, and how often it repeats.
struct Pending {
    value: Option<Value>,
    text: String,
    has_text: bool,
    repeat: u32,
    formula: bool,
    paragraphs: usize,
}

/// The parser's place: the sheet and row being built, the cell being read.
#[derive(Default)]
struct State {
    sheets: Vec<Sheet>,
    rows: Option<RowBuilder>,
    row: u32,
    col: u32,
    row_repeat: u32,
    row_cells: Vec<(u32, Value)>,
    cell: Option<Pending>,
    /// Inside a comment attached to a cell, whose text is not the cell's.
    annotation: usize,
}

pub fn parse(input: impl std::io::BufRead) -> Result<Vec<Sheet>, String> {
    let mut xml = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut state = State::default();
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("is not a readable .ods workbook (content.xml: {e})"))?;
        let result = match &event {
            Event::Eof => break,
            Event::Start(e) => state.start(e, false),
            Event::Empty(e) => state.start(e, true),
            Event::End(e) => state.end(e.local_name().as_ref()),
            other => {
                state.content(other);
                Ok(())
            }
        };
        if let Err(message) = result {
            let sheet = state.sheets.last().map(|s| s.name.as_str()).unwrap_or("");
            return Err(format!("sheet `{sheet}` {message}"));
        }
        buf.clear();
    }
    Ok(state.sheets)
}

impl State {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), String> {
        match e.local_name().as_ref() {
            "table" => {
                let name = attr(e, "table:name").unwrap_or_default();
                self.sheets.push(Sheet {
                    name,
                    rows: Vec::new(),
                    file: None,
                });
                self.rows = Some(RowBuilder::default());
                self.row = 0;
                if empty {
                    self.end("table")?;
                }
            }
            "table-row" => {
                self.row_repeat = repeat(e, "table:number-rows-repeated");
                self.col = 0;
                self.row_cells.clear();
                if empty {
                    self.end("table-row")?;
                }
            }
            "table-cell" | "covered-table-cell" => {
                self.cell = Some(start_cell(e));
                if empty {
                    self.finish_cell()?;
                }
            }
            "annotation" if !empty => self.annotation += 1,
            "p" if self.annotation == 0 => {
                if let Some(cell) = self.cell.as_mut() {
                    if cell.paragraphs > 0 {
                        cell.text.push('\n');
                    }
                    cell.paragraphs += 1;
                }
            }
            // Runs of spaces, tabs and line breaks inside a cell's text.
            "s" => self.push_text(&" ".repeat(repeat(e, "text:c").min(1_000) as usize)),
            "tab" => self.push_text("\t"),
            "line-break" => self.push_text("\n"),
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<(), String> {
        match name {
            "table" => {
                if let (Some(sheet), Some(rows)) = (self.sheets.last_mut(), self.rows.take()) {
                    sheet.rows = rows.finish();
                }
            }
            "table-row" => self.end_row()?,
            "table-cell" | "covered-table-cell" => self.finish_cell()?,
            "annotation" => self.annotation = self.annotation.saturating_sub(1),
            _ => {}
        }
        Ok(())
    }

    fn push_text(&mut self, text: &str) {
        if self.annotation > 0 {
            return;
        }
        if let Some(cell) = self.cell.as_mut() {
            cell.text.push_str(text);
            cell.has_text = true;
        }
    }

    fn content(&mut self, event: &Event<'_>) {
        let mut text = String::new();
        super::xlsx::push_text(&mut text, event);
        if !text.is_empty() {
            self.push_text(&text);
        }
    }

    /// A cell ends: it is kept for its row, once per repeat, unless it is empty.
    fn finish_cell(&mut self) -> Result<(), String> {
        let Some(cell) = self.cell.take() else {
            return Ok(());
        };
        let repeat = cell.repeat;
        let value = match (cell.value, cell.has_text) {
            (Some(value), _) => Some(value),
            (None, true) if !cell.text.trim().is_empty() => Some(Value::Text(cell.text)),
            (None, _) if cell.formula => Some(Value::FormulaWithoutValue(
                "a formula whose result was not saved".into(),
            )),
            (None, _) => None,
        };
        if let Some(value) = value {
            for k in 0..repeat {
                let col = self.col.saturating_add(k);
                if col >= MAX_COLUMNS {
                    return Err(format!("has a cell past the last column ({MAX_COLUMNS})"));
                }
                // Each copy counts when the row ends (times the row's own repeats).
                self.row_cells.push((col, value.clone()));
            }
        } else if let Some(rows) = self.rows.as_mut() {
            rows.skip(1)?;
        }
        self.col = self.col.saturating_add(repeat);
        Ok(())
    }

    /// A row ends: its cells go into the sheet once per repeat of the row.
    fn end_row(&mut self) -> Result<(), String> {
        let repeat = self.row_repeat;
        if let Some(rows) = self.rows.as_mut()
            && !self.row_cells.is_empty()
        {
            // Counted before any copy is made: a row of cells repeated a million times is
            // refused at once, not after it has filled the memory.
            rows.skip((repeat as usize).saturating_mul(self.row_cells.len()))?;
            for k in 0..repeat {
                let row = self.row.saturating_add(k);
                if row >= MAX_ROWS {
                    return Err(format!("has a cell past the last row ({MAX_ROWS})"));
                }
                for (col, value) in &self.row_cells {
                    rows.keep(row, *col, value.clone());
                }
            }
        }
        self.row = self.row.saturating_add(repeat);
        self.row_cells.clear();
        Ok(())
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// A repeat count: at least 1, and never more than a sheet's rows.
fn repeat(e: &BytesStart<'_>, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_ROWS)
}

fn start_cell(e: &BytesStart<'_>) -> Pending {
    let value = match attr(e, "office:value-type").as_deref() {
        Some("float" | "percentage" | "currency") => Some(
            attr(e, "office:value")
                .and_then(|v| v.trim().parse::<f64>().ok())
                .map_or_else(
                    || Value::Error("a number that cannot be read".into()),
                    Value::Number,
                ),
        ),
        Some("boolean") => attr(e, "office:boolean-value").map(|v| Value::Bool(v == "true")),
        Some("date") => attr(e, "office:date-value").map(|v| date_value(&v)),
        Some("time") => Some(Value::Error(
            "a time of day or duration without a date".into(),
        )),
        Some("string") => attr(e, "office:string-value").map(Value::Text),
        _ => None,
    };
    Pending {
        value,
        text: String::new(),
        has_text: false,
        repeat: repeat(e, "table:number-columns-repeated").min(MAX_COLUMNS),
        formula: attr(e, "table:formula").is_some(),
        paragraphs: 0,
    }
}

/// `office:date-value`: a date, or a date-time, in ISO 8601 without a zone.
fn date_value(text: &str) -> Value {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => Value::date(date),
        Err(_) => super::xlsx::iso(text),
    }
}
