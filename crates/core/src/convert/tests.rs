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
        // The story goes along, step for step (a workbook's in a story.json beside it).
        assert!(a.story.is_some(), "the default dataset has a story");
        assert_eq!(a.story, b.story, "{name}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The dataset's incidents and reports in words: every field a reader of them sees.
fn incident_summary(ds: &Dataset) -> Vec<String> {
    let set = &ds.incidents;
    let quotes = |cs: &[crate::model::Citation]| {
        cs.iter()
            .map(|c| format!("{}: {}", ds.sources[c.source].id, c.quote))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let incidents = set.incidents.iter().map(|i| {
        let cited = match &i.basis {
            crate::model::incidents::Basis::Cited {
                citations, note, ..
            } => {
                format!("{} {note:?}", quotes(citations))
            }
            crate::model::incidents::Basis::Row { .. } => String::new(),
        };
        format!(
            "{} {:?} {:?} {:?} {} {} {:?} {:?} {cited}",
            i.id,
            i.when,
            i.span,
            i.place,
            set.word(i.kind),
            set.word(i.sub_kind),
            i.actors.iter().map(|&a| set.word(a)).collect::<Vec<_>>(),
            i.fatalities
        )
    });
    let reports = set.reports.iter().map(|r| {
        format!(
            "{} {:?} {:?} {:?} {} {} {:?} {:?} {} {:?}",
            r.id,
            r.when,
            r.period_as_reported,
            r.zones,
            r.what,
            r.as_reported,
            r.fatalities,
            r.reported,
            quotes(&r.citations),
            r.note
        )
    });
    incidents.chain(reports).collect()
}

#[test]
fn incidents_and_aggregate_reports_survive_every_format_and_back() {
    // The default dataset's four reports, and two incidents (a point a day long with actors and
    // every figure; a period placed by zone) added to its incidents.json.
    let mut files: Vec<(&'static str, Vec<u8>)> = Vec::new();
    for name in [
        crate::load::DATASET_FILE,
        crate::load::ZONES_FILE,
        crate::load::SOURCES_FILE,
        crate::load::EVENTS_FILE,
        crate::load::PLACES_FILE,
        crate::load::INCIDENTS_FILE,
    ] {
        let bytes = crate::load::DatasetFiles::read(&crate::load::EmbeddedFiles, name)
            .expect("read")
            .expect("there");
        files.push((name, bytes));
    }
    let incidents = r#"{"id": "market", "time": "2016-04-28", "precision": "day", "point": [37.139, 36.196], "reach": "province", "location": "Aleppo, the market", "type": "Air strike", "sub_type": "Air/drone strike", "actors": ["Syrian government", "Russia"], "fatalities": {"low": 10, "best": 12, "high": 15}, "citations": [{"source": "rferl-2016-05-01", "quote": "More than a week of fighting", "speaker": "a doctor"}, {"source": "mee-2016-05-04", "quote": "Government airstrikes"}], "note": "Made up for a test."},
      {"id": "week", "time": "2016-04-24", "until": "2016-04-30", "precision": "day", "zones": ["aleppo", "damascus"], "type": "Shelling", "citations": [{"source": "asharq-2016-05-02", "quote": "rebel shelling"}]}"#;
    let original = String::from_utf8(files[5].1.clone()).expect("utf-8");
    let edited = original.replacen(
        "\"reports\": [",
        &format!("\"incidents\": [{incidents}],\n  \"reports\": ["),
        1,
    );
    assert_ne!(edited, original);
    files[5].1 = edited.into_bytes();
    let dir = temp("incidents");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("dir");
    for (name, bytes) in &files {
        std::fs::write(src.join(name), bytes).expect("write");
    }
    let ds = load_path(&src).unwrap_or_else(|e| panic!("{}", e.report()));
    let want = incident_summary(&ds);
    assert_eq!(want.len(), 6);
    for (name, format) in [
        ("json", Format::Json),
        ("csv", Format::Csv),
        ("book/x.xlsx", Format::Xlsx),
    ] {
        let dest = dir.join(name);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).expect("parent");
        }
        write(&ds, &dest, format).expect("written");
        let back = load_path(&dest).unwrap_or_else(|e| panic!("{name}: {}", e.report()));
        assert_eq!(incident_summary(&back), want, "{name}");
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

#[test]
fn the_syria_workbook_saved_by_libreoffice_as_ods_and_xlsx_gives_the_same_statuses() {
    let original = crate::engine::default_engine().expect("engine");
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/syria-ods");
    for file in ["syria.ods", "syria-libreoffice.xlsx"] {
        let ds = load_path(&folder.join(file)).unwrap_or_else(|e| panic!("{}", e.report()));
        let engine = Engine::new(ds).unwrap_or_else(|e| panic!("{}", e.report()));
        assert_eq!(statuses(&original), statuses(&engine), "{file}");
    }
}

/// Everything a dataset says, in one comparable list (times as instants).
fn summary(ds: &Dataset) -> Vec<String> {
    let m = &ds.meta;
    let utc = |t: &DateTime<chrono::FixedOffset>| t.with_timezone(&Utc).to_rfc3339();
    let mut out = vec![format!(
        "meta {:?} {} {:?} {:?} {:?} {:?} {:?}",
        m.name,
        m.timezone,
        m.default_instant.as_ref().map(utc),
        m.reports_until.as_ref().map(utc),
        m.attribution,
        m.description,
        m.sides
    )];
    for z in &ds.zones {
        out.push(format!(
            "zone {:?} {:?} {:?} {} {:?} {:?} {} {:?}",
            z.id,
            z.name,
            z.kind,
            z.approximate,
            z.geometry_source,
            z.admin_codes,
            z.outline_by_code,
            z.geometry
        ));
    }
    for s in &ds.sources {
        out.push(format!(
            "source {:?} {:?} {:?} {} {:?} {:?} {:?} {:?} {:?}",
            s.id,
            s.outlet,
            s.headline,
            utc(&s.published.time),
            s.published.precision,
            s.published_note,
            s.url,
            s.sha256,
            s.archive_file
        ));
    }
    for i in &ds.instruments {
        out.push(format!(
            "instrument {:?} {:?} {:?}",
            i.id, i.name, i.description
        ));
    }
    for e in &ds.events {
        let cites: Vec<String> = e
            .citations
            .iter()
            .map(|c| {
                format!(
                    "{:?} {:?} {:?}",
                    ds.sources[c.source].id, c.quote, c.speaker
                )
            })
            .collect();
        out.push(format!(
            "event {:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {cites:?}",
            e.id,
            utc(&e.moment.time),
            e.moment.precision,
            e.as_reported,
            e.kind,
            e.zones,
            e.actor,
            e.side,
            e.instrument,
            e.until.map(|u| utc(&u.time)),
            e.duration_hours,
            e.note
        ));
    }
    for p in &ds.places {
        out.push(format!(
            "place {:?} {:?} {} {}",
            p.name, p.kind, p.lon, p.lat
        ));
    }
    out
}

mod random {
    use proptest::prelude::*;
    use serde_json::json;

    const ZONES: [&str; 6] = [
        "UTC",
        "Europe/Kyiv",
        "America/Santiago",
        "Asia/Damascus",
        "Australia/Lord_Howe",
        "America/St_Johns",
    ];
    const CODES: [&str; 4] = ["UA-14", "UA-63, UA-09", "CL-LI", "SY-HL"];
    const KINDS: [&str; 6] = [
        "truce_start",
        "breakdown",
        "affirmation",
        "statement",
        "talks",
        "exclusion",
    ];
    const PRECISIONS: [&str; 4] = ["minute", "hour", "day", "approximate"];

    /// Text a person might type: letters in several scripts, punctuation a CSV must quote,
    /// line breaks, leading and trailing spaces.
    fn words() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 ,;\"'\n#éçأبت–…]{0,24}[a-zA-Z0-9éأ]"
    }

    /// One instant of 2016, to the second, written in the zone's own offset.
    fn instant(tz: chrono_tz::Tz, seconds: i64) -> String {
        use chrono::TimeZone;
        let t = chrono::Utc
            .timestamp_opt(1_451_606_400 + seconds, 0)
            .single()
            .unwrap_or_default();
        crate::load::workbook::rfc3339(t.with_timezone(&tz).fixed_offset())
    }

    prop_compose! {
        /// A valid JSON dataset folder's files.
        pub fn dataset()(
            tz in 0..ZONES.len(),
            zone_codes in prop::collection::vec(prop::option::of(0..CODES.len()), 1..4),
            names in prop::collection::vec(words(), 12),
            sources in prop::collection::vec((0i64..31_536_000, any::<bool>(), 0..4usize, prop::option::of(words())), 1..4),
            events in prop::collection::vec((0i64..31_536_000, 0..KINDS.len(), 0..4usize, prop::option::of(words()), prop::collection::vec((0..4usize, words(), prop::option::of(words())), 1..3), prop::option::of(1u32..500)), 1..8),
        ) -> Vec<(&'static str, String)> {
            let tz: chrono_tz::Tz = ZONES[tz].parse().unwrap_or(chrono_tz::UTC);
            let zones: Vec<serde_json::Value> = zone_codes.iter().enumerate().map(|(i, code)| {
                let x = 30.0 + i as f64 * 2.0;
                let mut props = json!({"name": names[i], "kind": names[4], "approximate": i % 2 == 0});
                let geometry = match code {
                    Some(c) => {
                        let codes: Vec<&str> = CODES[*c].split(", ").collect();
                        props["admin_code"] = if codes.len() == 1 { json!(codes[0]) } else { json!(codes) };
                        serde_json::Value::Null
                    }
                    None => json!({"type": "Polygon", "coordinates": [[[x, 40.0], [x + 1.5, 40.0], [x + 1.0, 41.25], [x, 40.0]]]}),
                };
                json!({"type": "Feature", "id": format!("z{i}"), "properties": props, "geometry": geometry})
            }).collect();
            let sources: Vec<serde_json::Value> = sources.iter().enumerate().map(|(i, (at, date_only, precision, note))| {
                let mut s = json!({"id": format!("s-{i}"), "outlet": names[5], "headline": names[6]});
                if *date_only {
                    let day = chrono::DateTime::from_timestamp(1_451_606_400 + at, 0).unwrap_or_default().date_naive();
                    s["published"] = json!(day.format("%Y-%m-%d").to_string());
                } else {
                    s["published"] = json!(instant(tz, *at));
                    s["published_precision"] = json!(PRECISIONS[*precision]);
                }
                if let Some(note) = note {
                    s["published_note"] = json!(note);
                    s["url"] = json!(format!("https://example.org/{i}"));
                }
                s
            }).collect();
            let n_sources = sources.len();
            let n_zones = zones.len();
            let events: Vec<serde_json::Value> = events.iter().enumerate().map(|(i, (at, kind, precision, note, cites, hours))| {
                let kind = KINDS[*kind];
                let citations: Vec<serde_json::Value> = cites.iter().map(|(s, quote, speaker)| {
                    let mut c = json!({"source": format!("s-{}", s % n_sources), "quote": quote});
                    if let Some(sp) = speaker { c["speaker"] = json!(sp); }
                    c
                }).collect();
                let mut e = json!({
                    "id": format!("e{i}"), "time": instant(tz, *at), "precision": PRECISIONS[*precision], "kind": kind,
                    "zones": (0..=(i % n_zones)).map(|z| format!("z{z}")).collect::<Vec<_>>(),
                    "actor": names[7], "citations": citations,
                });
                if kind != "statement" && kind != "talks" { e["instrument"] = json!("truce"); }
                if kind == "truce_start" && let Some(h) = hours { e["duration_hours"] = json!(h); }
                if let Some(note) = note { e["note"] = json!(note); e["as_reported"] = json!(names[8]); }
                e
            }).collect();
            let meta = json!({"format": "truce-atlas/1", "name": names[0], "timezone": tz.name(), "description": names[1], "attribution": names[2]});
            let instruments = json!({"instruments": [{"id": "truce", "name": names[3]}], "events": events});
            vec![
                (crate::load::DATASET_FILE, meta.to_string()),
                (crate::load::ZONES_FILE, json!({"type": "FeatureCollection", "features": zones}).to_string()),
                (crate::load::SOURCES_FILE, json!({"sources": sources}).to_string()),
                (crate::load::EVENTS_FILE, instruments.to_string()),
            ]
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    #[test]
    fn any_dataset_converted_to_a_workbook_or_csv_and_back_says_the_same(files in random::dataset()) {
        let dir = temp(&format!("prop-{}", rand_tag(&files)));
        let json = dir.join("json");
        std::fs::create_dir_all(&json).expect("dir");
        for (name, text) in &files {
            std::fs::write(json.join(name), text).expect("write");
        }
        let ds = load_path(&json).unwrap_or_else(|e| panic!("{}", e.report()));
        let want = summary(&ds);
        for (name, format) in [("csv", Format::Csv), ("x/book.xlsx", Format::Xlsx), ("again", Format::Json)] {
            let dest = dir.join(name);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).expect("parent");
            }
            write(&ds, &dest, format).expect("written");
            let back = load_path(&dest).unwrap_or_else(|e| panic!("{name}: {}", e.report()));
            proptest::prop_assert_eq!(&want, &summary(&back), "{}", name);
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// A name for a case's folder, so that cases never share one.
fn rand_tag(files: &[(&'static str, String)]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    files.hash(&mut h);
    h.finish()
}

#[test]
fn a_story_is_written_whole_or_not_at_all_and_reads_back_as_it_was() {
    let ds = load_embedded().expect("loads");
    let story = ds.story.as_ref().expect("a story");
    let dir = temp("story-write");
    let path = dir.join(crate::load::STORY_FILE);
    std::fs::write(&path, "the old story").expect("write");
    // A folder where the file would go cannot be renamed over: the old file stays whole.
    let blocked = dir.join("blocked");
    std::fs::create_dir_all(blocked.join(crate::load::STORY_FILE)).expect("dir");
    let text = super::story::story_text(&ds, story);
    assert!(super::story::write_whole(&blocked.join(crate::load::STORY_FILE), &text).is_err());
    let left: Vec<_> = std::fs::read_dir(&blocked)
        .expect("dir")
        .flatten()
        .collect();
    assert_eq!(left.len(), 1, "no partial file left behind");
    super::story::write_whole(&path, &text).expect("written");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
    std::fs::remove_dir_all(&dir).ok();
}
