//! The `incidents` sheet: the dataset's own incidents and aggregate reports, a row per citation,
//! written into incidents.json's text for the one loader. A row's `record` says which kind it
//! is (`incident`, the default, or `report`); rows with the same id, or an empty one, add
//! citations to the record above.

use serde_json::{Map as Object, Value as Json, json};

use super::super::sheets::Row;
use super::cells::{self, DateAlone};
use super::convert::{Conv, split_list};

const SHEET: &str = "incidents";

/// The record a row starts, and its rows (its first, then one per further citation).
struct Gathering {
    report: bool,
    record: Object<String, Json>,
    citations: Vec<Json>,
    rows: Vec<u32>,
}

impl Conv<'_> {
    /// incidents.json's text from the `incidents` sheet; `None` without the sheet.
    pub(super) fn incidents(&mut self) -> Option<String> {
        let (_, _, rows) = self.data(SHEET)?;
        let (mut incidents, mut reports) = (Vec::new(), Vec::new());
        let mut current: Option<Gathering> = None;
        for row in rows {
            let id = self.text(SHEET, row, "id");
            let continues = match (&current, &id) {
                (Some(_), None) => true,
                (Some(g), Some(id)) => g.record.get("id").and_then(Json::as_str) == Some(id),
                (None, _) => false,
            };
            match current.as_mut().filter(|_| continues) {
                Some(g) => {
                    let citation = self.incident_citation(row);
                    g.citations.push(citation);
                    g.rows.push(row.row);
                }
                None => {
                    if let Some(done) = current.take() {
                        self.finish_incident(done, &mut incidents, &mut reports);
                    }
                    current = Some(self.start_incident(row, id.unwrap_or_default()));
                }
            }
        }
        if let Some(done) = current.take() {
            self.finish_incident(done, &mut incidents, &mut reports);
        }
        Some(json!({"incidents": incidents, "reports": reports}).to_string())
    }

    fn finish_incident(
        &mut self,
        g: Gathering,
        incidents: &mut Vec<Json>,
        reports: &mut Vec<Json>,
    ) {
        let mut record = g.record;
        record.insert("citations".into(), Json::Array(g.citations));
        if g.report {
            self.map.report_rows.push(g.rows);
            reports.push(Json::Object(record));
        } else {
            self.map.incident_rows.push(g.rows);
            incidents.push(Json::Object(record));
        }
    }

    fn start_incident(&mut self, row: &Row, id: String) -> Gathering {
        let kind = self.text(SHEET, row, "record").unwrap_or_default();
        let report = match kind.trim() {
            "" | "incident" => false,
            "report" => true,
            other => {
                let (index, col) = (self.map.sheets[SHEET], self.column(SHEET, "record"));
                self.at(
                    index,
                    row.row,
                    col,
                    format!("`record` \"{other}\" is neither incident nor report"),
                );
                false
            }
        };
        let mut record = Object::new();
        record.insert("id".into(), Json::String(id));
        let time = self
            .time(SHEET, row, "time", DateAlone::KeptAsDate)
            .unwrap_or_default();
        let until = self.time(SHEET, row, "until", DateAlone::KeptAsDate);
        if report {
            record.insert("from".into(), Json::String(time));
            record.insert("to".into(), Json::String(until.unwrap_or_default()));
            for name in ["what", "as_reported"] {
                let t = self.text(SHEET, row, name).unwrap_or_default();
                record.insert(name.into(), Json::String(t));
            }
            self.texts(row, &mut record, &["period_as_reported", "note"]);
        } else {
            record.insert("time".into(), Json::String(time));
            if let Some(until) = until {
                record.insert("until".into(), Json::String(until));
            }
            let precision = self.text(SHEET, row, "precision").unwrap_or_default();
            record.insert("precision".into(), Json::String(precision));
            let kind = self.text(SHEET, row, "type").unwrap_or_default();
            record.insert("type".into(), Json::String(kind));
            self.texts(row, &mut record, &["reach", "location", "sub_type", "note"]);
            if let Some(actors) = self.text(SHEET, row, "actors") {
                let list: Vec<Json> = actors
                    .split(';')
                    .map(|a| Json::String(a.trim().into()))
                    .filter(|a| a != "")
                    .collect();
                record.insert("actors".into(), Json::Array(list));
            }
            self.point(row, &mut record);
        }
        if let Some(zones) = self.text_ref(SHEET, row, "zones").map(|t| split_list(&t)) {
            record.insert("zones".into(), json!(zones));
        } else if report {
            record.insert("zones".into(), json!([]));
        }
        let mut fatalities = Object::new();
        for (column, field) in [
            ("fatalities_low", "low"),
            ("fatalities_best", "best"),
            ("fatalities_high", "high"),
        ] {
            if let Some(n) = self.number(row, column) {
                // A whole number goes as one; anything else as it is, for the loader to refuse.
                let whole = n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n);
                let value = if whole { json!(n as u64) } else { json!(n) };
                fatalities.insert(field.into(), value);
            }
        }
        if !fatalities.is_empty() {
            record.insert("fatalities".into(), Json::Object(fatalities));
        }
        let citation = self.incident_citation(row);
        Gathering {
            report,
            record,
            citations: vec![citation],
            rows: vec![row.row],
        }
    }

    /// `longitude` and `latitude` as the point, both or neither.
    fn point(&mut self, row: &Row, record: &mut Object<String, Json>) {
        match (self.number(row, "longitude"), self.number(row, "latitude")) {
            (Some(lon), Some(lat)) => {
                record.insert("point".into(), json!([lon, lat]));
            }
            (None, None) => {}
            (lon, _) => {
                let missing = if lon.is_none() {
                    "longitude"
                } else {
                    "latitude"
                };
                let (index, col) = (self.map.sheets[SHEET], self.column(SHEET, missing));
                self.at(index, row.row, col, format!(
                    "`{missing}` is empty: give both longitude and latitude, or neither (and the `zones`)"
                ));
            }
        }
    }

    fn texts(&mut self, row: &Row, record: &mut Object<String, Json>, names: &[&str]) {
        for name in names {
            if let Some(t) = self.text(SHEET, row, name) {
                record.insert((*name).into(), Json::String(t));
            }
        }
    }

    /// A number cell: whole deaths or a coordinate. A cell that is not a number is a problem
    /// (and the record keeps a value the loader refuses, so it is not loaded).
    fn number(&mut self, row: &Row, name: &str) -> Option<f64> {
        let col = self.column(SHEET, name)?;
        let value = row.get(col)?;
        if matches!(value, super::super::sheets::Value::Text(t) if t.trim().is_empty()) {
            return None;
        }
        match cells::number(value) {
            Ok(n) => Some(n),
            Err(why) => {
                let index = self.map.sheets[SHEET];
                self.at(index, row.row, Some(col), format!("`{name}` {why}"));
                None
            }
        }
    }

    fn incident_citation(&mut self, row: &Row) -> Json {
        let mut c = Object::new();
        for name in ["source", "quote"] {
            let t = self.text(SHEET, row, name).unwrap_or_default();
            c.insert(name.into(), Json::String(t));
        }
        if let Some(speaker) = self.text(SHEET, row, "speaker") {
            c.insert("speaker".into(), Json::String(speaker));
        }
        Json::Object(c)
    }
}
