//! One frame of the whole window while the instant moves, headless (egui_kittest, no GPU): the
//! layout and painting of every panel, and the tessellation of what they painted, at 4 (the
//! Syria dataset), 100, 1,000 and 10,000 zones; then the Syria dataset with the map over the
//! whole world and over Europe at zoom 5 (the world basemap's coarse levels, every country's
//! name and the places), and one frame of a pan over Europe (the basemap's meshes rebuilt).
//!
//!     cargo bench --bench frame
//!
//! Results are in docs/PERFORMANCE.md. The GPU upload and rasterisation are not in this figure.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use truce_atlas::engine::Engine;
use truce_atlas::session::Command;
use truce_atlas::synth::{Spec, write};
use truce_atlas::ui::app::{AtlasApp, StartOptions};

/// Instants visited in turn, so that every frame shows a different time.
const STOPS: i64 = 97;

fn synthetic(zones: usize) -> Engine {
    let dir = std::env::temp_dir().join(format!("truce-atlas-frame-bench-{zones}"));
    if !dir.join("events.json").exists() {
        let spec = Spec {
            zones,
            events: 100_000.min(zones * 100),
            report_days: 1_000.min(zones * 10),
            seed: 1,
            affirmations_only: false,
        };
        write(spec, &dir).expect("writable temp dir");
    }
    truce_atlas::open(Some(&dir)).expect("valid")
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    for zones in [4, 100, 1_000, 10_000] {
        let engine = match zones {
            4 => truce_atlas::default_engine().expect("the default dataset is valid"),
            n => synthetic(n),
        };
        let (lo, hi) = engine.span();
        let step = (hi - lo) / STOPS as i32;
        let mut harness = harness_for(engine);
        let mut stop = 0;
        group.bench_with_input(BenchmarkId::new("instant_moves", zones), &zones, |b, _| {
            b.iter(|| {
                stop = (stop + 1) % STOPS;
                let at = lo + step * stop as i32;
                harness.state_mut().apply(Command::SetInstant(at));
                harness.step();
                let shapes = harness.output().shapes.clone();
                let ppp = harness.output().pixels_per_point;
                black_box(harness.ctx.tessellate(shapes, ppp));
            });
        });
    }
    group.finish();
}

fn syria_harness() -> Harness<'static, AtlasApp> {
    harness_for(truce_atlas::default_engine().expect("the default dataset is valid"))
}

/// The whole 1400x900 window on `engine`, settled.
fn harness_for(engine: Engine) -> Harness<'static, AtlasApp> {
    harness_with(engine, truce_atlas::session::Start::default())
}

/// [`harness_for`], started as `start` says (incident files to read).
fn harness_with(engine: Engine, start: truce_atlas::session::Start) -> Harness<'static, AtlasApp> {
    let options = StartOptions {
        ephemeral: true,
        session: start,
        ..StartOptions::default()
    };
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(
            |ui, app: &mut AtlasApp| app.show(ui),
            AtlasApp::new(engine, options, None),
        );
    harness.run_steps(4);
    harness
}

fn frame(harness: &mut Harness<'static, AtlasApp>) {
    harness.step();
    let shapes = harness.output().shapes.clone();
    let ppp = harness.output().pixels_per_point;
    black_box(harness.ctx.tessellate(shapes, ppp));
}

fn world_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame_world");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    for (name, lon, lat, zoom) in [("world", 10.0, 25.0, 1.8), ("europe_z5", 10.0, 50.0, 5.0)] {
        let mut harness = syria_harness();
        harness.state_mut().look_at(lon, lat, zoom);
        // The first frames at a view decode and mesh its areas once; the figure is the frames
        // after.
        harness.run_steps(4);
        let (lo, hi) = harness.state().engine().span();
        let step = (hi - lo) / STOPS as i32;
        let mut stop = 0;
        group.bench_function(BenchmarkId::new("instant_moves", name), |b| {
            b.iter(|| {
                stop = (stop + 1) % STOPS;
                harness
                    .state_mut()
                    .apply(Command::SetInstant(lo + step * stop as i32));
                frame(&mut harness);
            });
        });
    }
    let mut harness = syria_harness();
    harness.state_mut().look_at(10.0, 50.0, 5.0);
    harness.run_steps(4);
    let mut k = 0u32;
    group.bench_function(BenchmarkId::new("pan", "europe_z5"), |b| {
        b.iter(|| {
            // A pan of about 6 px a frame, back and forth over 40 frames: the meshes are
            // rebuilt for each new camera; the areas were decoded on the first pass.
            k = (k + 1) % 80;
            let dx = f64::from(k.min(80 - k)) * 0.1;
            harness.state_mut().look_at(10.0 + dx, 50.0, 5.0);
            frame(&mut harness);
        });
    });
    group.finish();
}

/// The 1,000-zone frame with a million incidents in ACLED's layout read beside it, the map
/// showing those of the 30 days up to the instant (about 30,000 marks, merged where they
/// crowd) and the lanes their strip: against `frame/instant_moves/1000`, what the layer adds.
fn incident_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame_incidents");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    let engine = synthetic(1_000);
    let csv = std::env::temp_dir()
        .join("truce-atlas-frame-bench-1000")
        .join("acled.csv");
    if !csv.exists() {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).expect("temp file"));
        truce_atlas::synth::acled_csv(1_000_000, 1_000, 1, &mut out).expect("written");
    }
    let (lo, hi) = engine.span();
    let step = (hi - lo) / STOPS as i32;
    let start = truce_atlas::session::Start {
        incident_files: vec![csv],
        ..Default::default()
    };
    let mut harness = harness_with(engine, start);
    while harness.state().reading_incidents() {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    // The same window with the layer off and on, in turn, so that both figures share the
    // machine's state: the difference is what the layer adds.
    let on = truce_atlas::session::IncidentView {
        on_map: true,
        days: truce_atlas::incidents::view::Days::Month,
        on_lanes: true,
    };
    let off = truce_atlas::session::IncidentView {
        on_map: false,
        on_lanes: false,
        ..on
    };
    let mut stop = 0;
    for (name, view) in [
        ("layer_off", off),
        ("layer_on_30_days", on),
        ("layer_off_again", off),
    ] {
        harness.state_mut().apply(Command::SetIncidentView(view));
        harness.run_steps(4);
        group.bench_function(BenchmarkId::new("1000_zones_1m_incidents", name), |b| {
            b.iter(|| {
                stop = (stop + 1) % STOPS;
                harness
                    .state_mut()
                    .apply(Command::SetInstant(lo + step * stop as i32));
                frame(&mut harness);
            });
        });
    }
    group.finish();
}

criterion_group!(benches, frames, world_frames, incident_frames);
criterion_main!(benches);
