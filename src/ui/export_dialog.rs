//! File > Export: where to write the file, when the system's save dialog is not there (a bare X
//! server, CI, tests). A path field with the file name offered, and Save or Cancel; an error
//! (a missing folder, no permission) stays in the dialog with the path, to correct. An animation
//! asks here for its range, step, format and delay too.

use std::path::{Path, PathBuf};

use crate::export::Kind;

/// What is exported: data (written at once) or a picture of the window (taken at the next
/// frame, with the caption under the map).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Data(Kind),
    Image,
    /// The window pictured at each step of a range of time.
    Animation,
    /// The dataset's story: a web page's folder, or an animation of its steps.
    Story,
}

impl Target {
    pub fn file_name(self) -> &'static str {
        match self {
            Target::Data(kind) => kind.file_name(),
            Target::Image => "truce-atlas-view.png",
            Target::Animation => "truce-atlas-animation.gif",
            Target::Story => "truce-atlas-story",
        }
    }
}

pub const PATH_LABEL: &str = "Save to";
pub const SAVE_BUTTON: &str = "Save";

pub struct ExportDialog {
    pub target: Target,
    pub path: String,
    pub error: Option<String>,
    /// An animation's range, step, format and delay, as typed (the CLI's flags).
    pub animation: AnimationFields,
    /// A story as a web page (`None`) or as an animation in this format.
    pub story_as: Option<crate::animation::Format>,
}

/// What an animation's fields hold, as typed; read with the command line's rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnimationFields {
    pub from: String,
    pub to: String,
    pub step: String,
    pub format: crate::animation::Format,
    pub delay_ms: String,
}

impl AnimationFields {
    /// A week from `from` (or to the end of the span), a picture every six hours, as GIF.
    pub fn starting(engine: &crate::engine::Engine, from: chrono::DateTime<chrono::Utc>) -> Self {
        let tz = engine.dataset().meta.timezone;
        let end = engine.span().1;
        let to = from
            .checked_add_signed(chrono::TimeDelta::days(7))
            .map_or(end, |t| t.min(end));
        let local = |t: chrono::DateTime<chrono::Utc>| {
            t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
        };
        AnimationFields {
            from: local(from),
            to: local(to),
            step: "6h".into(),
            format: crate::animation::Format::Gif,
            delay_ms: crate::animation::DEFAULT_DELAY_MS.to_string(),
        }
    }

    /// What the fields ask for, read as the command line's flags are.
    pub fn request(&self) -> Result<crate::animation::Request, String> {
        let delay = self.delay_ms.trim().parse().map_err(|_| {
            format!(
                "the delay \"{}\" is not a whole number of milliseconds",
                self.delay_ms.trim()
            )
        })?;
        Ok(crate::animation::Request {
            from: Some(self.from.trim().to_string()),
            to: Some(self.to.trim().to_string()),
            step: Some(self.step.trim().to_string()),
            format: Some(self.format),
            delay_ms: Some(delay),
        })
    }
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
            animation: AnimationFields::default(),
            story_as: None,
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
        Target::Animation => "Export animation (GIF or APNG, with a caption)",
        Target::Story => "Export story (a web page, or GIF or APNG)",
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
            if dialog.target == Target::Animation {
                animation_fields(ui, &mut dialog.animation, &mut dialog.path);
                ui.separator();
            }
            if dialog.target == Target::Story {
                story_fields(ui, &mut dialog.story_as, &mut dialog.path);
                ui.separator();
            }
            ui.label(match dialog.target {
                Target::Story => "It is written in full beside this path, then put in its place; the path must be new.",
                _ => "The file is written in full beside this path, then put in its place.",
            });
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

/// A story as a web page (a new folder: the page and a picture per step) or an animation.
fn story_fields(
    ui: &mut egui::Ui,
    story_as: &mut Option<crate::animation::Format>,
    path: &mut String,
) {
    use crate::animation::Format;
    ui.horizontal(|ui| {
        ui.label("As");
        for (choice, name) in [
            (None, "a web page (a new folder)"),
            (Some(Format::Gif), Format::Gif.name()),
            (Some(Format::Apng), Format::Apng.name()),
        ] {
            if ui.radio_value(story_as, choice, name).changed() {
                let p = std::path::Path::new(path.trim());
                let renamed = match choice {
                    Some(format) => p.with_extension(format.extension()),
                    None => p.with_extension(""),
                };
                *path = renamed.display().to_string();
            }
        }
    });
    ui.weak("Each step is pictured with its own view and caption; the page holds each step's title, text and quotes, and loads nothing from elsewhere.");
}

/// Labels of the animation's fields (tests find them by these).
pub const FROM_LABEL: &str = "From";
pub const TO_LABEL: &str = "To";
pub const STEP_LABEL: &str = "Step";
pub const DELAY_LABEL: &str = "Each picture shown for (ms)";

/// The range, step, format and delay of an animation. Choosing a format renames the file's
/// extension to match.
fn animation_fields(ui: &mut egui::Ui, fields: &mut AnimationFields, path: &mut String) {
    use crate::animation::Format;
    egui::Grid::new("animation-fields")
        .num_columns(2)
        .show(ui, |ui| {
            for (label, text, hint) in [
                (FROM_LABEL, &mut fields.from, "2016-05-01 00:00"),
                (TO_LABEL, &mut fields.to, "2016-05-08 00:00"),
                (STEP_LABEL, &mut fields.step, "6h, 1d or 30m"),
                (DELAY_LABEL, &mut fields.delay_ms, "500"),
            ] {
                let l = ui.label(label);
                ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text(hint)
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
                ui.end_row();
            }
            ui.label("Format");
            ui.horizontal(|ui| {
                for format in [Format::Gif, Format::Apng] {
                    if ui
                        .radio_value(&mut fields.format, format, format.name())
                        .changed()
                    {
                        let renamed =
                            std::path::Path::new(path.trim()).with_extension(format.extension());
                        *path = renamed.display().to_string();
                    }
                }
            });
            ui.end_row();
        });
    ui.weak("Times in the dataset's time zone, or with an offset (2016-05-01T00:00:00+03:00). The last picture is always the end of the range.");
}
