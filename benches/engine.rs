//! The truth layer at scale, on synthetic datasets (`truce_atlas::synth`): loading and indexing
//! a folder, every zone's status at an instant, switching to an earlier "as known on" date,
//! rebuilding the timelines for a filter of sources, and searching the events' text.
//!
//!     cargo bench --bench engine
//!
//! Results and how they compare are in docs/PERFORMANCE.md.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use truce_atlas::synth::{Spec, write};

/// (zones, events, report days) and whether it is the "one affirmation a day" truce.
const SIZES: [(usize, usize, usize, bool); 4] = [
    (4, 100, 10, false),
    (100, 10_000, 100, false),
    (1_000, 100_000, 1_000, false),
    (1, 731, 730, true),
];

fn folder(zones: usize, events: usize, days: usize, affirmations_only: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "truce-atlas-bench-{zones}-{events}-{days}-{affirmations_only}"
    ));
    if !dir.join("events.json").exists() {
        let spec = Spec {
            zones,
            events,
            report_days: days,
            seed: 1,
            affirmations_only,
        };
        write(spec, &dir).expect("writable temp dir");
    }
    dir
}

fn label(zones: usize, events: usize, days: usize, affirmations_only: bool) -> String {
    let kind = if affirmations_only {
        " affirmations"
    } else {
        ""
    };
    format!("{zones}z-{events}e-{days}d{kind}")
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for (zones, events, days, affirm) in SIZES {
        let dir = folder(zones, events, days, affirm);
        let id = label(zones, events, days, affirm);
        group.bench_with_input(BenchmarkId::new("load_and_index", &id), &dir, |b, dir| {
            b.iter(|| black_box(truce_atlas::open(Some(dir)).expect("valid")));
        });
        let engine = truce_atlas::open(Some(&dir)).expect("valid");
        let (lo, hi) = engine.span();
        let mid = lo + (hi - lo) / 2;
        let zone_count = engine.dataset().zones.len();
        group.bench_function(BenchmarkId::new("status_all_zones", &id), |b| {
            b.iter(|| {
                (0..zone_count)
                    .map(|z| engine.status(z, black_box(mid), None).citations.len())
                    .sum::<usize>()
            });
        });
        // An earlier "as known on" date, never asked for before: its timelines are built then.
        let reports = engine.report_instants();
        let known = reports[reports.len() / 2];
        group.bench_function(BenchmarkId::new("known_on_switch", &id), |b| {
            // By reference: dropping the clone is not part of the switch.
            b.iter_batched_ref(
                || engine.clone(),
                |fresh| {
                    (0..zone_count)
                        .map(|z| fresh.status(z, mid, Some(known)).citations.len())
                        .sum::<usize>()
                },
                BatchSize::LargeInput,
            );
        });
        // "According to": every other source, a filter that keeps half of the citations and
        // drops the events cited only by the others; every zone's timeline is rebuilt.
        let every_other: std::collections::BTreeSet<usize> =
            (0..engine.dataset().sources.len()).step_by(2).collect();
        let filter = truce_atlas::filter::Filter {
            sources: Some(every_other),
            ..Default::default()
        };
        group.bench_function(BenchmarkId::new("filter_rebuild", &id), |b| {
            b.iter(|| black_box(engine.filtered(&filter)));
        });
        // Search: the index is built once per dataset; a query scans every event's folded
        // text once per word. "Quote 42." is in every event whose number ends in 42 (a
        // thousandth of them), each placed and highlighted; no event holds the second query's
        // second word.
        let ds = engine.dataset();
        group.bench_function(BenchmarkId::new("search_index", &id), |b| {
            b.iter(|| black_box(truce_atlas::search::Index::new(ds)));
        });
        let index = truce_atlas::search::Index::new(ds);
        group.bench_function(BenchmarkId::new("search_hits_per_mille", &id), |b| {
            b.iter(|| index.search(ds, black_box("Quote 42.")).len());
        });
        group.bench_function(BenchmarkId::new("search_no_hit", &id), |b| {
            b.iter(|| index.search(ds, black_box("zone nowhere-at-all")).len());
        });
    }
    group.finish();
}

/// Datasets written in a spreadsheet: the same synthetic dataset opened from its JSON folder, a
/// CSV folder and an .xlsx workbook (`workbook_open/...`); and the Syria workbook read again
/// after a one-cell change, as the app does when the file is saved (`workbook_reload`).
fn workbooks(c: &mut Criterion) {
    use truce_atlas::convert::{Format, write as convert};
    let mut group = c.benchmark_group("workbook");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    for (zones, events, days) in [(100, 10_000, 100), (1_000, 100_000, 1_000)] {
        let json = folder(zones, events, days, false);
        let id = label(zones, events, days, false);
        let ds = truce_atlas::load::load_path(&json).expect("valid");
        let csv = std::env::temp_dir().join(format!("truce-atlas-bench-csv-{id}"));
        let book = std::env::temp_dir()
            .join(format!("truce-atlas-bench-xlsx-{id}"))
            .join("synth.xlsx");
        if !csv.exists() {
            convert(&ds, &csv, Format::Csv).expect("csv");
        }
        if !book.exists() {
            std::fs::create_dir_all(book.parent().expect("folder")).expect("folder");
            convert(&ds, &book, Format::Xlsx).expect("xlsx");
        }
        for (format, path) in [("json", &json), ("csv", &csv), ("xlsx", &book)] {
            group.bench_with_input(
                BenchmarkId::new(format!("open_{format}"), &id),
                path,
                |b, p| {
                    b.iter(|| black_box(truce_atlas::open(Some(p)).expect("valid")));
                },
            );
        }
    }
    let dir = std::env::temp_dir().join(format!("truce-atlas-bench-syria-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("folder");
    let book = dir.join("syria.xlsx");
    let syria = truce_atlas::load::load_embedded().expect("valid");
    convert(&syria, &book, Format::Xlsx).expect("xlsx");
    group.bench_function("reload_syria_xlsx", |b| {
        b.iter(|| black_box(truce_atlas::session::Opened::read(Some(book.clone()))));
    });
    group.finish();
    std::fs::remove_dir_all(&dir).ok();
}

criterion_group!(engine, benches, workbooks);
criterion_main!(engine);
