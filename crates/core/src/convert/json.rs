//! The JSON format's files, written from a dataset as data/FORMAT.md describes them.

use std::path::Path;

use serde_json::{Map, Value, json};

use super::{WriteError, io};
use crate::load::workbook::rfc3339;
use crate::model::{Dataset, Zone};

/// The whole JSON folder's files into `dir` (which exists and is empty).
pub fn write(ds: &Dataset, dir: &Path) -> Result<(), WriteError> {
    let tz = ds.meta.timezone;
    let time =
        |t: &chrono::DateTime<chrono::FixedOffset>| rfc3339(t.with_timezone(&tz).fixed_offset());
    let mut meta = Map::new();
    meta.insert("format".into(), json!("truce-atlas/1"));
    meta.insert("name".into(), json!(ds.meta.name));
    meta.insert("timezone".into(), json!(tz.name()));
    put_text(&mut meta, "description", &ds.meta.description);
    if let Some(t) = &ds.meta.default_instant {
        meta.insert("default_instant".into(), json!(time(t)));
    }
    if let Some(t) = &ds.meta.reports_until {
        meta.insert("reports_until".into(), json!(time(t)));
    }
    put_text(&mut meta, "attribution", &ds.meta.attribution);
    if !ds.meta.incident_files.is_empty() {
        meta.insert("incidents".into(), json!(ds.meta.incident_files));
    }
    if !ds.meta.sides.is_empty() {
        let sides: Vec<Value> = ds
            .meta
            .sides
            .iter()
            .map(|s| {
                let mut o = Map::new();
                o.insert("id".into(), json!(s.id));
                o.insert("name".into(), json!(s.name));
                put_text(&mut o, "description", &s.description);
                Value::Object(o)
            })
            .collect();
        meta.insert("sides".into(), Value::Array(sides));
    }
    let features: Vec<Value> = ds.zones.iter().map(|z| zone_feature(z, true)).collect();
    file(dir, crate::load::DATASET_FILE, &Value::Object(meta))?;
    file(
        dir,
        crate::load::ZONES_FILE,
        &json!({"type": "FeatureCollection", "features": features}),
    )?;
    file(
        dir,
        crate::load::SOURCES_FILE,
        &json!({"sources": sources(ds)}),
    )?;
    file(dir, crate::load::EVENTS_FILE, &events(ds))?;
    if let Some((incidents, reports)) = super::incidents::records(ds) {
        let top = json!({"incidents": incidents, "reports": reports});
        file(dir, crate::load::INCIDENTS_FILE, &top)?;
    }
    story(ds, dir)?;
    places(ds, dir)
}

/// The story, in every format a file of its own (a workbook's beside it).
fn story(ds: &Dataset, dir: &Path) -> Result<(), WriteError> {
    let Some(story) = &ds.story else {
        return Ok(());
    };
    let path = dir.join(crate::load::STORY_FILE);
    std::fs::write(&path, super::story::story_text(ds, story)).map_err(io(&path))
}

/// Beside a workbook or CSV folder: the drawn outlines (zones.geojson) and places.geojson.
pub fn write_beside(ds: &Dataset, dir: &Path) -> Result<(), WriteError> {
    story(ds, dir)?;
    let features: Vec<Value> = ds
        .zones
        .iter()
        .filter(|z| !z.outline_by_code)
        .map(|z| zone_feature(z, false))
        .collect();
    if !features.is_empty() {
        file(
            dir,
            crate::load::ZONES_FILE,
            &json!({"type": "FeatureCollection", "features": features}),
        )?;
    }
    places(ds, dir)
}

/// A zone as a feature. Beside a workbook only the id and outline are read (the sheet holds the
/// rest), so only the name is added, to tell features apart in a GIS.
fn zone_feature(z: &Zone, all: bool) -> Value {
    let mut p = Map::new();
    p.insert("name".into(), json!(z.name));
    if all {
        put_text(&mut p, "kind", &z.kind);
        if z.approximate {
            p.insert("approximate".into(), json!(true));
        }
        put_text(&mut p, "geometry_source", &z.geometry_source);
        match z.admin_codes.as_slice() {
            [] => {}
            [one] => {
                p.insert("admin_code".into(), json!(one));
            }
            many => {
                p.insert("admin_code".into(), json!(many));
            }
        }
    }
    let geometry = if z.outline_by_code {
        Value::Null
    } else {
        serde_json::to_value(geojson::Geometry::from(&z.geometry)).unwrap_or(Value::Null)
    };
    json!({"type": "Feature", "id": z.id, "properties": p, "geometry": geometry})
}

fn sources(ds: &Dataset) -> Vec<Value> {
    let tz = ds.meta.timezone;
    ds.sources
        .iter()
        .map(|s| {
            let mut o = Map::new();
            o.insert("id".into(), json!(s.id));
            o.insert("outlet".into(), json!(s.outlet));
            put_text(&mut o, "headline", &s.headline);
            let (cell, precision) =
                super::published_cell(s.published.time, s.published.precision, tz);
            let published = match cell {
                super::Out::Date(d) => d.format("%Y-%m-%d").to_string(),
                _ => rfc3339(s.published.time.with_timezone(&tz).fixed_offset()),
            };
            o.insert("published".into(), json!(published));
            if let Some(p) = precision {
                o.insert("published_precision".into(), json!(p.as_str()));
            }
            put_text(&mut o, "published_note", &s.published_note);
            for (k, v) in [
                ("url", &s.url),
                ("sha256", &s.sha256),
                ("archive_file", &s.archive_file),
            ] {
                if let Some(v) = v {
                    o.insert(k.into(), json!(v));
                }
            }
            Value::Object(o)
        })
        .collect()
}

fn events(ds: &Dataset) -> Value {
    let tz = ds.meta.timezone;
    let time =
        |t: &chrono::DateTime<chrono::FixedOffset>| rfc3339(t.with_timezone(&tz).fixed_offset());
    let instruments: Vec<Value> = ds
        .instruments
        .iter()
        .map(|i| {
            let mut o = Map::new();
            o.insert("id".into(), json!(i.id));
            o.insert("name".into(), json!(i.name));
            put_text(&mut o, "description", &i.description);
            Value::Object(o)
        })
        .collect();
    let events: Vec<Value> = ds
        .events
        .iter()
        .map(|e| {
            let mut o = Map::new();
            o.insert("id".into(), json!(e.id));
            o.insert("time".into(), json!(time(&e.moment.time)));
            o.insert("precision".into(), json!(e.moment.precision.as_str()));
            if let Some(a) = &e.as_reported {
                o.insert("as_reported".into(), json!(a));
            }
            o.insert("kind".into(), json!(e.kind.as_str()));
            let zones: Vec<&str> = e.zones.iter().map(|&z| ds.zones[z].id.as_str()).collect();
            o.insert("zones".into(), json!(zones));
            o.insert("actor".into(), json!(e.actor));
            if let Some(s) = e.side {
                o.insert("side".into(), json!(ds.meta.sides[s].id));
            }
            if let Some(i) = e.instrument {
                o.insert("instrument".into(), json!(ds.instruments[i].id));
            }
            if let Some(u) = &e.until {
                o.insert("until".into(), json!(time(&u.time)));
            }
            if let Some(h) = e.duration_hours {
                o.insert("duration_hours".into(), json!(h));
            }
            let citations: Vec<Value> = e
                .citations
                .iter()
                .map(|c| {
                    let mut co = Map::new();
                    co.insert("source".into(), json!(ds.sources[c.source].id));
                    co.insert("quote".into(), json!(c.quote));
                    if let Some(s) = &c.speaker {
                        co.insert("speaker".into(), json!(s));
                    }
                    Value::Object(co)
                })
                .collect();
            o.insert("citations".into(), Value::Array(citations));
            if let Some(n) = &e.note {
                o.insert("note".into(), json!(n));
            }
            Value::Object(o)
        })
        .collect();
    json!({"instruments": instruments, "events": events})
}

fn places(ds: &Dataset, dir: &Path) -> Result<(), WriteError> {
    if ds.places.is_empty() {
        return Ok(());
    }
    let features: Vec<Value> = ds
        .places
        .iter()
        .map(|p| {
            json!({
                "type": "Feature",
                "properties": {"name": p.name, "kind": p.kind},
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            })
        })
        .collect();
    file(
        dir,
        crate::load::PLACES_FILE,
        &json!({"type": "FeatureCollection", "features": features}),
    )
}

fn put_text(o: &mut Map<String, Value>, key: &str, text: &str) {
    if !text.is_empty() {
        o.insert(key.into(), json!(text));
    }
}

fn file(dir: &Path, name: &str, value: &Value) -> Result<(), WriteError> {
    let path = dir.join(name);
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    std::fs::write(&path, text).map_err(io(&path))
}
