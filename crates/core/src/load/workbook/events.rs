//! The `events` sheet: one row per citation, gathered into events, handed to the loader as
//! records (no JSON text in between: at 100,000 events, writing and reading it again was most of
//! the time a workbook took over a JSON folder).

use serde_json::Value as Json;

use super::super::events::{EventRecords, RawCitation, RawEvent, RawInstrument};
use super::super::sheets::{Row, cell_place};
use super::cells::DateAlone;
use super::convert::{Conv, split_list};

/// The `events` columns that hold a citation; the others belong to the event.
const CITATION_COLUMNS: [&str; 3] = ["source", "quote", "speaker"];

/// An event being gathered from its rows.
struct Gathering<'r> {
    first: &'r Row,
    event: RawEvent,
    rows: Vec<u32>,
}

impl<'a> Conv<'a> {
    /// The instruments (from the `instruments` sheet's records) and one event per run of rows
    /// of the `events` sheet, each row a citation.
    pub(super) fn event_records(&mut self, instruments: &[Json]) -> EventRecords {
        let text =
            |v: &Json, key: &str| v.get(key).and_then(Json::as_str).unwrap_or("").to_string();
        let instruments = instruments
            .iter()
            .map(|v| RawInstrument {
                id: text(v, "id"),
                name: text(v, "name"),
                description: text(v, "description"),
            })
            .collect();
        let mut events = Vec::new();
        if let Some((index, _, rows)) = self.data("events") {
            events.reserve(rows.len());
            let mut current: Option<Gathering<'a>> = None;
            for row in rows {
                let id = self.text("events", row, "id");
                let continues = match (&current, &id) {
                    (Some(_), None) => true,
                    (Some(g), Some(id)) => *id == g.event.id,
                    (None, _) => false,
                };
                match current.as_mut().filter(|_| continues) {
                    Some(g) => {
                        self.check_same(index, row, g);
                        let citation = self.citation(row);
                        g.event.citations.push(citation);
                        g.rows.push(row.row);
                    }
                    None => {
                        if let Some(done) = current.take() {
                            events.push(self.finish(done));
                        }
                        current = Some(self.start_event(row, id.unwrap_or_default()));
                    }
                }
            }
            if let Some(done) = current.take() {
                events.push(self.finish(done));
            }
        }
        EventRecords {
            instruments,
            events,
        }
    }

    /// An event's first row: its own fields and its first citation. An empty required cell
    /// gives an empty field, which the loader names.
    fn start_event(&mut self, row: &'a Row, id: String) -> Gathering<'a> {
        let precision = self.text("events", row, "precision").unwrap_or_default();
        let alone = match precision.as_str() {
            "day" | "approximate" => DateAlone::FirstInstant,
            _ => DateAlone::Refused,
        };
        let time = self.time("events", row, "time", alone).unwrap_or_default();
        let until = self.time("events", row, "until", DateAlone::Refused);
        let zones = self
            .text_ref("events", row, "zones")
            .map(|t| split_list(&t))
            .unwrap_or_default();
        let duration_hours = self.hours(row);
        let citation = self.citation(row);
        let event = RawEvent {
            id,
            time,
            precision,
            as_reported: self.text("events", row, "as_reported"),
            kind: self.text("events", row, "kind").unwrap_or_default(),
            zones,
            actor: self.text("events", row, "actor").unwrap_or_default(),
            side: self.text("events", row, "side"),
            instrument: self.text("events", row, "instrument"),
            until,
            duration_hours,
            citations: vec![citation],
            note: self.text("events", row, "note"),
        };
        Gathering {
            first: row,
            event,
            rows: vec![row.row],
        }
    }

    fn hours(&mut self, row: &Row) -> Option<f64> {
        let col = self.column("events", "duration_hours")?;
        let value = row.get(col)?;
        match super::cells::number(value) {
            Ok(n) => Some(n),
            Err(why) => {
                let index = self.map.sheets["events"];
                self.at(index, row.row, Some(col), format!("`duration_hours` {why}"));
                // Zero is refused by the loader too, on the same cell, so the event still fails.
                Some(0.0)
            }
        }
    }

    /// A row's citation.
    fn citation(&mut self, row: &Row) -> RawCitation {
        RawCitation {
            source: self.text("events", row, "source").unwrap_or_default(),
            quote: self.text("events", row, "quote").unwrap_or_default(),
            speaker: self.text("events", row, "speaker"),
        }
    }

    fn finish(&mut self, g: Gathering<'_>) -> RawEvent {
        let id = g.event.id.clone();
        self.map
            .event_ids
            .entry(id)
            .or_insert(self.map.events.len());
        self.map.events.push(g.rows);
        g.event
    }

    /// A row that adds a citation leaves the event's own columns empty or as the first row has
    /// them; a different value would be lost, so it is an error naming both cells.
    fn check_same(&mut self, index: usize, row: &Row, g: &Gathering<'_>) {
        let columns = super::spec("events").map_or(&[][..], |s| s.columns);
        let event_columns = columns
            .iter()
            .filter(|c| **c != "id" && !CITATION_COLUMNS.contains(c));
        for name in event_columns {
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
                g.event.id
            ));
        }
    }
}
