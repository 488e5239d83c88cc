//! `incidents.json`: the dataset's own incidents and aggregate reports, as strict as the other
//! files. Each cites the dataset's sources with verbatim quotes, like an event.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::events::{RawCitation, Refs, citations, zone_refs};
use super::json::Text;
use super::limits::{MAX_INCIDENTS, MAX_LONG_TEXT_CHARS, MAX_NAME_CHARS, MAX_REPORTS};
use super::report::{Collector, Scope};
use super::times::{max_time, parse_time};
use super::{INCIDENTS_FILE, KnownIds, Record, check_id, parse_record, top, within_count};
use crate::model::incidents::{
    AggregateReport, Basis, Fatalities, Incident, IncidentSet, Reach, Span, When, Where, Words,
};
use crate::model::{Precision, Source, Zone};
use crate::timefmt::span_of;

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a JSON object with an `incidents` or a `reports` array"
)]
struct Top<'a> {
    #[serde(rename = "$schema", default)]
    _schema: Option<serde::de::IgnoredAny>,
    #[serde(borrow, default)]
    incidents: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    reports: Vec<&'a RawValue>,
}

/// Deaths as the source gives them; leave out what it does not say (data/FORMAT.md, "From
/// words to numbers").
#[derive(Deserialize, schemars::JsonSchema, Default, Clone, Copy)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Fatalities")]
pub(super) struct RawFatalities {
    /// The least the source's words allow ("more than 50": 51; "hundreds": 200).
    #[serde(default)]
    low: Option<u32>,
    /// A figure the source gives as its estimate; never invented from words.
    #[serde(default)]
    best: Option<u32>,
    /// The most the source's words allow.
    #[serde(default)]
    high: Option<u32>,
}

/// One incident: when, where, what, who and how many died, with the quotes that say so.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Incident")]
pub(super) struct RawIncident {
    /// Unique among the incidents and reports.
    id: String,
    /// A date (`2016-04-28`, the local day) or an RFC 3339 time read to the minute or hour.
    time: String,
    /// `minute`, `hour` or `day` (a date's precision is `day`).
    precision: String,
    /// The last day of a period (a date), when the source gives days rather than one.
    #[serde(default)]
    until: Option<String>,
    /// `[longitude, latitude]`, when a place is known.
    #[serde(default)]
    point: Option<[f64; 2]>,
    /// What the point stands for: `exact` (the default), `province` or `country`.
    #[serde(default)]
    reach: Option<String>,
    /// The zones' ids, when no point is known.
    #[serde(default)]
    zones: Vec<String>,
    /// The place as the source names it.
    #[serde(default)]
    location: Option<String>,
    /// The type as the source gives it, e.g. "Air strike".
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    sub_type: Option<String>,
    #[serde(default)]
    actors: Vec<String>,
    #[serde(default)]
    fatalities: RawFatalities,
    #[schemars(length(min = 1))]
    citations: Vec<RawCitation>,
    #[serde(default)]
    note: Option<String>,
}

impl Record for RawIncident {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A total a source states over a period and an area, e.g. "several hundred civilians" killed
/// in "more than a week": shown beside the counts, never added to them.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AggregateReport")]
pub(super) struct RawReport {
    /// Unique among the incidents and reports.
    id: String,
    /// The period's first local day (a date).
    from: String,
    /// The period's last local day (a date), included.
    to: String,
    /// The period in the source's words, e.g. "more than a week".
    #[serde(default)]
    period_as_reported: Option<String>,
    /// The zones the total is about.
    zones: Vec<String>,
    /// Who the figure counts, e.g. "civilians killed".
    what: String,
    /// The figure in the source's words, e.g. "several hundred".
    as_reported: String,
    #[serde(default)]
    fatalities: RawFatalities,
    #[schemars(length(min = 1))]
    citations: Vec<RawCitation>,
    #[serde(default)]
    note: Option<String>,
}

impl Record for RawReport {
    fn id(&self) -> &str {
        &self.id
    }
}

pub(super) fn read(
    text: &Text<'_>,
    tz: Option<Tz>,
    zones: &[Zone],
    sources: &[Source],
    known: &KnownIds,
    c: &mut Collector,
) -> IncidentSet {
    let mut set = IncidentSet::default();
    let Some(top) = top::<Top<'_>>(text, INCIDENTS_FILE, c) else {
        return set;
    };
    if !within_count(
        top.incidents.len(),
        MAX_INCIDENTS,
        "incidents",
        INCIDENTS_FILE,
        c,
    ) || !within_count(top.reports.len(), MAX_REPORTS, "reports", INCIDENTS_FILE, c)
    {
        return set;
    }
    let refs = Refs::places_and_sources(zones, sources, known);
    let mut r = Reader {
        tz,
        refs: &refs,
        seen: HashSet::new(),
        words: Words::new(),
    };
    for (i, raw) in top.incidents.iter().enumerate() {
        if let Some((raw, mut s)) =
            parse_record::<RawIncident>(text, INCIDENTS_FILE, "incidents", i, raw, c)
            && let Some(incident) = r.incident(raw, &mut s)
            && s.ok()
        {
            set.incidents.push(incident);
        }
    }
    for (i, raw) in top.reports.iter().enumerate() {
        if let Some((raw, mut s)) =
            parse_record::<RawReport>(text, INCIDENTS_FILE, "reports", i, raw, c)
            && let Some(report) = r.report(raw, &mut s)
            && s.ok()
        {
            set.reports.push(report);
        }
    }
    set.words = r.words.into_list();
    set.incidents.sort_by_key(|i| i.span);
    set.reports.sort_by_key(|r| r.span);
    set
}

struct Reader<'a> {
    tz: Option<Tz>,
    refs: &'a Refs<'a>,
    seen: HashSet<String>,
    words: Words,
}

impl Reader<'_> {
    fn incident(&mut self, raw: RawIncident, s: &mut Scope<'_>) -> Option<Incident> {
        check_id(&raw.id, &mut self.seen, "incident", s);
        for (field, text) in [
            ("type", raw.kind.as_str()),
            ("sub_type", raw.sub_type.as_deref().unwrap_or("")),
            ("location", raw.location.as_deref().unwrap_or("")),
        ] {
            s.limit(field, text, MAX_NAME_CHARS);
        }
        if raw.kind.trim().is_empty() {
            s.add("`type` is empty: give the type of incident as the source describes it");
        }
        for actor in &raw.actors {
            s.limit("actors", actor, MAX_NAME_CHARS);
        }
        s.limit(
            "note",
            raw.note.as_deref().unwrap_or(""),
            MAX_LONG_TEXT_CHARS,
        );
        let place = self.place(&raw, s);
        let when = self.when(&raw, s);
        let fatalities = fatalities(raw.fatalities, s);
        let citations = citations(&raw.citations, self.refs, s);
        let reported = reported(&citations, self.refs)?;
        let (when, span) = when?;
        let actors = raw.actors.iter().map(|a| self.words.id(a)).collect();
        Some(Incident {
            id: raw.id.into(),
            when,
            span,
            place: place?,
            kind: self.words.id(&raw.kind),
            sub_kind: self.words.id(raw.sub_type.as_deref().unwrap_or("")),
            actors,
            location: self.words.id(raw.location.as_deref().unwrap_or("")),
            admin1: 0,
            source: 0,
            fatalities,
            basis: Basis::Cited {
                citations,
                reported,
                note: raw.note.filter(|n| !n.trim().is_empty()),
            },
        })
    }

    /// A point, or zones, never both.
    fn place(&self, raw: &RawIncident, s: &mut Scope<'_>) -> Option<Where> {
        let reach = match raw.reach.as_deref() {
            None | Some("exact") => Reach::Exact,
            Some("province") => Reach::Province,
            Some("country") => Reach::Country,
            Some(other) => {
                s.add(format!(
                    "`reach`: \"{other}\" is not one of exact, province, country"
                ));
                return None;
            }
        };
        match (raw.point, raw.zones.is_empty()) {
            (Some(_), false) => {
                s.add("give either `point` or `zones`, not both");
                None
            }
            (Some([lon, lat]), true) => {
                if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                    s.add(format!(
                        "`point`: [{lon}, {lat}] is not a longitude in -180..180 and a latitude in -90..90"
                    ));
                    return None;
                }
                Some(Where::Point { lon, lat, reach })
            }
            (None, _) => {
                if raw.reach.is_some() {
                    s.add("`reach` goes with a `point`");
                }
                if raw.zones.is_empty() {
                    s.add("give a `point` or the `zones` where it happened");
                    return None;
                }
                let zones = zone_refs(&raw.zones, self.refs, s);
                Some(Where::Zones(zones.into_iter().map(|z| z as u32).collect()))
            }
        }
    }

    fn when(&self, raw: &RawIncident, s: &mut Scope<'_>) -> Option<(When, Span)> {
        let precision = match Precision::parse(&raw.precision) {
            Some(p @ (Precision::Minute | Precision::Hour | Precision::Day)) => p,
            _ => {
                s.add(format!(
                    "`precision`: \"{}\" is not one of minute, hour, day (a period is `time` and `until`, two dates)",
                    raw.precision
                ));
                return None;
            }
        };
        let tz = self.tz?;
        let when = if precision == Precision::Day || raw.until.is_some() {
            let first = date(&raw.time, "time", s)?;
            if precision != Precision::Day {
                s.add(
                    "a period (`until`) is given in days: `time` is a date and `precision` is day",
                );
                return None;
            }
            match raw.until.as_deref() {
                None => When::Day(first),
                Some(until) => {
                    let last = date(until, "until", s)?;
                    if last < first {
                        s.add(format!("`until` {last} is before `time` {first}"));
                        return None;
                    }
                    When::Period(first, last)
                }
            }
        } else {
            let t: DateTime<FixedOffset> = parse_time(&raw.time, Some(tz), "time", s)?;
            When::Instant(t, precision)
        };
        span(&when, tz, s).map(|span| (when, span))
    }

    fn report(&mut self, raw: RawReport, s: &mut Scope<'_>) -> Option<AggregateReport> {
        check_id(&raw.id, &mut self.seen, "report", s);
        s.limit("what", &raw.what, MAX_NAME_CHARS);
        s.limit("as_reported", &raw.as_reported, MAX_NAME_CHARS);
        let period_words = raw.period_as_reported.as_deref().unwrap_or("");
        s.limit("period_as_reported", period_words, MAX_NAME_CHARS);
        s.limit(
            "note",
            raw.note.as_deref().unwrap_or(""),
            MAX_LONG_TEXT_CHARS,
        );
        if raw.what.trim().is_empty() {
            s.add("`what` is empty: say who the figure counts, e.g. \"civilians killed\"");
        }
        if raw.as_reported.trim().is_empty() {
            s.add("`as_reported` is empty: give the figure in the source's words");
        }
        let zones = zone_refs(&raw.zones, self.refs, s);
        let fatalities = fatalities(raw.fatalities, s);
        let citations = citations(&raw.citations, self.refs, s);
        let first = date(&raw.from, "from", s);
        let last = date(&raw.to, "to", s);
        let reported = reported(&citations, self.refs)?;
        let (first, last) = (first?, last?);
        if last < first {
            s.add(format!("`to` {last} is before `from` {first}"));
            return None;
        }
        let when = When::Period(first, last);
        let span = span(&when, self.tz?, s)?;
        Some(AggregateReport {
            id: raw.id,
            when,
            span,
            period_as_reported: raw.period_as_reported.filter(|p| !p.trim().is_empty()),
            zones,
            what: raw.what,
            as_reported: raw.as_reported,
            fatalities,
            citations,
            reported,
            note: raw.note.filter(|n| !n.trim().is_empty()),
        })
    }
}

fn date(text: &str, field: &str, s: &mut Scope<'_>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) if d.format("%Y").to_string().len() == 4 => Some(d),
        _ => {
            s.add(format!(
                "`{field}` \"{text}\" is not a date such as 2016-04-28"
            ));
            None
        }
    }
}

fn span(when: &When, tz: Tz, s: &mut Scope<'_>) -> Option<Span> {
    let span = span_of(when, tz);
    let past = span.is_none_or(|sp| sp.end > max_time().timestamp() + 1);
    if past {
        s.add("the time falls outside years 0 to 9999");
        return None;
    }
    span
}

/// Low ≤ best ≤ high wherever two are given.
fn fatalities(raw: RawFatalities, s: &mut Scope<'_>) -> Fatalities {
    let f = Fatalities {
        low: raw.low,
        best: raw.best,
        high: raw.high,
    };
    let pairs = [
        ("low", f.low, "best", f.best),
        ("best", f.best, "high", f.high),
        ("low", f.low, "high", f.high),
    ];
    for (a, x, b, y) in pairs {
        if let (Some(x), Some(y)) = (x, y)
            && x > y
        {
            s.add(format!("`fatalities`: {a} {x} is more than {b} {y}"));
            break;
        }
    }
    f
}

/// When the record was first reported: its earliest source's publication. `None` without a
/// citation that could be read (a problem already says why).
fn reported(citations: &[crate::model::Citation], refs: &Refs<'_>) -> Option<DateTime<Utc>> {
    citations
        .iter()
        .filter_map(|c| refs.source_times.get(c.source).copied())
        .min()
}
