//! The loader's problems, placed back on the cells they came from.
//!
//! The loader names a record (`events[3] "id" citations[1]`) and, in its message, the field in
//! backquotes (`` `time` ``); the conversion's [`Map`] knows the row of each record and citation
//! and the column of each field. Messages that name the JSON files are reworded for sheets.

use super::super::sheets::{Workbook, cell_place};
use super::super::{DATASET_FILE, EVENTS_FILE, INCIDENTS_FILE, Problem, SOURCES_FILE, ZONES_FILE};
use super::convert::Map;

/// Where a problem of the made files is in the workbook; problems of files beside it (a drawn
/// zones.geojson, places.geojson) and the loader's counts stay as they are. `None` when the
/// cell already has a problem of the conversion's own.
pub fn place(p: &Problem, book: &Workbook, map: &Map) -> Option<Problem> {
    let Some((sheet, row, col)) = locate(p, map) else {
        return Some(Problem {
            message: reword(&p.message),
            ..p.clone()
        });
    };
    let Some(&index) = map.sheets.get(sheet) else {
        return Some(Problem {
            file: book.file.clone(),
            place: format!("`{sheet}` sheet"),
            message: reword(&p.message),
        });
    };
    if let (Some(row), Some(col)) = (row, col)
        && map.reported.contains(&(index, row, col))
    {
        return None;
    }
    let s = &book.sheets[index];
    let (file, place) = match row {
        Some(row) => cell_place(book, s, row, col),
        None => cell_place(book, s, 0, None),
    };
    let place = if row.is_none() { String::new() } else { place };
    Some(Problem {
        file,
        place,
        message: reword(&p.message),
    })
}

/// The sheet, row and column a problem of a made file points at.
fn locate(p: &Problem, map: &Map) -> Option<(&'static str, Option<u32>, Option<u32>)> {
    let (array, index, citation) = record(&p.place);
    let (sheet, row) = match (p.file.as_str(), array) {
        (DATASET_FILE, Some("sides")) => ("sides", row_of(map, "sides", index)),
        (DATASET_FILE, _) => {
            let field = fields(&p.message).find(|f| map.dataset_fields.contains_key(*f));
            let row = field.and_then(|f| map.dataset_fields.get(f).copied());
            let col = map
                .columns
                .get("dataset")
                .and_then(|c| c.get("value"))
                .copied();
            return Some(("dataset", row, row.and(col)));
        }
        (ZONES_FILE, _) if !p.place.is_empty() || p.message.contains("no zones") => {
            ("zones", row_of(map, "zones", index))
        }
        (SOURCES_FILE, _) => ("sources", row_of(map, "sources", index)),
        (EVENTS_FILE, Some("instruments")) => ("instruments", row_of(map, "instruments", index)),
        (EVENTS_FILE, _) => ("events", event_row(p, map, index, citation)),
        (INCIDENTS_FILE, array) => {
            let rows = if array == Some("reports") {
                &map.report_rows
            } else {
                &map.incident_rows
            };
            let row = index
                .and_then(|i| rows.get(i))
                .and_then(|r| r.get(citation.unwrap_or(0)).or(r.first()).copied());
            ("incidents", row)
        }
        _ => return None,
    };
    let columns = map.columns.get(sheet);
    let col = fields(&p.message)
        .map(column_of)
        .find_map(|f| columns.and_then(|c| c.get(f)).copied());
    Some((sheet, row, col))
}

fn row_of(map: &Map, sheet: &str, index: Option<usize>) -> Option<u32> {
    map.rows.get(sheet)?.get(index?).copied()
}

fn event_row(p: &Problem, map: &Map, index: Option<usize>, citation: Option<usize>) -> Option<u32> {
    // `event "id"`: a rule over all events names the event by id.
    let index = index.or_else(|| {
        let id = p.place.strip_prefix("event \"")?.strip_suffix('"')?;
        map.event_ids.get(id).copied()
    })?;
    let rows = map.events.get(index)?;
    match citation {
        Some(k) => rows.get(k).copied(),
        None => rows.first().copied(),
    }
}

/// `events[3] "id" citations[1] (line 4)` → ("events", 3, 1).
fn record(place: &str) -> (Option<&str>, Option<usize>, Option<usize>) {
    let indexed = |text: &str| -> Option<(usize, usize)> {
        let open = text.find('[')?;
        let close = open + text[open..].find(']')?;
        Some((open, text[open + 1..close].parse().ok()?))
    };
    let Some((open, index)) = indexed(place) else {
        return (None, None, None);
    };
    let array = place[..open].trim();
    let citation = place
        .find("citations[")
        .and_then(|at| indexed(&place[at..]).map(|(_, k)| k));
    (Some(array), Some(index), citation)
}

/// The sheet's column for a JSON field where the two differ (incidents.json's `point` is two
/// columns, a report's `from` and `to` are the `time` and `until` columns).
fn column_of(field: &str) -> &str {
    match field {
        "point" => "longitude",
        "from" => "time",
        "to" => "until",
        "type" => "type",
        "fatalities" => "fatalities_low",
        other => other,
    }
}

/// The names a message puts in backquotes, in order.
fn fields(message: &str) -> impl Iterator<Item = &str> {
    message.split('`').skip(1).step_by(2)
}

/// The JSON files' names, said as the sheets a spreadsheet user sees.
fn reword(message: &str) -> String {
    message
        .replace("zones.geojson", "the `zones` sheet")
        .replace("sources.json", "the `sources` sheet")
        .replace("dataset.json", "the `dataset` sheet")
        .replace("events.json", "the `events` sheet")
        .replace("incidents.json", "the `incidents` sheet")
        .replace("property `", "`")
}
