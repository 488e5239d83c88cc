//! Behaviour tests of the app, driven as a user would (by accessible names, keys and clicks),
//! with egui_kittest: no window, no GPU. Every `run()` also checks that each input widget has an
//! accessible name.

use chrono::{DateTime, Utc};
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use truce_atlas::session::Start;
use truce_atlas::timefmt::parse_user_time;
use truce_atlas::ui::app::{AtlasApp, Saved, StartOptions};
use truce_atlas::ui::theme::Contrast;
use truce_atlas::ui::timebar::{SLIDER_LABEL, slider_value};

fn engine() -> truce_atlas::engine::Engine {
    truce_atlas::default_engine().expect("the default dataset is valid")
}

fn harness_with(app: AtlasApp) -> Harness<'static, AtlasApp> {
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut AtlasApp| app.show(ui), app);
    harness.run();
    harness
}

fn harness() -> Harness<'static, AtlasApp> {
    harness_with(AtlasApp::new(engine(), StartOptions::default(), None))
}

/// The app opened on a given instant, as with `--at`.
fn harness_at(instant: DateTime<Utc>) -> Harness<'static, AtlasApp> {
    harness_with(AtlasApp::new(
        engine(),
        StartOptions {
            session: Start {
                instant: Some(instant),
                ..Start::default()
            },
            ..StartOptions::default()
        },
        None,
    ))
}

/// The app at a local Damascus time with Aleppo selected, its quotes in the side panel.
fn harness_on_aleppo(local: &str) -> Harness<'static, AtlasApp> {
    harness_on(engine(), Some(local), "aleppo")
}

/// The app on `engine`, at a local Damascus time (or its default instant), with a zone selected.
fn harness_on(
    engine: truce_atlas::engine::Engine,
    local: Option<&str>,
    zone: &str,
) -> Harness<'static, AtlasApp> {
    let zone = engine.dataset().zone_index(zone);
    harness_with(AtlasApp::new(
        engine,
        StartOptions {
            session: Start {
                instant: local.map(damascus_time),
                zone,
                ..Start::default()
            },
            ..StartOptions::default()
        },
        None,
    ))
}

/// A copy of the Syria dataset in a fresh temporary folder, to edit.
fn syria_copy(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-atlas-ui-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/syria-2016");
    for entry in std::fs::read_dir(src).expect("dataset folder") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
    }
    dir
}

/// A synthetic dataset written to a fresh temporary folder.
fn synthetic(
    tag: &str,
    zones: usize,
    events: usize,
    report_days: usize,
    seed: u64,
) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-atlas-ui-{tag}-{}", std::process::id()));
    let spec = truce_atlas::synth::Spec {
        zones,
        events,
        report_days,
        seed,
        affirmations_only: false,
    };
    truce_atlas::synth::write(spec, &dir).expect("writable temp dir");
    dir
}

fn damascus_time(text: &str) -> DateTime<Utc> {
    parse_user_time(text, chrono_tz::Asia::Damascus).expect("valid time")
}

fn click_at(harness: &mut Harness<'static, AtlasApp>, pos: Pos2) {
    harness.hover_at(pos);
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run();
}

#[test]
fn the_app_starts_and_lists_the_four_zones_with_their_status() {
    let harness = harness();
    for name in ["Damascus", "Latakia", "Eastern Ghouta", "Aleppo"] {
        harness.get_by_label_contains(&format!("{name}  —  "));
        harness.get_by_label(&format!("Timeline lane: {name}"));
    }
    // It opens on the dataset's default instant: 1 May 2016, midday in Damascus.
    assert_eq!(
        harness
            .get_all_by_label_contains("Sun 1 May 2016, 12:00 Damascus (UTC+3)")
            .count(),
        2,
        "time bar and status bar"
    );
}

#[test]
fn setting_the_slider_to_1_may_noon_shows_damascus_in_effect_and_aleppo_not() {
    let mut harness = harness_at(damascus_time("2016-04-20 12:00"));
    harness.get_by_label_contains("Aleppo  —  ✔ In effect");
    let target = damascus_time("2016-05-01T12:00:00+03:00");
    harness
        .get_by_role_and_label(Role::Slider, SLIDER_LABEL)
        .set_value_accesskit(slider_value(target));
    harness.run();
    assert_eq!(harness.state().instant(), target);
    harness.get_by_label_contains("Damascus  —  ✔ In effect");
    assert!(
        harness
            .query_by_label_contains("Aleppo  —  ✔ In effect")
            .is_none()
    );
    harness.get_by_label_contains("Aleppo  —  … Negotiating");
}

#[test]
fn a_click_on_aleppo_on_the_map_opens_the_side_panel_with_a_quote() {
    let mut harness = harness();
    let engine = harness.state().engine().clone();
    let aleppo = engine.dataset().zone_index("aleppo").expect("zone");
    // A point inside the Aleppo zone, away from its label.
    let pos = harness
        .state()
        .screen_position(38.0, 36.4)
        .expect("the map has been drawn");
    click_at(&mut harness, pos);
    assert_eq!(harness.state().selected(), Some(aleppo));
    harness.get_by_label_contains("Who says so");
    // A quote that the dataset cites for Aleppo's status at this instant.
    harness.get_by_label_contains(
        "active negotiation process taking place to establish a regime of calm also in Aleppo",
    );

    // A click on empty map (the sea off Latakia) clears the selection.
    let sea = harness.state().screen_position(35.2, 35.0).expect("drawn");
    click_at(&mut harness, sea);
    assert_eq!(harness.state().selected(), None);
}

#[test]
fn the_next_event_key_moves_the_instant_to_the_next_event() {
    let start = damascus_time("2016-04-29 12:00");
    let mut harness = harness_at(start);
    let engine = harness.state().engine().clone();
    let next = engine
        .next_event(None, start, None)
        .expect("an event follows");
    let expected = engine.dataset().events[next].moment.utc();
    assert!(expected > start);
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().instant(), expected);
    assert!(
        harness
            .get_all_by_label_contains("Fri 29 Apr 2016, 21:00 Damascus (UTC+3)")
            .count()
            >= 1
    );
    harness.key_press(Key::ArrowLeft);
    harness.run();
    assert!(
        harness.state().instant() < expected,
        "the previous-event key goes back"
    );
}

#[test]
fn clicking_a_lane_marker_moves_the_instant_and_selects_the_zone() {
    let mut harness = harness();
    let engine = harness.state().engine().clone();
    let breakdown = engine
        .dataset()
        .event_index("aleppo-coh-breakdown")
        .expect("event");
    harness
        .get_by_label("Event: Breakdown in Aleppo, about Fri 22 Apr 2016, by Middle East Eye / AFP (reporting): “Government airstrikes and rebel rocket…”")
        .click();
    harness.run();
    assert_eq!(
        harness.state().instant(),
        engine.dataset().events[breakdown].moment.utc()
    );
    assert_eq!(
        harness.state().selected(),
        engine.dataset().zone_index("aleppo")
    );
    harness.get_by_label_contains("Aleppo  —  ✖ Collapsed");
}

#[test]
fn typing_a_time_in_the_go_to_field_moves_the_instant() {
    let mut harness = harness();
    let field = harness.get_by_label("Go to");
    field.focus();
    field.type_text("2016-05-05 12:00");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().instant(), damascus_time("2016-05-05 12:00"));
    harness.get_by_label_contains("Aleppo  —  ✔ In effect");
}

#[test]
fn opening_a_broken_dataset_lists_its_errors_and_keeps_the_current_one() {
    let dir = std::env::temp_dir().join(format!("truce-atlas-ui-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/syria-2016");
    for name in [
        "dataset.json",
        "zones.geojson",
        "sources.json",
        "events.json",
    ] {
        std::fs::copy(src.join(name), dir.join(name)).expect("copy");
    }
    std::fs::write(dir.join("events.json"), "{\"events\": [").expect("write");

    let mut harness = harness();
    let name_before = harness.state().engine().dataset().meta.name.clone();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    harness
        .get_by_label("Dataset folder")
        .set_text_value_accesskit(&dir.display().to_string());
    harness.run();
    harness.get_by_label("Open this folder").click();
    harness.run();
    std::fs::remove_dir_all(&dir).ok();

    let error = harness
        .state()
        .load_error()
        .expect("the errors are kept as state");
    assert!(
        error
            .problems
            .iter()
            .any(|p| p.file == "events.json" && p.place.starts_with("line 1")),
        "{error:?}"
    );
    harness.get_by_label_contains("events.json: line 1, column 12: JSON ends too early");
    harness.get_by_label_contains("stays loaded");
    assert_eq!(harness.state().engine().dataset().meta.name, name_before);
    harness.get_by_label_contains("Aleppo  —  ");
}

#[test]
fn a_corrupt_saved_state_starts_clean_and_says_so() {
    let default = engine().default_instant();
    for corrupt in [
        "{not json",
        "{\"instant\": \"yesterday\"}",
        "\u{0}\u{1}garbage",
        "[1, 2, 3]",
    ] {
        let harness = harness_with(AtlasApp::new(
            engine(),
            StartOptions::default(),
            Some(corrupt.to_string()),
        ));
        assert_eq!(harness.state().instant(), default, "{corrupt:?}");
        assert_eq!(harness.state().selected(), None);
        assert!(
            harness
                .state()
                .notice()
                .is_some_and(|n| n.contains("could not be read")),
            "{corrupt:?}"
        );
        harness.get_by_label_contains("starting fresh");
    }
}

#[test]
fn the_view_saved_on_exit_is_restored_on_the_next_start() {
    let mut first = harness();
    let aleppo = first.state().engine().dataset().zone_index("aleppo");
    first
        .get_by_label("Event: Breakdown in Aleppo, about Fri 22 Apr 2016, by Middle East Eye / AFP (reporting): “Government airstrikes and rebel rocket…”")
        .click();
    first.run();
    let saved = first.state().saved();
    assert_eq!(saved.session.zone.as_deref(), Some("aleppo"));
    let text = serde_json::to_string(&saved).expect("serialises");

    let second = harness_with(AtlasApp::new(engine(), StartOptions::default(), Some(text)));
    assert_eq!(second.state().instant(), first.state().instant());
    assert_eq!(second.state().selected(), aleppo);
    let (lon, lat, zoom) = saved.view.expect("the map view is saved");
    let restored: Saved = second.state().saved();
    let (lon2, lat2, zoom2) = restored.view.expect("restored");
    assert!((lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9 && (zoom - zoom2).abs() < 1e-9);
}

#[test]
fn another_dataset_opens_on_its_own_zones_not_on_the_view_saved_with_syria() {
    let mut first = harness();
    let later = damascus_time("2016-04-20 12:00");
    first
        .state_mut()
        .apply(truce_atlas::session::Command::SetInstant(later));
    first.run();
    let saved = first.state().saved();
    let (lon, lat, _) = saved.view.expect("the Syria view is saved");
    let text = serde_json::to_string(&saved).expect("serialises");

    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example-minimal");
    let open = || truce_atlas::open(Some(&example)).expect("valid");
    let start = || StartOptions {
        session: Start {
            data_dir: Some(example.clone()),
            ..Start::default()
        },
        ..StartOptions::default()
    };
    let fresh = harness_with(AtlasApp::new(open(), start(), None));
    let other = harness_with(AtlasApp::new(open(), start(), Some(text)));
    let (lon2, lat2, _) = other.state().saved().view.expect("a view");
    // Fitted to two districts near Paris, not left over Syria.
    assert!(
        (lon2 - lon).abs() > 10.0 && (lat2 - lat).abs() > 5.0,
        "{lon2}, {lat2}"
    );
    assert!(
        (0.0..5.0).contains(&lon2) && (47.0..51.0).contains(&lat2),
        "{lon2}, {lat2}"
    );
    assert_eq!(
        other.state().instant(),
        fresh.state().instant(),
        "its own opening instant"
    );
}

#[test]
fn the_basemap_is_credited_only_while_some_of_it_is_in_view() {
    let mut syria = harness();
    let credit = truce_atlas::basemap::Basemap::shared().attribution();
    assert!(credit.starts_with("Map: Natural Earth 5.0"), "{credit}");
    assert!(credit.contains("GeoNames (CC BY 4.0)"), "{credit}");
    assert_eq!(syria.query_all_by_label(credit).count(), 1);
    // Out over the open Atlantic, nothing of the basemap is drawn, and nothing is credited.
    syria.state_mut().look_at(-35.0, 45.0, 7.0);
    syria.run();
    assert_eq!(syria.query_all_by_label(credit).count(), 0);
    // Zoomed into the middle of a country, with no border in view, its land is.
    syria.state_mut().look_at(38.5, 35.3, 12.0);
    syria.run();
    assert_eq!(syria.query_all_by_label(credit).count(), 1);
}

/// What the last frame painted over the map: land, borders (a country's or a division's) and
/// the words written there.
struct Painted {
    land: usize,
    borders: usize,
    words: Vec<String>,
}

fn painted(h: &Harness<'static, AtlasApp>) -> Painted {
    let colors = truce_atlas::ui::theme::tokens(&h.ctx).colors;
    let shapes: Vec<(egui::Rect, &egui::Shape)> = h
        .output()
        .shapes
        .iter()
        .flat_map(|c| match &c.shape {
            egui::Shape::Vec(shapes) => shapes.iter().map(|s| (c.clip_rect, s)).collect(),
            shape => vec![(c.clip_rect, shape)],
        })
        .collect();
    // The map's area: where its legend is drawn (the legend is clipped to the map).
    let map = shapes
        .iter()
        .find_map(|(clip, s)| match s {
            egui::Shape::Text(t) if t.galley.text() == "Truce status" => Some(*clip),
            _ => None,
        })
        .expect("the map's legend");
    let mut p = Painted {
        land: 0,
        borders: 0,
        words: Vec::new(),
    };
    for (_, shape) in shapes.iter().filter(|(clip, _)| *clip == map) {
        match shape {
            egui::Shape::Mesh(mesh) => {
                // A triangle of that colour overlapping the map (a country's corners may all
                // lie outside a view zoomed into it).
                let inside = |c| {
                    mesh.indices.chunks_exact(3).any(|t| {
                        let v: Vec<_> = t.iter().map(|&i| mesh.vertices[i as usize]).collect();
                        let corners: Vec<egui::Pos2> = v.iter().map(|v| v.pos).collect();
                        v.iter().all(|v| v.color == c)
                            && egui::Rect::from_points(&corners).intersects(map)
                    })
                };
                p.land += usize::from(inside(colors.land) || inside(colors.focus_land));
                p.borders += usize::from(inside(colors.border) || inside(colors.division));
            }
            egui::Shape::Text(text) if map.contains(text.pos) => {
                p.words.push(text.galley.text().to_string());
            }
            _ => {}
        }
    }
    p
}

#[test]
fn datasets_near_paris_in_chile_and_in_ukraine_by_code_open_on_land_borders_and_place_names() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let world = truce_atlas::basemap::Basemap::shared();
    let place_names: std::collections::HashSet<&str> =
        world.places().iter().map(|p| p.name).collect();
    for dir in [
        "data/example-minimal",
        "tests/data/chile",
        "tests/data/ukraine-by-code",
    ] {
        let engine = truce_atlas::open(Some(&root.join(dir))).expect(dir);
        let mut h = harness_with(AtlasApp::new(engine, StartOptions::default(), None));
        h.run();
        let p = painted(&h);
        assert!(p.land > 0, "{dir}: no land painted");
        assert!(p.borders > 0, "{dir}: no border painted");
        let places: Vec<&String> = p
            .words
            .iter()
            .filter(|w| place_names.contains(w.as_str()))
            .collect();
        assert!(
            !places.is_empty(),
            "{dir}: no place name among {:?}",
            p.words
        );
    }
    // Shown to fail: the same checks over open sea find no land, border or place.
    let mut sea = harness();
    sea.state_mut().look_at(-35.0, 45.0, 7.0);
    sea.run();
    let p = painted(&sea);
    assert_eq!((p.land, p.borders), (0, 0));
    assert!(!p.words.iter().any(|w| place_names.contains(w.as_str())));
}

#[test]
fn escape_clears_the_selection() {
    let mut harness = harness_with(AtlasApp::new(
        engine(),
        StartOptions {
            session: Start {
                zone: Some(0),
                ..Start::default()
            },
            ..StartOptions::default()
        },
        None,
    ));
    harness.get_by_label_contains("Who says so");
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().selected(), None);
}

#[test]
fn the_arrow_keys_still_step_events_after_a_button_was_clicked() {
    let start = damascus_time("2016-04-29 12:00");
    let mut harness = harness_at(start);
    let engine = harness.state().engine().clone();
    let first = engine.next_event(None, start, None).expect("event");
    let first_time = engine.dataset().events[first].moment.utc();
    let second = engine.next_event(None, first_time, None).expect("event");
    harness.get_by_label("Next event").click();
    harness.run();
    assert_eq!(
        harness.state().instant(),
        first_time,
        "the button steps to the next event"
    );
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert_eq!(
        harness.state().instant(),
        engine.dataset().events[second].moment.utc(),
        "and so does the key, after it"
    );
}

#[test]
fn a_click_on_a_zone_label_selects_that_zone_even_away_from_its_outline() {
    let mut harness = harness();
    let damascus = harness.state().engine().dataset().zone_index("damascus");
    // Damascus is small: its label sits beside it, on a leader line. Find the label by drawing
    // it; the label box is where the map says it is.
    let label = harness
        .state()
        .zone_label_rect(damascus.expect("zone"))
        .expect("the label was drawn");
    click_at(&mut harness, label.center());
    assert_eq!(harness.state().selected(), damascus);
}

#[test]
fn the_map_pans_and_zooms_from_the_keyboard() {
    let mut harness = harness();
    let before = harness.state().screen_position(37.0, 35.0).expect("drawn");
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    harness.run();
    let after = harness.state().screen_position(37.0, 35.0).expect("drawn");
    assert!(
        after.x < before.x - 50.0,
        "panning east moves the map left: {before:?} -> {after:?}"
    );
    let distance = |h: &Harness<'static, AtlasApp>| {
        let a = h.state().screen_position(37.0, 35.0).expect("drawn");
        let b = h.state().screen_position(38.0, 36.0).expect("drawn");
        (a - b).length()
    };
    let d1 = distance(&harness);
    harness.key_press(Key::Plus);
    harness.run();
    let d2 = distance(&harness);
    assert!(
        (d2 / d1 - 2.0).abs() < 0.05,
        "one zoom step doubles distances: {d1} -> {d2}"
    );
}

#[test]
fn shift_arrow_steps_one_hour_not_one_event() {
    let start = damascus_time("2016-04-29 12:00");
    let mut harness = harness_at(start);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    assert_eq!(
        harness.state().instant(),
        start + chrono::Duration::hours(1)
    );
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.run();
    assert_eq!(
        harness.state().instant(),
        start - chrono::Duration::hours(1)
    );
}

/// A copy of the default dataset in a fresh folder, with text replaced in its files.
fn edited_dataset(tag: &str, edits: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-atlas-ui-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/syria-2016");
    for entry in std::fs::read_dir(&src).expect("dataset") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
    }
    for (file, from, to) in edits {
        let text = std::fs::read_to_string(dir.join(file)).expect("read");
        assert!(text.contains(from), "{from} not in {file}");
        std::fs::write(dir.join(file), text.replacen(from, to, 1)).expect("write");
    }
    dir
}

#[test]
fn a_dataset_from_year_1_to_9999_with_a_long_zone_name_keeps_the_window_usable() {
    let long_name = "Aleppo and the northern countryside ".repeat(8);
    let dir = edited_dataset(
        "extremes",
        &[
            (
                "events.json",
                "\"2016-02-27T00:00:00+02:00\"",
                "\"0001-01-01T00:00:00Z\"",
            ),
            (
                "events.json",
                "\"time\": \"2016-05-05T00:00:00+03:00\"",
                "\"time\": \"9999-12-29T00:00:00Z\"",
            ),
            (
                "zones.geojson",
                "\"name\":\"Aleppo\"",
                &format!("\"name\":\"{}\"", long_name.trim()),
            ),
        ],
    );
    let engine = truce_atlas::open(Some(&dir)).expect("valid");
    std::fs::remove_dir_all(&dir).ok();
    let mut harness = harness_on(engine, None, "aleppo");
    // Home and End reach the first and last years (the 48-hour truce ends on 31 December 9999).
    harness.key_press(Key::End);
    harness.run();
    let end = harness.state().instant().to_rfc3339();
    assert!(end.starts_with("9999-12-31"), "{end}");
    harness.key_press(Key::Home);
    harness.run();
    assert!(
        harness
            .state()
            .instant()
            .to_rfc3339()
            .starts_with("0001-01-01")
    );
    // The long name is clipped in the zone list, and the side panel leaves the map its room.
    let row = harness.get_by_label_contains("northern country…  —  ");
    assert!(row.rect().width() < 1400.0 * 0.45, "{:?}", row.rect());
    assert!(row.rect().right() <= 1400.0);
}

#[test]
fn past_the_last_report_the_app_says_the_status_is_only_as_last_reported() {
    let mut harness = harness_on_aleppo("2016-05-06 12:00");
    harness
        .get_by_label_contains("As last reported on Wed 4 May 2016: no report covers this instant");
    harness.get_by_label_contains("after the last report (4 May 2016)");
    // Back before the horizon, the words go.
    harness
        .get_by_role_and_label(Role::Slider, SLIDER_LABEL)
        .set_value_accesskit(slider_value(damascus_time("2016-05-02 12:00")));
    harness.run();
    assert!(
        harness
            .query_by_label_contains("As last reported on")
            .is_none()
    );
    assert!(
        harness
            .query_by_label_contains("after the last report")
            .is_none()
    );
}

#[test]
fn with_a_thousand_zones_the_slider_stays_in_view_and_no_labels_overlap() {
    let dir = synthetic("1000", 1_000, 5_000, 50, 3);
    let engine = truce_atlas::open(Some(&dir)).expect("valid");
    std::fs::remove_dir_all(&dir).ok();
    let mut harness = Harness::builder()
        .with_size([1000.0, 650.0])
        .with_max_steps(64)
        .build_ui_state(
            |ui, app: &mut AtlasApp| app.show(ui),
            AtlasApp::new(engine, StartOptions::default(), None),
        );
    for _ in 0..4 {
        harness.run();
    }
    let slider = harness
        .get_by_role_and_label(Role::Slider, SLIDER_LABEL)
        .rect();
    assert!(
        slider.bottom() <= 650.0 && slider.top() >= 0.0,
        "{slider:?}"
    );
    // Zoom in until the zones are big enough to carry labels, then check them pairwise.
    for _ in 0..3 {
        harness.key_press(Key::Plus);
        harness.run();
    }
    let labels: Vec<egui::Rect> = (0..1_000)
        .filter_map(|z| harness.state().zone_label_rect(z))
        .collect();
    assert!(!labels.is_empty(), "some zones are labelled at this zoom");
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            assert!(!a.intersects(*b), "{a:?} overlaps {b:?}");
        }
    }
    // The zone list filters.
    let filter = harness.get_by_label("Filter");
    filter.focus();
    filter.type_text("Zone 99");
    harness.run();
    harness.get_by_label_contains("Zone 999  —  ");
    assert!(harness.query_by_label_contains("Zone 5  —  ").is_none());
}

#[test]
fn every_time_control_the_whole_slider_and_every_lane_fit_a_1000_by_650_window() {
    let mut harness = Harness::builder()
        .with_size([1000.0, 650.0])
        .build_ui_state(
            |ui, app: &mut AtlasApp| app.show(ui),
            AtlasApp::new(engine(), StartOptions::default(), None),
        );
    // The row wraps on the width it measured the frame before.
    for _ in 0..2 {
        harness.run();
    }
    // Both "Go"s: the menu and the go-to button, the last thing on the first row before.
    let go = harness
        .query_all_by_role_and_label(Role::Button, "Go")
        .map(|n| n.rect())
        .reduce(|a, b| if a.right() > b.right() { a } else { b })
        .expect("a Go button");
    let last_window = harness.get_by_label("2 days").rect();
    let slider = harness
        .get_by_role_and_label(Role::Slider, SLIDER_LABEL)
        .rect();
    // Every lane of the Syria dataset, whole, without scrolling.
    let lanes: Vec<(String, egui::Rect)> = ["Damascus", "Latakia", "Eastern Ghouta", "Aleppo"]
        .iter()
        .map(|name| {
            let label = format!("Timeline lane: {name}");
            let rect = harness.get_by_label(&label).rect();
            (label, rect)
        })
        .collect();
    let controls = [("Go", go), ("2 days", last_window), ("slider", slider)]
        .into_iter()
        .map(|(what, rect)| (what.to_owned(), rect));
    for (what, rect) in controls.chain(lanes) {
        assert!(
            rect.right() <= 1000.0,
            "{what} ends past the window: {rect:?}"
        );
        assert!(
            rect.bottom() <= 650.0,
            "{what} is below the window: {rect:?}"
        );
    }
}

#[test]
fn arabic_names_are_drawn_with_glyphs_not_empty_boxes() {
    let aleppo = "حلب الشرقية";
    let font = egui::FontId::proportional(14.0);
    // Control: egui's own fonts have no Arabic, so this test can tell the difference.
    let mut bare = Harness::new_ui(|ui| {
        ui.label("x");
    });
    bare.run();
    assert!(!bare.ctx.fonts_mut(|f| f.has_glyphs(&font, aleppo)));
    let app = harness();
    assert!(app.ctx.fonts_mut(|f| f.has_glyphs(&font, aleppo)));
    let mono = egui::FontId::monospace(14.0);
    assert!(app.ctx.fonts_mut(|f| f.has_glyphs(&mono, aleppo)));

    // The whole window on a dataset whose zone is named in Arabic: kittest refuses to lay out
    // a glyph that no font has (it panics rather than draw an empty box).
    let dir = syria_copy("arabic");
    let zones = std::fs::read_to_string(dir.join("zones.geojson")).expect("read");
    let renamed = zones.replacen("\"name\":\"Aleppo\"", "\"name\":\"حلب (Aleppo)\"", 1);
    assert_ne!(zones, renamed);
    std::fs::write(dir.join("zones.geojson"), renamed).expect("write");
    let engine = truce_atlas::open(Some(&dir)).expect("valid");
    std::fs::remove_dir_all(&dir).ok();
    let harness = harness_on(engine, None, "aleppo");
    // Drawn joined and right to left: the lane's name reads "(Aleppo) حلب" from the left.
    let drawn = harness.query_all_by_label_contains("(Aleppo) \u{FE90}\u{FEE0}\u{FEA3}");
    assert!(
        drawn.count() >= 2,
        "the list, the heading and the lane name it"
    );
}

#[test]
fn day_forward_across_the_march_clock_change_shows_noon_the_next_day() {
    let mut harness = harness_at(damascus_time("2016-03-24 12:00"));
    harness.get_by_label("Forward one day").click();
    harness.run();
    assert_eq!(harness.state().instant(), damascus_time("2016-03-25 12:00"));
    // The date line and the status bar both say it.
    let said = harness.query_all_by_label_contains("Fri 25 Mar 2016, 12:00 Damascus (UTC+3)");
    assert!(said.count() >= 1);
}

#[test]
fn a_source_with_a_web_address_offers_a_link_that_opens_it() {
    let dir = syria_copy("url");
    let url = "https://www.rferl.org/a/syria-aleppo-regime-of-calm/27708540.html";
    let sources = std::fs::read_to_string(dir.join("sources.json")).expect("read");
    let archive = "\"archive_file\": \"001_da5789780b20d501.txt\"";
    assert!(sources.contains(archive));
    let with_url = sources.replace(archive, &format!("{archive}, \"url\": \"{url}\""));
    std::fs::write(dir.join("sources.json"), with_url).expect("write");
    let engine = truce_atlas::open(Some(&dir)).expect("valid");
    std::fs::remove_dir_all(&dir).ok();
    let mut harness = harness_on(engine, Some("2016-05-01 12:00"), "aleppo");
    harness.get_by_label("Open the report ↗").click();
    // The frame that takes the click asks for the link to be opened.
    harness.step();
    let opened: Vec<String> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::OpenUrl(open) => Some(open.url.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(opened, vec![url.to_owned()]);
}

/// A file dropped on the window, as the windowing layer hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_dataset_folder_or_its_dataset_json_on_the_window_opens_it() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example-minimal");
    let named = truce_atlas::open(Some(&example))
        .expect("valid")
        .dataset()
        .meta
        .name
        .clone();
    for dropped in [example.clone(), example.join("dataset.json")] {
        let mut harness = harness();
        assert_ne!(harness.state().engine().dataset().meta.name, named);
        harness
            .input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(dropped.clone())));
        // A new dataset refits the map over a few frames.
        harness.run_steps(8);
        assert_eq!(
            harness.state().engine().dataset().meta.name,
            named,
            "{dropped:?}"
        );
    }
}

#[test]
fn a_big_dataset_opens_on_a_worker_thread_while_the_window_says_so() {
    // Big enough to take a while to open (100 zones, 10,000 events).
    let dir = synthetic("big", 100, 10_000, 100, 7);
    let named = truce_atlas::open(Some(&dir))
        .expect("valid")
        .dataset()
        .meta
        .name
        .clone();
    // The usual threshold is a few megabytes; every dataset counts as big here.
    let options = StartOptions {
        background_open_from: Some(0),
        ..StartOptions::default()
    };
    let mut harness = harness_with(AtlasApp::new(engine(), options, None));
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(dir.clone())));
    // The frame that takes the drop starts the work and says so (kittest hands the drop to the
    // second frame); the window keeps drawing frames meanwhile.
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Opening ").is_some());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while harness.state().engine().dataset().meta.name != named {
        assert!(std::time::Instant::now() < deadline, "never opened");
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    std::fs::remove_dir_all(&dir).ok();
    harness.run_steps(8);
    assert!(harness.query_by_label_contains("Opening ").is_none());
}

#[test]
fn page_down_moves_the_instant_a_day_while_a_button_has_focus() {
    let start = damascus_time("2016-04-29 12:00");
    let mut harness = harness_at(start);
    harness.get_by_label("2 weeks").focus();
    harness.run();
    harness.key_press(Key::PageDown);
    harness.run();
    assert_eq!(harness.state().instant(), damascus_time("2016-04-30 12:00"));
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().instant(), damascus_time("2016-04-30 13:00"));
    // A plain arrow belongs to the focused widget, not to "next event".
    let before = harness.state().instant();
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().instant(), before);
}

#[test]
fn every_copy_button_names_its_quote_and_confirms_a_copy() {
    let mut harness = harness_on_aleppo("2016-05-01 12:00");
    let names: Vec<String> = harness
        .query_all_by_role(Role::Button)
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| l.starts_with("Copy quote"))
        .collect();
    assert!(names.len() >= 5, "{names:?}");
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        names.len(),
        "two Copy buttons share a name: {names:?}"
    );
    let kuralenko = names
        .iter()
        .find(|n| n.contains("” by Gen. Sergei Kuralenko, Radio Free Europe"))
        .expect("Kuralenko's quote")
        .clone();
    harness.get_by_label(&kuralenko).click();
    harness.run();
    let copied = kuralenko.replacen("Copy quote", "Copied: quote", 1);
    harness.get_by_label(&copied);
}

#[test]
fn the_slider_reads_its_instant_in_words_and_contested_is_a_word_in_the_zone_list() {
    let harness = harness_at(damascus_time("2016-05-01 12:00"));
    let slider = harness.get_by_role_and_label(Role::Slider, SLIDER_LABEL);
    assert_eq!(
        slider.accesskit_node().value().as_deref(),
        Some("Sunday 1 May 2016, 12:00, Damascus, UTC+3")
    );
    harness.get_by_label_contains("Damascus  —  ✔ In effect  ⚠ contested");
}

/// The focused node's name (or value) and description, as a screen reader reads them.
fn focused_words(h: &Harness<'static, AtlasApp>) -> (String, String) {
    h.root()
        .children_recursive()
        .find(|n| n.is_focused())
        .map(|n| {
            let node = n.accesskit_node();
            let name = node.label().or_else(|| node.value()).unwrap_or_default();
            (name, node.description().unwrap_or_default())
        })
        .unwrap_or_default()
}

/// Presses F6 until the focused node's name starts with `prefix` (at most six presses).
fn f6_to(h: &mut Harness<'static, AtlasApp>, prefix: &str) {
    for _ in 0..6 {
        h.key_press(Key::F6);
        h.run();
        if focused_words(h).0.starts_with(prefix) {
            return;
        }
    }
    panic!("F6 never reached {prefix:?}: {:?}", focused_words(h));
}

#[test]
fn a_day_stepped_with_the_focus_on_a_menu_button_is_said_on_that_button() {
    let mut harness = harness_on_aleppo("2016-05-01 12:00");
    f6_to(&mut harness, "File");
    harness.key_press(Key::PageDown);
    harness.run();
    let (name, said) = focused_words(&harness);
    assert_eq!(name, "File");
    assert!(
        said.starts_with("Monday 2 May 2016, 12:00, Damascus, UTC+3. Aleppo: "),
        "{said:?}"
    );
    // Said once: the next frame leaves the words as they are (a change would be said again).
    harness.run();
    assert_eq!(focused_words(&harness).1, said);
    // The focus moves on: the button gets its own description back.
    harness.key_press(Key::Tab);
    harness.run();
    assert!(
        harness
            .get_by_role_and_label(Role::Button, "File")
            .accesskit_node()
            .description()
            .is_none()
    );
}

#[test]
fn the_slider_says_the_instant_and_the_selected_zone_as_its_value_and_its_keys_as_description() {
    let mut harness = harness_on_aleppo("2016-05-01 12:00");
    f6_to(&mut harness, SLIDER_LABEL);
    harness.key_press(Key::PageDown);
    harness.run();
    let slider = harness.get_by_role_and_label(Role::Slider, SLIDER_LABEL);
    let node = slider.accesskit_node();
    let value = node.value().unwrap_or_default();
    assert!(
        value.starts_with("Monday 2 May 2016, 12:00, Damascus, UTC+3. Aleppo: "),
        "{value:?}"
    );
    // The slider says the step itself (its value text): nothing is put on its description.
    assert_eq!(
        node.description().as_deref(),
        Some(
            "Left and Right step an hour, Page Up and Page Down a day, Home and End go to the ends"
        )
    );
}

#[test]
fn a_zone_selected_with_enter_on_the_map_is_said_with_its_status() {
    let mut harness = harness_at(damascus_time("2016-05-01 12:00"));
    f6_to(&mut harness, "Zone ");
    let (zone, _) = focused_words(&harness);
    harness.key_press(Key::Enter);
    harness.run();
    let (name, said) = focused_words(&harness);
    assert_eq!(name, zone, "the focus stays on the zone");
    let status = zone.trim_start_matches("Zone ");
    let expected = format!(
        "Selected {}",
        &status[..status.find(',').unwrap_or(status.len())]
    );
    assert!(said.starts_with(&expected), "{said:?} after {zone:?}");
    // Esc clears the selection and egui's focus with it: the window says it.
    harness.key_press(Key::Escape);
    harness.run();
    let window = harness.root().accesskit_node().description();
    assert_eq!(window.as_deref(), Some("Selection cleared"));
}

/// The first quote behind a zone's status at an instant, as the side panel shows it.
fn first_quote(zone: &str, at: DateTime<Utc>) -> String {
    let engine = engine();
    let z = engine.dataset().zone_index(zone).expect("zone");
    let cite = engine.status(z, at, None).citations[0];
    truce_atlas::present::citation(engine.dataset(), cite).quote
}

#[test]
fn f6_from_a_zone_just_selected_on_the_map_reads_its_first_quote_then_goes_on_to_the_map() {
    let at = damascus_time("2016-05-01 12:00");
    let mut harness = harness_at(at);
    f6_to(&mut harness, "Zone Latakia");
    harness.key_press(Key::Enter);
    harness.run();
    harness.key_press(Key::F6);
    harness.run();
    assert_eq!(focused_words(&harness).0, first_quote("latakia", at));
    // On from the quotes: the map, then round to the menus (no loop back to the quotes).
    harness.key_press(Key::F6);
    harness.run();
    assert!(focused_words(&harness).0.starts_with("Zone "));
    harness.key_press(Key::F6);
    harness.run();
    assert_eq!(focused_words(&harness).0, "File");
}

#[test]
fn f6_from_a_zone_just_selected_in_the_list_reads_its_first_quote() {
    let at = damascus_time("2016-05-01 12:00");
    let mut harness = harness_at(at);
    f6_to(&mut harness, "Damascus  —  ");
    for _ in 0..3 {
        harness.key_press(Key::Tab);
        harness.run();
    }
    assert!(focused_words(&harness).0.starts_with("Aleppo  —  "));
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().selected(),
        engine().dataset().zone_index("aleppo")
    );
    harness.key_press(Key::F6);
    harness.run();
    assert_eq!(focused_words(&harness).0, first_quote("aleppo", at));
    // Tab goes on to the quote's Copy button.
    harness.key_press(Key::Tab);
    harness.run();
    assert!(focused_words(&harness).0.starts_with("Copy quote"));
}

#[test]
fn the_menu_bar_is_a_named_menu_bar() {
    let harness = harness();
    harness.get_by_role_and_label(Role::MenuBar, "Menu bar");
}

#[test]
fn menu_items_are_named_by_their_words_with_their_key_apart() {
    let mut harness = harness();
    // The menu "Go" (the other "Go" is the go-to field's button, further right).
    harness
        .query_all_by_role_and_label(Role::Button, "Go")
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .expect("the Go menu")
        .click();
    harness.run();
    let item = harness.get_by_role_and_label(Role::MenuItem, "Previous event");
    let key = item
        .accesskit_node()
        .data()
        .keyboard_shortcut()
        .map(str::to_owned);
    assert_eq!(key.as_deref(), Some("Left"));
}

#[test]
fn tab_reaches_the_first_zone_of_the_side_panel_within_ten_presses_of_the_slider() {
    let mut harness = harness();
    harness
        .get_by_role_and_label(Role::Slider, SLIDER_LABEL)
        .focus();
    harness.run();
    let first_zone = "Damascus  —  ";
    let mut presses = 0;
    while !harness.get_by_label_contains(first_zone).is_focused() {
        presses += 1;
        assert!(
            presses <= 10,
            "still not on the zone list after 10 Tab presses"
        );
        harness.key_press(Key::Tab);
        harness.run();
    }
}

#[test]
fn no_two_event_markers_on_a_lane_share_a_name() {
    let harness = harness();
    let mut names: Vec<String> = harness
        .query_all_by_role(Role::Button)
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| l.starts_with("Event: "))
        .collect();
    let all = names.len();
    assert!(all > 30, "{all} markers");
    names.sort();
    let dupes: Vec<&String> = names
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| &w[0])
        .collect();
    assert!(dupes.is_empty(), "{dupes:#?}");
}

#[test]
fn each_zone_on_the_map_is_a_named_node_and_enter_on_a_focused_zone_selects_it() {
    let mut harness = harness_at(damascus_time("2016-05-01 12:00"));
    for words in [
        "Zone Damascus: In effect, contested",
        "Zone Latakia: In effect, contested",
        "Zone Eastern Ghouta: In effect, contested",
        "Zone Aleppo: Negotiating",
    ] {
        harness.get_by_label_contains(words);
    }
    let aleppo = harness.get_by_label_contains("Zone Aleppo: Negotiating");
    assert!(
        aleppo
            .accesskit_node()
            .label()
            .is_some_and(|l| l.contains("since Sun 1 May 2016"))
    );
    aleppo.focus();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().selected(),
        harness.state().engine().dataset().zone_index("aleppo")
    );
    // The arrows move between zones, west to east, without moving the instant.
    let before = harness.state().instant();
    harness.get_by_label_contains("Zone Latakia: ").focus();
    harness.run();
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().instant(), before);
    let focused = harness
        .query_all_by_label_contains("Zone ")
        .find(|n| n.is_focused())
        .and_then(|n| n.accesskit_node().label());
    assert!(
        focused.is_some_and(|l| !l.starts_with("Zone Latakia")),
        "focus moved on"
    );
}

#[test]
fn the_window_is_named_and_each_quote_is_a_group_named_by_its_attribution() {
    let harness = harness_on_aleppo("2016-05-01 12:00");
    assert_eq!(
        harness.root().accesskit_node().label().as_deref(),
        Some("Truce Atlas — Syria, spring 2016: the cessation, the regime of calm and Aleppo")
    );
    let group = harness.get_by_role_and_label(
        Role::Group,
        "Quote Gen. Sergei Kuralenko, in Radio Free Europe/Radio Liberty (based on Reuters, AP, AFP, Interfax)",
    );
    // Its Copy button is inside it.
    assert!(group.query_by_label_contains("Copy quote").is_some());
}

#[test]
fn f1_lists_every_key_including_the_map_zone_keys() {
    let mut harness = harness();
    harness.key_press(Key::F1);
    harness.run();
    for what in [
        "Previous event",
        "Zoom in",
        "Move to the next zone west or east",
        "Select it and show its quotes",
    ] {
        // In the dialog (a time button may carry the same words).
        assert!(
            harness
                .query_all_by_label(what)
                .any(|n| n.accesskit_node().role() == Role::Label)
        );
    }
}

#[test]
fn a_live_region_says_the_new_instant_and_the_selected_zone_s_status_in_words() {
    let mut harness = harness_on_aleppo("2016-05-01 12:00");
    let live = |h: &Harness<'static, AtlasApp>| -> Vec<String> {
        h.root()
            .children_recursive()
            .filter(|n| n.accesskit_node().live() == egui::accesskit::Live::Polite)
            .filter_map(|n| n.accesskit_node().label())
            .collect()
    };
    let said = live(&harness);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].starts_with("Sunday 1 May 2016, 12:00, Damascus, UTC+3. Aleppo: Negotiating"));
    harness.key_press(Key::PageDown);
    harness.run();
    let said = live(&harness);
    assert!(
        said[0].starts_with("Monday 2 May 2016, 12:00, Damascus, UTC+3. Aleppo: "),
        "{said:?}"
    );
}

#[test]
fn the_legend_and_the_places_on_the_map_are_nodes_a_screen_reader_reads() {
    let harness = harness();
    harness.get_by_label_contains("Legend: In effect, solid fill; Negotiating, dots;");
    harness.get_by_label("Place: Homs, city");
    harness.get_by_label("Place: Damascus, capital");
}

#[test]
fn f6_moves_the_focus_through_the_regions_and_shift_f6_back() {
    let mut harness = harness();
    let focused = |h: &Harness<'static, AtlasApp>| -> String {
        h.root()
            .children_recursive()
            .find(|n| n.is_focused())
            .and_then(|n| {
                n.accesskit_node()
                    .label()
                    .or_else(|| n.accesskit_node().value())
            })
            .unwrap_or_default()
    };
    let mut seen = Vec::new();
    for _ in 0..5 {
        harness.key_press(Key::F6);
        harness.run();
        seen.push(focused(&harness));
    }
    assert_eq!(seen[0], "File", "{seen:?}");
    assert_eq!(seen[1], SLIDER_LABEL, "{seen:?}");
    assert!(seen[2].starts_with("Damascus  —  "), "{seen:?}");
    assert!(seen[3].starts_with("Zone "), "{seen:?}");
    assert_eq!(seen[4], "File", "round again: {seen:?}");
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F6);
    harness.run();
    assert!(focused(&harness).starts_with("Zone "), "back to the map");
}

#[test]
fn the_view_menu_switches_to_high_contrast_and_the_choice_is_remembered() {
    let mut harness = harness();
    let look = |h: &Harness<'static, AtlasApp>| truce_atlas::ui::theme::contrast(&h.ctx);
    assert_eq!(look(&harness), Contrast::Standard);
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("High contrast").click();
    harness.run();
    assert_eq!(look(&harness), Contrast::High);
    assert_eq!(
        harness.ctx.global_style().visuals.panel_fill,
        egui::Color32::WHITE
    );
    let text = serde_json::to_string(&harness.state().saved()).expect("serialises");

    let next = harness_with(AtlasApp::new(engine(), StartOptions::default(), Some(text)));
    assert_eq!(look(&next), Contrast::High, "restored on the next start");
}

#[test]
fn high_contrast_asked_at_start_wins_over_a_saved_standard_look() {
    let saved = serde_json::to_string(&harness().state().saved()).expect("serialises");
    let start = StartOptions {
        session: Start {
            high_contrast: true,
            ..Start::default()
        },
        ..StartOptions::default()
    };
    let harness = harness_with(AtlasApp::new(engine(), start, Some(saved)));
    assert_eq!(
        truce_atlas::ui::theme::contrast(&harness.ctx),
        Contrast::High
    );
}

/// The first event of `zone` at or after `t`, found from the dataset itself.
fn first_event_from(engine: &truce_atlas::engine::Engine, zone: usize, t: DateTime<Utc>) -> usize {
    let events = &engine.dataset().events;
    (0..events.len())
        .filter(|&e| events[e].zones.contains(&zone) && events[e].moment.utc() >= t)
        .min_by_key(|&e| (events[e].moment.utc(), e))
        .expect("an event after t")
}

#[test]
fn the_event_lanes_are_one_tab_stop_whose_arrows_pick_an_event_and_enter_goes_to_it() {
    let start = damascus_time("2016-04-20 12:00");
    let mut harness = harness_at(start);
    harness
        .get_by_role_and_label(Role::Slider, SLIDER_LABEL)
        .focus();
    harness.run();
    harness.key_press(Key::Tab);
    harness.run();
    let lanes = || truce_atlas::ui::lanes::LANES_LABEL;
    assert!(
        harness
            .get_by_role_and_label(Role::Group, lanes())
            .is_focused()
    );
    let value = |h: &Harness<'static, AtlasApp>| {
        h.get_by_role_and_label(Role::Group, lanes())
            .accesskit_node()
            .value()
            .expect("the lanes say where the keyboard is")
    };
    assert_eq!(value(&harness), "Timeline lane: Damascus");

    // → picks the first lane's first event from the instant on; ↓ the next lane's nearest.
    harness.key_press(Key::ArrowRight);
    harness.run();
    let ds_engine = engine();
    let ds = ds_engine.dataset();
    let damascus_first = first_event_from(&ds_engine, 0, start);
    assert!(value(&harness).starts_with(&format!(
        "Event: {} in Damascus",
        ds.events[damascus_first].kind.label()
    )));
    assert_eq!(harness.state().instant(), start, "an arrow only looks");
    let live = harness
        .get_by_role_and_label(Role::Group, lanes())
        .accesskit_node()
        .live();
    assert_eq!(live, egui::accesskit::Live::Polite, "each move is said");
    // And on the lanes' description, which Orca speaks where it reads no live region.
    let said = harness
        .get_by_role_and_label(Role::Group, lanes())
        .accesskit_node()
        .description();
    assert_eq!(said, Some(value(&harness)));
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert!(value(&harness).contains(&format!(" in {}, ", ds.zones[1].name)));

    // Enter goes there: the instant to the event, its zone selected; the focus stays.
    let picked = value(&harness);
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().selected(), Some(1));
    let at = harness.state().instant();
    let names_it = (0..ds.events.len())
        .filter(|&e| ds.events[e].moment.utc() == at && ds.events[e].zones.contains(&1))
        .any(|e| truce_atlas::present::marker_name(ds, e, 1) == picked);
    assert!(
        names_it,
        "the instant {at} is not the picked event's: {picked}"
    );
    assert!(
        harness
            .get_by_role_and_label(Role::Group, lanes())
            .is_focused()
    );

    // One stop: the next Tab leaves the lanes for good, not for a lane's name.
    harness.key_press(Key::Tab);
    harness.run();
    let on_a_lane_name = ds
        .zones
        .iter()
        .any(|z| harness.query_all_by_label(&z.name).any(|n| n.is_focused()));
    assert!(!on_a_lane_name);
    assert!(
        !harness
            .get_by_role_and_label(Role::Group, lanes())
            .is_focused()
    );
}

/// egui would follow each input event with two more painted frames; the app settles in
/// discarded passes of the same frame instead (release builds: egui's debug builds flag it).
/// eframe paints again only for a repaint request made in the pass just run or the one before
/// (its `UserEvent::RequestRepaint` rule): none may be left after a pointer move.
#[test]
#[cfg_attr(debug_assertions, ignore = "settling in passes is for release builds")]
fn a_pointer_move_costs_one_painted_frame_not_three() {
    let mut harness = harness();
    harness.run();
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = asked.clone();
    harness.ctx.set_request_repaint_callback(move |info| {
        if info.delay.is_zero()
            && let Ok(mut v) = sink.lock()
        {
            v.push(info.current_cumulative_pass_nr);
        }
    });
    // Along the status bar, where nothing has a tooltip (one polls the pointer until it stops).
    for x in [600.0, 620.0, 640.0] {
        harness.hover_at(Pos2::new(x, 893.0));
        harness.step();
        let now = harness.ctx.cumulative_pass_nr();
        let mut asked = asked.lock().expect("not poisoned");
        assert!(!asked.is_empty(), "the move asked for no frame at all");
        let pending = asked
            .iter()
            .filter(|&&nr| now == nr || now == nr + 1)
            .count();
        let causes = harness.ctx.repaint_causes();
        assert_eq!(
            pending, 0,
            "frames still to paint after the move at {x}: {causes:?}"
        );
        asked.clear();
    }
}

#[test]
fn the_view_copied_as_a_command_line_reopens_the_same_view() {
    let known_on = damascus_time("2016-05-02 23:59");
    let start = StartOptions {
        session: Start {
            instant: Some(damascus_time("2016-05-01 12:00")),
            zone: engine().dataset().zone_index("aleppo"),
            known_on: Some(known_on),
            ..Start::default()
        },
        ..StartOptions::default()
    };
    let mut harness = harness_with(AtlasApp::new(engine(), start, None));
    // The key going down, and one step: that frame's output holds the copy.
    harness.event(Event::Key {
        key: Key::C,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND | Modifiers::SHIFT,
    });
    harness.step();
    let copied = harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .expect("something copied");
    assert!(
        harness
            .state()
            .notice()
            .is_some_and(|n| n.contains(&copied))
    );

    // No quoting is needed for the built-in dataset: the words split on spaces.
    let cli = <truce_atlas::cli::Cli as clap::Parser>::try_parse_from(copied.split(' '))
        .expect("a valid command line");
    let args = truce_atlas::cli::app_args(&cli)
        .map_err(|e| e.1)
        .expect("valid flags");
    let reopened = AtlasApp::new(
        args.engine,
        StartOptions {
            session: args.start,
            ..StartOptions::default()
        },
        None,
    );
    let first = harness.state();
    assert_eq!(reopened.instant(), first.instant());
    assert_eq!(reopened.selected(), first.selected());
    assert_eq!(reopened.session().known_on(), Some(known_on));
}

#[test]
fn p_plays_and_space_pauses_when_no_control_has_the_focus() {
    let mut harness = harness();
    harness.key_press(Key::P);
    // Steps, not `run`: a playing window asks for frame after frame.
    harness.step();
    assert!(harness.state().session().playback().playing);
    harness.get_by_role_and_label(Role::Button, "Pause");
    harness.key_press(Key::Space);
    harness.step();
    harness.run();
    assert!(!harness.state().session().playback().playing);
    harness.get_by_role_and_label(Role::Button, "Play");
}

#[test]
fn file_export_writes_the_intervals_where_the_user_says_and_keeps_the_dialog_on_an_error() {
    let mut harness = harness();
    harness.get_by_label("File").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::MenuItem, "Export status intervals (CSV)…")
        .click();
    harness.run();
    let dir = std::env::temp_dir().join(format!("truce-atlas-ui-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // First a folder that does not exist: the dialog stays, saying why.
    let field = truce_atlas::ui::export_dialog::PATH_LABEL;
    let bad = dir.join("missing").join("x.csv");
    harness.get_by_label(field).focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label(field)
        .type_text(&bad.display().to_string());
    harness.run();
    harness
        .get_by_label(truce_atlas::ui::export_dialog::SAVE_BUTTON)
        .click();
    harness.run();
    harness.get_by_label_contains("cannot write the export");
    // Then a good path.
    let good = dir.join("intervals.csv");
    harness.get_by_label(field).focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label(field)
        .type_text(&good.display().to_string());
    harness.run();
    harness
        .get_by_label(truce_atlas::ui::export_dialog::SAVE_BUTTON)
        .click();
    harness.run();
    let rows = csv::Reader::from_path(&good)
        .expect("written")
        .records()
        .count();
    assert!(rows > 10, "{rows} intervals");
    assert!(
        harness
            .state()
            .notice()
            .is_some_and(|n| n.starts_with("Exported status intervals"))
    );
    assert!(harness.query_by_label(field).is_none(), "the dialog closed");
}

/// Replaces the text of the field labelled `label` with `text`.
fn retype(harness: &mut Harness<'static, AtlasApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run();
}

#[test]
fn export_animation_asks_for_a_range_refuses_a_bad_step_and_cancels_without_leaving_a_file() {
    use truce_atlas::ui::export_dialog::{
        FROM_LABEL, PATH_LABEL, SAVE_BUTTON, STEP_LABEL, TO_LABEL,
    };
    let mut harness = harness_on_aleppo("2016-05-03 12:00");
    let before = harness.state().instant();
    harness.get_by_label("File").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::MenuItem, "Export animation…")
        .click();
    harness.run();
    let dir = std::env::temp_dir().join(format!("truce-atlas-ui-anim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("may.gif");
    retype(&mut harness, PATH_LABEL, &out.display().to_string());
    retype(&mut harness, FROM_LABEL, "2016-05-01 00:00");
    retype(&mut harness, TO_LABEL, "2016-05-08 00:00");
    // A step the command line would refuse is refused here too, and the dialog stays.
    retype(&mut harness, STEP_LABEL, "six hours");
    harness.get_by_label(SAVE_BUTTON).click();
    harness.run();
    harness.get_by_label_contains("--step");
    assert!(harness.state().animation_progress().is_none());
    retype(&mut harness, STEP_LABEL, "1d");
    harness.get_by_label(SAVE_BUTTON).click();
    // Steps, not `run`: the export asks for frame after frame.
    harness.step();
    harness.step();
    let progress = harness.state().animation_progress().expect("exporting");
    assert_eq!(progress.total, 8, "1 to 8 May by a day");
    let first = parse_user_time("2016-05-01 00:00", chrono_tz::Asia::Damascus).expect("a time");
    assert_eq!(
        harness.state().instant(),
        first,
        "the first picture's instant is shown"
    );
    harness.get_by_label_contains("picture");
    // With no renderer (kittest) no picture comes back: the export waits on the first one
    // until it is cancelled; the view went to the range's first instant meanwhile.
    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.step();
    harness.step();
    assert!(harness.state().animation_progress().is_none());
    assert!(
        harness
            .state()
            .notice()
            .is_some_and(|n| n.contains("cancelled")),
        "{:?}",
        harness.state().notice()
    );
    assert_eq!(harness.state().instant(), before, "back where the user was");
    let left: Vec<_> = std::fs::read_dir(&dir).expect("listed").collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn ctrl_f_finds_a_quote_by_a_word_in_it_and_enter_goes_to_its_event() {
    use truce_atlas::ui::search_box::FIELD_LABEL;
    let mut harness = harness_at(damascus_time("2016-03-01 12:00"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    // The field has the keyboard at once: the word goes straight in.
    harness
        .get_by_label(FIELD_LABEL)
        .type_text("kuralenko ALEPPO");
    harness.run();
    harness.get_by_label("1 event");
    // The lanes ring the events found, and say so: Kuralenko's talks on Aleppo's lane alone.
    let found: Vec<String> = harness
        .query_all_by_label_contains("(found by Find)")
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("Event: Talks in Aleppo"), "{found:?}");
    assert!(
        harness
            .query_all_by_label_contains("Aleppo · 1 May 2016 00:00 · talks")
            .next()
            .is_some(),
        "the result names its zone, time and kind"
    );
    harness.key_press(Key::Enter);
    harness.run();
    let ds = harness.state().engine().dataset();
    let event = ds
        .event_index("russia-talks-on-aleppo")
        .expect("the event of Kuralenko's quote");
    let event_time = ds.events[event].moment.utc();
    let aleppo = ds.zone_index("aleppo");
    assert_eq!(harness.state().instant(), event_time);
    assert_eq!(harness.state().selected(), aleppo);
    // Escape closes the box.
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label(FIELD_LABEL).is_none());
    assert!(harness.query_by_label_contains("(found by Find)").is_none());
}

#[test]
fn turning_off_the_one_source_behind_aleppos_48_hour_truce_changes_its_status_and_says_so() {
    // On 5 May only Middle East Eye reports the 48-hour Aleppo truce.
    let mut harness = harness_on_aleppo("2016-05-05 12:00");
    harness.get_by_label_contains("Aleppo  —  ✔ In effect");
    assert!(harness.query_by_label_contains("Filter on.").is_none());
    // One line while no filter is on; it opens on the lists.
    harness.get_by_label("According to: every source").click();
    harness.run();
    harness.get_by_label("Sources (5 of 5)").click();
    harness.run();
    harness
        .get_by_label("Middle East Eye (with AFP), 4 May 2016")
        .click();
    harness.run();
    let session = harness.state().session();
    let ds = session.engine().dataset();
    let mee = ds.sources.iter().position(|s| s.id == "mee-2016-05-04");
    let kept = session.filter().and_then(|f| f.sources.clone());
    assert!(kept.is_some_and(|k| k.len() == 4 && mee.is_some_and(|m| !k.contains(&m))));
    assert!(
        harness
            .query_by_label_contains("Aleppo  —  ✔ In effect")
            .is_none(),
        "without Middle East Eye nothing reports a truce in Aleppo on 5 May"
    );
    // Said on the map and in the side panel, naming the outlets still heard.
    assert_eq!(
        harness
            .query_all_by_label_contains("Filter on. According to: PanARMENIAN.Net")
            .count(),
        2,
        "map and side panel"
    );
    harness.get_by_label("Sources (4 of 5)");
    // Actors can be ticked off the same way; none is yet.
    assert!(
        harness
            .query_all_by_label_contains("Actors (")
            .next()
            .is_some()
    );
    // One click hears every source again.
    harness.get_by_label("Filter off").click();
    harness.run();
    harness.get_by_label_contains("Aleppo  —  ✔ In effect");
    assert!(harness.query_by_label_contains("Filter on.").is_none());
}

#[test]
fn a_big_datasets_filter_is_built_on_a_worker_thread_while_the_window_says_so() {
    // 40,000 events over a thousand zones: a tenth of a second to rebuild, while a frame
    // draws only the few lanes in view, so the window draws frames meanwhile.
    let dir = synthetic("filter", 1_000, 40_000, 200, 7);
    let big = truce_atlas::open(Some(&dir)).expect("valid");
    std::fs::remove_dir_all(&dir).ok();
    let sources = big.dataset().sources.len();
    let options = StartOptions {
        background_filter_from: Some(40_000),
        ..StartOptions::default()
    };
    let mut harness = harness_with(AtlasApp::new(big, options, None));
    harness.get_by_label("According to: every source").click();
    harness.run();
    harness
        .get_by_label(&format!("Sources ({sources} of {sources})"))
        .click();
    harness.run();
    harness
        .query_all_by_label_contains("Outlet 0,")
        .next()
        .expect("the first source's tick")
        .click();

    // The frame that takes the click hands the work over; the window keeps drawing frames, and
    // says so, until the filtered engine is taken.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut frames_said = 0;
    loop {
        harness.step();
        if harness
            .query_by_label_contains("Recomputing every status for the new choice")
            .is_some()
        {
            frames_said += 1;
        }
        if harness.state().session().filter().is_some() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never applied");
    }
    assert!(frames_said > 0, "the window said it was working");
    harness.run();
    assert!(harness.query_by_label_contains("Recomputing").is_none());
    let left = sources - 1;
    harness.get_by_label(&format!("Sources ({left} of {sources})"));
    // On the map and in the side panel, the outlets cut to a few.
    let notices: Vec<String> = harness
        .query_all_by_label_contains("Filter on. According to: Outlet ")
        .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
        .collect();
    assert_eq!(notices.len(), 2, "{notices:?}");
    // Seven outlets share the reports; the first source's outlet still has others.
    let more = "Outlet 5, Outlet 6 and 1 more outlet";
    assert!(notices.iter().all(|n| n.ends_with(&more)), "{notices:?}");
}

#[test]
fn ctrl_d_compares_two_instants_lists_aleppo_with_its_48_hour_truce_and_goes_to_it() {
    use truce_atlas::ui::compare_box::{FROM_LABEL, TO_LABEL};
    let mut harness = harness_at(damascus_time("2016-05-01 12:00"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::D);
    harness.run();
    // It opens on the instant shown against a day earlier.
    let from = harness.get_by_label(FROM_LABEL).accesskit_node().value();
    assert_eq!(from.as_deref(), Some("2016-04-30 12:00"));
    retype(&mut harness, TO_LABEL, "2016-05-05 12:00");
    retype(&mut harness, FROM_LABEL, "2016-05-01 12:00");
    harness.get_by_label_contains("zones changed (outlined on the map)");
    assert!(
        harness
            .query_all_by_label_contains("Changed: status")
            .next()
            .is_some()
    );
    let truce = "Truce takes effect · Syrian government";
    harness
        .query_all_by_label_contains(truce)
        .next()
        .expect("the 48-hour truce is among the events between")
        .scroll_to_me();
    harness.run();
    harness
        .query_all_by_label_contains(truce)
        .next()
        .expect("still listed")
        .click();
    harness.run();
    let ds = harness.state().engine().dataset();
    let event = ds.event_index("aleppo-48-hour-truce").expect("event");
    assert_eq!(harness.state().instant(), ds.events[event].moment.utc());
    assert_eq!(harness.state().selected(), ds.zone_index("aleppo"));
    // A time that does not read says so instead of a list.
    retype(&mut harness, TO_LABEL, "fifth of May");
    let said: Vec<String> = harness
        .query_all_by_label_contains("To: ")
        .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
        .filter(|l| l.starts_with("To: \"fifth of May\" is not a time"))
        .collect();
    assert_eq!(
        said.len(),
        1,
        "the window names the field that does not read: {said:?}"
    );
    assert!(
        harness
            .query_by_label_contains("changed (outlined")
            .is_none()
    );
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label(FROM_LABEL).is_none());
}

#[test]
fn the_apps_source_flags_open_it_with_the_filter_on_and_copy_view_gives_them_back() {
    let engine = engine();
    let filter = truce_atlas::filter::Filter::from_ids(
        engine.dataset(),
        Some("rferl-2016-05-01"),
        Some("russia"),
        &[],
    )
    .expect("known ids");
    let options = StartOptions {
        session: Start {
            filter: Some(filter.clone()),
            ..Start::default()
        },
        ..StartOptions::default()
    };
    let mut harness = harness_with(AtlasApp::new(engine, options, None));
    assert_eq!(harness.state().session().filter(), Some(&filter));
    assert_eq!(
        harness
            .query_all_by_label_contains("Filter on. According to: Radio Free Europe")
            .count(),
        2
    );
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
    harness.run();
    harness.get_by_label_contains("--sources rferl-2016-05-01 --sides russia");
}

#[test]
fn hiding_statements_takes_them_off_the_lanes_and_the_event_list_but_not_out_of_the_status() {
    let mut harness = harness_on_aleppo("2016-05-05 12:00");
    let statements = || "Event: Statement in Aleppo";
    let before = harness.query_all_by_label_contains(statements()).count();
    assert!(before > 0, "Aleppo's lane has statements");
    harness.get_by_label_contains("Aleppo  —  ✔ In effect");
    harness.get_by_label("Kinds: all").click();
    harness.run();
    harness.get_by_label("Statement").click();
    harness.run();
    assert_eq!(harness.query_all_by_label_contains(statements()).count(), 0);
    harness.get_by_label_contains("Kinds: 8 of 9");
    harness.get_by_label("4 events of hidden kinds are not listed (Kinds, in the time bar).");
    // A display choice: the status is the same.
    harness.get_by_label_contains("Aleppo  —  ✔ In effect");
    assert!(
        !harness
            .state()
            .session()
            .kinds()
            .shows(truce_atlas::model::EventKind::Statement)
    );
}

#[test]
fn a_big_datasets_search_index_is_built_on_a_worker_thread_while_the_box_says_so() {
    use truce_atlas::ui::search_box::{BACKGROUND_INDEX_FROM_EVENTS, FIELD_LABEL};
    let dir = synthetic("index", 1_000, BACKGROUND_INDEX_FROM_EVENTS * 2, 200, 7);
    let big = truce_atlas::open(Some(&dir)).expect("valid");
    std::fs::remove_dir_all(&dir).ok();
    let mut harness = harness_with(AtlasApp::new(big, StartOptions::default(), None));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.get_by_label(FIELD_LABEL).type_text("Quote 42.");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut frames_said = 0;
    loop {
        harness.step();
        if harness
            .query_by_label_contains("Indexing the dataset")
            .is_some()
        {
            frames_said += 1;
        } else if harness
            .query_all_by_label_contains("quote: Quote 42.")
            .next()
            .is_some()
        {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never indexed");
    }
    assert!(frames_said > 0, "the box said it was indexing");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Indexing the dataset")
            .is_none()
    );
}

/// The default dataset written as `format` into a fresh temporary folder (`name` inside it).
fn syria_as(tag: &str, name: &str, format: truce_atlas::convert::Format) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-atlas-ui-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let ds = truce_atlas::load::load_embedded().expect("valid");
    truce_atlas::convert::write(&ds, &dir.join(name), format).expect("written");
    dir
}

#[test]
fn a_workbook_in_the_open_dialog_opens_with_one_click() {
    let dir = syria_as(
        "open-book",
        "truce.xlsx",
        truce_atlas::convert::Format::Xlsx,
    );
    let mut harness = harness();
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    harness.run();
    harness
        .get_by_label("Dataset folder")
        .set_text_value_accesskit(&dir.display().to_string());
    harness.run();
    harness.get_by_label_contains("truce.xlsx").click();
    harness.run();
    let opened = harness
        .state()
        .session()
        .data_dir()
        .map(std::path::Path::to_path_buf);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(opened, Some(dir.join("truce.xlsx")));
    assert!(harness.state().load_error().is_none());
    harness.get_by_label_contains("Aleppo  —  ");
}

#[test]
fn f5_reloads_an_edited_csv_dataset_keeping_the_selection_and_says_so() {
    let dir = syria_as("reload", "csv", truce_atlas::convert::Format::Csv);
    let csv = dir.join("csv");
    let mut harness = harness();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    harness
        .get_by_label("Dataset folder")
        .set_text_value_accesskit(&csv.display().to_string());
    harness.run();
    harness.get_by_label("Open this folder").click();
    harness.run();
    harness.get_by_label_contains("Aleppo  —  ").click();
    harness.run();
    let zones = csv.join("zones.csv");
    let text = std::fs::read_to_string(&zones).expect("read");
    std::fs::write(&zones, text.replacen(",Aleppo,", ",Aleppo city,", 1)).expect("write");
    harness.key_press(Key::F5);
    harness.run();
    std::fs::remove_dir_all(&dir).ok();
    harness.get_by_label_contains("Aleppo city  —  ");
    harness.get_by_label_contains("Reloaded ");
    let selected = harness.state().engine().dataset().zones
        [harness.state().selected().expect("still selected")]
    .name
    .clone();
    assert_eq!(selected, "Aleppo city");
}

#[test]
fn f5_on_a_big_dataset_reloads_on_a_worker_thread_keeping_the_selection() {
    // 100 zones and 10,000 events, as CSV files: long enough to read that the window says so.
    let json = synthetic("reload-big", 100, 10_000, 100, 7);
    let csv = json.with_extension("csv");
    let _ = std::fs::remove_dir_all(&csv);
    let ds = truce_atlas::load::load_path(&json).expect("valid");
    truce_atlas::convert::write(&ds, &csv, truce_atlas::convert::Format::Csv).expect("written");
    let options = StartOptions {
        background_open_from: Some(0),
        session: Start {
            data_dir: Some(csv.clone()),
            ..Start::default()
        },
        ..StartOptions::default()
    };
    let engine = truce_atlas::open(Some(&csv)).expect("valid");
    let mut harness = harness_with(AtlasApp::new(engine, options, None));
    harness
        .state_mut()
        .apply(truce_atlas::session::Command::Select(Some(7)));
    let selected = harness.state().engine().dataset().zones[7].id.clone();
    let meta = csv.join("dataset.csv");
    let text = std::fs::read_to_string(&meta).expect("read");
    std::fs::write(
        &meta,
        text.replacen("Synthetic dataset", "Synthetic dataset saved again", 1),
    )
    .expect("write");
    harness.key_press(Key::F5);
    // The frame that takes the key starts the work and says so; a second frame could already
    // find it done on a fast machine.
    harness.step();
    assert!(harness.query_by_label_contains("Reloading ").is_some());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while harness
        .state()
        .notice()
        .is_none_or(|n| !n.starts_with("Reloaded"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "never reloaded: {:?} {:?}",
            harness.state().notice(),
            harness.state().load_error().map(|e| e.report())
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    std::fs::remove_dir_all(&json).ok();
    std::fs::remove_dir_all(&csv).ok();
    let s = harness.state();
    assert_eq!(
        s.engine().dataset().meta.name,
        "Synthetic dataset saved again"
    );
    assert_eq!(
        s.engine().dataset().zones[s.selected().expect("selected")].id,
        selected
    );
}

/// The app on the default dataset at a local Damascus time with a zone selected, reading the
/// sample ACLED and UCDP files given as with `--incidents`, once they are read.
fn harness_with_incidents(local: &str, zone: &str) -> Harness<'static, AtlasApp> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/incidents");
    let engine = engine();
    let zone = engine.dataset().zone_index(zone);
    let mut harness = harness_with(AtlasApp::new(
        engine,
        StartOptions {
            session: Start {
                instant: Some(damascus_time(local)),
                zone,
                incident_files: vec![root.join("acled-sample.csv"), root.join("ucdp-sample.csv")],
                ..Start::default()
            },
            ..StartOptions::default()
        },
        None,
    ));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while harness.state().reading_incidents()
        || harness.state().session().incidents().sets.len() < 3
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the incident files were never read"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    harness.run();
    harness
}

#[test]
fn incident_files_given_at_start_are_read_and_each_zone_says_its_count_of_the_window() {
    let harness = harness_with_incidents("2016-04-28 12:00", "aleppo");
    // One node per zone on the map: its status, then its incidents of the 7 days, set by set.
    let aleppo = harness.get_by_label_contains("Zone Aleppo");
    let words = aleppo.accesskit_node().label().unwrap_or_default();
    assert!(
        words.ends_with(
            "; acled-sample.csv: 3 incidents, at least 18 killed; ucdp-sample.csv: 2 incidents, at least 16 killed, in the 7 days up to 28 April 2016"
        ),
        "{words}"
    );
    assert!(
        harness
            .query_by_label_contains("Incident, 7 days")
            .is_some(),
        "the legend row"
    );
    assert!(
        harness
            .query_by_label_contains("Incidents: ACLED, acleddata.com · UCDP GED")
            .is_some(),
        "the credits"
    );
    // The side panel compares each status interval with the same length before it.
    assert!(
        harness
            .query_by_label_contains("Violence reported")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("Collapsed 22 Apr 2016 – 29 Apr 2016 (8 days) (acled-sample.csv): 2 incidents (+2 in part), at least 16 killed; the 8 days before: no incidents")
            .is_some()
    );
}

#[test]
fn a_zone_in_effect_with_an_incident_on_the_instant_s_day_says_violence_was_reported_during_the_truce()
 {
    let harness = harness_with_incidents("2016-03-10 12:00", "damascus");
    assert!(
        harness
            .query_by_label_contains("⚠ Violence reported during the truce")
            .is_some()
    );
    // The day after, nothing falls on the instant's day: nothing is said.
    let harness = harness_with_incidents("2016-03-11 12:00", "damascus");
    assert!(
        harness
            .query_by_label_contains("Violence reported during the truce")
            .is_none()
    );
}

#[test]
fn incidents_can_be_taken_off_the_map_from_the_view_menu_and_it_is_remembered() {
    let mut harness = harness_with_incidents("2016-04-28 12:00", "aleppo");
    assert!(
        harness
            .query_by_label_contains("Incident, 7 days")
            .is_some()
    );
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Incidents on the map").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Incident, 7 days")
            .is_none(),
        "the legend row goes"
    );
    assert!(
        harness
            .query_by_label_contains("Incidents: ACLED")
            .is_none(),
        "and the credit"
    );
    assert!(
        !harness.state().saved().session.incidents.on_map,
        "remembered"
    );
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Incidents: 30 days").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Incident, 30 days")
            .is_some()
    );
}

#[test]
fn a_click_on_an_incident_mark_shows_acled_s_summary_said_as_such() {
    let mut harness = harness_with_incidents("2016-03-10 12:00", "damascus");
    // Jobar, 10 March: the only mark of the week in Damascus.
    harness.state_mut().look_at(36.3190, 33.5270, 12.0);
    harness.run();
    let at = harness
        .state()
        .screen_position(36.3190, 33.5270)
        .expect("on screen");
    click_at(&mut harness, at);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Incident SYR1004")
            .is_some(),
        "its window opens"
    );
    assert!(harness.query_by_label("ACLED's summary").is_some());
    assert!(
        harness
            .query_by_label_contains("Test row: a clash in Jobar")
            .is_some()
    );
    // The click was the mark's: the selection did not change.
    assert_eq!(
        harness.state().selected(),
        harness.state().engine().dataset().zone_index("damascus")
    );
}

#[test]
fn the_default_story_is_read_with_the_keyboard_alone_every_step_and_back() {
    let before = damascus_time("2016-04-10 09:00");
    let mut harness = harness_with(AtlasApp::new(
        engine(),
        StartOptions {
            session: Start {
                instant: Some(before),
                story: true,
                ..Start::default()
            },
            ..StartOptions::default()
        },
        None,
    ));
    harness.run();
    // Under Reduce motion a step is a jump of the map, not a glide: each key is one frame.
    let playback = harness.state().session().playback();
    harness
        .state_mut()
        .apply(truce_atlas::session::Command::SetPlayback(
            truce_atlas::playback::Playback {
                reduce_motion: true,
                ..playback
            },
        ));
    let story = harness
        .state()
        .session()
        .story()
        .expect("the default story")
        .clone();
    let n = story.steps.len();
    let shows = |harness: &Harness<'static, AtlasApp>, k: usize| {
        let step = &story.steps[k];
        let s = harness.state().session();
        assert_eq!(s.reading(), Some(k));
        assert_eq!(s.instant(), step.at, "step {k}'s instant");
        assert_eq!(s.selected(), step.zone, "step {k}'s zone");
        assert!(
            harness.query_by_label(&step.title).is_some(),
            "step {k}'s title is shown"
        );
        let count = format!("{} of {n}", k + 1);
        assert!(harness.query_by_label(&count).is_some(), "{count}");
    };
    shows(&harness, 0);
    for k in 1..n {
        // The arrow and Page Down both turn the page (not the time controls).
        harness.key_press(if k % 2 == 0 {
            Key::ArrowRight
        } else {
            Key::PageDown
        });
        harness.run();
        shows(&harness, k);
    }
    harness.key_press(Key::ArrowRight);
    harness.run();
    shows(&harness, n - 1);
    for k in (0..n - 1).rev() {
        harness.key_press(if k % 2 == 0 {
            Key::ArrowLeft
        } else {
            Key::PageUp
        });
        harness.run();
        shows(&harness, k);
    }
    harness.key_press(Key::Escape);
    harness.run();
    let s = harness.state().session();
    assert_eq!(s.reading(), None);
    assert_eq!(s.instant(), before, "leaving puts the instant back");
    assert!(harness.query_by_label(&story.steps[0].title).is_none());
}

#[test]
fn the_story_editor_adds_the_view_as_a_step_edits_its_title_and_undoes_it() {
    let mut harness = harness_on_aleppo("2016-05-02 12:00");
    let n = harness
        .state()
        .session()
        .story()
        .map_or(0, |s| s.steps.len());
    harness.get_by_label("Story").click();
    harness.run();
    harness.get_by_label("Edit the story…").click();
    harness.run();
    harness.get_by_label("Add this view as a step").click();
    harness.run();
    let s = harness.state().session();
    let story = s.story().expect("a story");
    assert_eq!(story.steps.len(), n + 1);
    let added = story.steps.last().expect("the new step");
    assert_eq!(added.at, damascus_time("2016-05-02 12:00"));
    assert_eq!(added.zone, s.engine().dataset().zone_index("aleppo"));
    assert!(s.story_unsaved());
    // The new step is the one being edited: its title field takes typing.
    harness.get_by_label("Step title").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("Step title")
        .type_text("Aleppo, 2 May");
    harness.run();
    let title = |h: &Harness<'static, AtlasApp>| {
        h.state()
            .session()
            .story()
            .and_then(|s| s.steps.last())
            .map(|s| s.title.clone())
    };
    assert_eq!(title(&harness).as_deref(), Some("Aleppo, 2 May"));
    // The built-in dataset is saved as a new folder; the field offers one.
    assert!(harness.query_by_label("Save as…").is_some());
    harness.get_by_label("Undo").click();
    harness.run();
    assert_ne!(title(&harness).as_deref(), Some("Aleppo, 2 May"));
}
