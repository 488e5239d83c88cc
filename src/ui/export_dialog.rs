//! File > Export: where to write the file, when the system's save dialog is not there (a bare X
//! server, CI, tests). A path field with the file name offered, and Save or Cancel; an error
//! (a missing folder, no permission) stays in the dialog with the path, to correct.

use std::path::{Path, PathBuf};

use crate::export::Kind;

pub const PATH_LABEL: &str = "Save to";
pub const SAVE_BUTTON: &str = "Save";

pub struct ExportDialog {
    pub kind: Kind,
    pub path: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportAction {
    Save(PathBuf),
    Cancel,
}

impl ExportDialog {
    pub fn new(kind: Kind, folder: &Path) -> ExportDialog {
        ExportDialog {
            kind,
            path: folder.join(kind.file_name()).display().to_string(),
            error: None,
        }
    }
}

/// What the export holds, in words.
pub fn title(kind: Kind) -> &'static str {
    match kind {
        Kind::Intervals => "Export status intervals (CSV)",
        Kind::Events => "Export events (CSV)",
        Kind::Snapshot => "Export zones at this instant (GeoJSON)",
    }
}

pub fn show(ctx: &egui::Context, dialog: &mut ExportDialog) -> Option<ExportAction> {
    let mut action = None;
    let mut open = true;
    egui::Window::new(title(dialog.kind))
        .collapsible(false)
        .default_width(560.0)
        .open(&mut open)
        .show(ctx, |ui| {
            ui.label("The file is written in full beside this path, then put in its place.");
            ui.horizontal(|ui| {
                let label = ui.label(PATH_LABEL);
                let edit =
                    ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(400.0));
                let edit = edit.labelled_by(label.id);
                if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    action = Some(ExportAction::Save(PathBuf::from(dialog.path.trim())));
                }
            });
            if let Some(e) = &dialog.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(SAVE_BUTTON).clicked() {
                    action = Some(ExportAction::Save(PathBuf::from(dialog.path.trim())));
                }
                if ui.button("Cancel").clicked() {
                    action = Some(ExportAction::Cancel);
                }
            });
        });
    if !open {
        action = Some(ExportAction::Cancel);
    }
    action
}
