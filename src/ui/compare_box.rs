//! Edit > Compare two views… (Ctrl+D): the zones whose status, contested flag or instrument
//! differ between two views, each an instant as known on a date ([`crate::compare`]), with the
//! events between; the map outlines the changed zones while the window is open. This is the
//! "what did we get wrong on 1 May" view: the same instant, as known on 1 May and with
//! everything known.

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use crate::compare::{Changed, View};
use crate::model::Status;
use crate::session::Session;
use crate::ui::sidebar::status_badge;

/// The labels of the two time fields (tests find them by these).
pub const FROM_LABEL: &str = "From";
pub const TO_LABEL: &str = "To";

/// One side being chosen: the time as typed, and its "as known on".
pub struct SideField {
    pub text: String,
    pub known_on: Option<DateTime<Utc>>,
}

/// A zone that changed, kept between frames (the engine's answer borrows the engine).
struct Row {
    zone: usize,
    changed: Changed,
    from: (Status, bool, Option<usize>),
    to: (Status, bool, Option<usize>),
    events: Vec<usize>,
}

pub struct CompareBox {
    pub from: SideField,
    pub to: SideField,
    rows: Vec<Row>,
    /// The views and session revision `rows` answer.
    rows_for: Option<(View, View, u64)>,
}

/// What the user chose in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareAction {
    /// Go to an event between the two views: its instant, and its zone selected.
    Go {
        at: DateTime<Utc>,
        zone: usize,
    },
    Close,
}

impl CompareBox {
    /// Opens on the view shown (as "to") against the same instant a day earlier (as "from"),
    /// both with the session's "as known on".
    pub fn new(session: &Session) -> CompareBox {
        let tz = session.engine().dataset().meta.timezone;
        let at = session.instant();
        let day_before = crate::calendar::add_days(at, tz, -1).unwrap_or(at);
        let text = |t: DateTime<Utc>| {
            crate::timefmt::local(t, tz)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        };
        CompareBox {
            from: SideField {
                text: text(day_before),
                known_on: session.known_on(),
            },
            to: SideField {
                text: text(at),
                known_on: session.known_on(),
            },
            rows: Vec::new(),
            rows_for: None,
        }
    }

    /// The zones that changed between the two views, while both times read; the map outlines
    /// them.
    pub fn changed_zones(&self) -> impl Iterator<Item = usize> + '_ {
        self.rows.iter().map(|r| r.zone)
    }

    /// Both views, or the first field's problem.
    fn views(&self, session: &Session) -> Result<(View, View), String> {
        let tz = session.engine().dataset().meta.timezone;
        let parse = |label: &str, side: &SideField| {
            crate::timefmt::parse_user_time(&side.text, tz)
                .map(|at| View {
                    at,
                    known_on: side.known_on,
                })
                .map_err(|e| format!("{label}: {e}"))
        };
        Ok((parse(FROM_LABEL, &self.from)?, parse(TO_LABEL, &self.to)?))
    }

    /// The changed zones, computed again only when a view or the engine changed.
    fn refresh(&mut self, session: &Session) -> Result<(), String> {
        let (from, to) = match self.views(session) {
            Ok(views) => views,
            Err(e) => {
                self.rows.clear();
                self.rows_for = None;
                return Err(e);
            }
        };
        let key = (from, to, session.revision());
        if self.rows_for == Some(key) {
            return Ok(());
        }
        let engine = session.engine();
        let state = |r: &crate::engine::Resolution| (r.status, r.contested, r.instrument);
        self.rows = crate::compare::diff(engine, from, to)
            .into_iter()
            .map(|c| Row {
                zone: c.zone,
                changed: c.changed,
                from: state(c.from),
                to: state(c.to),
                events: c.events,
            })
            .collect();
        self.rows_for = Some(key);
        Ok(())
    }
}

pub fn show(ctx: &egui::Context, b: &mut CompareBox, session: &Session) -> Option<CompareAction> {
    let problem = b.refresh(session).err();
    let mut action = None;
    let mut open = true;
    egui::Window::new("Compare two views")
        .collapsible(false)
        .default_width(460.0)
        .open(&mut open)
        .show(ctx, |ui| {
            egui::Grid::new("compare-views")
                .num_columns(3)
                .show(ui, |ui| {
                    side_row(ui, session, FROM_LABEL, &mut b.from);
                    side_row(ui, session, TO_LABEL, &mut b.to);
                });
            ui.weak("Each view is an instant, as known on a date: pick the same instant twice with two dates to see what later reports changed.");
            ui.separator();
            match problem {
                Some(p) => {
                    ui.label(p);
                }
                None => action = rows(ui, b, session),
            }
        });
    if !open {
        action = Some(CompareAction::Close);
    }
    action
}

/// A view's time field, its "as known on" choice and a button for the instant shown.
fn side_row(ui: &mut Ui, session: &Session, label: &str, side: &mut SideField) {
    let engine = session.engine();
    let tz = engine.dataset().meta.timezone;
    let name = ui.label(label);
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(&mut side.text).desired_width(150.0))
            .labelled_by(name.id)
            .on_hover_text("A local time such as 2016-05-01 12:00, or RFC 3339 with an offset");
        let known = crate::present::known_on_label(side.known_on, tz);
        egui::ComboBox::from_id_salt(("compare-known-on", label))
            .selected_text(format!("as known on: {known}"))
            .show_ui(ui, |ui| {
                let all = crate::present::known_on_label(None, tz);
                ui.selectable_value(&mut side.known_on, None, all);
                for (end, text) in crate::present::known_on_choices(engine) {
                    ui.selectable_value(&mut side.known_on, Some(end), text);
                }
            })
            .response
            .on_hover_text(format!("{label}: use only the reports published by a date"));
    });
    if ui
        .button("Instant shown")
        .on_hover_text(format!("{label}: the instant the map shows now"))
        .clicked()
    {
        side.text = crate::timefmt::local(session.instant(), tz)
            .format("%Y-%m-%d %H:%M")
            .to_string();
    }
    ui.end_row();
}

/// The changed zones, each with its two states and the events between.
fn rows(ui: &mut Ui, b: &CompareBox, session: &Session) -> Option<CompareAction> {
    let ds = session.engine().dataset();
    let tz = ds.meta.timezone;
    ui.label(match b.rows.len() {
        0 => "No zone's status, contested flag or instrument changed.".to_owned(),
        1 => "1 zone changed (outlined on the map):".to_owned(),
        n => format!("{n} zones changed (outlined on the map):"),
    });
    let mut chosen = None;
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for row in &b.rows {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&ds.zones[row.zone].name).strong());
                    ui.weak(format!("Changed: {}", row.changed.names().join(", ")));
                });
                ui.horizontal(|ui| {
                    ui.weak("From view");
                    state(ui, ds, row.from);
                });
                ui.horizontal(|ui| {
                    ui.weak("To view");
                    state(ui, ds, row.to);
                });
                for &e in &row.events {
                    let ev = &ds.events[e];
                    let text = format!(
                        "{} · {} · {}",
                        crate::timefmt::moment_short(&ev.moment, tz),
                        ev.kind.label(),
                        ev.actor
                    );
                    if ui.button(text).on_hover_text("Go to this event").clicked() {
                        chosen = Some(CompareAction::Go {
                            at: ev.moment.utc(),
                            zone: row.zone,
                        });
                    }
                }
                ui.add_space(6.0);
            }
        });
    chosen
}

fn state(
    ui: &mut Ui,
    ds: &crate::model::Dataset,
    (status, contested, instrument): (Status, bool, Option<usize>),
) {
    status_badge(ui, status, contested);
    if let Some(i) = instrument {
        ui.weak(&ds.instruments[i].name);
    }
}
