//! Sheets to the JSON format's files, remembering which rows and cells each record came from.

use std::collections::{HashMap, HashSet};

use chrono_tz::Tz;
use serde_json::{Map as Object, Value as Json, json};

use super::super::events::EventRecords;
use super::super::sheets::{Row, Sheet, Value, Workbook, cell_place};
use super::super::{DATASET_FILE, INCIDENTS_FILE, Problem, SOURCES_FILE, ZONES_FILE};
use super::cells::{self, DateAlone};
use super::{Beside, DATASET_FIELDS, SHEETS, is_read_past, problem, spec};

/// Where each record of the made files came from.
#[derive(Default)]
pub struct Map {
    /// A sheet's index in the workbook, by name.
    pub sheets: HashMap<&'static str, usize>,
    /// A sheet's columns: name to column index.
    pub columns: HashMap<&'static str, HashMap<String, u32>>,
    /// The `dataset` sheet's row of each field.
    pub dataset_fields: HashMap<String, u32>,
    /// The row of each record, per sheet: `sides`, `zones`, `sources`, `instruments`.
    pub rows: HashMap<&'static str, Vec<u32>>,
    /// Each event's rows: its first row, then one per citation (the first row's included).
    pub events: Vec<Vec<u32>>,
    pub event_ids: HashMap<String, usize>,
    /// Each incident's and each aggregate report's rows, as for the events.
    pub incident_rows: Vec<Vec<u32>>,
    pub report_rows: Vec<Vec<u32>>,
    /// Each sheet's columns by their place in [`SHEETS`] (sheet, then column): looked up for
    /// every cell, so without hashing.
    pub by_place: Vec<Vec<Option<u32>>>,
    /// Every column the header row names (read-past and unknown ones too), per sheet.
    pub named: HashMap<&'static str, HashSet<u32>>,
    /// Cells that already have a problem, so the loader's word on them is not said twice.
    pub reported: HashSet<(usize, u32, u32)>,
}

pub struct Output {
    pub files: HashMap<&'static str, String>,
    /// The instruments and events, as records for the loader.
    pub records: EventRecords,
    pub problems: Vec<Problem>,
    pub notes: Vec<Problem>,
    pub map: Map,
}

/// The conversion's working state: the workbook, where things came from, what went wrong.
pub(super) struct Conv<'a> {
    pub(super) book: &'a Workbook,
    pub(super) map: Map,
    pub(super) problems: Vec<Problem>,
    pub(super) notes: Vec<Problem>,
    pub(super) tz: Tz,
}

pub fn convert(book: &Workbook, beside: &Beside) -> Output {
    let mut c = Conv {
        book,
        map: Map::default(),
        problems: Vec::new(),
        notes: Vec::new(),
        tz: chrono_tz::UTC,
    };
    c.index_sheets();
    let mut files = HashMap::new();
    let sides = c.simple_records("sides", &["id", "name", "description"]);
    files.insert(DATASET_FILE, c.dataset(sides).to_string());
    files.insert(ZONES_FILE, c.zones(beside).to_string());
    files.insert(SOURCES_FILE, c.sources().to_string());
    let instruments = c.simple_records("instruments", &["id", "name", "description"]);
    let records = c.event_records(&instruments);
    if let Some(text) = c.incidents() {
        files.insert(INCIDENTS_FILE, text);
    }
    // A cell read for two purposes (an event's id) says what is wrong with it once.
    let mut seen = HashSet::new();
    c.problems.retain(|p| seen.insert(p.to_string()));
    cap_per_file(&mut c.problems);
    Output {
        files,
        records,
        problems: c.problems,
        notes: c.notes,
        map: c.map,
    }
}

impl<'a> Conv<'a> {
    /// Knows each sheet by name and reads each header row; unknown sheets and columns are
    /// problems, `README` and `#` ones notes.
    fn index_sheets(&mut self) {
        self.map.by_place = vec![Vec::new(); SHEETS.len()];
        for (i, sheet) in self.book.sheets.iter().enumerate() {
            match spec(&sheet.name) {
                Some(spec) => {
                    self.map.sheets.insert(spec.name, i);
                    let columns = self.header(sheet, spec);
                    let place = SHEETS.iter().position(|s| s.name == spec.name).unwrap_or(0);
                    self.map.by_place[place] = spec
                        .columns
                        .iter()
                        .map(|c| columns.get(*c).copied())
                        .collect();
                    self.map.columns.insert(spec.name, columns);
                }
                None if sheet.name == "README" || is_read_past(&sheet.name) => {
                    let (file, _) = cell_place(self.book, sheet, 0, None);
                    self.notes.push(problem(
                        file,
                        String::new(),
                        format!("read past the sheet `{}`", sheet.name),
                    ));
                }
                None => {
                    let (file, _) = cell_place(self.book, sheet, 0, None);
                    let names: Vec<&str> = SHEETS.iter().map(|s| s.name).collect();
                    self.problems.push(problem(file, String::new(), format!(
                        "unknown sheet `{}` (the sheets are {}; a sheet named README or starting with # is read past)",
                        sheet.name,
                        names.join(", ")
                    )));
                }
            }
        }
        for spec in SHEETS.iter().filter(|s| s.required) {
            if !self.map.sheets.contains_key(spec.name) {
                self.problems.push(problem(self.book.file.clone(), String::new(), format!(
                    "no `{}` sheet (a dataset has the sheets dataset, zones, sources and events; sides and instruments are optional)",
                    spec.name
                )));
            }
        }
    }

    /// The header row's columns. An empty sheet has none.
    fn header(&mut self, sheet: &Sheet, spec: &super::SheetSpec) -> HashMap<String, u32> {
        let mut columns = HashMap::new();
        let Some(first) = sheet.rows.first() else {
            return columns;
        };
        self.map
            .named
            .insert(spec.name, first.cells.iter().map(|c| c.col).collect());
        self.unnamed_cells(sheet, spec.name);
        for cell in &first.cells {
            let (file, place) = cell_place(self.book, sheet, first.row, Some(cell.col));
            let name = cells::text(&cell.value)
                .unwrap_or_default()
                .trim()
                .to_string();
            if is_read_past(&name) {
                self.notes.push(problem(
                    file,
                    place,
                    format!("read past the column `{name}`"),
                ));
            } else if !spec.columns.contains(&name.as_str()) {
                self.problems.push(problem(file, place, format!(
                    "unknown column `{name}` (the `{}` sheet's columns are {}; a column starting with # is read past)",
                    spec.name,
                    spec.columns.join(", ")
                )));
            } else if columns.insert(name.clone(), cell.col).is_some() {
                self.problems.push(problem(
                    file,
                    place,
                    format!("the column `{name}` appears twice"),
                ));
            }
        }
        for name in spec.required_columns {
            if !columns.contains_key(*name) {
                let (file, place) = cell_place(self.book, sheet, first.row, None);
                self.problems.push(problem(
                    file,
                    place,
                    format!(
                        "no `{name}` column in the header row (the first row names the columns)"
                    ),
                ));
            }
        }
        columns
    }

    /// A value in a column the header row does not name would be read by nobody: it is an error,
    /// not dropped (a stray cell at XFD1048576 included).
    fn unnamed_cells(&mut self, sheet: &Sheet, name: &'static str) {
        let named = &self.map.named[name];
        for row in sheet.rows.iter().skip(1) {
            for cell in row.cells.iter().filter(|c| !named.contains(&c.col)) {
                let (file, place) = cell_place(self.book, sheet, row.row, Some(cell.col));
                self.problems.push(problem(file, place, "a value in a column with no name in the header row; name the column (or start its name with # to keep it as a note), or clear the cell"));
            }
        }
    }

    /// The sheet and its data rows (every row after the header).
    pub(super) fn data(&self, name: &'static str) -> Option<(usize, &'a Sheet, &'a [Row])> {
        let i = *self.map.sheets.get(name)?;
        let sheet = &self.book.sheets[i];
        Some((i, sheet, sheet.rows.get(1..).unwrap_or(&[])))
    }

    pub(super) fn column(&self, sheet: &str, name: &str) -> Option<u32> {
        let s = SHEETS.iter().position(|s| s.name == sheet)?;
        let c = SHEETS[s].columns.iter().position(|c| *c == name)?;
        self.map.by_place.get(s)?.get(c).copied().flatten()
    }

    /// A problem at a cell, remembered so the loader's word on the same cell is not repeated.
    pub(super) fn at(&mut self, sheet: usize, row: u32, col: Option<u32>, message: String) {
        let s = &self.book.sheets[sheet];
        let (file, place) = cell_place(self.book, s, row, col);
        if let Some(col) = col {
            self.map.reported.insert((sheet, row, col));
        }
        self.problems.push(problem(file, place, message));
    }

    /// A cell as text, if it holds anything; a cell that cannot be read is a problem.
    pub(super) fn text(&mut self, sheet: &'static str, row: &Row, name: &str) -> Option<String> {
        self.text_ref(sheet, row, name)
            .map(std::borrow::Cow::into_owned)
    }

    /// [`Conv::text`], borrowed from the cell where it can be.
    pub(super) fn text_ref<'r>(
        &mut self,
        sheet: &'static str,
        row: &'r Row,
        name: &str,
    ) -> Option<std::borrow::Cow<'r, str>> {
        let col = self.column(sheet, name)?;
        let value = row.get(col)?;
        // Text is kept as written (a JSON string keeps its spaces too); a blank cell is empty.
        match cells::text(value) {
            Ok(t) => Some(t).filter(|t| !t.trim().is_empty()),
            Err(why) => {
                let index = self.map.sheets[sheet];
                self.at(index, row.row, Some(col), format!("`{name}` {why}"));
                None
            }
        }
    }

    /// A time cell, turned into RFC 3339 (or a date for `published`). An empty cell is `None`;
    /// a wrong one is a problem, and gives `Some("")` so the record still fails to load.
    pub(super) fn time(
        &mut self,
        sheet: &'static str,
        row: &Row,
        name: &str,
        alone: DateAlone,
    ) -> Option<String> {
        let col = self.column(sheet, name)?;
        let value = row.get(col)?;
        match cells::time(value, self.tz, alone) {
            Ok(t) => Some(t),
            Err(why) => {
                let index = self.map.sheets[sheet];
                self.at(index, row.row, Some(col), format!("`{name}` {why}"));
                Some(String::new())
            }
        }
    }

    /// Records whose columns are all text (`sides`, `instruments`), with their rows.
    fn simple_records(&mut self, sheet: &'static str, columns: &[&str]) -> Vec<Json> {
        let Some((_, _, rows)) = self.data(sheet) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(rows.len());
        let mut at = Vec::with_capacity(rows.len());
        for row in rows {
            let mut record = Object::new();
            for name in columns {
                let value = self.text(sheet, row, name);
                if value.is_some() || *name != "description" {
                    record.insert((*name).into(), Json::String(value.unwrap_or_default()));
                }
            }
            out.push(Json::Object(record));
            at.push(row.row);
        }
        self.map.rows.insert(sheet, at);
        out
    }

    /// dataset.json from the `dataset` sheet's field and value rows.
    fn dataset(&mut self, sides: Vec<Json>) -> Json {
        let mut out = Object::new();
        if let Some((index, sheet, rows)) = self.data("dataset") {
            let field_col = self.column("dataset", "field");
            let value_col = self.column("dataset", "value");
            let mut values: Vec<(String, u32, Option<&Value>)> = Vec::new();
            for row in rows {
                let field = field_col
                    .and_then(|c| row.get(c))
                    .map(|v| cells::text(v).unwrap_or_default());
                let field = field.unwrap_or_default().trim().to_string();
                if field.is_empty() || is_read_past(&field) {
                    continue;
                }
                if !DATASET_FIELDS.contains(&field.as_str()) {
                    self.at(
                        index,
                        row.row,
                        field_col,
                        format!(
                            "unknown field `{field}` (the fields are {})",
                            DATASET_FIELDS.join(", ")
                        ),
                    );
                } else if self
                    .map
                    .dataset_fields
                    .insert(field.clone(), row.row)
                    .is_some()
                {
                    self.at(
                        index,
                        row.row,
                        field_col,
                        format!("the field `{field}` is given twice"),
                    );
                } else {
                    values.push((field, row.row, value_col.and_then(|c| row.get(c))));
                }
            }
            let _ = sheet;
            self.dataset_values(index, value_col, &values, &mut out);
        }
        for required in ["name", "timezone"] {
            out.entry(required).or_insert(Json::String(String::new()));
        }
        if !sides.is_empty() {
            out.insert("sides".into(), Json::Array(sides));
        }
        Json::Object(out)
    }

    fn dataset_values(
        &mut self,
        index: usize,
        value_col: Option<u32>,
        values: &[(String, u32, Option<&Value>)],
        out: &mut Object<String, Json>,
    ) {
        // The zone first: the two times are wall times in it.
        if let Some((_, _, Some(v))) = values.iter().find(|(f, _, _)| f == "timezone")
            && let Ok(tz) = cells::text(v).unwrap_or_default().trim().parse::<Tz>()
        {
            self.tz = tz;
        }
        for (field, row, value) in values {
            let Some(value) = value else { continue };
            let converted = match field.as_str() {
                "default_instant" | "reports_until" => {
                    cells::time(value, self.tz, DateAlone::Refused)
                }
                "timezone" => cells::text(value).map(|t| t.trim().to_string()),
                _ => cells::text(value).map(std::borrow::Cow::into_owned),
            };
            match converted {
                Ok(text) => {
                    out.insert(field.clone(), Json::String(text));
                }
                Err(why) => self.at(index, *row, value_col, format!("`{field}` {why}")),
            }
        }
    }
}

impl Conv<'_> {
    /// zones.geojson: one feature per row, its outline from `admin_code` or from the feature of
    /// the same id in a zones.geojson beside the workbook.
    fn zones(&mut self, beside: &Beside) -> Json {
        let mut drawn = self.drawn_outlines(beside);
        let mut features = Vec::new();
        let mut at = Vec::new();
        if let Some((index, _, rows)) = self.data("zones") {
            for row in rows {
                let mut props = Object::new();
                let id = self.text("zones", row, "id").unwrap_or_default();
                for name in ["id", "name", "kind", "geometry_source"] {
                    if let Some(t) = self.text("zones", row, name) {
                        props.insert(name.into(), Json::String(t));
                    }
                }
                if let Some(col) = self.column("zones", "approximate")
                    && let Some(value) = row.get(col)
                {
                    match cells::yes_no(value) {
                        Ok(b) => {
                            props.insert("approximate".into(), Json::Bool(b));
                        }
                        Err(why) => {
                            self.at(index, row.row, Some(col), format!("`approximate` {why}"))
                        }
                    }
                }
                let codes = self
                    .text("zones", row, "admin_code")
                    .map(|t| split_list(&t));
                match codes {
                    Some(codes) if codes.len() == 1 => {
                        props.insert("admin_code".into(), json!(codes[0]));
                    }
                    Some(codes) if !codes.is_empty() => {
                        props.insert("admin_code".into(), json!(codes));
                    }
                    _ => {}
                }
                let geometry = drawn.remove(&id).map(|(_, g)| g).unwrap_or(Json::Null);
                features.push(
                    json!({"type": "Feature", "id": id, "properties": props, "geometry": geometry}),
                );
                at.push(row.row);
            }
        }
        self.map.rows.insert("zones", at);
        for (id, (i, _)) in drawn {
            self.problems.push(problem(ZONES_FILE.into(), format!("features[{i}] \"{id}\""), format!(
                "no row of the `zones` sheet has the id \"{id}\": add the zone there, or remove the feature"
            )));
        }
        json!({"type": "FeatureCollection", "features": features})
    }

    /// The features of a zones.geojson beside the workbook, by id, with their place in it.
    fn drawn_outlines(&mut self, beside: &Beside) -> HashMap<String, (usize, Json)> {
        let mut out = HashMap::new();
        let bytes = match beside.get(ZONES_FILE) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return out,
            Err(e) => {
                self.problems
                    .push(problem(ZONES_FILE.into(), String::new(), e));
                return out;
            }
        };
        let collection: Json = match serde_json::from_slice(bytes) {
            Ok(v) => v,
            Err(e) => {
                let place = format!("line {}, column {}", e.line(), e.column());
                self.problems.push(problem(
                    ZONES_FILE.into(),
                    place,
                    format!("not valid JSON: {e}"),
                ));
                return out;
            }
        };
        let features = collection.get("features").and_then(Json::as_array);
        for (i, f) in features.into_iter().flatten().enumerate() {
            let id = f
                .get("id")
                .or_else(|| f.get("properties").and_then(|p| p.get("id")));
            let id = match id {
                Some(Json::String(s)) => s.clone(),
                Some(Json::Number(n)) => n.to_string(),
                _ => {
                    self.problems.push(problem(
                        ZONES_FILE.into(),
                        format!("features[{i}]"),
                        "the feature has no id: give it the id of its row in the `zones` sheet",
                    ));
                    continue;
                }
            };
            let geometry = f.get("geometry").cloned().unwrap_or(Json::Null);
            if out.insert(id.clone(), (i, geometry)).is_some() {
                self.problems.push(problem(
                    ZONES_FILE.into(),
                    format!("features[{i}] \"{id}\""),
                    "a second feature with this id",
                ));
            }
        }
        out
    }

    /// sources.json: one source per row.
    fn sources(&mut self) -> Json {
        let mut out = Vec::new();
        let mut at = Vec::new();
        if let Some((_, _, rows)) = self.data("sources") {
            for row in rows {
                let mut record = Object::new();
                for name in ["id", "outlet"] {
                    let t = self.text("sources", row, name).unwrap_or_default();
                    record.insert(name.into(), Json::String(t));
                }
                let published = self.time("sources", row, "published", DateAlone::KeptAsDate);
                record.insert(
                    "published".into(),
                    Json::String(published.unwrap_or_default()),
                );
                for name in [
                    "headline",
                    "published_precision",
                    "published_note",
                    "url",
                    "sha256",
                    "archive_file",
                ] {
                    if let Some(t) = self.text("sources", row, name) {
                        record.insert(name.into(), Json::String(t));
                    }
                }
                out.push(Json::Object(record));
                at.push(row.row);
            }
        }
        self.map.rows.insert("sources", at);
        json!({"sources": out})
    }
}

/// As the loader does: past [`MAX_PROBLEMS_PER_FILE`] problems in one file, the rest are
/// counted in one line rather than listed.
fn cap_per_file(problems: &mut Vec<Problem>) {
    use super::super::report::MAX_PROBLEMS_PER_FILE;
    let mut count: HashMap<String, usize> = HashMap::new();
    problems.retain(|p| {
        let n = count.entry(p.file.clone()).or_default();
        *n += 1;
        *n <= MAX_PROBLEMS_PER_FILE
    });
    let mut over: Vec<(String, usize)> = count
        .into_iter()
        .filter(|(_, n)| *n > MAX_PROBLEMS_PER_FILE)
        .collect();
    over.sort();
    for (file, n) in over {
        problems.push(problem(file, String::new(), format!(
            "and {} more problems in this file (only the first {MAX_PROBLEMS_PER_FILE} are listed)",
            n - MAX_PROBLEMS_PER_FILE
        )));
    }
}

/// A cell's comma-separated list (zone ids, admin codes), spaces around each item ignored.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
