//! Synthetic, valid dataset folders of a chosen size, for benchmarks and scale tests
//! (`cargo run --release --example synth -- --zones 1000 --events 100000 --report-days 1000
//! --seed 1 --out /tmp/synth`).
//!
//! The same spec always gives the same files. Zones are small squares on a grid; every zone
//! opens with the cessation, then gets a random mix of affirmations, disputes, talks, breakdowns,
//! restarts and extensions; each event cites one or two of the sources, which are published one a
//! day over `--report-days` days.

use std::fmt::Write as _;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub zones: usize,
    pub events: usize,
    pub report_days: usize,
    pub seed: u64,
    /// Every event after each zone's opening is an affirmation, one report a day: a long truce
    /// that is said to hold day after day (the worst case for "as known on" layers).
    pub affirmations_only: bool,
}

/// SplitMix64: small and the same on every machine (the loader fuzz draws from it too).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One of `items`, which must not be empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const DAY: i64 = 86_400;
/// 1 January 2020, 00:00 UTC.
const BASE: i64 = 1_577_836_800;

fn time(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(BASE + seconds, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

fn zones(n: usize) -> String {
    let side = (n as f64).sqrt().ceil() as usize;
    let size = 20.0 / side.max(1) as f64;
    let mut out = String::from("{\"type\": \"FeatureCollection\", \"features\": [\n");
    for z in 0..n {
        let (x, y) = (
            30.0 + (z % side) as f64 * size,
            20.0 + (z / side) as f64 * size,
        );
        let s = size * 0.9;
        let _ = write!(
            out,
            "{}{{\"type\": \"Feature\", \"id\": \"z{z}\", \"properties\": {{\"name\": \"Zone {z}\"}}, \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": [[[{x}, {y}], [{}, {y}], [{}, {}], [{x}, {}], [{x}, {y}]]]}}}}",
            if z == 0 { "" } else { ",\n" },
            x + s,
            x + s,
            y + s,
            y + s
        );
    }
    out.push_str("\n]}\n");
    out
}

fn sources(days: usize) -> String {
    let mut out = String::from("{\"sources\": [\n");
    for d in 0..days {
        let date = chrono::DateTime::from_timestamp(BASE + d as i64 * DAY, 0)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let _ = write!(
            out,
            "{}{{\"id\": \"s{d}\", \"outlet\": \"Outlet {}\", \"headline\": \"Report {d}\", \"published\": \"{date}\"}}",
            if d == 0 { "" } else { ",\n" },
            d % 7
        );
    }
    out.push_str("\n]}\n");
    out
}

/// One event: a kind (and its extra fields), a zone, a time and one or two citations.
fn event(rng: &mut Rng, i: usize, zone: usize, at: i64, days: usize, kinds: Kinds) -> String {
    let kind = if kinds == Kinds::Opening {
        "truce_start"
    } else if kinds == Kinds::Affirmations {
        "affirmation"
    } else {
        [
            "affirmation",
            "affirmation",
            "dispute",
            "talks",
            "breakdown",
            "truce_start",
            "extension",
            "statement",
        ][rng.below(8)]
    };
    let extra = match kind {
        "truce_start" if kinds != Kinds::Opening => {
            format!(", \"duration_hours\": {}", 24 * (1 + rng.below(30)))
        }
        "extension" => format!(", \"duration_hours\": {}", 24 * (1 + rng.below(10))),
        _ => String::new(),
    };
    // Cite reports published on or after the event's day, so that "as known on" matters.
    let day = (at / DAY) as usize;
    let cite = |rng: &mut Rng| {
        let d = (day + rng.below(3)).min(days - 1);
        format!("{{\"source\": \"s{d}\", \"quote\": \"Quote {i}.\"}}")
    };
    let mut citations = cite(rng);
    if rng.below(2) == 0 {
        citations = format!("{citations}, {}", cite(rng));
    }
    format!(
        "{{\"id\": \"e{i}\", \"time\": \"{}\", \"precision\": \"minute\", \"kind\": \"{kind}\", \"zones\": [\"z{zone}\"], \"actor\": \"Actor {}\", \"instrument\": \"coh\"{extra}, \"citations\": [{citations}]}}",
        time(at),
        i % 13
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kinds {
    Opening,
    Mixed,
    Affirmations,
}

fn events(rng: &mut Rng, zones: usize, count: usize, days: usize, affirmations: bool) -> String {
    let span = days as i64 * DAY;
    let mut out = String::from(
        "{\"instruments\": [{\"id\": \"coh\", \"name\": \"Synthetic cessation\"}], \"events\": [\n",
    );
    for i in 0..count {
        let zone = i % zones.max(1);
        // Each zone's first event opens the cessation at the very start.
        let opening = i < zones;
        let at = if opening {
            0
        } else {
            1 + rng.below(span as usize - 1) as i64
        };
        if i > 0 {
            out.push_str(",\n");
        }
        let kinds = match (opening, affirmations) {
            (true, _) => Kinds::Opening,
            (false, true) => Kinds::Affirmations,
            (false, false) => Kinds::Mixed,
        };
        out.push_str(&event(rng, i, zone, at, days, kinds));
    }
    out.push_str("\n]}\n");
    out
}

/// The dataset's files, by name.
pub fn files(spec: Spec) -> Vec<(&'static str, String)> {
    let (zones_n, days) = (spec.zones.max(1), spec.report_days.max(1));
    let events_n = spec.events.max(zones_n);
    let mut rng = Rng(spec.seed);
    vec![
        (
            crate::load::DATASET_FILE,
            "{\"format\": \"truce-atlas/1\", \"name\": \"Synthetic dataset\", \"timezone\": \"UTC\"}\n".into(),
        ),
        (crate::load::ZONES_FILE, zones(zones_n)),
        (crate::load::SOURCES_FILE, sources(days)),
        (
            crate::load::EVENTS_FILE,
            events(&mut rng, zones_n, events_n, days, spec.affirmations_only),
        ),
    ]
}

/// Writes the dataset folder.
pub fn write(spec: Spec, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in files(spec) {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// ACLED's export header, in its order (2023 onwards).
pub const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

/// UCDP GED's CSV header, in its order (version 23.1 onwards).
pub const UCDP_HEADER: &str = "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob";

const ACTORS: &[&str] = &[
    "Military Forces of Syria (2000-2024)",
    "Hayat Tahrir al-Sham",
    "Military Forces of Russia (2000-)",
    "Civilians (Syria)",
    "Jaish al-Islam",
    "Unidentified Armed Group (Syria)",
];
const TYPES: &[(&str, &str)] = &[
    ("Battles", "Armed clash"),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
];

/// A summary of about 300 characters, with the commas and quotes a real one has.
fn notes(rng: &mut Rng, date: &str, a: &str, b: &str, place: &str, deaths: usize) -> String {
    let opening = [
        "regime forces shelled",
        "Russian warplanes struck",
        "opposition fighters fired rockets at",
        "unidentified gunmen attacked",
    ];
    let after = [
        "Local sources said several houses were damaged and a school was hit.",
        "A medical source said the \"field hospital\" was out of service afterwards.",
        "Residents reported, however, that the strikes stopped before noon.",
    ];
    format!(
        "On {date}, {} positions held by {b} in {place}, near the main road and the market; {a} said it was responding to earlier fire. {deaths} fatalities were reported, among them civilians, according to the local council. {} [size=no report]",
        opening[rng.below(opening.len())],
        after[rng.below(after.len())]
    )
}

/// Where a synthetic incident happened: mostly inside the synthetic zones (squares on
/// a grid from 30°E 20°N), some in the gaps between them and some outside every zone.
fn incident_point(rng: &mut Rng) -> (f64, f64) {
    let x = 29.0 + (rng.below(22_000_000) as f64 / 1_000_000.0);
    let y = 19.0 + (rng.below(22_000_000) as f64 / 1_000_000.0);
    (x, y)
}

/// Writes `count` incidents in ACLED's export layout over the synthetic dataset's area and
/// `days` days from 1 January 2020: the same seed, the same file.
pub fn acled_csv(
    count: usize,
    days: usize,
    seed: u64,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    acled_csv_from(BASE, count, days, seed, out)
}

/// [`acled_csv`] over `days` days from `first` (seconds since 1970, a midnight UTC).
pub fn acled_csv_from(
    first: i64,
    count: usize,
    days: usize,
    seed: u64,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut rng = Rng(seed ^ 0xAC1ED);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(ACLED_HEADER.split(','))?;
    for i in 0..count {
        let day = chrono::DateTime::from_timestamp(first + rng.below(days.max(1)) as i64 * DAY, 0)
            .map(|t| t.date_naive())
            .unwrap_or_default();
        let (lon, lat) = incident_point(&mut rng);
        let (kind, sub) = *rng.pick(TYPES);
        let (a, b) = (*rng.pick(ACTORS), *rng.pick(ACTORS));
        let deaths = [0, 0, 0, 1, 2, 3, 5, 12][rng.below(8)];
        let place = format!("Village {}", rng.below(5000));
        let date = day.format("%d %B %Y").to_string();
        let precision = ["1", "1", "1", "1", "2", "3"][rng.below(6)];
        let geo = ["1", "1", "2", "3"][rng.below(4)];
        let note = notes(&mut rng, &date, a, b, &place, deaths);
        let year = day.format("%Y").to_string();
        let record = [
            format!("SYR{i}"),
            day.format("%Y-%m-%d").to_string(),
            year,
            precision.into(),
            "Political violence".into(),
            kind.into(),
            sub.into(),
            a.into(),
            String::new(),
            "1".into(),
            b.into(),
            String::new(),
            "2".into(),
            "12".into(),
            String::new(),
            "760".into(),
            "Middle East".into(),
            "Syria".into(),
            "Aleppo".into(),
            "Jebel Saman".into(),
            String::new(),
            place,
            format!("{lat:.4}"),
            format!("{lon:.4}"),
            geo.into(),
            "Syrian Observatory for Human Rights; Reuters".into(),
            "Other-National".into(),
            note,
            deaths.to_string(),
            String::new(),
            "1618527211".into(),
        ];
        w.write_record(&record)?;
    }
    w.flush()
}

/// Writes `count` incidents in UCDP GED's CSV layout (see [`acled_csv`]).
pub fn ucdp_csv(
    count: usize,
    days: usize,
    seed: u64,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    ucdp_csv_from(BASE, count, days, seed, out)
}

/// [`ucdp_csv`] over `days` days from `first` (seconds since 1970, a midnight UTC).
pub fn ucdp_csv_from(
    first: i64,
    count: usize,
    days: usize,
    seed: u64,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut rng = Rng(seed ^ 0x0CD9);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(UCDP_HEADER.split(','))?;
    for i in 0..count {
        let start = rng.below(days.max(1)) as i64;
        let last = start + [0, 0, 0, 1, 6][rng.below(5)];
        let date = |d: i64| {
            chrono::DateTime::from_timestamp(first + d * DAY, 0)
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        let (lon, lat) = incident_point(&mut rng);
        let low = rng.below(4);
        let best = low + rng.below(3);
        let high = best + rng.below(5);
        let (a, b) = (*rng.pick(ACTORS), *rng.pick(ACTORS));
        let prec = ["1", "1", "2", "3", "4", "6"][rng.below(6)];
        let headline = format!("\"Syria: {} killed in {}\", Agence France Presse", best, a);
        let mut record: Vec<String> = vec![String::new(); UCDP_HEADER.split(',').count()];
        let set = |r: &mut Vec<String>, name: &str, v: String| {
            if let Some(k) = UCDP_HEADER.split(',').position(|h| h == name) {
                r[k] = v;
            }
        };
        set(&mut record, "id", (100_000 + i).to_string());
        set(
            &mut record,
            "type_of_violence",
            ["1", "2", "3"][rng.below(3)].into(),
        );
        set(&mut record, "conflict_name", "Syria: Government".into());
        set(&mut record, "side_a", a.into());
        set(&mut record, "side_b", b.into());
        set(&mut record, "source_headline", headline);
        set(&mut record, "where_prec", prec.into());
        set(&mut record, "adm_1", "Aleppo governorate".into());
        set(&mut record, "latitude", format!("{lat:.4}"));
        set(&mut record, "longitude", format!("{lon:.4}"));
        set(&mut record, "country", "Syria".into());
        set(&mut record, "date_prec", "1".into());
        set(&mut record, "date_start", date(start));
        set(&mut record, "date_end", date(last));
        set(&mut record, "best", best.to_string());
        set(&mut record, "low", low.to_string());
        set(&mut record, "high", high.to_string());
        w.write_record(&record)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::DatasetFiles;

    struct Mem(Vec<(&'static str, String)>);

    impl DatasetFiles for Mem {
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

    #[test]
    fn a_synthetic_dataset_is_valid_and_the_same_for_the_same_seed() {
        for affirmations_only in [false, true] {
            let spec = Spec {
                zones: 30,
                events: 2_000,
                report_days: 40,
                seed: 7,
                affirmations_only,
            };
            let ds = crate::load::load(&Mem(files(spec))).expect("valid");
            assert_eq!(ds.zones.len(), 30);
            assert_eq!(ds.events.len(), 2_000);
            assert_eq!(ds.sources.len(), 40);
            assert!(crate::engine::Engine::new(ds).is_ok());
            assert_eq!(files(spec), files(spec), "deterministic");
        }
    }
}
