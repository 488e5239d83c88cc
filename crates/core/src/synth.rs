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
