//! Data out of the atlas, for spreadsheets, QGIS, Datawrapper and geojson.io: every zone's
//! status intervals and every event as CSV (written by the `csv` crate, so quoting and commas
//! inside quotes are right), and a snapshot of every zone at an instant as a GeoJSON feature
//! collection. Times are RFC 3339 in the dataset's time zone, with their precision beside them:
//! a day-precise report is not rounded into a clock time it never gave. No egui here.

use std::io::Write;

use chrono::{DateTime, Utc};

use crate::engine::{CiteRef, Engine, Interval};
use crate::incidents::Incidents;
use crate::model::{Dataset, Moment};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the export: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write the export: {0}")]
    Json(#[from] serde_json::Error),
}

/// The columns of the status-interval CSV, in order.
pub const INTERVAL_COLUMNS: [&str; 17] = [
    "zone_id",
    "zone",
    "status",
    "contested",
    "start",
    "end",
    "since",
    "since_precision",
    "until",
    "until_precision",
    "instrument",
    "after_last_report",
    "last_reported",
    "lapsed",
    "citations",
    "disputed_by",
    "according_to",
];

/// The columns of the event CSV, in order.
pub const EVENT_COLUMNS: [&str; 13] = [
    "id",
    "moment",
    "precision",
    "as_reported",
    "kind",
    "zones",
    "actor",
    "instrument",
    "until",
    "until_precision",
    "citations",
    "side",
    "according_to",
];

fn local(ds: &Dataset, t: DateTime<Utc>) -> String {
    crate::timefmt::rfc3339_local(t, ds.meta.timezone)
}

/// A moment and its precision, as the status JSON gives them; empty cells for none.
fn moment(m: Option<&Moment>, ds: &Dataset) -> (String, String) {
    let (time, precision) = crate::report::moment_text(&m.copied(), ds);
    (
        time.unwrap_or_default(),
        precision.unwrap_or_default().to_string(),
    )
}

/// "source-id: quote", one per citation, joined by " | ".
fn cited(ds: &Dataset, cites: &[CiteRef]) -> String {
    cites
        .iter()
        .map(|c| {
            let citation = &ds.events[c.event].citations[c.citation];
            format!("{}: {}", ds.sources[citation.source].id, citation.quote)
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn interval_row(
    engine: &Engine,
    zone: usize,
    interval: &Interval,
    horizon: Option<DateTime<Utc>>,
) -> Vec<String> {
    let ds = engine.dataset();
    let r = &interval.resolution;
    let (since, since_precision) = moment(r.since.as_ref(), ds);
    let (until, until_precision) = moment(r.until.as_ref(), ds);
    // Past the last report nothing is known to have changed: the status is as last reported.
    let after = match (interval.start, horizon) {
        (Some(start), Some(h)) => start > h,
        (None, _) | (_, None) => false,
    };
    let instrument = r
        .instrument
        .map(|i| ds.instruments[i].name.clone())
        .unwrap_or_default();
    vec![
        ds.zones[zone].id.clone(),
        ds.zones[zone].name.clone(),
        r.status.as_str().to_string(),
        r.contested.to_string(),
        interval.start.map(|t| local(ds, t)).unwrap_or_default(),
        interval.end.map(|t| local(ds, t)).unwrap_or_default(),
        since,
        since_precision,
        until,
        until_precision,
        instrument,
        after.to_string(),
        // As the status JSON has it: the newest report behind the status, disputes included.
        engine
            .last_reported(r)
            .map(|m| local(ds, m.utc()))
            .unwrap_or_default(),
        r.lapsed.to_string(),
        cited(ds, &r.citations),
        cited(ds, &r.disputed_by),
        according_to(engine),
    ]
}

/// "According to: …" while the engine hears only some sources; empty otherwise. Written on
/// every row, so that a filtered export cannot be cut from its filter.
fn according_to(engine: &Engine) -> String {
    engine
        .filter()
        .and_then(|f| f.according_to(engine.dataset()))
        .unwrap_or_default()
}

/// Every zone's status intervals, as known on `known_on` (everything, if `None`): one row per
/// interval, zone by zone, in time order. An open start or end is an empty cell. With incident
/// sets, each set adds its counts in the interval (the counting rule; sets never added
/// together) and every row carries their credit lines.
pub fn intervals_csv(
    engine: &Engine,
    known_on: Option<DateTime<Utc>>,
    incidents: Option<&Incidents>,
    out: impl Write,
) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    let sets = incidents.map_or(&[][..], |i| &i.sets[..]);
    let mut header: Vec<String> = INTERVAL_COLUMNS.iter().map(|c| c.to_string()).collect();
    for p in sets {
        let name = &p.set.name;
        header.extend(INCIDENT_COLUMNS.iter().map(|c| format!("{c} [{name}]")));
    }
    let credits = incidents.map(|i| i.credits().join(" | "));
    if credits.is_some() {
        header.push("incident_credits".into());
    }
    w.write_record(&header)?;
    let horizon = engine.horizon(known_on);
    for zone in 0..engine.dataset().zones.len() {
        for interval in engine.timeline(zone, known_on) {
            let mut row = interval_row(engine, zone, interval, horizon);
            let span = (
                interval.start.map(|t| t.timestamp()),
                interval.end.map(|t| t.timestamp()),
            );
            for p in sets {
                let t = crate::incidents::tally(engine, p, zone, span, known_on);
                let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
                row.extend([
                    t.whole.to_string(),
                    t.partly.to_string(),
                    number(t.best),
                    number(t.low),
                ]);
            }
            row.extend(credits.clone());
            w.write_record(row)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The columns each incident set adds to the interval CSV, followed by ` [file name]`.
pub const INCIDENT_COLUMNS: [&str; 4] = [
    "incidents",
    "incidents_partly",
    "fatalities_best",
    "fatalities_low",
];

/// Every event in time order, with its citations; under a filter, the events and citations it
/// keeps.
pub fn events_csv(engine: &Engine, out: impl Write) -> Result<(), ExportError> {
    let ds = engine.dataset();
    let mut w = csv::Writer::from_writer(out);
    w.write_record(EVENT_COLUMNS)?;
    let according_to = according_to(engine);
    // The dataset keeps its events in time order.
    for (e, ev) in ds.events.iter().enumerate() {
        if !engine.known(e, None) {
            continue;
        }
        let (at, precision) = moment(Some(&ev.moment), ds);
        let (until, until_precision) = moment(ev.until.as_ref(), ds);
        let zones: Vec<&str> = ev.zones.iter().map(|&z| ds.zones[z].id.as_str()).collect();
        let cites: Vec<CiteRef> = (0..ev.citations.len())
            .filter(|&c| engine.hears(ev.citations[c].source))
            .map(|citation| CiteRef { event: e, citation })
            .collect();
        w.write_record([
            ev.id.clone(),
            at,
            precision,
            ev.as_reported.clone().unwrap_or_default(),
            ev.kind.as_str().to_string(),
            zones.join(";"),
            ev.actor.clone(),
            ev.instrument
                .map(|i| ds.instruments[i].name.clone())
                .unwrap_or_default(),
            until,
            until_precision,
            cited(ds, &cites),
            ev.side
                .map(|s| ds.meta.sides[s].id.clone())
                .unwrap_or_default(),
            according_to.clone(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Every zone at `at` (as known on `known_on`) as a GeoJSON feature: its outline, and its
/// status, contested flag, since, until, instrument and lead citation as properties.
pub fn geojson_snapshot(
    engine: &Engine,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
    incidents: Option<&Incidents>,
) -> geojson::FeatureCollection {
    let ds = engine.dataset();
    let window = incidents
        .and_then(|i| crate::incidents::doc::status_incidents_doc(engine, i, at, known_on));
    let after = engine.after_reports(at, known_on);
    let according_to = engine.filter().and_then(|f| f.according_to(ds));
    let features = (0..ds.zones.len())
        .map(|z| {
            let zone = &ds.zones[z];
            let r = engine.status(z, at, known_on);
            let (since, since_precision) = moment(r.since.as_ref(), ds);
            let (until, until_precision) = moment(r.until.as_ref(), ds);
            let lead = r.citations.first().map(|c| {
                let citation = &ds.events[c.event].citations[c.citation];
                (citation, &ds.sources[citation.source])
            });
            let mut p = serde_json::Map::new();
            let mut put = |k: &str, v: serde_json::Value| {
                p.insert(k.to_string(), v);
            };
            put("id", zone.id.clone().into());
            put("name", zone.name.clone().into());
            put("at", local(ds, at).into());
            put("status", r.status.as_str().into());
            put("contested", r.contested.into());
            put("as_last_reported", after.into());
            put("since", since.into());
            put("since_precision", since_precision.into());
            put("until", until.into());
            put("until_precision", until_precision.into());
            let instrument = r.instrument.map(|i| ds.instruments[i].name.clone());
            put("instrument", instrument.into());
            put("lead_quote", lead.map(|(c, _)| c.quote.clone()).into());
            put(
                "lead_speaker",
                lead.and_then(|(c, _)| c.speaker.clone()).into(),
            );
            put("lead_outlet", lead.map(|(_, s)| s.outlet.clone()).into());
            put("lead_source", lead.map(|(_, s)| s.id.clone()).into());
            put("approximate_outline", zone.approximate.into());
            // Where the outline comes from: for a zone given by `admin_code`, the data, its
            // version and the codes, so that a frozen copy still says so.
            put("geometry_source", zone.geometry_source.clone().into());
            put("according_to", according_to.clone().into());
            if let Some(zone) = window.as_ref().and_then(|w| w.zones.get(z)) {
                put(
                    "incidents_7_days",
                    serde_json::to_value(&zone.sets).unwrap_or_default(),
                );
                put(
                    "violence_reported_during_truce",
                    zone.violence_reported_during_truce.into(),
                );
            }
            geojson::Feature {
                geometry: Some(geojson::Geometry::from(&zone.geometry)),
                properties: Some(p),
                ..Default::default()
            }
        })
        .collect();
    // The window, the note on imported rows and the credit lines travel with the file.
    let foreign_members = window.map(|w| {
        let mut m = serde_json::Map::new();
        m.insert("incidents_from".into(), w.from.into());
        m.insert("incidents_to".into(), w.to.into());
        m.insert("incidents_note".into(), w.note.into());
        m.insert("incident_credits".into(), w.credits.into());
        m
    });
    geojson::FeatureCollection {
        features,
        foreign_members,
        ..Default::default()
    }
}

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum Kind {
    /// Every zone's status intervals (CSV).
    Intervals,
    /// Every event (CSV).
    Events,
    /// Every zone at one instant (GeoJSON).
    Snapshot,
}

impl Kind {
    /// A file name to offer.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Intervals => "truce-atlas-intervals.csv",
            Kind::Events => "truce-atlas-events.csv",
            Kind::Snapshot => "truce-atlas-zones.geojson",
        }
    }

    /// Writes the export of `engine`: the snapshot at `at`, the intervals and the snapshot as
    /// known on `known_on` (the event list is every event), with the incident sets' counts.
    pub fn write(
        self,
        engine: &Engine,
        at: DateTime<Utc>,
        known_on: Option<DateTime<Utc>>,
        incidents: Option<&Incidents>,
        out: &mut dyn Write,
    ) -> Result<(), ExportError> {
        match self {
            Kind::Intervals => intervals_csv(engine, known_on, incidents, out),
            Kind::Events => events_csv(engine, out),
            Kind::Snapshot => {
                let doc = geojson_snapshot(engine, at, known_on, incidents);
                serde_json::to_writer_pretty(&mut *out, &doc)?;
                Ok(writeln!(out)?)
            }
        }
    }
}

/// Writes beside `path` and renames over it once complete: a failed export never leaves a
/// half-written file where a good one was.
pub fn to_file(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let result = (|| {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&partial)?);
        write(&mut file)?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&partial, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

#[cfg(test)]
mod tests;
