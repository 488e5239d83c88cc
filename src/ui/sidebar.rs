//! The side panel: every zone's status at a glance, and for the selected zone the status with
//! the quotes behind it, the disputes, and its chronology.

use chrono::{DateTime, Utc};
use egui::{Color32, RichText, Stroke, Ui};

use crate::engine::{CiteRef, Engine};
use crate::model::{Dataset, Status};
use crate::timefmt::moment_label;
use crate::ui::theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideAction {
    Select(Option<usize>),
    SetInstant(DateTime<Utc>),
}

/// A status badge: colour swatch, glyph and word (never colour alone).
pub fn status_badge(ui: &mut Ui, status: Status, contested: bool) {
    let style = theme::status_style(status);
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
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    theme::CONTESTED_GLYPH,
                    theme::CONTESTED_WORD
                ))
                .strong(),
            )
            .on_hover_text(
                "Cited claims about this zone at this instant disagree; see \"Disputed by\"",
            );
        }
    });
}

pub struct SideInput<'a> {
    pub engine: &'a Engine,
    pub instant: DateTime<Utc>,
    pub known_on: Option<DateTime<Utc>>,
    pub selected: Option<usize>,
}

pub fn sidebar(ui: &mut Ui, input: &SideInput<'_>) -> Option<SideAction> {
    let mut action = None;
    let engine = input.engine;
    let ds = engine.dataset();
    ui.heading("Zones");
    for (z, zone) in ds.zones.iter().enumerate() {
        let r = engine.status(z, input.instant, input.known_on);
        let style = theme::status_style(r.status);
        let name = crate::report::clip(&zone.name, 32);
        let mut text = format!("{name}  —  {} {}", style.glyph, style.word);
        if r.contested {
            text.push_str(&format!("  {}", theme::CONTESTED_GLYPH));
        }
        let selected = input.selected == Some(z);
        let response = ui
            .horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(egui::vec2(6.0, 18.0), egui::Sense::hover());
                ui.painter().rect_filled(rect, 1.0, style.fill);
                ui.add(egui::Button::selectable(selected, text).truncate())
            })
            .inner;
        if response
            .on_hover_text(format!("Show the quotes behind {}'s status", zone.name))
            .clicked()
        {
            action = Some(SideAction::Select(if selected { None } else { Some(z) }));
        }
    }
    ui.separator();

    let Some(z) = input.selected.filter(|&z| z < ds.zones.len()) else {
        ui.add(egui::Label::new(RichText::new(&ds.meta.name).strong()).wrap());
        if !ds.meta.description.is_empty() {
            ui.label(&ds.meta.description);
        }
        ui.add_space(8.0);
        ui.weak("Click a zone on the map, in the list above or on its timeline lane to see the quotes behind its status.");
        return action;
    };
    let tz = ds.meta.timezone;
    let zone = &ds.zones[z];
    let r = engine.status(z, input.instant, input.known_on);
    ui.horizontal(|ui| {
        // A long name wraps short of the close button: a button pushed past the edge would
        // widen everything below it out of the panel.
        ui.scope(|ui| {
            ui.set_max_width((ui.available_width() - 32.0).max(60.0));
            ui.add(egui::Label::new(RichText::new(&zone.name).heading()).wrap());
        });
        if ui
            .small_button("✖")
            .on_hover_text("Clear selection (Esc)")
            .clicked()
        {
            action = Some(SideAction::Select(None));
        }
    });
    if zone.approximate {
        ui.weak(format!("Approximate outline: {}", zone.geometry_source));
    }
    status_badge(ui, r.status, r.contested);
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
            ui.label(
                r.since
                    .map(|m| moment_label(&m, tz))
                    .unwrap_or_else(|| "no cited information".into()),
            );
            ui.end_row();
            ui.weak("Until");
            ui.label(
                r.until
                    .map(|m| moment_label(&m, tz))
                    .unwrap_or_else(|| "nothing reported ends it".into()),
            );
            ui.end_row();
        });
    if r.lapsed {
        ui.label("No truce in force: the last one ran out and nothing later is reported.");
    }
    if input.known_on.is_some() {
        ui.weak("Showing only what had been reported by the chosen date.");
    }

    ui.add_space(6.0);
    if r.citations.is_empty() {
        ui.label("No cited information about this zone at this instant.");
    } else {
        ui.label(RichText::new(format!("Who says so ({})", r.citations.len())).strong());
        for &cite in &r.citations {
            citation_block(ui, ds, cite, None);
        }
    }
    if r.contested {
        ui.add_space(6.0);
        ui.label(
            RichText::new(format!(
                "{} Disputed by ({})",
                theme::CONTESTED_GLYPH,
                r.disputed_by.len()
            ))
            .strong(),
        );
        for &cite in &r.disputed_by {
            citation_block(ui, ds, cite, Some(theme::CONTESTED_INK));
        }
    }

    ui.add_space(8.0);
    ui.add(egui::Label::new(RichText::new(format!("Events in {}", zone.name)).strong()).wrap());
    let current = engine.previous_event(
        Some(z),
        input.instant + chrono::Duration::seconds(1),
        input.known_on,
    );
    for &e in engine.zone_events(z) {
        let ev = &ds.events[e];
        let known = input.known_on.is_none_or(|k| ev.reported <= k);
        let mut text = RichText::new(format!(
            "{}  ·  {}  ·  {}",
            crate::timefmt::moment_short(&ev.moment, tz),
            ev.kind.label(),
            ev.actor
        ));
        if !known {
            text = text.weak();
        }
        let response = ui.add(egui::Button::selectable(current == Some(e), text).wrap());
        let response = response.on_hover_ui(|ui| {
            ui.label(moment_label(&ev.moment, tz));
            if let Some(text) = &ev.as_reported {
                ui.weak(format!("As reported: {text}"));
            }
            if let Some(note) = &ev.note {
                ui.label(RichText::new(note).italics());
            }
            if !known {
                ui.weak("Not yet reported at the chosen 'as known on' date");
            }
            ui.weak("Click to move the instant here");
        });
        if response.clicked() {
            action = Some(SideAction::SetInstant(ev.moment.utc()));
        }
    }
    action
}

/// One quote as a block quote, selectable for copying, with who said it and where.
fn citation_block(ui: &mut Ui, ds: &Dataset, cite: CiteRef, bar: Option<Color32>) {
    let tz = ds.meta.timezone;
    let ev = &ds.events[cite.event];
    let c = &ev.citations[cite.citation];
    let src = &ds.sources[c.source];
    let bar = bar.unwrap_or(ui.visuals().weak_text_color());
    let response = egui::Frame::new()
        .inner_margin(egui::Margin {
            left: 12,
            right: 4,
            top: 4,
            bottom: 6,
        })
        .show(ui, |ui| {
            // The bar marks it as a quotation; the text is exactly the excerpt, to copy as is.
            ui.add(egui::Label::new(RichText::new(&c.quote).size(14.5)).selectable(true));
            let mut by = String::new();
            if let Some(speaker) = &c.speaker {
                by.push_str(&format!("— {speaker}, in "));
            } else {
                by.push_str("— ");
            }
            by.push_str(&src.outlet);
            ui.label(RichText::new(by).small().strong());
            // "(no headline captured)" is a note, not a headline to quote.
            let headline = if src.headline.starts_with('(') {
                src.headline.clone()
            } else {
                format!("“{}”", src.headline)
            };
            let mut line = format!("{headline}, {}", moment_label(&src.published, tz));
            if !src.published_note.is_empty() {
                line.push_str(" (date inferred)");
            }
            ui.label(RichText::new(line).small())
                .on_hover_text(&src.published_note);
            ui.horizontal(|ui| {
                ui.weak(
                    RichText::new(format!(
                        "{} · {}",
                        ev.kind.label(),
                        moment_label(&ev.moment, tz)
                    ))
                    .small(),
                );
                if ui
                    .small_button("Copy")
                    .on_hover_text("Copy the quote with its attribution")
                    .clicked()
                {
                    let speaker = c
                        .speaker
                        .as_ref()
                        .map(|s| format!("{s}, "))
                        .unwrap_or_default();
                    ui.ctx().copy_text(format!(
                        "“{}” — {}{}, “{}”, {}",
                        c.quote,
                        speaker,
                        src.outlet,
                        src.headline,
                        src.published.time.date_naive()
                    ));
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
}
