use std::collections::HashMap;

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
        "\"2016-05-05T00:00:00+03:00\"",
        "\"5 May 2016\"",
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
        has(&p, SOURCES_FILE, "sources[1]", "source id is empty"),
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
            "quote is empty"
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
        has(&p, ZONES_FILE, "\"latakia\"", "self-intersection"),
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
    assert!(has(&p, DATASET_FILE, "timezone", "Asia/Damascos"), "{p:?}");
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
        "\"zones\": [\n        \"damascus\"\n      ],\n      \"actor\": \"Russian defence ministry",
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
