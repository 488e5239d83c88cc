//! The default dataset read as a fact-checker would: for each reading the five reports support
//! (the issue "Truth: say what the reports support"), the engine's answer at the instants named.
//! Times are in Damascus (UTC+3 in May 2016).

use chrono::{DateTime, Utc};

use super::*;
use crate::model::Status;

fn engine() -> Engine {
    crate::default_engine().expect("the default dataset is valid")
}

fn t(text: &str) -> DateTime<Utc> {
    crate::timefmt::parse_user_time(text, chrono_tz::Asia::Damascus).expect("valid")
}

fn zone(e: &Engine, id: &str) -> usize {
    e.dataset().zone_index(id).expect("zone")
}

fn instrument(e: &Engine, r: &Resolution) -> String {
    r.instrument
        .map(|i| e.dataset().instruments[i].id.clone())
        .unwrap_or_default()
}

/// The ids of the events behind a list of citations.
fn events_of(e: &Engine, cites: &[CiteRef]) -> Vec<String> {
    cites
        .iter()
        .map(|c| e.dataset().events[c.event].id.clone())
        .collect()
}

fn event<'a>(e: &'a Engine, id: &str) -> &'a crate::model::Event {
    let ds = e.dataset();
    &ds.events[ds.event_index(id).expect("event")]
}

#[test]
fn after_the_regime_of_calm_the_february_cessation_is_never_plainly_in_force() {
    let e = engine();
    for id in ["damascus", "latakia", "eastern-ghouta"] {
        let z = zone(&e, id);
        for at in ["2016-05-03 12:00", "2016-05-04 12:00", "2016-05-08 12:00"] {
            let r = e.status(z, t(at), None);
            let plain = r.status == Status::InEffect && !r.contested;
            assert!(!plain, "{id} at {at}: {r:?}");
            if r.status == Status::InEffect {
                assert_eq!(instrument(&e, r), "coh-2016-02", "{id} at {at}");
                let dissent = events_of(&e, &r.disputed_by);
                assert!(
                    dissent.contains(&"coh-all-but-collapsed".to_string()),
                    "{id}: {dissent:?}"
                );
            }
        }
    }
}

#[test]
fn aleppos_48_hours_are_in_effect_thursday_to_saturday_and_contested_after() {
    let e = engine();
    let aleppo = zone(&e, "aleppo");
    for at in ["2016-05-05 00:00", "2016-05-05 12:00", "2016-05-06 23:00"] {
        let r = e.status(aleppo, t(at), None);
        assert_eq!(r.status, Status::InEffect, "{at}");
        assert!(!r.contested, "both sources agree at {at}: {r:?}");
        let behind = events_of(&e, &r.citations);
        assert!(
            behind.contains(&"aleppo-renewed-cessation".to_string()),
            "{at}"
        );
        assert!(behind.contains(&"aleppo-48-hour-truce".to_string()), "{at}");
    }
    for at in ["2016-05-07 00:00", "2016-05-08 12:00"] {
        let r = e.status(aleppo, t(at), None);
        assert_eq!(r.status, Status::InEffect, "{at}");
        assert!(
            r.contested,
            "the end is contested from Saturday 00:00, at {at}"
        );
        assert_eq!(instrument(&e, r), "coh-aleppo-2016-05");
        let dissent = events_of(&e, &r.disputed_by);
        assert!(
            dissent.contains(&"aleppo-government-48-hours-run-out".to_string()),
            "{dissent:?}"
        );
    }
}

#[test]
fn aleppo_on_wednesday_4_may_is_in_effect_per_the_us_and_contested() {
    let e = engine();
    let aleppo = zone(&e, "aleppo");
    let before = e.status(aleppo, t("2016-05-04 00:00"), None);
    assert_ne!(before.status, Status::InEffect, "not before 00:01");
    for at in ["2016-05-04 00:01", "2016-05-04 12:00", "2016-05-04 23:59"] {
        let r = e.status(aleppo, t(at), None);
        assert_eq!(r.status, Status::InEffect, "{at}");
        assert_eq!(instrument(&e, r), "coh-aleppo-2016-05");
        assert!(r.contested, "{at}");
        let dissent = events_of(&e, &r.disputed_by);
        assert!(
            dissent.contains(&"aleppo-government-starts-thursday".to_string()),
            "{dissent:?}"
        );
    }
}

#[test]
fn as_known_on_1_may_latakia_and_ghouta_are_under_the_regime_of_calm() {
    let e = engine();
    let tz = e.dataset().meta.timezone;
    let known = crate::timefmt::parse_known_on("2016-05-01", tz).expect("valid");
    let noon = t("2016-05-01 12:00");
    for id in ["latakia", "eastern-ghouta"] {
        let r = e.status(zone(&e, id), noon, Some(known));
        assert_eq!(r.status, Status::InEffect, "{id}");
        assert_eq!(instrument(&e, r), "roc-2016-04", "{id}");
        // Only what was published by the end of 1 May is cited.
        for c in r.citations.iter().chain(&r.disputed_by) {
            let source = e.dataset().events[c.event].citations[c.citation].source;
            assert!(
                e.dataset().sources[source].published.utc() <= known,
                "{id}: {c:?}"
            );
        }
    }
    let latakia = e.status(zone(&e, "latakia"), noon, Some(known));
    let until = latakia.until.expect("an end");
    assert_eq!(
        until.utc(),
        t("2016-05-03 00:00"),
        "to the end of Monday 2 May"
    );
    let note = event(&e, "roc-starts-eastern-ghouta")
        .note
        .clone()
        .unwrap_or_default();
    assert!(
        note.contains("the Damascus suburbs") && note.contains("some of its outskirts"),
        "{note}"
    );
}

#[test]
fn the_damascus_and_ghouta_extensions_disagree_between_monday_and_tuesday_morning() {
    let e = engine();
    for id in ["damascus", "eastern-ghouta"] {
        let z = zone(&e, id);
        let saturday = e.status(z, t("2016-04-30 12:00"), None);
        assert_eq!(
            instrument(&e, saturday),
            "roc-2016-04",
            "{id}: from Saturday morning"
        );
        let sunday = e.status(z, t("2016-05-01 12:00"), None);
        let extension = "roc-damascus-extended".to_string();
        assert!(
            !events_of(&e, &sunday.disputed_by).contains(&extension),
            "{id} Sunday"
        );
        assert_eq!(
            sunday.until.map(|m| m.utc()),
            Some(t("2016-05-03 06:00")),
            "{id}: the latest claim runs to Tuesday morning"
        );
        let monday_early = e.status(z, t("2016-05-02 05:59"), None);
        assert!(
            !events_of(&e, &monday_early.disputed_by).contains(&extension),
            "{id}"
        );
        let monday = e.status(z, t("2016-05-02 06:00"), None);
        assert!(
            events_of(&e, &monday.disputed_by).contains(&extension),
            "{id}: contested from Monday morning"
        );
        assert_eq!(instrument(&e, monday), "roc-2016-04");
        let tuesday = e.status(z, t("2016-05-03 06:00"), None);
        assert_eq!(
            instrument(&e, tuesday),
            "coh-2016-02",
            "{id}: the regime of calm is over"
        );
    }
}

#[test]
fn the_deep_concern_quote_names_no_speaker_and_kirby_is_credited_with_his_own_sentence() {
    let e = engine();
    let ev = event(&e, "kerry-deep-concern");
    assert_eq!(ev.citations[0].speaker, None);
    let kirby = ev
        .citations
        .iter()
        .find(|c| c.speaker.as_deref().is_some_and(|s| s.contains("Kirby")))
        .expect("a citation for Kirby");
    assert!(kirby.quote.contains("John Kirby said"), "{}", kirby.quote);
}

#[test]
fn each_exclusion_of_aleppo_names_the_actor_its_report_names() {
    let e = engine();
    let ds = e.dataset();
    let outlet = |c: &crate::model::Citation| ds.sources[c.source].id.clone();
    let army = event(&e, "aleppo-excluded-from-roc");
    assert_eq!(army.actor, "Syrian army");
    assert!(army.citations.iter().all(|c| outlet(c) != "mee-2016-05-04"));
    let powers = event(&e, "aleppo-left-out-of-us-russian-monitoring");
    assert_eq!(powers.actor, "Washington and Moscow");
    assert!(
        powers
            .citations
            .iter()
            .any(|c| c.quote.contains("excluded from their efforts"))
    );
}

#[test]
fn the_factions_rejection_of_leaving_aleppo_out_is_its_own_dispute() {
    let e = engine();
    let dead = event(&e, "factions-call-coh-dead");
    assert!(
        dead.citations
            .iter()
            .all(|c| !c.quote.contains("previously rejected"))
    );
    assert!(
        dead.citations
            .iter()
            .any(|c| c.quote.contains("practically dead"))
    );
    let reject = event(&e, "factions-reject-aleppo-exclusion");
    assert_eq!(reject.kind, crate::model::EventKind::Dispute);
    assert_eq!(reject.zones, vec![zone(&e, "aleppo")]);
    assert!(
        reject.citations[0]
            .quote
            .contains("previously rejected excluding Aleppo")
    );
}

#[test]
fn the_two_readings_of_the_cessations_scope_are_shown_as_a_dispute() {
    let e = engine();
    let start = event(&e, "coh-takes-effect");
    assert_eq!(start.citations.len(), 1);
    assert!(
        start.citations[0]
            .quote
            .contains("al Qaeda and Islamic State")
    );
    let scope = event(&e, "factions-coh-scope");
    assert_eq!(scope.kind, crate::model::EventKind::Dispute);
    assert!(
        scope.citations[0]
            .quote
            .contains("except the areas under the control of the Islamic State group")
    );
    let r = e.status(zone(&e, "damascus"), t("2016-05-02 12:00"), None);
    assert!(events_of(&e, &r.disputed_by).contains(&"factions-coh-scope".to_string()));
}

#[test]
fn aleppos_talks_name_the_regime_of_calm_that_their_lead_quote_is_about() {
    let e = engine();
    let aleppo = zone(&e, "aleppo");
    for at in ["2016-05-01 12:00", "2016-05-03 12:00"] {
        let r = e.status(aleppo, t(at), None);
        assert_eq!(r.status, Status::Negotiating, "{at}");
        assert_eq!(instrument(&e, r), "roc-2016-04", "{at}");
        let lead = &e.dataset().events[r.citations[0].event];
        assert_eq!(lead.id, "russia-talks-on-aleppo", "{at}");
    }
}

#[test]
fn the_claims_the_reports_make_are_all_in_the_dataset() {
    let e = engine();
    let quotes: Vec<&str> = e
        .dataset()
        .events
        .iter()
        .flat_map(|ev| ev.citations.iter().map(|c| c.quote.as_str()))
        .collect();
    for claim in [
        "will do its part with the opposition",
        "We are hopeful but we are not there yet",
        "the right to respond in the time and place of their choosing",
        "keep extra staff in Geneva",
    ] {
        assert!(quotes.iter().any(|q| q.contains(claim)), "{claim}");
    }
}

#[test]
fn the_reports_speak_up_to_the_end_of_4_may_and_no_further() {
    let e = engine();
    assert_eq!(e.horizon(None), Some(t("2016-05-04 23:59:59")));
    assert!(!e.after_reports(t("2016-05-02 12:00"), None));
    assert!(!e.after_reports(t("2016-05-04 23:59:59"), None));
    assert!(e.after_reports(t("2016-05-05 00:00"), None));
    assert!(e.after_reports(t("2016-05-08 12:00"), None));
    // As known on 1 May, the reports speak up to the end of 1 May.
    let tz = e.dataset().meta.timezone;
    let known = crate::timefmt::parse_known_on("2016-05-01", tz).expect("valid");
    assert!(e.after_reports(t("2016-05-02 12:00"), Some(known)));
    let r = e.status(zone(&e, "aleppo"), t("2016-05-08 12:00"), None);
    let last = e.last_reported(r).expect("cited");
    assert_eq!(last.time.date_naive().to_string(), "2016-05-04");
}

#[test]
fn latakia_is_its_northern_countryside_and_damascus_takes_in_its_outskirts() {
    let e = engine();
    let basemap = crate::basemap::Basemap::shared();
    let layer = crate::basemap::Layer::Regions;
    let governorate = |name: &str| {
        let i = basemap
            .search("", Some("SY"))
            .into_iter()
            .find(|&(l, i)| l == layer && basemap.areas(l)[i].name == name)
            .map(|(_, i)| i)
            .expect("governorate");
        basemap.area(layer, i, 2)
    };
    let zone_area = |id: &str| {
        let z = &e.dataset().zones[zone(&e, id)];
        assert!(z.approximate, "{id} is drawn approximately");
        assert!(
            !z.geometry_source.is_empty(),
            "{id} says where its outline comes from"
        );
        crate::geometry::Shape::new(&z.geometry).area
    };
    let latakia = zone_area("latakia");
    assert!(latakia < governorate("Latakia") * 0.8, "{latakia}");
    let damascus = zone_area("damascus");
    assert!(damascus > governorate("Damascus") * 1.2, "{damascus}");
    // The outskirts stop where Eastern Ghouta begins: the zones do not overlap.
    let ghouta = &e.dataset().zones[zone(&e, "eastern-ghouta")].geometry;
    let dam = &e.dataset().zones[zone(&e, "damascus")].geometry;
    use geo::BooleanOps;
    let overlap = geo::Area::unsigned_area(&dam.intersection(ghouta));
    assert!(overlap < 1e-9, "overlap {overlap}");
}
