//! The status engine: what was the truce status of zone Z at instant T, and who says so.
//!
//! Status is derived from events, never typed. Per zone, [`ZoneScan`] applies the zone's events
//! in time order and [`ZoneScan::evaluate`] reads the status at an instant; that pair is the plain,
//! obviously-correct reference. At load, the engine runs it once per breakpoint (every event time
//! and every end a duration produces) and keeps the resulting piecewise-constant timeline, so a
//! query is a binary search that returns a reference: no scan, no allocation.
//!
//! "As known on K" uses only events first reported by K. Reports arrive on few distinct days, so
//! the engine keeps one timeline per distinct report instant and picks one by binary search too.

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::filter::Filter;
use crate::load::{DatasetError, EVENTS_FILE, max_time};
use crate::model::{Dataset, EventKind, Moment, Precision, Status};

/// An end that falls past the last writable time (chained extensions can push it there): the
/// event that produced it, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOverflow(pub usize);

/// One citation of one event: `dataset.events[event].citations[citation]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CiteRef {
    pub event: usize,
    pub citation: usize,
}

/// The resolved status of a zone over one interval of time.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub status: Status,
    /// Cited claims about this zone and instant disagree; `disputed_by` holds the dissent.
    pub contested: bool,
    /// The instrument behind the status: the most recently started one in force, or the one the
    /// last breakdown, exclusion or talks concerned.
    pub instrument: Option<usize>,
    /// When this status (with this instrument) began, as precisely as the reports allow.
    pub since: Option<Moment>,
    /// When it ends, as far as the events known say; `None` when nothing known ends it.
    pub until: Option<Moment>,
    /// The citations that back the status, most relevant first.
    pub citations: Vec<CiteRef>,
    pub disputed_by: Vec<CiteRef>,
    /// `Unknown` because a truce ran out with nothing reported after it.
    pub lapsed: bool,
}

impl Resolution {
    fn unknown() -> Self {
        Resolution {
            status: Status::Unknown,
            contested: false,
            instrument: None,
            since: None,
            until: None,
            citations: Vec::new(),
            disputed_by: Vec::new(),
            lapsed: false,
        }
    }
}

/// A stretch of a zone's timeline with one resolution. `start` is `None` for "since forever".
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    pub start: Option<DateTime<Utc>>,
    /// Where this interval ends (the next one's start), `None` for "for ever".
    pub end: Option<DateTime<Utc>>,
    pub resolution: Resolution,
}

#[derive(Debug, Clone)]
struct End {
    at: DateTime<Utc>,
    precision: Precision,
    /// The event whose claim produced this end.
    by: usize,
}

#[derive(Debug, Clone)]
struct Run {
    instrument: usize,
    start_event: usize,
    ends: Vec<End>,
    /// The breakdown or exclusion that ended the run.
    broken: Option<usize>,
    support: Vec<usize>,
    disputes: Vec<usize>,
    affirmations: Vec<usize>,
}

impl Run {
    fn latest_end(&self) -> Option<&End> {
        self.ends.iter().max_by_key(|e| e.at)
    }
}

/// The state of one zone after applying its events in time order. This is the reference
/// semantics; the index is built from it and the property tests compare against it.
#[derive(Debug, Clone)]
pub struct ZoneScan<'a> {
    ds: &'a Dataset,
    /// "As known on": citations from reports published later are not cited.
    known_on: Option<DateTime<Utc>>,
    /// Ends past the last writable time stop there instead of failing (for lazy layers).
    saturate: bool,
    /// Whose word counts: citations from other sources are not cited.
    keep: Option<&'a Keep>,
    runs: Vec<Run>,
    /// The last breakdown, exclusion or talks: what the zone falls back to with nothing in force.
    /// Consecutive events of the same status accumulate, so that every party reporting talks is
    /// cited and the status dates from the first of them.
    last_state: Option<(Status, Vec<usize>)>,
    /// Every end any run has had, for the index's breakpoints.
    produced_ends: Vec<(DateTime<Utc>, Precision)>,
}

/// Removes repeated citations, keeping the first of each, in linear time: a long truce cites
/// hundreds of affirmations, and a quadratic check per interval made loading it quadratic too.
fn dedup(cites: &mut Vec<CiteRef>) {
    if cites.len() < 2 {
        return;
    }
    // Short lists (almost all) are checked in place, without a set to allocate.
    if cites.len() <= 32 {
        let mut kept = 0;
        for i in 0..cites.len() {
            let c = cites[i];
            if !cites[..kept].contains(&c) {
                cites[kept] = c;
                kept += 1;
            }
        }
        cites.truncate(kept);
        return;
    }
    let mut seen = std::collections::HashSet::with_capacity(cites.len());
    cites.retain(|c| seen.insert(*c));
}

/// `t` plus `h` hours, if that is still a writable time (or, saturating, the last writable
/// time). Every sum of times goes through here.
fn plus_hours(
    t: DateTime<Utc>,
    h: u32,
    event: usize,
    saturate: bool,
) -> Result<DateTime<Utc>, TimeOverflow> {
    match t
        .checked_add_signed(Duration::hours(i64::from(h)))
        .filter(|end| *end <= max_time())
    {
        Some(end) => Ok(end),
        None if saturate => Ok(max_time()),
        None => Err(TimeOverflow(event)),
    }
}

/// The end an event claims: its `until`, or its duration counted from `base`.
fn claimed_end(
    ev: &crate::model::Event,
    index: usize,
    base: DateTime<Utc>,
    saturate: bool,
) -> Result<Option<End>, TimeOverflow> {
    Ok(match (ev.until, ev.duration_hours) {
        (Some(u), _) => Some(End {
            at: u.utc(),
            precision: u.precision,
            by: index,
        }),
        (None, Some(h)) => Some(End {
            at: plus_hours(base, h, index, saturate)?,
            precision: ev.moment.precision,
            by: index,
        }),
        (None, None) => None,
    })
}

impl<'a> ZoneScan<'a> {
    pub fn new(ds: &'a Dataset) -> Self {
        ZoneScan {
            ds,
            known_on: None,
            saturate: false,
            keep: None,
            runs: Vec::new(),
            last_state: None,
            produced_ends: Vec::new(),
        }
    }

    /// A scan whose ends stop at the last writable time instead of failing.
    pub fn saturating(mut self, saturate: bool) -> Self {
        self.saturate = saturate;
        self
    }

    /// A scan "as known on" `known_on`: of an event's citations, only those from reports
    /// published by then are cited (the event itself must be known by then).
    pub fn known_on(mut self, known_on: Option<DateTime<Utc>>) -> Self {
        self.known_on = known_on;
        self
    }

    /// A scan that hears only the filter's sources (the events given must be the filter's).
    fn keeping(mut self, keep: Option<&'a Keep>) -> Self {
        self.keep = keep;
        self
    }

    fn run_mut(&mut self, instrument: usize) -> Option<&mut Run> {
        self.runs.iter_mut().find(|r| r.instrument == instrument)
    }

    /// Applies one event (which must concern this zone, in time order). Fails if an end it
    /// produces falls past the last writable time.
    pub fn apply(&mut self, index: usize) -> Result<(), TimeOverflow> {
        let ev = &self.ds.events[index];
        match (ev.kind, ev.instrument) {
            (EventKind::TruceStart, Some(instrument)) => self.start(index, instrument)?,
            (EventKind::Extension, Some(instrument)) => self.extend(index, instrument)?,
            (EventKind::ScheduledEnd, Some(instrument)) => self.schedule_end(index, instrument)?,
            (EventKind::Breakdown, Some(instrument)) => {
                self.break_run(index, instrument, Status::Collapsed);
            }
            (EventKind::Exclusion, Some(instrument)) => {
                self.break_run(index, instrument, Status::Excluded);
            }
            (EventKind::Talks, _) => self.set_state(Status::Negotiating, index),
            (EventKind::Dispute, Some(instrument)) => self.dispute(index, instrument)?,
            (EventKind::Affirmation, Some(instrument)) => {
                if let Some(run) = self.run_mut(instrument) {
                    run.affirmations.push(index);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A `truce_start`: the instrument takes effect; a new start of it restarts it.
    fn start(&mut self, index: usize, instrument: usize) -> Result<(), TimeOverflow> {
        let ev = &self.ds.events[index];
        let end = claimed_end(ev, index, ev.moment.utc(), self.saturate)?;
        let run = Run {
            instrument,
            start_event: index,
            ends: end.into_iter().collect(),
            broken: None,
            support: Vec::new(),
            disputes: Vec::new(),
            affirmations: Vec::new(),
        };
        self.produced_ends
            .extend(run.ends.iter().map(|e| (e.at, e.precision)));
        self.runs.retain(|r| r.instrument != instrument);
        self.runs.push(run);
        Ok(())
    }

    /// An `extension`: a new `until`, or more hours counted from the current end (or from the
    /// extension itself if the truce had already run out, or had no end).
    fn extend(&mut self, index: usize, instrument: usize) -> Result<(), TimeOverflow> {
        let ev = &self.ds.events[index];
        let (t, precision) = (ev.moment.utc(), ev.moment.precision);
        let (until, hours) = (ev.until, ev.duration_hours);
        let saturate = self.saturate;
        let Some(run) = self.run_mut(instrument).filter(|r| r.broken.is_none()) else {
            return Ok(());
        };
        match (until, hours) {
            (Some(u), _) => {
                run.ends = vec![End {
                    at: u.utc(),
                    precision: u.precision,
                    by: index,
                }];
            }
            (None, Some(h)) if run.ends.is_empty() => {
                run.ends = vec![End {
                    at: plus_hours(t, h, index, saturate)?,
                    precision,
                    by: index,
                }];
            }
            (None, Some(h)) => {
                for end in &mut run.ends {
                    end.at = plus_hours(end.at.max(t), h, index, saturate)?;
                    end.precision = end.precision.max(precision);
                    end.by = index;
                }
            }
            (None, None) => {}
        }
        run.support.push(index);
        let ends: Vec<(DateTime<Utc>, Precision)> =
            run.ends.iter().map(|e| (e.at, e.precision)).collect();
        self.produced_ends.extend(ends);
        Ok(())
    }

    /// A `scheduled_end`: one more claim about when the instrument ends. A stated duration
    /// counts from the truce's start, not from the statement.
    fn schedule_end(&mut self, index: usize, instrument: usize) -> Result<(), TimeOverflow> {
        let ev = &self.ds.events[index];
        let start = self
            .runs
            .iter()
            .find(|r| r.instrument == instrument)
            .map(|r| self.ds.events[r.start_event].moment.utc());
        let Some(run_start) = start else {
            return Ok(());
        };
        let end = claimed_end(ev, index, run_start, self.saturate)?;
        if let Some(end) = &end {
            self.produced_ends.push((end.at, end.precision));
        }
        if let Some(run) = self.run_mut(instrument) {
            run.ends.extend(end);
            run.support.push(index);
        }
        Ok(())
    }

    /// A `dispute`: the instrument in force is contested, for good or (with an end) for a while.
    fn dispute(&mut self, index: usize, instrument: usize) -> Result<(), TimeOverflow> {
        let ev = &self.ds.events[index];
        if let Some(end) = claimed_end(ev, index, ev.moment.utc(), self.saturate)? {
            self.produced_ends.push((end.at, end.precision));
        }
        if let Some(run) = self.run_mut(instrument) {
            run.disputes.push(index);
        }
        Ok(())
    }

    /// Whether a dispute still holds at `t`: it has no end, or its end is still to come.
    fn disputing(&self, dispute: usize, t: DateTime<Utc>) -> bool {
        let ev = &self.ds.events[dispute];
        match claimed_end(ev, dispute, ev.moment.utc(), true) {
            Ok(Some(end)) => t < end.at,
            Ok(None) => true,
            // Apply refused the event already; this is never reached for an indexed dataset.
            Err(_) => false,
        }
    }

    /// A `breakdown` or `exclusion`: the instrument stops here, and the zone falls back to
    /// `status`.
    fn break_run(&mut self, index: usize, instrument: usize, status: Status) {
        if let Some(run) = self.run_mut(instrument).filter(|r| r.broken.is_none()) {
            run.broken = Some(index);
        }
        self.set_state(status, index);
    }

    fn set_state(&mut self, status: Status, event: usize) {
        match &mut self.last_state {
            Some((current, events)) if *current == status => events.push(event),
            _ => self.last_state = Some((status, vec![event])),
        }
    }

    fn local(&self, t: DateTime<Utc>) -> chrono::DateTime<chrono::FixedOffset> {
        self.ds
            .meta
            .timezone
            .from_utc_datetime(&t.naive_utc())
            .fixed_offset()
    }

    /// Cites every citation of the event (published by the "as known on" date). Duplicates are
    /// removed once, by [`dedup`], when the resolution is complete.
    fn cite_all(&self, event: usize, out: &mut Vec<CiteRef>) {
        let ds = self.ds;
        for (citation, c) in ds.events[event].citations.iter().enumerate() {
            let published = ds.sources[c.source].published.utc();
            if self.known_on.is_some_and(|k| published > k)
                || self.keep.is_some_and(|keep| !keep.sources[c.source])
            {
                continue;
            }
            out.push(CiteRef { event, citation });
        }
    }

    /// The status at `t`, given that exactly the zone's events at or before `t` were applied.
    /// `until` holds only the leading instrument's own end: only the whole timeline knows when
    /// the status itself changes.
    pub fn evaluate(&self, t: DateTime<Utc>) -> Resolution {
        let in_force: Vec<&Run> = self
            .runs
            .iter()
            .filter(|r| r.broken.is_none() && r.latest_end().is_none_or(|e| t < e.at))
            .collect();
        let mut res = if in_force.is_empty() {
            self.nothing_in_force(t)
        } else {
            self.in_effect(t, in_force)
        };
        dedup(&mut res.citations);
        dedup(&mut res.disputed_by);
        res
    }

    /// In effect: the most recently started instrument in force leads (ties go to the later
    /// event in the file); every start, support and affirmation of those in force is cited.
    fn in_effect(&self, t: DateTime<Utc>, mut in_force: Vec<&Run>) -> Resolution {
        let start_of = |run: &Run| self.ds.events[run.start_event].moment;
        in_force.sort_by_key(|r| std::cmp::Reverse((start_of(r).utc(), r.start_event)));
        let lead = in_force[0];
        let mut res = Resolution::unknown();
        res.status = Status::InEffect;
        res.instrument = Some(lead.instrument);
        res.since = Some(start_of(lead));
        // The leading instrument's own end; the timeline may cut it shorter.
        res.until = lead.latest_end().map(|e| Moment {
            time: self.local(e.at),
            precision: e.precision,
        });
        for run in &in_force {
            self.cite_all(run.start_event, &mut res.citations);
            for &e in run.support.iter().chain(&run.affirmations) {
                self.cite_all(e, &mut res.citations);
            }
            for &e in run.disputes.iter().filter(|&&e| self.disputing(e, t)) {
                self.cite_all(e, &mut res.disputed_by);
            }
            // Two claims about the end: once the earlier one has passed, they disagree.
            if run.ends.len() > 1 {
                for end in run.ends.iter().filter(|e| e.at <= t) {
                    self.cite_all(end.by, &mut res.disputed_by);
                }
            }
        }
        res.contested = !res.disputed_by.is_empty();
        res
    }

    /// Nothing in force: the later of the last breakdown, exclusion or talks and the last
    /// expiry decides; with neither, nothing is known.
    fn nothing_in_force(&self, t: DateTime<Utc>) -> Resolution {
        let expiry = self
            .runs
            .iter()
            .filter(|r| r.broken.is_none())
            .filter_map(|r| r.latest_end().map(|e| (e, r)))
            .filter(|(e, _)| e.at <= t)
            .max_by_key(|(e, r)| (e.at, r.start_event));
        let state = self
            .last_state
            .as_ref()
            .filter(|(_, events)| !events.is_empty());
        let last_time = |events: &[usize]| events.last().map(|&e| self.ds.events[e].moment.utc());
        match (state, expiry) {
            (Some((status, events)), Some((end, _)))
                if last_time(events).is_some_and(|last| last >= end.at) =>
            {
                self.stated(*status, events)
            }
            (Some((status, events)), None) => self.stated(*status, events),
            (_, Some((end, run))) => self.lapsed(end, run),
            (None, None) => Resolution::unknown(),
        }
    }

    /// Collapsed, excluded or negotiating, as the consecutive `events` of that kind say.
    fn stated(&self, status: Status, events: &[usize]) -> Resolution {
        let ds = self.ds;
        let (Some(&first), Some(&last)) = (events.first(), events.last()) else {
            return Resolution::unknown();
        };
        let mut res = Resolution::unknown();
        res.status = status;
        // Named as the status is dated and its lead quote chosen: by the first of the events.
        res.instrument = ds.events[first].instrument;
        res.since = Some(ds.events[first].moment);
        for &e in events {
            self.cite_all(e, &mut res.citations);
        }
        // A party saying the truce holds after it was reported broken contradicts it.
        if status == Status::Collapsed
            && let Some(run) = res
                .instrument
                .and_then(|i| self.runs.iter().find(|r| r.instrument == i))
        {
            let broken_at = ds.events[last].moment.utc();
            for &a in &run.affirmations {
                if ds.events[a].moment.utc() >= broken_at {
                    self.cite_all(a, &mut res.disputed_by);
                }
            }
        }
        res.contested = !res.disputed_by.is_empty();
        res
    }

    /// A truce ran out with nothing reported after it: unknown, citing the end and the start.
    fn lapsed(&self, end: &End, run: &Run) -> Resolution {
        let mut res = Resolution::unknown();
        res.lapsed = true;
        res.instrument = Some(run.instrument);
        res.since = Some(Moment {
            time: self.local(end.at),
            precision: end.precision,
        });
        self.cite_all(end.by, &mut res.citations);
        self.cite_all(run.start_event, &mut res.citations);
        res
    }
}

/// A [`Filter`] resolved against one dataset: which sources count, and for each event when the
/// chosen sources first reported it (`None`: the filter leaves it out).
#[derive(Debug)]
struct Keep {
    filter: Filter,
    sources: Vec<bool>,
    reported: Vec<Option<DateTime<Utc>>>,
}

impl Keep {
    fn new(ds: &Dataset, filter: Filter) -> Keep {
        let sources: Vec<bool> = (0..ds.sources.len())
            .map(|s| filter.keeps_source(s))
            .collect();
        let reported = ds
            .events
            .iter()
            .map(|ev| {
                if !filter.keeps_party(ev) {
                    return None;
                }
                ev.citations
                    .iter()
                    .filter(|c| sources[c.source])
                    .map(|c| ds.sources[c.source].published.utc())
                    .min()
            })
            .collect();
        Keep {
            filter,
            sources,
            reported,
        }
    }
}

/// Whether event `e` counts, and had been reported by `known_on`: the one place the filter and
/// "as known on" meet.
fn counts(ds: &Dataset, keep: Option<&Keep>, e: usize, known_on: Option<DateTime<Utc>>) -> bool {
    match keep {
        None => ds.events[e].known_by(known_on),
        Some(keep) => keep.reported[e].is_some_and(|r| known_on.is_none_or(|k| r <= k)),
    }
}

/// The timelines of all zones for one earlier state of knowledge, each built the first time it
/// is asked for: most report days are never looked at, and a day looked at is rarely needed for
/// every zone at once.
#[derive(Debug, Clone, Default)]
struct Layer {
    zones: Vec<OnceLock<Vec<Interval>>>,
}

/// The dataset shared with an engine, and its time axis: enough to build a filtered engine on
/// any thread (see [`Engine::filtered`]).
#[derive(Debug, Clone)]
pub struct Refilter {
    dataset: Arc<Dataset>,
    extent: (DateTime<Utc>, DateTime<Utc>),
    span: (DateTime<Utc>, DateTime<Utc>),
}

impl Refilter {
    /// The engine heard through `filter`. The span stays the dataset's, so that the time axis
    /// does not move when a filter changes.
    pub fn run(&self, filter: &Filter) -> Engine {
        let keep = Arc::new(Keep::new(&self.dataset, filter.clone()));
        // A filtered engine's ends saturate, so there is no overflow to report.
        let (mut engine, _) = Engine::build(Arc::clone(&self.dataset), Some(keep));
        engine.extent = self.extent;
        engine.span = self.span;
        engine
    }

    /// How many events the filter is chosen from: what a rebuild costs, roughly.
    pub fn events(&self) -> usize {
        self.dataset.events.len()
    }
}

/// A loaded dataset with its indexes. Built once; every query after that is a lookup.
#[derive(Debug, Clone)]
pub struct Engine {
    /// Shared with the engines filtered from this one.
    dataset: Arc<Dataset>,
    /// Whose word counts; `None` for everyone's.
    keep: Option<Arc<Keep>>,
    /// The dataset's distinct actors, sorted, the first time they are asked for (the filter's
    /// list of actors).
    actors: OnceLock<Vec<String>>,
    /// Distinct report instants, ascending; `layers[j]` knows the events reported by `cutoffs[j]`.
    cutoffs: Vec<DateTime<Utc>>,
    /// Everything known: every zone's timeline, built (and checked) at load.
    full: Vec<Vec<Interval>>,
    /// Earlier states of knowledge, built lazily (see [`Layer`]).
    layers: Vec<OnceLock<Layer>>,
    /// What is known before anything was reported: unknown, for every zone alike.
    nothing_known: Vec<Interval>,
    /// Per zone, the indices of its events in time order, and their times for binary search.
    zone_events: Vec<Vec<usize>>,
    zone_event_times: Vec<Vec<DateTime<Utc>>>,
    /// The same for all events: `0..n` and their times.
    all_events: Vec<usize>,
    event_times: Vec<DateTime<Utc>>,
    /// From the first event to the last event or end the events give.
    extent: (DateTime<Utc>, DateTime<Utc>),
    /// The last instant the reports speak for (see [`Engine::horizon`]).
    horizon: Option<DateTime<Utc>>,
    span: (DateTime<Utc>, DateTime<Utc>),
}

impl Engine {
    /// Indexes a loaded dataset. Fails, naming the event, where an end produced by chained
    /// extensions falls past the last writable time (9999-12-31T23:59:59Z).
    pub fn new(dataset: Dataset) -> Result<Self, DatasetError> {
        let (engine, overflow) = Self::build(Arc::new(dataset), None);
        match overflow {
            None => Ok(engine),
            Some(TimeOverflow(e)) => Err(DatasetError::single(
                "dataset",
                EVENTS_FILE,
                &format!("event \"{}\"", engine.dataset.events[e].id),
                "the end it gives, counted through the extensions before it, falls after 9999-12-31T23:59:59Z, the last time that can be written",
            )),
        }
    }

    /// The same dataset heard only through `filter`: every timeline rebuilt from the events and
    /// citations it keeps, as if the dataset held nothing else (see [`crate::filter`]). Costs
    /// what [`Engine::new`] costs, less the loading; the dataset itself is shared. For another
    /// thread, [`Engine::refilter`].
    pub fn filtered(&self, filter: &Filter) -> Engine {
        self.refilter().run(filter)
    }

    /// What building a filtered engine needs, to take to a worker thread.
    pub fn refilter(&self) -> Refilter {
        Refilter {
            dataset: Arc::clone(&self.dataset),
            extent: self.extent,
            span: self.span,
        }
    }

    /// Whether the source's citations count here (every source's, without a filter).
    pub fn hears(&self, source: usize) -> bool {
        self.keep.as_deref().is_none_or(|k| k.sources[source])
    }

    /// Whose word counts here; everyone's unless this engine came from [`Engine::filtered`].
    pub fn filter(&self) -> Option<&Filter> {
        self.keep.as_deref().map(|k| &k.filter)
    }

    /// Everything known is built now, so that an end past year 9999 is an error at load (a
    /// filtered engine's ends saturate instead); the earlier states of knowledge are built when
    /// first asked for.
    /// Returns the first end past year 9999 too, for [`Engine::new`] to refuse (its zone's
    /// timeline is then the saturated one).
    fn build(dataset: Arc<Dataset>, keep: Option<Arc<Keep>>) -> (Self, Option<TimeOverflow>) {
        let k = keep.as_deref();
        let zone_count = dataset.zones.len();
        let mut zone_events = vec![Vec::new(); zone_count];
        let mut all_events = Vec::with_capacity(dataset.events.len());
        for (i, ev) in dataset.events.iter().enumerate() {
            if !counts(&dataset, k, i, None) {
                continue;
            }
            all_events.push(i);
            for &z in &ev.zones {
                zone_events[z].push(i);
            }
        }
        let time = |&i: &usize| dataset.events[i].moment.utc();
        let zone_event_times: Vec<Vec<DateTime<Utc>>> = zone_events
            .iter()
            .map(|evs| evs.iter().map(time).collect())
            .collect();
        let event_times = all_events.iter().map(time).collect();
        let mut cutoffs: Vec<DateTime<Utc>> = all_events
            .iter()
            .filter_map(|&i| match k {
                None => Some(dataset.events[i].reported),
                Some(keep) => keep.reported[i],
            })
            .collect();
        cutoffs.sort();
        cutoffs.dedup();
        let mut overflow = None;
        let full: Vec<Vec<Interval>> = zone_events
            .iter()
            .map(|events| match (k, overflow) {
                (None, None) => build_timeline(&dataset, events, None).unwrap_or_else(|e| {
                    overflow = Some(e);
                    build_timeline_saturating(&dataset, events, None, None)
                }),
                _ => build_timeline_saturating(&dataset, events, None, k),
            })
            .collect();
        let layers = cutoffs.iter().map(|_| OnceLock::new()).collect();
        let nothing_known = vec![Interval {
            start: None,
            end: None,
            resolution: Resolution::unknown(),
        }];
        let extent = crate::load::extent(&dataset.events, dataset.meta.default_instant);
        let span = crate::load::pad(extent);
        let horizon = compute_horizon(&dataset, k);
        let engine = Engine {
            dataset,
            keep,
            actors: OnceLock::new(),
            cutoffs,
            full,
            layers,
            nothing_known,
            zone_events,
            zone_event_times,
            all_events,
            event_times,
            extent,
            horizon,
            span,
        };
        (engine, overflow)
    }

    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// Every actor the dataset's events name, each once, sorted.
    pub fn actors(&self) -> &[String] {
        self.actors.get_or_init(|| {
            let mut actors: Vec<&str> = self
                .dataset
                .events
                .iter()
                .map(|e| e.actor.as_str())
                .collect();
            actors.sort_unstable();
            actors.dedup();
            actors.into_iter().map(str::to_owned).collect()
        })
    }

    /// The dataset, shared: for work on another thread (the search index).
    pub fn shared_dataset(&self) -> Arc<Dataset> {
        Arc::clone(&self.dataset)
    }

    /// The whole timeline of a zone: intervals in time order, covering all of time. For an
    /// earlier state of knowledge, it is built the first time it is asked for (and kept).
    pub fn timeline(&self, zone: usize, known_on: Option<DateTime<Utc>>) -> &[Interval] {
        let j = match known_on {
            None => self.cutoffs.len(),
            Some(k) => self.cutoffs.partition_point(|c| *c <= k),
        };
        if j == self.cutoffs.len() {
            return &self.full[zone];
        }
        let Some(j) = j.checked_sub(1) else {
            return &self.nothing_known;
        };
        let layer = self.layers[j].get_or_init(|| Layer {
            zones: self.full.iter().map(|_| OnceLock::new()).collect(),
        });
        layer.zones[zone].get_or_init(|| {
            let cutoff = Some(self.cutoffs[j]);
            // A subset of the events can push an end further than all of them did (an
            // extension counted from an end that a later `until` would have reset): then the
            // end stops at the last writable time instead of failing a lookup.
            build_timeline_saturating(
                &self.dataset,
                &self.zone_events[zone],
                cutoff,
                self.keep.as_deref(),
            )
        })
    }

    /// The interval of the zone's timeline that contains `at`. O(log n), no allocation.
    pub fn interval_at(
        &self,
        zone: usize,
        at: DateTime<Utc>,
        known_on: Option<DateTime<Utc>>,
    ) -> &Interval {
        let timeline = self.timeline(zone, known_on);
        // Half-open intervals: an interval starting exactly at `at` contains it.
        let i = timeline.partition_point(|iv| iv.start.is_none_or(|s| s <= at));
        &timeline[i.saturating_sub(1)]
    }

    pub fn status(
        &self,
        zone: usize,
        at: DateTime<Utc>,
        known_on: Option<DateTime<Utc>>,
    ) -> &Resolution {
        &self.interval_at(zone, at, known_on).resolution
    }

    /// The reference answer by a plain scan of all events (slow; for tests and cross-checks).
    pub fn status_by_scan(
        &self,
        zone: usize,
        at: DateTime<Utc>,
        known_on: Option<DateTime<Utc>>,
    ) -> Resolution {
        let keep = self.keep.as_deref();
        let mut scan = ZoneScan::new(&self.dataset)
            .known_on(known_on)
            .keeping(keep);
        for (i, ev) in self.dataset.events.iter().enumerate() {
            let known = counts(&self.dataset, keep, i, known_on);
            // The engine was built, so no event overflows.
            if ev.concerns(zone) && known && ev.moment.utc() <= at && scan.apply(i).is_err() {
                break;
            }
        }
        scan.evaluate(at)
    }

    /// The zone's events, in time order.
    pub fn zone_events(&self, zone: usize) -> &[usize] {
        &self.zone_events[zone]
    }

    /// Whether the event counts (under the filter, if any) and had been reported by
    /// `known_on`.
    pub fn known(&self, event: usize, known_on: Option<DateTime<Utc>>) -> bool {
        counts(&self.dataset, self.keep.as_deref(), event, known_on)
    }

    /// The events (of a zone, or all) in time order, with their times.
    fn events_and_times(&self, zone: Option<usize>) -> (&[usize], &[DateTime<Utc>]) {
        match zone {
            Some(z) => (&self.zone_events[z], &self.zone_event_times[z]),
            None => (&self.all_events, &self.event_times),
        }
    }

    /// The first event strictly after `after` (in `zone`, or anywhere).
    pub fn next_event(
        &self,
        zone: Option<usize>,
        after: DateTime<Utc>,
        known_on: Option<DateTime<Utc>>,
    ) -> Option<usize> {
        let (events, times) = self.events_and_times(zone);
        let from = times.partition_point(|t| *t <= after);
        events[from..]
            .iter()
            .copied()
            .find(|&e| self.known(e, known_on))
    }

    /// The last event strictly before `before` (in `zone`, or anywhere).
    pub fn previous_event(
        &self,
        zone: Option<usize>,
        before: DateTime<Utc>,
        known_on: Option<DateTime<Utc>>,
    ) -> Option<usize> {
        let (events, times) = self.events_and_times(zone);
        let to = times.partition_point(|t| *t < before);
        events[..to]
            .iter()
            .rev()
            .copied()
            .find(|&e| self.known(e, known_on))
    }

    /// The last event at or before `at` (in `zone`, or anywhere): the one the instant is on or
    /// after, which lists highlight.
    pub fn event_at_or_before(
        &self,
        zone: Option<usize>,
        at: DateTime<Utc>,
        known_on: Option<DateTime<Utc>>,
    ) -> Option<usize> {
        let (events, times) = self.events_and_times(zone);
        let to = times.partition_point(|t| *t <= at);
        events[..to]
            .iter()
            .rev()
            .copied()
            .find(|&e| self.known(e, known_on))
    }

    /// The events at times within `[start, end]`, in time order. O(log n).
    pub fn events_between(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> &[usize] {
        let lo = self.event_times.partition_point(|t| *t < start);
        let hi = self.event_times.partition_point(|t| *t <= end);
        &self.all_events[lo..hi.max(lo)]
    }

    /// The distinct instants at which reports first made events known, ascending: the
    /// "as known on" dates that change anything.
    pub fn report_instants(&self) -> &[DateTime<Utc>] {
        &self.cutoffs
    }

    /// The zone's events at or before `at`, in time order. O(log n).
    pub fn events_up_to(&self, zone: usize, at: DateTime<Utc>) -> &[usize] {
        let end = self.zone_event_times[zone].partition_point(|t| *t <= at);
        &self.zone_events[zone][..end]
    }

    /// Up to `n` of the zone's events at or before `at` and `n` after it, in time order.
    pub fn events_around(&self, zone: usize, at: DateTime<Utc>, n: usize) -> &[usize] {
        let times = &self.zone_event_times[zone];
        let split = times.partition_point(|t| *t <= at);
        let lo = split.saturating_sub(n);
        let hi = (split + n).min(times.len());
        &self.zone_events[zone][lo..hi]
    }

    /// The stretch of time worth showing: from the first event to the last event or end,
    /// padded by a day on each side.
    pub fn span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        self.span
    }

    /// The last instant the reports speak for: `reports_until` where the dataset sets it, else
    /// the end of the local day of the latest publication; with "as known on K", no later than
    /// K. `None` for a dataset without sources.
    pub fn horizon(&self, known_on: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
        match (self.horizon, known_on) {
            (Some(h), Some(k)) => Some(h.min(k)),
            (h, None) => h,
            (None, k) => k,
        }
    }

    /// Whether `at` lies past what the reports (known on `known_on`) can speak for: the status
    /// there is only "as last reported".
    pub fn after_reports(&self, at: DateTime<Utc>, known_on: Option<DateTime<Utc>>) -> bool {
        self.horizon(known_on).is_some_and(|h| at > h)
    }

    /// When the latest report behind a status was published: the newest source among the
    /// citations and the disputes.
    pub fn last_reported(&self, r: &Resolution) -> Option<Moment> {
        let ds = &self.dataset;
        r.citations
            .iter()
            .chain(&r.disputed_by)
            .map(|c| ds.sources[ds.events[c.event].citations[c.citation].source].published)
            .max_by_key(|m| m.utc())
    }

    /// From the first event to the last event or end the events give: where "go to start" and
    /// "go to end" lead.
    pub fn extent(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        self.extent
    }

    /// The instant the app opens on.
    pub fn default_instant(&self) -> DateTime<Utc> {
        self.dataset
            .meta
            .default_instant
            .map(|t| t.with_timezone(&Utc))
            .or_else(|| self.event_times.first().copied())
            .unwrap_or(self.span.0)
    }
}

/// `reports_until`, or the end of the local day of the latest publication (of the sources the
/// filter keeps: the others say nothing here).
fn compute_horizon(ds: &Dataset, keep: Option<&Keep>) -> Option<DateTime<Utc>> {
    if let Some(t) = ds.meta.reports_until {
        return Some(t.with_timezone(&Utc));
    }
    // Incidents never move the horizon: a source cited only by them does not count.
    let by_events: std::collections::HashSet<usize> = ds
        .events
        .iter()
        .flat_map(|e| e.citations.iter().map(|c| c.source))
        .collect();
    let only_incidents = incident_sources(ds)
        .into_iter()
        .filter(|s| !by_events.contains(s))
        .collect::<std::collections::HashSet<usize>>();
    let latest = ds
        .sources
        .iter()
        .enumerate()
        .filter(|(i, _)| keep.is_none_or(|k| k.sources[*i]) && !only_incidents.contains(i))
        .map(|(_, s)| s.published.utc())
        .max()?;
    crate::timefmt::end_of_local_day(latest, ds.meta.timezone)
}

/// The sources the dataset's incidents and aggregate reports cite.
fn incident_sources(ds: &Dataset) -> Vec<usize> {
    use crate::model::incidents::Basis;
    let incidents = ds.incidents.incidents.iter().flat_map(|i| match &i.basis {
        Basis::Cited { citations, .. } => citations.iter().map(|c| c.source).collect(),
        Basis::Row { .. } => Vec::new(),
    });
    let reports = ds
        .incidents
        .reports
        .iter()
        .flat_map(|r| r.citations.iter().map(|c| c.source));
    incidents.chain(reports).collect()
}

/// Builds one zone's timeline: evaluates the scan at every instant where the status can change
/// and keeps the intervals where it does.
/// An earlier state of knowledge's timeline, which cannot fail: ends saturate.
fn build_timeline_saturating(
    ds: &Dataset,
    zone_events: &[usize],
    known_on: Option<DateTime<Utc>>,
    keep: Option<&Keep>,
) -> Vec<Interval> {
    match build_timeline_with(ds, zone_events, known_on, true, keep) {
        Ok(intervals) => intervals,
        // Saturating arithmetic does not overflow; were it to, nothing is known rather than
        // a lookup failing.
        Err(_) => vec![Interval {
            start: None,
            end: None,
            resolution: Resolution::unknown(),
        }],
    }
}

fn build_timeline(
    ds: &Dataset,
    zone_events: &[usize],
    known_on: Option<DateTime<Utc>>,
) -> Result<Vec<Interval>, TimeOverflow> {
    build_timeline_with(ds, zone_events, known_on, false, None)
}

fn build_timeline_with(
    ds: &Dataset,
    zone_events: &[usize],
    known_on: Option<DateTime<Utc>>,
    saturate: bool,
    keep: Option<&Keep>,
) -> Result<Vec<Interval>, TimeOverflow> {
    let events: Vec<usize> = zone_events
        .iter()
        .copied()
        .filter(|&e| counts(ds, keep, e, known_on))
        .collect();

    // Breakpoints: event times, and every end any run ever had (an extension moves an end, but
    // the old end still matters if the extension came after it).
    let mut probe = ZoneScan::new(ds).saturating(saturate);
    for &e in &events {
        probe.apply(e)?;
    }
    let mut breakpoints: Vec<(DateTime<Utc>, Precision)> = events
        .iter()
        .map(|&e| (ds.events[e].moment.utc(), ds.events[e].moment.precision))
        .chain(probe.produced_ends.iter().copied())
        .collect();
    breakpoints.sort_by_key(|(t, p)| (*t, std::cmp::Reverse(*p)));
    // Keep the coarsest precision of what happens at one instant.
    breakpoints.dedup_by_key(|(t, _)| *t);

    let mut scan = ZoneScan::new(ds)
        .known_on(known_on)
        .saturating(saturate)
        .keeping(keep);
    let mut next = 0;
    let mut intervals = vec![Interval {
        start: None,
        end: None,
        resolution: Resolution::unknown(),
    }];
    let mut starts: Vec<Precision> = vec![Precision::Minute];
    for (bp, precision) in breakpoints {
        while next < events.len() && ds.events[events[next]].moment.utc() <= bp {
            scan.apply(events[next])?;
            next += 1;
        }
        let res = scan.evaluate(bp);
        if intervals.last().is_some_and(|last| last.resolution != res) {
            intervals.push(Interval {
                start: Some(bp),
                end: None,
                resolution: res,
            });
            starts.push(precision);
        }
    }

    // Ends, and `until`. A truce in effect lasts while any truce is in force (its leading
    // instrument's own end may come sooner); any other status lasts while its status, instrument
    // and beginning stay the same. A change of only the citations or of `contested` ends nothing.
    let tz = ds.meta.timezone;
    let n = intervals.len();
    let key = |r: &Resolution| match r.status {
        Status::InEffect => (r.status, None, None, false),
        _ => (r.status, r.instrument, r.since.map(|m| m.utc()), r.lapsed),
    };
    for i in 0..n {
        intervals[i].end = intervals.get(i + 1).and_then(|next| next.start);
        let this = key(&intervals[i].resolution);
        let status_end = (i + 1..n)
            .find(|&j| key(&intervals[j].resolution) != this)
            .and_then(|j| intervals[j].start.map(|t| (t, starts[j])))
            .map(|(t, precision)| Moment {
                time: tz.from_utc_datetime(&t.naive_utc()).fixed_offset(),
                precision,
            });
        let own_end = intervals[i].resolution.until;
        intervals[i].resolution.until = match (own_end, status_end) {
            (Some(a), Some(b)) => Some(if a.utc() <= b.utc() { a } else { b }),
            (a, b) => a.or(b),
        };
    }
    Ok(intervals)
}

/// Opens a dataset, a folder or (with `None`) the embedded default, and indexes it: the one way
/// in for the app, the command line and tests. Every problem found is in the error.
pub fn open(dir: Option<&std::path::Path>) -> Result<Engine, crate::load::DatasetError> {
    let (dataset, origin) = match dir {
        Some(dir) => (crate::load::load_path(dir)?, dir.display().to_string()),
        None => (
            crate::load::load_embedded()?,
            crate::load::DatasetFiles::origin(&crate::load::EmbeddedFiles),
        ),
    };
    Engine::new(dataset).map_err(|mut e| {
        e.origin = origin;
        e
    })
}

/// Opens the embedded default dataset. It is checked by the test suite, so a failure here is a
/// build defect, reported like any other dataset error rather than a panic.
pub fn default_engine() -> Result<Engine, crate::load::DatasetError> {
    open(None)
}

#[cfg(test)]
mod syria_tests;
#[cfg(test)]
mod tests;
