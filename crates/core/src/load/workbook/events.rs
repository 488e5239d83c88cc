//! The `events` sheet: one row per citation, gathered into events and written straight into
//! events.json's text (no tree of values in between: a sheet of 100,000 events would make a
//! million small maps only to print them).

use serde_json::Value as Json;

use super::super::sheets::{Row, cell_place};
use super::cells::DateAlone;
use super::convert::{Conv, split_list};

/// The `events` columns that belong to the event; the others (`source`, `quote`, `speaker`)
/// belong to one citation of it.
const EVENT_COLUMNS: [&str; 12] = [
    "id",
    "time",
    "precision",
    "as_reported",
    "kind",
    "zones",
    "actor",
    "side",
    "instrument",
    "until",
    "duration_hours",
    "note",
];

/// The fields the JSON format requires, written empty when the cell is, so that the loader
/// names them.
const REQUIRED: [&str; 5] = ["id", "time", "precision", "kind", "actor"];

/// An event being gathered from its rows.
struct Gathering<'r> {
    id: String,
    first: &'r Row,
    /// `{"id":…,…` so far: the event's own fields, then its citations.
    text: Vec<u8>,
    citations: usize,
    rows: Vec<u32>,
}

/// A JSON object written field by field.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    empty: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>) -> Object<'o> {
        out.push(b'{');
        Object { out, empty: true }
    }

    fn key(&mut self, key: &str) {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        string(self.out, key);
        self.out.push(b':');
    }

    fn text(&mut self, key: &str, value: &str) {
        self.key(key);
        string(self.out, value);
    }

    fn json(&mut self, key: &str, value: &Json) {
        self.key(key);
        let _ = serde_json::to_writer(&mut *self.out, value);
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

fn string(out: &mut Vec<u8>, s: &str) {
    let _ = serde_json::to_writer(&mut *out, s);
}

impl<'a> Conv<'a> {
    /// events.json's text: the instruments, and one event per run of rows, each row a citation.
    pub(super) fn events(&mut self, instruments: &[Json]) -> String {
        let mut out = Vec::with_capacity(1 << 16);
        out.extend_from_slice(b"{\"instruments\":");
        let _ = serde_json::to_writer(&mut out, instruments);
        out.extend_from_slice(b",\"events\":[");
        let mut written = 0usize;
        if let Some((index, _, rows)) = self.data("events") {
            let mut current: Option<Gathering<'a>> = None;
            for row in rows {
                let id = self.text("events", row, "id");
                let continues = match (&current, &id) {
                    (Some(_), None) => true,
                    (Some(g), Some(id)) => *id == g.id,
                    (None, _) => false,
                };
                match current.as_mut().filter(|_| continues) {
                    Some(g) => {
                        self.check_same(index, row, g);
                        self.citation(row, g);
                        g.rows.push(row.row);
                    }
                    None => {
                        if let Some(done) = current.take() {
                            self.finish(done, &mut out, &mut written);
                        }
                        let mut g = self.start_event(row, id.unwrap_or_default());
                        self.citation(row, &mut g);
                        current = Some(g);
                    }
                }
            }
            if let Some(done) = current.take() {
                self.finish(done, &mut out, &mut written);
            }
        }
        out.extend_from_slice(b"]}");
        String::from_utf8(out).unwrap_or_default()
    }

    /// An event's first row: its own fields, written.
    fn start_event(&mut self, row: &'a Row, id: String) -> Gathering<'a> {
        let mut text = Vec::with_capacity(512);
        let mut o = Object::open(&mut text);
        let precision = self.text("events", row, "precision");
        let alone = match precision.as_deref() {
            Some("day" | "approximate") => DateAlone::FirstInstant,
            _ => DateAlone::Refused,
        };
        for name in EVENT_COLUMNS {
            if matches!(
                name,
                "as_reported" | "kind" | "actor" | "side" | "instrument" | "note"
            ) {
                match self.text_ref("events", row, name) {
                    Some(t) => o.text(name, &t),
                    None if REQUIRED.contains(&name) => o.text(name, ""),
                    None => {}
                }
                continue;
            }
            let value = match name {
                "id" => Some(Json::String(id.clone())),
                "precision" => precision.clone().map(Json::String),
                "time" => self.time("events", row, name, alone).map(Json::String),
                "until" => self
                    .time("events", row, name, DateAlone::Refused)
                    .map(Json::String),
                "zones" => self
                    .text("events", row, name)
                    .map(|t| Json::from(split_list(&t))),
                "duration_hours" => self.hours(row),
                _ => self.text("events", row, name).map(Json::String),
            };
            match value {
                Some(Json::String(t)) => o.text(name, &t),
                Some(v) => o.json(name, &v),
                None if REQUIRED.contains(&name) => o.text(name, ""),
                None if name == "zones" => o.json(name, &Json::Array(Vec::new())),
                None => {}
            }
        }
        // Left open: the citations follow.
        o.key("citations");
        text.push(b'[');
        Gathering {
            id,
            first: row,
            text,
            citations: 0,
            rows: vec![row.row],
        }
    }

    fn hours(&mut self, row: &Row) -> Option<Json> {
        let col = self.column("events", "duration_hours")?;
        let value = row.get(col)?;
        match super::cells::number(value) {
            Ok(n) => Some(Json::from(n)),
            Err(why) => {
                let index = self.map.sheets["events"];
                self.at(index, row.row, Some(col), format!("`duration_hours` {why}"));
                // Zero is refused by the loader too, on the same cell, so the event still fails.
                Some(Json::from(0))
            }
        }
    }

    /// A row's citation, added to the event's text.
    fn citation(&mut self, row: &Row, g: &mut Gathering<'_>) {
        if g.citations > 0 {
            g.text.push(b',');
        }
        g.citations += 1;
        let source = self.text_ref("events", row, "source").unwrap_or_default();
        let quote = self.text_ref("events", row, "quote").unwrap_or_default();
        let speaker = self.text_ref("events", row, "speaker");
        let mut o = Object::open(&mut g.text);
        o.text("source", &source);
        o.text("quote", &quote);
        if let Some(speaker) = speaker {
            o.text("speaker", &speaker);
        }
        o.close();
    }

    fn finish(&mut self, mut g: Gathering<'_>, out: &mut Vec<u8>, written: &mut usize) {
        g.text.extend_from_slice(b"]}");
        if *written > 0 {
            out.push(b',');
        }
        // One event a line: the loader places what it finds by line.
        out.push(b'\n');
        out.append(&mut g.text);
        *written += 1;
        self.map
            .event_ids
            .entry(g.id)
            .or_insert(self.map.events.len());
        self.map.events.push(g.rows);
    }

    /// A row that adds a citation leaves the event's own columns empty or as the first row has
    /// them; a different value would be lost, so it is an error naming both cells.
    fn check_same(&mut self, index: usize, row: &Row, g: &Gathering<'_>) {
        for name in &EVENT_COLUMNS[1..] {
            let Some(col) = self.column("events", name) else {
                continue;
            };
            let Some(value) = row.get(col) else {
                continue;
            };
            if g.first.get(col) == Some(value) {
                continue;
            }
            let sheet = &self.book.sheets[index];
            let (_, first) = cell_place(self.book, sheet, g.first.row, Some(col));
            self.at(index, row.row, Some(col), format!(
                "`{name}` differs from {first}, on the first row of event \"{}\": a row below an event adds a citation (`source`, `quote`, `speaker`), so leave the event's other columns empty there",
                g.id
            ));
        }
    }
}
