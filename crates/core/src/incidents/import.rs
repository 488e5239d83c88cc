//! The files analysts download, read as they are: an ACLED CSV export or a UCDP GED CSV,
//! recognised by its header, read as a stream. A row that cannot be read is skipped, counted
//! and listed with its line and column, never a panic and never lost without a word.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use thiserror::Error;

use crate::model::incidents::{
    Basis, Fatalities, Incident, IncidentSet, Reach, SetKind, Skipped, Span, When, Where, Words,
};
use crate::timefmt::local_day_start;

/// How many skipped rows are listed one by one (all are counted).
pub const MAX_SKIPPED_LISTED: usize = 1_000;

/// Why a file could not be read at all (a bad row only skips that row).
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}: the file is {size} bytes; the largest read is {cap} (--max-file-size; see data/FORMAT.md)"
    )]
    TooBig { path: String, size: u64, cap: u64 },
    #[error("{path}: {message}")]
    Header { path: String, message: String },
    #[error("{path}: line {line}: {message}")]
    Csv {
        path: String,
        line: u64,
        message: String,
    },
    #[error("{path}: reading was cancelled")]
    Cancelled { path: String },
}

/// The columns each layout needs, as its codebook names them.
const ACLED: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
];
const UCDP: &[&str] = &[
    "id",
    "date_start",
    "date_end",
    "where_prec",
    "latitude",
    "longitude",
    "adm_1",
    "side_a",
    "side_b",
    "source_headline",
    "best",
    "low",
    "high",
    "type_of_violence",
];

/// Which layout a header is, or what is missing from the nearest one.
fn layout(header: &[String]) -> Result<(SetKind, Vec<usize>), String> {
    let find = |names: &[&str]| -> Result<Vec<usize>, Vec<String>> {
        let mut missing = Vec::new();
        let mut at = Vec::with_capacity(names.len());
        for name in names {
            match header.iter().position(|h| h == name) {
                Some(i) => at.push(i),
                None => missing.push((*name).to_string()),
            }
        }
        if missing.is_empty() {
            Ok(at)
        } else {
            Err(missing)
        }
    };
    let acled = find(ACLED);
    let ucdp = find(UCDP);
    match (acled, ucdp) {
        (Ok(at), _) => Ok((SetKind::Acled, at)),
        (_, Ok(at)) => Ok((SetKind::Ucdp, at)),
        (Err(a), Err(u)) => {
            let looks_acled = header.iter().any(|h| h == "event_id_cnty");
            let looks_ucdp = header
                .iter()
                .any(|h| h == "date_start" || h == "where_prec");
            Err(if looks_acled {
                format!("an ACLED export, but the header lacks {}", a.join(", "))
            } else if looks_ucdp {
                format!("a UCDP GED file, but the header lacks {}", u.join(", "))
            } else {
                format!(
                    "not an ACLED export or a UCDP GED CSV: the header reads \"{}\"; an ACLED export's has event_id_cnty, event_date, latitude, longitude, fatalities, …; UCDP GED's has id, date_start, date_end, where_prec, best, low, high, …",
                    clip(&header.join(","), 200)
                )
            })
        }
    }
}

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Reads an incident file. `progress(bytes read, file size)` is called now and then and stops
/// the read by returning false. Rows outside 1..=`MAX_INCIDENTS` are refused with the file.
pub fn read_file(
    path: &Path,
    tz: Tz,
    cap: u64,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<IncidentSet, ImportError> {
    let shown = path.display().to_string();
    let io = |source| ImportError::Io {
        path: shown.clone(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > cap {
        return Err(ImportError::TooBig {
            path: shown,
            size,
            cap,
        });
    }
    let name = path
        .file_name()
        .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(BufReader::with_capacity(1 << 20, file.take(cap)));
    let mut record = csv::ByteRecord::new();
    let header = match csv.read_byte_record(&mut record) {
        Ok(true) => header_names(&record),
        Ok(false) => Vec::new(),
        Err(e) => return Err(csv_error(&shown, &e)),
    };
    let (kind, columns) = layout(&header).map_err(|message| ImportError::Header {
        path: shown.clone(),
        message,
    })?;
    let mut rows = Rows::new(kind, columns, tz, header.len());
    let mut set = IncidentSet::new(&name, kind, Some(path.to_path_buf()));
    set.file_len = size;
    set.summary_column = Some(rows.column(if kind == SetKind::Ucdp {
        "source_headline"
    } else {
        "notes"
    }));
    let mut count = 0u64;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(&shown, &e)),
        }
        count += 1;
        if count.is_multiple_of(16_384)
            && !progress(record.position().map_or(0, |p| p.byte()), size)
        {
            return Err(ImportError::Cancelled { path: shown });
        }
        match rows.row(&record) {
            Ok(incident) => set.incidents.push(incident),
            Err((column, message)) => {
                let line = record.position().map_or(0, |p| p.line());
                skip(&mut set, line, column, message);
            }
        }
    }
    progress(size, size);
    set.words = rows.words.into_list();
    set.incidents.sort_by_key(|i| i.span);
    Ok(set)
}

fn skip(set: &mut IncidentSet, line: u64, column: &str, message: String) {
    set.skipped_total += 1;
    if set.skipped.len() < MAX_SKIPPED_LISTED {
        set.skipped.push(Skipped {
            line,
            column: column.to_string(),
            message,
        });
    }
}

fn csv_error(path: &str, e: &csv::Error) -> ImportError {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    };
    ImportError::Csv {
        path: path.to_string(),
        line,
        message,
    }
}

/// Header names, lower-cased and trimmed (a BOM dropped): exports differ in case.
fn header_names(record: &csv::ByteRecord) -> Vec<String> {
    record
        .iter()
        .map(|f| {
            let text = String::from_utf8_lossy(f);
            text.trim_start_matches('\u{feff}').trim().to_lowercase()
        })
        .collect()
}

type RowError = (&'static str, String);

/// Reads rows of one layout: the columns' positions, the set's words, the ids seen and a cache
/// of local days' first instants.
struct Rows {
    kind: SetKind,
    names: &'static [&'static str],
    columns: Vec<usize>,
    tz: Tz,
    words: Words,
    ids: HashSet<Box<str>>,
    days: HashMap<NaiveDate, Option<i64>>,
    width: usize,
}

impl Rows {
    fn new(kind: SetKind, columns: Vec<usize>, tz: Tz, width: usize) -> Self {
        Rows {
            kind,
            names: if kind == SetKind::Ucdp { UCDP } else { ACLED },
            columns,
            tz,
            words: Words::new(),
            ids: HashSet::new(),
            days: HashMap::new(),
            width,
        }
    }

    fn column(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| *n == name)
            .map_or(0, |i| self.columns[i])
    }

    fn field<'r>(
        &self,
        record: &'r csv::ByteRecord,
        name: &'static str,
    ) -> Result<&'r str, RowError> {
        let raw = record.get(self.column(name)).unwrap_or_default();
        std::str::from_utf8(raw)
            .map(str::trim)
            .map_err(|_| (name, "not UTF-8 text; save the file as UTF-8".to_string()))
    }

    fn row(&mut self, record: &csv::ByteRecord) -> Result<Incident, RowError> {
        if record.len() != self.width {
            return Err((
                "",
                format!(
                    "{} fields where the header has {}",
                    record.len(),
                    self.width
                ),
            ));
        }
        let id_field = if self.kind == SetKind::Ucdp {
            "id"
        } else {
            "event_id_cnty"
        };
        let id = self.field(record, id_field)?;
        if id.is_empty() {
            return Err((id_field, "the id is empty".into()));
        }
        let (when, span) = match self.kind {
            SetKind::Ucdp => self.ucdp_when(record)?,
            _ => self.acled_when(record)?,
        };
        let place = self.place(record)?;
        let fatalities = self.fatalities(record)?;
        let named = self.named(record)?;
        let incident = Incident {
            id: id.into(),
            when,
            span,
            place,
            kind: named.kind,
            sub_kind: named.sub_kind,
            actors: named.actors.into_iter().filter(|&a| a != 0).collect(),
            location: named.location,
            admin1: named.admin1,
            source: named.source,
            fatalities,
            basis: basis(record),
        };
        if !self.ids.insert(incident.id.clone()) {
            return Err((
                id_field,
                format!("duplicate id \"{id}\" (the first row with it is kept)"),
            ));
        }
        Ok(incident)
    }

    fn day_start(&mut self, date: NaiveDate) -> Option<i64> {
        let tz = self.tz;
        *self
            .days
            .entry(date)
            .or_insert_with(|| local_day_start(date, tz).map(|t| t.timestamp()))
    }

    fn period(
        &mut self,
        first: NaiveDate,
        last: NaiveDate,
        field: &'static str,
    ) -> Result<(When, Span), RowError> {
        let out_of_range = || (field, "the date is outside years 0 to 9999".to_string());
        let start = self.day_start(first).ok_or_else(out_of_range)?;
        let end = last
            .succ_opt()
            .and_then(|d| self.day_start(d))
            .ok_or_else(out_of_range)?;
        let when = if first == last {
            When::Day(first)
        } else {
            When::Period(first, last)
        };
        Ok((when, Span { start, end }))
    }

    fn acled_when(&mut self, record: &csv::ByteRecord) -> Result<(When, Span), RowError> {
        let text = self.field(record, "event_date")?;
        let date = acled_date(text).ok_or_else(|| {
            (
                "event_date",
                format!(
                    "\"{}\" is not a date such as 2016-04-28 or 28 April 2016",
                    clip(text, 40)
                ),
            )
        })?;
        let precision = self.field(record, "time_precision")?;
        let (first, last) = match precision {
            "1" | "" => (date, date),
            // The week the source gives, coded at its middle day.
            "2" => (date - Duration::days(3), date + Duration::days(3)),
            // The month the source gives.
            "3" => month(date).ok_or(("event_date", "the month is out of range".to_string()))?,
            other => {
                return Err((
                    "time_precision",
                    format!("\"{}\" is not 1, 2 or 3", clip(other, 20)),
                ));
            }
        };
        self.period(first, last, "event_date")
    }

    fn ucdp_when(&mut self, record: &csv::ByteRecord) -> Result<(When, Span), RowError> {
        let read = |name: &'static str| -> Result<NaiveDate, RowError> {
            let text = self.field(record, name)?;
            ucdp_date(text).ok_or_else(|| {
                (
                    name,
                    format!("\"{}\" is not a date such as 2016-04-28", clip(text, 40)),
                )
            })
        };
        let first = read("date_start")?;
        let last = read("date_end")?;
        if last < first {
            return Err(("date_end", format!("{last} is before date_start {first}")));
        }
        self.period(first, last, "date_start")
    }

    fn place(&self, record: &csv::ByteRecord) -> Result<Where, RowError> {
        let number =
            |name: &'static str, range: std::ops::RangeInclusive<f64>| -> Result<f64, RowError> {
                let text = self.field(record, name)?;
                if text.is_empty() {
                    return Err((name, format!("the {name} is missing")));
                }
                match text.parse::<f64>() {
                    Ok(v) if range.contains(&v) => Ok(v),
                    Ok(v) => Err((
                        name,
                        format!("{v} is outside {}..{}", range.start(), range.end()),
                    )),
                    Err(_) => Err((name, format!("\"{}\" is not a number", clip(text, 40)))),
                }
            };
        let lat = number("latitude", -90.0..=90.0)?;
        let lon = number("longitude", -180.0..=180.0)?;
        let (field, text) = if self.kind == SetKind::Ucdp {
            ("where_prec", self.field(record, "where_prec")?)
        } else {
            ("geo_precision", self.field(record, "geo_precision")?)
        };
        let reach = match (self.kind, text) {
            (SetKind::Ucdp, "1" | "2" | "3") | (_, "1" | "2" | "") => Reach::Exact,
            (SetKind::Ucdp, "4" | "5") | (SetKind::Acled, "3") => Reach::Province,
            (SetKind::Ucdp, "6" | "7") => Reach::Country,
            (_, other) => {
                return Err((
                    field,
                    format!(
                        "\"{}\" is not a precision code of the codebook",
                        clip(other, 20)
                    ),
                ));
            }
        };
        Ok(Where::Point { lon, lat, reach })
    }

    fn fatalities(&self, record: &csv::ByteRecord) -> Result<Fatalities, RowError> {
        let count = |name: &'static str| -> Result<Option<u32>, RowError> {
            let text = self.field(record, name)?;
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<u32>().map(Some).map_err(|_| {
                (
                    name,
                    format!("\"{}\" is not a whole number of deaths", clip(text, 40)),
                )
            })
        };
        Ok(match self.kind {
            SetKind::Ucdp => Fatalities {
                low: count("low")?,
                best: count("best")?,
                high: count("high")?,
            },
            _ => Fatalities {
                best: count("fatalities")?,
                ..Fatalities::default()
            },
        })
    }

    /// The row's words in the layout's columns, each stored once in the set.
    fn named(&mut self, record: &csv::ByteRecord) -> Result<Named, RowError> {
        let ucdp = self.kind == SetKind::Ucdp;
        let mut word = |name: &'static str| self.field(record, name).map(|t| self.words.id(t));
        if !ucdp {
            return Ok(Named {
                kind: word("event_type")?,
                sub_kind: word("sub_event_type")?,
                actors: [word("actor1")?, word("actor2")?],
                location: word("location")?,
                admin1: word("admin1")?,
                source: word("source")?,
            });
        }
        let actors = [word("side_a")?, word("side_b")?];
        let admin1 = word("adm_1")?;
        let violence = match self.field(record, "type_of_violence")? {
            "1" => "State-based conflict",
            "2" => "Non-state conflict",
            "3" => "One-sided violence",
            other => {
                return Err((
                    "type_of_violence",
                    format!("\"{}\" is not 1, 2 or 3", clip(other, 20)),
                ));
            }
        };
        Ok(Named {
            kind: self.words.id(violence),
            sub_kind: 0,
            actors,
            location: 0,
            admin1,
            source: 0,
        })
    }
}

/// A row's words, as indices into its set's words (0: none).
struct Named {
    kind: u32,
    sub_kind: u32,
    actors: [u32; 2],
    location: u32,
    admin1: u32,
    source: u32,
}

fn basis(record: &csv::ByteRecord) -> Basis {
    let position = record.position();
    Basis::Row {
        line: position.map_or(0, |p| p.line()),
        byte: position.map_or(0, |p| p.byte()),
    }
}

/// ACLED writes `2016-04-28` in its API exports and `28 April 2016` in its data export tool.
fn acled_date(text: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
        .filter(|d| (0..=9999).contains(&d.year()))
}

/// UCDP writes `2016-04-28`, in some releases followed by a time of midnight.
fn ucdp_date(text: &str) -> Option<NaiveDate> {
    let day = text.split([' ', 'T']).next().unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .filter(|d| (0..=9999).contains(&d.year()))
}

/// The first and last day of the date's month.
fn month(date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let first = date.with_day(1)?;
    let next = if date.month() == 12 {
        NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

/// An imported row's summary (ACLED's notes, UCDP's source headline), read from its file when
/// shown: the set keeps where the row starts, not its text. A file changed since it was read
/// says so instead of showing another row's words.
pub fn summary(set: &IncidentSet, incident: &Incident) -> Result<String, String> {
    let (Some(path), Some(column), Basis::Row { byte, .. }) =
        (&set.path, set.summary_column, &incident.basis)
    else {
        return Err("no summary kept for this record".into());
    };
    let changed = || format!("{} changed since it was read; reload it", path.display());
    let mut file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if file.metadata().map(|m| m.len()).ok() != Some(set.file_len) {
        return Err(changed());
    }
    summary_at(&mut file, *byte, &incident.id, column).ok_or_else(changed)
}

/// The summary column of the row that starts at `byte`, if that row still holds `id` (else the
/// file changed since it was read).
pub(super) fn summary_at<R: Read + Seek>(
    file: &mut R,
    byte: u64,
    id: &str,
    column: usize,
) -> Option<String> {
    file.seek(SeekFrom::Start(byte)).ok()?;
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file.take(1 << 20));
    let mut record = csv::ByteRecord::new();
    csv.read_byte_record(&mut record)
        .ok()
        .filter(|&read| read)?;
    let id_matches = record
        .iter()
        .any(|f| std::str::from_utf8(f).is_ok_and(|t| t.trim() == id));
    id_matches.then(|| {
        String::from_utf8_lossy(record.get(column).unwrap_or_default())
            .trim()
            .to_string()
    })
}

/// The file names a dataset's `incidents` member lists, beside the dataset (its folder, or the
/// workbook's).
pub fn beside(dataset: &Path, names: &[String]) -> Vec<PathBuf> {
    let folder = if dataset.is_dir() {
        dataset.to_path_buf()
    } else {
        dataset.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    names.iter().map(|n| folder.join(n)).collect()
}
