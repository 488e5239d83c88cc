use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use geo::{MultiPolygon, polygon};
use proptest::prelude::*;

use super::*;
use crate::model::{Citation, Event, Instrument, Meta, Source, VariantArray, Zone};

// ---------------------------------------------------------------------------------------------
// A small builder for hand-made datasets: times are hours after 2016-05-01T00:00Z.

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2016, 5, 1, 0, 0, 0)
        .single()
        .expect("valid date")
}

fn h(hours: i64) -> DateTime<Utc> {
    base() + Duration::hours(hours)
}

fn fixed(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.fixed_offset()
}

fn square() -> MultiPolygon<f64> {
    MultiPolygon(vec![
        polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 0.0)],
    ])
}

fn dataset(sources_published_at_hours: &[i64]) -> Dataset {
    let zone = |id: &str| Zone {
        id: id.into(),
        name: id.into(),
        kind: "area".into(),
        approximate: false,
        geometry_source: String::new(),
        admin_codes: Vec::new(),
        outline_by_code: false,
        geometry: square(),
    };
    Dataset {
        meta: Meta {
            name: "test".into(),
            description: String::new(),
            timezone: chrono_tz::UTC,
            default_instant: None,
            reports_until: None,
            attribution: String::new(),
            incident_files: Vec::new(),
            sides: Vec::new(),
        },
        zones: vec![zone("a"), zone("b")],
        places: Vec::new(),
        sources: sources_published_at_hours
            .iter()
            .enumerate()
            .map(|(i, &p)| Source {
                id: format!("s{i}"),
                outlet: format!("Outlet {i}"),
                headline: String::new(),
                published: Moment {
                    time: fixed(h(p)),
                    precision: Precision::Day,
                },
                published_note: String::new(),
                url: None,
                sha256: None,
                archive_file: None,
            })
            .collect(),
        instruments: (0..2)
            .map(|i| Instrument {
                id: format!("i{i}"),
                name: format!("Instrument {i}"),
                description: String::new(),
            })
            .collect(),
        events: Vec::new(),
        incidents: Default::default(),
        story: None,
        notes: Vec::new(),
    }
}

#[derive(Debug, Clone)]
struct Ev {
    kind: EventKind,
    at: i64,
    zones: Vec<usize>,
    instrument: Option<usize>,
    until: Option<i64>,
    duration: Option<u32>,
    source: usize,
    precision: Precision,
}

fn ev(kind: EventKind, at: i64, zone: usize, instrument: usize) -> Ev {
    Ev {
        kind,
        at,
        zones: vec![zone],
        instrument: Some(instrument),
        until: None,
        duration: None,
        source: 0,
        precision: Precision::Minute,
    }
}

impl Ev {
    fn hours(mut self, d: u32) -> Self {
        self.duration = Some(d);
        self
    }
    fn until(mut self, at: i64) -> Self {
        self.until = Some(at);
        self
    }
    fn source(mut self, s: usize) -> Self {
        self.source = s;
        self
    }
    fn precision(mut self, p: Precision) -> Self {
        self.precision = p;
        self
    }
}

fn with_events(mut ds: Dataset, evs: Vec<Ev>) -> Engine {
    ds.events = evs
        .into_iter()
        .enumerate()
        .map(|(i, e)| Event {
            id: format!("e{i}"),
            moment: Moment {
                time: fixed(h(e.at)),
                precision: e.precision,
            },
            as_reported: None,
            kind: e.kind,
            zones: e.zones,
            actor: "someone".into(),
            side: None,
            instrument: e.instrument,
            until: e.until.map(|u| Moment {
                time: fixed(h(u)),
                precision: e.precision,
            }),
            duration_hours: e.duration,
            citations: vec![Citation {
                source: e.source,
                quote: format!("quote {i}"),
                speaker: None,
            }],
            note: None,
            reported: ds.sources[e.source].published.utc(),
        })
        .collect();
    ds.events.sort_by_key(|e| e.moment.utc());
    Engine::new(ds).expect("no end past year 9999")
}

fn status(engine: &Engine, zone: usize, at: DateTime<Utc>) -> Status {
    engine.status(zone, at, None).status
}

const SECOND: Duration = Duration::seconds(1);
use EventKind::*;

// ---------------------------------------------------------------------------------------------

#[test]
fn a_truce_is_in_effect_at_the_instant_it_starts_and_not_a_second_before() {
    let e = with_events(dataset(&[0]), vec![ev(TruceStart, 10, 0, 0)]);
    assert_eq!(status(&e, 0, h(10) - SECOND), Status::Unknown);
    assert_eq!(status(&e, 0, h(10)), Status::InEffect);
    assert_eq!(
        status(&e, 1, h(10)),
        Status::Unknown,
        "zone b was never covered"
    );
}

#[test]
fn a_truce_ends_when_its_48_hours_run_out() {
    let e = with_events(dataset(&[0]), vec![ev(TruceStart, 0, 0, 0).hours(48)]);
    assert_eq!(status(&e, 0, h(48) - SECOND), Status::InEffect);
    let after = e.status(0, h(48), None);
    assert_eq!(after.status, Status::Unknown);
    assert!(after.lapsed, "unknown because the truce ran out");
    assert_eq!(
        after.citations.len(),
        1,
        "the lapse is cited: the quote that gave the 48 hours"
    );
    assert_eq!(e.status(0, h(1), None).until.map(|m| m.utc()), Some(h(48)));
}

#[test]
fn a_truce_with_an_until_ends_at_that_instant() {
    let e = with_events(dataset(&[0]), vec![ev(TruceStart, 0, 0, 0).until(30)]);
    assert_eq!(status(&e, 0, h(30) - SECOND), Status::InEffect);
    assert_eq!(status(&e, 0, h(30)), Status::Unknown);
}

#[test]
fn an_extension_counts_from_the_current_end() {
    let e = with_events(
        dataset(&[0]),
        vec![
            ev(TruceStart, 0, 0, 0).hours(24),
            ev(Extension, 20, 0, 0).hours(48),
        ],
    );
    assert_eq!(
        status(&e, 0, h(24)),
        Status::InEffect,
        "extended before it ran out"
    );
    assert_eq!(status(&e, 0, h(72) - SECOND), Status::InEffect);
    assert_eq!(status(&e, 0, h(72)), Status::Unknown);
    let r = e.status(0, h(30), None);
    assert_eq!(
        r.citations.len(),
        2,
        "start and extension both back the status"
    );
}

#[test]
fn an_extension_after_the_truce_ran_out_counts_from_the_extension() {
    let e = with_events(
        dataset(&[0]),
        vec![
            ev(TruceStart, 0, 0, 0).hours(24),
            ev(Extension, 30, 0, 0).hours(24),
        ],
    );
    assert_eq!(
        status(&e, 0, h(27)),
        Status::Unknown,
        "a gap between the end and the extension"
    );
    assert_eq!(status(&e, 0, h(30)), Status::InEffect);
    assert_eq!(status(&e, 0, h(54)), Status::Unknown);
}

#[test]
fn an_open_ended_truce_extended_by_hours_ends_that_long_after_the_extension() {
    let e = with_events(
        dataset(&[0]),
        vec![ev(TruceStart, 0, 0, 0), ev(Extension, 10, 0, 0).hours(24)],
    );
    assert_eq!(status(&e, 0, h(33)), Status::InEffect);
    assert_eq!(status(&e, 0, h(34)), Status::Unknown);
}

#[test]
fn a_breakdown_stops_a_truce_and_the_zone_shows_collapsed() {
    let e = with_events(
        dataset(&[0]),
        vec![ev(TruceStart, 0, 0, 0), ev(Breakdown, 5, 0, 0)],
    );
    assert_eq!(status(&e, 0, h(5) - SECOND), Status::InEffect);
    let r = e.status(0, h(5), None);
    assert_eq!(r.status, Status::Collapsed);
    assert_eq!(r.since.map(|m| m.utc()), Some(h(5)));
    assert_eq!(
        r.citations,
        vec![CiteRef {
            event: 1,
            citation: 0
        }]
    );
}

#[test]
fn a_breakdown_of_one_instrument_leaves_another_in_force() {
    let e = with_events(
        dataset(&[0]),
        vec![
            ev(TruceStart, 0, 0, 0),
            ev(TruceStart, 1, 0, 1),
            ev(Breakdown, 5, 0, 0),
        ],
    );
    let r = e.status(0, h(6), None);
    assert_eq!(r.status, Status::InEffect);
    assert_eq!(r.instrument, Some(1));
}

#[test]
fn a_truce_restarted_after_a_breakdown_is_in_effect_again() {
    let e = with_events(
        dataset(&[0]),
        vec![
            ev(TruceStart, 0, 0, 0),
            ev(Breakdown, 5, 0, 0),
            ev(TruceStart, 9, 0, 0).hours(10),
        ],
    );
    assert_eq!(status(&e, 0, h(8)), Status::Collapsed);
    assert_eq!(status(&e, 0, h(9)), Status::InEffect);
    let r = e.status(0, h(19), None);
    assert_eq!(
        (r.status, r.lapsed),
        (Status::Unknown, true),
        "the new run lapsed after the breakdown"
    );
}

#[test]
fn an_exclusion_shows_excluded_and_talks_then_show_negotiating() {
    let e = with_events(
        dataset(&[0]),
        vec![
            ev(TruceStart, 0, 0, 0),
            ev(Exclusion, 0, 1, 0),
            ev(Talks, 10, 1, 0),
            ev(TruceStart, 20, 1, 1),
        ],
    );
    assert_eq!(status(&e, 1, h(5)), Status::Excluded);
    assert_eq!(status(&e, 1, h(10)), Status::Negotiating);
    assert_eq!(
        status(&e, 1, h(20)),
        Status::InEffect,
        "talks give way to a truce"
    );
    assert_eq!(
        status(&e, 0, h(5)),
        Status::InEffect,
        "the truce holds elsewhere"
    );
}

#[test]
fn consecutive_talks_are_all_cited_and_dated_and_named_by_the_first() {
    let e = with_events(dataset(&[0]), vec![ev(Talks, 1, 0, 0), ev(Talks, 5, 0, 1)]);
    let r = e.status(0, h(6), None);
    assert_eq!(r.status, Status::Negotiating);
    assert_eq!(r.since.map(|m| m.utc()), Some(h(1)));
    assert_eq!(r.citations.len(), 2);
    assert_eq!(
        r.instrument,
        Some(0),
        "the first talks name the instrument, as they date the status and lead its quotes"
    );
}

#[test]
fn a_dispute_makes_an_in_effect_status_contested_and_keeps_the_dissent() {
    let e = with_events(
        dataset(&[0]),
        vec![ev(TruceStart, 0, 0, 0), ev(Dispute, 5, 0, 0)],
    );
    let before = e.status(0, h(4), None);
    assert!(!before.contested);
    let r = e.status(0, h(5), None);
    assert_eq!(
        r.status,
        Status::InEffect,
        "a dispute does not end the truce"
    );
    assert!(r.contested);
    assert_eq!(
        r.disputed_by,
        vec![CiteRef {
            event: 1,
            citation: 0
        }]
    );
    assert_eq!(
        r.since, before.since,
        "contested or not, the truce dates from its start"
    );
}

#[test]
fn a_dispute_of_an_earlier_run_does_not_contest_a_restarted_truce() {
    let e = with_events(
        dataset(&[0]),
        vec![
            ev(TruceStart, 0, 0, 0),
            ev(Dispute, 2, 0, 0),
            ev(TruceStart, 5, 0, 0),
        ],
    );
    assert!(e.status(0, h(3), None).contested);
    assert!(!e.status(0, h(6), None).contested);
}

#[test]
fn disagreeing_end_claims_are_contested_between_the_two_ends() {
    // One report: 72 hours from the start. Another: it ends at hour 66.
    let e = with_events(
        dataset(&[0]),
        vec![
            ev(TruceStart, 0, 0, 0).hours(72),
            ev(ScheduledEnd, 10, 0, 0).until(66),
        ],
    );
    assert!(!e.status(0, h(66) - SECOND, None).contested);
    let r = e.status(0, h(66), None);
    assert_eq!(
        r.status,
        Status::InEffect,
        "in effect until the later claimed end"
    );
    assert!(r.contested);
    assert_eq!(
        r.disputed_by,
        vec![CiteRef {
            event: 1,
            citation: 0
        }]
    );
    assert_eq!(status(&e, 0, h(72)), Status::Unknown);
}

#[test]
fn an_affirmation_backs_a_truce_in_force_and_contests_a_collapse_after_it() {
    let e = with_events(
        dataset(&[0]),
        vec![
            ev(TruceStart, 0, 0, 0),
            ev(Affirmation, 2, 0, 0),
            ev(Breakdown, 5, 0, 0),
            ev(Affirmation, 8, 0, 0),
        ],
    );
    let r = e.status(0, h(3), None);
    assert_eq!(r.citations.len(), 2, "start and the claim that it holds");
    assert!(!r.contested);
    assert!(
        !e.status(0, h(6), None).contested,
        "the earlier affirmation predates the breakdown"
    );
    let r = e.status(0, h(8), None);
    assert_eq!(r.status, Status::Collapsed);
    assert!(r.contested, "said to hold after it was reported broken");
    assert_eq!(
        r.disputed_by,
        vec![CiteRef {
            event: 3,
            citation: 0
        }]
    );
}

#[test]
fn the_most_recently_started_instrument_leads() {
    let e = with_events(
        dataset(&[0]),
        vec![ev(TruceStart, 0, 0, 0), ev(TruceStart, 10, 0, 1).hours(5)],
    );
    assert_eq!(e.status(0, h(11), None).instrument, Some(1));
    assert_eq!(
        e.status(0, h(11), None).until.map(|m| m.utc()),
        Some(h(15)),
        "the leading instrument's own end"
    );
    let r = e.status(0, h(15), None);
    assert_eq!(
        (r.status, r.instrument),
        (Status::InEffect, Some(0)),
        "the older truce is still in force"
    );
    assert_eq!(r.since.map(|m| m.utc()), Some(h(0)));
}

#[test]
fn as_known_on_ignores_events_reported_later() {
    // Source 0 published at hour 0, source 1 at hour 48.
    let e = with_events(
        dataset(&[0, 48]),
        vec![ev(TruceStart, 0, 0, 0), ev(Breakdown, 10, 0, 0).source(1)],
    );
    assert_eq!(e.status(0, h(20), None).status, Status::Collapsed);
    assert_eq!(
        e.status(0, h(20), Some(h(47))).status,
        Status::InEffect,
        "the breakdown was not reported yet"
    );
    assert_eq!(e.status(0, h(20), Some(h(48))).status, Status::Collapsed);
    assert_eq!(
        e.status(0, h(20), Some(h(0) - SECOND)).status,
        Status::Unknown,
        "nothing reported yet"
    );
}

#[test]
fn since_and_until_carry_the_precision_of_the_events_behind_them() {
    let e = with_events(
        dataset(&[0]),
        vec![
            ev(TruceStart, 0, 0, 0)
                .precision(Precision::Approximate)
                .hours(24),
            ev(Talks, 30, 0, 0).precision(Precision::Day),
        ],
    );
    let r = e.status(0, h(1), None);
    assert_eq!(r.since.map(|m| m.precision), Some(Precision::Approximate));
    assert_eq!(
        r.until.map(|m| m.precision),
        Some(Precision::Approximate),
        "24 hours after an approximate start"
    );
    let lapsed = e.status(0, h(25), None);
    assert_eq!(
        lapsed.until.map(|m| (m.utc(), m.precision)),
        Some((h(30), Precision::Day))
    );
}

#[test]
fn next_and_previous_event_step_through_a_zones_chronology() {
    let e = with_events(
        dataset(&[0, 48]),
        vec![
            ev(TruceStart, 0, 0, 0),
            ev(Talks, 5, 1, 0),
            ev(Breakdown, 10, 0, 0).source(1),
        ],
    );
    assert_eq!(e.next_event(Some(0), h(0), None), Some(2), "strictly after");
    assert_eq!(e.next_event(None, h(0), None), Some(1), "any zone");
    assert_eq!(
        e.next_event(Some(0), h(0), Some(h(1))),
        None,
        "the breakdown was not reported by then"
    );
    assert_eq!(
        e.previous_event(Some(0), h(10), None),
        Some(0),
        "strictly before"
    );
    assert_eq!(e.previous_event(None, h(10), None), Some(1));
    assert_eq!(e.previous_event(None, h(0), None), None);
    assert_eq!(e.events_around(0, h(3), 1), &[0, 2]);
}

#[test]
fn the_timeline_covers_all_of_time_with_adjacent_intervals() {
    let e = with_events(
        dataset(&[0]),
        vec![ev(TruceStart, 0, 0, 0).hours(5), ev(Talks, 10, 0, 0)],
    );
    let t = e.timeline(0, None);
    assert_eq!(t.first().map(|i| i.start), Some(None));
    assert_eq!(t.last().map(|i| i.end), Some(None));
    for pair in t.windows(2) {
        assert_eq!(pair[0].end, pair[1].start);
    }
    let statuses: Vec<Status> = t.iter().map(|i| i.resolution.status).collect();
    assert_eq!(
        statuses,
        vec![
            Status::Unknown,
            Status::InEffect,
            Status::Unknown,
            Status::Negotiating
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The index against the plain scan, on random datasets.

fn arb_event() -> impl Strategy<Value = Ev> {
    (
        prop::sample::select(EventKind::VARIANTS.to_vec()),
        0i64..120,
        prop::sample::subsequence(vec![0usize, 1], 1..=2),
        0usize..2,
        prop::option::of(1u32..60),
        prop::option::of(1i64..60),
        0usize..3,
        prop::sample::select(Precision::VARIANTS.to_vec()),
    )
        .prop_map(
            |(kind, at, zones, instrument, duration, until_after, source, precision)| {
                let timed = matches!(kind, TruceStart | Extension | ScheduledEnd);
                let (duration, until) = match (timed, duration, until_after) {
                    (false, _, _) => (None, None),
                    (true, Some(d), _) => (Some(d), None),
                    (true, None, Some(u)) => (None, Some(at + u)),
                    (true, None, None) if kind == TruceStart => (None, None),
                    (true, None, None) => (Some(24), None),
                };
                Ev {
                    kind,
                    at,
                    zones,
                    instrument: Some(instrument),
                    until,
                    duration,
                    source,
                    precision,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_indexed_lookup_agrees_with_a_plain_scan_of_the_events(
        events in prop::collection::vec(arb_event(), 0..24),
        published in prop::collection::vec(-20i64..150, 3),
        probes in prop::collection::vec((-10i64..200, 0i64..4, prop::option::of(-30i64..200)), 1..40),
    ) {
        let engine = with_events(dataset(&published), events);
        for (hour, quarter, known) in probes {
            // Whole hours hit event times and ends exactly; quarters land between them.
            let at = h(hour) + Duration::minutes(15 * quarter);
            let known_on = known.map(h);
            for zone in 0..2 {
                let indexed = engine.status(zone, at, known_on);
                let scanned = engine.status_by_scan(zone, at, known_on);
                let mut indexed_core = indexed.clone();
                // `until` needs the whole timeline; the scan knows only the instrument's own end.
                indexed_core.until = None;
                let mut scanned_core = scanned.clone();
                scanned_core.until = None;
                prop_assert_eq!(&indexed_core, &scanned_core, "zone {} at {} known on {:?}", zone, at, known_on);
                if let Some(own_end) = scanned.until {
                    let until = indexed.until.map(|m| m.utc());
                    prop_assert!(until.is_some_and(|u| u <= own_end.utc()), "until {:?} after the instrument's end", until);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The default dataset tells the story the reports tell.

fn syria() -> Engine {
    crate::default_engine().expect("the default dataset is valid")
}

fn zone(e: &Engine, id: &str) -> usize {
    e.dataset().zone_index(id).expect("zone exists")
}

fn damascus_time(text: &str) -> DateTime<Utc> {
    crate::timefmt::parse_user_time(text, chrono_tz::Asia::Damascus).expect("valid time")
}

#[test]
fn on_1_may_at_noon_damascus_is_in_effect_and_aleppo_is_negotiating() {
    let e = syria();
    let at = damascus_time("2016-05-01T12:00:00+03:00");
    let damascus = e.status(zone(&e, "damascus"), at, None);
    assert_eq!(damascus.status, Status::InEffect);
    assert_eq!(
        damascus
            .instrument
            .map(|i| e.dataset().instruments[i].id.as_str()),
        Some("roc-2016-04")
    );
    assert!(damascus.contested, "44 factions reject regional truces");
    let aleppo = e.status(zone(&e, "aleppo"), at, None);
    assert_eq!(aleppo.status, Status::Negotiating);
    let quotes: Vec<&str> = aleppo
        .citations
        .iter()
        .map(|c| {
            e.dataset().events[c.event].citations[c.citation]
                .quote
                .as_str()
        })
        .collect();
    assert!(
        quotes
            .iter()
            .any(|q| q.contains("regime of calm also in Aleppo")),
        "{quotes:?}"
    );
}

#[test]
fn aleppo_breaks_down_in_late_april_and_is_left_out_of_the_regime_of_calm() {
    let e = syria();
    let aleppo = zone(&e, "aleppo");
    assert_eq!(
        e.status(aleppo, damascus_time("2016-04-20 12:00"), None)
            .status,
        Status::InEffect
    );
    assert_eq!(
        e.status(aleppo, damascus_time("2016-04-25 12:00"), None)
            .status,
        Status::Collapsed
    );
    assert_eq!(
        e.status(aleppo, damascus_time("2016-04-29 23:00"), None)
            .status,
        Status::Excluded
    );
}

#[test]
fn the_regime_of_calm_starts_on_saturday_morning_not_when_it_was_announced() {
    let e = syria();
    let ghouta = zone(&e, "eastern-ghouta");
    let roc = e
        .dataset()
        .instruments
        .iter()
        .position(|i| i.id == "roc-2016-04");
    assert_ne!(
        e.status(ghouta, damascus_time("2016-04-29 23:00"), None)
            .instrument,
        roc
    );
    assert_eq!(
        e.status(ghouta, damascus_time("2016-04-30 12:00"), None)
            .instrument,
        roc
    );
    // 24 hours, then 48 more: to Tuesday morning.
    assert_eq!(
        e.status(ghouta, damascus_time("2016-05-03 05:00"), None)
            .instrument,
        roc
    );
    assert_ne!(
        e.status(ghouta, damascus_time("2016-05-03 07:00"), None)
            .instrument,
        roc
    );
}

#[test]
fn latakia_is_contested_between_monday_midnight_and_tuesday_morning() {
    let e = syria();
    let latakia = zone(&e, "latakia");
    let roc = e
        .dataset()
        .instruments
        .iter()
        .position(|i| i.id == "roc-2016-04");
    let r = e.status(latakia, damascus_time("2016-05-03 03:00"), None);
    assert_eq!(r.instrument, roc, "three days from Saturday morning");
    let through_monday = r
        .disputed_by
        .iter()
        .any(|c| e.dataset().events[c.event].id == "roc-latakia-through-monday");
    assert!(through_monday, "the 'through Monday' claim disputes it");
}

#[test]
fn the_48_hour_aleppo_truce_runs_out_on_saturday_and_the_renewed_cessation_remains() {
    let e = syria();
    let aleppo = zone(&e, "aleppo");
    let id = |r: &Resolution| r.instrument.map(|i| e.dataset().instruments[i].id.clone());
    let thursday = e.status(aleppo, damascus_time("2016-05-05 12:00"), None);
    assert_eq!(id(thursday).as_deref(), Some("aleppo-48h-2016-05"));
    let saturday = e.status(aleppo, damascus_time("2016-05-07 00:00"), None);
    assert_eq!(saturday.status, Status::InEffect);
    assert_eq!(id(saturday).as_deref(), Some("coh-aleppo-2016-05"));
    let wednesday = e.status(aleppo, damascus_time("2016-05-04T00:01:00+03:00"), None);
    assert_eq!(
        id(wednesday).as_deref(),
        Some("coh-aleppo-2016-05"),
        "in effect at 00:01 Damascus time"
    );
    let before = e.status(aleppo, damascus_time("2016-05-04T00:00:59+03:00"), None);
    assert_eq!(before.status, Status::Negotiating);
}

#[test]
fn known_on_1_may_the_ghouta_extension_reported_on_2_may_is_not_yet_known() {
    let e = syria();
    let ghouta = zone(&e, "eastern-ghouta");
    let at = damascus_time("2016-05-01 12:00");
    let ext = e
        .dataset()
        .event_index("roc-eastern-ghouta-extended")
        .expect("event exists");
    let now = e.status(ghouta, at, None);
    assert!(now.citations.iter().any(|c| c.event == ext));
    let then = e.status(ghouta, at, Some(damascus_time("2016-05-01 23:00")));
    assert!(then.citations.iter().all(|c| c.event != ext));
    let nothing = e.status(ghouta, at, Some(damascus_time("2016-04-30 23:00")));
    assert_eq!(
        nothing.status,
        Status::Unknown,
        "no report had been published yet"
    );
}

#[test]
fn every_status_the_default_dataset_shows_is_backed_by_a_quote() {
    let e = syria();
    for z in 0..e.dataset().zones.len() {
        for interval in e.timeline(z, None) {
            let r = &interval.resolution;
            if r.status != Status::Unknown {
                assert!(
                    !r.citations.is_empty(),
                    "zone {z} {:?} from {:?} has no citation",
                    r.status,
                    interval.start
                );
            }
            assert_eq!(r.contested, !r.disputed_by.is_empty());
        }
    }
}

#[test]
fn events_between_is_inclusive_at_both_ends_and_report_instants_are_distinct() {
    let e = with_events(
        dataset(&[0, 48]),
        vec![
            ev(TruceStart, 0, 0, 0),
            ev(Talks, 5, 1, 0),
            ev(Breakdown, 10, 0, 0).source(1),
        ],
    );
    assert_eq!(e.events_between(h(0), h(10)), &[0, 1, 2]);
    assert_eq!(e.events_between(h(1), h(9)), &[1]);
    assert!(e.events_between(h(11), h(20)).is_empty());
    assert!(
        e.events_between(h(9), h(1)).is_empty(),
        "an inverted range is empty"
    );
    assert_eq!(e.report_instants(), &[h(0), h(48)]);
}

// ---------------------------------------------------------------------------------------------
// "According to whom": a filtered engine against a dataset that holds only what it keeps.

/// An event cited by several sources, and maybe on a side.
#[derive(Debug, Clone)]
struct Cited {
    ev: Ev,
    more_sources: Vec<usize>,
    side: Option<usize>,
    actor: usize,
}

fn arb_cited() -> impl Strategy<Value = Cited> {
    (
        arb_event(),
        prop::collection::vec(0usize..3, 0..3),
        prop::option::of(0usize..2),
        0usize..2,
    )
        .prop_map(|(ev, more_sources, side, actor)| Cited {
            ev,
            more_sources,
            side,
            actor,
        })
}

/// Every event with each of its citations; `reported` from the sources behind it.
fn cited_dataset(published: &[i64], evs: &[Cited]) -> Dataset {
    let mut ds = dataset(published);
    ds.meta.sides = (0..2)
        .map(|i| crate::model::Side {
            id: format!("side{i}"),
            name: format!("Side {i}"),
            description: String::new(),
        })
        .collect();
    ds.events = evs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut sources = vec![c.ev.source];
            sources.extend(&c.more_sources);
            let citations: Vec<Citation> = sources
                .iter()
                .enumerate()
                .map(|(j, &source)| Citation {
                    source,
                    quote: format!("quote {i}.{j}"),
                    speaker: None,
                })
                .collect();
            let reported = sources
                .iter()
                .map(|&s| ds.sources[s].published.utc())
                .min()
                .expect("one source at least");
            Event {
                id: format!("e{i}"),
                moment: Moment {
                    time: fixed(h(c.ev.at)),
                    precision: c.ev.precision,
                },
                as_reported: None,
                kind: c.ev.kind,
                zones: c.ev.zones.clone(),
                actor: format!("actor {}", c.actor),
                side: c.side,
                instrument: c.ev.instrument,
                until: c.ev.until.map(|u| Moment {
                    time: fixed(h(u)),
                    precision: c.ev.precision,
                }),
                duration_hours: c.ev.duration,
                citations,
                note: None,
                reported,
            }
        })
        .collect();
    ds.events.sort_by_key(|e| e.moment.utc());
    ds
}

/// What the dataset would be had its author kept only what the filter keeps: written from the
/// rule in the filter's documentation, not from the engine's code.
fn only_what_is_kept(ds: &Dataset, filter: &Filter) -> Dataset {
    let mut kept = ds.clone();
    kept.events = ds
        .events
        .iter()
        .filter(|ev| {
            let side = filter
                .sides
                .as_ref()
                .is_none_or(|s| ev.side.is_some_and(|side| s.contains(&side)));
            let actor = filter.actors.as_ref().is_none_or(|a| a.contains(&ev.actor));
            side && actor
        })
        .filter_map(|ev| {
            let mut ev = ev.clone();
            ev.citations.retain(|c| {
                filter
                    .sources
                    .as_ref()
                    .is_none_or(|s| s.contains(&c.source))
            });
            ev.reported = ev
                .citations
                .iter()
                .map(|c| ds.sources[c.source].published.utc())
                .min()?;
            Some(ev)
        })
        .collect();
    kept
}

/// A citation named by its event's id and its quote.
type Named = (String, String);

/// A resolution with its citations named by event id and quote, so that two datasets whose
/// event indices differ can be compared.
#[derive(Debug, PartialEq)]
struct NamedResolution {
    status: Status,
    contested: bool,
    instrument: Option<usize>,
    since_until: String,
    citations: Vec<Named>,
    disputed_by: Vec<Named>,
    lapsed: bool,
}

fn named(engine: &Engine, r: &Resolution) -> NamedResolution {
    let ds = engine.dataset();
    let name = |c: &CiteRef| {
        (
            ds.events[c.event].id.clone(),
            ds.events[c.event].citations[c.citation].quote.clone(),
        )
    };
    NamedResolution {
        status: r.status,
        contested: r.contested,
        instrument: r.instrument,
        since_until: format!("{:?} {:?}", r.since, r.until),
        citations: r.citations.iter().map(name).collect(),
        disputed_by: r.disputed_by.iter().map(name).collect(),
        lapsed: r.lapsed,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_status_from_a_subset_of_sources_is_the_status_of_a_dataset_of_only_their_citations(
        events in prop::collection::vec(arb_cited(), 0..20),
        published in prop::collection::vec(-20i64..150, 3),
        sources in prop::option::of(prop::collection::btree_set(0usize..3, 0..=3)),
        sides in prop::option::of(prop::collection::btree_set(0usize..2, 0..=2)),
        actors in prop::option::of(prop::collection::btree_set(0usize..2, 0..=2)),
        probes in prop::collection::vec((-10i64..200, 0i64..4, prop::option::of(-30i64..200)), 1..30),
    ) {
        let ds = cited_dataset(&published, &events);
        let filter = Filter {
            sources,
            sides,
            actors: actors.map(|a| a.iter().map(|i| format!("actor {i}")).collect()),
        };
        let Ok(whole) = Engine::new(ds.clone()) else {
            return Ok(());
        };
        let filtered = whole.filtered(&filter);
        let Ok(subset) = Engine::new(only_what_is_kept(&ds, &filter)) else {
            return Ok(());
        };
        prop_assert_eq!(filtered.report_instants(), subset.report_instants());
        for (hour, quarter, known) in probes {
            let at = h(hour) + Duration::minutes(15 * quarter);
            let known_on = known.map(h);
            for zone in 0..2 {
                let a = named(&filtered, filtered.status(zone, at, known_on));
                let b = named(&subset, subset.status(zone, at, known_on));
                prop_assert_eq!(a, b, "zone {} at {} known on {:?}", zone, at, known_on);
            }
            let next = |e: &Engine| e.next_event(None, at, known_on).map(|i| e.dataset().events[i].id.clone());
            prop_assert_eq!(next(&filtered), next(&subset));
        }
    }
}

#[test]
fn a_filter_that_keeps_every_source_changes_nothing() {
    let ds = cited_dataset(
        &[0, 10, 20],
        &[Cited {
            ev: ev(TruceStart, 1, 0, 0).hours(24),
            more_sources: vec![1],
            side: Some(0),
            actor: 0,
        }],
    );
    let whole = Engine::new(ds).expect("valid");
    let all = Filter {
        sources: Some((0..3).collect()),
        ..Filter::default()
    };
    let filtered = whole.filtered(&all);
    for hour in [0, 2, 30] {
        assert_eq!(
            filtered.status(0, h(hour), None),
            whole.status(0, h(hour), None)
        );
    }
    assert_eq!(filtered.filter(), Some(&all));
    assert_eq!(whole.filter(), None);
}

#[test]
fn a_truce_only_one_source_reports_is_unknown_without_that_source() {
    let ds = cited_dataset(
        &[0, 10, 20],
        &[Cited {
            ev: ev(TruceStart, 1, 0, 0).source(2),
            more_sources: Vec::new(),
            side: None,
            actor: 0,
        }],
    );
    let whole = Engine::new(ds).expect("valid");
    assert_eq!(status(&whole, 0, h(5)), Status::InEffect);
    let without = whole.filtered(&Filter {
        sources: Some([0, 1].into()),
        ..Filter::default()
    });
    assert_eq!(status(&without, 0, h(5)), Status::Unknown);
    assert!(!without.known(0, None), "the event no longer counts");
    assert!(without.next_event(None, h(0), None).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn diff_names_exactly_the_zones_whose_status_contested_flag_or_instrument_differ(
        events in prop::collection::vec(arb_event(), 0..20),
        published in prop::collection::vec(-20i64..150, 3),
        pairs in prop::collection::vec(
            ((-10i64..200, prop::option::of(-30i64..200)), (-10i64..200, prop::option::of(-30i64..200))),
            1..20,
        ),
    ) {
        let engine = with_events(dataset(&published), events);
        for ((a, ka), (b, kb)) in pairs {
            let from = crate::compare::View { at: h(a), known_on: ka.map(h) };
            let to = crate::compare::View { at: h(b), known_on: kb.map(h) };
            let listed: Vec<usize> = crate::compare::diff(&engine, from, to).iter().map(|c| c.zone).collect();
            let expected: Vec<usize> = (0..2)
                .filter(|&z| {
                    let x = engine.status_by_scan(z, from.at, from.known_on);
                    let y = engine.status_by_scan(z, to.at, to.known_on);
                    (x.status, x.contested, x.instrument) != (y.status, y.contested, y.instrument)
                })
                .collect();
            prop_assert_eq!(listed, expected);
        }
    }
}
