//! Office Open XML workbooks (`.xlsx`): the workbook's sheet list, its shared strings and which
//! cell styles are dates, then each sheet's cells, read with quick-xml from the inflated XML.
//!
//! Read here rather than through calamine (measured: 290 ms for the 1.08 million cells of a
//! 100,000-event sheet, most of it general bookkeeping this loader never uses): a sheet's XML is
//! inflated whole (each part at most the file-size cap, as a JSON file is held whole), and a big
//! sheet is parsed in two halves on two threads, split between rows. Cells are kept sparse, so
//! one at XFD1048576 costs one cell.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use chrono::{NaiveDate, NaiveDateTime};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Row, RowBuilder, Sheet, Value};

/// Sheets at least this long (bytes of XML) are parsed in two halves at once.
const SPLIT_FROM: usize = 4 << 20;

/// Every sheet of the workbook, in its order. `Err` says what is wrong, naming the sheet when one
/// cannot be read.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let open = || {
        zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("is not a readable .xlsx workbook ({e})"))
    };
    let mut zip = open()?;
    let cap = super::super::limits::file_cap();
    // The shared strings and styles are read on a second thread while this one inflates the
    // sheets: both are needed before any cell can be read.
    let (parts, book) = std::thread::scope(|scope| {
        let other = scope.spawn(|| -> Result<Book, String> {
            let mut zip = open()?;
            let strings = match member(&mut zip, "xl/sharedStrings.xml", cap)? {
                Some(xml) => shared_strings(&xml)?,
                None => Vec::new(),
            };
            let styles = match member(&mut zip, "xl/styles.xml", cap)? {
                Some(xml) => date_styles(&xml)?,
                None => Vec::new(),
            };
            Ok(Book {
                strings,
                styles,
                date1904: false,
            })
        });
        let parts = sheet_parts(&mut zip, cap);
        let book = other
            .join()
            .unwrap_or_else(|_| Err("is not a readable .xlsx workbook".into()));
        (parts, book)
    });
    let (parts, date1904) = parts?;
    let book = Book { date1904, ..book? };
    let mut sheets = Vec::with_capacity(parts.len());
    for (name, xml) in parts {
        let rows = match xml {
            Some(xml) => book
                .sheet(&xml)
                .map_err(|e| format!("sheet `{name}` {e}"))?,
            None => Vec::new(),
        };
        sheets.push(Sheet {
            name,
            rows,
            file: None,
        });
    }
    Ok(sheets)
}

/// Every sheet's name and XML (`None` for a sheet without cells, such as a chart sheet), in the
/// workbook's order, and whether its dates count from 1904.
#[allow(clippy::type_complexity)]
fn sheet_parts(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    cap: u64,
) -> Result<(Vec<(String, Option<String>)>, bool), String> {
    let workbook = member(zip, "xl/workbook.xml", cap)?
        .ok_or("is not a readable .xlsx workbook: it has no xl/workbook.xml")?;
    let (names, date1904) = sheet_list(&workbook)?;
    let rels = member(zip, "xl/_rels/workbook.xml.rels", cap)?.unwrap_or_default();
    let targets = relations(&rels)?;
    let mut parts = Vec::with_capacity(names.len());
    for (name, rid) in names {
        let xml = match targets.get(&rid) {
            Some(path) => member(zip, path, cap).map_err(|e| format!("sheet `{name}` {e}"))?,
            None => None,
        };
        parts.push((name, xml));
    }
    Ok((parts, date1904))
}

/// One part of the archive as text, or `None` when it is not there.
fn member(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    path: &str,
    cap: u64,
) -> Result<Option<String>, String> {
    let mut file = match zip.by_name(path) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("cannot be read: {path} ({e})")),
    };
    if file.size() > cap {
        return Err(format!(
            "holds {path} of {} bytes; the limit is {cap} bytes (raise it with --max-file-size)",
            file.size()
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {path} ({e})"))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| format!("cannot be read: {path} is not UTF-8 XML"))
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| {
            let key: &str = a.key.as_ref();
            key == name
        })
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// An attribute whose value holds no reference or space to resolve (a cell's `r`, `t`, `s`): its
/// text as written, without a copy when the parser has it borrowed.
fn plain_attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| {
            let key: &str = a.key.as_ref();
            key == name
        })
        .map(|a| a.value)
}

fn xml_error(part: &str, e: impl std::fmt::Display) -> String {
    format!("is not a readable .xlsx workbook ({part}: {e})")
}

/// The sheets' names and relation ids, in order, and whether dates count from 1904.
fn sheet_list(xml: &str) -> Result<(Vec<(String, String)>, bool), String> {
    let mut reader = Reader::from_str(xml);
    let mut sheets = Vec::new();
    let mut date1904 = false;
    loop {
        match reader
            .read_event()
            .map_err(|e| xml_error("workbook.xml", e))?
        {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "sheet" => {
                    let name = attr(&e, "name").unwrap_or_default();
                    let rid = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| {
                            let key: &str = a.key.as_ref();
                            key.ends_with(":id")
                        })
                        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    sheets.push((name, rid));
                }
                "workbookPr" => {
                    date1904 = matches!(attr(&e, "date1904").as_deref(), Some("1" | "true"));
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok((sheets, date1904))
}

/// Relation id to the part's path in the archive.
fn relations(xml: &str) -> Result<HashMap<String, String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = HashMap::new();
    loop {
        match reader
            .read_event()
            .map_err(|e| xml_error("workbook.xml.rels", e))?
        {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) else {
                    continue;
                };
                let path = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("xl/{target}"),
                };
                out.insert(id, path);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The text an XML event carries, entity and character references resolved (the escapes Excel
/// adds, `_x000D_`, are undone by [`unescape_excel`]).
pub(super) fn push_text(out: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(t) => out.push_str(&t.xml10_content()),
        Event::CData(t) => out.push_str(&t.xml10_content()),
        Event::GeneralRef(r) => match r.resolve_char_ref() {
            Ok(Some(ch)) => out.push(ch),
            _ => out.push_str(quick_xml::escape::resolve_predefined_entity(r).unwrap_or("")),
        },
        _ => {}
    }
}

/// `_x000D_` (a character Excel could not put in XML as it is) to the character.
fn unescape_excel(text: String) -> String {
    if !text.contains("_x") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let code = rest
            .get(at + 2..at + 7)
            .filter(|c| c.ends_with('_'))
            .and_then(|c| u32::from_str_radix(&c[..4], 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(ch) => {
                out.push(ch);
                rest = &rest[at + 7..];
            }
            None => {
                out.push_str("_x");
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The shared strings, each the text of its runs (phonetic guides left out).
fn shared_strings(xml: &str) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let (mut current, mut in_t, mut phonetic) = (String::new(), false, 0usize);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error("sharedStrings.xml", e))?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => current.clear(),
                "t" => in_t = true,
                "rPh" => phonetic += 1,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "si" => out.push(unescape_excel(std::mem::take(&mut current))),
                "t" => in_t = false,
                "rPh" => phonetic = phonetic.saturating_sub(1),
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => out.push(String::new()),
            other if in_t && phonetic == 0 => push_text(&mut current, other),
            _ => {}
        }
    }
    Ok(out)
}

/// What a cell style makes of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Number,
    Date,
    Duration,
}

/// Each cell style (`cellXfs`, by index): whether it shows a number as a date or a duration.
fn date_styles(xml: &str) -> Result<Vec<Shown>, String> {
    let mut reader = Reader::from_str(xml);
    let mut formats: HashMap<u32, Shown> = HashMap::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match reader
            .read_event()
            .map_err(|e| xml_error("styles.xml", e))?
        {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    let id = attr(&e, "numFmtId").and_then(|v| v.parse().ok());
                    if let (Some(id), Some(code)) = (id, attr(&e, "formatCode")) {
                        formats.insert(id, format_kind(&code));
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs => {
                    let id: u32 = attr(&e, "numFmtId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    styles.push(formats.get(&id).copied().unwrap_or_else(|| builtin(id)));
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            _ => {}
        }
    }
    Ok(styles)
}

/// The built-in number formats that show dates and times (ECMA-376 18.8.30, and the East Asian
/// ones Excel maps there).
fn builtin(id: u32) -> Shown {
    match id {
        14..=22 | 27..=36 | 45..=47 | 50..=58 => Shown::Date,
        _ => Shown::Number,
    }
}

/// A custom format code: a date if it shows a day, month, year, hour or second outside quoted
/// text, escapes and brackets; a duration if it has `[h]`, `[m]` or `[s]`.
fn format_kind(code: &str) -> Shown {
    let mut chars = code.chars();
    let mut date = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let inside: String = chars.by_ref().take_while(|&b| b != ']').collect();
                let lower = inside.to_ascii_lowercase();
                if !lower.is_empty() && lower.chars().all(|ch| matches!(ch, 'h' | 'm' | 's')) {
                    return Shown::Duration;
                }
            }
            ';' => break,
            _ if matches!(c.to_ascii_lowercase(), 'd' | 'm' | 'y' | 'h' | 's') => date = true,
            _ => {}
        }
    }
    if date { Shown::Date } else { Shown::Number }
}

/// What every sheet needs to read its cells.
struct Book {
    strings: Vec<String>,
    styles: Vec<Shown>,
    date1904: bool,
}

impl Book {
    /// A sheet's rows: a big one in two halves on two threads, split between two rows that
    /// give their row numbers.
    fn sheet(&self, xml: &str) -> Result<Vec<Row>, String> {
        let Some((first, second)) = split(xml) else {
            let mut rows = RowBuilder::default();
            self.rows(xml, &mut rows)?;
            return Ok(rows.finish());
        };
        let (a, b) = std::thread::scope(|scope| {
            let other = scope.spawn(|| {
                let mut rows = RowBuilder::default();
                self.rows(second, &mut rows).map(|()| rows)
            });
            let mut rows = RowBuilder::default();
            let mine = self.rows(first, &mut rows).map(|()| rows);
            let theirs = other
                .join()
                .unwrap_or_else(|_| Err("cannot be read".into()));
            (mine, theirs)
        });
        let (a, b) = (a?, b?);
        if a.records().saturating_add(b.records()) > super::MAX_SHEET_CELLS {
            return Err(format!(
                "holds more than {} cells; the limit is {} per sheet (see data/FORMAT.md)",
                super::MAX_SHEET_CELLS,
                super::MAX_SHEET_CELLS
            ));
        }
        let mut rows = a.finish();
        rows.extend(b.finish());
        Ok(rows)
    }

    /// The cells of `xml` (a whole sheet, or rows of one) into `rows`.
    fn rows(&self, xml: &str, rows: &mut RowBuilder) -> Result<(), String> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = false;
        let mut cell = CellState::default();
        let (mut row, mut col) = (0u32, 0u32);
        let mut started = false;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| format!("cannot be read ({e})"))?;
            match &event {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "row" => {
                        row = match plain_attr(e, "r").and_then(|r| r.parse::<u32>().ok()) {
                            Some(r) => r.saturating_sub(1),
                            None if started => row.saturating_add(1),
                            None => 0,
                        };
                        started = true;
                        col = 0;
                    }
                    "c" => {
                        cell = CellState::start(e, row, col);
                        col = cell.col.saturating_add(1);
                        if matches!(event, Event::Empty(_)) {
                            rows.skip(1)?;
                        }
                    }
                    "v" => cell.in_value = true,
                    "t" if cell.inline => cell.in_value = true,
                    "f" => cell.formula = true,
                    "is" => cell.inline = true,
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "v" | "t" => cell.in_value = false,
                    "c" => {
                        let (r, c) = (cell.row, cell.col);
                        let value = self.value(std::mem::take(&mut cell));
                        rows.push(r, c, value)?;
                    }
                    _ => {}
                },
                other if cell.in_value => push_text(&mut cell.text, other),
                _ => {}
            }
        }
        Ok(())
    }

    /// A finished cell's value; `None` for an empty one.
    fn value(&self, cell: CellState) -> Option<Value> {
        if !cell.has_text() {
            return cell.formula.then(|| {
                Value::FormulaWithoutValue("a formula whose result was not saved".into())
            });
        }
        let text = cell.text;
        Some(match cell.kind {
            Kind::Shared => match text
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|i| self.strings.get(i))
            {
                Some(s) => Value::Text(s.clone()),
                None => Value::Error(format!("a shared string that does not exist ({text})")),
            },
            Kind::Formula => Value::Text(text),
            Kind::Inline => Value::Text(unescape_excel(text)),
            Kind::Bool => Value::Bool(text.trim() == "1" || text.trim() == "true"),
            Kind::Error => Value::Error(format!("the error value {}", text.trim())),
            Kind::Date => iso(text.trim()),
            Kind::Number => match text.trim().parse::<f64>() {
                Ok(n) => match self
                    .styles
                    .get(cell.style)
                    .copied()
                    .unwrap_or(Shown::Number)
                {
                    Shown::Number => Value::Number(n),
                    Shown::Date => serial_date(n, self.date1904),
                    Shown::Duration => Value::Error(
                        "a duration, not a date or a number; write the number of hours".into(),
                    ),
                },
                Err(_) => Value::Error(format!("a number that cannot be read ({text})")),
            },
        })
    }
}

/// A cell's `t`: what its `<v>` holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Number,
    Shared,
    Formula,
    Inline,
    Bool,
    Error,
    Date,
}

impl Kind {
    fn of(t: &str) -> Kind {
        match t {
            "s" => Kind::Shared,
            "str" => Kind::Formula,
            "inlineStr" => Kind::Inline,
            "b" => Kind::Bool,
            "e" => Kind::Error,
            "d" => Kind::Date,
            _ => Kind::Number,
        }
    }
}

/// The cell being read.
#[derive(Default)]
struct CellState {
    row: u32,
    col: u32,
    kind: Kind,
    style: usize,
    text: String,
    in_value: bool,
    inline: bool,
    formula: bool,
}

impl CellState {
    fn start(e: &BytesStart<'_>, row: u32, col: u32) -> CellState {
        let (mut kind, mut style, mut at) = (None, 0, None);
        for a in e.attributes().with_checks(false).flatten() {
            let key: &str = a.key.as_ref();
            match key {
                "r" => at = cell_ref(&a.value),
                "t" => kind = Some(Kind::of(&a.value)),
                "s" => style = a.value.parse().unwrap_or(0),
                _ => {}
            }
        }
        let (row, col) = at.unwrap_or((row, col));
        CellState {
            row,
            col,
            kind: kind.unwrap_or(Kind::Number),
            style,
            ..CellState::default()
        }
    }

    fn has_text(&self) -> bool {
        !self.text.is_empty() || self.inline
    }
}

/// `XFD1048576` → (1048575, 16383).
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters.bytes().try_fold(0u32, |n, b| {
        b.is_ascii_uppercase()
            .then(|| n * 26 + u32::from(b - b'A') + 1)
    })?;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

/// Where to cut a big sheet's XML in two: at a `<row` in the middle of `<sheetData>` that gives
/// its row number. `None` for a small sheet, or one that cannot be cut safely.
fn split(xml: &str) -> Option<(&str, &str)> {
    if xml.len() < SPLIT_FROM {
        return None;
    }
    let start = xml.find("<sheetData")?;
    let end = xml.rfind("</sheetData>")?;
    let middle = start + (end - start) / 2;
    let cut = middle + xml.get(middle..end)?.find("<row ")?;
    let tag_end = cut + xml[cut..].find('>')?;
    if !xml[cut..tag_end].contains(" r=") || xml[start..cut].contains("<![CDATA[") {
        return None;
    }
    // The first half ends before the cut (left open: the parser does not ask for the closing
    // tags); the second is rows only, up to the end of `<sheetData>`, so that no closing tag
    // lacks its opening one.
    Some((&xml[..cut], &xml[cut..end]))
}

/// A serial date of the 1900 or 1904 system as a wall time, rounded to the second.
pub fn serial_date(serial: f64, date1904: bool) -> Value {
    if !serial.is_finite() || !(0.0..=2_958_466.0).contains(&serial) {
        return Value::Error(format!("the date number {serial}, outside the calendar"));
    }
    if serial < 1.0 && !date1904 {
        return Value::Error("a time of day without a date".into());
    }
    // 1900 system: day 1 is 1900-01-01, and day 60 the 29 February 1900 that never was (Lotus
    // 1-2-3's error, kept by every spreadsheet since).
    if !date1904 && (60.0..61.0).contains(&serial) {
        return Value::Error(
            "the date 1900-02-29, which does not exist (the 1900 leap-year error of old spreadsheets)"
                .into(),
        );
    }
    let (epoch, days) = if date1904 {
        (NaiveDate::from_ymd_opt(1904, 1, 1), serial)
    } else if serial < 60.0 {
        (NaiveDate::from_ymd_opt(1899, 12, 31), serial)
    } else {
        (NaiveDate::from_ymd_opt(1899, 12, 30), serial)
    };
    let Some(epoch) = epoch else {
        return Value::Error("a date that cannot be read".into());
    };
    let seconds = (days * 86_400.0).round() as i64;
    let wall = epoch.and_time(chrono::NaiveTime::MIN) + chrono::Duration::seconds(seconds);
    Value::DateTime {
        wall,
        date_only: serial.fract() == 0.0,
    }
}

/// An ISO 8601 date or date-time ("2016-05-01", "2016-05-01T12:00:00").
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
