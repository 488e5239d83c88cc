//! JSON Schemas for `dataset.json`, `sources.json` and `events.json`, generated from the very
//! record types the loader reads, so that they cannot drift from it; and for the properties of
//! `zones.geojson`'s features (GeoJSON itself is the geometry's schema). The shipped copies live in
//! `data/schema/` (a test checks they are current; `truce-atlas schema FILE` prints one), and a
//! dataset's files name theirs in a top-level `"$schema"`, which editors use to complete and
//! check as you type. The schema is a help for writing: `validate` remains the judge (times,
//! ids, references and geometry are beyond what a schema says).

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use strum::VariantArray;

use super::events::{RawEvent, RawInstrument};
use super::incidents::{RawIncident, RawReport};
use super::meta::RawMeta;
use super::sources::RawSource;
use super::story::RawStep;
use crate::model::{EventKind, Precision};

/// One of the three JSON files of a dataset.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, VariantArray, strum::EnumString, strum::IntoStaticStr,
)]
#[strum(serialize_all = "snake_case")]
pub enum SchemaFile {
    Dataset,
    Sources,
    Events,
    Zones,
    Incidents,
    Story,
}

impl SchemaFile {
    /// The name of the shipped schema file, in `data/schema/`.
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaFile::Dataset => "dataset.schema.json",
            SchemaFile::Sources => "sources.schema.json",
            SchemaFile::Events => "events.schema.json",
            SchemaFile::Zones => "zones.schema.json",
            SchemaFile::Incidents => "incidents.schema.json",
            SchemaFile::Story => "story.schema.json",
        }
    }
}

/// `sources.json`: the reports quoted.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Truce Atlas sources.json")]
#[allow(dead_code)] // A shape for the schema only: the loader reads records one by one.
struct SourcesFile {
    /// The schema this file follows, for editors.
    #[serde(rename = "$schema", default)]
    schema: Option<String>,
    sources: Vec<RawSource>,
}

/// `events.json`: the instruments (truces) and the events.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Truce Atlas events.json")]
#[allow(dead_code)]
struct EventsFile {
    /// The schema this file follows, for editors.
    #[serde(rename = "$schema", default)]
    schema: Option<String>,
    #[serde(default)]
    instruments: Vec<RawInstrument>,
    events: Vec<RawEvent>,
}

/// `incidents.json`: the dataset's own incidents and aggregate reports (optional).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Truce Atlas incidents.json")]
#[allow(dead_code)]
struct IncidentsFile {
    /// The schema this file follows, for editors.
    #[serde(rename = "$schema", default)]
    schema: Option<String>,
    #[serde(default)]
    incidents: Vec<RawIncident>,
    #[serde(default)]
    reports: Vec<RawReport>,
}

/// `story.json`: a guided story through the data (optional).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Truce Atlas story.json")]
#[allow(dead_code)]
struct StoryFile {
    /// The schema this file follows, for editors.
    #[serde(rename = "$schema", default)]
    schema: Option<String>,
    /// The story's title.
    title: String,
    /// The steps, in reading order.
    steps: Vec<RawStep>,
}

/// `zones.geojson`: a GeoJSON FeatureCollection, one feature per zone. Foreign members are read
/// past (and noted by `validate`), so the schema allows them.
#[derive(JsonSchema)]
#[schemars(title = "Truce Atlas zones.geojson")]
#[allow(dead_code)]
struct ZonesFile {
    /// The schema this file follows, for editors.
    #[serde(rename = "$schema", default)]
    schema: Option<String>,
    #[serde(rename = "type")]
    kind: FeatureCollection,
    features: Vec<ZoneFeature>,
}

#[derive(JsonSchema)]
#[allow(dead_code)]
enum FeatureCollection {
    FeatureCollection,
}

#[derive(JsonSchema)]
#[allow(dead_code)]
enum FeatureType {
    Feature,
}

/// A zone: drawn (`geometry` a Polygon or MultiPolygon) or named by `properties.admin_code`
/// with `"geometry": null`.
#[derive(JsonSchema)]
#[schemars(rename = "Zone")]
#[allow(dead_code)]
struct ZoneFeature {
    #[serde(rename = "type")]
    kind: FeatureType,
    /// A unique id, used by events (or give it as `properties.id`).
    #[serde(default)]
    id: Option<String>,
    properties: ZoneProperties,
    /// A GeoJSON Polygon or MultiPolygon (RFC 7946), valid as data/FORMAT.md says; `null` for a
    /// zone given by `admin_code`.
    geometry: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(JsonSchema)]
#[allow(dead_code)]
struct ZoneProperties {
    /// The zone's id, where the feature has no `id` member (as QGIS writes it).
    #[serde(default)]
    id: Option<String>,
    /// The name shown on the map.
    name: String,
    /// governorate, city, area... (free text)
    #[serde(default)]
    kind: Option<String>,
    /// `true` where the outline is drawn by hand: the app draws it dashed.
    #[serde(default)]
    approximate: Option<bool>,
    /// Where the outline comes from (filled in for a zone given by `admin_code`, when empty).
    #[serde(default)]
    geometry_source: Option<String>,
    /// A country (ISO 3166-1 alpha-2, "PS") or first-level division (ISO 3166-2 as Natural
    /// Earth gives it, "UA-14") of the built-in world basemap, or a list of codes for their
    /// union; `truce-atlas areas` lists them. Used when `geometry` is null.
    #[serde(default)]
    admin_code: Option<AdminCode>,
}

#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum AdminCode {
    One(String),
    Union(Vec<String>),
}

/// The schema of `file`, as pretty-printed JSON ending in a newline.
pub fn schema(file: SchemaFile) -> String {
    // Draft 7: the draft most editors (VS Code, JetBrains) read completely.
    let generator = || SchemaSettings::draft07().into_generator();
    let mut schema = match file {
        SchemaFile::Dataset => generator().into_root_schema_for::<RawMeta>(),
        SchemaFile::Sources => generator().into_root_schema_for::<SourcesFile>(),
        SchemaFile::Events => generator().into_root_schema_for::<EventsFile>(),
        SchemaFile::Zones => generator().into_root_schema_for::<ZonesFile>(),
        SchemaFile::Incidents => generator().into_root_schema_for::<IncidentsFile>(),
        SchemaFile::Story => generator().into_root_schema_for::<StoryFile>(),
    };
    let precisions: Vec<&str> = Precision::VARIANTS.iter().map(|p| p.as_str()).collect();
    let kinds: Vec<&str> = EventKind::VARIANTS.iter().map(|k| k.as_str()).collect();
    match file {
        SchemaFile::Dataset | SchemaFile::Zones => {}
        SchemaFile::Story => {
            restrict(
                &mut schema,
                "StoryStep",
                "window",
                &["all", "two_weeks", "two_days"],
            );
        }
        SchemaFile::Sources => restrict(&mut schema, "Source", "published_precision", &precisions),
        SchemaFile::Incidents => {
            restrict(
                &mut schema,
                "Incident",
                "precision",
                &["minute", "hour", "day"],
            );
            restrict(
                &mut schema,
                "Incident",
                "reach",
                &["exact", "province", "country"],
            );
        }
        SchemaFile::Events => {
            restrict(&mut schema, "Event", "precision", &precisions);
            restrict(&mut schema, "Event", "kind", &kinds);
        }
    }
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Lists the values a string property may take, from the model's own names for them.
fn restrict(schema: &mut Schema, definition: &str, property: &str, values: &[&str]) {
    let pointer = format!("/definitions/{definition}/properties/{property}");
    if let Some(prop) = schema.pointer_mut(&pointer).and_then(|v| v.as_object_mut()) {
        let mut values: Vec<serde_json::Value> = values.iter().map(|&v| v.into()).collect();
        // An optional property may also be null.
        if prop.get("type").is_some_and(|t| t.is_array()) {
            values.push(serde_json::Value::Null);
        }
        prop.insert("enum".into(), values.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped(file: SchemaFile) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/schema")
            .join(file.file_name());
        std::fs::read_to_string(path).unwrap_or_default()
    }

    #[test]
    fn the_shipped_schemas_are_the_ones_the_loader_s_types_give() {
        for &file in SchemaFile::VARIANTS {
            let name: &str = file.into();
            assert!(
                shipped(file) == schema(file),
                "data/schema/{} is stale: run `cargo run -- schema {name} > data/schema/{}`",
                file.file_name(),
                file.file_name()
            );
        }
    }

    #[test]
    fn the_events_schema_lists_every_kind_and_forbids_unknown_fields() {
        let events: serde_json::Value =
            serde_json::from_str(&schema(SchemaFile::Events)).expect("json");
        let kinds = &events["definitions"]["Event"]["properties"]["kind"]["enum"];
        assert_eq!(
            kinds.as_array().map(Vec::len),
            Some(EventKind::VARIANTS.len())
        );
        assert!(
            kinds
                .as_array()
                .is_some_and(|k| k.contains(&"truce_start".into()))
        );
        assert_eq!(events["additionalProperties"], false);
        assert_eq!(
            events["definitions"]["Event"]["additionalProperties"],
            false
        );
        let required = &events["definitions"]["Event"]["required"];
        assert!(
            required
                .as_array()
                .is_some_and(|r| r.contains(&"citations".into()))
        );
        assert!(
            !required
                .as_array()
                .is_some_and(|r| r.contains(&"note".into()))
        );
    }
}
