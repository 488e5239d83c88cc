//! File > Export: where to write the file, when the system's save dialog is not there (a bare X
//! server, CI, tests). A path field with the file name offered, and Save or Cancel; an error
//! (a missing folder, no permission) stays in the dialog with the path, to correct.

use std::path::{Path, PathBuf};

use crate::export::Kind;

/// What is exported: data (written at once) or a picture of the window (taken at the next
/// frame, with the caption under the map).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Data(Kind),
    Image,
}

impl Target {
    pub fn file_name(self) -> &'static str {
        match self {
            Target::Data(kind) => kind.file_name(),
            Target::Image => "truce-atlas-view.png",
        }
    }
}

pub const PATH_LABEL: &str = "Save to";
pub const SAVE_BUTTON: &str = "Save";

pub struct ExportDialog {
    pub target: Target,
    pub path: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportAction {
    Save(PathBuf),
    Cancel,
}

impl ExportDialog {
    pub fn new(target: Target, folder: &Path) -> ExportDialog {
        ExportDialog {
            target,
            path: folder.join(target.file_name()).display().to_string(),
            error: None,
        }
    }
}

/// What the export holds, in words.
pub fn title(target: Target) -> &'static str {
    match target {
        Target::Data(Kind::Intervals) => "Export status intervals (CSV)",
        Target::Data(Kind::Events) => "Export events (CSV)",
        Target::Data(Kind::Snapshot) => "Export zones at this instant (GeoJSON)",
        Target::Image => "Export image (PNG, with a caption)",
    }
}

pub fn show(ctx: &egui::Context, dialog: &mut ExportDialog) -> Option<ExportAction> {
    let mut action = None;
    let mut open = true;
    egui::Window::new(title(dialog.target))
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
