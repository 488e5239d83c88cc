use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::*;

/// The embedded dataset in memory, for damaging one file at a time.
struct MemFiles(HashMap<&'static str, Vec<u8>>);

impl MemFiles {
    fn default_dataset() -> MemFiles {
        let mut files = HashMap::new();
        for name in [
            DATASET_FILE,
            ZONES_FILE,
            SOURCES_FILE,
            EVENTS_FILE,
            PLACES_FILE,
            INCIDENTS_FILE,
            STORY_FILE,
        ] {
            if let Ok(Some(bytes)) = EmbeddedFiles.read(name) {
                files.insert(name, bytes);
            }
        }
        MemFiles(files)
    }

    fn with(mut self, name: &'static str, bytes: impl Into<Vec<u8>>) -> Self {
        self.0.insert(name, bytes.into());
        self
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(self.0[name].clone()).expect("utf-8")
    }

    /// Replaces the first occurrence of `from` in a file, failing loudly if it is not there.
    fn edit(self, name: &'static str, from: &str, to: &str) -> Self {
        let text = self.text(name);
        assert!(text.contains(from), "{from:?} not in {name}");
        let edited = text.replacen(from, to, 1);
        self.with(name, edited)
    }
}

impl DatasetFiles for MemFiles {
    fn origin(&self) -> String {
        "test dataset".into()
    }
    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        Ok(self.0.get(name).cloned())
    }
}

fn problems(files: MemFiles) -> Vec<Problem> {
    match load(&files) {
        Ok(_) => panic!("the damaged dataset was accepted"),
        Err(e) => e.problems,
    }
}

fn has(problems: &[Problem], file: &str, place: &str, message: &str) -> bool {
    problems
        .iter()
        .any(|p| p.file == file && p.place.contains(place) && p.message.contains(message))
}

#[test]
fn the_default_dataset_validates_and_cites_every_seed_report() {
    let ds = load_embedded().expect("valid");
    let ids: Vec<&str> = ds.zones.iter().map(|z| z.id.as_str()).collect();
    assert_eq!(ids, ["damascus", "latakia", "eastern-ghouta", "aleppo"]);
    assert!(
        ds.zones
            .iter()
            .any(|z| z.id == "eastern-ghouta" && z.approximate)
    );
    assert_eq!(ds.sources.len(), 5);
    for (i, source) in ds.sources.iter().enumerate() {
        let cited = ds
            .events
            .iter()
            .any(|e| e.citations.iter().any(|c| c.source == i));
        assert!(cited, "source {} is never cited", source.id);
    }
    assert!(ds.events.iter().all(|e| !e.citations.is_empty()));
    assert!(ds.places.len() >= 10);
    assert!(
        ds.events
            .windows(2)
            .all(|w| w[0].moment.utc() <= w[1].moment.utc()),
        "sorted by time"
    );
}

#[test]
fn a_truncated_events_file_is_reported_with_line_and_column() {
    let files = MemFiles::default_dataset();
    let text = files.text(EVENTS_FILE);
    let cut = text[..text.len() / 2].to_string();
    let p = problems(files.with(EVENTS_FILE, cut));
    assert!(has(&p, EVENTS_FILE, "line ", "truncated"), "{p:?}");
}

#[test]
fn an_empty_file_is_reported_as_empty() {
    let p = problems(MemFiles::default_dataset().with(SOURCES_FILE, "  \n"));
    assert!(has(&p, SOURCES_FILE, "", "file is empty"), "{p:?}");
}

#[test]
fn garbage_bytes_are_reported_as_not_utf8_with_their_place() {
    let p = problems(
        MemFiles::default_dataset()
            .with(ZONES_FILE, b"{\n  \"type\": \xff\xfe\x00garbage".to_vec()),
    );
    assert!(
        has(&p, ZONES_FILE, "line 2, column 11", "not UTF-8"),
        "{p:?}"
    );
}

#[test]
fn absurdly_deep_json_is_refused_without_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let p = problems(MemFiles::default_dataset().with(EVENTS_FILE, deep));
    assert!(has(&p, EVENTS_FILE, "line 1", "recursion limit"), "{p:?}");
}

#[test]
fn a_missing_file_is_named() {
    let mut files = MemFiles::default_dataset();
    files.0.remove(EVENTS_FILE);
    let p = problems(files);
    assert!(has(&p, EVENTS_FILE, "", "file is missing"), "{p:?}");
}

#[test]
fn a_bad_timestamp_names_the_event_and_the_field() {
    let files = MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"time\": \"2016-05-05T00:00:00+03:00\"",
        "\"time\": \"5 May 2016\"",
    );
    let p = problems(files);
    assert!(
        has(
            &p,
            EVENTS_FILE,
            "\"aleppo-48-hour-truce\"",
            "`time` \"5 May 2016\" is not a valid RFC 3339"
        ),
        "{p:?}"
    );
}

#[test]
fn an_offset_that_does_not_match_the_time_zone_is_flagged() {
    // Damascus was on +03:00 in May; +02:00 would silently move the truce by an hour.
    let files = MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"2016-05-04T00:01:00+03:00\"",
        "\"2016-05-04T00:01:00+02:00\"",
    );
    let p = problems(files);
    assert!(
        has(
            &p,
            EVENTS_FILE,
            "aleppo-renewed-cessation",
            "is not Asia/Damascus's offset"
        ),
        "{p:?}"
    );
}

#[test]
fn an_unknown_zone_or_source_id_names_the_event_and_the_id() {
    let files = MemFiles::default_dataset()
        .edit(
            EVENTS_FILE,
            "\"zones\": [\n        \"aleppo\"\n      ]",
            "\"zones\": [\n        \"alepo\"\n      ]",
        )
        .edit(
            EVENTS_FILE,
            "\"source\": \"mee-2016-05-04\"",
            "\"source\": \"mee\"",
        );
    let p = problems(files);
    assert!(
        has(&p, EVENTS_FILE, "events[", "unknown zone id \"alepo\""),
        "{p:?}"
    );
    assert!(
        has(&p, EVENTS_FILE, "citations[", "unknown source id \"mee\""),
        "{p:?}"
    );
}

#[test]
fn an_end_before_the_start_is_refused() {
    let files = MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"until\": \"2016-05-03T00:00:00+03:00\"",
        "\"until\": \"2016-04-30T00:00:00+03:00\"",
    );
    let p = problems(files);
    assert!(
        has(
            &p,
            EVENTS_FILE,
            "roc-latakia-through-monday",
            "the end is before the start"
        ),
        "{p:?}"
    );
}

#[test]
fn empty_and_duplicate_ids_are_refused() {
    let files = MemFiles::default_dataset()
        .edit(
            EVENTS_FILE,
            "\"id\": \"kerry-deep-concern\"",
            "\"id\": \"russia-will-not-urge-halt\"",
        )
        .edit(SOURCES_FILE, "\"id\": \"rferl-2016-05-01\"", "\"id\": \"\"");
    let p = problems(files);
    assert!(
        has(
            &p,
            EVENTS_FILE,
            "",
            "duplicate event id \"russia-will-not-urge-halt\""
        ),
        "{p:?}"
    );
    assert!(
        has(&p, SOURCES_FILE, "sources[1]", "the source id is empty"),
        "{p:?}"
    );
}

#[test]
fn an_empty_quote_is_refused() {
    let files = MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"quote\": \"But it excluded Aleppo.\"",
        "\"quote\": \"  \"",
    );
    let p = problems(files);
    assert!(
        has(
            &p,
            EVENTS_FILE,
            "aleppo-excluded-from-roc\" citations[0]",
            "`quote` is empty"
        ),
        "{p:?}"
    );
}

#[test]
fn a_point_zone_or_a_self_intersecting_polygon_is_refused() {
    let bowtie = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "damascus", "properties": {"name": "D"}, "geometry": {"type": "Point", "coordinates": [36.3, 33.5]}},
        {"type": "Feature", "id": "latakia", "properties": {"name": "L"}, "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}},
        {"type": "Feature", "id": "aleppo", "properties": {"name": "A"}, "geometry": {"type": "Polygon", "coordinates": [[[33.5,36.2],[33.6,36.2],[33.6,95.0],[33.5,36.2]]]}}
    ]}"#;
    let p = problems(MemFiles::default_dataset().with(ZONES_FILE, bowtie));
    assert!(
        has(&p, ZONES_FILE, "\"damascus\"", "geometry is a Point"),
        "{p:?}"
    );
    assert!(
        has(
            &p,
            ZONES_FILE,
            "\"latakia\"",
            "crosses itself near [0.5, 0.5]"
        ),
        "{p:?}"
    );
    assert!(
        has(&p, ZONES_FILE, "\"aleppo\"", "outside longitude"),
        "{p:?}"
    );
}

#[test]
fn all_problems_are_collected_not_only_the_first() {
    let files = MemFiles::default_dataset()
        .edit(
            EVENTS_FILE,
            "\"precision\": \"day\"",
            "\"precision\": \"daily\"",
        )
        .edit(
            EVENTS_FILE,
            "\"kind\": \"talks\"",
            "\"kind\": \"negotiation\"",
        )
        .edit(
            SOURCES_FILE,
            "\"published\": \"2016-05-04\"",
            "\"published\": \"Wednesday\"",
        )
        .edit(DATASET_FILE, "Asia/Damascus", "Asia/Damascos");
    let p = problems(files);
    assert!(has(&p, EVENTS_FILE, "", "`precision` \"daily\""), "{p:?}");
    assert!(
        has(&p, EVENTS_FILE, "", "`kind` \"negotiation\" is not one of"),
        "{p:?}"
    );
    assert!(
        has(
            &p,
            SOURCES_FILE,
            "mee-2016-05-04",
            "\"Wednesday\" is neither a date"
        ),
        "{p:?}"
    );
    assert!(
        has(&p, DATASET_FILE, "", "`timezone`: \"Asia/Damascos\""),
        "{p:?}"
    );
}

#[test]
fn a_misspelt_field_is_refused_rather_than_ignored() {
    let files = MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"actor\": \"Syrian army\"",
        "\"actr\": \"Syrian army\"",
    );
    let p = problems(files);
    assert!(
        has(&p, EVENTS_FILE, "events[", "unknown field `actr`"),
        "{p:?}"
    );
}

#[test]
fn an_extension_before_any_start_of_its_instrument_is_refused() {
    let files = MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"zones\": [\n        \"damascus\",\n        \"eastern-ghouta\"\n      ],\n      \"actor\": \"Russian defence ministry",
        "\"zones\": [\n        \"aleppo\"\n      ],\n      \"actor\": \"Russian defence ministry",
    );
    let p = problems(files);
    assert!(
        has(
            &p,
            EVENTS_FILE,
            "roc-damascus-extended",
            "comes before any `truce_start`"
        ),
        "{p:?}"
    );
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let dir = std::env::temp_dir().join(format!("truce-atlas-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = std::fs::File::create(dir.join(EVENTS_FILE)).expect("create");
    // A sparse file: large on paper, costing no disk.
    file.set_len(MAX_FILE_BYTES + 1).expect("set_len");
    let result = load_folder(&dir);
    std::fs::remove_dir_all(&dir).ok();
    let p = result.expect_err("refused").problems;
    assert!(has(&p, EVENTS_FILE, "", "the limit is"), "{p:?}");
}

#[test]
fn a_file_over_a_lowered_cap_is_refused_with_the_flag_that_raises_it() {
    let dir = std::env::temp_dir().join(format!("truce-atlas-cap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, text) in &MemFiles::default_dataset().0 {
        std::fs::write(dir.join(name), text).expect("written");
    }
    let events = std::fs::metadata(dir.join(EVENTS_FILE))
        .expect("events")
        .len();
    let files = FolderFiles::new(&dir).expect("a folder");
    assert!(load(&files).is_ok(), "the default cap reads it");
    let files = FolderFiles::new(&dir)
        .expect("a folder")
        .with_cap(events - 1);
    let result = load(&files);
    std::fs::remove_dir_all(&dir).ok();
    let p = result.expect_err("refused").problems;
    assert!(has(&p, EVENTS_FILE, "", "--max-file-size"), "{p:?}");
}

#[test]
fn a_folder_that_does_not_exist_says_so() {
    let e = load_folder(Path::new("/nonexistent/truce-atlas")).expect_err("refused");
    assert!(e.report().contains("is not a folder"), "{}", e.report());
}

#[test]
fn the_report_names_the_origin_and_counts_the_problems() {
    let e = load(&MemFiles::default_dataset().with(SOURCES_FILE, "")).expect_err("refused");
    let report = e.report();
    assert!(report.starts_with("test dataset: "), "{report}");
    assert!(report.contains("sources.json: file is empty"), "{report}");
}

#[test]
fn a_broken_zones_file_is_one_problem_not_a_cascade_of_unknown_ids() {
    let p = problems(MemFiles::default_dataset().with(
        ZONES_FILE,
        "{\"type\": \"FeatureCollection\", \"features\": [}",
    ));
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].file, ZONES_FILE);
}

// ---------------------------------------------------------------------------------------------
// Every row of "Bad input never crashes, hangs, eats memory or silently loses data", as a test.

/// A zones file with the default zones but `latakia`'s geometry replaced.
fn latakia_geometry(geometry: &str) -> MemFiles {
    let files = MemFiles::default_dataset();
    let zones = files.text(ZONES_FILE);
    let start = zones
        .find("{\"type\":\"Feature\",\"id\":\"latakia\"")
        .expect("latakia");
    let geometry_at = start + zones[start..].find("\"geometry\":").expect("geometry");
    let end = geometry_at + zones[geometry_at..].find("}}").expect("end") + 1;
    let edited = format!(
        "{}\"geometry\":{geometry}{}",
        &zones[..geometry_at],
        &zones[end..]
    );
    files.with(ZONES_FILE, edited)
}

#[test]
fn a_position_with_one_or_no_number_is_an_error_at_its_line_not_a_panic() {
    for position in ["[30.1]", "[]"] {
        let geometry = format!(
            "{{\"type\":\"Polygon\",\"coordinates\":[[[35.9,35.5],{position},[36.0,35.6],[35.9,35.5]]]}}"
        );
        let p = problems(latakia_geometry(&geometry));
        assert!(
            has(&p, ZONES_FILE, "\"latakia\"", "a position has"),
            "{position}: {p:?}"
        );
        assert!(p.iter().any(|p| p.place.contains("line 5")), "{p:?}");
    }
}

#[test]
fn a_zone_with_no_rings_or_an_empty_ring_is_refused() {
    for coordinates in ["[]", "[[]]"] {
        let geometry = format!("{{\"type\":\"Polygon\",\"coordinates\":{coordinates}}}");
        let p = problems(latakia_geometry(&geometry));
        assert!(
            has(&p, ZONES_FILE, "\"latakia\"", "invalid geometry"),
            "{coordinates}: {p:?}"
        );
    }
    let p = problems(latakia_geometry(
        "{\"type\":\"MultiPolygon\",\"coordinates\":[]}",
    ));
    assert!(has(&p, ZONES_FILE, "\"latakia\"", "no polygons"), "{p:?}");
}

#[test]
fn an_unclosed_ring_a_flat_ring_and_overlapping_parts_are_refused() {
    let cases = [
        (
            "{\"type\":\"Polygon\",\"coordinates\":[[[35.9,35.5],[36.1,35.5],[36.1,35.7],[35.9,35.7]]]}",
            "is not closed",
        ),
        (
            "{\"type\":\"Polygon\",\"coordinates\":[[[35.9,35.5],[36.0,35.6],[36.1,35.7],[35.9,35.5]]]}",
            "encloses no area",
        ),
        (
            "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[35.9,35.5],[36.3,35.5],[36.3,35.9],[35.9,35.9],[35.9,35.5]]],[[[36.0,35.6],[36.1,35.6],[36.1,35.7],[36.0,35.7],[36.0,35.6]]]]}",
            "may not overlap",
        ),
    ];
    for (geometry, message) in cases {
        let p = problems(latakia_geometry(geometry));
        assert!(has(&p, ZONES_FILE, "\"latakia\"", message), "{p:?}");
    }
}

#[test]
fn a_valid_zone_of_a_hundred_thousand_vertices_is_accepted() {
    let n = 100_000;
    let ring: Vec<String> = (0..=n)
        .map(|i| {
            let a = (i % n) as f64 / n as f64 * std::f64::consts::TAU;
            format!("[{:.7},{:.7}]", 36.0 + 0.3 * a.cos(), 35.6 + 0.3 * a.sin())
        })
        .collect();
    let geometry = format!(
        "{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}",
        ring.join(",")
    );
    let ds = load(&latakia_geometry(&geometry)).expect("accepted");
    let latakia = ds.zone_index("latakia").expect("loaded");
    assert_eq!(ds.zones[latakia].geometry.0[0].exterior().0.len(), n + 1);
}

#[test]
fn chained_extensions_past_year_9999_are_an_error_naming_the_event() {
    // Each extension is within the ten-year cap; a thousand of them reach past year 9999.
    let mut events = vec![
        r#"{"id": "start", "time": "2016-05-01T00:00:00+03:00", "precision": "minute",
            "kind": "truce_start", "zones": ["aleppo"], "actor": "x", "instrument": "i",
            "citations": [{"source": "rferl-2016-05-01", "quote": "q"}]}"#
            .to_string(),
    ];
    for k in 0..1_000 {
        events.push(format!(
            r#"{{"id": "ext-{k}", "time": "2016-05-01T01:00:00+03:00", "precision": "minute",
                "kind": "extension", "zones": ["aleppo"], "actor": "x", "instrument": "i",
                "duration_hours": 87840, "citations": [{{"source": "rferl-2016-05-01", "quote": "q"}}]}}"#
        ));
    }
    let json = format!(
        r#"{{"instruments": [{{"id": "i", "name": "I"}}], "events": [{}]}}"#,
        events.join(",")
    );
    // The default story names events this file no longer has: an empty story instead.
    let files = MemFiles::default_dataset()
        .with(EVENTS_FILE, json)
        .with(STORY_FILE, r#"{"title": "t", "steps": []}"#);
    let ds = load(&files).expect("each event is valid");
    let e = crate::engine::Engine::new(ds).expect_err("the chain overflows");
    assert_eq!(e.problems.len(), 1, "{e:?}");
    assert_eq!(e.problems[0].file, EVENTS_FILE);
    assert!(e.problems[0].place.contains("\"ext-"), "{e:?}");
    assert!(e.problems[0].message.contains("9999-12-31"), "{e:?}");
}

#[test]
fn a_source_published_on_a_day_without_a_local_midnight_keeps_its_events() {
    // Damascus skipped midnight on 25 March 2016: the day starts at 01:00 (UTC+3).
    let ds = load_embedded().expect("valid");
    let files = MemFiles::default_dataset().edit(
        SOURCES_FILE,
        "\"published\": \"2016-05-04\"",
        "\"published\": \"2016-03-25\"",
    );
    let edited = load(&files).expect("accepted");
    assert_eq!(edited.sources.len(), ds.sources.len());
    assert_eq!(edited.events.len(), ds.events.len());
    let source = edited
        .sources
        .iter()
        .find(|s| s.published.time.date_naive().to_string() == "2016-03-25")
        .expect("the edited source");
    assert_eq!(
        source.published.time.to_rfc3339(),
        "2016-03-25T01:00:00+03:00"
    );
}

#[test]
fn a_misspelt_top_level_key_beside_the_right_one_is_an_error() {
    let files = MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"events\": [",
        "\"evnets\": [], \"events\": [",
    );
    let p = problems(files);
    assert!(
        has(&p, EVENTS_FILE, "line ", "unknown field `evnets`"),
        "{p:?}"
    );
    let files = MemFiles::default_dataset().edit(
        SOURCES_FILE,
        "\"sources\": [",
        "\"source\": [], \"sources\": [",
    );
    let p = problems(files);
    assert!(has(&p, SOURCES_FILE, "", "unknown field `source`"), "{p:?}");
    let files =
        MemFiles::default_dataset().edit(DATASET_FILE, "\"name\":", "\"nmae\": \"x\", \"name\":");
    let p = problems(files);
    assert!(has(&p, DATASET_FILE, "", "unknown field `nmae`"), "{p:?}");
}

#[test]
fn a_schema_member_is_allowed_at_the_top_of_each_file() {
    // The shipped files name their schema; without it they load the same.
    let shipped = MemFiles::default_dataset();
    for (file, name) in [
        (EVENTS_FILE, "events"),
        (SOURCES_FILE, "sources"),
        (DATASET_FILE, "dataset"),
    ] {
        let member = format!("\"$schema\": \"../schema/{name}.schema.json\",");
        assert!(shipped.text(file).contains(&member), "{file}");
    }
    assert!(load(&shipped).is_ok());
    let without = MemFiles::default_dataset()
        .edit(
            EVENTS_FILE,
            "\"$schema\": \"../schema/events.schema.json\",",
            "",
        )
        .edit(
            SOURCES_FILE,
            "\"$schema\": \"../schema/sources.schema.json\",",
            "",
        )
        .edit(
            DATASET_FILE,
            "\"$schema\": \"../schema/dataset.schema.json\",",
            "",
        );
    assert!(load(&without).is_ok());
}

#[test]
fn a_member_given_twice_is_an_error_not_last_one_wins() {
    let files = MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"time\": \"2016-05-05T00:00:00+03:00\",",
        "\"time\": \"2016-05-05T00:00:00+03:00\", \"time\": \"2016-05-06T00:00:00+03:00\",",
    );
    let p = problems(files);
    assert!(
        has(&p, EVENTS_FILE, "line ", "duplicate member `time`"),
        "{p:?}"
    );
}

#[test]
fn a_huge_quote_and_a_huge_zone_name_are_refused_with_their_limits() {
    let quote = "q".repeat(10 * 1024 * 1024);
    let files = MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"quote\": \"But it excluded Aleppo.\"",
        &format!("\"quote\": \"{quote}\""),
    );
    let p = problems(files);
    assert!(
        has(&p, EVENTS_FILE, "citations[0]", "the limit is 2000"),
        "{:?}",
        p.iter().map(|p| p.place.clone()).collect::<Vec<_>>()
    );
    let name = "n".repeat(1024 * 1024);
    let files = MemFiles::default_dataset().edit(
        ZONES_FILE,
        "\"name\":\"Aleppo\"",
        &format!("\"name\":\"{name}\""),
    );
    let p = problems(files);
    assert!(
        has(
            &p,
            ZONES_FILE,
            "\"aleppo\"",
            "`name` is 1048576 characters long; the limit is 300"
        ),
        "{p:?}"
    );
    // Messages stay short: the offending text is not repeated in them.
    assert!(p.iter().all(|p| p.message.len() < 500), "{p:?}");
}

#[test]
fn events_in_year_1_and_year_9999_are_accepted() {
    let files = MemFiles::default_dataset()
        .edit(
            EVENTS_FILE,
            "\"2016-02-27T00:00:00+02:00\"",
            "\"0001-01-01T00:00:00Z\"",
        )
        .edit(
            EVENTS_FILE,
            "\"time\": \"2016-05-05T00:00:00+03:00\"",
            "\"time\": \"9999-12-29T00:00:00Z\"",
        );
    let ds = load(&files).expect("accepted");
    let engine = crate::engine::Engine::new(ds).expect("indexed");
    let (lo, hi) = engine.span();
    assert!(lo.to_rfc3339().starts_with("0000-12-31"), "{lo}");
    assert!(hi.to_rfc3339().starts_with("9999-12-3"), "{hi}");
    for z in 0..engine.dataset().zones.len() {
        let _ = engine.status(z, lo, None);
        let _ = engine.status(z, hi, None);
    }
}

#[test]
fn a_time_after_year_9999_is_refused() {
    let files = MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"time\": \"2016-05-05T00:00:00+03:00\"",
        "\"time\": \"9999-12-31T23:00:00-05:00\"",
    );
    let p = problems(files);
    assert!(
        has(&p, EVENTS_FILE, "aleppo-48-hour-truce", "after 9999-12-31"),
        "{p:?}"
    );
}

#[test]
fn unused_properties_and_foreign_members_are_listed_as_notes() {
    let files = MemFiles::default_dataset()
        .edit(
            ZONES_FILE,
            "\"type\": \"FeatureCollection\",",
            "\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\"},",
        )
        .edit(
            ZONES_FILE,
            "\"kind\":\"governorate\"",
            "\"kind\":\"governorate\",\"fid\":1",
        );
    let ds = load(&files).expect("accepted");
    assert!(
        ds.notes
            .iter()
            .any(|n| n.contains("zones.geojson") && n.contains("`crs`")),
        "{:?}",
        ds.notes
    );
    assert!(
        ds.notes
            .iter()
            .any(|n| n.contains("property `fid` (in 1 feature)")),
        "{:?}",
        ds.notes
    );
}

/// A copy of the default dataset in a fresh folder.
fn folder_copy(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-atlas-load-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let files = MemFiles::default_dataset();
    for (name, bytes) in &files.0 {
        std::fs::write(dir.join(name), bytes).expect("write");
    }
    dir
}

#[cfg(unix)]
#[test]
fn a_dataset_file_linked_to_a_device_or_out_of_the_folder_is_refused() {
    for (tag, target) in [
        ("zero", "/dev/zero"),
        ("urandom", "/dev/urandom"),
        ("passwd", "/etc/passwd"),
    ] {
        let dir = folder_copy(tag);
        std::fs::remove_file(dir.join(EVENTS_FILE)).expect("remove");
        std::os::unix::fs::symlink(target, dir.join(EVENTS_FILE)).expect("link");
        let result = load_folder(&dir);
        std::fs::remove_dir_all(&dir).ok();
        let p = result.expect_err("refused").problems;
        assert!(
            has(&p, EVENTS_FILE, "", "outside the folder"),
            "{tag}: {p:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_events_json_is_refused_without_waiting() {
    let dir = folder_copy("fifo");
    std::fs::remove_file(dir.join(EVENTS_FILE)).expect("remove");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join(EVENTS_FILE))
        .status()
        .is_ok_and(|s| s.success());
    let result = load_folder(&dir);
    std::fs::remove_dir_all(&dir).ok();
    assert!(made, "mkfifo works");
    let p = result.expect_err("refused").problems;
    assert!(has(&p, EVENTS_FILE, "", "not a regular file"), "{p:?}");
}

#[test]
fn a_file_with_every_record_broken_lists_a_thousand_problems_and_counts_the_rest() {
    let events: Vec<String> = (0..3_000)
        .map(|i| format!("{{\"id\": \"e{i}\"}}"))
        .collect();
    let json = format!("{{\"events\": [{}]}}", events.join(","));
    let p = problems(MemFiles::default_dataset().with(EVENTS_FILE, json));
    assert_eq!(p.len(), 1_001, "{:?}", &p[..3]);
    assert!(
        p[1_000].message.contains("and 2000 more problems"),
        "{:?}",
        p[1_000]
    );
}

#[test]
fn a_source_url_that_is_not_http_or_https_is_refused_with_its_place() {
    let archive = "\"archive_file\": \"000_92d3ddc9b60d107d.txt\"";
    for (url, says) in [
        ("file:///etc/passwd", "not file:"),
        ("javascript:alert(1)", "not javascript:"),
        ("not a link", "not a valid web address"),
    ] {
        let with_url = format!("{archive}, \"url\": \"{url}\"");
        let p = problems(MemFiles::default_dataset().edit(SOURCES_FILE, archive, &with_url));
        assert!(has(&p, SOURCES_FILE, "sources[0]", says), "{url}: {p:?}");
    }
    let with_url = format!("{archive}, \"url\": \"https://www.panarmenian.net/eng/news/\"");
    let files = MemFiles::default_dataset().edit(SOURCES_FILE, archive, &with_url);
    assert!(load(&files).is_ok(), "an https link is fine");
}

#[test]
fn an_event_on_a_side_dataset_json_does_not_declare_names_the_event_and_the_sides_it_has() {
    let p = problems(MemFiles::default_dataset().edit(
        EVENTS_FILE,
        "\"side\": \"press\"",
        "\"side\": \"pres\"",
    ));
    assert!(
        has(
            &p,
            EVENTS_FILE,
            "\"aleppo-coh-breakdown\"",
            "unknown side \"pres\" (dataset.json declares: opposition, press,"
        ),
        "{p:?}"
    );
}

#[test]
fn a_side_declared_twice_or_without_a_name_is_refused() {
    let p = problems(MemFiles::default_dataset().edit(
        DATASET_FILE,
        "{\"id\": \"us\", \"name\": \"US officials\"}",
        "{\"id\": \"russia\", \"name\": \" \"}",
    ));
    assert!(
        has(
            &p,
            DATASET_FILE,
            "sides[2]",
            "`id` \"russia\" is declared twice"
        ),
        "{p:?}"
    );
    assert!(
        has(&p, DATASET_FILE, "sides[2]", "`name` is empty"),
        "{p:?}"
    );
}

#[test]
fn the_default_dataset_puts_its_events_on_the_sides_it_declares() {
    let ds = load_embedded().expect("valid");
    let side = |event: &str| {
        let e = &ds.events[ds.event_index(event).expect("event")];
        e.side.map(|s| ds.meta.sides[s].id.as_str())
    };
    assert_eq!(side("russia-talks-on-aleppo"), Some("russia"));
    assert_eq!(side("aleppo-renewed-cessation"), Some("us"));
    assert_eq!(side("factions-call-coh-dead"), Some("opposition"));
}

// ---------------------------------------------------------------------------------------------
// Zones by code (data/FORMAT.md, "Zones by code").

/// The default dataset with `latakia`'s feature given `admin_code` (a JSON value) and the
/// geometry `geometry` (a JSON text), its source left as it was unless `source` is given.
fn latakia_by_code(code: &str, geometry: &str) -> MemFiles {
    let files = latakia_geometry(geometry);
    let zones = files.text(ZONES_FILE);
    let from = "{\"type\":\"Feature\",\"id\":\"latakia\",\"properties\":{";
    assert!(zones.contains(from));
    let edited = zones.replacen(from, &format!("{from}\"admin_code\":{code},"), 1);
    files.with(ZONES_FILE, edited)
}

fn latakia_zone(files: &MemFiles) -> crate::model::Zone {
    let ds = load(files).unwrap_or_else(|e| panic!("{}", e.report()));
    ds.zones
        .into_iter()
        .find(|z| z.id == "latakia")
        .expect("latakia")
}

fn area(mp: &geo::MultiPolygon<f64>) -> f64 {
    crate::geometry::Shape::new(mp).area
}

#[test]
fn a_zone_given_only_by_its_code_takes_that_divisions_outline() {
    let zone = latakia_zone(&latakia_by_code("\"SY-LA\"", "null"));
    let world = crate::basemap::Basemap::shared();
    let (layer, i) = world.find("SY-LA").expect("SY-LA");
    let governorate = world.area(layer, i, 2);
    let ratio = area(&zone.geometry) / governorate;
    assert!((ratio - 1.0).abs() < 1e-6, "{ratio}");
    // The dataset's own words on where the outline comes from are kept.
    assert!(
        zone.geometry_source.starts_with("Approximate outline"),
        "{}",
        zone.geometry_source
    );
}

#[test]
fn a_zone_by_code_with_no_source_of_its_own_names_the_data_its_version_and_the_code() {
    let files = latakia_by_code("\"SY-LA\"", "null");
    let mut zones: serde_json::Value = serde_json::from_str(&files.text(ZONES_FILE)).expect("json");
    let latakia = zones["features"]
        .as_array_mut()
        .and_then(|f| f.iter_mut().find(|f| f["id"] == "latakia"))
        .expect("latakia");
    latakia["properties"]
        .as_object_mut()
        .expect("properties")
        .remove("geometry_source");
    let edited = zones.to_string();
    let zone = latakia_zone(&files.with(ZONES_FILE, edited));
    assert!(
        zone.geometry_source.contains("Natural Earth"),
        "{}",
        zone.geometry_source
    );
    assert!(
        zone.geometry_source.contains("version 5.0"),
        "{}",
        zone.geometry_source
    );
    assert!(
        zone.geometry_source.contains("SY-LA (Latakia)"),
        "{}",
        zone.geometry_source
    );
}

#[test]
fn a_zone_with_both_a_geometry_and_a_code_keeps_its_geometry() {
    let drawn = latakia_zone(&MemFiles::default_dataset());
    let both = latakia_zone(&latakia_by_code("\"SY-HL\"", &{
        let files = MemFiles::default_dataset();
        let zones = files.text(ZONES_FILE);
        let start = zones.find("\"id\":\"latakia\"").expect("latakia");
        let g = start + zones[start..].find("\"geometry\":").expect("geometry") + 11;
        let end = g + zones[g..].find("}}").expect("end") + 1;
        zones[g..end].to_string()
    }));
    assert_eq!(area(&both.geometry), area(&drawn.geometry));
}

#[test]
fn an_unknown_code_is_an_error_naming_the_zone_the_code_and_near_codes() {
    let p = problems(latakia_by_code("\"SY-LAX\"", "null"));
    assert!(
        has(
            &p,
            ZONES_FILE,
            "latakia",
            "no area has the code `SY-LAX`; nearest: SY-LA"
        ),
        "{p:#?}"
    );
    let p = problems(latakia_by_code("[\"SY-LA\", 4]", "null"));
    assert!(has(&p, ZONES_FILE, "latakia", "must be a code"), "{p:#?}");
    let p = problems(latakia_by_code("[]", "null"));
    assert!(has(&p, ZONES_FILE, "latakia", "must be a code"), "{p:#?}");
    let p = problems(latakia_geometry("null"));
    assert!(has(&p, ZONES_FILE, "latakia", "no geometry"), "{p:#?}");
}

#[test]
fn a_list_of_neighbouring_codes_is_dissolved_into_one_outline_without_their_shared_border() {
    let zone = latakia_zone(&latakia_by_code("[\"SY-LA\", \"SY-TA\"]", "null"));
    let world = crate::basemap::Basemap::shared();
    let part = |code: &str| {
        let (layer, i) = world.find(code).expect(code);
        world.area(layer, i, 2)
    };
    let sum = part("SY-LA") + part("SY-TA");
    assert!((area(&zone.geometry) / sum - 1.0).abs() < 1e-6);
    // One outline: the two governorates share a border, which the union takes away.
    let largest = zone.geometry.0.iter().map(|p| p.exterior().0.len()).max();
    let separate: usize = ["SY-LA", "SY-TA"]
        .iter()
        .map(|c| {
            let (layer, i) = world.find(c).expect("code");
            world.parts(layer, i, 2).expect("parts")[0][0].len()
        })
        .sum();
    assert!(
        largest.is_some_and(|n| n < separate),
        "{largest:?} {separate}"
    );
}

#[test]
fn every_pair_of_neighbouring_divisions_of_three_countries_dissolves_into_a_valid_outline() {
    use crate::basemap::Layer;
    let world = crate::basemap::Basemap::shared();
    let mut pairs = 0;
    for country in ["UA", "SY", "CL"] {
        let regions: Vec<usize> = world
            .search("", Some(country))
            .into_iter()
            .filter(|(l, _)| *l == Layer::Regions)
            .map(|(_, i)| i)
            .collect();
        for (k, &a) in regions.iter().enumerate() {
            for &b in &regions[k + 1..] {
                let (ba, bb) = (
                    world.bounds(Layer::Regions, a),
                    world.bounds(Layer::Regions, b),
                );
                let apart = ba.1[0] < bb.0[0]
                    || bb.1[0] < ba.0[0]
                    || ba.1[1] < bb.0[1]
                    || bb.1[1] < ba.0[1];
                if apart {
                    continue;
                }
                let parts = |i| world.parts(Layer::Regions, i, 2).expect("parts").len();
                let union = world
                    .union(&[(Layer::Regions, a), (Layer::Regions, b)])
                    .expect("union");
                // Neighbours: the union has fewer polygons than the two had.
                if union.0.len() >= parts(a) + parts(b) {
                    continue;
                }
                pairs += 1;
                let codes = (
                    &world.areas(Layer::Regions)[a].code,
                    &world.areas(Layer::Regions)[b].code,
                );
                if let Err(e) = crate::geometry::validity::multipolygon(
                    &crate::geometry::validity::parts_of(&union),
                ) {
                    panic!("{codes:?}: {e}");
                }
            }
        }
    }
    assert!(pairs > 60, "{pairs} neighbouring pairs");
}

#[test]
fn a_record_is_placed_by_its_line_alone_the_same_line_the_column_count_gives() {
    let text = "{\n  \"a\": 1,\n\n  \"b\": [1, 2]\n}";
    let t = json::Text::new(text);
    for offset in [0, 1, 5, 12, 14, 20, text.len()] {
        assert_eq!(
            t.line_of(offset),
            t.line_column(offset).0,
            "offset {offset}"
        );
    }
}

#[test]
fn the_default_dataset_s_aggregate_reports_load_with_their_quotes() {
    let ds = load(&MemFiles::default_dataset()).expect("valid");
    assert_eq!(ds.incidents.reports.len(), 4);
    let hospital = ds
        .incidents
        .reports
        .iter()
        .find(|r| r.id == "aleppo-hospital")
        .expect("the hospital report");
    assert_eq!(hospital.fatalities.low, Some(51));
    assert_eq!(hospital.fatalities.best, None, "no best figure is invented");
    assert!(hospital.citations[0].quote.contains("more than 50 people"));
}

#[test]
fn incidents_json_is_as_strict_as_the_other_files() {
    let incident = |fields: &str| {
        format!(
            r#"{{"incidents": [{{"id": "i1", "time": "2016-04-28", "precision": "day", "type": "Air strike", "citations": [{{"source": "rferl-2016-05-01", "quote": "More than a week of fighting"}}], {fields}}}]}}"#
        )
    };
    let cases = [
        (
            incident(r#""zones": ["aleppo"], "colour": "red""#),
            "unknown field `colour`",
        ),
        (
            incident(r#""point": [37.1, 36.2], "zones": ["aleppo"]"#),
            "either `point` or `zones`",
        ),
        (incident(r#""point": [237.1, 36.2]"#), "not a longitude"),
        (
            incident(r#""zones": ["alepo"]"#),
            "unknown zone id \"alepo\"",
        ),
        (
            incident(r#""zones": ["aleppo"], "fatalities": {"low": 60, "best": 51}"#),
            "low 60 is more than best 51",
        ),
        (
            incident(r#""zones": ["aleppo"], "until": "2016-04-20""#),
            "is before `time`",
        ),
        (
            incident(r#""zones": ["aleppo"], "reach": "province""#),
            "`reach` goes with a `point`",
        ),
    ];
    for (text, message) in cases {
        let p = problems(MemFiles::default_dataset().with(INCIDENTS_FILE, text.clone()));
        assert!(
            has(&p, INCIDENTS_FILE, "incidents[0]", message),
            "{message:?} not among {p:#?} for {text}"
        );
    }
}

#[test]
fn an_incident_needs_a_quote_and_a_known_source() {
    let text = r#"{"incidents": [{"id": "i1", "time": "2016-04-28", "precision": "day", "type": "Air strike", "zones": ["aleppo"], "citations": []}]}"#;
    let p = problems(MemFiles::default_dataset().with(INCIDENTS_FILE, text));
    assert!(
        has(&p, INCIDENTS_FILE, "incidents[0]", "no citations"),
        "{p:#?}"
    );
}

/// A story of one step (`fields` after its title and text) over the default dataset.
fn story(fields: &str) -> String {
    format!(r#"{{"title": "T", "steps": [{{"title": "S", "text": "words", {fields}}}]}}"#)
}

#[test]
fn the_default_story_walks_from_27_february_to_past_the_last_report() {
    let ds = load_embedded().expect("valid");
    let story = ds.story.as_ref().expect("the default dataset has a story");
    assert!(
        (6..=8).contains(&story.steps.len()),
        "{}",
        story.steps.len()
    );
    let first = &story.steps[0];
    assert_eq!(first.at.date_naive().to_string(), "2016-02-27");
    let times: Vec<_> = story.steps.iter().map(|s| s.at).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "steps in time order"
    );
    assert!(
        story.steps.iter().all(|s| !s.citations.is_empty()),
        "every step leans on quotes"
    );
    let engine = crate::engine::Engine::new(ds.clone()).expect("an engine");
    let last = story.steps.last().expect("a last step");
    assert!(
        engine.after_reports(last.at, None),
        "the last step is past the evidence horizon"
    );
    assert!(story.steps.iter().any(|s| s.filter.is_some()));
}

#[test]
fn a_story_step_with_an_unknown_id_or_an_instant_outside_the_span_is_refused() {
    let cases = [
        (
            story(r#""at": "2016-05-01T12:00:00+03:00", "zone": "alepo""#),
            "unknown id \"alepo\"",
        ),
        (
            story(r#""at": "2016-08-01T12:00:00+03:00""#),
            "outside the dataset's span",
        ),
        (
            story(r#""at": "2016-05-01T12:00:00+03:00", "citations": ["no-such-event"]"#),
            "unknown id \"no-such-event\"",
        ),
        (
            story(
                r#""at": "2016-05-01T12:00:00+03:00", "citations": [{"event": "coh-takes-effect", "source": "mee-2016-05-04"}]"#,
            ),
            "cites no quote of source",
        ),
        (
            story(r#""at": "2016-05-01T12:00:00+03:00", "filter": {"sides": ["martians"]}"#),
            "unknown id \"martians\"",
        ),
        (
            story(r#""at": "2016-05-01T12:00:00+03:00", "hide_kinds": ["rumour"]"#),
            "not a kind of event",
        ),
        (
            story(r#""at": "2016-05-01T12:00:00+03:00", "window": "week""#),
            "is not one of all",
        ),
        (
            story(r#""at": "2016-05-01T12:00:00+03:00", "colour": "red""#),
            "unknown field `colour`",
        ),
        (story(r#""at": "2016-05-01""#), "not a valid RFC 3339 time"),
    ];
    for (text, message) in cases {
        let p = problems(MemFiles::default_dataset().with(STORY_FILE, text.clone()));
        assert!(
            has(&p, STORY_FILE, "steps[0]", message),
            "{message:?} not among {p:#?} for {text}"
        );
    }
    let long = format!(
        r#""at": "2016-05-01T12:00:00+03:00", "text": "{}""#,
        "w".repeat(limits::MAX_STORY_TEXT_CHARS + 1)
    );
    let text = format!(r#"{{"title": "T", "steps": [{{"title": "S", {long}}}]}}"#);
    let p = problems(MemFiles::default_dataset().with(STORY_FILE, text));
    assert!(
        has(&p, STORY_FILE, "steps[0]", "the limit is 4000"),
        "{p:#?}"
    );
}

#[test]
fn a_story_reads_its_step_s_view_known_on_as_the_end_of_that_local_day() {
    let text = story(
        r#""at": "2016-05-01T12:00:00+03:00", "known_on": "2016-05-01", "zone": "aleppo", "frame": ["aleppo", "latakia"], "window": "two_days", "hide_kinds": ["talks"], "filter": {"sources": ["mee-2016-05-04"]}, "citations": ["coh-takes-effect", {"event": "aleppo-48-hour-truce", "source": "mee-2016-05-04"}]"#,
    );
    let ds = load(&MemFiles::default_dataset().with(STORY_FILE, text)).expect("valid");
    let step = &ds.story.as_ref().expect("a story").steps[0];
    assert_eq!(
        step.known_on.map(|k| k.to_rfc3339()).as_deref(),
        Some("2016-05-01T20:59:59+00:00")
    );
    assert_eq!(step.zone, ds.zone_index("aleppo"));
    assert_eq!(step.frame.len(), 2);
    assert_eq!(step.window, crate::model::Window::TwoDays);
    assert!(!step.kinds.shows(crate::model::EventKind::Talks));
    assert_eq!(step.filter.as_ref().map(|f| f.sources.len()), Some(1));
    assert_eq!(
        step.citations[1].source,
        ds.sources.iter().position(|s| s.id == "mee-2016-05-04")
    );
}
