//! `events.json`: the instruments (truces) and the events, checked one rule at a time.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, FixedOffset, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::json::Text;
use super::limits::{
    MAX_CITATIONS_PER_EVENT, MAX_DURATION_HOURS, MAX_EVENTS, MAX_INSTRUMENTS, MAX_LONG_TEXT_CHARS,
    MAX_NAME_CHARS, MAX_QUOTE_CHARS,
};
use super::report::{Collector, Scope};
use super::times::{max_time, parse_time};
use super::{EVENTS_FILE, KnownIds, Record, check_id, parse_record, top, within_count};
use crate::model::{
    Citation, Event, EventKind, Instrument, Moment, Precision, Side, Source, VariantArray, Zone,
};

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a JSON object with an `events` array"
)]
struct Top<'a> {
    #[serde(rename = "$schema", default)]
    _schema: Option<serde::de::IgnoredAny>,
    #[serde(borrow, default)]
    instruments: Vec<&'a RawValue>,
    #[serde(borrow)]
    events: Vec<&'a RawValue>,
}

/// A truce, lull or cessation that events refer to.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Instrument")]
pub(super) struct RawInstrument {
    /// Unique among the instruments.
    pub(super) id: String,
    /// Its name, e.g. `Regime of calm of 30 April 2016`.
    pub(super) name: String,
    #[serde(default)]
    pub(super) description: String,
}

impl Record for RawInstrument {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A quote from a source, the evidence for an event.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Citation")]
pub(super) struct RawCitation {
    /// The source's id.
    pub(super) source: String,
    /// An exact excerpt of the source's article body.
    pub(super) quote: String,
    /// Who is speaking, if the quote is someone's words.
    #[serde(default)]
    pub(super) speaker: Option<String>,
}

/// What happened or was said, with the quotes that say so.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Event")]
pub(super) struct RawEvent {
    /// Unique among the events.
    pub(super) id: String,
    /// RFC 3339 with the offset in force locally (`+03:00` for Damascus in May 2016) or `Z`.
    pub(super) time: String,
    /// How exact `time` is.
    pub(super) precision: String,
    /// The time as the report phrases it, e.g. "late on Friday 29 April".
    #[serde(default)]
    pub(super) as_reported: Option<String>,
    /// What kind of event it is; data/FORMAT.md says what each does to the status.
    pub(super) kind: String,
    /// The ids of the zones it concerns.
    pub(super) zones: Vec<String>,
    /// Who announced, claimed or reported it.
    pub(super) actor: String,
    /// The id of the actor's group, one of the `sides` declared in dataset.json.
    #[serde(default)]
    pub(super) side: Option<String>,
    /// The instrument's id (needed by most kinds).
    #[serde(default)]
    pub(super) instrument: Option<String>,
    /// RFC 3339: when it ends, or until when a dispute holds.
    #[serde(default)]
    pub(super) until: Option<String>,
    /// Whole hours, instead of `until`.
    #[serde(default)]
    pub(super) duration_hours: Option<f64>,
    /// At least one quote.
    #[schemars(length(min = 1))]
    pub(super) citations: Vec<RawCitation>,
    /// Your reasoning, e.g. how an undated event was placed; shown in the app.
    #[serde(default)]
    pub(super) note: Option<String>,
}

impl Record for RawEvent {
    fn id(&self) -> &str {
        &self.id
    }
}

/// What events (and incidents) may refer to, by id.
pub(super) struct Refs<'a> {
    zones: HashMap<&'a str, usize>,
    sources: HashMap<&'a str, usize>,
    instruments: HashMap<&'a str, usize>,
    pub(super) source_times: Vec<DateTime<Utc>>,
    /// `None` when dataset.json could not be read: then `side` goes unchecked.
    sides: Option<HashMap<&'a str, usize>>,
    known: &'a KnownIds,
}

impl<'a> Refs<'a> {
    /// The zones and sources, for records that name no instrument or side (incidents).
    pub(super) fn places_and_sources(
        zones: &'a [Zone],
        sources: &'a [Source],
        known: &'a KnownIds,
    ) -> Self {
        Refs {
            zones: index(zones, |z| &z.id),
            sources: index(sources, |s| &s.id),
            instruments: HashMap::new(),
            source_times: sources.iter().map(|s| s.published.utc()).collect(),
            sides: None,
            known,
        }
    }
}

fn index<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<&str, usize> {
    items.iter().enumerate().map(|(i, x)| (id(x), i)).collect()
}

/// A spreadsheet's events, already in records (the workbook reader makes them from its rows):
/// they go through the same rules as events.json's, placed as `events[3] "id"`.
pub(super) struct EventRecords {
    pub(super) instruments: Vec<RawInstrument>,
    pub(super) events: Vec<RawEvent>,
}

pub fn read(
    text: &Text<'_>,
    tz: Option<Tz>,
    zones: &[Zone],
    sources: &[Source],
    sides: Option<&[Side]>,
    known: &KnownIds,
    c: &mut Collector,
) -> (Vec<Instrument>, Vec<Event>) {
    let Some(top) = top::<Top<'_>>(text, EVENTS_FILE, c) else {
        return (Vec::new(), Vec::new());
    };
    if !counts_ok(top.instruments.len(), top.events.len(), c) {
        return (Vec::new(), Vec::new());
    }
    let mut seen = HashSet::new();
    let mut instruments = Vec::with_capacity(top.instruments.len());
    for (i, raw) in top.instruments.iter().enumerate() {
        if let Some((raw, mut s)) =
            parse_record::<RawInstrument>(text, EVENTS_FILE, "instruments", i, raw, c)
        {
            instruments.extend(instrument(raw, &mut seen, &mut s));
        }
    }
    let mut rules = Rules::new(
        tz,
        zones,
        sources,
        &instruments,
        sides,
        known,
        top.events.len(),
    );
    for (i, raw) in top.events.iter().enumerate() {
        if let Some((raw, mut s)) = parse_record::<RawEvent>(text, EVENTS_FILE, "events", i, raw, c)
        {
            rules.take(raw, &mut s);
        }
    }
    let events = rules.finish(zones, &instruments, c);
    (instruments, events)
}

/// [`read`] for records made elsewhere (a spreadsheet's rows): no JSON text in between.
pub(super) fn read_records(
    records: EventRecords,
    tz: Option<Tz>,
    zones: &[Zone],
    sources: &[Source],
    sides: Option<&[Side]>,
    known: &KnownIds,
    c: &mut Collector,
) -> (Vec<Instrument>, Vec<Event>) {
    if !counts_ok(records.instruments.len(), records.events.len(), c) {
        return (Vec::new(), Vec::new());
    }
    let mut seen = HashSet::new();
    let mut instruments = Vec::with_capacity(records.instruments.len());
    for (i, raw) in records.instruments.into_iter().enumerate() {
        let place = super::record_place("instruments", i, Some(&raw.id));
        let mut s = c.scope(EVENTS_FILE, place, None);
        instruments.extend(instrument(raw, &mut seen, &mut s));
    }
    let n = records.events.len();
    let mut rules = Rules::new(tz, zones, sources, &instruments, sides, known, n);
    for (i, raw) in records.events.into_iter().enumerate() {
        let place = super::record_place("events", i, Some(&raw.id));
        let mut s = c.scope(EVENTS_FILE, place, None);
        rules.take(raw, &mut s);
    }
    let events = rules.finish(zones, &instruments, c);
    (instruments, events)
}

fn counts_ok(instruments: usize, events: usize, c: &mut Collector) -> bool {
    within_count(instruments, MAX_INSTRUMENTS, "instruments", EVENTS_FILE, c)
        & within_count(events, MAX_EVENTS, "events", EVENTS_FILE, c)
}

/// The events' rules with what they refer to, taking the events one by one.
struct Rules<'a> {
    tz: Option<Tz>,
    refs: Refs<'a>,
    seen: HashSet<String>,
    events: Vec<Event>,
}

impl<'a> Rules<'a> {
    fn new(
        tz: Option<Tz>,
        zones: &'a [Zone],
        sources: &'a [Source],
        instruments: &'a [Instrument],
        sides: Option<&'a [Side]>,
        known: &'a KnownIds,
        capacity: usize,
    ) -> Rules<'a> {
        let refs = Refs {
            zones: index(zones, |z| &z.id),
            sources: index(sources, |s| &s.id),
            instruments: index(instruments, |i| &i.id),
            source_times: sources.iter().map(|s| s.published.utc()).collect(),
            sides: sides.map(|sides| index(sides, |s| &s.id)),
            known,
        };
        Rules {
            tz,
            refs,
            seen: HashSet::new(),
            events: Vec::with_capacity(capacity),
        }
    }

    fn take(&mut self, raw: RawEvent, s: &mut Scope<'_>) {
        if let Some(event) = event(raw, self.tz, &self.refs, &mut self.seen, s) {
            self.events.push(event);
        }
    }

    fn finish(self, zones: &[Zone], instruments: &[Instrument], c: &mut Collector) -> Vec<Event> {
        let mut events = self.events;
        // Stable, so that events at the same instant keep the order the author gave them.
        events.sort_by_key(|e| e.moment.utc());
        check_runs_exist(&events, zones, instruments, c);
        events
    }
}

fn instrument(
    raw: RawInstrument,
    seen: &mut HashSet<String>,
    s: &mut Scope<'_>,
) -> Option<Instrument> {
    check_id(&raw.id, seen, "instrument", s);
    if raw.name.trim().is_empty() {
        s.add("instrument `name` is empty");
    }
    s.limit("name", &raw.name, MAX_NAME_CHARS);
    s.limit("description", &raw.description, MAX_LONG_TEXT_CHARS);
    s.ok().then_some(Instrument {
        id: raw.id,
        name: raw.name,
        description: raw.description,
    })
}

/// One event through every rule; `None` if any failed (each failure is a problem).
fn event(
    raw: RawEvent,
    tz: Option<Tz>,
    refs: &Refs<'_>,
    seen: &mut HashSet<String>,
    s: &mut Scope<'_>,
) -> Option<Event> {
    check_id(&raw.id, seen, "event", s);
    check_texts(&raw, s);
    let time = parse_time(&raw.time, tz, "time", s);
    let precision = precision(&raw.precision, s);
    let kind = kind(&raw.kind, s);
    if raw.actor.trim().is_empty() {
        s.add("`actor` is empty: say who announced or claimed it");
    }
    let zones = zone_refs(&raw.zones, refs, s);
    let instrument = instrument_ref(raw.instrument.as_deref(), kind, refs, s);
    let side = side_ref(raw.side.as_deref(), refs, s);
    let until = raw
        .until
        .as_deref()
        .and_then(|u| parse_time(u, tz, "until", s));
    check_order(time, until, s);
    let duration_hours = duration(raw.duration_hours, s);
    if let Some(kind) = kind {
        check_timing(kind, &raw, s);
    }
    check_duration_end(time, duration_hours, s);
    let citations = citations(&raw.citations, refs, s);
    let (Some(time), Some(precision), Some(kind), true) = (time, precision, kind, s.ok()) else {
        return None;
    };
    // Every event has a citation here, and each citation a source.
    let reported = citations
        .iter()
        .map(|cit| refs.source_times[cit.source])
        .min()?;
    Some(Event {
        id: raw.id,
        moment: Moment { time, precision },
        as_reported: raw.as_reported.filter(|s| !s.trim().is_empty()),
        kind,
        zones,
        actor: raw.actor,
        side,
        instrument,
        until: until.map(|time| Moment { time, precision }),
        duration_hours,
        citations,
        note: raw.note.filter(|s| !s.trim().is_empty()),
        reported,
    })
}

fn check_texts(raw: &RawEvent, s: &mut Scope<'_>) {
    s.limit("actor", &raw.actor, MAX_NAME_CHARS);
    s.limit(
        "as_reported",
        raw.as_reported.as_deref().unwrap_or(""),
        MAX_NAME_CHARS,
    );
    s.limit(
        "note",
        raw.note.as_deref().unwrap_or(""),
        MAX_LONG_TEXT_CHARS,
    );
}

fn precision(text: &str, s: &mut Scope<'_>) -> Option<Precision> {
    let p = Precision::parse(text);
    if p.is_none() {
        s.add(format!(
            "`precision` \"{text}\" is not one of minute, hour, day, approximate"
        ));
    }
    p
}

fn kind(text: &str, s: &mut Scope<'_>) -> Option<EventKind> {
    let k = EventKind::parse(text);
    if k.is_none() {
        let all: Vec<&str> = EventKind::VARIANTS.iter().map(|k| k.as_str()).collect();
        s.add(format!(
            "`kind` \"{text}\" is not one of {}",
            all.join(", ")
        ));
    }
    k
}

pub(super) fn zone_refs(ids: &[String], refs: &Refs<'_>, s: &mut Scope<'_>) -> Vec<usize> {
    if ids.is_empty() {
        s.add("`zones` is empty");
    }
    let mut out: Vec<usize> = Vec::with_capacity(ids.len());
    let mut listed = HashSet::with_capacity(ids.len());
    for z in ids {
        match refs.zones.get(z.as_str()) {
            Some(&zi) if listed.insert(zi) => out.push(zi),
            Some(_) => s.add(format!("`zones`: zone \"{z}\" is listed twice")),
            None => match refs.known.zones.as_ref() {
                Some(ids) if ids.contains(z.as_str()) => {
                    s.add(format!(
                        "`zones`: zone \"{z}\" could not be loaded (see zones.geojson)"
                    ));
                }
                Some(_) => s.add(format!(
                    "`zones`: unknown zone id \"{z}\" (not in zones.geojson; {})",
                    nearest("zones", z, refs.zones.keys().copied())
                )),
                // zones.geojson could not be read at all: that one problem says enough.
                None => s.fail(),
            },
        }
    }
    out
}

/// The event's side, which dataset.json must declare.
fn side_ref(id: Option<&str>, refs: &Refs<'_>, s: &mut Scope<'_>) -> Option<usize> {
    let id = id?;
    let Some(sides) = &refs.sides else {
        s.fail();
        return None;
    };
    let found = sides.get(id).copied();
    if found.is_none() {
        let declared: Vec<&str> = {
            let mut ids: Vec<&str> = sides.keys().copied().collect();
            ids.sort_unstable();
            ids.truncate(10);
            ids
        };
        let hint = if declared.is_empty() {
            "dataset.json declares no `sides`".to_owned()
        } else {
            format!("dataset.json declares: {}", declared.join(", "))
        };
        s.add(format!("`side`: unknown side \"{id}\" ({hint})"));
    }
    found
}

fn instrument_ref(
    id: Option<&str>,
    kind: Option<EventKind>,
    refs: &Refs<'_>,
    s: &mut Scope<'_>,
) -> Option<usize> {
    match id {
        Some(id) => {
            let found = refs.instruments.get(id).copied();
            if found.is_none() {
                s.add(format!(
                    "`instrument`: unknown instrument id \"{id}\" (not in `instruments`; {})",
                    nearest("instruments", id, refs.instruments.keys().copied())
                ));
            }
            found
        }
        None => {
            if let Some(kind) = kind.filter(|k| k.needs_instrument()) {
                s.add(format!("a `{}` event needs an `instrument`", kind.as_str()));
            }
            None
        }
    }
}

fn check_order(
    time: Option<DateTime<FixedOffset>>,
    until: Option<DateTime<FixedOffset>>,
    s: &mut Scope<'_>,
) {
    if let (Some(t), Some(u)) = (time, until)
        && u <= t
    {
        s.add(format!(
            "`until` {u} is not after `time` {t} (the end is before the start)"
        ));
    }
}

fn duration(hours: Option<f64>, s: &mut Scope<'_>) -> Option<u32> {
    let h = hours?;
    if h.is_finite() && h > 0.0 && h.fract() == 0.0 && h <= f64::from(MAX_DURATION_HOURS) {
        return Some(h as u32);
    }
    s.add(format!(
        "`duration_hours` {h} must be a positive whole number of hours, at most {MAX_DURATION_HOURS} (ten years)"
    ));
    None
}

/// Which kinds take an end, and which need one.
fn check_timing(kind: EventKind, raw: &RawEvent, s: &mut Scope<'_>) {
    let has_end = raw.until.is_some() || raw.duration_hours.is_some();
    if raw.until.is_some() && raw.duration_hours.is_some() {
        s.add("give either `until` or `duration_hours`, not both");
    }
    // A dispute may hold for a while only ("its own truce starts only on Thursday").
    let timed = matches!(
        kind,
        EventKind::TruceStart | EventKind::Extension | EventKind::ScheduledEnd | EventKind::Dispute
    );
    if !timed && has_end {
        s.add(format!(
            "a `{}` event takes no `until` or `duration_hours`",
            kind.as_str()
        ));
    }
    if matches!(kind, EventKind::Extension | EventKind::ScheduledEnd) && !has_end {
        s.add(format!(
            "a `{}` event needs `until` or `duration_hours`",
            kind.as_str()
        ));
    }
}

/// A duration may not carry the event's own end past the last writable time. (Chained
/// extensions are checked by the engine, which knows what each one extends.)
fn check_duration_end(time: Option<DateTime<FixedOffset>>, hours: Option<u32>, s: &mut Scope<'_>) {
    let (Some(t), Some(h)) = (time, hours) else {
        return;
    };
    let end = t
        .with_timezone(&Utc)
        .checked_add_signed(Duration::hours(i64::from(h)));
    if end.is_none_or(|end| end > max_time()) {
        s.add(format!(
            "`time` {t} plus `duration_hours` {h} ends after 9999-12-31T23:59:59Z, the last time that can be written"
        ));
    }
}

pub(super) fn citations(raws: &[RawCitation], refs: &Refs<'_>, s: &mut Scope<'_>) -> Vec<Citation> {
    if raws.is_empty() {
        s.add("no citations: every record needs at least one quote from a source");
    }
    if raws.len() > MAX_CITATIONS_PER_EVENT {
        s.add(format!(
            "{} citations; the limit is {MAX_CITATIONS_PER_EVENT} per event",
            raws.len()
        ));
        return Vec::new();
    }
    let mut out = Vec::with_capacity(raws.len());
    for (k, cit) in raws.iter().enumerate() {
        let at = format!("citations[{k}]");
        let source = refs.sources.get(cit.source.as_str()).copied();
        match (source, refs.known.sources.as_ref()) {
            (Some(_), _) => {}
            (None, Some(ids)) if ids.contains(cit.source.as_str()) => s.add_at(
                &at,
                format!(
                    "`source`: source \"{}\" could not be loaded (see sources.json)",
                    cit.source
                ),
            ),
            (None, Some(_)) => s.add_at(
                &at,
                if cit.source.trim().is_empty() {
                    "`source` is empty: give the id of the source quoted".to_string()
                } else {
                    format!(
                        "`source`: unknown source id \"{}\" (not in sources.json; {})",
                        cit.source,
                        nearest("sources", &cit.source, refs.sources.keys().copied())
                    )
                },
            ),
            // sources.json could not be read at all: that one problem says enough.
            (None, None) => s.fail(),
        }
        if cit.quote.trim().is_empty() {
            s.add_at(&at, "`quote` is empty");
        }
        if super::limits::too_long(&cit.quote, MAX_QUOTE_CHARS) {
            s.add_at(
                &at,
                format!(
                    "`quote` is {} characters long; the limit is {MAX_QUOTE_CHARS} (quote a short excerpt)",
                    cit.quote.chars().count()
                ),
            );
        }
        if let Some(speaker) = &cit.speaker
            && super::limits::too_long(speaker, MAX_NAME_CHARS)
        {
            s.add_at(
                &at,
                format!("`speaker` is longer than {MAX_NAME_CHARS} characters"),
            );
        }
        if let Some(source) = source {
            out.push(Citation {
                source,
                quote: cit.quote.trim().to_string(),
                speaker: cit.speaker.clone().filter(|s| !s.trim().is_empty()),
            });
        }
    }
    out
}

/// An extension or stated end must follow a start of the same instrument in each zone it names:
/// otherwise it extends nothing, which is almost always a wrong zone or instrument id.
fn check_runs_exist(
    events: &[Event],
    zones: &[Zone],
    instruments: &[Instrument],
    c: &mut Collector,
) {
    let mut started: HashSet<(usize, usize)> = HashSet::new();
    for e in events {
        let Some(instrument) = e.instrument else {
            continue;
        };
        for &z in &e.zones {
            match e.kind {
                EventKind::TruceStart => {
                    started.insert((z, instrument));
                }
                EventKind::Extension | EventKind::ScheduledEnd
                    if !started.contains(&(z, instrument)) =>
                {
                    c.add(
                        EVENTS_FILE,
                        format!("event \"{}\"", e.id),
                        format!(
                            "`{}` of instrument \"{}\" in zone \"{}\" comes before any `truce_start` of it there",
                            e.kind.as_str(),
                            instruments[instrument].id,
                            zones[z].id
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}

/// The ids nearest to a wrong one, for its message: `zones: aleppo, …` (the three nearest by
/// edit distance, then an ellipsis when there are more), or that there are none.
pub(super) fn nearest<'a>(what: &str, wrong: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let mut ids: Vec<&str> = ids.collect();
    if ids.is_empty() {
        return format!("there are no {what}");
    }
    let total = ids.len();
    ids.sort_by_cached_key(|id| {
        (
            strsim::levenshtein(&wrong.to_lowercase(), &id.to_lowercase()),
            *id,
        )
    });
    ids.truncate(3);
    let more = if total > ids.len() { ", …" } else { "" };
    format!("{what}: {}{more}", ids.join(", "))
}
