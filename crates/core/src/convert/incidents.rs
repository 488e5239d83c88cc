//! The dataset's own incidents and aggregate reports, written back: as incidents.json's records,
//! and as the `incidents` sheet made from the same records (a row per citation).

use serde_json::{Map, Value, json};

use super::{Out, Table};
use crate::model::Dataset;
use crate::model::incidents::{Basis, Fatalities, IncidentSet, Reach, When, Where};

/// incidents.json's `incidents` and `reports`, or `None` when the dataset has neither.
pub fn records(ds: &Dataset) -> Option<(Vec<Value>, Vec<Value>)> {
    let set = &ds.incidents;
    if set.is_empty() {
        return None;
    }
    let zone_ids = |zones: &mut dyn Iterator<Item = usize>| -> Value {
        json!(zones.map(|z| ds.zones[z].id.clone()).collect::<Vec<_>>())
    };
    let incidents = set
        .incidents
        .iter()
        .filter_map(|i| {
            let Basis::Cited {
                citations, note, ..
            } = &i.basis
            else {
                return None;
            };
            let mut o = Map::new();
            o.insert("id".into(), json!(&*i.id));
            when(&i.when, &mut o);
            match &i.place {
                Where::Point { lon, lat, reach } => {
                    o.insert("point".into(), json!([lon, lat]));
                    let reach = match reach {
                        Reach::Exact => None,
                        Reach::Province => Some("province"),
                        Reach::Country => Some("country"),
                    };
                    if let Some(r) = reach {
                        o.insert("reach".into(), json!(r));
                    }
                }
                Where::Zones(zones) => {
                    o.insert(
                        "zones".into(),
                        zone_ids(&mut zones.iter().map(|&z| z as usize)),
                    );
                }
            }
            words(
                set,
                &mut o,
                &[
                    ("location", i.location),
                    ("type", i.kind),
                    ("sub_type", i.sub_kind),
                ],
            );
            if !i.actors.is_empty() {
                o.insert(
                    "actors".into(),
                    json!(i.actors.iter().map(|&a| set.word(a)).collect::<Vec<_>>()),
                );
            }
            fatalities(i.fatalities, &mut o);
            o.insert("citations".into(), cited(ds, citations));
            if let Some(note) = note {
                o.insert("note".into(), json!(note));
            }
            Some(Value::Object(o))
        })
        .collect();
    let reports = set
        .reports
        .iter()
        .map(|r| {
            let mut o = Map::new();
            o.insert("id".into(), json!(r.id));
            let (from, to) = crate::incidents::doc::days(&r.when);
            o.insert("from".into(), json!(from));
            o.insert("to".into(), json!(to));
            if let Some(p) = &r.period_as_reported {
                o.insert("period_as_reported".into(), json!(p));
            }
            o.insert("zones".into(), zone_ids(&mut r.zones.iter().copied()));
            o.insert("what".into(), json!(r.what));
            o.insert("as_reported".into(), json!(r.as_reported));
            fatalities(r.fatalities, &mut o);
            o.insert("citations".into(), cited(ds, &r.citations));
            if let Some(note) = &r.note {
                o.insert("note".into(), json!(note));
            }
            Value::Object(o)
        })
        .collect();
    Some((incidents, reports))
}

fn when(w: &When, o: &mut Map<String, Value>) {
    let day = |d: chrono::NaiveDate| json!(d.format("%Y-%m-%d").to_string());
    match *w {
        When::Instant(t, p) => {
            o.insert("time".into(), json!(crate::load::workbook::rfc3339(t)));
            o.insert("precision".into(), json!(p.as_str()));
        }
        When::Day(d) => {
            o.insert("time".into(), day(d));
            o.insert("precision".into(), json!("day"));
        }
        When::Period(a, b) => {
            o.insert("time".into(), day(a));
            o.insert("until".into(), day(b));
            o.insert("precision".into(), json!("day"));
        }
    }
}

fn words(set: &IncidentSet, o: &mut Map<String, Value>, fields: &[(&str, u32)]) {
    for &(name, w) in fields {
        let text = set.word(w);
        if !text.is_empty() || name == "type" {
            o.insert(name.into(), json!(text));
        }
    }
}

fn fatalities(f: Fatalities, o: &mut Map<String, Value>) {
    let mut m = Map::new();
    for (name, v) in [("low", f.low), ("best", f.best), ("high", f.high)] {
        if let Some(v) = v {
            m.insert(name.into(), json!(v));
        }
    }
    if !m.is_empty() {
        o.insert("fatalities".into(), Value::Object(m));
    }
}

fn cited(ds: &Dataset, citations: &[crate::model::Citation]) -> Value {
    json!(
        citations
            .iter()
            .map(|c| {
                let mut m = Map::new();
                m.insert("source".into(), json!(ds.sources[c.source].id));
                m.insert("quote".into(), json!(c.quote));
                if let Some(s) = &c.speaker {
                    m.insert("speaker".into(), json!(s));
                }
                Value::Object(m)
            })
            .collect::<Vec<_>>()
    )
}

/// The `incidents` sheet from the same records, `None` without any.
pub fn table(ds: &Dataset) -> Option<Table> {
    let (incidents, reports) = records(ds)?;
    let columns = crate::load::workbook::spec("incidents")
        .map(|s| s.columns)
        .unwrap_or(&[]);
    let mut t = Table::new("incidents", columns);
    let records = incidents
        .iter()
        .map(|r| (false, r))
        .chain(reports.iter().map(|r| (true, r)));
    for (report, r) in records {
        let citations = r
            .get("citations")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (k, c) in citations.iter().enumerate() {
            let mut row = vec![
                ("source", text(c.get("source"))),
                ("quote", text(c.get("quote"))),
                ("speaker", text(c.get("speaker"))),
            ];
            if k == 0 {
                row.extend(first_row(report, r));
            } else {
                row.push(("id", text(r.get("id"))));
            }
            t.push(row);
        }
    }
    Some(t)
}

fn text(v: Option<&Value>) -> Option<Out> {
    v.and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(|s| Out::Text(s.to_string()))
}

/// A date as a date cell; an instant stays RFC 3339 text, as the reader takes it.
fn time(v: Option<&Value>) -> Option<Out> {
    let s = v.and_then(Value::as_str)?;
    Some(match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Out::Date(d),
        Err(_) => Out::Text(s.to_string()),
    })
}

fn first_row(report: bool, r: &Value) -> Vec<(&'static str, Option<Out>)> {
    let list = |key: &str, sep: &str| {
        r.get(key).and_then(Value::as_array).map(|a| {
            Out::Text(
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(sep),
            )
        })
    };
    let number = |v: Option<&Value>| v.and_then(Value::as_f64).map(Out::Number);
    let f = r.get("fatalities");
    let point = r.get("point").and_then(Value::as_array);
    let mut row = vec![
        ("id", text(r.get("id"))),
        ("zones", list("zones", ", ")),
        ("fatalities_low", number(f.and_then(|f| f.get("low")))),
        ("fatalities_best", number(f.and_then(|f| f.get("best")))),
        ("fatalities_high", number(f.and_then(|f| f.get("high")))),
        ("note", text(r.get("note"))),
    ];
    if report {
        row.extend([
            ("record", Some(Out::Text("report".into()))),
            ("time", time(r.get("from"))),
            ("until", time(r.get("to"))),
            ("what", text(r.get("what"))),
            ("as_reported", text(r.get("as_reported"))),
            ("period_as_reported", text(r.get("period_as_reported"))),
        ]);
    } else {
        row.extend([
            ("record", Some(Out::Text("incident".into()))),
            ("time", time(r.get("time"))),
            ("until", time(r.get("until"))),
            ("precision", text(r.get("precision"))),
            ("longitude", number(point.and_then(|p| p.first()))),
            ("latitude", number(point.and_then(|p| p.get(1)))),
            ("reach", text(r.get("reach"))),
            ("location", text(r.get("location"))),
            ("type", text(r.get("type"))),
            ("sub_type", text(r.get("sub_type"))),
            ("actors", list("actors", "; ")),
        ]);
    }
    row
}
