//! File > Open dataset: pick a folder, or a workbook in one. An in-app browser rather than a native dialog, so that it
//! works the same on every desktop, under Xvfb and in tests.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::load::workbook::CSV_MARKER;
use crate::load::{DATASET_FILE, EVENTS_FILE};

pub const PATH_LABEL: &str = "Dataset folder";
pub const OPEN_BUTTON: &str = "Open this folder";

pub struct OpenDialog {
    pub path: String,
    listed_for: Option<String>,
    subfolders: Vec<String>,
    /// The folder's `.xlsx` and `.ods` files, each a dataset to open.
    workbooks: Vec<String>,
    looks_like_dataset: bool,
    list_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogAction {
    Open(PathBuf),
    Cancel,
}

impl OpenDialog {
    pub fn new(start: &Path) -> OpenDialog {
        OpenDialog {
            path: start.display().to_string(),
            listed_for: None,
            subfolders: Vec::new(),
            workbooks: Vec::new(),
            looks_like_dataset: false,
            list_error: None,
        }
    }

    /// Lists the folder once per path, not once per frame.
    fn refresh(&mut self) {
        if self.listed_for.as_deref() == Some(self.path.as_str()) {
            return;
        }
        self.listed_for = Some(self.path.clone());
        self.subfolders.clear();
        self.workbooks.clear();
        self.list_error = None;
        let dir = Path::new(&self.path);
        self.looks_like_dataset = (dir.join(DATASET_FILE).is_file()
            && dir.join(EVENTS_FILE).is_file())
            || dir.join(CSV_MARKER).is_file();
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                let (mut folders, mut books) = (Vec::new(), Vec::new());
                for entry in entries.flatten() {
                    let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                        continue;
                    };
                    // Hidden files and a spreadsheet program's lock files (~$x.xlsx).
                    if name.starts_with('.') || name.starts_with("~$") {
                        continue;
                    }
                    let path = entry.path();
                    if path.is_dir() {
                        folders.push(name);
                    } else if crate::ui::app::is_workbook(&path) {
                        books.push(name);
                    }
                }
                folders.sort_by_key(|n| n.to_lowercase());
                books.sort_by_key(|n| n.to_lowercase());
                self.subfolders = folders;
                self.workbooks = books;
            }
            Err(e) => self.list_error = Some(format!("cannot list this folder: {e}")),
        }
    }
}

pub fn show(ctx: &egui::Context, dialog: &mut OpenDialog) -> Option<DialogAction> {
    dialog.refresh();
    let mut action = None;
    let mut open = true;
    egui::Window::new("Open dataset")
        .collapsible(false)
        .resizable(true)
        .default_width(560.0)
        .open(&mut open)
        .show(ctx, |ui| {
            ui.label("A dataset is a folder of JSON files (dataset.json, zones.geojson, sources.json, events.json) or of CSV files, or an .xlsx or .ods workbook (see data/FORMAT.md).");
            ui.horizontal(|ui| {
                let label = ui.label(PATH_LABEL);
                let edit = ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(380.0));
                let edit = edit.labelled_by(label.id);
                if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    action = Some(DialogAction::Open(PathBuf::from(dialog.path.trim())));
                }
            });
            if let Some(path) = folder_list(ui, dialog) {
                action = Some(DialogAction::Open(path));
            }
            ui.horizontal(|ui| {
                if dialog.looks_like_dataset {
                    ui.label(RichText::new("✔ This folder looks like a dataset").color(ui.visuals().text_color()));
                } else if !dialog.workbooks.is_empty() {
                    ui.weak("This folder is no dataset itself: open one of its workbooks above");
                } else {
                    ui.weak("This folder has no dataset.json and events.json, nor dataset.csv");
                }
            });
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(OPEN_BUTTON).clicked() {
                    action = Some(DialogAction::Open(PathBuf::from(dialog.path.trim())));
                }
                if ui.button("Cancel").clicked() {
                    action = Some(DialogAction::Cancel);
                }
            });
        });
    if !open {
        action = Some(DialogAction::Cancel);
    }
    action
}

/// The folder's subfolders (to go into) and workbooks (to open: the path returned).
fn folder_list(ui: &mut Ui, dialog: &mut OpenDialog) -> Option<PathBuf> {
    let mut go_to = None;
    let mut open = None;
    egui::ScrollArea::vertical()
        .max_height(240.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if let Some(parent) = Path::new(&dialog.path).parent()
                && ui
                    .button("⬆ ..")
                    .on_hover_text("The parent folder")
                    .clicked()
            {
                go_to = Some(parent.display().to_string());
            }
            if let Some(e) = &dialog.list_error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            for name in &dialog.subfolders {
                if ui.button(format!("🗀 {name}")).clicked() {
                    go_to = Some(Path::new(&dialog.path).join(name).display().to_string());
                }
            }
            for name in &dialog.workbooks {
                if ui
                    .button(format!("🗋 {name}"))
                    .on_hover_text("Open this workbook")
                    .clicked()
                {
                    open = Some(Path::new(&dialog.path).join(name));
                }
            }
        });
    if let Some(path) = go_to {
        dialog.path = path;
    }
    open
}
