//! Spreadsheet datasets: every problem placed on its sheet, row and column; times read by the
//! JSON format's rules; what is read past said in a note.

use std::path::{Path, PathBuf};

use crate::load::{DatasetError, load_path};
use crate::model::Dataset;

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-atlas-sheets-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A small valid dataset as CSV files, one string per sheet.
fn base() -> Vec<(&'static str, String)> {
    vec![
        ("dataset", "field,value\nname,Test truce\ntimezone,Europe/Kyiv\n".into()),
        ("sides", "id,name\nkyiv,Ukrainian officials\n".into()),
        ("zones", "id,name,kind,approximate,admin_code\ndonetsk,Donetsk,oblast,FALSE,UA-14\nluhansk,Luhansk,oblast,false,UA-09\n".into()),
        ("sources", "id,outlet,published,url\ngazette,Gazette,2016-05-01,https://example.org/a\nherald,Herald,2016-05-02 09:30,https://example.org/b\n".into()),
        ("instruments", "id,name\nmay-truce,May truce\n".into()),
        ("events", "id,time,precision,kind,zones,actor,instrument,duration_hours,source,quote,speaker\n\
starts,2016-05-01 06:00,minute,truce_start,\"donetsk, luhansk\",Council,may-truce,48,gazette,The truce starts at six.,A spokesman\n\
,,,,,,,,herald,It started at six.,\n".into()),
    ]
}

fn write_csv(dir: &Path, sheets: &[(&str, String)]) {
    for (name, text) in sheets {
        std::fs::write(dir.join(format!("{name}.csv")), text).expect("write");
    }
}

/// Loads the base dataset with one sheet replaced.
fn with_sheet(tag: &str, sheet: &str, text: &str) -> Result<Dataset, DatasetError> {
    let dir = temp(tag);
    let mut sheets = base();
    for s in &mut sheets {
        if s.0 == sheet {
            s.1 = text.to_string();
        }
    }
    write_csv(&dir, &sheets);
    let result = load_path(&dir);
    std::fs::remove_dir_all(&dir).ok();
    result
}

/// The problems as the user reads them.
fn problems(result: Result<Dataset, DatasetError>) -> Vec<String> {
    match result {
        Ok(_) => panic!("the dataset should have been refused"),
        Err(e) => e.problems.iter().map(ToString::to_string).collect(),
    }
}

fn has(problems: &[String], start: &str, words: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with(start) && p.contains(words)),
        "no problem at {start} saying {words:?} in:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_csv_folder_loads_with_zones_by_code_and_a_citation_per_row() {
    let dir = temp("ok");
    write_csv(&dir, &base());
    let ds = load_path(&dir).unwrap_or_else(|e| panic!("{}", e.report()));
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(ds.zones.len(), 2);
    assert_eq!(ds.events.len(), 1);
    let e = &ds.events[0];
    assert_eq!(e.citations.len(), 2, "the second row adds a citation");
    assert_eq!(e.zones, [0, 1], "zone ids separated by a comma and a space");
    assert_eq!(
        e.moment.time.to_rfc3339(),
        "2016-05-01T06:00:00+03:00",
        "a wall time in Kyiv's summer"
    );
    assert_eq!(e.duration_hours, Some(48));
    assert_eq!(
        ds.sources[1].published.time.to_rfc3339(),
        "2016-05-02T09:30:00+03:00"
    );
    assert_eq!(ds.meta.sides[0].id, "kyiv");
}

#[test]
fn a_semicolon_separated_file_with_a_byte_order_mark_is_read() {
    let dir = temp("semicolon");
    let mut sheets = base();
    sheets[3].1 = "\u{feff}id;outlet;published;url\ngazette;Gazette;2016-05-01;https://example.org/a\nherald;Herald;2016-05-02 09:30;https://example.org/b\n".into();
    write_csv(&dir, &sheets);
    let ds = load_path(&dir).unwrap_or_else(|e| panic!("{}", e.report()));
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(ds.sources[0].outlet, "Gazette");
}

#[test]
fn a_file_that_is_not_utf8_is_refused_by_name() {
    let dir = temp("latin1");
    write_csv(&dir, &base());
    std::fs::write(
        dir.join("sources.csv"),
        b"id,outlet,published\ngazette,Caf\xe9,2016-05-01\n",
    )
    .expect("write");
    let p = problems(load_path(&dir));
    std::fs::remove_dir_all(&dir).ok();
    has(&p, "sources.csv", "must be UTF-8");
}

#[test]
fn events_problems_name_the_cell_the_spreadsheet_shows() {
    let events = "id,time,precision,kind,zones,actor,instrument,duration_hours,source,quote\n\
starts,2016-05-01 06:00,minute,truce_start,\"donetsk, alepo\",Council,may-truce,48,gazette,The truce starts at six.\n\
,2016-05-01 07:00,,,,,,,herald,It started at six.\n\
,,,,,,,,gazzette,Another.\n\
ends,2016-05-03,minute,truce_ends,donetsk,Council,may-truce,,gazette,\n\
odd,2016-05-03 12:00,minute,truce_started,donetsk,Council,may-truce,many,gazette,Quote.\n";
    let p = problems(with_sheet("events", "events", events));
    has(&p, "events.csv: E2:", "unknown zone id \"alepo\"");
    has(&p, "events.csv: E2:", "zones: donetsk, luhansk");
    has(&p, "events.csv: B3:", "differs from B2");
    has(&p, "events.csv: I4:", "unknown source id \"gazzette\"");
    has(&p, "events.csv: I4:", "sources: gazette");
    has(&p, "events.csv: B5:", "date without a time of day");
    has(&p, "events.csv: J5:", "`quote` is empty");
    has(&p, "events.csv: D6:", "`kind` \"truce_started\"");
    has(&p, "events.csv: H6:", "\"many\" is not a number");
}

#[test]
fn zones_sources_and_dataset_problems_name_their_cells() {
    let zones = "id,name,kind,approximate,admin_code\ndonetsk,Donetsk,oblast,maybe,UA-14\nluhansk,,oblast,false,UA-99\ndonetsk,Again,oblast,false,UA-14\n";
    let p = problems(with_sheet("zones", "zones", zones));
    has(&p, "zones.csv: D2:", "`approximate` must be TRUE or FALSE");
    has(&p, "zones.csv: E3:", "UA-99");
    has(&p, "zones.csv: B3:", "`name`");
    has(&p, "zones.csv: A4:", "duplicate zone id \"donetsk\"");
    let sources = "id,outlet,published,url\ngazette,Gazette,yesterday,https://example.org/a\nherald,Herald,2016-05-02,ftp://example.org/b\n";
    let p = problems(with_sheet("sources", "sources", sources));
    has(&p, "sources.csv: C2:", "\"yesterday\" is not a time");
    has(&p, "sources.csv: D3:", "`url`");
    let dataset = "field,value\nname,Test\ntimezone,Europe/Kiev-ish\ncolour,blue\n";
    let p = problems(with_sheet("dataset", "dataset", dataset));
    has(&p, "dataset.csv: B3:", "`timezone`");
    has(&p, "dataset.csv: A4:", "unknown field `colour`");
    let sides = "id,name\n\"kyiv,west\",Officials\n";
    let p = problems(with_sheet("sides", "sides", sides));
    has(&p, "sides.csv: A2:", "contains a comma");
    let instruments = "id,name\nmay-truce,\n";
    let p = problems(with_sheet("instruments", "instruments", instruments));
    has(&p, "instruments.csv: B2:", "`name` is empty");
}

#[test]
fn unknown_sheets_and_columns_are_errors_and_hash_ones_are_read_past_with_a_note() {
    let dir = temp("extra");
    let mut sheets = base();
    sheets[4].1 = "id,name,# checked by\nmay-truce,May truce,Ana\n".into();
    sheets.push(("# scratch", "anything\n".into()));
    write_csv(&dir, &sheets);
    let ds = load_path(&dir).unwrap_or_else(|e| panic!("{}", e.report()));
    assert!(
        ds.notes
            .iter()
            .any(|n| n.contains("instruments.csv: C1: read past the column `# checked by`")),
        "{:?}",
        ds.notes
    );
    assert!(
        ds.notes
            .iter()
            .any(|n| n.contains("read past the sheet `# scratch`")),
        "{:?}",
        ds.notes
    );
    std::fs::write(dir.join("timeline.csv"), "x\n1\n").expect("write");
    std::fs::write(
        dir.join("zones.csv"),
        "id,name,colour\ndonetsk,Donetsk,red\n",
    )
    .expect("write");
    let p = problems(load_path(&dir));
    std::fs::remove_dir_all(&dir).ok();
    has(&p, "timeline.csv", "unknown sheet `timeline`");
    has(&p, "zones.csv: C1:", "unknown column `colour`");
}

#[test]
fn a_missing_sheet_or_column_is_named() {
    let dir = temp("missing");
    let sheets: Vec<_> = base().into_iter().filter(|s| s.0 != "sources").collect();
    write_csv(&dir, &sheets);
    std::fs::write(
        dir.join("events.csv"),
        "id,time,kind,zones,actor,source,quote\n",
    )
    .expect("write");
    let p = problems(load_path(&dir));
    std::fs::remove_dir_all(&dir).ok();
    has(&p, "", "no `sources` sheet");
    has(&p, "events.csv: row 1:", "no `precision` column");
}

#[test]
fn wall_times_the_clocks_skip_or_repeat_are_errors_unless_written_with_an_offset() {
    // Kyiv: the clocks went forward at 03:00 on 27 March 2016 and back at 04:00 on 30 October.
    let events = "id,time,precision,kind,zones,actor,instrument,duration_hours,source,quote\n\
a,2016-03-27 03:30,minute,truce_start,donetsk,Council,may-truce,48,gazette,Q.\n\
b,2016-10-30 03:30,minute,truce_start,luhansk,Council,may-truce,48,gazette,Q.\n\
c,2016-10-30T03:30:00+02:00,minute,truce_start,luhansk,Council,may-truce,48,gazette,Q.\n";
    let p = problems(with_sheet("dst", "events", events));
    has(&p, "events.csv: B2:", "the clocks skip it");
    has(&p, "events.csv: B3:", "happens twice");
    has(
        &p,
        "events.csv: B3:",
        "2016-10-30T03:30:00+03:00 or 2016-10-30T03:30:00+02:00",
    );
    assert!(
        !p.iter().any(|p| p.contains("B4")),
        "an offset says which: {p:?}"
    );
}

#[test]
fn a_folder_with_both_json_and_csv_files_is_refused() {
    let dir = temp("both");
    write_csv(&dir, &base());
    std::fs::write(dir.join("dataset.json"), "{}").expect("write");
    let p = problems(load_path(&dir));
    std::fs::remove_dir_all(&dir).ok();
    has(&p, "", "not both");
}

#[test]
fn a_drawn_outline_beside_the_sheets_is_used_and_an_orphan_feature_is_an_error() {
    let dir = temp("drawn");
    let mut sheets = base();
    sheets[2].1 = "id,name\ndonetsk,Donetsk\nluhansk,Luhansk\n".into();
    write_csv(&dir, &sheets);
    let square = |id: &str, x: f64| {
        format!(
            r#"{{"type":"Feature","id":"{id}","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[[[{x},48],[{x1},48],[{x1},49],[{x},49],[{x},48]]]}}}}"#,
            x1 = x + 1.0
        )
    };
    let features = [square("donetsk", 37.0), square("luhansk", 39.0)].join(",");
    std::fs::write(
        dir.join("zones.geojson"),
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#),
    )
    .expect("write");
    let ds = load_path(&dir).unwrap_or_else(|e| panic!("{}", e.report()));
    assert!(!ds.zones[0].outline_by_code);
    let features = [
        square("donetsk", 37.0),
        square("luhansk", 39.0),
        square("crimea", 33.0),
    ]
    .join(",");
    std::fs::write(
        dir.join("zones.geojson"),
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#),
    )
    .expect("write");
    let p = problems(load_path(&dir));
    std::fs::remove_dir_all(&dir).ok();
    has(
        &p,
        "zones.geojson: features[2] \"crimea\"",
        "no row of the `zones` sheet",
    );
}

#[test]
fn merged_id_cells_add_citations_and_dates_before_1900_read_as_text() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = temp("merged");
    let mut sheets = base();
    // A source published in 1899, before any spreadsheet date: text, read as a date.
    sheets[3].1 = "id,outlet,published,url\ngazette,Gazette,1899-12-30,https://example.org/a\nherald,Herald,2016-05-02 09:30,https://example.org/b\n".into();
    let mut book = Workbook::new();
    for (name, text) in &sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("name");
        for (r, line) in csv_rows(text).iter().enumerate() {
            for (c, cell) in line.iter().enumerate() {
                // The events' ids below the header are left to the merged range.
                let merged = *name == "events" && c == 0 && r > 0;
                if !cell.is_empty() && !merged {
                    sheet.write_string(r as u32, c as u16, cell).expect("cell");
                }
            }
        }
        if *name == "events" {
            // The event's id merged over its two citation rows, as a team would lay it out.
            sheet
                .merge_range(1, 0, 2, 0, "starts", &Format::new())
                .expect("merge");
        }
    }
    book.save(dir.join("merged.xlsx")).expect("saved");
    let ds = load_path(&dir.join("merged.xlsx")).unwrap_or_else(|e| panic!("{}", e.report()));
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(ds.events.len(), 1);
    assert_eq!(
        ds.events[0].citations.len(),
        2,
        "the merged cell's second row adds a citation"
    );
    assert_eq!(
        ds.sources[0].published.time.date_naive().to_string(),
        "1899-12-30"
    );
}

/// A CSV text's rows, through the csv crate (quoted fields with commas included).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("csv").iter().map(str::to_string).collect())
        .collect()
}
