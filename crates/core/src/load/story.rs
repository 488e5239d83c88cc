//! `story.json`: a title and ordered steps through the data (data/FORMAT.md, "Stories"), as
//! strict as the other files: unknown fields, unknown ids, an instant outside the dataset's
//! span, a citation of a source the event does not cite are errors naming the step.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::events::nearest;
use super::json::Text;
use super::limits::{MAX_NAME_CHARS, MAX_STORY_STEPS, MAX_STORY_TEXT_CHARS};
use super::report::{Collector, Scope};
use super::times::parse_time;
use super::{Record, STORY_FILE, parse_record, top, within_count};
use crate::model::story::{Story, StoryCite, StoryFilter, StoryStep};
use crate::model::{Event, EventKind, Kinds, Meta, Source, Window, Zone};

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a JSON object with a `title` and a `steps` array"
)]
struct Top<'a> {
    #[serde(rename = "$schema", default)]
    _schema: Option<serde::de::IgnoredAny>,
    title: String,
    #[serde(borrow)]
    steps: Vec<&'a RawValue>,
}

/// One step: the view it shows and what it says.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StoryStep")]
pub(super) struct RawStep {
    /// A short title.
    title: String,
    /// The instant: RFC 3339 with the local offset, inside the dataset's span.
    at: String,
    /// Use only what had been reported by then: a date (the end of that local day) or an RFC
    /// 3339 time.
    #[serde(default)]
    known_on: Option<String>,
    /// The zone selected (its id).
    #[serde(default)]
    zone: Option<String>,
    /// Whose word counts (everyone's when left out).
    #[serde(default)]
    filter: Option<RawFilter>,
    /// Kinds of event hidden on the lanes, e.g. `["talks"]`.
    #[serde(default)]
    hide_kinds: Vec<String>,
    /// The time axis: `all` (the default), `two_weeks` or `two_days`.
    #[serde(default)]
    window: Option<String>,
    /// The zones to frame on the map (all when left out).
    #[serde(default)]
    frame: Vec<String>,
    /// A paragraph or two of plain text; bare http/https addresses become links.
    text: String,
    /// The citations it leans on: an event id, or `{"event": id, "source": id}`.
    #[serde(default)]
    citations: Vec<RawCite>,
}

impl Record for RawStep {
    fn id(&self) -> &str {
        &self.title
    }
}

#[derive(Deserialize, schemars::JsonSchema, Default)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StoryFilter")]
pub(super) struct RawFilter {
    /// Source ids.
    #[serde(default)]
    sources: Vec<String>,
    /// Side ids (dataset.json's `sides`).
    #[serde(default)]
    sides: Vec<String>,
    /// Actors, exactly as the events write them.
    #[serde(default)]
    actors: Vec<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "StoryCitation")]
pub(super) enum RawCite {
    /// An event's id: all its quotes.
    Event(String),
    /// One source's quotes of an event.
    Pair(RawPair),
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPair {
    event: String,
    source: String,
}

/// What a step may name, by id.
struct Names<'a> {
    zones: HashMap<&'a str, usize>,
    sources: HashMap<&'a str, usize>,
    sides: HashMap<&'a str, usize>,
    events: HashMap<&'a str, usize>,
    actors: std::collections::BTreeSet<&'a str>,
    events_list: &'a [Event],
    tz: Option<Tz>,
    span: (DateTime<Utc>, DateTime<Utc>),
}

/// The dataset a story is read against.
pub(super) struct Against<'a> {
    pub meta: Option<&'a Meta>,
    pub zones: &'a [Zone],
    pub sources: &'a [Source],
    pub events: &'a [Event],
}

pub(super) fn read(text: &Text<'_>, ds: &Against<'_>, c: &mut Collector) -> Option<Story> {
    let top = top::<Top<'_>>(text, STORY_FILE, c)?;
    if !within_count(top.steps.len(), MAX_STORY_STEPS, "steps", STORY_FILE, c) {
        return None;
    }
    if super::limits::too_long(&top.title, MAX_NAME_CHARS) {
        c.add(
            STORY_FILE,
            "title",
            format!("is longer than {MAX_NAME_CHARS} characters"),
        );
    }
    let names = Names {
        zones: index(ds.zones.iter().map(|z| z.id.as_str())),
        sources: index(ds.sources.iter().map(|s| s.id.as_str())),
        sides: index(
            ds.meta
                .iter()
                .flat_map(|m| m.sides.iter().map(|s| s.id.as_str())),
        ),
        events: index(ds.events.iter().map(|e| e.id.as_str())),
        actors: ds.events.iter().map(|e| e.actor.as_str()).collect(),
        events_list: ds.events,
        tz: ds.meta.map(|m| m.timezone),
        span: super::times::pad(super::times::extent(
            ds.events,
            ds.meta.and_then(|m| m.default_instant),
        )),
    };
    let mut story = Story {
        title: top.title.trim().to_string(),
        steps: Vec::with_capacity(top.steps.len()),
    };
    if story.title.is_empty() {
        c.add(STORY_FILE, "title", "is empty");
    }
    for (i, raw) in top.steps.iter().enumerate() {
        if let Some((raw, mut s)) = parse_record::<RawStep>(text, STORY_FILE, "steps", i, raw, c)
            && let Some(step) = names.step(raw, &mut s)
            && s.ok()
        {
            story.steps.push(step);
        }
    }
    Some(story)
}

/// Each id with its index.
fn index<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    ids.enumerate().map(|(i, id)| (id, i)).collect()
}

impl Names<'_> {
    fn step(&self, raw: RawStep, s: &mut Scope<'_>) -> Option<StoryStep> {
        s.limit("title", &raw.title, MAX_NAME_CHARS);
        s.limit("text", &raw.text, MAX_STORY_TEXT_CHARS);
        if raw.title.trim().is_empty() {
            s.add("`title` is empty");
        }
        let at = parse_time(&raw.at, self.tz, "at", s)?.with_timezone(&Utc);
        let (lo, hi) = self.span;
        if at < lo || at > hi {
            s.add(format!(
                "`at` {} is outside the dataset's span ({} to {})",
                raw.at,
                self.time(lo),
                self.time(hi)
            ));
        }
        let known_on = match (&raw.known_on, self.tz) {
            (Some(k), Some(tz)) => match crate::timefmt::parse_known_on(k, tz) {
                Ok(t) => Some(t),
                Err(e) => {
                    s.add(format!("`known_on`: {e}"));
                    None
                }
            },
            _ => None,
        };
        let zone = raw
            .zone
            .as_deref()
            .and_then(|z| self.id(&self.zones, "zone", z, s));
        let frame = raw
            .frame
            .iter()
            .filter_map(|z| self.id(&self.zones, "frame", z, s))
            .collect();
        let filter = raw.filter.map(|f| self.filter(f, s));
        let mut kinds = Kinds::ALL;
        for k in &raw.hide_kinds {
            match EventKind::parse(k) {
                Some(kind) => kinds = kinds.with(kind, false),
                None => s.add(format!("`hide_kinds`: \"{k}\" is not a kind of event")),
            }
        }
        let window = match raw.window.as_deref() {
            None | Some("all") => Window::All,
            Some("two_weeks") => Window::TwoWeeks,
            Some("two_days") => Window::TwoDays,
            Some(w) => {
                s.add(format!(
                    "`window` \"{w}\" is not one of all, two_weeks, two_days"
                ));
                Window::All
            }
        };
        let citations = raw
            .citations
            .iter()
            .filter_map(|c| self.cite(c, s))
            .collect();
        Some(StoryStep {
            at,
            known_on,
            zone,
            filter,
            kinds,
            window,
            frame,
            title: raw.title.trim().to_string(),
            text: raw.text.trim().to_string(),
            citations,
        })
    }

    fn time(&self, t: DateTime<Utc>) -> String {
        self.tz
            .map_or_else(|| t.to_rfc3339(), |tz| crate::timefmt::rfc3339_local(t, tz))
    }

    /// An id among `ids`, or a problem naming the nearest ones.
    fn id(
        &self,
        ids: &HashMap<&str, usize>,
        field: &str,
        id: &str,
        s: &mut Scope<'_>,
    ) -> Option<usize> {
        let found = ids.get(id).copied();
        if found.is_none() {
            s.add(format!(
                "`{field}`: unknown id \"{id}\" ({})",
                nearest(field, id, ids.keys().copied())
            ));
        }
        found
    }

    fn filter(&self, f: RawFilter, s: &mut Scope<'_>) -> StoryFilter {
        let sources = f
            .sources
            .iter()
            .filter_map(|x| self.id(&self.sources, "filter.sources", x, s))
            .collect();
        let sides = f
            .sides
            .iter()
            .filter_map(|x| self.id(&self.sides, "filter.sides", x, s))
            .collect();
        for a in &f.actors {
            if !self.actors.contains(a.as_str()) {
                s.add(format!("`filter.actors`: no event's actor is \"{a}\""));
            }
        }
        StoryFilter {
            sources,
            sides,
            actors: f.actors,
        }
    }

    fn cite(&self, c: &RawCite, s: &mut Scope<'_>) -> Option<StoryCite> {
        let (event, source) = match c {
            RawCite::Event(e) => (e, None),
            RawCite::Pair(p) => (&p.event, Some(&p.source)),
        };
        let event = self.id(&self.events, "citations", event, s)?;
        let source = match source {
            None => None,
            Some(id) => {
                let src = self.id(&self.sources, "citations", id, s)?;
                let cited = self.events_list[event]
                    .citations
                    .iter()
                    .any(|c| c.source == src);
                if !cited {
                    s.add(format!(
                        "`citations`: event \"{}\" cites no quote of source \"{id}\"",
                        self.events_list[event].id
                    ));
                }
                Some(src)
            }
        };
        Some(StoryCite { event, source })
    }
}
