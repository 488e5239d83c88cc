//! Claims against violence: incidents placed in the zones and counted against each zone's
//! status intervals, set by set (the dataset's own, each imported file), never added across
//! sets. The rule for counting is written once, here and in data/FORMAT.md ("Counting
//! incidents"): an incident spans a half-open stretch of time; it counts in every interval it
//! overlaps, as "whole" where it lies inside it and "partly" where it only overlaps.

pub mod doc;
pub mod import;
pub mod listing;
mod place;
#[cfg(test)]
mod tests;
pub mod view;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::engine::Engine;
use crate::model::incidents::{AggregateReport, Basis, Incident, IncidentSet};
use crate::model::{Dataset, Status, Zone};

/// One set with each incident placed: per zone, its incidents in time order.
#[derive(Debug, Clone)]
pub struct Placed {
    pub set: Arc<IncidentSet>,
    by_zone: Vec<Vec<u32>>,
    /// Per zone, the longest span among its incidents, to bound a search by start time.
    longest: Vec<i64>,
    /// The incidents in no zone: kept and counted, never dropped.
    pub outside: Vec<u32>,
}

impl Placed {
    /// Places every incident of the set (on several threads for a big set).
    pub fn new(set: Arc<IncidentSet>, zones: &[Zone]) -> Placed {
        let grid = place::ZoneGrid::new(zones);
        let n = set.incidents.len();
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get().min(8));
        let chunk = n.div_ceil(threads).max(50_000);
        let parts: Vec<Vec<(u32, u32)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..n)
                .step_by(chunk)
                .map(|lo| {
                    let (grid, set) = (&grid, &set);
                    scope.spawn(move || {
                        let mut found = Vec::new();
                        let mut pairs = Vec::new();
                        for i in lo..(lo + chunk).min(n) {
                            grid.zones_of(&set.incidents[i], &mut found);
                            if found.is_empty() {
                                pairs.push((u32::MAX, i as u32));
                            }
                            pairs.extend(found.iter().map(|&z| (z, i as u32)));
                        }
                        pairs
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut by_zone = vec![Vec::new(); zones.len()];
        let mut longest = vec![0i64; zones.len()];
        let mut outside = Vec::new();
        // The parts are in incident order, and the incidents in time order: so is each list.
        for (z, i) in parts.into_iter().flatten() {
            let Some(list) = by_zone.get_mut(z as usize) else {
                outside.push(i);
                continue;
            };
            let span = set.incidents[i as usize].span;
            longest[z as usize] = longest[z as usize].max(span.end - span.start);
            list.push(i);
        }
        Placed {
            set,
            by_zone,
            longest,
            outside,
        }
    }

    /// The zone's incidents whose span meets `[from, to)` (`None`: unbounded), in time order.
    pub fn meeting(&self, zone: usize, from: Option<i64>, to: Option<i64>) -> &[u32] {
        let Some(list) = self.by_zone.get(zone) else {
            return &[];
        };
        let incidents = &self.set.incidents;
        let start = |i: &u32| incidents[*i as usize].span.start;
        // A span that ends after `from` starts after `from - longest`.
        let lo = from.map_or(0, |f| {
            let earliest = f.saturating_sub(self.longest[zone]);
            list.partition_point(|i| start(i) < earliest)
        });
        let hi = to.map_or(list.len(), |t| list.partition_point(|i| start(i) < t));
        &list[lo..hi.max(lo)]
    }

    pub fn in_zone(&self, zone: usize) -> usize {
        self.by_zone.get(zone).map_or(0, Vec::len)
    }
}

/// Every set, placed: the dataset's own first (when it has any), then the imported files in the
/// order they were added.
#[derive(Debug, Clone, Default)]
pub struct Incidents {
    pub sets: Vec<Placed>,
}

impl Incidents {
    pub fn new(ds: &Dataset, imported: &[Arc<IncidentSet>]) -> Incidents {
        let own = (!ds.incidents.is_empty()).then(|| Arc::clone(&ds.incidents));
        let sets = own
            .into_iter()
            .chain(imported.iter().cloned())
            .map(|set| Placed::new(set, &ds.zones))
            .collect();
        Incidents { sets }
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// The credit lines of the sets shown, for attributions, captions and exports.
    pub fn credits(&self) -> Vec<&'static str> {
        let mut credits: Vec<&'static str> = self
            .sets
            .iter()
            .map(|p| p.set.kind.credit())
            .filter(|c| !c.is_empty())
            .collect();
        credits.dedup();
        credits
    }

    /// The credits in one short line for the map ("Incidents: ACLED, acleddata.com · UCDP
    /// GED (…)"), `None` without imported data.
    pub fn short_credit(&self) -> Option<String> {
        let mut parts: Vec<&str> = self
            .sets
            .iter()
            .map(|p| p.set.kind.short_credit())
            .filter(|c| !c.is_empty())
            .collect();
        parts.dedup();
        (!parts.is_empty()).then(|| format!("Incidents: {}", parts.join(" · ")))
    }
}

/// Whether a record counts in this view: the dataset's own only if reported by "as known on"
/// and cited by a source the filter keeps; imported rows always (they carry no publication
/// date and no quote, which every output says).
pub fn heard(engine: &Engine, incident: &Incident, known_on: Option<DateTime<Utc>>) -> bool {
    match &incident.basis {
        Basis::Cited { citations, .. } => {
            incident.known_by(known_on) && citations.iter().any(|c| engine.hears(c.source))
        }
        Basis::Row { .. } => true,
    }
}

pub fn report_heard(
    engine: &Engine,
    report: &AggregateReport,
    known_on: Option<DateTime<Utc>>,
) -> bool {
    known_on.is_none_or(|k| report.reported <= k)
        && report.citations.iter().any(|c| engine.hears(c.source))
}

/// What one set holds in one stretch of time in one zone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Incidents wholly inside the stretch.
    pub whole: u64,
    /// Incidents that overlap it only in part (reported apart, never added in).
    pub partly: u64,
    /// Sums of the whole incidents' best and low figures; `None` where none gives one.
    pub best: Option<u64>,
    pub low: Option<u64>,
}

/// Counts one set's incidents in a zone over `[from, to)` (the counting rule).
pub fn tally(
    engine: &Engine,
    placed: &Placed,
    zone: usize,
    (from, to): (Option<i64>, Option<i64>),
    known_on: Option<DateTime<Utc>>,
) -> Tally {
    let mut t = Tally::default();
    for &i in placed.meeting(zone, from, to) {
        let incident = &placed.set.incidents[i as usize];
        if !incident.span.overlaps(from, to) || !heard(engine, incident, known_on) {
            continue;
        }
        if incident.span.within(from, to) {
            t.whole += 1;
            let f = incident.fatalities;
            if let Some(b) = f.best {
                t.best = Some(t.best.unwrap_or(0) + u64::from(b));
            }
            if let Some(l) = f.low {
                t.low = Some(t.low.unwrap_or(0) + u64::from(l));
            }
        } else {
            t.partly += 1;
        }
    }
    t
}

/// A stretch of one status in a zone's timeline (neighbouring intervals of the same status
/// joined), with each set's tally, the same for an equal stretch just before it, and the
/// aggregate reports that overlap it.
#[derive(Debug, Clone)]
pub struct StatusStretch {
    pub status: Status,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub sets: Vec<Tally>,
    /// `None` where the stretch has no start or no end (no equal length to compare).
    pub before: Option<Vec<Tally>>,
    /// Indices into the dataset's aggregate reports.
    pub reports: Vec<usize>,
}

impl StatusStretch {
    /// Its length in seconds, when it has both ends.
    pub fn seconds(&self) -> Option<i64> {
        Some(self.to?.timestamp() - self.from?.timestamp())
    }
}

/// The zone's status stretches with the incidents counted in each (see [`StatusStretch`]).
pub fn by_status(
    engine: &Engine,
    incidents: &Incidents,
    zone: usize,
    known_on: Option<DateTime<Utc>>,
) -> Vec<StatusStretch> {
    let mut stretches: Vec<StatusStretch> = Vec::new();
    for iv in engine.timeline(zone, known_on) {
        let status = iv.resolution.status;
        match stretches.last_mut() {
            Some(last) if last.status == status => last.to = iv.end,
            _ => stretches.push(StatusStretch {
                status,
                from: iv.start,
                to: iv.end,
                sets: Vec::new(),
                before: None,
                reports: Vec::new(),
            }),
        }
    }
    let ds = engine.dataset();
    for s in &mut stretches {
        let range = (s.from.map(|t| t.timestamp()), s.to.map(|t| t.timestamp()));
        let count = |range| {
            incidents
                .sets
                .iter()
                .map(|p| tally(engine, p, zone, range, known_on))
                .collect::<Vec<_>>()
        };
        s.sets = count(range);
        if let (Some(from), Some(len)) = (range.0, s.seconds()) {
            s.before = Some(count((Some(from - len), Some(from))));
        }
        s.reports = ds
            .incidents
            .reports
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.zones.contains(&zone)
                    && r.span.overlaps(range.0, range.1)
                    && report_heard(engine, r, known_on)
            })
            .map(|(i, _)| i)
            .collect();
    }
    stretches
}
