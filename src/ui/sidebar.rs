//! The side panel: every zone's status at a glance, and for the selected zone the status with
//! the quotes behind it, the disputes, and its chronology. It reads the session and the
//! presentation layer, and pushes what the user asked for.

use egui::{Color32, RichText, Stroke, Ui};

use crate::engine::{CiteRef, Resolution};
use crate::model::Status;
use crate::present;
use crate::session::{Command, Session};
use crate::text::clip;
use crate::ui::commands::{Intent, Region};
use crate::ui::script::visual;
use crate::ui::theme::{self, AFTER_REPORTS_GLYPH, CONTESTED_GLYPH, CONTESTED_WORD, FILTER_WORD};

/// Zone names in the list are clipped so that the status word always shows.
const LIST_NAME_CHARS: usize = 32;

/// A status badge: colour swatch, glyph and word (never colour alone).
pub fn status_badge(ui: &mut Ui, status: Status, contested: bool) {
    let tk = theme::tokens(ui.ctx());
    let style = tk.status(status);
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
        ui.painter().rect(
            rect,
            2.0,
            style.fill,
            Stroke::new(1.0, style.ink),
            egui::StrokeKind::Inside,
        );
        ui.label(
            RichText::new(format!("{} {}", style.glyph, style.word))
                .color(style.ink)
                .strong(),
        );
        if contested {
            ui.label(RichText::new(format!("{CONTESTED_GLYPH} {CONTESTED_WORD}")).strong())
                .on_hover_text(
                    "Cited claims about this zone at this instant disagree; see \"Disputed by\"",
                );
        }
    });
}

/// The "As known on" choice: the status from only the reports published by a date.
pub fn known_on_picker(ui: &mut Ui, session: &Session, out: &mut Vec<Intent>) {
    let engine = session.engine();
    let tz = engine.dataset().meta.timezone;
    let current = session.known_on();
    ui.horizontal(|ui| {
        let label = ui.label("As known on");
        egui::ComboBox::from_id_salt("known-on")
            .selected_text(present::known_on_label(current, tz))
            .show_ui(ui, |ui| {
                let all = present::known_on_label(None, tz);
                if ui.selectable_label(current.is_none(), all).clicked() {
                    out.push(Intent::Session(Command::SetKnownOn(None)));
                }
                for (end, text) in present::known_on_choices(engine) {
                    if ui.selectable_label(current == Some(end), text).clicked() {
                        out.push(Intent::Session(Command::SetKnownOn(Some(end))));
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(
                "As known on: show the status using only the reports published by a date",
            );
    });
}

/// "According to": whose word counts. Ticking a source or a side off recomputes every status
/// from the others' reports alone; the choice is said in words at the top of the panel and on
/// the map while it is on.
/// `pending` is a choice still being applied on a worker thread, with the seconds it has taken:
/// the ticks show it, and a spinner says the statuses are not yet its.
pub fn who_picker(
    ui: &mut Ui,
    session: &Session,
    pending: Option<(&crate::filter::Filter, f32)>,
    out: &mut Vec<Intent>,
) {
    let ds = session.engine().dataset();
    if let Some((_, seconds)) = pending {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!(
                "Recomputing every status for the new choice… {seconds:.1} s"
            ));
        });
    }
    let filter = pending
        .map(|(f, _)| f)
        .or(session.filter())
        .cloned()
        .unwrap_or_default();
    if let Some(words) = filter.according_to(ds) {
        let tk = theme::tokens(ui.ctx());
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!("{FILTER_WORD} {words}"))
                    .strong()
                    .color(tk.colors.brand),
            );
            if ui
                .button("Filter off")
                .on_hover_text("Turn the filter off: every status from all the reports")
                .clicked()
            {
                out.push(Intent::Session(Command::SetFilter(None)));
            }
        });
    }
    // One line while nothing is filtered: the side panel's room is the zones'.
    let title = if filter.is_all() {
        "According to: every source"
    } else {
        "Change whose word counts"
    };
    egui::CollapsingHeader::new(title)
        .id_salt("who")
        .show(ui, |ui| {
            ui.weak("Untick sources, actors or sides to hear only the others.");
            who_choices(ui, session, &filter, out);
        })
        .header_response
        .on_hover_text(
            "Recompute every status from the reports of chosen sources, actors or sides",
        );
}

/// The tick lists of sources, actors and sides.
fn who_choices(
    ui: &mut Ui,
    session: &Session,
    filter: &crate::filter::Filter,
    out: &mut Vec<Intent>,
) {
    let ds = session.engine().dataset();
    let heard = ds.sources.len()
        - (0..ds.sources.len())
            .filter(|&s| !filter.keeps_source(s))
            .count();
    egui::CollapsingHeader::new(format!("Sources ({heard} of {})", ds.sources.len()))
        .id_salt("who-sources")
        .show(ui, |ui| {
            // Only the rows in view are built: a dataset may cite a million reports.
            let row_height = ui.spacing().interact_size.y;
            egui::ScrollArea::vertical()
                .id_salt("who-sources-list")
                .max_height(220.0)
                .show_rows(ui, row_height, ds.sources.len(), |ui, rows| {
                    let tz = ds.meta.timezone;
                    for i in rows {
                        let source = &ds.sources[i];
                        let mut on = filter.keeps_source(i);
                        let day =
                            crate::timefmt::local(source.published.utc(), tz).format("%-d %b %Y");
                        let text = format!("{}, {day}", clip(&source.outlet, LIST_NAME_CHARS));
                        if ui
                            .checkbox(&mut on, text)
                            .on_hover_text(&source.headline)
                            .changed()
                        {
                            let sources = toggled(filter.sources.as_ref(), ds.sources.len(), i, on);
                            let next = crate::filter::Filter {
                                sources,
                                ..filter.clone()
                            };
                            out.push(Intent::Session(Command::SetFilter(Some(next))));
                        }
                    }
                });
        });
    actors_list(ui, session, filter, out);
    if ds.meta.sides.is_empty() {
        return;
    }
    egui::CollapsingHeader::new("Sides")
        .id_salt("who-sides")
        .show(ui, |ui| {
            for (i, side) in ds.meta.sides.iter().enumerate() {
                let mut on = filter.sides.as_ref().is_none_or(|s| s.contains(&i));
                let mut checkbox = ui.checkbox(&mut on, &side.name);
                if !side.description.is_empty() {
                    checkbox = checkbox.on_hover_text(&side.description);
                }
                if checkbox.changed() {
                    let sides = toggled(filter.sides.as_ref(), ds.meta.sides.len(), i, on);
                    let next = crate::filter::Filter {
                        sides,
                        ..filter.clone()
                    };
                    out.push(Intent::Session(Command::SetFilter(Some(next))));
                }
            }
            ui.weak("Events on no side count only while every side is ticked.");
        });
}

/// The actors to tick: every actor the events name, as they write it.
fn actors_list(
    ui: &mut Ui,
    session: &Session,
    filter: &crate::filter::Filter,
    out: &mut Vec<Intent>,
) {
    let actors = session.unfiltered().actors();
    let heard = filter.actors.as_ref().map_or(actors.len(), |a| a.len());
    egui::CollapsingHeader::new(format!("Actors ({heard} of {})", actors.len()))
        .id_salt("who-actors")
        .show(ui, |ui| {
            let row_height = ui.spacing().interact_size.y;
            egui::ScrollArea::vertical()
                .id_salt("who-actors-list")
                .max_height(220.0)
                .show_rows(ui, row_height, actors.len(), |ui, rows| {
                    for actor in &actors[rows] {
                        let mut on = filter.actors.as_ref().is_none_or(|a| a.contains(actor));
                        let text = clip(actor, LIST_NAME_CHARS);
                        if ui.checkbox(&mut on, text).on_hover_text(actor).changed() {
                            let mut set = filter
                                .actors
                                .clone()
                                .unwrap_or_else(|| actors.iter().cloned().collect());
                            if on {
                                set.insert(actor.clone());
                            } else {
                                set.remove(actor);
                            }
                            let actors = (set.len() < actors.len()).then_some(set);
                            let next = crate::filter::Filter {
                                actors,
                                ..filter.clone()
                            };
                            out.push(Intent::Session(Command::SetFilter(Some(next))));
                        }
                    }
                });
        });
}

/// A set of `n` indices with `i` put in or taken out; every index in is no filter at all.
fn toggled(
    current: Option<&std::collections::BTreeSet<usize>>,
    n: usize,
    i: usize,
    on: bool,
) -> Option<std::collections::BTreeSet<usize>> {
    let mut set = current.cloned().unwrap_or_else(|| (0..n).collect());
    if on {
        set.insert(i);
    } else {
        set.remove(&i);
    }
    (set.len() < n).then_some(set)
}

/// The side panel below the "as known on" choice. `filter` is the zone list's filter text.
pub fn sidebar(ui: &mut Ui, session: &Session, filter: &mut String, out: &mut Vec<Intent>) {
    zone_list(ui, session, filter, out);
    ui.separator();
    let ds = session.engine().dataset();
    let Some(z) = session.selected().filter(|&z| z < ds.zones.len()) else {
        ui.add(egui::Label::new(RichText::new(visual(&ds.meta.name)).strong()).wrap());
        if !ds.meta.description.is_empty() {
            ui.label(&ds.meta.description);
        }
        if !ds.meta.attribution.is_empty() {
            ui.add_space(4.0);
            ui.weak(&ds.meta.attribution);
        }
        ui.add_space(8.0);
        ui.weak("Click a zone on the map, in the list above or on its timeline lane to see the quotes behind its status.");
        return;
    };
    Region::Evidence.top(ui.ctx(), ui.cursor().top());
    zone_heading(ui, session, z, out);
    let r = session
        .engine()
        .status(z, session.instant(), session.known_on());
    status_facts(ui, session, r);
    quotes(ui, session, r);
    super::incidents::comparison(ui, session, z);
    ui.add_space(8.0);
    chronology(ui, session, z, out);
}

/// Over this many zones the list gets a filter box and scrolls, building only the rows in view.
const LONG_LIST: usize = 12;

fn zone_list(ui: &mut Ui, session: &Session, filter: &mut String, out: &mut Vec<Intent>) {
    let zones = &session.engine().dataset().zones;
    ui.heading("Zones");
    if zones.len() <= LONG_LIST {
        for z in 0..zones.len() {
            let id = zone_row(ui, session, z, out);
            if z == 0 {
                Region::SidePanel.anchor(ui.ctx(), id);
            }
        }
        return;
    }
    ui.horizontal(|ui| {
        let label = ui.label("Filter");
        let field = ui
            .add(egui::TextEdit::singleline(filter).hint_text("zone name or id"))
            .labelled_by(label.id);
        // F6 lands on the filter: with this many zones, typing is the way in.
        Region::SidePanel.anchor(ui.ctx(), field.id);
    });
    let needle = filter.trim().to_lowercase();
    let shown: Vec<usize> = if needle.is_empty() {
        (0..zones.len()).collect()
    } else {
        (0..zones.len())
            .filter(|&z| {
                zones[z].name.to_lowercase().contains(&needle)
                    || zones[z].id.to_lowercase().contains(&needle)
            })
            .collect()
    };
    if shown.is_empty() {
        ui.weak("No zone matches.");
    }
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .id_salt("zone-list")
        .max_height(260.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, shown.len(), |ui, rows| {
            for row in rows {
                let _ = zone_row(ui, session, shown[row], out);
            }
        });
}

/// One zone: a colour mark, its name and its status in words; a click shows its quotes.
/// Returns the button's id.
fn zone_row(ui: &mut Ui, session: &Session, z: usize, out: &mut Vec<Intent>) -> egui::Id {
    let tk = theme::tokens(ui.ctx());
    let engine = session.engine();
    let zone = &engine.dataset().zones[z];
    let r = engine.status(z, session.instant(), session.known_on());
    let style = tk.status(r.status);
    let name = visual(&clip(&zone.name, LIST_NAME_CHARS)).into_owned();
    let mut text = format!("{name}  —  {} {}", style.glyph, style.word);
    // In words as well as glyphs: a screen reader says "warning sign" for ⚠, if anything.
    if r.contested {
        text.push_str(&format!("  {CONTESTED_GLYPH} {CONTESTED_WORD}"));
    }
    if engine.after_reports(session.instant(), session.known_on()) {
        text.push_str(&format!("  {AFTER_REPORTS_GLYPH} as last reported"));
    }
    let selected = session.selected() == Some(z);
    let response = ui
        .horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(6.0, 18.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 1.0, style.fill);
            ui.add(egui::Button::selectable(selected, text).truncate())
        })
        .inner;
    let id = response.id;
    if response
        .on_hover_text(format!("Show the quotes behind {}'s status", zone.name))
        .clicked()
    {
        out.push(Intent::Session(Command::ToggleSelect(z)));
    }
    id
}

fn zone_heading(ui: &mut Ui, session: &Session, z: usize, out: &mut Vec<Intent>) {
    let zone = &session.engine().dataset().zones[z];
    ui.horizontal(|ui| {
        // A long name wraps short of the close button: a button pushed past the edge would
        // widen everything below it out of the panel.
        ui.scope(|ui| {
            ui.set_max_width((ui.available_width() - 32.0).max(60.0));
            ui.add(egui::Label::new(RichText::new(visual(&zone.name)).heading()).wrap());
        });
        let clear = ui.small_button("✖").on_hover_text("Clear selection (Esc)");
        clear
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Clear selection"));
        // F6 lands here when the zone has no quote (the first quote takes it over).
        Region::Evidence.anchor(ui.ctx(), clear.id);
        if clear.clicked() {
            out.push(Intent::Session(Command::Select(None)));
        }
    });
    if zone.approximate {
        ui.weak(format!("Approximate outline: {}", zone.geometry_source));
    }
}

fn status_facts(ui: &mut Ui, session: &Session, r: &Resolution) {
    let tk = theme::tokens(ui.ctx());
    let ds = session.engine().dataset();
    status_badge(ui, r.status, r.contested);
    let (since, until) = present::since_until(ds, r);
    egui::Grid::new("status-facts")
        .num_columns(2)
        .spacing([10.0, 3.0])
        .show(ui, |ui| {
            if let Some(i) = r.instrument {
                ui.weak("Instrument");
                ui.add(egui::Label::new(&ds.instruments[i].name).wrap())
                    .on_hover_text(&ds.instruments[i].description);
                ui.end_row();
            }
            ui.weak("Since");
            ui.label(since);
            ui.end_row();
            ui.weak("Until");
            ui.label(until);
            ui.end_row();
        });
    if r.lapsed {
        ui.label("No truce in force: the last one ran out and nothing later is reported.");
    }
    if session.known_on().is_some() {
        ui.weak("Showing only what had been reported by the chosen date.");
    }
    let engine = session.engine();
    if engine.after_reports(session.instant(), session.known_on()) {
        let words = present::as_last_reported(engine, r);
        ui.label(
            RichText::new(format!(
                "{AFTER_REPORTS_GLYPH} {words}: no report covers this instant, so this is what the reports last said, not what was known to hold."
            ))
            .color(tk.colors.after_reports_ink),
        );
    }
}

fn quotes(ui: &mut Ui, session: &Session, r: &Resolution) {
    let tk = theme::tokens(ui.ctx());
    let ds = session.engine().dataset();
    ui.add_space(6.0);
    if r.citations.is_empty() {
        ui.label("No cited information about this zone at this instant.");
    } else {
        ui.label(RichText::new(format!("Who says so ({})", r.citations.len())).strong());
        for (k, &cite) in r.citations.iter().enumerate() {
            let first = citation_block(ui, ds, cite, None);
            if k == 0 {
                Region::Evidence.anchor(ui.ctx(), first);
            }
        }
    }
    if r.contested {
        ui.add_space(6.0);
        let title = format!("{CONTESTED_GLYPH} Disputed by ({})", r.disputed_by.len());
        ui.label(RichText::new(title).strong());
        for &cite in &r.disputed_by {
            citation_block(ui, ds, cite, Some(tk.colors.contested_ink));
        }
    }
}

/// The zone's events, the current one highlighted; a click moves the instant to it.
fn chronology(ui: &mut Ui, session: &Session, z: usize, out: &mut Vec<Intent>) {
    let engine = session.engine();
    let zone = &engine.dataset().zones[z];
    let title = RichText::new(format!("Events in {}", zone.name)).strong();
    ui.add(egui::Label::new(title).wrap());
    let current = engine.event_at_or_before(Some(z), session.instant(), session.known_on());
    let kinds = session.kinds();
    let hidden = engine
        .zone_events(z)
        .iter()
        .filter(|&&e| !kinds.shows(engine.dataset().events[e].kind))
        .count();
    if hidden > 0 {
        ui.weak(format!(
            "{hidden} events of hidden kinds are not listed (Kinds, in the time bar)."
        ));
    }
    for &e in engine.zone_events(z) {
        if !kinds.shows(engine.dataset().events[e].kind) {
            continue;
        }
        let view = present::event(engine, e, z, session.known_on());
        let mut text = RichText::new(&view.row);
        if !view.known {
            text = text.weak();
        }
        let response = ui.add(egui::Button::selectable(current == Some(e), text).wrap());
        // The row's words can repeat (one party's two disputes on a day): the marker's name,
        // with the first words of the quote, cannot.
        response.widget_info(|| {
            egui::WidgetInfo::selected(egui::Role::Button, true, current == Some(e), &view.marker)
        });
        let response = response.on_hover_ui(|ui| {
            ui.label(&view.when);
            if let Some(text) = &view.as_reported {
                ui.weak(format!("As reported: {text}"));
            }
            if let Some(note) = &view.note {
                ui.label(RichText::new(note).italics());
            }
            if !view.known {
                ui.weak("Not yet reported at the chosen 'as known on' date");
            }
            ui.weak("Click to move the instant here");
        });
        if response.clicked() {
            let t = engine.dataset().events[e].moment.utc();
            out.push(Intent::Session(Command::SetInstant(t)));
        }
    }
}

/// How long a Copy button says "Copied" after a click.
const COPIED_FOR: f64 = 2.0;

/// "Copy", named for the quote it copies ("Copy quote “At present, there is an active…” by
/// Gen. Sergei Kuralenko, Radio Free Europe…": seven buttons all named "Copy" tell a screen
/// reader nothing), and "Copied ✔" for two seconds after a click.
fn copy_button(ui: &mut Ui, view: &crate::present::CitationView) -> egui::Id {
    let who = match &view.speaker {
        Some(speaker) => format!("by {speaker}, {}", view.outlet),
        None => format!("from {}", view.outlet),
    };
    // The quote's first words tell apart two quotes from one outlet.
    let opening: Vec<&str> = view.quote.split_whitespace().take(6).collect();
    let more = if view.quote.split_whitespace().nth(6).is_some() {
        "…"
    } else {
        ""
    };
    let name = format!("Copy quote “{}{more}” {who}", opening.join(" "));
    let id = ui.make_persistent_id(("copied", &view.event_id, &view.source_id, &view.quote));
    let now = ui.input(|i| i.time);
    let copied_at: Option<f64> = ui.data(|d| d.get_temp(id));
    let fresh = copied_at.filter(|&t| now - t < COPIED_FOR);
    let text = if fresh.is_some() {
        "Copied ✔"
    } else {
        "Copy"
    };
    let response = ui
        .small_button(text)
        .on_hover_text("Copy the quote with its attribution");
    let label = if fresh.is_some() {
        format!("Copied: {}", &name["Copy ".len()..])
    } else {
        name
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if response.clicked() {
        ui.ctx().copy_text(view.copy.clone());
        ui.data_mut(|d| d.insert_temp(id, now));
        // One more frame when the confirmation is due to go: nothing repaints meanwhile.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(COPIED_FOR));
    } else if let Some(t) = fresh {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(COPIED_FOR - (now - t)));
    }
    response.id
}

/// One quote as a block quote, selectable for copying, with who said it and where. Returns the
/// id of the quote's first keyboard stop: its text while a screen reader listens, else its
/// Copy button.
fn citation_block(
    ui: &mut Ui,
    ds: &crate::model::Dataset,
    cite: CiteRef,
    bar: Option<Color32>,
) -> egui::Id {
    let view = present::citation(ds, cite);
    // One group per quote, named by its attribution: a screen reader hears "Quote, Gen. Sergei
    // Kuralenko, in Radio Free Europe…" and then its parts, not four loose labels.
    let group = format!("Quote {}", view.by.trim_start_matches("— "));
    ui.scope_builder(egui::UiBuilder::new().accessibility_label(group), |ui| {
        let id = ui.unique_id();
        ui.ctx()
            .accesskit_node_builder(id, |node| node.set_role(egui::accesskit::Role::Group));
        citation_body(ui, &view, bar)
    })
    .inner
}

fn citation_body(
    ui: &mut Ui,
    view: &crate::present::CitationView,
    bar: Option<Color32>,
) -> egui::Id {
    let tk = theme::tokens(ui.ctx());
    let bar = bar.unwrap_or(ui.visuals().weak_text_color());
    // With a screen reader the quote itself is a keyboard stop, so that Tab reads it whole;
    // without one the keys skip it as before (its Copy button is the stop).
    let listening = crate::ui::announce::listening(ui.ctx());
    let mut stop = None;
    let response = egui::Frame::new()
        .inner_margin(egui::Margin {
            left: 12,
            right: 4,
            top: 4,
            bottom: 6,
        })
        .show(ui, |ui| {
            // The bar marks it as a quotation; the text is exactly the excerpt, to copy as is.
            let quote = RichText::new(&view.quote).size(tk.text.quote);
            let mut label = egui::Label::new(quote).selectable(true);
            if listening {
                label = label.sense(egui::Sense::focusable_noninteractive());
            }
            let text = ui.add(label);
            stop = listening.then_some(text.id);
            ui.label(RichText::new(&view.by).small().strong());
            ui.label(RichText::new(&view.source).small())
                .on_hover_text(&view.source_note);
            ui.horizontal(|ui| {
                ui.weak(RichText::new(&view.event).small());
                let copy = copy_button(ui, view);
                stop = stop.or(Some(copy));
                // Only http(s) links get this far: `validate` refuses any other scheme.
                if let Some(url) = &view.url {
                    ui.hyperlink_to(RichText::new("Open the report ↗").small(), url)
                        .on_hover_text(url);
                }
            });
        })
        .response;
    let rect = response.rect;
    ui.painter().line_segment(
        [
            rect.left_top() + egui::vec2(3.0, 4.0),
            rect.left_bottom() + egui::vec2(3.0, -4.0),
        ],
        Stroke::new(3.0, bar),
    );
    stop.unwrap_or(response.id)
}
