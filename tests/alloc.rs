//! Tests that count memory, so they live in their own test binary: a global allocator is
//! process-wide. Counts are kept per thread, so tests running side by side do not mix.
//!
//! - The app asks for every zone's status on every frame while the slider moves: a lookup must
//!   not allocate.
//! - The loader is the door for every user's file: thousands of mutated datasets must never
//!   panic, hang or balloon (`FUZZ_CASES`, `FUZZ_SEED`, `FUZZ_MAX_SECONDS`, `FUZZ_MAX_BYTES`);
//!   nor must a quarter as many mutated CSV folders, .xlsx and .ods workbooks.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use truce_atlas::load::{self, DatasetFiles};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    /// Bytes allocated minus bytes freed on this thread, and the highest it has been.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        track(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        track(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// Runs `f` and returns how far this thread's live memory rose above where it started.
fn peak_growth(f: impl FnOnce()) -> usize {
    let start = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(start));
    f();
    (PEAK.with(Cell::get) - start).max(0) as usize
}

#[test]
fn status_lookups_and_event_steps_do_not_allocate() {
    let engine = truce_atlas::default_engine().expect("valid dataset");
    let (start, end) = engine.span();
    // An earlier state of knowledge, built on first use: once built, lookups allocate nothing.
    let known = Some(engine.report_instants()[1]);
    for zone in 0..engine.dataset().zones.len() {
        let _ = engine.status(zone, start, known);
    }
    let steps = 2_000;
    let step = (end - start) / steps;
    let before = allocations();
    let mut in_effect = 0usize;
    for i in 0..steps {
        let at = start + step * i;
        for zone in 0..engine.dataset().zones.len() {
            let r = engine.status(zone, at, None);
            let k = engine.status(zone, at, known);
            in_effect +=
                usize::from(r.status == truce_atlas::model::Status::InEffect) + k.citations.len();
            in_effect += engine.next_event(Some(zone), at, known).unwrap_or(0);
            in_effect += engine.previous_event(None, at, None).unwrap_or(0);
        }
    }
    let after = allocations();
    assert!(in_effect > 0, "the lookups did real work");
    assert_eq!(
        after - before,
        0,
        "lookups allocated {} times",
        after - before
    );
}

// ---------------------------------------------------------------------------------------------
// The loader fuzz.

/// A dataset in memory.
#[derive(Clone)]
struct MemFiles(HashMap<&'static str, Vec<u8>>);

impl DatasetFiles for MemFiles {
    fn origin(&self) -> String {
        "fuzz case".into()
    }
    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        Ok(self.0.get(name).cloned())
    }
}

const FILES: [&str; 6] = [
    load::DATASET_FILE,
    load::ZONES_FILE,
    load::SOURCES_FILE,
    load::EVENTS_FILE,
    load::PLACES_FILE,
    load::INCIDENTS_FILE,
];

/// The valid datasets the mutations start from: the default one and the worked example.
fn seeds() -> Vec<MemFiles> {
    let embedded = MemFiles(
        FILES
            .iter()
            .filter_map(|&f| Some((f, load::EmbeddedFiles.read(f).ok()??)))
            .collect(),
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example-minimal");
    let example = MemFiles(
        FILES
            .iter()
            .filter_map(|&f| Some((f, std::fs::read(dir.join(f)).ok()?)))
            .collect(),
    );
    vec![embedded, example]
}

use truce_atlas::synth::Rng;

/// Tokens that have broken loaders before, or sit on a limit.
const TOKENS: &[&str] = &[
    "[]",
    "[[]]",
    "[[[]]]",
    "{}",
    "null",
    "true",
    "-1",
    "0",
    "1e308",
    "-1e308",
    "87840",
    "87841",
    "4294967296",
    "0.5",
    "[30.1]",
    "[30.1, 35.5, 1, 2]",
    "\"\"",
    "\"x\"",
    "\"\\u0000\"",
    ",",
    ":",
    "\"",
    "{",
    "}",
    "[",
    "]",
    "\"2016-03-25\"",
    "\"2024-09-08\"",
    "\"0000-01-01T00:00:00Z\"",
    "\"0001-01-01T00:00:00Z\"",
    "\"9999-12-31T23:59:59Z\"",
    "\"9999-12-31T23:59:59-05:00\"",
    "\"2016-10-27T23:30:00+03:00\"",
    "\"evnets\": [], ",
    "\"time\": \"x\", ",
    "\"$schema\": 1, ",
    "\"type\": \"Polygon\"",
    "\"type\": \"MultiPolygon\"",
    "\"type\": \"GeometryCollection\"",
    "\"coordinates\": []",
    "\"approximate\": 1",
    "\"extension\"",
    "\"truce_start\"",
    "\"scheduled_end\"",
    "\"breakdown\"",
    "\"Asia/Kolkata\"",
    "\"America/Santiago\"",
];

/// Values put where a member's value was, keeping the JSON well formed, so that the case
/// reaches past the syntax check into the rules and the engine.
const VALUES: &[&str] = &[
    "[]",
    "[[]]",
    "{}",
    "null",
    "true",
    "-1",
    "0",
    "1e308",
    "87840",
    "0.5",
    "1",
    "24",
    "[30.1]",
    "\"\"",
    "\" \"",
    "\"x\"",
    "\"aleppo\"",
    "\"latakia\"",
    "\"north\"",
    "\"roc-2016-04\"",
    "\"june-truce\"",
    "\"2016-03-25\"",
    "\"2024-09-08\"",
    "\"0001-01-01T00:00:00Z\"",
    "\"9999-12-31T23:59:59Z\"",
    "\"2016-05-01T12:00:00+03:00\"",
    "\"2016-10-27T23:30:00+03:00\"",
    "\"2024-06-02T18:00:00+02:00\"",
    "\"extension\"",
    "\"truce_start\"",
    "\"scheduled_end\"",
    "\"breakdown\"",
    "\"dispute\"",
    "\"talks\"",
    "\"approximate\"",
    "\"day\"",
    "\"Polygon\"",
    "\"Point\"",
    "\"MultiPolygon\"",
    "\"Asia/Kolkata\"",
    "\"America/Santiago\"",
];

/// The byte range of the JSON value after the first `:` at or after `from`, when it is a
/// number, a string, `true`, `false` or `null`.
fn scalar_after(bytes: &[u8], from: usize) -> Option<std::ops::Range<usize>> {
    let colon = from + bytes.get(from..)?.iter().position(|&b| b == b':')?;
    let start = colon
        + 1
        + bytes[colon + 1..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())?;
    let end = if bytes[start] == b'"' {
        let mut i = start + 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        i + 1
    } else {
        start
            + bytes[start..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b'\n'))?
    };
    (end <= bytes.len()).then_some(start..end)
}

fn mutate(bytes: &mut Vec<u8>, other: &[u8], rng: &mut Rng) {
    let len = bytes.len();
    let at = rng.below(len + 1);
    if rng.below(2) == 0 {
        if let Some(range) = scalar_after(bytes, at) {
            bytes.splice(range, rng.pick(VALUES).bytes());
        }
        return;
    }
    match rng.below(8) {
        0 => {
            if len > 0 {
                let i = rng.below(len);
                bytes[i] ^= 1 << rng.below(8);
            }
        }
        1 => {
            let end = (at + 1 + rng.below(64)).min(len);
            bytes.drain(at.min(end)..end);
        }
        2 => {
            let end = (at + 1 + rng.below(256)).min(len);
            let chunk = bytes[at.min(end)..end].to_vec();
            let to = rng.below(len + 1);
            bytes.splice(to..to, chunk);
        }
        3 | 4 => {
            // A token over a few bytes, or between two.
            let token = rng.pick(TOKENS).as_bytes();
            let end = (at + rng.below(24)).min(len);
            bytes.splice(at..end.max(at), token.iter().copied());
        }
        5 => {
            let start = rng.below(other.len() + 1);
            let end = (start + rng.below(512)).min(other.len());
            bytes.splice(at..at, other[start..end].iter().copied());
        }
        6 => bytes.truncate(at),
        _ => {
            // A long string where a short one was: limits must hold.
            let long = format!("\"{}\"", "é".repeat(1 + rng.below(4_000)));
            let end = (at + rng.below(16)).min(len);
            bytes.splice(at..end.max(at), long.bytes());
        }
    }
}

/// Everything a loaded dataset goes through in the app and the CLI, minus drawing. Returns
/// whether the dataset was accepted.
fn exercise(files: &MemFiles) -> bool {
    let Ok(ds) = load::load(files) else {
        return false;
    };
    let Ok(engine) = truce_atlas::engine::Engine::new(ds) else {
        return false;
    };
    let (lo, hi) = engine.span();
    let tz = engine.dataset().meta.timezone;
    let mid = lo + (hi - lo) / 2;
    for &known in &[None, Some(mid)] {
        for at in [lo, mid, hi] {
            let _ = truce_atlas::report::status_doc(&engine, at, known);
            let _ = truce_atlas::report::status_table(&engine, at, known);
        }
    }
    let _ = truce_atlas::report::events_table(&engine, Default::default());
    let _ = truce_atlas::axis::marks(lo, hi, 1200.0, tz);
    for zone in &engine.dataset().zones {
        let _ = truce_atlas::geometry::Shape::new(&zone.geometry);
    }
    true
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One case: which seed dataset, which file, which mutations, all from `(seed, case)`.
fn case(seeds: &[MemFiles], seed: u64, case: u64) -> (MemFiles, &'static str) {
    let mut rng = Rng(seed ^ case.wrapping_mul(0xA24B_AED4_963E_E407));
    let mut files = rng.pick(seeds).clone();
    let name = *rng.pick(&FILES);
    let other = files.0.get(rng.pick(&FILES)).cloned().unwrap_or_default();
    let mut bytes = files.0.get(name).cloned().unwrap_or_default();
    for _ in 0..1 + rng.below(4) {
        mutate(&mut bytes, &other, &mut rng);
    }
    files.0.insert(name, bytes);
    (files, name)
}

/// Runs `cases` fuzz cases, each `case(k)` returning (whether it still loaded, what it was), and
/// fails naming every case that panicked, ran past `FUZZ_MAX_SECONDS` or grew the memory past
/// `FUZZ_MAX_BYTES`. Returns how many still loaded.
fn fuzz(cases: u64, what: &str, mut case: impl FnMut(u64) -> (bool, String)) -> u64 {
    let seed: u64 = env_or("FUZZ_SEED", 0x7275_6365);
    let max_seconds: f64 = env_or("FUZZ_MAX_SECONDS", 30.0);
    let max_bytes: usize = env_or("FUZZ_MAX_BYTES", 1 << 30);
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (mut slowest, mut biggest, mut accepted) = (Duration::ZERO, 0usize, 0u64);
    let mut failures = Vec::new();
    for k in 0..cases {
        let started = Instant::now();
        let (mut panicked, mut name) = (false, String::new());
        let grew = peak_growth(
            || match std::panic::catch_unwind(AssertUnwindSafe(|| case(k))) {
                Ok((ok, what)) => {
                    accepted += u64::from(ok);
                    name = what;
                }
                Err(_) => panicked = true,
            },
        );
        let took = started.elapsed();
        slowest = slowest.max(took);
        biggest = biggest.max(grew);
        if panicked || took.as_secs_f64() > max_seconds || grew > max_bytes {
            failures.push(format!(
                "{what} case {k} (FUZZ_SEED={seed}) {name}: panicked {panicked}, {took:?}, {grew} bytes"
            ));
        }
    }
    std::panic::set_hook(hook);
    println!(
        "{cases} {what} cases, seed {seed}: {accepted} mutated ones still valid and indexed; slowest case {slowest:?}; largest memory growth {biggest} bytes"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    accepted
}

#[test]
fn thousands_of_mutated_datasets_never_panic_hang_or_balloon() {
    let cases: u64 = env_or("FUZZ_CASES", 3_000);
    let seed: u64 = env_or("FUZZ_SEED", 0x7275_6365);
    let seeds = seeds();
    assert_eq!(seeds.len(), 2);
    fuzz(cases, "dataset", |k| {
        let (files, name) = case(&seeds, seed, k);
        (exercise(&files), format!("{name} mutated"))
    });
}

// ---------------------------------------------------------------------------------------------
// The engine's cost grows with the events, not with events times report days.

/// A dataset of `zones` zones and `events` events whose reports come out over `days` days: every
/// zone opens with a truce, then each day brings an affirmation somewhere, from that day's report.
fn synthetic(zones: usize, events: usize, days: usize) -> truce_atlas::model::Dataset {
    use chrono::{Duration, TimeZone, Utc};
    use truce_atlas::model::*;
    let base = Utc
        .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .expect("valid");
    let at = |hours: i64| Moment {
        time: (base + Duration::hours(hours)).fixed_offset(),
        precision: Precision::Minute,
    };
    let ring = geo::LineString::from(vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]);
    let square = geo::MultiPolygon(vec![geo::Polygon::new(ring, Vec::new())]);
    let sources: Vec<Source> = (0..days)
        .map(|d| Source {
            id: format!("s{d}"),
            outlet: "Outlet".into(),
            headline: String::new(),
            published: at(24 * d as i64),
            published_note: String::new(),
            url: None,
            sha256: None,
            archive_file: None,
        })
        .collect();
    let events = (0..events)
        .map(|i| {
            let opening = i < zones;
            let day = if opening { 0 } else { i * days / events };
            Event {
                id: format!("e{i}"),
                moment: at(24 * day as i64 + 1),
                as_reported: None,
                kind: if opening {
                    EventKind::TruceStart
                } else {
                    EventKind::Affirmation
                },
                zones: vec![i % zones],
                actor: "Actor".into(),
                side: None,
                instrument: Some(0),
                until: None,
                duration_hours: None,
                citations: vec![Citation {
                    source: day,
                    quote: "q".into(),
                    speaker: None,
                }],
                note: None,
                reported: sources[day].published.utc(),
            }
        })
        .collect();
    Dataset {
        meta: Meta {
            name: "synthetic".into(),
            description: String::new(),
            timezone: chrono_tz::UTC,
            default_instant: None,
            reports_until: None,
            attribution: String::new(),
            incident_files: Vec::new(),
            sides: Vec::new(),
        },
        zones: (0..zones)
            .map(|z| Zone {
                id: format!("z{z}"),
                name: format!("Zone {z}"),
                kind: String::new(),
                approximate: false,
                geometry_source: String::new(),
                admin_codes: Vec::new(),
                outline_by_code: false,
                geometry: square.clone(),
            })
            .collect(),
        places: Vec::new(),
        sources,
        instruments: vec![Instrument {
            id: "i".into(),
            name: "Truce".into(),
            description: String::new(),
        }],
        events,
        incidents: Default::default(),
        story: None,
        notes: Vec::new(),
    }
}

/// Allocations and peak bytes of building the engine for a dataset.
fn build_cost(ds: truce_atlas::model::Dataset) -> (usize, usize) {
    let before = allocations();
    let mut engine = None;
    let bytes = peak_growth(|| engine = Some(truce_atlas::engine::Engine::new(ds)));
    let allocated = allocations() - before;
    assert!(engine.is_some_and(|e| e.is_ok()));
    (allocated, bytes)
}

#[test]
fn doubling_the_report_days_does_not_double_the_cost_of_building_the_engine() {
    let (zones, events) = (20, 4_000);
    let (a1, b1) = build_cost(synthetic(zones, events, 200));
    let (a2, b2) = build_cost(synthetic(zones, events, 400));
    assert!(
        (a2 as f64) < 1.3 * a1 as f64,
        "allocations: {a1} at 200 report days, {a2} at 400"
    );
    assert!(
        (b2 as f64) < 1.3 * b1 as f64,
        "bytes: {b1} at 200 report days, {b2} at 400"
    );
}

// ---------------------------------------------------------------------------------------------
// The same for datasets written in a spreadsheet: a CSV sheet's text, or the XML inside an .xlsx
// or .ods workbook, mutated, then read, converted, loaded and exercised.

use truce_atlas::load::sheets;
use truce_atlas::load::workbook;

/// The default dataset as CSV files, as an .xlsx workbook and as LibreOffice's .ods, with the
/// GeoJSON files beside them.
struct SheetSeeds {
    csv: Vec<(String, Vec<u8>)>,
    xlsx: Vec<u8>,
    ods: Vec<u8>,
    beside: Vec<(&'static str, Vec<u8>)>,
}

fn sheet_seeds() -> SheetSeeds {
    let dir = std::env::temp_dir().join(format!("truce-atlas-fuzz-sheets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let ds = load::load_embedded().expect("loads");
    let csv_dir = dir.join("csv");
    truce_atlas::convert::write(&ds, &csv_dir, truce_atlas::convert::Format::Csv).expect("csv");
    let book = dir.join("book.xlsx");
    truce_atlas::convert::write(&ds, &book, truce_atlas::convert::Format::Xlsx).expect("xlsx");
    let mut csv: Vec<(String, Vec<u8>)> = std::fs::read_dir(&csv_dir)
        .expect("list")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    csv.sort();
    let ods_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/syria-ods/syria.ods");
    let seeds = SheetSeeds {
        csv,
        xlsx: std::fs::read(&book).expect("read"),
        ods: std::fs::read(ods_path).expect("the .ods test file"),
        beside: [load::ZONES_FILE, load::PLACES_FILE]
            .into_iter()
            .map(|f| (f, std::fs::read(dir.join(f)).expect("beside")))
            .collect(),
    };
    std::fs::remove_dir_all(&dir).ok();
    seeds
}

/// Rewrites the archive with one member's bytes mutated.
fn mutate_member(archive: &[u8], rng: &mut Rng) -> Vec<u8> {
    use std::io::{Read, Write};
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(archive)) else {
        return archive.to_vec();
    };
    let xml: Vec<usize> = (0..zip.len())
        .filter(|&i| {
            zip.by_index(i)
                .is_ok_and(|f| f.name().is_ok_and(|n| n.ends_with(".xml")))
        })
        .collect();
    let target = *rng.pick(&xml);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let Ok(mut f) = zip.by_index(i) else { continue };
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        let mut data = Vec::new();
        let _ = f.read_to_end(&mut data);
        if i == target {
            let other = data.clone();
            for _ in 0..1 + rng.below(4) {
                mutate(&mut data, &other, rng);
            }
        }
        let _ = out.start_file(name, zip::write::SimpleFileOptions::default());
        let _ = out.write_all(&data);
    }
    out.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// One spreadsheet case: which format, what was mutated; returns whether it still loaded.
fn exercise_sheets(seeds: &SheetSeeds, rng: &mut Rng) -> bool {
    let beside = workbook::Beside::from_memory(seeds.beside.clone());
    let book = match rng.below(3) {
        0 => {
            let pick = rng.below(seeds.csv.len());
            let known = |sheet: &str, column: &str| {
                workbook::spec(sheet).is_some_and(|s| s.columns.contains(&column))
            };
            let mut sheets_read = Vec::new();
            for (i, (file, bytes)) in seeds.csv.iter().enumerate() {
                let mut bytes = bytes.clone();
                if i == pick {
                    let other = seeds.csv[rng.below(seeds.csv.len())].1.clone();
                    for _ in 0..1 + rng.below(4) {
                        mutate(&mut bytes, &other, rng);
                    }
                }
                let name = file.trim_end_matches(".csv").to_string();
                let Ok(rows) = sheets::csv::read_text(&bytes, &|c| known(&name, c)) else {
                    return false;
                };
                sheets_read.push(sheets::Sheet {
                    name,
                    rows,
                    file: Some(file.clone()),
                });
            }
            sheets::Workbook {
                file: "csv".into(),
                sheets: sheets_read,
            }
        }
        1 => match sheets::read_workbook("book.xlsx", &mutate_member(&seeds.xlsx, rng)) {
            Ok(book) => book,
            Err(_) => return false,
        },
        _ => match sheets::read_workbook("book.ods", &mutate_member(&seeds.ods, rng)) {
            Ok(book) => book,
            Err(_) => return false,
        },
    };
    let Ok(ds) = workbook::load_sheets_beside(&book, &beside, "fuzz".into()) else {
        return false;
    };
    let Ok(engine) = truce_atlas::engine::Engine::new(ds) else {
        return false;
    };
    let (lo, hi) = engine.span();
    let _ = truce_atlas::report::status_doc(&engine, lo + (hi - lo) / 2, None);
    true
}

#[test]
fn thousands_of_mutated_workbooks_and_csv_folders_never_panic_hang_or_balloon() {
    // A quarter of the JSON cases: each one rewrites an archive.
    let cases: u64 = env_or::<u64>("FUZZ_CASES", 3_000) / 4;
    let seed: u64 = env_or("FUZZ_SEED", 0x7275_6365);
    let seeds = sheet_seeds();
    let accepted = fuzz(cases, "spreadsheet", |k| {
        let mut rng = Rng(seed ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        (exercise_sheets(&seeds, &mut rng), String::new())
    });
    assert!(
        accepted > 0,
        "some mutations leave a valid dataset: the cases reach the loader"
    );
}

/// Imported incident files (ACLED, UCDP) mutated like the dataset's files: read, placed and
/// counted, a bad row skipped and listed, never a panic, a hang or a balloon.
#[test]
fn thousands_of_mutated_incident_files_never_panic_hang_or_balloon() {
    let cases: u64 = env_or::<u64>("FUZZ_CASES", 3_000) / 4;
    let seed: u64 = env_or("FUZZ_SEED", 0x7275_6365);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/incidents");
    let seeds: Vec<Vec<u8>> = ["acled-sample.csv", "ucdp-sample.csv"]
        .iter()
        .map(|f| std::fs::read(root.join(f)).expect("sample incident file"))
        .collect();
    let engine = truce_atlas::engine::default_engine().expect("default dataset");
    let dir =
        std::env::temp_dir().join(format!("truce-atlas-fuzz-incidents-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("incidents.csv");
    let accepted = fuzz(cases, "incident file", |k| {
        let mut rng = Rng(seed ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let which = rng.below(2);
        let mut bytes = seeds[which].clone();
        for _ in 0..=rng.below(3) {
            mutate(&mut bytes, &seeds[1 - which], &mut rng);
        }
        if std::fs::write(&path, &bytes).is_err() {
            return (false, String::new());
        }
        let tz = engine.dataset().meta.timezone;
        let Ok(set) =
            truce_atlas::incidents::import::read_file(&path, tz, 1 << 20, &mut |_, _| true)
        else {
            return (false, format!("seed file {which}"));
        };
        let incidents =
            truce_atlas::incidents::Incidents::new(engine.dataset(), &[std::sync::Arc::new(set)]);
        let ask = truce_atlas::incidents::doc::Ask {
            zone: None,
            by_status: true,
            known_on: None,
        };
        let _ = truce_atlas::incidents::doc::incidents_doc(&engine, &incidents, ask);
        (true, format!("seed file {which}"))
    });
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        accepted > 0,
        "some mutated files are still read: the cases reach the reader"
    );
}
