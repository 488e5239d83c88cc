//! GeoJSON (RFC 7946) as QGIS and other tools write it, read strictly.
//!
//! Only what Truce Atlas uses is read: a FeatureCollection of Features whose geometry is a
//! Polygon, MultiPolygon or Point. Every position is checked while it is parsed (a position of
//! zero or one number is an error at its line, not a panic later), and every member that is
//! read past, such as `crs`, `name` or `bbox`, is listed, so `validate` can say what it ignored.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::json::{self, Text};

/// A position's longitude and latitude; an altitude, if given, is read past.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position(pub [f64; 2]);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(PositionVisitor)
    }
}

struct PositionVisitor;

impl<'de> Visitor<'de> for PositionVisitor {
    type Value = Position;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a position [longitude, latitude]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
        let short = |n: usize| {
            de::Error::custom(format!(
                "a position has {n} number{}; it needs [longitude, latitude]",
                if n == 1 { "" } else { "s" }
            ))
        };
        let lon: f64 = seq.next_element()?.ok_or_else(|| short(0))?;
        let lat: f64 = seq.next_element()?.ok_or_else(|| short(1))?;
        // RFC 7946 allows an altitude as a third number; more than that is not a position.
        let _altitude: Option<f64> = seq.next_element()?;
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "a position has more than 3 numbers; GeoJSON positions are [longitude, latitude] or [longitude, latitude, altitude]",
            ));
        }
        Ok(Position([lon, lat]))
    }
}

/// Rings of positions, as in a Polygon's `coordinates`.
pub type Rings = Vec<Vec<Position>>;

#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    Polygon(Rings),
    MultiPolygon(Vec<Rings>),
    Point(Position),
    /// Any other type, by name: readers say which types they take.
    Other(String),
}

impl Geometry {
    /// A Polygon or MultiPolygon as polygons of rings of [longitude, latitude].
    pub fn polygon_parts(&self) -> Option<Vec<Vec<Vec<[f64; 2]>>>> {
        let rings = |rings: &Rings| -> Vec<Vec<[f64; 2]>> {
            rings
                .iter()
                .map(|r| r.iter().map(|p| p.0).collect())
                .collect()
        };
        match self {
            Geometry::Polygon(r) => Some(vec![rings(r)]),
            Geometry::MultiPolygon(parts) => Some(parts.iter().map(rings).collect()),
            Geometry::Point(_) | Geometry::Other(_) => None,
        }
    }

    /// "Polygon", "Point"...
    pub fn type_name(&self) -> &str {
        match self {
            Geometry::Polygon(_) => "Polygon",
            Geometry::MultiPolygon(_) => "MultiPolygon",
            Geometry::Point(_) => "Point",
            Geometry::Other(name) => name,
        }
    }

    pub fn vertex_count(&self) -> usize {
        match self {
            Geometry::Polygon(rings) => rings.iter().map(Vec::len).sum(),
            Geometry::MultiPolygon(parts) => parts.iter().flatten().map(Vec::len).sum(),
            Geometry::Point(_) => 1,
            Geometry::Other(_) => 0,
        }
    }
}

/// A Feature, read.
#[derive(Debug, Clone)]
pub struct Feature {
    /// The feature's `id`, or a property `id` as QGIS writes it.
    pub id: Option<String>,
    pub properties: Map<String, Value>,
    pub geometry: Option<Geometry>,
    /// Members read past, e.g. `bbox` or `geometry.crs`.
    pub ignored: Vec<String>,
}

impl Feature {
    /// A text property; `Err` when present but not a string.
    pub fn text(&self, key: &str) -> Result<Option<&str>, String> {
        match self.properties.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!(
                "property `{key}` must be text, not {}",
                kind_of(other)
            )),
        }
    }
}

/// A FeatureCollection: its features, still unread, and the members read past.
pub struct Collection<'a> {
    pub features: Vec<&'a RawValue>,
    pub ignored: Vec<String>,
}

/// (place, message), as [`json::record`] gives them.
pub type Failure = (String, String);

fn members<'a>(
    text: &Text<'_>,
    raw: &'a RawValue,
) -> Result<BTreeMap<String, &'a RawValue>, Failure> {
    json::record::<BTreeMap<String, &'a RawValue>>(text, raw)
        .map_err(|(place, message)| (place, format!("expected a JSON object ({message})")))
}

fn type_of(
    text: &Text<'_>,
    m: &BTreeMap<String, &RawValue>,
    raw: &RawValue,
) -> Result<String, Failure> {
    match m.get("type") {
        Some(t) => json::record::<String>(text, t)
            .map_err(|(place, _)| (place, "`type` must be text".to_string())),
        None => Err((
            text.place_in(raw.get(), &no_error()),
            "the object has no `type` member".into(),
        )),
    }
}

/// A stand-in error whose place is the start of the slice.
fn no_error() -> serde_json::Error {
    <serde_json::Error as de::Error>::custom("")
}

/// Reads the top of a FeatureCollection file.
pub fn collection<'a>(text: &Text<'a>) -> Result<Collection<'a>, Failure> {
    let top: &'a RawValue = serde_json::from_str(text.text)
        .map_err(|e| (text.place_in(text.text, &e), json::message(&e)))?;
    let m = members(text, top)?;
    if type_of(text, &m, top)? != "FeatureCollection" {
        return Err((
            String::new(),
            "expected a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")".into(),
        ));
    }
    let features = match m.get("features") {
        Some(f) => json::record::<Vec<&'a RawValue>>(text, f)
            .map_err(|(place, _)| (place, "`features` must be an array".to_string()))?,
        None => {
            return Err((
                String::new(),
                "the FeatureCollection has no `features` array".into(),
            ));
        }
    };
    // `$schema` names data/schema/zones.schema.json for editors: read past without a note.
    let ignored = m
        .keys()
        .filter(|k| !matches!(k.as_str(), "type" | "features" | "$schema"))
        .cloned()
        .collect();
    Ok(Collection { features, ignored })
}

/// Reads one Feature.
pub fn feature(text: &Text<'_>, raw: &RawValue) -> Result<Feature, Failure> {
    let m = members(text, raw)?;
    if type_of(text, &m, raw)? != "Feature" {
        return Err((
            text.place_in(raw.get(), &no_error()),
            "not a GeoJSON Feature (\"type\": \"Feature\")".into(),
        ));
    }
    let properties = match m.get("properties") {
        None => Map::new(),
        Some(p) => match json::record::<Value>(text, p)? {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            other => {
                return Err((
                    text.place_in(p.get(), &no_error()),
                    format!("`properties` must be an object, not {}", kind_of(&other)),
                ));
            }
        },
    };
    let id = match m.get("id") {
        None => match properties.get("id") {
            // Some tools (QGIS among them) write the id as a property; accept it there too.
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        },
        Some(raw_id) => match json::record::<Value>(text, raw_id)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            other => {
                return Err((
                    text.place_in(raw_id.get(), &no_error()),
                    format!("`id` must be text or a number, not {}", kind_of(&other)),
                ));
            }
        },
    };
    let mut ignored: Vec<String> = m
        .keys()
        .filter(|k| !matches!(k.as_str(), "type" | "id" | "properties" | "geometry"))
        .cloned()
        .collect();
    let geometry = match m.get("geometry") {
        None => None,
        Some(g) if g.get().trim() == "null" => None,
        Some(g) => Some(geometry(text, g, &mut ignored)?),
    };
    Ok(Feature {
        id,
        properties,
        geometry,
        ignored,
    })
}

fn geometry(
    text: &Text<'_>,
    raw: &RawValue,
    ignored: &mut Vec<String>,
) -> Result<Geometry, Failure> {
    let m = members(text, raw)?;
    let kind = type_of(text, &m, raw)?;
    ignored.extend(
        m.keys()
            .filter(|k| !matches!(k.as_str(), "type" | "coordinates"))
            .map(|k| format!("geometry.{k}")),
    );
    let coordinates = || {
        m.get("coordinates").copied().ok_or_else(|| {
            (
                text.place_in(raw.get(), &no_error()),
                format!("the {kind} has no `coordinates`"),
            )
        })
    };
    Ok(match kind.as_str() {
        "Polygon" => Geometry::Polygon(json::record(text, coordinates()?)?),
        "MultiPolygon" => Geometry::MultiPolygon(json::record(text, coordinates()?)?),
        "Point" => Geometry::Point(json::record(text, coordinates()?)?),
        _ => Geometry::Other(kind),
    })
}

/// "an array", "a number"...: for messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Vec<Result<Feature, Failure>>, Failure> {
        let text = Text::new(json);
        let c = collection(&text)?;
        Ok(c.features.iter().map(|f| feature(&text, f)).collect())
    }

    #[test]
    fn a_position_with_one_number_is_an_error_at_its_line_not_a_panic() {
        let json = "{\"type\": \"FeatureCollection\", \"features\": [\n{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[30.1]]]}}]}";
        let features = read(json).expect("collection");
        let (place, message) = features[0].as_ref().expect_err("refused").clone();
        assert!(place.starts_with("line 2"), "{place}");
        assert!(message.contains("a position has 1 number"), "{message}");
        let empty = json.replace("[30.1]", "[]");
        let features = read(&empty).expect("collection");
        let (_, message) = features[0].as_ref().expect_err("refused").clone();
        assert!(message.contains("a position has 0 numbers"), "{message}");
    }

    #[test]
    fn foreign_members_are_kept_out_but_listed() {
        let json = r#"{"type": "FeatureCollection", "name": "zones", "crs": {"type": "name"},
            "features": [{"type": "Feature", "id": 7, "bbox": [0,0,1,1], "properties": null,
            "geometry": {"type": "Point", "coordinates": [1, 2, 30], "bbox": [1,2,1,2]}}]}"#;
        let text = Text::new(json);
        let c = collection(&text).expect("valid");
        assert_eq!(c.ignored, ["crs", "name"]);
        let f = feature(&text, c.features[0]).expect("valid");
        assert_eq!(f.id.as_deref(), Some("7"));
        assert_eq!(f.geometry, Some(Geometry::Point(Position([1.0, 2.0]))));
        assert_eq!(f.ignored, ["bbox", "geometry.bbox"]);
    }

    #[test]
    fn not_a_feature_collection_is_refused() {
        let (_, message) = read(r#"{"type": "Feature"}"#).expect_err("refused");
        assert!(message.contains("FeatureCollection"), "{message}");
        let (_, message) = read("[1, 2]").expect_err("refused");
        assert!(message.contains("expected a JSON object"), "{message}");
    }
}
