//! `zones.geojson` (the zones) and `places.geojson` (labelled points).

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::geojson::{self, Feature, Geometry};
use super::json::Text;
use super::limits::{
    MAX_ADMIN_CODES, MAX_LONG_TEXT_CHARS, MAX_NAME_CHARS, MAX_PLACES, MAX_TOTAL_VERTICES,
    MAX_ZONE_VERTICES, MAX_ZONES,
};
use super::report::{Collector, Scope};
use super::{PLACES_FILE, ZONES_FILE, check_id, within_count};
use crate::geometry::validity;
use crate::model::{Place, Zone};

/// The properties a zone uses; any other is listed as ignored.
const ZONE_PROPERTIES: [&str; 6] = [
    "id",
    "name",
    "kind",
    "approximate",
    "geometry_source",
    "admin_code",
];
const PLACE_PROPERTIES: [&str; 2] = ["name", "kind"];

/// Members and properties read past, with how many features had each, for one note per name.
#[derive(Default)]
struct Ignored(BTreeMap<String, usize>);

impl Ignored {
    fn feature(&mut self, f: &Feature, used: &[&str]) {
        for member in &f.ignored {
            *self.0.entry(format!("member `{member}`")).or_default() += 1;
        }
        for key in f.properties.keys().filter(|k| !used.contains(&k.as_str())) {
            *self.0.entry(format!("property `{key}`")).or_default() += 1;
        }
    }

    fn report(self, file: &str, top: &[String], c: &mut Collector) {
        for member in top {
            c.note(
                file,
                "",
                format!("ignored the collection's member `{member}`"),
            );
        }
        for (what, n) in self.0 {
            let features = if n == 1 { "feature" } else { "features" };
            c.note(
                file,
                "features",
                format!("ignored {what} (in {n} {features})"),
            );
        }
    }
}

/// Reads the features of a collection one by one, each with a scope for its problems. Returns
/// the collection's ignored members, and the ids of features too broken to read.
fn each_feature(
    text: &Text<'_>,
    file: &'static str,
    max: usize,
    c: &mut Collector,
    mut f: impl FnMut(Feature, &mut Scope<'_>),
) -> Option<(Vec<String>, Vec<String>)> {
    /// Only to name a feature that failed to read: other members are not looked at.
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<Value>,
    }
    let collection = match geojson::collection(text) {
        Ok(collection) => collection,
        Err((place, message)) => {
            c.add(file, place, message);
            return None;
        }
    };
    if !within_count(collection.features.len(), max, "features", file, c) {
        return None;
    }
    let mut broken = Vec::new();
    for (i, raw) in collection.features.iter().enumerate() {
        match geojson::feature(text, raw) {
            Ok(feature) => {
                let line = text.line_of(text.offset_of(raw.get()));
                let place = super::record_place("features", i, feature.id.as_deref());
                let mut s = c.scope(file, place, Some(line));
                f(feature, &mut s);
            }
            Err((place, message)) => {
                let id = match serde_json::from_str::<IdOnly>(raw.get())
                    .ok()
                    .and_then(|r| r.id)
                {
                    Some(Value::String(s)) => Some(s),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                };
                let at = super::record_place("features", i, id.as_deref());
                c.add(file, format!("{at} ({place})"), message);
                broken.extend(id);
            }
        }
    }
    Some((collection.ignored, broken))
}

/// The zones, and every id the file names (even of broken features), or `None` for the ids when
/// the file as a whole could not be read.
pub fn read_zones(text: &Text<'_>, c: &mut Collector) -> (Vec<Zone>, Option<HashSet<String>>) {
    let mut seen = HashSet::new();
    let mut zones = Vec::new();
    let mut ignored = Ignored::default();
    let mut vertices = 0usize;
    let top = each_feature(text, ZONES_FILE, MAX_ZONES, c, |feature, s| {
        ignored.feature(&feature, &ZONE_PROPERTIES);
        if let Some(zone) = zone(feature, &mut seen, &mut vertices, s) {
            zones.push(zone);
        }
    });
    let Some((top, broken)) = top else {
        return (Vec::new(), None);
    };
    // Events naming a feature that could not be read say so, rather than "unknown zone".
    seen.extend(broken);
    ignored.report(ZONES_FILE, &top, c);
    if zones.is_empty() && !c.has_problems_in(ZONES_FILE) {
        c.add(ZONES_FILE, "features", "the dataset has no zones");
    }
    (zones, Some(seen))
}

fn text_property(feature: &Feature, key: &str, max: usize, s: &mut Scope<'_>) -> String {
    match feature.text(key) {
        Ok(text) => {
            let text = text.unwrap_or("");
            s.limit(key, text, max);
            text.to_string()
        }
        Err(message) => {
            s.add(message);
            String::new()
        }
    }
}

fn zone(
    feature: Feature,
    seen: &mut HashSet<String>,
    vertices: &mut usize,
    s: &mut Scope<'_>,
) -> Option<Zone> {
    let id = feature.id.clone().unwrap_or_default();
    check_id(&id, seen, "zone", s);
    let name = text_property(&feature, "name", MAX_NAME_CHARS, s);
    if name.trim().is_empty() {
        s.add("property `name` is missing or empty");
    }
    let kind = text_property(&feature, "kind", MAX_NAME_CHARS, s);
    let mut geometry_source = text_property(&feature, "geometry_source", MAX_LONG_TEXT_CHARS, s);
    let approximate = match feature.properties.get("approximate") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            s.add("property `approximate` must be true or false");
            false
        }
    };
    let codes = admin_codes(&feature, s);
    // A drawn outline wins over a code: the code then only says what the zone stands for.
    let geometry = match (&feature.geometry, &codes) {
        (None, Some(codes)) => {
            let (geometry, source) = by_code(codes, vertices, s)?;
            if geometry_source.trim().is_empty() {
                geometry_source = source;
            }
            geometry
        }
        _ => zone_geometry(feature.geometry.as_ref(), vertices, s)?,
    };
    s.ok().then_some(Zone {
        id,
        name,
        kind,
        approximate,
        geometry_source,
        outline_by_code: feature.geometry.is_none() && codes.is_some(),
        admin_codes: codes.unwrap_or_default(),
        geometry,
    })
}

/// `properties.admin_code`: a code, or a list of codes for a union. `None` when absent or
/// wrong (wrong is an error in the scope).
fn admin_codes(feature: &Feature, s: &mut Scope<'_>) -> Option<Vec<String>> {
    const SHAPE: &str = "property `admin_code` must be a code such as \"UA-14\" or a list of codes (see `truce-atlas areas`)";
    let codes: Vec<String> = match feature.properties.get("admin_code")? {
        Value::Null => return None,
        Value::String(code) => vec![code.clone()],
        Value::Array(list) if !list.is_empty() => {
            let codes: Option<Vec<String>> = list
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect();
            let Some(codes) = codes else {
                s.add(SHAPE);
                return None;
            };
            codes
        }
        _ => {
            s.add(SHAPE);
            return None;
        }
    };
    if codes.len() > MAX_ADMIN_CODES {
        s.add(format!(
            "property `admin_code` lists {} codes; the limit is {MAX_ADMIN_CODES}",
            codes.len()
        ));
        return None;
    }
    Some(codes)
}

/// The outline of the areas `codes` name, dissolved into one, from the built-in world basemap
/// at its finest level, checked by the same rules as a drawn outline; and the words for the
/// zone's `geometry_source`. An unknown code is an error naming up to five near ones.
fn by_code(
    codes: &[String],
    vertices: &mut usize,
    s: &mut Scope<'_>,
) -> Option<(geo::MultiPolygon<f64>, String)> {
    let world = crate::basemap::Basemap::shared();
    let mut found = Vec::new();
    let mut names = Vec::new();
    for code in codes {
        let Some((layer, i)) = world.find(code) else {
            let near = world.suggest(code, 5);
            s.add(format!(
                "property `admin_code`: no area has the code `{code}`; nearest: {} (`truce-atlas areas` lists them all)",
                near.join(", ")
            ));
            continue;
        };
        let area = &world.areas(layer)[i];
        names.push(format!("{} ({})", area.code, area.name));
        found.push((layer, i));
    }
    if !s.ok() {
        return None;
    }
    let Ok(union) = world.union(&found) else {
        s.add("property `admin_code`: the built-in basemap's outline could not be read");
        return None;
    };
    let parts = validity::parts_of(&union);
    let n: usize = parts.iter().flatten().map(Vec::len).sum();
    *vertices = vertices.saturating_add(n);
    if *vertices > MAX_TOTAL_VERTICES {
        s.add(format!(
            "the zones so far have {vertices} positions in all; the limit is {MAX_TOTAL_VERTICES}"
        ));
        return None;
    }
    let geometry = match validity::multipolygon(&parts) {
        Ok(mp) => mp,
        Err(e) => {
            s.add(format!(
                "the outline of `admin_code` dissolved is invalid: {e}"
            ));
            return None;
        }
    };
    let source = format!("{}: {}", world.source_short(), names.join(" + "));
    Some((geometry, source))
}

fn zone_geometry(
    geometry: Option<&Geometry>,
    vertices: &mut usize,
    s: &mut Scope<'_>,
) -> Option<geo::MultiPolygon<f64>> {
    let Some(geometry) = geometry else {
        s.add("feature has no geometry (a zone is drawn as a Polygon or MultiPolygon, or named by `admin_code` with `\"geometry\": null`)");
        return None;
    };
    let Some(parts) = geometry.polygon_parts() else {
        s.add(format!(
            "geometry is a {}; a zone must be a Polygon or MultiPolygon",
            geometry.type_name()
        ));
        return None;
    };
    let n = geometry.vertex_count();
    *vertices = vertices.saturating_add(n);
    if n > MAX_ZONE_VERTICES {
        s.add(format!(
            "the zone has {n} positions; the limit is {MAX_ZONE_VERTICES} (simplify the outline)"
        ));
        return None;
    }
    if *vertices > MAX_TOTAL_VERTICES {
        s.add(format!(
            "the zones so far have {vertices} positions in all; the limit is {MAX_TOTAL_VERTICES}"
        ));
        return None;
    }
    match validity::multipolygon(&parts) {
        Ok(mp) => Some(mp),
        Err(e) => {
            s.add(format!("invalid geometry: {e}"));
            None
        }
    }
}

pub fn read_places(text: &Text<'_>, c: &mut Collector) -> Vec<Place> {
    let mut places = Vec::new();
    let mut ignored = Ignored::default();
    let top = each_feature(text, PLACES_FILE, MAX_PLACES, c, |feature, s| {
        ignored.feature(&feature, &PLACE_PROPERTIES);
        if let Some(place) = place(&feature, s) {
            places.push(place);
        }
    });
    if let Some((top, _)) = top {
        ignored.report(PLACES_FILE, &top, c);
    }
    places
}

fn place(feature: &Feature, s: &mut Scope<'_>) -> Option<Place> {
    let name = text_property(feature, "name", MAX_NAME_CHARS, s);
    if name.trim().is_empty() {
        s.add("property `name` is missing or empty");
    }
    let kind = text_property(feature, "kind", MAX_NAME_CHARS, s);
    let [lon, lat] = match &feature.geometry {
        Some(Geometry::Point(p)) => p.0,
        _ => {
            s.add("a place must be a Point");
            return None;
        }
    };
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        s.add(format!("point [{lon}, {lat}] is outside the globe"));
    }
    s.ok().then(|| Place {
        name,
        kind: if kind.is_empty() { "city".into() } else { kind },
        lon,
        lat,
    })
}
