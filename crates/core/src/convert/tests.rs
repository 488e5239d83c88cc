use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::*;
use crate::engine::Engine;
use crate::load::{load_embedded, load_path};

fn temp(tag: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("truce-atlas-convert-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Every status at every event instant, as known at the end and as known on each publication
/// day: what "the same engine" means for a user.
pub fn statuses(engine: &Engine) -> Vec<String> {
    let ds = engine.dataset();
    let mut instants: Vec<DateTime<Utc>> = ds.events.iter().map(|e| e.moment.utc()).collect();
    instants.extend(ds.events.iter().filter_map(|e| e.until.map(|u| u.utc())));
    instants.sort();
    instants.dedup();
    let mut known: Vec<Option<DateTime<Utc>>> = vec![None];
    known.extend(ds.sources.iter().map(|s| Some(s.published.utc())));
    let mut out = Vec::new();
    for &at in &instants {
        for &k in &known {
            for z in 0..ds.zones.len() {
                out.push(format!(
                    "{} {at} {k:?}: {:?}",
                    ds.zones[z].id,
                    engine.status(z, at, k)
                ));
            }
        }
    }
    out
}

fn round_trip(dest: &Path, format: Format) -> Engine {
    let ds = load_embedded().expect("the default dataset loads");
    write(&ds, dest, format).expect("written");
    let back = load_path(dest).unwrap_or_else(|e| panic!("{}", e.report()));
    Engine::new(back).unwrap_or_else(|e| panic!("{}", e.report()))
}

#[test]
fn the_syria_dataset_survives_every_format_and_back_with_the_same_statuses() {
    let original = crate::engine::default_engine().expect("engine");
    let want = statuses(&original);
    assert!(
        want.len() > 200,
        "enough instants to mean something: {}",
        want.len()
    );
    let dir = temp("syria");
    for (name, format) in [
        ("json", Format::Json),
        ("csv", Format::Csv),
        ("book/syria.xlsx", Format::Xlsx),
    ] {
        let dest = dir.join(name);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).expect("parent");
        }
        let engine = round_trip(&dest, format);
        let got = statuses(&engine);
        let first_difference = want.iter().zip(&got).find(|(a, b)| a != b);
        assert_eq!(first_difference, None, "{name}");
        assert_eq!(want.len(), got.len(), "{name}");
        let (a, b) = (original.dataset(), engine.dataset());
        assert_eq!(
            (
                a.events.len(),
                a.sources.len(),
                a.zones.len(),
                a.places.len()
            ),
            (
                b.events.len(),
                b.sources.len(),
                b.zones.len(),
                b.places.len()
            ),
            "{name}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_destination_that_exists_is_never_overwritten() {
    let dir = temp("exists");
    let ds = load_embedded().expect("loads");
    std::fs::write(dir.join("keep.xlsx"), b"mine").expect("write");
    let err = write(&ds, &dir.join("keep.xlsx"), Format::Xlsx).expect_err("refused");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(dir.join("keep.xlsx")).expect("kept"), b"mine");
    // Nothing else was left behind: no staging folder, no GeoJSON beside.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_template_is_read_back_and_validates_as_written() {
    let dir = temp("template");
    let path = template(&dir.join("new")).expect("written");
    let ds = load_path(&path).unwrap_or_else(|e| panic!("{}", e.report()));
    assert_eq!(ds.zones[0].admin_codes, ["SY-ID"]);
    assert!(ds.zones[0].outline_by_code);
    assert_eq!(ds.events.len(), 1);
    assert!(
        ds.notes.iter().any(|n| n.contains("README")),
        "{:?}",
        ds.notes
    );
    // A second `new` keeps the first workbook.
    assert!(template(&dir.join("new")).is_err());
    std::fs::remove_dir_all(&dir).ok();
}
