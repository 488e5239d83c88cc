//! Compare two views: what changed between instant A and instant B, or between what was known
//! on one day and what was known on another ("what did we get wrong on 1 May"). A view is an
//! instant with an "as known on" date; a zone changed when its status, its contested flag or
//! its instrument differs between the two. No egui here: the CLI's `diff` and the app's
//! Compare window read the same list.

use chrono::{DateTime, Utc};

use crate::engine::{Engine, Resolution};

/// One side of a comparison: an instant, as known on a date (or with everything known).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub at: DateTime<Utc>,
    pub known_on: Option<DateTime<Utc>>,
}

/// What differs about a zone's status between two views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Changed {
    pub status: bool,
    pub contested: bool,
    pub instrument: bool,
}

impl Changed {
    fn between(a: &Resolution, b: &Resolution) -> Changed {
        Changed {
            status: a.status != b.status,
            contested: a.contested != b.contested,
            instrument: a.instrument != b.instrument,
        }
    }

    pub fn any(self) -> bool {
        self.status || self.contested || self.instrument
    }

    /// The names of what changed, as the JSON gives them: `status`, `contested`, `instrument`.
    pub fn names(self) -> Vec<&'static str> {
        [
            (self.status, "status"),
            (self.contested, "contested"),
            (self.instrument, "instrument"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
    }
}

/// A zone whose status changed, and the events that explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change<'e> {
    pub zone: usize,
    pub changed: Changed,
    pub from: &'e Resolution,
    pub to: &'e Resolution,
    /// The zone's events one view counts and the other does not, in time order: those that
    /// happened between the two instants, and those reported between the two dates.
    pub events: Vec<usize>,
}

/// Every zone whose status, contested flag or instrument differs between `from` and `to`, in
/// the dataset's zone order. O(zones x log events) for the statuses, plus the zone's events up
/// to the later instant for each zone that changed.
pub fn diff(engine: &Engine, from: View, to: View) -> Vec<Change<'_>> {
    (0..engine.dataset().zones.len())
        .filter_map(|zone| {
            let a = engine.status(zone, from.at, from.known_on);
            let b = engine.status(zone, to.at, to.known_on);
            let changed = Changed::between(a, b);
            changed.any().then(|| Change {
                zone,
                changed,
                from: a,
                to: b,
                events: events_between(engine, zone, from, to),
            })
        })
        .collect()
}

/// The zone's events that one view counts and the other does not: a view counts an event that
/// happened by its instant and was reported by its date.
pub fn events_between(engine: &Engine, zone: usize, from: View, to: View) -> Vec<usize> {
    let latest = from.at.max(to.at);
    let counts = |e: usize, v: View| {
        engine.dataset().events[e].moment.utc() <= v.at && engine.known(e, v.known_on)
    };
    engine
        .events_up_to(zone, latest)
        .iter()
        .copied()
        .filter(|&e| counts(e, from) != counts(e, to))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn syria() -> Engine {
        crate::default_engine().expect("the default dataset is valid")
    }

    fn t(text: &str) -> DateTime<Utc> {
        crate::timefmt::parse_user_time(text, chrono_tz::Asia::Damascus).expect("valid time")
    }

    fn view(at: &str, known_on: Option<&str>) -> View {
        View {
            at: t(at),
            known_on: known_on.map(t),
        }
    }

    /// The reference: every zone compared field by field, by a plain scan.
    fn by_scan(e: &Engine, from: View, to: View) -> Vec<(usize, Changed)> {
        (0..e.dataset().zones.len())
            .filter_map(|z| {
                let a = e.status_by_scan(z, from.at, from.known_on);
                let b = e.status_by_scan(z, to.at, to.known_on);
                let c = Changed {
                    status: a.status != b.status,
                    contested: a.contested != b.contested,
                    instrument: a.instrument != b.instrument,
                };
                (c.status || c.contested || c.instrument).then_some((z, c))
            })
            .collect()
    }

    #[test]
    fn diff_lists_exactly_the_zones_whose_status_contested_flag_or_instrument_changed() {
        let e = syria();
        let (lo, hi) = e.span();
        let step = (hi - lo) / 23;
        let instants: Vec<DateTime<Utc>> = (0..24).map(|i| lo + step * i).collect();
        let mut knowledge: Vec<Option<DateTime<Utc>>> =
            e.report_instants().iter().copied().map(Some).collect();
        knowledge.push(None);
        for &a in &instants {
            for &b in instants.iter().step_by(5) {
                for &k in &knowledge {
                    let (from, to) = (
                        View { at: a, known_on: k },
                        View {
                            at: b,
                            known_on: None,
                        },
                    );
                    let listed: Vec<(usize, Changed)> = diff(&e, from, to)
                        .iter()
                        .map(|c| (c.zone, c.changed))
                        .collect();
                    assert_eq!(listed, by_scan(&e, from, to), "{a} -> {b}, known on {k:?}");
                }
            }
        }
    }

    #[test]
    fn from_the_regime_of_calm_to_the_aleppo_truce_aleppo_and_the_events_between_are_listed() {
        let e = syria();
        let from = view("2016-05-01 12:00", None);
        let to = view("2016-05-05 12:00", None);
        let changes = diff(&e, from, to);
        let aleppo = e.dataset().zone_index("aleppo").expect("zone");
        let change = changes
            .iter()
            .find(|c| c.zone == aleppo)
            .expect("Aleppo changed");
        assert_eq!(change.from.status, Status::Negotiating);
        assert_eq!(change.to.status, Status::InEffect);
        assert!(change.changed.status);
        let ids: Vec<&str> = change
            .events
            .iter()
            .map(|&i| e.dataset().events[i].id.as_str())
            .collect();
        assert!(ids.contains(&"aleppo-48-hour-truce"), "{ids:?}");
        for &i in &change.events {
            let when = e.dataset().events[i].moment.utc();
            assert!(from.at < when && when <= to.at, "{ids:?}");
        }
    }

    #[test]
    fn as_known_on_1_may_against_everything_known_lists_what_was_reported_later() {
        let e = syria();
        let at = "2016-05-02 12:00";
        let changes = diff(&e, view(at, Some("2016-05-01")), view(at, None));
        assert!(!changes.is_empty());
        for c in &changes {
            for &i in &c.events {
                let ev = &e.dataset().events[i];
                assert!(!e.known(i, Some(t("2016-05-01 23:59:59"))), "{}", ev.id);
                assert!(ev.moment.utc() <= t(at), "{}", ev.id);
            }
        }
        // The same view twice: nothing changed.
        assert!(diff(&e, view(at, None), view(at, None)).is_empty());
    }
}
