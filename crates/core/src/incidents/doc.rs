//! `truce-atlas incidents`: the comparison as a stable JSON document (data/FORMAT.md, "The
//! incidents document"), a table and CSV.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Incidents, StatusStretch, Tally, by_status, heard};
use crate::engine::Engine;
use crate::model::incidents::{AggregateReport, Fatalities, When};
use crate::timefmt::rfc3339_local;

/// Said by every output: imported rows are not filtered like quotes.
pub const IMPORTED_NOTE: &str = "Imported files (ACLED, UCDP) carry no publication date and no quote: \"as known on\" and the source filters do not apply to their rows. Their summaries are the coder's, not quotes.";
pub const COUNTING_NOTE: &str = "An incident counts in every status interval its span overlaps: in `incidents` where it lies wholly inside, in `partly` where it overlaps only in part. Sets are never added together, nor aggregate reports to counts (data/FORMAT.md, \"Counting incidents\").";

#[derive(Serialize)]
pub struct IncidentsDoc {
    pub dataset: String,
    pub known_on: Option<String>,
    pub note: &'static str,
    pub counting: &'static str,
    pub sets: Vec<SetDoc>,
    pub zones: Vec<ZoneIncidentsDoc>,
    /// The credit lines the imported data's terms ask for.
    pub credits: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct SetDoc {
    /// The file's name, or `"dataset"`.
    pub set: String,
    /// `dataset`, `acled` or `ucdp`.
    pub kind: &'static str,
    pub incidents: u64,
    pub outside_zones: u64,
    /// Rows of the file that could not be read (each listed by `truce-atlas incidents`).
    pub skipped_rows: u64,
    pub credit: &'static str,
    /// Whether "as known on" and the source filters apply (the dataset's own records only).
    pub filtered_by_sources: bool,
}

#[derive(Serialize)]
pub struct ZoneIncidentsDoc {
    pub id: String,
    pub name: String,
    /// Per set, its incidents in the zone over all time.
    pub totals: Vec<CountDoc>,
    /// With `--by-status`: the zone's status intervals, each with its counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intervals: Option<Vec<IntervalDoc>>,
}

#[derive(Serialize)]
pub struct IntervalDoc {
    pub status: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Its length in days, when it has both ends.
    pub days: Option<f64>,
    pub sets: Vec<CountDoc>,
    /// The same counts over an equal stretch just before it (`null` without both ends).
    pub before: Option<BeforeDoc>,
    pub reports: Vec<ReportDoc>,
}

#[derive(Serialize)]
pub struct BeforeDoc {
    pub from: String,
    pub to: String,
    pub sets: Vec<CountDoc>,
}

#[derive(Serialize)]
pub struct CountDoc {
    pub set: String,
    pub incidents: u64,
    pub partly: u64,
    pub fatalities_best: Option<u64>,
    pub fatalities_low: Option<u64>,
}

#[derive(Serialize)]
pub struct ReportDoc {
    pub id: String,
    pub from: String,
    pub to: String,
    pub period_as_reported: Option<String>,
    pub what: String,
    pub as_reported: String,
    pub fatalities: FatalitiesDoc,
    pub citations: Vec<QuoteDoc>,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct FatalitiesDoc {
    pub low: Option<u32>,
    pub best: Option<u32>,
    pub high: Option<u32>,
}

#[derive(Serialize)]
pub struct QuoteDoc {
    pub source: String,
    pub outlet: String,
    pub published: String,
    pub quote: String,
    pub speaker: Option<String>,
}

/// Which zones and what detail the document holds.
#[derive(Debug, Clone, Copy)]
pub struct Ask {
    pub zone: Option<usize>,
    pub by_status: bool,
    pub known_on: Option<DateTime<Utc>>,
}

pub fn incidents_doc(engine: &Engine, incidents: &Incidents, ask: Ask) -> IncidentsDoc {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let sets = incidents
        .sets
        .iter()
        .map(|p| {
            let counted = |list: &mut dyn Iterator<Item = usize>| {
                list.filter(|&i| heard(engine, &p.set.incidents[i], ask.known_on))
                    .count() as u64
            };
            SetDoc {
                set: p.set.name.clone(),
                kind: p.set.kind.as_str(),
                incidents: counted(&mut (0..p.set.incidents.len())),
                outside_zones: counted(&mut p.outside.iter().map(|&i| i as usize)),
                skipped_rows: p.set.skipped_total,
                credit: p.set.kind.credit(),
                filtered_by_sources: p.set.kind == crate::model::incidents::SetKind::Dataset,
            }
        })
        .collect();
    let names: Vec<String> = incidents.sets.iter().map(|p| p.set.name.clone()).collect();
    let zones = (0..ds.zones.len())
        .filter(|&z| ask.zone.is_none_or(|only| only == z))
        .map(|z| {
            let totals = incidents
                .sets
                .iter()
                .map(|p| super::tally(engine, p, z, (None, None), ask.known_on))
                .collect::<Vec<_>>();
            let intervals = ask.by_status.then(|| {
                by_status(engine, incidents, z, ask.known_on)
                    .iter()
                    .map(|s| interval_doc(engine, s, &names))
                    .collect()
            });
            ZoneIncidentsDoc {
                id: ds.zones[z].id.clone(),
                name: ds.zones[z].name.clone(),
                totals: counts(&names, &totals),
                intervals,
            }
        })
        .collect();
    IncidentsDoc {
        dataset: ds.meta.name.clone(),
        known_on: ask.known_on.map(|k| rfc3339_local(k, tz)),
        note: IMPORTED_NOTE,
        counting: COUNTING_NOTE,
        sets,
        zones,
        credits: incidents.credits(),
    }
}

pub(super) fn counts(names: &[String], tallies: &[Tally]) -> Vec<CountDoc> {
    names
        .iter()
        .zip(tallies)
        .map(|(set, t)| CountDoc {
            set: set.clone(),
            incidents: t.whole,
            partly: t.partly,
            fatalities_best: t.best,
            fatalities_low: t.low,
        })
        .collect()
}

fn interval_doc(engine: &Engine, s: &StatusStretch, names: &[String]) -> IntervalDoc {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let time = |t: Option<DateTime<Utc>>| t.map(|t| rfc3339_local(t, tz));
    let before = match (&s.before, s.from, s.seconds()) {
        (Some(tallies), Some(from), Some(len)) => Some(BeforeDoc {
            from: rfc3339_local(from - chrono::Duration::seconds(len), tz),
            to: rfc3339_local(from, tz),
            sets: counts(names, tallies),
        }),
        _ => None,
    };
    IntervalDoc {
        status: s.status.as_str(),
        from: time(s.from),
        to: time(s.to),
        days: s
            .seconds()
            .map(|secs| (secs as f64 / 86_400.0 * 100.0).round() / 100.0),
        sets: counts(names, &s.sets),
        before,
        reports: s
            .reports
            .iter()
            .map(|&r| report_doc(engine, &ds.incidents.reports[r]))
            .collect(),
    }
}

pub fn report_doc(engine: &Engine, r: &AggregateReport) -> ReportDoc {
    let ds = engine.dataset();
    let (from, to) = days(&r.when);
    ReportDoc {
        id: r.id.clone(),
        from,
        to,
        period_as_reported: r.period_as_reported.clone(),
        what: r.what.clone(),
        as_reported: r.as_reported.clone(),
        fatalities: fatalities_doc(r.fatalities),
        citations: r.citations.iter().map(|c| quote_doc(ds, c)).collect(),
        note: r.note.clone(),
    }
}

/// A citation with its source's id, outlet and publication day.
pub(super) fn quote_doc(ds: &crate::model::Dataset, c: &crate::model::Citation) -> QuoteDoc {
    let source = &ds.sources[c.source];
    QuoteDoc {
        source: source.id.clone(),
        outlet: source.outlet.clone(),
        published: source.published.time.format("%Y-%m-%d").to_string(),
        quote: c.quote.clone(),
        speaker: c.speaker.clone(),
    }
}

pub(super) fn fatalities_doc(f: Fatalities) -> FatalitiesDoc {
    FatalitiesDoc {
        low: f.low,
        best: f.best,
        high: f.high,
    }
}

/// A time as days, the first and last (`2016-04-23`, `2016-05-01`).
pub fn days(when: &When) -> (String, String) {
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    match *when {
        When::Instant(t, _) => (t.to_rfc3339(), t.to_rfc3339()),
        When::Day(d) => (day(d), day(d)),
        When::Period(a, b) => (day(a), day(b)),
    }
}

/// The document as a table: a line per zone and set, or per interval and set with `by_status`.
pub fn incidents_table(doc: &IncidentsDoc) -> String {
    let mut out = String::new();
    for s in &doc.sets {
        out.push_str(&format!(
            "set {}: {} incidents, {} outside the zones{}\n",
            s.set,
            s.incidents,
            s.outside_zones,
            if s.skipped_rows > 0 {
                format!(", {} rows skipped", s.skipped_rows)
            } else {
                String::new()
            }
        ));
    }
    for z in &doc.zones {
        out.push_str(&format!("\n{} ({})\n", z.name, z.id));
        for c in &z.totals {
            out.push_str(&format!("  all time, {}: {}\n", c.set, count_words(c)));
        }
        for iv in z.intervals.iter().flatten() {
            let to = iv.to.as_deref().unwrap_or("(open)");
            let from = iv.from.as_deref().unwrap_or("(start)");
            out.push_str(&format!("  {} {from} – {to}\n", iv.status));
            for (k, c) in iv.sets.iter().enumerate() {
                let before = iv.before.as_ref().and_then(|b| b.sets.get(k));
                let before = before.map_or(String::new(), |b| {
                    format!("; the same length before: {}", count_words(b))
                });
                out.push_str(&format!("    {}: {}{before}\n", c.set, count_words(c)));
            }
            for r in &iv.reports {
                let quote = r.citations.first().map_or("", |c| c.quote.as_str());
                out.push_str(&format!(
                    "    report {}: {}: \"{}\" ({} – {}): \"{quote}\"\n",
                    r.id, r.what, r.as_reported, r.from, r.to
                ));
            }
        }
    }
    out.push_str(&format!("\n{}\n{}\n", doc.counting, doc.note));
    for c in &doc.credits {
        out.push_str(&format!("Data: {c}\n"));
    }
    out
}

pub(super) fn count_words(c: &CountDoc) -> String {
    let mut text = format!("{} incidents", c.incidents);
    if c.partly > 0 {
        text.push_str(&format!(" (+{} partly)", c.partly));
    }
    if let Some(b) = c.fatalities_best {
        text.push_str(&format!(", {b} killed (best)"));
    }
    if let Some(l) = c.fatalities_low {
        text.push_str(&format!(", at least {l} (low)"));
    }
    text
}

/// One stretch of a zone as a CSV writes it: all time, or one status interval.
struct CsvStretch<'a> {
    status: &'a str,
    from: &'a str,
    to: &'a str,
    days: String,
    sets: &'a [CountDoc],
    before: Option<&'a BeforeDoc>,
    reports: String,
}

impl<'a> CsvStretch<'a> {
    fn of_zone(z: &'a ZoneIncidentsDoc) -> Vec<CsvStretch<'a>> {
        match &z.intervals {
            Some(ivs) => ivs
                .iter()
                .map(|iv| CsvStretch {
                    status: iv.status,
                    from: iv.from.as_deref().unwrap_or_default(),
                    to: iv.to.as_deref().unwrap_or_default(),
                    days: iv.days.map(|d| d.to_string()).unwrap_or_default(),
                    sets: &iv.sets,
                    before: iv.before.as_ref(),
                    reports: iv
                        .reports
                        .iter()
                        .map(|r| r.id.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                })
                .collect(),
            None => vec![CsvStretch {
                status: "",
                from: "",
                to: "",
                days: String::new(),
                sets: &z.totals,
                before: None,
                reports: String::new(),
            }],
        }
    }
}

/// The document as CSV: a row per zone, interval (or all time) and set.
pub fn incidents_csv(doc: &IncidentsDoc, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "zone",
        "status",
        "from",
        "to",
        "days",
        "set",
        "incidents",
        "partly",
        "fatalities_best",
        "fatalities_low",
        "before_incidents",
        "before_partly",
        "reports",
        "credit",
    ])?;
    let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    // Each row carries its set's credit line: a CSV travels without the page it came with.
    let credit = |c: &CountDoc| {
        doc.sets
            .iter()
            .find(|s| s.set == c.set)
            .map_or("", |s| s.credit)
    };
    for z in &doc.zones {
        for s in CsvStretch::of_zone(z) {
            for (k, c) in s.sets.iter().enumerate() {
                let b = s.before.and_then(|b| b.sets.get(k));
                w.write_record([
                    z.id.as_str(),
                    s.status,
                    s.from,
                    s.to,
                    &s.days,
                    &c.set,
                    &c.incidents.to_string(),
                    &c.partly.to_string(),
                    &opt(c.fatalities_best),
                    &opt(c.fatalities_low),
                    &b.map(|b| b.incidents.to_string()).unwrap_or_default(),
                    &b.map(|b| b.partly.to_string()).unwrap_or_default(),
                    &s.reports,
                    credit(c),
                ])?;
            }
        }
    }
    w.flush()
}

/// What `status --incidents` adds: each zone's incidents of the days up to the instant, set
/// by set, and whether "violence was reported during the truce" on the instant's day.
#[derive(Serialize)]
pub struct StatusIncidentsDoc {
    /// `[from, to)`: the 7 local days up to and including the instant's.
    pub from: String,
    pub to: String,
    pub note: &'static str,
    pub zones: Vec<StatusZoneIncidentsDoc>,
    pub credits: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct StatusZoneIncidentsDoc {
    pub id: String,
    pub sets: Vec<WindowCountDoc>,
    /// In effect at the instant with an incident on its local day (a fact about the records).
    pub violence_reported_during_truce: bool,
}

#[derive(Serialize)]
pub struct WindowCountDoc {
    pub set: String,
    pub incidents: u64,
    /// Each one's best figure, else its low one, summed; `null` when none gives one.
    pub killed_at_least: Option<u64>,
}

pub fn status_incidents_doc(
    engine: &Engine,
    incidents: &Incidents,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
) -> Option<StatusIncidentsDoc> {
    use super::view::{Days, violence_during_truce, window, window_counts};
    let tz = engine.dataset().meta.timezone;
    let range = window(at, tz, Days::Week)?;
    let time = |t: i64| DateTime::from_timestamp(t, 0).map(|t| rfc3339_local(t, tz));
    let zones = (0..engine.dataset().zones.len())
        .map(|z| StatusZoneIncidentsDoc {
            id: engine.dataset().zones[z].id.clone(),
            sets: incidents
                .sets
                .iter()
                .zip(window_counts(engine, incidents, z, range, known_on))
                .map(|(p, c)| WindowCountDoc {
                    set: p.set.name.clone(),
                    incidents: c.incidents,
                    killed_at_least: c.killed,
                })
                .collect(),
            violence_reported_during_truce: violence_during_truce(
                engine, incidents, z, at, known_on,
            ),
        })
        .collect();
    Some(StatusIncidentsDoc {
        from: time(range.0)?,
        to: time(range.1)?,
        note: IMPORTED_NOTE,
        zones,
        credits: incidents.credits(),
    })
}
