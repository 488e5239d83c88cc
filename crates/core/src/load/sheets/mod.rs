//! Spreadsheets as the loader sees them: named sheets of non-empty cells, each at the row and
//! column the spreadsheet program shows, so that every problem can say `events!F14`.
//!
//! The readers ([`csv`], [`xlsx`], [`ods`]) only turn bytes into cells, with their own bounds
//! (decompressed bytes, cells per sheet); what the cells mean is [`super::workbook`]'s business.

pub mod csv;
pub mod ods;
pub mod xlsx;

use chrono::{NaiveDate, NaiveDateTime};

/// At most this many cell records are read from one sheet (empty ones included): a sheet at
/// the spreadsheet's own maximum of 1,048,576 rows still fits, with 19 columns each.
pub const MAX_SHEET_CELLS: usize = 20_000_000;

/// At most this many bytes of XML are decompressed from one workbook, summed over the parts
/// read (sheets, shared strings, styles), checked against the sizes the archive declares before
/// anything is inflated; a part that inflates past its declared size is refused as it streams.
pub const MAX_WORKBOOK_XML_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// What a cell holds, as its program stored it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date or date-time cell: a wall time, with no zone (the dataset's zone gives it one).
    /// `date_only` when the cell holds a whole day (no time of day).
    DateTime {
        wall: NaiveDateTime,
        date_only: bool,
    },
    /// An error value such as `#REF!` or `#N/A`.
    Error(String),
    /// A formula whose result was never saved: nothing to read.
    FormulaWithoutValue(String),
}

impl Value {
    /// A date-time cell from a date.
    pub fn date(date: NaiveDate) -> Value {
        Value::DateTime {
            wall: date.and_time(chrono::NaiveTime::MIN),
            date_only: true,
        }
    }
}

/// One cell: its column (0 is A) and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub col: u32,
    pub value: Value,
}

/// One row holding at least one cell; `row` counts from 0 (the spreadsheet's row 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub row: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn get(&self, col: u32) -> Option<&Value> {
        self.cells.iter().find(|c| c.col == col).map(|c| &c.value)
    }
}

/// A named sheet: its rows in order, empty rows left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
    /// The file the sheet came from, for a folder of CSV files (`events.csv`); `None` in a
    /// workbook, where the workbook's own name is the file.
    pub file: Option<String>,
}

/// The sheets of a workbook or of a folder of CSV files, in their order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workbook {
    /// The workbook's file name (`truce.xlsx`), or the folder's for CSV files.
    pub file: String,
    pub sheets: Vec<Sheet>,
}

/// Where a cell is, as problems name it: `events!F14` in a workbook, `F14` in `events.csv`.
/// Returns the file to name and the place in it.
pub fn cell_place(book: &Workbook, sheet: &Sheet, row: u32, col: Option<u32>) -> (String, String) {
    let cell = match col {
        Some(col) => format!("{}{}", column_letters(col), row + 1),
        None => format!("row {}", row + 1),
    };
    match &sheet.file {
        Some(file) => (file.clone(), cell),
        None => (book.file.clone(), format!("{}!{cell}", sheet.name)),
    }
}

/// The letters a spreadsheet shows for a 0-based column: 0 is A, 25 is Z, 26 is AA.
pub fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Collects a sheet's cells in reading order into rows, skipping empty ones; cells arrive row by
/// row from every reader, so a new row starts whenever the row number changes.
#[derive(Default)]
pub struct RowBuilder {
    rows: Vec<Row>,
    records: usize,
    /// How many cells a new row is made room for: the widest row so far, so that a row's
    /// cells are not moved again and again as they arrive.
    width: usize,
}

impl RowBuilder {
    /// Counts one cell record (empty or not) and keeps it if it holds something. `Err` once the
    /// sheet holds more records than [`MAX_SHEET_CELLS`].
    pub fn push(&mut self, row: u32, col: u32, value: Option<Value>) -> Result<(), String> {
        self.records += 1;
        if self.records > MAX_SHEET_CELLS {
            return Err(format!(
                "holds more than {MAX_SHEET_CELLS} cells; the limit is {MAX_SHEET_CELLS} per sheet (see data/FORMAT.md)"
            ));
        }
        let Some(value) = value else { return Ok(()) };
        if matches!(&value, Value::Text(t) if t.trim().is_empty()) {
            return Ok(());
        }
        self.keep(row, col, value);
        Ok(())
    }

    /// Keeps a cell already counted (by [`RowBuilder::skip`]).
    pub fn keep(&mut self, row: u32, col: u32, value: Value) {
        match self.rows.last_mut() {
            Some(last) if last.row == row => {
                last.cells.push(Cell { col, value });
                self.width = self.width.max(last.cells.len());
            }
            _ => {
                let mut cells = Vec::with_capacity(self.width.clamp(1, 64));
                cells.push(Cell { col, value });
                self.rows.push(Row { row, cells });
            }
        }
    }

    /// Counts `n` more cell records at once (a run of repeated empty cells).
    pub fn skip(&mut self, n: usize) -> Result<(), String> {
        self.records = self.records.saturating_add(n);
        if self.records > MAX_SHEET_CELLS {
            return Err(format!(
                "holds more than {MAX_SHEET_CELLS} cells; the limit is {MAX_SHEET_CELLS} per sheet (see data/FORMAT.md)"
            ));
        }
        Ok(())
    }

    /// The cell records counted so far.
    pub fn records(&self) -> usize {
        self.records
    }

    pub fn finish(mut self) -> Vec<Row> {
        // Readers give rows in order; a program that writes them out of order still gets them
        // read in the order the spreadsheet shows.
        if !self.rows.is_sorted_by_key(|r| r.row) {
            self.rows.sort_by_key(|r| r.row);
            self.rows.dedup_by(|b, a| {
                if a.row == b.row {
                    a.cells.append(&mut b.cells);
                    true
                } else {
                    false
                }
            });
        }
        self.rows
    }
}

/// What a workbook file is, from its first bytes (not its name: a renamed file is still read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Ods,
}

/// Reads a workbook's bytes, whichever kind it is. `Err` says what is wrong with the file as a
/// whole, in words for the user.
pub fn read_workbook(file: &str, bytes: &[u8]) -> Result<Workbook, String> {
    const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&CFB) {
        return Err("is a password-protected workbook or an old .xls file; save it as an .xlsx or .ods workbook without a password".into());
    }
    if !bytes.starts_with(b"PK") {
        return Err("is not an .xlsx or .ods workbook (it is not a zip archive)".into());
    }
    let sheets = match inspect(bytes)? {
        Kind::Xlsx => xlsx::read(bytes)?,
        Kind::Ods => ods::read(bytes)?,
    };
    Ok(Workbook {
        file: file.to_string(),
        sheets,
    })
}

/// What kind of workbook the archive is, by its members, once the sizes its directory declares
/// for all its parts are summed and found within the limit (zip refuses a part that inflates
/// past its declared size, so the sum bounds the work). One reading of the directory for both.
fn inspect(bytes: &[u8]) -> Result<Kind, String> {
    let damaged = |e: zip::result::ZipError| {
        format!("is not a readable workbook: the archive is damaged ({e})")
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(damaged)?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let size = archive.by_index_raw(i).map_err(damaged)?.size();
        total = total.saturating_add(size);
    }
    if total > MAX_WORKBOOK_XML_BYTES {
        return Err(format!(
            "would inflate to {total} bytes; the limit is {MAX_WORKBOOK_XML_BYTES} bytes (see data/FORMAT.md)"
        ));
    }
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("xl/workbook.xml") {
        Ok(Kind::Xlsx)
    } else if has("content.xml") {
        Ok(Kind::Ods)
    } else {
        Err("is a zip archive but not an .xlsx or .ods workbook".into())
    }
}

#[cfg(test)]
mod tests;
