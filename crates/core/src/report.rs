//! The engine's answers as stable JSON documents and plain-text tables, for the command line
//! and for anyone scripting against it. The JSON shapes are part of the public interface and
//! are pinned by tests in `tests/cli.rs`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::engine::{CiteRef, Engine};
use crate::model::{Dataset, Moment};
use crate::timefmt::{instant_label, moment_short, rfc3339_local};

#[derive(Serialize)]
pub struct StatusDoc {
    pub at: String,
    pub known_on: Option<String>,
    /// The last instant the reports (known on `known_on`) speak for.
    pub reports_until: Option<String>,
    /// Whose word counts, when a filter is on (`status --sources/--sides/--actor`); omitted
    /// when every source counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<FilterDoc>,
    pub zones: Vec<ZoneDoc>,
}

/// The filter behind a document: ids as the flags take them, and the sentence the app shows.
#[derive(Serialize)]
pub struct FilterDoc {
    /// Source ids, `null` for every source.
    pub sources: Option<Vec<String>>,
    /// Side ids, `null` for every side.
    pub sides: Option<Vec<String>>,
    /// Actors, `null` for every actor.
    pub actors: Option<Vec<String>>,
    /// "According to: RFE/RL, Middle East Eye".
    pub according_to: String,
}

/// The engine's filter, for a document; `None` without one.
pub fn filter_doc(engine: &Engine) -> Option<FilterDoc> {
    let ds = engine.dataset();
    let filter = engine.filter()?;
    let according_to = filter.according_to(ds)?;
    let ids = |set: &Option<std::collections::BTreeSet<usize>>, id: &dyn Fn(usize) -> String| {
        set.as_ref().map(|s| s.iter().map(|&i| id(i)).collect())
    };
    Some(FilterDoc {
        sources: ids(&filter.sources, &|i| ds.sources[i].id.clone()),
        sides: ids(&filter.sides, &|i| ds.meta.sides[i].id.clone()),
        actors: filter.actors.as_ref().map(|a| a.iter().cloned().collect()),
        according_to,
    })
}

#[derive(Serialize)]
pub struct ZoneDoc {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub contested: bool,
    pub instrument: Option<String>,
    pub since: Option<String>,
    pub since_precision: Option<&'static str>,
    pub until: Option<String>,
    pub until_precision: Option<&'static str>,
    pub citations: Vec<CitationDoc>,
    pub disputed_by: Vec<CitationDoc>,
    /// The publication day of the latest report behind the status, `2016-05-04`.
    pub last_reported: Option<String>,
    /// The instant lies past what the reports can speak for: the status is "as last reported".
    pub after_reports: bool,
}

#[derive(Serialize)]
pub struct CitationDoc {
    pub source: String,
    pub outlet: String,
    pub published: String,
    pub quote: String,
    pub speaker: Option<String>,
    pub event: String,
}

#[derive(Serialize)]
pub struct EventsDoc {
    pub events: Vec<EventDoc>,
}

#[derive(Serialize)]
pub struct EventDoc {
    pub id: String,
    pub time: String,
    pub precision: &'static str,
    /// The time as the reports phrase it ("late on Friday").
    pub as_reported: Option<String>,
    pub kind: &'static str,
    pub zones: Vec<String>,
    pub actor: String,
    pub instrument: Option<String>,
    pub citations: Vec<EventCitationDoc>,
    /// The dataset author's reasoning (how an undated event was placed...).
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct EventCitationDoc {
    pub source: String,
    pub outlet: String,
    pub quote: String,
}

/// A moment as RFC 3339 in the dataset's time zone, and its precision.
pub(crate) fn moment_text(
    m: &Option<Moment>,
    ds: &Dataset,
) -> (Option<String>, Option<&'static str>) {
    match m {
        Some(m) => (
            Some(rfc3339_local(m.utc(), ds.meta.timezone)),
            Some(m.precision.as_str()),
        ),
        None => (None, None),
    }
}

pub fn citation_doc(ds: &Dataset, cite: CiteRef) -> CitationDoc {
    let view = crate::present::citation(ds, cite);
    CitationDoc {
        source: view.source_id,
        outlet: view.outlet,
        published: view.published,
        quote: view.quote,
        speaker: view.speaker,
        event: view.event_id,
    }
}

pub fn status_doc(
    engine: &Engine,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
) -> StatusDoc {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let zones = ds
        .zones
        .iter()
        .enumerate()
        .map(|(z, zone)| {
            let r = engine.status(z, at, known_on);
            let (since, since_precision) = moment_text(&r.since, ds);
            let (until, until_precision) = moment_text(&r.until, ds);
            let last_reported = engine
                .last_reported(r)
                .map(|m| crate::timefmt::local(m.utc(), tz).date_naive().to_string());
            ZoneDoc {
                id: zone.id.clone(),
                name: zone.name.clone(),
                status: r.status.as_str(),
                contested: r.contested,
                instrument: r.instrument.map(|i| ds.instruments[i].id.clone()),
                since,
                since_precision,
                until,
                until_precision,
                citations: r.citations.iter().map(|&c| citation_doc(ds, c)).collect(),
                disputed_by: r.disputed_by.iter().map(|&c| citation_doc(ds, c)).collect(),
                last_reported,
                after_reports: engine.after_reports(at, known_on),
            }
        })
        .collect();
    StatusDoc {
        at: rfc3339_local(at, tz),
        known_on: known_on.map(|k| rfc3339_local(k, tz)),
        reports_until: engine.horizon(known_on).map(|h| rfc3339_local(h, tz)),
        filter: filter_doc(engine),
        zones,
    }
}

/// Which events a listing shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventFilter {
    /// Only the events concerning this zone.
    pub zone: Option<usize>,
    /// Only the editorial choices: events with a note, or placed at an approximate time.
    pub notes: bool,
}

/// The events the filter lets through, in time order.
pub fn filtered_events(engine: &Engine, filter: EventFilter) -> Vec<usize> {
    let ds = engine.dataset();
    let all: Vec<usize> = match filter.zone {
        Some(z) => engine.zone_events(z).to_vec(),
        None => (0..ds.events.len()).collect(),
    };
    all.into_iter()
        .filter(|&i| {
            let ev = &ds.events[i];
            !filter.notes
                || ev.note.is_some()
                || ev.moment.precision == crate::model::Precision::Approximate
        })
        .collect()
}

pub fn events_doc(engine: &Engine, filter: EventFilter) -> EventsDoc {
    let ds = engine.dataset();
    let events = filtered_events(engine, filter)
        .into_iter()
        .map(|i| {
            let ev = &ds.events[i];
            EventDoc {
                id: ev.id.clone(),
                time: ev.moment.time.to_rfc3339(),
                precision: ev.moment.precision.as_str(),
                as_reported: ev.as_reported.clone(),
                kind: ev.kind.as_str(),
                zones: ev.zones.iter().map(|&z| ds.zones[z].id.clone()).collect(),
                actor: ev.actor.clone(),
                instrument: ev.instrument.map(|i| ds.instruments[i].id.clone()),
                citations: ev
                    .citations
                    .iter()
                    .map(|c| EventCitationDoc {
                        source: ds.sources[c.source].id.clone(),
                        outlet: ds.sources[c.source].outlet.clone(),
                        quote: c.quote.clone(),
                    })
                    .collect(),
                note: ev.note.clone(),
            }
        })
        .collect();
    EventsDoc { events }
}

/// A readable table of every zone's status, with the first quote behind each. Past the last
/// report it says so: every status is then only as last reported.
pub fn status_table(engine: &Engine, at: DateTime<Utc>, known_on: Option<DateTime<Utc>>) -> String {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let mut out = format!("Status at {}", instant_label(at, tz));
    if let Some(k) = known_on {
        out.push_str(&format!(", as known on {}", instant_label(k, tz)));
    }
    out.push_str(&format!("\nDataset: {}\n", ds.meta.name));
    if let Some(according_to) = engine.filter().and_then(|f| f.according_to(ds)) {
        out.push_str(&format!(
            "{according_to}. Every status below is recomputed from those reports alone.\n"
        ));
    }
    if let (true, Some(h)) = (engine.after_reports(at, known_on), engine.horizon(known_on)) {
        out.push_str(&format!(
            "After the last report: the reports speak up to {}; every status below is as last reported.\n",
            instant_label(h, tz)
        ));
    }
    out.push('\n');
    status_rows(engine, at, known_on, &mut out);
    for (z, zone) in ds.zones.iter().enumerate() {
        lead_quotes(ds, &zone.name, engine.status(z, at, known_on), &mut out);
    }
    out
}

/// `text` followed by spaces up to `width` terminal columns: a Chinese character takes two, a
/// combining accent none, so padding by `char`s would misalign the table.
pub fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// One row per zone, columns padded by terminal columns.
fn status_rows(
    engine: &Engine,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
    out: &mut String,
) {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let width = ds
        .zones
        .iter()
        .map(|z| unicode_width::UnicodeWidthStr::width(z.name.as_str()))
        .max()
        .unwrap_or(4)
        .max(4);
    out.push_str(&format!(
        "{}  {:<12} {:<10} {:<14} {:<14} {:<12} INSTRUMENT\n",
        pad("ZONE", width),
        "STATUS",
        "CONTESTED",
        "SINCE",
        "UNTIL",
        "LAST REPORT"
    ));
    for (z, zone) in ds.zones.iter().enumerate() {
        let r = engine.status(z, at, known_on);
        let short = |m: &Option<Moment>| {
            m.as_ref()
                .map(|m| moment_short(m, tz))
                .unwrap_or_else(|| "-".into())
        };
        let reported = engine.last_reported(r).map(|m| {
            crate::timefmt::local(m.utc(), tz)
                .format("%-d %b %Y")
                .to_string()
        });
        out.push_str(&format!(
            "{}  {:<12} {:<10} {:<14} {:<14} {:<12} {}\n",
            pad(&zone.name, width),
            r.status.as_str(),
            if r.contested { "yes" } else { "no" },
            short(&r.since),
            short(&r.until),
            reported.as_deref().unwrap_or("-"),
            r.instrument
                .map(|i| ds.instruments[i].name.as_str())
                .unwrap_or("-"),
        ));
    }
}

/// The first quote behind a zone's status, and the first dissent.
fn lead_quotes(ds: &Dataset, zone: &str, r: &crate::engine::Resolution, out: &mut String) {
    if let Some(&first) = r.citations.first() {
        let c = citation_doc(ds, first);
        out.push_str(&format!(
            "\n{zone}: \"{}\"\n    ({}, {})",
            c.quote, c.outlet, c.published
        ));
        if r.citations.len() > 1 {
            out.push_str(&format!(" and {} more", r.citations.len() - 1));
        }
        out.push('\n');
    }
    if let Some(&first) = r.disputed_by.first() {
        let c = citation_doc(ds, first);
        out.push_str(&format!(
            "  disputed: \"{}\"\n    ({}, {})\n",
            c.quote, c.outlet, c.published
        ));
    }
}

pub fn events_table(engine: &Engine, filter: EventFilter) -> String {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let mut out = String::new();
    for i in filtered_events(engine, filter) {
        let ev = &ds.events[i];
        let zones: Vec<&str> = ev.zones.iter().map(|&z| ds.zones[z].id.as_str()).collect();
        out.push_str(&format!(
            "{:<16} {:<14} {:<28} {}\n    by {}{}\n",
            moment_short(&ev.moment, tz),
            ev.kind.as_str(),
            ev.id,
            zones.join(", "),
            ev.actor,
            ev.instrument
                .map(|i| format!(" · {}", ds.instruments[i].name))
                .unwrap_or_default()
        ));
        if let Some(text) = &ev.as_reported {
            out.push_str(&format!("    as reported: {text}\n"));
        }
        if let Some(note) = &ev.note {
            out.push_str(&format!("    note: {note}\n"));
        }
        for c in &ev.citations {
            out.push_str(&format!(
                "    \"{}\" ({})\n",
                c.quote, ds.sources[c.source].outlet
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pad;

    #[test]
    fn padding_counts_terminal_columns_not_characters() {
        assert_eq!(pad("Aleppo", 8), "Aleppo  ");
        // Two columns per Chinese character; a combining accent takes none.
        assert_eq!(pad("阿勒颇", 8), "阿勒颇  ");
        assert_eq!(pad("Ghoute\u{301}", 8), "Ghoute\u{301}  ");
        assert_eq!(pad("Eastern Ghouta", 4), "Eastern Ghouta");
    }
}

/// `diff --format json`: the two views and every zone that changed between them.
#[derive(Serialize)]
pub struct DiffDoc {
    pub from: ViewDoc,
    pub to: ViewDoc,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<FilterDoc>,
    pub changes: Vec<ChangeDoc>,
}

#[derive(Serialize)]
pub struct ViewDoc {
    pub at: String,
    pub known_on: Option<String>,
}

#[derive(Serialize)]
pub struct ChangeDoc {
    pub id: String,
    pub name: String,
    /// What changed: any of `status`, `contested`, `instrument`.
    pub changed: Vec<&'static str>,
    pub from: StateDoc,
    pub to: StateDoc,
    /// The zone's events one view counts and the other does not, in time order.
    pub events: Vec<EventRefDoc>,
}

#[derive(Serialize)]
pub struct StateDoc {
    pub status: &'static str,
    pub contested: bool,
    pub instrument: Option<String>,
}

#[derive(Serialize)]
pub struct EventRefDoc {
    pub id: String,
    pub time: String,
    pub kind: &'static str,
    pub actor: String,
}

fn state_doc(ds: &Dataset, r: &crate::engine::Resolution) -> StateDoc {
    StateDoc {
        status: r.status.as_str(),
        contested: r.contested,
        instrument: r.instrument.map(|i| ds.instruments[i].id.clone()),
    }
}

pub fn diff_doc(engine: &Engine, from: crate::compare::View, to: crate::compare::View) -> DiffDoc {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let view = |v: crate::compare::View| ViewDoc {
        at: rfc3339_local(v.at, tz),
        known_on: v.known_on.map(|k| rfc3339_local(k, tz)),
    };
    let changes = crate::compare::diff(engine, from, to)
        .into_iter()
        .map(|c| ChangeDoc {
            id: ds.zones[c.zone].id.clone(),
            name: ds.zones[c.zone].name.clone(),
            changed: c.changed.names(),
            from: state_doc(ds, c.from),
            to: state_doc(ds, c.to),
            events: c
                .events
                .iter()
                .map(|&e| {
                    let ev = &ds.events[e];
                    EventRefDoc {
                        id: ev.id.clone(),
                        time: rfc3339_local(ev.moment.utc(), tz),
                        kind: ev.kind.as_str(),
                        actor: ev.actor.clone(),
                    }
                })
                .collect(),
        })
        .collect();
    DiffDoc {
        from: view(from),
        to: view(to),
        filter: filter_doc(engine),
        changes,
    }
}

/// "Sun 1 May 2016, 12:00 Damascus (UTC+3), as known on …".
fn view_label(v: crate::compare::View, tz: chrono_tz::Tz) -> String {
    let mut text = instant_label(v.at, tz);
    if let Some(k) = v.known_on {
        text.push_str(&format!(", as known on {}", instant_label(k, tz)));
    }
    text
}

fn state_words(ds: &Dataset, r: &crate::engine::Resolution) -> String {
    let mut words = r.status.label().to_owned();
    if r.contested {
        words.push_str(" (contested)");
    }
    if let Some(i) = r.instrument {
        words.push_str(&format!(", {}", ds.instruments[i].name));
    }
    words
}

/// `diff`'s table: one paragraph per zone that changed, with the events between.
pub fn diff_table(engine: &Engine, from: crate::compare::View, to: crate::compare::View) -> String {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let mut out = format!(
        "From {}\n  to {}\nDataset: {}\n",
        view_label(from, tz),
        view_label(to, tz),
        ds.meta.name
    );
    if let Some(according_to) = engine.filter().and_then(|f| f.according_to(ds)) {
        out.push_str(&format!("{according_to}.\n"));
    }
    let changes = crate::compare::diff(engine, from, to);
    if changes.is_empty() {
        out.push_str("\nNo zone's status, contested flag or instrument changed.\n");
        return out;
    }
    for c in changes {
        out.push_str(&format!(
            "\n{}: {} -> {} (changed: {})\n",
            ds.zones[c.zone].name,
            state_words(ds, c.from),
            state_words(ds, c.to),
            c.changed.names().join(", ")
        ));
        for &e in &c.events {
            let ev = &ds.events[e];
            out.push_str(&format!(
                "  {} · {} · {}\n",
                moment_short(&ev.moment, tz),
                ev.kind.label(),
                ev.actor
            ));
        }
    }
    out
}

/// `truce-atlas areas --format json`: the areas a text matches, as documented in data/FORMAT.md
/// ("Zones by code").
#[derive(Serialize)]
pub struct AreasDoc {
    /// The basemap's data and version.
    pub source: String,
    pub query: String,
    pub country: Option<String>,
    pub areas: Vec<AreaDoc>,
}

#[derive(Serialize)]
pub struct AreaDoc {
    /// The code, exactly as `admin_code` takes it.
    pub code: String,
    /// "country" or "division".
    pub level: &'static str,
    /// The English name.
    pub name: String,
    /// "Country", or the division's kind in English.
    pub kind: String,
    /// The country's ISO 3166-1 alpha-2 code.
    pub country: String,
    /// The other names the data gives (other languages, spellings and former names).
    pub other_names: Vec<String>,
}

pub fn areas_doc(world: &crate::basemap::Basemap, query: &str, country: Option<&str>) -> AreasDoc {
    use crate::basemap::Layer;
    let areas = world
        .search(query, country)
        .into_iter()
        .map(|(layer, i)| {
            let a = &world.areas(layer)[i];
            AreaDoc {
                code: a.code.to_string(),
                level: match layer {
                    Layer::Countries => "country",
                    Layer::Regions => "division",
                },
                name: a.name.to_string(),
                kind: a.kind.to_string(),
                country: a.country.to_string(),
                other_names: a
                    .names()
                    .filter(|n| *n != a.name)
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect();
    AreasDoc {
        source: world.source_short().to_string(),
        query: query.to_string(),
        country: country.map(str::to_uppercase),
        areas,
    }
}

/// `truce-atlas areas`: one line per area, code first.
pub fn areas_table(doc: &AreasDoc) -> String {
    let code = doc
        .areas
        .iter()
        .map(|a| a.code.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let name = doc
        .areas
        .iter()
        .map(|a| a.name.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    let kind_of = |a: &AreaDoc| format!("{} / {}", a.kind, a.country);
    let kind = doc
        .areas
        .iter()
        .map(|a| kind_of(a).chars().count())
        .max()
        .unwrap_or(0)
        .max(14);
    let mut out = format!(
        "{}  {}  {}  OTHER NAMES\n",
        pad("CODE", code),
        pad("NAME", name),
        pad("KIND / COUNTRY", kind)
    );
    for a in &doc.areas {
        out.push_str(&format!(
            "{}  {}  {}  {}\n",
            pad(&a.code, code),
            pad(&a.name, name),
            pad(&kind_of(a), kind),
            a.other_names.join(", ")
        ));
    }
    out.push_str(&format!(
        "{} areas; codes and names from {}\n",
        doc.areas.len(),
        doc.source
    ));
    out
}
