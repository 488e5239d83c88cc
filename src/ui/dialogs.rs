//! The windows over the app: the problems of a dataset that could not be opened, and the list
//! of keyboard shortcuts. Each reads what it shows and pushes what the user chose.

use egui::RichText;

use crate::session::{Command, Session};
use crate::ui::commands::{Intent, UiCommand};

/// Every problem of the dataset that could not be opened; the current one stays loaded.
pub fn load_error(ctx: &egui::Context, session: &Session, out: &mut Vec<Intent>) {
    let Some(error) = session.load_error() else {
        return;
    };
    let current = &session.engine().dataset().meta.name;
    // The open dataset saved with problems (a reload), or another one that would not open.
    let reloading = session
        .data_dir()
        .is_some_and(|dir| dir.display().to_string() == error.origin);
    let (title, advice) = if reloading {
        (
            "The saved file has problems",
            format!(
                "The map still shows “{current}” as last read without problems. Fix these and save again; it reloads:"
            ),
        )
    } else {
        (
            "Could not open the dataset",
            format!("Nothing was changed: “{current}” stays loaded. Fix these and open it again:"),
        )
    };
    let mut window = egui::Window::new(title)
        .id(egui::Id::unique("truce-atlas-load-error"))
        .collapsible(false)
        .default_width(640.0);
    if reloading {
        // The user is editing the file with the map beside it: the problems go to the bottom
        // right, over the end of the lanes, and leave the map in view.
        let corner = ctx.content_rect().right_bottom() - egui::vec2(12.0, 40.0);
        window = window
            .pivot(egui::Align2::RIGHT_BOTTOM)
            .default_pos(corner)
            .default_width(520.0);
    }
    window.show(ctx, |ui| {
        let summary = RichText::new(error.to_string())
            .strong()
            .color(ui.visuals().error_fg_color);
        ui.label(summary);
        ui.label(advice);
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .show(ui, |ui| {
                for p in &error.problems {
                    let line = RichText::new(p.to_string()).monospace();
                    ui.add(egui::Label::new(line).selectable(true));
                }
            });
        ui.horizontal(|ui| {
            if ui.button("Copy the list").clicked() {
                ui.ctx().copy_text(error.report());
            }
            if ui.button("Close").clicked() {
                out.push(Intent::Session(Command::DismissLoadError));
            }
        });
    });
}

/// The shortcut of every command that has one, from the same list the keys are read from.
pub fn shortcuts(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for &c in UiCommand::all() {
                    if let Some(s) = c.shortcut_text(ctx) {
                        ui.monospace(s);
                        ui.label(c.text());
                        ui.end_row();
                    }
                }
                ui.monospace("drag / wheel");
                ui.label("Pan / zoom the map");
                ui.end_row();
                // Keys that belong to whatever has focus, so not commands of their own.
                for (keys, what) in [
                    (
                        "Tab / Shift+Tab",
                        "Move the focus between controls, zones on the map last",
                    ),
                    ("← → ↑ ↓ on a zone", "Move to the next zone west or east"),
                    ("Enter / Space on a zone", "Select it and show its quotes"),
                    ("← → on the slider", "Move the instant one hour"),
                    (
                        "← → in the event lanes",
                        "Move to the lane's previous or next event",
                    ),
                    ("↑ ↓ in the event lanes", "Move to the lane above or below"),
                    (
                        "Enter / Space in the event lanes",
                        "Move the instant to the event and select its zone",
                    ),
                    ("→ / Page Down, reading a story", "The story's next step"),
                    ("← / Page Up, reading a story", "The story's previous step"),
                    ("Esc, reading a story", "Stop reading; the view goes back"),
                ] {
                    ui.monospace(keys);
                    ui.label(what);
                    ui.end_row();
                }
            });
        });
}
