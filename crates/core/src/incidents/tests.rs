use std::path::{Path, PathBuf};
use std::sync::Arc;

use geo::{Contains, Point};
use proptest::prelude::*;

use super::*;
use crate::model::incidents::{
    Basis, Fatalities, Incident, IncidentSet, Reach, SetKind, Span, When, Where,
};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/incidents")
        .join(name)
}

fn syria() -> Engine {
    crate::engine::default_engine().expect("the default dataset")
}

fn read(engine: &Engine, path: &Path) -> IncidentSet {
    import::read_file(
        path,
        engine.dataset().meta.timezone,
        1 << 30,
        &mut |_, _| true,
    )
    .expect("readable")
}

/// The counting rule written again, the plain way: every incident against every zone's
/// outline and every stretch, no index.
fn plain_scan(
    engine: &Engine,
    set: &IncidentSet,
    zone: usize,
    from: Option<i64>,
    to: Option<i64>,
) -> (u64, u64) {
    let z = &engine.dataset().zones[zone];
    let coded = !z.admin_codes.is_empty();
    let country = z.admin_codes.iter().any(|c| !c.contains('-'));
    let (mut whole, mut partly) = (0, 0);
    for i in &set.incidents {
        let here = match &i.place {
            Where::Zones(zs) => zs.contains(&(zone as u32)),
            &Where::Point { lon, lat, reach } => {
                let allowed = match reach {
                    Reach::Exact => true,
                    Reach::Province => coded,
                    Reach::Country => country,
                };
                allowed && z.geometry.contains(&Point::new(lon, lat))
            }
        };
        let (s, e) = (i.span.start, i.span.end);
        let starts_in = from.is_none_or(|f| s >= f);
        let ends_in = to.is_none_or(|t| e <= t);
        let meets = from.is_none_or(|f| e > f) && to.is_none_or(|t| s < t);
        if here && meets {
            if starts_in && ends_in {
                whole += 1;
            } else {
                partly += 1;
            }
        }
    }
    (whole, partly)
}

/// Every zone, stretch and window before it, for every set, against the plain scan.
fn check_against_plain_scan(engine: &Engine, sets: &[Arc<IncidentSet>]) {
    let incidents = Incidents::new(engine.dataset(), sets);
    for zone in 0..engine.dataset().zones.len() {
        for s in by_status(engine, &incidents, zone, None) {
            let (from, to) = (s.from.map(|t| t.timestamp()), s.to.map(|t| t.timestamp()));
            for (k, placed) in incidents.sets.iter().enumerate() {
                let t = s.sets[k];
                assert_eq!(
                    (t.whole, t.partly),
                    plain_scan(engine, &placed.set, zone, from, to),
                    "zone {zone}, {} from {:?}, set {}",
                    s.status.as_str(),
                    s.from,
                    placed.set.name
                );
                if let (Some(before), Some(len)) = (&s.before, s.seconds()) {
                    let b = before[k];
                    let f = from.map(|f| f - len);
                    assert_eq!(
                        (b.whole, b.partly),
                        plain_scan(engine, &placed.set, zone, f, from)
                    );
                }
            }
        }
    }
}

#[test]
fn an_acled_export_is_counted_per_zone_interval_and_set_as_a_plain_scan_counts_it() {
    let engine = syria();
    let set = read(&engine, &sample("acled-sample.csv"));
    assert_eq!(set.kind, SetKind::Acled);
    assert_eq!((set.incidents.len(), set.skipped_total), (9, 0));
    check_against_plain_scan(&engine, &[Arc::new(set)]);
}

#[test]
fn a_ucdp_file_is_counted_per_zone_interval_and_set_as_a_plain_scan_counts_it() {
    let engine = syria();
    let set = read(&engine, &sample("ucdp-sample.csv"));
    assert_eq!(set.kind, SetKind::Ucdp);
    assert_eq!((set.incidents.len(), set.skipped_total), (5, 0));
    check_against_plain_scan(&engine, &[Arc::new(set)]);
}

#[test]
fn aleppo_s_collapse_holds_the_sample_rows_whole_and_partly_set_by_set() {
    let engine = syria();
    let acled = Arc::new(read(&engine, &sample("acled-sample.csv")));
    let ucdp = Arc::new(read(&engine, &sample("ucdp-sample.csv")));
    let incidents = Incidents::new(engine.dataset(), &[acled, ucdp]);
    let aleppo = engine.dataset().zone_index("aleppo").expect("aleppo");
    let stretches = by_status(&engine, &incidents, aleppo, None);
    let collapsed = stretches
        .iter()
        .find(|s| s.status == Status::Collapsed)
        .expect("a collapsed stretch");
    // The dataset's own set (its reports) comes first, then the files in order.
    let names: Vec<&str> = incidents.sets.iter().map(|p| p.set.name.as_str()).collect();
    assert_eq!(names, ["dataset", "acled-sample.csv", "ucdp-sample.csv"]);
    // ACLED: 28 April and the province-wide strike of 25 April whole; 29 April (the day the
    // exclusion came at 21:00) and the week of 24-30 April partly.
    let acled = collapsed.sets[1];
    assert_eq!((acled.whole, acled.partly, acled.best), (2, 2, Some(16)));
    // UCDP: 28 April whole (best 10, low 8), 20-24 April partly: never added to ACLED's.
    let ucdp = collapsed.sets[2];
    assert_eq!(
        (ucdp.whole, ucdp.partly, ucdp.best, ucdp.low),
        (1, 1, Some(10), Some(8))
    );
    assert_eq!(
        collapsed.reports.len(),
        4,
        "every Aleppo total overlaps the collapse"
    );
}

#[test]
fn a_day_on_which_a_truce_begins_at_00_01_is_neither_hidden_nor_claimed() {
    let engine = syria();
    let acled = Arc::new(read(&engine, &sample("acled-sample.csv")));
    let incidents = Incidents::new(engine.dataset(), &[acled]);
    let aleppo = engine.dataset().zone_index("aleppo").expect("aleppo");
    let stretches = by_status(&engine, &incidents, aleppo, None);
    let k = incidents.sets.len() - 1;
    let last_two: Vec<(Status, u64, u64)> = stretches
        .iter()
        .rev()
        .take(2)
        .map(|s| (s.status, s.sets[k].whole, s.sets[k].partly))
        .collect();
    // 4 May's shelling: partly before the renewed cessation (00:01) and partly under it.
    assert_eq!(
        last_two,
        [(Status::InEffect, 0, 1), (Status::Negotiating, 0, 1)]
    );
}

#[test]
fn a_province_wide_point_is_placed_only_in_a_zone_that_is_that_province() {
    let engine = syria();
    let acled = Arc::new(read(&engine, &sample("acled-sample.csv")));
    let ucdp = Arc::new(read(&engine, &sample("ucdp-sample.csv")));
    let incidents = Incidents::new(engine.dataset(), &[acled, ucdp]);
    let ids = |p: &Placed, list: &[u32]| -> Vec<String> {
        list.iter()
            .map(|&i| p.set.incidents[i as usize].id.to_string())
            .collect()
    };
    let (acled, ucdp) = (&incidents.sets[1], &incidents.sets[2]);
    // Damascus is drawn by hand, not a governorate: its governorate-wide row stays outside,
    // as does the row across the border; Aleppo (SY-HL) takes its province-wide one.
    assert_eq!(ids(acled, &acled.outside), ["SYR1006", "TUR2001"]);
    let aleppo = engine.dataset().zone_index("aleppo").expect("aleppo");
    assert!(ids(acled, acled.meeting(aleppo, None, None)).contains(&"SYR1005".to_string()));
    // A country-wide UCDP row (where_prec 6) is in no zone: none is a whole country.
    assert_eq!(ids(ucdp, &ucdp.outside), ["200004"]);
}

#[test]
fn bad_rows_are_skipped_counted_and_listed_with_their_line_and_column() {
    let engine = syria();
    let good = std::fs::read_to_string(sample("acled-sample.csv")).expect("sample");
    let mut lines = good.lines();
    let header = lines.next().expect("header");
    let row = lines.next().expect("a row");
    let broken = [
        row.replace("36.1960", ""),
        row.replace("SYR1001,2016-04-28", "SYR1101,28/04/2016"),
        row.replace(",12,,1618527211", ",unknown,,1618527211")
            .replace("SYR1001", "SYR1102"),
        row.replace("37.1390", "237.1390")
            .replace("SYR1001", "SYR1103"),
        row.to_string(),
    ];
    let text = format!("{header}\n{row}\n{}\n", broken.join("\n"));
    let dir = std::env::temp_dir().join(format!("truce-atlas-bad-rows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("acled.csv");
    std::fs::write(&path, text).expect("write");
    let set = read(&engine, &path);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(set.incidents.len(), 1, "the good row is kept");
    assert_eq!(set.skipped_total, 5);
    let found: Vec<(u64, &str)> = set
        .skipped
        .iter()
        .map(|s| (s.line, s.column.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (3, "latitude"),
            (4, "event_date"),
            (5, "fatalities"),
            (6, "longitude"),
            (7, "event_id_cnty")
        ]
    );
    assert!(set.skipped[4].message.contains("duplicate id \"SYR1001\""));
}

#[test]
fn a_file_of_neither_layout_or_over_the_cap_is_refused_with_a_reason() {
    let engine = syria();
    let dir =
        std::env::temp_dir().join(format!("truce-atlas-not-incidents-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("other.csv");
    std::fs::write(&path, "date,place,deaths\n2016-04-28,Aleppo,3\n").expect("write");
    let tz = engine.dataset().meta.timezone;
    let err = import::read_file(&path, tz, 1 << 20, &mut |_, _| true).expect_err("refused");
    assert!(
        err.to_string()
            .contains("not an ACLED export or a UCDP GED CSV"),
        "{err}"
    );
    std::fs::write(&path, "event_id_cnty,event_date\nX,2016-04-28\n").expect("write");
    let err = import::read_file(&path, tz, 1 << 20, &mut |_, _| true).expect_err("refused");
    assert!(
        err.to_string()
            .contains("an ACLED export, but the header lacks time_precision"),
        "{err}"
    );
    let err = import::read_file(&sample("acled-sample.csv"), tz, 100, &mut |_, _| true)
        .expect_err("over the cap");
    assert!(err.to_string().contains("--max-file-size"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_summary_is_read_from_the_file_when_shown_and_a_changed_file_says_so() {
    let engine = syria();
    let dir = std::env::temp_dir().join(format!("truce-atlas-summary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("acled.csv");
    std::fs::copy(sample("acled-sample.csv"), &path).expect("copy");
    let set = read(&engine, &path);
    let row = set
        .incidents
        .iter()
        .find(|i| &*i.id == "SYR1001")
        .expect("row");
    let text = import::summary(&set, row).expect("summary");
    assert!(
        text.starts_with("Test row: an air strike on a market"),
        "{text}"
    );
    std::fs::write(&path, "changed").expect("write");
    let err = import::summary(&set, row).expect_err("changed");
    assert!(err.contains("changed since it was read"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn synthetic_exports_of_both_layouts_count_as_the_plain_scan_counts_them() {
    let files = crate::synth::files(crate::synth::Spec {
        zones: 16,
        events: 200,
        report_days: 60,
        seed: 3,
        affirmations_only: false,
    });
    let engine = synthetic_engine(files);
    let dir = std::env::temp_dir().join(format!(
        "truce-atlas-synth-incidents-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let (acled, ucdp) = (dir.join("acled.csv"), dir.join("ucdp.csv"));
    let mut out = std::fs::File::create(&acled).expect("file");
    crate::synth::acled_csv(2_000, 60, 3, &mut out).expect("write");
    let mut out = std::fs::File::create(&ucdp).expect("file");
    crate::synth::ucdp_csv(2_000, 60, 3, &mut out).expect("write");
    let sets = [
        Arc::new(read(&engine, &acled)),
        Arc::new(read(&engine, &ucdp)),
    ];
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(sets[0].incidents.len() + sets[1].incidents.len(), 4_000);
    check_against_plain_scan(&engine, &sets);
}

fn synthetic_engine(files: Vec<(&'static str, String)>) -> Engine {
    struct Mem(Vec<(&'static str, String)>);
    impl crate::load::DatasetFiles for Mem {
        fn origin(&self) -> String {
            "synthetic".into()
        }
        fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
            Ok(self
                .0
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.clone().into_bytes()))
        }
    }
    let ds = crate::load::load(&Mem(files)).expect("valid synthetic dataset");
    Engine::new(ds).expect("indexed")
}

/// A random incident over the synthetic zones' area: a point (exact, or province- or
/// country-wide) or a list of zones; an instant, a day or a period.
fn incident(i: usize, seed: (u8, u16, u16, u8, u8, u8)) -> Incident {
    let (kind, x, y, len, reach, zone) = seed;
    let lon = 29.0 + f64::from(x) / 65_535.0 * 22.0;
    let lat = 19.0 + f64::from(y) / 65_535.0 * 22.0;
    let base = 1_577_836_800 + i64::from(x % 60) * 86_400 + i64::from(y % 24) * 3_600;
    let (when_len, place) = match kind % 4 {
        0 => (60, Where::Zones(vec![u32::from(zone % 16)].into())),
        1 => (
            3_600,
            Where::Point {
                lon,
                lat,
                reach: Reach::Exact,
            },
        ),
        2 => (
            86_400,
            Where::Point {
                lon,
                lat,
                reach: [Reach::Exact, Reach::Province, Reach::Country][usize::from(reach % 3)],
            },
        ),
        _ => (
            86_400 * (1 + i64::from(len % 40)),
            Where::Point {
                lon,
                lat,
                reach: Reach::Exact,
            },
        ),
    };
    Incident {
        id: format!("r{i}").into(),
        when: When::Day(chrono::NaiveDate::default()),
        span: Span {
            start: base,
            end: base + when_len,
        },
        place,
        kind: 0,
        sub_kind: 0,
        actors: Box::new([]),
        location: 0,
        admin1: 0,
        source: 0,
        fatalities: Fatalities {
            low: None,
            best: Some(u32::from(len)),
            high: None,
        },
        basis: Basis::Row { line: 0, byte: 0 },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn counts_from_the_index_equal_a_plain_scan_over_random_incidents(
        seeds in proptest::collection::vec(any::<(u8, u16, u16, u8, u8, u8)>(), 0..300),
        split in 0usize..300,
        dataset_seed in 0u64..1_000,
    ) {
        let files = crate::synth::files(crate::synth::Spec {
            zones: 16,
            events: 64,
            report_days: 60,
            seed: dataset_seed,
            affirmations_only: false,
        });
        let engine = synthetic_engine(files);
        let mut all: Vec<Incident> = seeds.iter().enumerate().map(|(i, &s)| incident(i, s)).collect();
        all.sort_by_key(|i| i.span);
        let cut = split.min(all.len());
        let second = all.split_off(cut);
        let sets: Vec<Arc<IncidentSet>> = [all, second]
            .into_iter()
            .map(|incidents| {
                let mut set = IncidentSet::new("random", SetKind::Acled, None);
                set.incidents = incidents;
                Arc::new(set)
            })
            .collect();
        check_against_plain_scan(&engine, &sets);
    }
}

/// The two sample files, read as two sets.
fn both_samples(engine: &Engine) -> Vec<Arc<IncidentSet>> {
    ["acled-sample.csv", "ucdp-sample.csv"]
        .iter()
        .map(|n| Arc::new(read(engine, &sample(n))))
        .collect()
}

#[test]
fn diff_counts_each_zone_s_incidents_between_two_instants_as_a_plain_scan_does() {
    let engine = syria();
    let sets = both_samples(&engine);
    let incidents = Incidents::new(engine.dataset(), &sets);
    let t = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .expect("an instant")
            .with_timezone(&chrono::Utc)
    };
    let pairs = [
        ("2016-04-20T00:00:00+03:00", "2016-05-05T00:00:00+03:00"),
        ("2016-05-04T12:00:00+03:00", "2016-04-28T06:00:00+03:00"),
        ("2016-02-01T00:00:00+02:00", "2016-03-01T00:00:00+02:00"),
    ];
    for (a, b) in pairs {
        let doc = listing::between(&engine, &incidents, (t(a), t(b)), None);
        let (from, to) = (t(a).min(t(b)).timestamp(), t(a).max(t(b)).timestamp());
        for (z, zone) in doc.zones.iter().enumerate() {
            for set in &sets {
                let c = zone
                    .sets
                    .iter()
                    .find(|c| c.set == set.name)
                    .expect("each set");
                assert_eq!(
                    (c.incidents, c.partly),
                    plain_scan(&engine, set, z, Some(from), Some(to)),
                    "{a} – {b}, zone {z}, {}",
                    set.name
                );
            }
        }
    }
}

#[test]
fn the_chronology_lists_every_row_once_in_the_zones_a_plain_scan_finds_with_its_summary() {
    let engine = syria();
    let mut sets = both_samples(&engine);
    // A record that names two zones is listed once, in both.
    let mut two = incident(0, (0, 0, 0, 1, 0, 0));
    two.place = Where::Zones(vec![0, 3].into());
    sets.push(Arc::new(IncidentSet {
        incidents: vec![two],
        ..IncidentSet::new("two-zones", SetKind::Acled, None)
    }));
    let incidents = Incidents::new(engine.dataset(), &sets);
    let doc = listing::chronology(&engine, &incidents, None);
    let total: usize = sets.iter().map(|s| s.incidents.len()).sum();
    assert_eq!(doc.incidents.len(), total);
    let zones = &engine.dataset().zones;
    for row in &doc.incidents {
        let set = sets
            .iter()
            .find(|s| s.name == row.set)
            .expect("a known set");
        let (k, incident) = set
            .incidents
            .iter()
            .enumerate()
            .find(|(_, i)| *i.id == *row.id)
            .expect("a known row");
        let one = |z: usize| {
            let only = IncidentSet {
                incidents: vec![incident.clone()],
                ..IncidentSet::new("one", set.kind, None)
            };
            plain_scan(&engine, &only, z, None, None) != (0, 0)
        };
        let expected: Vec<String> = (0..zones.len())
            .filter(|&z| one(z))
            .map(|z| zones[z].id.clone())
            .collect();
        assert_eq!(row.zones, expected, "{} {}", row.set, row.id);
        assert_eq!(
            row.summary.clone(),
            import::summary(set, incident).ok(),
            "row {k}"
        );
        let label = row.summary.as_ref().map(|_| set.kind.summary_label());
        assert_eq!(row.summary_label, label);
    }
    let summarised = doc.incidents.iter().filter(|r| r.summary.is_some()).count();
    assert_eq!(
        summarised,
        total - 1,
        "every sample row's summary is read back"
    );
    // One zone's chronology is that zone's rows, and the reports that name it.
    let aleppo = zones.iter().position(|z| z.id == "aleppo").expect("Aleppo");
    let only = listing::chronology(&engine, &incidents, Some(aleppo));
    let expected: Vec<&str> = doc
        .incidents
        .iter()
        .filter(|r| r.zones.iter().any(|z| z == "aleppo"))
        .map(|r| r.id.as_str())
        .collect();
    let got: Vec<&str> = only.incidents.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(got, expected);
    assert_eq!(only.reports.len(), 4);
}

#[test]
fn the_interval_csv_carries_each_set_s_counts_as_a_plain_scan_finds_them_and_its_credit() {
    let engine = syria();
    let sets = both_samples(&engine);
    let incidents = Incidents::new(engine.dataset(), &sets);
    let mut out = Vec::new();
    crate::export::intervals_csv(&engine, None, Some(&incidents), &mut out).expect("written");
    let mut reader = csv::Reader::from_reader(&out[..]);
    let header = reader.headers().expect("a header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let ds = engine.dataset();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("a row");
        let zone = ds
            .zones
            .iter()
            .position(|z| z.id == record[0])
            .expect("zone");
        let secs = |cell: &str| {
            (!cell.is_empty()).then(|| {
                chrono::DateTime::parse_from_rfc3339(cell)
                    .expect("a time")
                    .timestamp()
            })
        };
        let (from, to) = (secs(&record[column("start")]), secs(&record[column("end")]));
        for set in &sets {
            let (whole, partly) = plain_scan(&engine, set, zone, from, to);
            let cell = |c: &str| record[column(&format!("{c} [{}]", set.name))].to_string();
            assert_eq!(cell("incidents"), whole.to_string());
            assert_eq!(cell("incidents_partly"), partly.to_string());
        }
        assert!(record[column("incident_credits")].contains("ACLED"));
        assert!(record[column("incident_credits")].contains("UCDP"));
        rows += 1;
    }
    assert!(rows >= ds.zones.len());
}
