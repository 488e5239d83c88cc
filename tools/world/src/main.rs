//! Writes the embedded world basemap, assets/basemap/world.bin, from what
//! tools/build-world.mjs prepares in its work folder: `meta.json`, `level0.json`… (TopoJSON
//! topologies with the layers `countries` and `regions`, coarsest first) and `places.json`.
//!
//! Every area's outline at every level is read back as the app will read it and checked with
//! the loader's own validity rules. One that fails is repaired where it can be (rings that
//! quantising made degenerate are left out, then any polygon the rules still name); at a coarse
//! level that does not help, the level keeps no outline for it and the app draws the next finer
//! one. Every repair and drop is listed.
//!
//! Usage: build-world WORKDIR OUT
#![deny(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use serde::Deserialize;
use truce_atlas_core::basemap::format::{self, Area, File, Level, Parts, Place, Point};
use truce_atlas_core::geometry::label_point;
use truce_atlas_core::geometry::validity::{multipolygon, to_multipolygon};

#[derive(Deserialize)]
struct Meta {
    source: String,
    attribution: String,
    levels: Vec<f32>,
}

#[derive(Deserialize)]
struct Topology {
    arcs: Vec<Vec<[f64; 2]>>,
    objects: BTreeMap<String, Collection>,
}

#[derive(Deserialize)]
struct Collection {
    geometries: Vec<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    arcs: serde_json::Value,
    properties: Props,
}

#[derive(Deserialize, Clone)]
struct Props {
    code: String,
    name: String,
    names: String,
    country: String,
    kind: String,
    rank: f32,
    label: bool,
}

#[derive(Deserialize)]
struct GnPlace {
    name: String,
    country: String,
    lon: f64,
    lat: f64,
    population: u32,
    capital: bool,
}

type Result<T> = std::result::Result<T, String>;

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A geometry's arc references as polygons of rings (a Polygon is one polygon).
fn parts_of(g: &Geometry) -> Result<Parts> {
    let refs = |v: &serde_json::Value| -> Result<Vec<Vec<i32>>> {
        serde_json::from_value(v.clone()).map_err(|e| format!("{}: arcs: {e}", g.properties.code))
    };
    match g.kind.as_deref() {
        Some("Polygon") => Ok(vec![refs(&g.arcs)?]),
        Some("MultiPolygon") => g
            .arcs
            .as_array()
            .map(|ps| ps.iter().map(refs).collect())
            .unwrap_or_else(|| Ok(Vec::new())),
        _ => Ok(Vec::new()),
    }
}

/// Quantises the arcs to the grid, leaving out positions that land on their predecessor.
fn quantise(arcs: &[Vec<[f64; 2]>]) -> Vec<Vec<Point>> {
    arcs.iter()
        .map(|arc| {
            let mut out: Vec<Point> = Vec::with_capacity(arc.len());
            for p in arc {
                let q = format::grid(p[0], p[1]);
                if out.last() != Some(&q) {
                    out.push(q);
                }
            }
            out
        })
        .collect()
}

fn shoelace(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum::<f64>()
        / 2.0
}

/// The outline an area's references give at a level, in degrees, as the app decodes it.
fn decode(level: &Level, index: usize, parts: &Parts) -> Result<Vec<Vec<Vec<[f64; 2]>>>> {
    level.outline(index, parts).map_err(|e| e.to_string())
}

/// The references made valid, or `None` (the app then draws the nearest level that has one,
/// finer first); says what it did in `log`.
fn repair(
    level: &Level,
    index: usize,
    code: &str,
    parts: Parts,
    log: &mut Vec<String>,
) -> Option<Parts> {
    let check = |p: &Parts| decode(level, index, p).ok().map(|d| (multipolygon(&d), d));
    let (first, decoded) = check(&parts)?;
    if first.is_ok() {
        return Some(parts);
    }
    // Rings that quantising left with too few positions or no area.
    let mut kept: Parts = Vec::new();
    for (rings, coords) in parts.into_iter().zip(&decoded) {
        let good: Vec<bool> = coords
            .iter()
            .map(|r| r.len() >= 4 && shoelace(r).abs() > 1e-12)
            .collect();
        if !good.first().copied().unwrap_or(false) {
            continue;
        }
        kept.push(
            rings
                .into_iter()
                .zip(good)
                .filter(|(_, g)| *g)
                .map(|(r, _)| r)
                .collect(),
        );
    }
    // Then any polygon the rules still name (an atoll's islet that quantising folded), while
    // others are left.
    for _ in 0..64 {
        let (result, _) = check(&kept)?;
        match result {
            Ok(_) => {
                log.push(format!(
                    "level {index}: {code}: repaired ({})",
                    first.err().map(|e| e.to_string()).unwrap_or_default()
                ));
                return Some(kept);
            }
            Err(e) => {
                let named = polygon_named(&e.to_string());
                match named {
                    Some(p) if p < kept.len() && kept.len() > 1 => {
                        kept.remove(p);
                    }
                    _ => break,
                }
            }
        }
    }
    log.push(format!(
        "level {index}: {code}: dropped ({})",
        first.err().map(|e| e.to_string()).unwrap_or_default()
    ));
    None
}

/// The polygon an error message names ("polygon 3's outer ring …"), if any.
fn polygon_named(message: &str) -> Option<usize> {
    let rest = message.split("polygon ").nth(1)?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

struct Built {
    level: Level<'static>,
    /// Per layer, code → references.
    parts: BTreeMap<String, BTreeMap<String, Parts>>,
    props: BTreeMap<String, BTreeMap<String, Props>>,
}

fn build_level(work: &Path, index: usize, from_zoom: f32) -> Result<Built> {
    let topology: Topology = read(&work.join(format!("level{index}.json")))?;
    let (arcs, arc_starts) =
        format::encode_arcs(&quantise(&topology.arcs)).map_err(|e| e.to_string())?;
    // The level lives as long as the tool: leaking its bytes gives the borrowed form the file
    // format uses without a copy.
    let arcs: &'static [u8] = Box::leak(arcs.into_boxed_slice());
    let mut built = Built {
        level: Level {
            from_zoom,
            arcs,
            arc_starts,
        },
        parts: BTreeMap::new(),
        props: BTreeMap::new(),
    };
    for (layer, collection) in &topology.objects {
        for g in &collection.geometries {
            let code = g.properties.code.clone();
            built
                .parts
                .entry(layer.clone())
                .or_default()
                .insert(code.clone(), parts_of(g)?);
            built
                .props
                .entry(layer.clone())
                .or_default()
                .insert(code, g.properties.clone());
        }
    }
    Ok(built)
}

fn areas<'b>(levels: &'b [Built], layer: &str, log: &mut Vec<String>) -> Result<Vec<Area<'b>>> {
    let finest = levels.last().ok_or("no levels")?;
    let mut out = Vec::new();
    for (code, props) in finest.props.get(layer).into_iter().flatten() {
        let shapes: Vec<Option<Parts>> = levels
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let parts = b.parts.get(layer)?.get(code)?.clone();
                repair(&b.level, i, code, parts, log)
            })
            .collect();
        // The finest valid outline gives the box and the label point.
        let Some((index, fine)) = shapes
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, s)| Some((i, s.clone()?)))
        else {
            log.push(format!(
                "{layer} {code} ({}): left out, no valid outline at any level",
                props.name
            ));
            continue;
        };
        let decoded = decode(&levels[index].level, index, &fine)?;
        let all = decoded.iter().flatten().flatten();
        let bbox = all.fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| {
            [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ]
        });
        let (lon, lat) = label_point(&to_multipolygon(&decoded));
        out.push(Area {
            code,
            name: &props.name,
            names: &props.names,
            country: &props.country,
            kind: &props.kind,
            rank: props.rank,
            labelled: props.label,
            label: format::grid(lon, lat),
            shapes: shapes
                .iter()
                .map(|s| {
                    let Some(parts) = s else { return Ok(None) };
                    let bytes = format::encode_parts(parts).map_err(|e| e.to_string())?;
                    // Lives as long as the tool, as the levels' arcs do.
                    Ok(Some(&*Box::leak(bytes.into_boxed_slice())))
                })
                .collect::<Result<_>>()?,
            bbox: [
                format::grid(bbox[0], bbox[1]),
                format::grid(bbox[2], bbox[3]),
            ]
            .concat()
            .try_into()
            .map_err(|_| "bbox")?,
        });
    }
    Ok(out)
}

fn run(work: &Path, out: &Path) -> Result<()> {
    let meta: Meta = read(&work.join("meta.json"))?;
    let levels: Vec<Built> = meta
        .levels
        .iter()
        .enumerate()
        .map(|(i, &z)| build_level(work, i, z))
        .collect::<Result<_>>()?;
    let mut log = Vec::new();
    let countries = areas(&levels, "countries", &mut log)?;
    let regions = areas(&levels, "regions", &mut log)?;
    let places: Vec<GnPlace> = read(&work.join("places.json"))?;
    let file = File {
        source: meta.source,
        attribution: meta.attribution,
        levels: levels
            .iter()
            .map(|b| Level {
                from_zoom: b.level.from_zoom,
                arcs: b.level.arcs,
                arc_starts: b.level.arc_starts.clone(),
            })
            .collect(),
        countries,
        regions,
        places: places
            .iter()
            .map(|p| Place {
                name: &p.name,
                country: &p.country,
                at: format::grid(p.lon, p.lat),
                population: p.population,
                capital: p.capital,
            })
            .collect(),
    };
    let bytes = file.to_bytes().map_err(|e| e.to_string())?;
    // Whole or nothing: written beside, then renamed over.
    let tmp = out.with_extension("bin.part");
    std::fs::write(&tmp, &bytes).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, out).map_err(|e| format!("{}: {e}", out.display()))?;
    for line in &log {
        println!("{line}");
    }
    println!(
        "wrote {} ({} bytes): {} countries, {} divisions, {} places; {} repairs or drops listed above",
        out.display(),
        bytes.len(),
        file.countries.len(),
        file.regions.len(),
        file.places.len(),
        log.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, work, out] = args.as_slice() else {
        eprintln!("usage: build-world WORKDIR OUT");
        return ExitCode::from(2);
    };
    match run(Path::new(work), Path::new(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("build-world: {e}");
            ExitCode::FAILURE
        }
    }
}
