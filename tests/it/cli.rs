//! The command line as a user meets it: JSON shapes, exit codes, messages on bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn atlas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_truce-atlas"))
        .args(args)
        // Run from elsewhere: the embedded dataset must not depend on the working directory.
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A copy of the default dataset in a fresh temporary folder, to damage.
fn dataset_copy(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-atlas-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/syria-2016");
    for entry in std::fs::read_dir(src).expect("dataset folder") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
    }
    dir
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn status_as_json_on_1_may_at_noon_lists_the_four_zones_with_quotes() {
    let o = atlas(&[
        "status",
        "--at",
        "2016-05-01T12:00:00+03:00",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(keys(&doc), ["at", "known_on", "reports_until", "zones"]);
    assert_eq!(doc["reports_until"], "2016-05-04T23:59:59+03:00");
    assert_eq!(doc["at"], "2016-05-01T12:00:00+03:00");
    assert_eq!(doc["known_on"], Value::Null);
    let zones = doc["zones"].as_array().expect("zones");
    let ids: Vec<&str> = zones
        .iter()
        .map(|z| z["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["damascus", "latakia", "eastern-ghouta", "aleppo"]);
    for z in zones {
        for key in [
            "id",
            "name",
            "status",
            "contested",
            "instrument",
            "since",
            "until",
            "citations",
            "disputed_by",
            "last_reported",
            "after_reports",
        ] {
            assert!(z.get(key).is_some(), "zone lacks {key}: {z}");
        }
        assert_eq!(z["after_reports"], false);
        let citations = z["citations"].as_array().expect("citations");
        assert!(!citations.is_empty(), "{} has no quote", z["id"]);
        for c in citations
            .iter()
            .chain(z["disputed_by"].as_array().expect("array"))
        {
            for key in ["source", "outlet", "published", "quote"] {
                assert!(c[key].is_string(), "citation lacks {key}: {c}");
            }
        }
    }
    assert_eq!(zones[0]["status"], "in_effect");
    assert_eq!(zones[0]["instrument"], "roc-2016-04");
    assert_eq!(zones[0]["since"], "2016-04-30T06:00:00+03:00");
    assert_eq!(zones[0]["since_precision"], "approximate");
    assert_eq!(zones[3]["status"], "negotiating");
    assert_eq!(zones[3]["contested"], false);
}

#[test]
fn status_known_on_echoes_the_cutoff_and_uses_only_what_was_reported() {
    let o = atlas(&[
        "status",
        "--at",
        "2016-05-01 12:00",
        "--known-on",
        "2016-04-30",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    // A date alone means the end of that local day, as in the app.
    assert_eq!(doc["known_on"], "2016-04-30T23:59:59+03:00");
    assert!(
        doc["zones"]
            .as_array()
            .expect("zones")
            .iter()
            .all(|z| z["status"] == "unknown")
    );
}

#[test]
fn status_as_a_table_reads_in_damascus_time() {
    let o = atlas(&["status", "--at", "2016-05-05T12:00:00+03:00"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.contains("Thu 5 May 2016, 12:00 Damascus (UTC+3)"),
        "{text}"
    );
    assert!(text.contains("48-hour Aleppo truce"), "{text}");
}

#[test]
fn events_as_json_have_the_stable_shape_and_filter_by_zone() {
    let o = atlas(&["events", "--zone", "aleppo", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(keys(&doc), ["events"]);
    let events = doc["events"].as_array().expect("events");
    assert!(events.len() >= 8);
    for e in events {
        assert_eq!(
            keys(e),
            [
                "actor",
                "as_reported",
                "citations",
                "id",
                "instrument",
                "kind",
                "note",
                "precision",
                "time",
                "zones"
            ]
        );
        assert!(
            e["zones"]
                .as_array()
                .expect("zones")
                .iter()
                .any(|z| z == "aleppo")
        );
        for c in e["citations"].as_array().expect("citations") {
            assert_eq!(keys(c), ["outlet", "quote", "source"]);
        }
    }
    let times: Vec<&str> = events
        .iter()
        .map(|e| e["time"].as_str().expect("time"))
        .collect();
    assert_eq!(
        times.first(),
        Some(&"2016-02-27T00:00:00+02:00"),
        "kept with its offset"
    );
}

#[test]
fn validate_exits_0_with_a_one_line_summary() {
    let o = atlas(&["validate"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1);
    assert!(stdout(&o).starts_with("ok: "));
}

/// Turns a file's text into the damaged bytes written in its place.
type Damage = Box<dyn Fn(String) -> Vec<u8>>;

fn damaged(tag: &str, file: &str, damage: impl Fn(String) -> Vec<u8>) -> Output {
    let dir = dataset_copy(tag);
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, damage(text)).expect("write");
    let o = atlas(&["validate", "--data", dir.to_str().expect("utf-8 path")]);
    std::fs::remove_dir_all(&dir).ok();
    o
}

#[test]
fn a_damaged_dataset_exits_1_naming_the_file_and_the_place() {
    let cases: Vec<(&str, &str, Damage, &str)> = vec![
        (
            "truncated",
            "events.json",
            Box::new(|t: String| t.as_bytes()[..t.len() / 3].to_vec()),
            "events.json: line ",
        ),
        (
            "empty",
            "sources.json",
            Box::new(|_| Vec::new()),
            "sources.json: file is empty",
        ),
        (
            "garbage",
            "zones.geojson",
            Box::new(|_| b"{\"type\": \xff\xfe".to_vec()),
            "zones.geojson: line 1, column 10: not UTF-8",
        ),
        (
            "timestamp",
            "events.json",
            Box::new(|t: String| {
                t.replacen("2016-05-04T00:01:00+03:00", "2016-05-04T24:01:00+03:00", 1)
                    .into_bytes()
            }),
            "\"aleppo-renewed-cessation\" (line 739): `time`",
        ),
        (
            "unknown-id",
            "events.json",
            Box::new(|t: String| {
                t.replacen(
                    "\"instrument\": \"roc-2016-04\"",
                    "\"instrument\": \"roc\"",
                    1,
                )
                .into_bytes()
            }),
            "unknown instrument id \"roc\"",
        ),
    ];
    for (tag, file, damage, expected) in cases {
        let o = damaged(tag, file, damage);
        assert_eq!(o.status.code(), Some(1), "{tag}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(expected),
            "{tag}: expected {expected:?} in\n{}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("panicked"), "{tag}");
    }
}

#[test]
fn a_wrong_flag_or_time_is_a_usage_error_with_exit_2() {
    let o = atlas(&["status", "--at", "2016-05-01", "--frmat", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--frmat"), "{}", stderr(&o));
    let o = atlas(&["status", "--at", "next tuesday"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--at: \"next tuesday\" is not a time"),
        "{}",
        stderr(&o)
    );
    let o = atlas(&["events", "--zone", "homs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the zones are damascus, latakia, eastern-ghouta, aleppo"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn verify_accepts_exact_quotes_and_lists_every_miss() {
    let dir = dataset_copy("verify");
    let sources = dir.join("archive");
    std::fs::create_dir_all(&sources).expect("archive dir");
    // An archive that holds only one report, with one of its quotes altered.
    let seeds =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/002_d43e32180d004331.txt");
    let original = std::fs::read_to_string(&seeds).unwrap_or_else(|_| {
        // Without the seeds beside the repo, rebuild the one sentence the test needs.
        "Syrian state media also reported that the government would respect a 48-hour Aleppo truce starting on Thursday.".into()
    });
    let altered = original.replace("48-hour Aleppo truce", "72-hour Aleppo truce");
    std::fs::write(sources.join("002_d43e32180d004331.txt"), altered).expect("write");
    let o = atlas(&[
        "verify",
        "--sources",
        sources.to_str().expect("path"),
        "--data",
        dir.to_str().expect("path"),
    ]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("its sha256 is not"),
        "the altered file is recognised by name: {err}"
    );
    assert!(
        err.contains("event \"aleppo-48-hour-truce\" citations[0]: quote not found"),
        "{err}"
    );
    assert!(
        err.contains("source \"rferl-2016-05-01\""),
        "missing archives are listed: {err}"
    );
}

#[test]
fn verify_passes_on_the_seed_reports() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        // The seeds live beside the repository, not in it; .ci/run runs this check directly.
        eprintln!("skipped: {} is not there", seeds.display());
        return;
    }
    let o = atlas(&["verify", "--sources", seeds.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("are exact excerpts of 5 archived sources"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_worked_example_of_format_md_validates_verifies_and_gives_the_statuses_shown() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example-minimal");
    let dir = dir.to_str().expect("path");
    assert!(atlas(&["validate", "--data", dir]).status.success());
    assert!(
        atlas(&["verify", "--data", dir, "--sources", dir])
            .status
            .success()
    );
    let status = |at: &str, known: Option<&str>| -> Vec<String> {
        let mut args = vec!["status", "--data", dir, "--at", at, "--format", "json"];
        if let Some(k) = known {
            args.extend(["--known-on", k]);
        }
        let doc: Value = serde_json::from_str(&stdout(&atlas(&args))).expect("json");
        doc["zones"]
            .as_array()
            .expect("zones")
            .iter()
            .map(|z| z["status"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(status("2024-06-02 12:00", None), ["in_effect", "excluded"]);
    assert_eq!(status("2024-06-02 20:00", None), ["collapsed", "excluded"]);
    assert_eq!(
        status("2024-06-02 20:00", Some("2024-06-02")),
        ["in_effect", "excluded"]
    );
    assert_eq!(
        status("2024-06-03 07:00", Some("2024-06-02")),
        ["unknown", "excluded"],
        "the 48 hours ran out"
    );
}

#[test]
fn past_the_last_report_every_zone_is_as_last_reported_and_before_it_none() {
    let status = |at: &str| {
        let o = atlas(&["status", "--at", at, "--format", "json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str::<Value>(&stdout(&o)).expect("valid JSON")
    };
    let after = status("2016-05-08T12:00:00+03:00");
    let zones = after["zones"].as_array().expect("zones");
    assert!(zones.iter().all(|z| z["after_reports"] == true), "{after}");
    assert!(
        zones.iter().all(|z| z["last_reported"] == "2016-05-04"),
        "{after}"
    );
    let before = status("2016-05-02T12:00:00+03:00");
    let zones = before["zones"].as_array().expect("zones");
    assert!(
        zones.iter().all(|z| z["after_reports"] == false),
        "{before}"
    );
    // The table says so in words.
    let o = atlas(&["status", "--at", "2016-05-08T12:00:00+03:00"]);
    assert!(
        stdout(&o).contains("After the last report"),
        "{}",
        stdout(&o)
    );
    let o = atlas(&["status", "--at", "2016-05-02T12:00:00+03:00"]);
    assert!(
        !stdout(&o).contains("After the last report"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn known_on_a_date_in_the_cli_counts_everything_published_that_day() {
    let o = atlas(&[
        "status",
        "--at",
        "2016-05-01 12:00",
        "--known-on",
        "2016-05-01",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let latakia = &doc["zones"][1];
    assert_eq!(latakia["id"], "latakia");
    assert_eq!(latakia["status"], "in_effect");
    assert_eq!(latakia["instrument"], "roc-2016-04");
    assert_eq!(latakia["until"], "2016-05-03T00:00:00+03:00");
}

#[test]
fn events_notes_lists_the_editorial_choices_with_their_notes() {
    let o = atlas(&["events", "--notes", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let events = doc["events"].as_array().expect("events");
    assert!(events.len() >= 10);
    for e in events {
        assert!(
            e["note"].is_string() || e["precision"] == "approximate",
            "{e}"
        );
    }
    let all = atlas(&["events", "--format", "json"]);
    let all: Value = serde_json::from_str(&stdout(&all)).expect("valid JSON");
    assert!(all["events"].as_array().expect("events").len() > events.len());
    let table = stdout(&atlas(&["events", "--notes"]));
    assert!(table.contains("    note: "), "{table}");
}

#[test]
fn an_app_flag_with_a_subcommand_is_a_usage_error_that_names_it() {
    let o = atlas(&["--zone", "aleppo", "events"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--zone is a flag of the app, not of the `events` subcommand"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
    let o = atlas(&["--fresh", "validate"]);
    assert_eq!(o.status.code(), Some(2));
    // `--data` goes with either, before or after the subcommand.
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data/syria-2016");
    let o = atlas(&["--data", data, "validate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = atlas(&["events", "--zone", "aleppo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_status_table_stays_aligned_with_wide_characters_in_zone_names() {
    let dir = dataset_copy("wide");
    let zones = std::fs::read_to_string(dir.join("zones.geojson")).expect("read");
    let renamed = zones.replacen("\"name\":\"Aleppo\"", "\"name\":\"阿勒颇 Aleppo\"", 1);
    assert_ne!(zones, renamed, "Aleppo's name is where the test expects it");
    std::fs::write(dir.join("zones.geojson"), renamed).expect("write");
    let o = atlas(&[
        "--data",
        dir.to_str().expect("utf-8 path"),
        "status",
        "--at",
        "2016-05-01T12:00:00+03:00",
    ]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    // The STATUS column starts at the same terminal column on the header and every zone's row.
    let columns: Vec<usize> = text
        .lines()
        .filter(|l| l.starts_with("ZONE") || l.contains("in_effect") || l.contains("negotiating"))
        .map(|l| {
            let at = ["STATUS", "in_effect", "negotiating"]
                .iter()
                .filter_map(|w| l.find(w))
                .min()
                .expect("a status word");
            unicode_width::UnicodeWidthStr::width(&l[..at])
        })
        .collect();
    assert_eq!(columns.len(), 5, "{text}");
    assert!(
        columns.iter().all(|&c| c == columns[0]),
        "{columns:?}\n{text}"
    );
}

#[test]
fn schema_prints_the_json_schema_of_a_dataset_file_without_reading_a_dataset() {
    let o = atlas(&["--data", "/nonexistent", "schema", "events"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let schema: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(schema["title"], "Truce Atlas events.json");
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/schema/events.schema.json"
    ))
    .expect("shipped schema");
    assert_eq!(stdout(&o), shipped);
    assert_eq!(atlas(&["schema", "places"]).status.code(), Some(2));
    let zones: Value = serde_json::from_str(&stdout(&atlas(&["schema", "zones"]))).expect("JSON");
    assert_eq!(zones["title"], "Truce Atlas zones.geojson");
    assert!(zones["definitions"]["AdminCode"].is_object());
}

#[test]
fn export_writes_the_intervals_csv_to_a_file_and_the_snapshot_as_geojson() {
    let dir = std::env::temp_dir().join(format!("truce-atlas-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("intervals.csv");
    std::fs::write(&file, "an older export").expect("write");
    let path = file.to_str().expect("utf-8");
    let o = atlas(&["export", "csv", "--known-on", "2016-05-01", "-o", path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut reader = csv::Reader::from_path(&file).expect("a CSV file");
    let statuses: Vec<String> = reader
        .records()
        .map(|r| r.expect("a row")[2].to_string())
        .collect();
    assert!(statuses.iter().any(|s| s == "collapsed"), "{statuses:?}");
    // Less was known on 1 May than in the end: fewer intervals than the whole export has.
    let all = atlas(&["export", "csv"]);
    let all_rows = csv::Reader::from_reader(all.stdout.as_slice())
        .records()
        .count();
    assert!(
        statuses.len() < all_rows,
        "{} of {all_rows}",
        statuses.len()
    );
    assert!(!dir.join("intervals.csv.partial").exists(), "no leftovers");

    let o = atlas(&["export", "geojson", "--at", "2016-05-01 12:00"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: geojson::FeatureCollection = stdout(&o).parse().expect("GeoJSON");
    let aleppo = doc
        .features
        .iter()
        .find(|f| f.property("id") == Some(&Value::from("aleppo")))
        .expect("Aleppo");
    assert_eq!(aleppo.property("status"), Some(&Value::from("negotiating")));
    assert!(aleppo.property("lead_quote").is_some_and(Value::is_string));
}

#[test]
fn export_refuses_a_flag_that_would_be_ignored_and_keeps_the_old_file_when_it_cannot_write() {
    let o = atlas(&["export", "csv", "--at", "2016-05-01 12:00"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--at"), "{}", stderr(&o));
    let o = atlas(&["export", "events-csv", "--known-on", "2016-04-28"]);
    assert_eq!(o.status.code(), Some(2));
    let o = atlas(&["export", "csv", "-o", "/nonexistent-dir/intervals.csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: cannot write the export"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn export_png_needs_a_file_and_the_data_exports_refuse_its_flags() {
    let o = atlas(&["export", "png", "--at", "2016-05-01 12:00"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("-o FILE is required"), "{}", stderr(&o));
    let o = atlas(&["export", "png", "--zone", "nowhere", "-o", "x.png"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown zone"), "{}", stderr(&o));
    let o = atlas(&["export", "geojson", "--size", "800x600"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn export_animation_checks_its_range_step_and_format_before_any_window_opens() {
    let refused = |args: &[&str], words: &str| {
        let o = atlas(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(words), "{args:?}: {}", stderr(&o));
    };
    let range = ["--from", "2016-05-01 00:00", "--to", "2016-05-08 00:00"];
    let with = |extra: &[&'static str]| {
        let mut args = vec!["export", "animation"];
        args.extend(range);
        args.extend_from_slice(extra);
        args
    };
    refused(&with(&["--step", "6h"]), "-o FILE is required");
    refused(
        &[
            "export",
            "animation",
            "--to",
            "2016-05-08 00:00",
            "-o",
            "a.gif",
        ],
        "--from TIME is required",
    );
    refused(&with(&["--step", "6 weeks", "-o", "a.gif"]), "--step");
    refused(&with(&["--step", "1m", "-o", "a.gif"]), "the limit is 1000");
    refused(&with(&["-o", "a.mp4"]), "cannot tell the format");
    refused(&with(&["--at", "2016-05-01 12:00", "-o", "a.gif"]), "--at");
    refused(
        &[
            "export",
            "animation",
            "--from",
            "2016-05-08 00:00",
            "--to",
            "2016-05-01 00:00",
            "-o",
            "a.gif",
        ],
        "before --from",
    );
    refused(
        &[
            "export",
            "animation",
            "--from",
            "1999-01-01 00:00",
            "--to",
            "2016-05-01 00:00",
            "-o",
            "a.gif",
        ],
        "outside the dataset's time span",
    );
    // The animation's flags belong to it alone.
    refused(
        &["export", "png", "--step", "6h", "-o", "a.png"],
        "--step is for `export animation`",
    );
    refused(
        &["export", "csv", "--from", "2016-05-01 00:00"],
        "--from is for `export animation`",
    );
}

#[test]
fn the_file_size_cap_is_a_flag_that_lowers_or_raises_it_and_says_so_when_hit() {
    let dir = std::env::temp_dir().join(format!("truce-atlas-cli-cap-{}", std::process::id()));
    let spec = truce_atlas::synth::Spec {
        zones: 20,
        events: 6_000,
        report_days: 50,
        seed: 1,
        affirmations_only: false,
    };
    truce_atlas::synth::write(spec, &dir).expect("writable temp dir");
    // Over one MiB of events, well under the default cap.
    let events = std::fs::metadata(dir.join("events.json"))
        .expect("events")
        .len();
    assert!(events > 1 << 20, "{events} bytes");
    let folder = dir.to_str().expect("utf-8");
    let o = atlas(&["validate", "--data", folder, "--max-file-size", "1MiB"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the limit is 1048576 bytes"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--max-file-size"), "{}", stderr(&o));
    let o = atlas(&["validate", "--data", folder, "--max-file-size", "2GiB"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = atlas(&["validate", "--data", folder, "--max-file-size", "2TB"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn search_finds_every_word_ignoring_case_and_accents_and_its_json_shape_is_stable() {
    let o = atlas(&["search", "KURALENKO aléppo", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["query"], "KURALENKO aléppo");
    let results = doc["results"].as_array().expect("results");
    assert!(!results.is_empty());
    assert_eq!(doc["count"].as_u64(), Some(results.len() as u64));
    for r in results {
        for key in ["event", "time", "kind", "zones", "matches"] {
            assert!(!r[key].is_null(), "{key} missing in {r}");
        }
        for m in r["matches"].as_array().expect("matches") {
            let text: Vec<char> = m["text"].as_str().expect("text").chars().collect();
            for range in m["ranges"].as_array().expect("ranges") {
                let (a, b) = (range[0].as_u64().expect("a"), range[1].as_u64().expect("b"));
                let word: String = text[a as usize..b as usize].iter().collect();
                let word = word.to_lowercase();
                assert!(
                    word == "kuralenko" || word == "aleppo",
                    "{word:?} highlighted"
                );
            }
        }
    }
    let o = atlas(&["search", "Kuralenko"]);
    assert!(stdout(&o).contains("[Kuralenko]"), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 event found"), "{}", stdout(&o));
    let o = atlas(&["search", "zzzz-nothing-like-it"]);
    assert!(stdout(&o).contains("0 events found"), "{}", stdout(&o));
    let o = atlas(&["search", "  "]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn status_from_chosen_sources_recomputes_aleppo_and_says_whose_word_it_is() {
    let at = "2016-05-05T12:00:00+03:00";
    let status_of = |o: &Output, zone: &str| -> Value {
        let doc: Value = serde_json::from_str(&stdout(o)).expect("valid JSON");
        let zones = doc["zones"].as_array().expect("zones").clone();
        zones
            .into_iter()
            .find(|z| z["id"] == zone)
            .expect("the zone")
    };
    let everyone = atlas(&["status", "--at", at, "--format", "json"]);
    assert_eq!(status_of(&everyone, "aleppo")["status"], "in_effect");
    let doc: Value = serde_json::from_str(&stdout(&everyone)).expect("JSON");
    assert!(doc.get("filter").is_none(), "no filter, no member");

    // Only Middle East Eye reports the 48-hour truce: without it, it is not in effect.
    let sources =
        "panarmenian-2016-05-01,rferl-2016-05-01,asharq-2016-05-02,syrianobserver-2016-05";
    let o = atlas(&[
        "status",
        "--at",
        at,
        "--sources",
        sources,
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let aleppo = status_of(&o, "aleppo");
    assert_ne!(aleppo["status"], "in_effect", "{aleppo}");
    for c in aleppo["citations"].as_array().expect("citations") {
        assert_ne!(c["source"], "mee-2016-05-04");
    }
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(
        keys(&doc["filter"]),
        ["according_to", "actors", "sides", "sources"]
    );
    assert_eq!(doc["filter"]["sides"], Value::Null);
    assert_eq!(doc["filter"]["sources"].as_array().map(Vec::len), Some(4));
    assert!(
        doc["filter"]["according_to"]
            .as_str()
            .is_some_and(|s| s.starts_with("According to: PanARMENIAN.Net")),
        "{}",
        doc["filter"]
    );
    // The table says it in a line.
    let o = atlas(&["status", "--at", at, "--sides", "us"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("According to: sides: US officials."),
        "{}",
        stdout(&o)
    );
    // The exports carry it on every row.
    let o = atlas(&["export", "csv", "--sides", "opposition"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let column = reader
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == "according_to")
        .expect("an according_to column");
    for row in reader.records() {
        assert_eq!(
            &row.expect("row")[column],
            "According to: sides: Opposition factions"
        );
    }
}

#[test]
fn an_unknown_source_or_side_is_a_usage_error_listing_the_ids() {
    let o = atlas(&["status", "--at", "2016-05-01 12:00", "--sources", "reuters"]);
    usage_error(
        &o,
        "--sources: no source \"reuters\" in this dataset; it has: panarmenian-2016-05-01",
    );
    usage_error(
        &atlas(&["export", "geojson", "--sides", "un"]),
        "no side \"un\"",
    );
    // The app checks its flags before any window opens.
    let o = atlas(&["--sides", "un", "--screenshot", "/nonexistent/x.png"]);
    usage_error(&o, "--sides: no side \"un\"");
}

#[test]
fn diff_lists_the_zones_that_changed_with_the_events_between_and_its_json_shape_is_stable() {
    let o = atlas(&[
        "diff",
        "--from",
        "2016-05-01 12:00",
        "--to",
        "2016-05-05 12:00",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(keys(&doc), ["changes", "from", "to"]);
    assert_eq!(keys(&doc["from"]), ["at", "known_on"]);
    assert_eq!(doc["to"]["at"], "2016-05-05T12:00:00+03:00");
    let changes = doc["changes"].as_array().expect("changes");
    let aleppo = changes
        .iter()
        .find(|c| c["id"] == "aleppo")
        .expect("Aleppo changed");
    assert_eq!(
        keys(aleppo),
        ["changed", "events", "from", "id", "name", "to"]
    );
    assert_eq!(keys(&aleppo["from"]), ["contested", "instrument", "status"]);
    assert_eq!(aleppo["from"]["status"], "negotiating");
    assert_eq!(aleppo["to"]["status"], "in_effect");
    assert!(
        aleppo["changed"]
            .as_array()
            .expect("list")
            .contains(&Value::from("status"))
    );
    let events = aleppo["events"].as_array().expect("events");
    assert_eq!(keys(&events[0]), ["actor", "id", "kind", "time"]);
    assert!(events.iter().any(|e| e["id"] == "aleppo-48-hour-truce"));

    // What was known on 1 May against everything: the same instant, other knowledge.
    let o = atlas(&[
        "diff",
        "--from",
        "2016-05-02 12:00",
        "--to",
        "2016-05-02 12:00",
        "--known-on-from",
        "2016-05-01",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(
        table.contains(", as known on Sun 1 May 2016, 23:59"),
        "{table}"
    );
    assert!(table.contains(" -> "), "{table}");
    // Nothing changes between a view and itself.
    let o = atlas(&[
        "diff",
        "--from",
        "2016-05-02 12:00",
        "--to",
        "2016-05-02 12:00",
    ]);
    assert!(stdout(&o).contains("No zone's status, contested flag or instrument changed."));
    // --known-on goes with both views or neither of the pair.
    let o = atlas(&[
        "diff",
        "--from",
        "2016-05-01",
        "--to",
        "2016-05-02",
        "--known-on",
        "2016-05-01",
        "--known-on-to",
        "2016-05-02",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = atlas(&[
        "diff",
        "--from",
        "2016-05-01",
        "--to",
        "2016-05-02",
        "--known-on-to",
        "May",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--known-on-to:"), "{}", stderr(&o));
}

#[test]
fn hide_kinds_is_an_app_flag_checked_before_any_window_opens() {
    let args = [
        "--hide-kinds",
        "rumour",
        "--screenshot",
        "/nonexistent/x.png",
    ];
    usage_error(
        &atlas(&args),
        "--hide-kinds: \"rumour\" is not a kind of event",
    );
    let o = atlas(&["--hide-kinds", "statement", "events"]);
    usage_error(&o, "--hide-kinds is a flag of the app");
}

/// A usage error: exit 2, and standard error says `says`.
fn usage_error(o: &Output, says: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    assert!(stderr(o).contains(says), "{}", stderr(o));
}

#[test]
fn areas_donetsk_lists_ua_14_and_its_json_keeps_its_documented_shape() {
    let table = atlas(&["areas", "Donetsk"]);
    assert!(table.status.success(), "{}", stderr(&table));
    let first = stdout(&table)
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(first.starts_with("UA-14  Donetsk"), "{first}");
    // The same area by its local spelling, its Ukrainian name, or with the country given.
    for text in ["Donets'k", "Донецька"] {
        assert!(stdout(&atlas(&["areas", text])).contains("UA-14"), "{text}");
    }
    let json = atlas(&["areas", "donetsk", "--country", "ua", "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&json)).expect("json");
    assert_eq!(keys(&doc), ["areas", "country", "query", "source"]);
    assert_eq!(doc["country"], "UA");
    assert_eq!(doc["query"], "donetsk");
    assert!(
        doc["source"]
            .as_str()
            .is_some_and(|s| s.contains("Natural Earth") && s.contains("5.0"))
    );
    let area = &doc["areas"][0];
    assert_eq!(
        keys(area),
        ["code", "country", "kind", "level", "name", "other_names"]
    );
    assert_eq!(area["code"], "UA-14");
    assert_eq!(area["level"], "division");
    assert_eq!(area["name"], "Donetsk");
    assert_eq!(area["country"], "UA");
    assert!(
        area["other_names"]
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n == "Донецька область"))
    );
    // A country by its code.
    let ps: Value =
        serde_json::from_str(&stdout(&atlas(&["areas", "PS", "--format", "json"]))).expect("json");
    assert_eq!(ps["areas"][0]["code"], "PS");
    assert_eq!(ps["areas"][0]["level"], "country");
}

#[test]
fn areas_that_match_nothing_exit_1_with_the_nearest_codes() {
    let o = atlas(&["areas", "Donetsk", "--country", "FR"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no area in FR matches \"Donetsk\"; nearest codes: UA-14"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn a_dataset_with_zones_only_by_code_validates_and_reports_their_status() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ukraine-by-code");
    let data = dir.to_str().expect("utf-8");
    let v = atlas(&["--data", data, "validate"]);
    assert!(v.status.success(), "{}", stderr(&v));
    let s = atlas(&[
        "--data",
        data,
        "status",
        "--at",
        "2024-06-02T12:00:00+03:00",
        "--format",
        "json",
    ]);
    assert!(s.status.success(), "{}", stderr(&s));
    assert!(stdout(&s).contains("Kharkiv and Luhansk"));
    // The exported outline is the dissolved area, so the dataset can be frozen with it.
    let g = atlas(&["--data", data, "export", "geojson"]);
    let doc: Value = serde_json::from_str(&stdout(&g)).expect("geojson");
    let donetsk = doc["features"]
        .as_array()
        .and_then(|f| {
            f.iter()
                .find(|f| f["properties"]["id"] == "donetsk" || f["id"] == "donetsk")
        })
        .expect("donetsk");
    assert_eq!(donetsk["geometry"]["type"], "MultiPolygon");
    let rings = donetsk["geometry"]["coordinates"][0][0]
        .as_array()
        .map_or(0, Vec::len);
    assert!(rings > 100, "{rings} positions");
    let source = donetsk["properties"]["geometry_source"]
        .as_str()
        .unwrap_or_default();
    assert!(
        source.contains("version 5.0") && source.ends_with("UA-14 (Donetsk)"),
        "{source}"
    );
}

/// A fresh temporary folder.
fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-atlas-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn the_default_dataset_as_xlsx_csv_and_ods_gives_the_same_status_json_at_every_event_instant() {
    let dir = temp_dir("formats");
    let book = dir.join("book").join("syria.xlsx");
    std::fs::create_dir_all(book.parent().expect("folder")).expect("folder");
    let csv = dir.join("csv");
    for (dest, extra) in [(&book, None), (&csv, Some("csv"))] {
        let dest = dest.display().to_string();
        let mut args = vec!["convert", "-o", &dest];
        if let Some(to) = extra {
            args.extend(["--to", to]);
        }
        let out = atlas(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("wrote"), "{}", stdout(&out));
    }
    let events = atlas(&["events", "--format", "json"]);
    let events: Value = serde_json::from_str(&stdout(&events)).expect("json");
    let times: Vec<String> = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["time"].as_str().expect("time").to_string())
        .collect();
    assert!(times.len() > 20);
    let book = book.display().to_string();
    let csv = csv.display().to_string();
    // The same workbook as LibreOffice saves it in its own format.
    let ods = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/syria-ods/syria.ods")
        .display()
        .to_string();
    let mut validated = Vec::new();
    for data in [
        None,
        Some(book.as_str()),
        Some(csv.as_str()),
        Some(ods.as_str()),
    ] {
        let mut args = vec!["validate"];
        args.extend(data.map(|d| ["--data", d]).into_iter().flatten());
        validated.push(stdout(&atlas(&args)));
    }
    assert_eq!(
        validated[0].lines().next(),
        validated[1].lines().next(),
        "the same counts"
    );
    assert_eq!(
        validated[0].lines().next(),
        validated[2].lines().next(),
        "the same counts"
    );
    for at in &times {
        let status = |data: Option<&str>| {
            let mut args = vec!["status", "--at", at, "--format", "json"];
            args.extend(data.map(|d| ["--data", d]).into_iter().flatten());
            stdout(&atlas(&args))
        };
        let json = status(None);
        assert_eq!(json, status(Some(&book)), "xlsx at {at}");
        assert_eq!(json, status(Some(&csv)), "csv at {at}");
        assert_eq!(json, status(Some(&ods)), "ods at {at}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn new_writes_a_template_that_validates_and_will_not_overwrite_it() {
    let dir = temp_dir("new");
    let target = dir.join("my-truce").display().to_string();
    let out = atlas(&["new", &target]);
    assert!(out.status.success(), "{}", stderr(&out));
    let book = dir.join("my-truce/dataset.xlsx").display().to_string();
    let out = atlas(&["validate", "--data", &book]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 zones"), "{}", stdout(&out));
    let again = atlas(&["new", &target]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_broken_workbook_exits_1_naming_the_sheet_and_cell() {
    let dir = temp_dir("broken-csv");
    let out = atlas(&[
        "convert",
        "-o",
        &dir.join("csv").display().to_string(),
        "--to",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let events = dir.join("csv/events.csv");
    let text = std::fs::read_to_string(&events).expect("read");
    std::fs::write(&events, text.replacen(",aleppo,", ",alepo,", 1)).expect("write");
    let out = atlas(&["validate", "--data", &dir.join("csv").display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("events.csv: F") && err.contains("unknown zone id \"alepo\""),
        "{err}"
    );
    let out = atlas(&["convert", "-o", &dir.join("x.ods").display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "writing .ods is a usage error");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn incidents_by_status_lists_aleppo_s_totals_in_its_collapse_from_22_april_with_quotes() {
    let o = atlas(&["incidents", "--by-status", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(
        keys(&doc),
        [
            "counting", "credits", "dataset", "known_on", "note", "sets", "zones"
        ]
    );
    let set = &doc["sets"][0];
    assert_eq!(
        keys(set),
        [
            "credit",
            "filtered_by_sources",
            "incidents",
            "kind",
            "outside_zones",
            "set",
            "skipped_rows"
        ]
    );
    assert_eq!(set["set"], "dataset");
    let aleppo = doc["zones"]
        .as_array()
        .expect("zones")
        .iter()
        .find(|z| z["id"] == "aleppo")
        .expect("aleppo");
    assert_eq!(keys(aleppo), ["id", "intervals", "name", "totals"]);
    let collapsed = aleppo["intervals"]
        .as_array()
        .expect("intervals")
        .iter()
        .find(|i| i["status"] == "collapsed")
        .expect("a collapsed interval");
    assert_eq!(
        keys(collapsed),
        ["before", "days", "from", "reports", "sets", "status", "to"]
    );
    assert_eq!(collapsed["from"], "2016-04-22T00:00:00+03:00");
    assert_eq!(
        keys(&collapsed["sets"][0]),
        [
            "fatalities_best",
            "fatalities_low",
            "incidents",
            "partly",
            "set"
        ]
    );
    let reports: Vec<&str> = collapsed["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        reports,
        [
            "aleppo-since-breakdown",
            "aleppo-week-of-fighting-civilians",
            "aleppo-past-week-civilians",
            "aleppo-hospital"
        ]
    );
    let quote = &collapsed["reports"][1]["citations"][0];
    assert_eq!(
        quote["quote"],
        "More than a week of fighting in Aleppo has killed several hundred civilians and darkened the prospects of a UN-backed peace process."
    );
    assert_eq!(quote["source"], "rferl-2016-05-01");
    assert_eq!(collapsed["reports"][3]["fatalities"]["low"], 51);
    assert!(collapsed["reports"][3]["fatalities"]["best"].is_null());
}

#[test]
fn incidents_reads_acled_and_ucdp_files_as_sets_with_their_credit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/incidents");
    let acled = root.join("acled-sample.csv");
    let ucdp = root.join("ucdp-sample.csv");
    let o = atlas(&[
        "incidents",
        "--zone",
        "aleppo",
        "--incidents",
        acled.to_str().expect("path"),
        "--incidents",
        ucdp.to_str().expect("path"),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let sets: Vec<(&str, u64, u64)> = doc["sets"]
        .as_array()
        .expect("sets")
        .iter()
        .map(|s| {
            (
                s["set"].as_str().unwrap_or_default(),
                s["incidents"].as_u64().unwrap_or_default(),
                s["outside_zones"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        sets,
        [
            ("dataset", 0, 0),
            ("acled-sample.csv", 9, 2),
            ("ucdp-sample.csv", 5, 1)
        ]
    );
    let credits = doc["credits"].to_string();
    assert!(
        credits.contains("ACLED") && credits.contains("UCDP"),
        "{credits}"
    );
    assert_eq!(doc["zones"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["zones"][0]["totals"][1]["incidents"], 6);
    let o = atlas(&["incidents", "--incidents", "/nonexistent/acled.csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("/nonexistent/acled.csv"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn events_diff_and_export_take_incident_files_with_their_credit() {
    let acled = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/incidents/acled-sample.csv");
    let acled = acled.to_str().expect("path");
    let json_of = |args: &[&str]| -> Value {
        let o = atlas(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        serde_json::from_str(&stdout(&o)).expect("json")
    };
    // events: the chronology gains the rows and reports, the summary labelled as the coder's.
    let doc = json_of(&[
        "events",
        "--zone",
        "aleppo",
        "--incidents",
        acled,
        "--format",
        "json",
    ]);
    let rows = doc["incidents"]["incidents"].as_array().expect("rows");
    assert_eq!(rows.len(), 6, "the sample's Aleppo rows");
    assert!(rows.iter().all(|r| r["summary_label"] == "ACLED's summary"));
    assert_eq!(
        doc["incidents"]["reports"].as_array().map(Vec::len),
        Some(4)
    );
    assert!(doc["events"].as_array().is_some_and(|e| !e.is_empty()));
    // diff: the counts between the two instants, the earlier first.
    let doc = json_of(&[
        "diff",
        "--from",
        "2016-05-05",
        "--to",
        "2016-04-20",
        "--incidents",
        acled,
        "--format",
        "json",
    ]);
    let aleppo = &doc["incidents"]["zones"][3];
    assert_eq!(aleppo["id"], "aleppo");
    assert_eq!(aleppo["sets"][1]["incidents"], 5);
    assert!(
        doc["incidents"]["from"]
            .as_str()
            .is_some_and(|f| f.starts_with("2016-04-20"))
    );
    assert!(doc["incidents"]["credits"].to_string().contains("ACLED"));
    // export geojson: each zone's 7 days up to the instant, the credit on the collection.
    let doc = json_of(&[
        "export",
        "geojson",
        "--at",
        "2016-04-29T12:00:00+03:00",
        "--incidents",
        acled,
    ]);
    assert_eq!(
        doc["features"][3]["properties"]["incidents_7_days"][1]["incidents"],
        4
    );
    assert!(doc["incident_credits"].to_string().contains("ACLED"));
    // The event list holds events only: said, not ignored.
    let o = atlas(&["export", "events-csv", "--incidents", acled]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("events --incidents"), "{}", stderr(&o));
}

#[test]
fn a_wrong_zone_in_the_incidents_sheet_is_named_by_its_cell() {
    let dir = std::env::temp_dir().join(format!(
        "truce-atlas-cli-incidents-sheet-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let o = atlas(&["convert", "-o", dir.to_str().expect("path"), "--to", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sheet = dir.join("incidents.csv");
    let text = std::fs::read_to_string(&sheet).expect("the incidents sheet is written");
    let broken = text.replacen(
        "aleppo-hospital,report,2016-04-26,2016-05-02,,,,,aleppo,",
        "aleppo-hospital,report,2016-04-26,2016-05-02,,,,,alepo,",
        1,
    );
    assert_ne!(broken, text);
    std::fs::write(&sheet, broken).expect("write");
    let o = atlas(&["validate", "--data", dir.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("incidents.csv: I5: `zones`: unknown zone id \"alepo\""),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}
