//! The incidents as the other commands show them beside their own output: `events --incidents`
//! (the incidents and aggregate reports in time order, with their quotes or the source's
//! summary) and `diff --incidents` (each zone's counts between the two instants). The counting
//! rule is the one of `tally`; nothing here adds two sets together.

use std::fs::File;
use std::io::BufReader;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::doc::{
    COUNTING_NOTE, CountDoc, FatalitiesDoc, IMPORTED_NOTE, QuoteDoc, ReportDoc, count_words,
    counts, days, fatalities_doc, quote_doc, report_doc,
};
use super::{Incidents, heard, report_heard, tally};
use crate::engine::Engine;
use crate::model::incidents::{Basis, Incident, IncidentSet, Reach, Where};
use crate::timefmt::rfc3339_local;

/// `events --incidents`: every incident (of one zone, with `--zone`) and every aggregate
/// report, in time order.
#[derive(Serialize)]
pub struct ChronologyDoc {
    pub note: &'static str,
    pub credits: Vec<&'static str>,
    pub incidents: Vec<IncidentRowDoc>,
    pub reports: Vec<ReportDoc>,
}

#[derive(Serialize)]
pub struct IncidentRowDoc {
    pub set: String,
    pub id: String,
    /// The first and last day (or the instant) as the source gives it.
    pub from: String,
    pub to: String,
    /// The zones it is placed in (empty: outside every zone).
    pub zones: Vec<String>,
    /// `exact`, `province` or `country` for a point; `null` for a record that names zones.
    pub reach: Option<&'static str>,
    pub location: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub sub_type: String,
    pub actors: Vec<String>,
    pub fatalities: FatalitiesDoc,
    /// The dataset's own records: their quotes (those the source filter keeps).
    pub citations: Vec<QuoteDoc>,
    /// Imported rows: the file's line, and the coder's summary read back from it, labelled as
    /// such ("ACLED's summary"), never a quote.
    pub line: Option<u64>,
    pub summary_label: Option<&'static str>,
    pub summary: Option<String>,
}

/// The incidents of every set (one zone's, with `zone`) and the dataset's aggregate reports,
/// each in time order; the sets one after another, as they are never merged.
pub fn chronology(engine: &Engine, incidents: &Incidents, zone: Option<usize>) -> ChronologyDoc {
    let ds = engine.dataset();
    let mut rows = Vec::new();
    for p in &incidents.sets {
        let zones_of = ZonesOf::new(p, ds.zones.len());
        let chosen: Vec<u32> = match zone {
            Some(z) => p.meeting(z, None, None).to_vec(),
            None => (0..p.set.incidents.len() as u32).collect(),
        };
        let mut reader = SummaryReader::new(&p.set);
        for i in chosen {
            let incident = &p.set.incidents[i as usize];
            if !heard(engine, incident, None) {
                continue;
            }
            let zones = zones_of
                .get(i)
                .iter()
                .map(|&z| ds.zones[z].id.clone())
                .collect();
            rows.push(row(engine, &p.set, incident, zones, &mut reader));
        }
    }
    let reports = ds
        .incidents
        .reports
        .iter()
        .filter(|r| zone.is_none_or(|z| r.zones.contains(&z)) && report_heard(engine, r, None))
        .map(|r| report_doc(engine, r))
        .collect();
    ChronologyDoc {
        note: IMPORTED_NOTE,
        credits: incidents.credits(),
        incidents: rows,
        reports,
    }
}

/// For each incident of a set, the zones it was placed in (a lookup built once per set).
struct ZonesOf {
    incidents: Vec<u32>,
    zones: Vec<usize>,
}

impl ZonesOf {
    fn new(p: &super::Placed, zones: usize) -> ZonesOf {
        let mut pairs: Vec<(u32, usize)> = (0..zones)
            .flat_map(|z| p.meeting(z, None, None).iter().map(move |&i| (i, z)))
            .collect();
        pairs.sort_unstable();
        let (incidents, zones) = pairs.into_iter().unzip();
        ZonesOf { incidents, zones }
    }

    fn get(&self, i: u32) -> &[usize] {
        let lo = self.incidents.partition_point(|&x| x < i);
        let hi = self.incidents.partition_point(|&x| x <= i);
        &self.zones[lo..hi]
    }
}

fn row(
    engine: &Engine,
    set: &IncidentSet,
    incident: &Incident,
    zones: Vec<String>,
    reader: &mut SummaryReader,
) -> IncidentRowDoc {
    let (from, to) = days(&incident.when);
    let (citations, line, summary) = match &incident.basis {
        Basis::Cited { citations, .. } => {
            let ds = engine.dataset();
            let quotes = citations
                .iter()
                .filter(|c| engine.hears(c.source))
                .map(|c| quote_doc(ds, c))
                .collect();
            (quotes, None, None)
        }
        Basis::Row { line, byte } => (Vec::new(), Some(*line), reader.read(incident, *byte)),
    };
    let reach = match incident.place {
        Where::Point { reach, .. } => Some(match reach {
            Reach::Exact => "exact",
            Reach::Province => "province",
            Reach::Country => "country",
        }),
        Where::Zones(_) => None,
    };
    IncidentRowDoc {
        set: set.name.clone(),
        id: incident.id.to_string(),
        from,
        to,
        zones,
        reach,
        location: set.word(incident.location).to_string(),
        kind: set.word(incident.kind).to_string(),
        sub_type: set.word(incident.sub_kind).to_string(),
        actors: incident
            .actors
            .iter()
            .map(|&a| set.word(a).to_string())
            .collect(),
        fatalities: fatalities_doc(incident.fatalities),
        citations,
        line,
        summary_label: summary.as_ref().map(|_| set.kind.summary_label()),
        summary,
    }
}

/// Reads imported rows' summaries from one open file (a chronology may show a million rows;
/// opening the file per row would not do). A file changed since it was read gives no summary.
struct SummaryReader {
    file: Option<BufReader<File>>,
    column: Option<usize>,
}

impl SummaryReader {
    fn new(set: &IncidentSet) -> SummaryReader {
        let file = set
            .path
            .as_ref()
            .and_then(|p| File::open(p).ok())
            .filter(|f| f.metadata().map(|m| m.len()).ok() == Some(set.file_len))
            .map(BufReader::new);
        SummaryReader {
            file,
            column: set.summary_column,
        }
    }

    fn read(&mut self, incident: &Incident, byte: u64) -> Option<String> {
        let (file, column) = (self.file.as_mut()?, self.column?);
        super::import::summary_at(file, byte, &incident.id, column)
    }
}

/// `diff --incidents`: each zone's incidents between the two instants, set by set.
#[derive(Serialize)]
pub struct BetweenDoc {
    /// `[from, to)`, the earlier instant first.
    pub from: String,
    pub to: String,
    pub note: &'static str,
    pub counting: &'static str,
    pub zones: Vec<BetweenZoneDoc>,
    pub credits: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct BetweenZoneDoc {
    pub id: String,
    pub sets: Vec<CountDoc>,
}

/// Counts every zone's incidents over `[from, to)` (the instants in either order), as known on
/// `known_on` for the dataset's own.
pub fn between(
    engine: &Engine,
    incidents: &Incidents,
    (a, b): (DateTime<Utc>, DateTime<Utc>),
    known_on: Option<DateTime<Utc>>,
) -> BetweenDoc {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let (from, to) = (a.min(b), a.max(b));
    let span = (Some(from.timestamp()), Some(to.timestamp()));
    let names: Vec<String> = incidents.sets.iter().map(|p| p.set.name.clone()).collect();
    let zones = (0..ds.zones.len())
        .map(|z| {
            let tallies: Vec<_> = incidents
                .sets
                .iter()
                .map(|p| tally(engine, p, z, span, known_on))
                .collect();
            BetweenZoneDoc {
                id: ds.zones[z].id.clone(),
                sets: counts(&names, &tallies),
            }
        })
        .collect();
    BetweenDoc {
        from: rfc3339_local(from, tz),
        to: rfc3339_local(to, tz),
        note: IMPORTED_NOTE,
        counting: COUNTING_NOTE,
        zones,
        credits: incidents.credits(),
    }
}

/// The table's lines for `diff --incidents`: each zone with any incident between the instants.
pub fn between_lines(engine: &Engine, doc: &BetweenDoc) -> Vec<String> {
    let mut lines = vec![format!("\nIncidents from {} to {}:", doc.from, doc.to)];
    for (z, zone) in doc.zones.iter().enumerate() {
        let sets: Vec<String> = zone
            .sets
            .iter()
            .map(|c| format!("{}: {}", c.set, count_words(c)))
            .collect();
        lines.push(format!(
            "  {}: {}",
            engine.dataset().zones[z].name,
            sets.join("; ")
        ));
    }
    lines.extend([doc.counting.to_string(), doc.note.to_string()]);
    lines.extend(doc.credits.iter().map(|c| format!("Data: {c}")));
    lines
}

/// The table's lines for `events --incidents`: each incident, then each aggregate report.
pub fn chronology_lines(doc: &ChronologyDoc) -> Vec<String> {
    let mut lines = vec![format!("\nIncidents ({}):", doc.incidents.len())];
    for r in &doc.incidents {
        let when = if r.from == r.to {
            r.from.clone()
        } else {
            format!("{} – {}", r.from, r.to)
        };
        let place = if r.zones.is_empty() {
            "outside the zones".to_string()
        } else {
            r.zones.join(", ")
        };
        let killed = match (r.fatalities.best, r.fatalities.low) {
            (Some(b), _) => format!("; {b} killed (best)"),
            (None, Some(l)) => format!("; at least {l} killed (low)"),
            (None, None) => String::new(),
        };
        // Words a layout lacks (UCDP has no sub-type nor place name) are left out, not shown empty.
        let what: Vec<&str> = [r.kind.as_str(), r.sub_type.as_str()]
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect();
        let location = if r.location.is_empty() {
            String::new()
        } else {
            format!("{}: ", r.location)
        };
        lines.push(format!(
            "{when}  {} {}  {place}  {location}{}{killed}",
            r.set,
            r.id,
            what.join(" / ")
        ));
        if !r.actors.is_empty() {
            lines.push(format!("    by {}", r.actors.join("; ")));
        }
        for q in &r.citations {
            lines.push(format!(
                "    {} ({}): \"{}\"",
                q.outlet, q.published, q.quote
            ));
        }
        if let (Some(label), Some(text)) = (r.summary_label, &r.summary) {
            lines.push(format!("    {label}: {text}"));
        }
    }
    lines.push(format!("\nAggregate reports ({}):", doc.reports.len()));
    for r in &doc.reports {
        lines.push(format!(
            "{} – {}  {}  {}: \"{}\"",
            r.from, r.to, r.id, r.what, r.as_reported
        ));
        for q in &r.citations {
            lines.push(format!(
                "    {} ({}): \"{}\"",
                q.outlet, q.published, q.quote
            ));
        }
    }
    lines.push(doc.note.to_string());
    lines.extend(doc.credits.iter().map(|c| format!("Data: {c}")));
    lines
}
