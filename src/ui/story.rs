//! Reading a story: the side panel shows the step's title, text and quotes with Previous /
//! Next; the map, the slider and the filter are the step's (the session moved them). A screen
//! reader hears each step's title and text.

use egui::{RichText, Ui};

use crate::model::story::{Piece, StoryStep, pieces};
use crate::session::Session;
use crate::ui::commands::{Intent, UiCommand};

/// The words a screen reader hears when a step is shown: "Step 3 of 7. Title. Text".
pub fn step_words(session: &Session) -> Option<String> {
    let (k, story) = session.reading().zip(session.story())?;
    let step = story.steps.get(k)?;
    let text = step.text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(format!(
        "Step {} of {}. {}. {text}",
        k + 1,
        story.steps.len(),
        step.title
    ))
}

/// The reading panel, in place of the side panel's choices while a story is read.
pub fn panel(ui: &mut Ui, session: &Session, out: &mut Vec<Intent>) {
    let (Some(k), Some(story)) = (session.reading(), session.story()) else {
        return;
    };
    let Some(step) = story.steps.get(k) else {
        return;
    };
    ui.weak(format!("Story: {}", story.title));
    ui.horizontal(|ui| {
        for c in [UiCommand::PreviousStoryStep, UiCommand::NextStoryStep] {
            let text = match c {
                UiCommand::PreviousStoryStep => "◀ Previous",
                _ => "Next ▶",
            };
            let button = ui
                .add_enabled(c.enabled(session), egui::Button::new(text))
                .on_hover_text(c.tooltip());
            if button.clicked() {
                out.push(c.intent(session));
            }
        }
        ui.label(format!("{} of {}", k + 1, story.steps.len()));
        let leave = ui
            .button("Stop reading")
            .on_hover_text(UiCommand::LeaveStory.tooltip());
        if leave.clicked() {
            out.push(UiCommand::LeaveStory.intent(session));
        }
    });
    ui.separator();
    // The step's title and text: a live region, for screen readers that read them.
    let heading = ui.heading(RichText::new(&step.title).strong());
    if let Some(words) = step_words(session) {
        ui.ctx().accesskit_node_builder(heading.id, |node| {
            node.set_description(words);
            node.set_live(egui::accesskit::Live::Polite);
        });
    }
    text(ui, &step.text);
    quotes(ui, session, step);
}

/// The step's text: paragraphs at blank lines, bare addresses as links.
fn text(ui: &mut Ui, text: &str) {
    for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            for piece in pieces(paragraph.trim()) {
                match piece {
                    Piece::Text(t) => {
                        ui.label(t.replace('\n', " "));
                    }
                    Piece::Link(url) => {
                        ui.hyperlink(url);
                    }
                }
            }
        });
        ui.add_space(6.0);
    }
}

/// The quotes the step leans on, with outlet, date and speaker.
fn quotes(ui: &mut Ui, session: &Session, step: &StoryStep) {
    if step.citations.is_empty() {
        return;
    }
    let ds = session.engine().dataset();
    ui.add_space(4.0);
    ui.strong("Who says so");
    for cite in &step.citations {
        let event = &ds.events[cite.event];
        for c in event
            .citations
            .iter()
            .filter(|c| cite.source.is_none_or(|s| s == c.source))
        {
            let source = &ds.sources[c.source];
            ui.add(egui::Label::new(RichText::new(format!("“{}”", c.quote)).italics()).wrap());
            let speaker = c
                .speaker
                .as_deref()
                .map_or(String::new(), |s| format!(", {s}"));
            ui.weak(format!(
                "— {}, {}{speaker}",
                source.outlet,
                source.published.time.format("%-d %B %Y")
            ));
            ui.add_space(4.0);
        }
    }
}

/// Story > Edit the story: the steps listed, the chosen one's title and text, and Save.
#[derive(Debug, Default)]
pub struct Editor {
    /// The step being edited.
    pub chosen: usize,
    /// Where "Save as" writes the dataset with its story (the embedded dataset has no folder).
    pub save_as: String,
    /// The last save's trouble, to correct.
    pub error: Option<String>,
}

/// What the editor asks the app to do with the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorAction {
    /// Write story.json beside the dataset's files.
    Save,
    /// Write the (embedded) dataset with its story as a new folder there, and open it.
    SaveAs(std::path::PathBuf),
    Close,
}

/// The editor's window. Changes go to the session as commands; saving is the app's.
pub fn editor(
    ctx: &egui::Context,
    editor: &mut Editor,
    session: &Session,
    out: &mut Vec<Intent>,
) -> Option<EditorAction> {
    use crate::session::{Command, StoryEdit};
    let mut action = None;
    let mut open = true;
    let edit =
        |out: &mut Vec<Intent>, e: StoryEdit| out.push(Intent::Session(Command::EditStory(e)));
    egui::Window::new("Story")
        .open(&mut open)
        .default_width(520.0)
        .show(ctx, |ui| {
            let steps = session.story().map_or(&[][..], |s| &s.steps[..]);
            editor.chosen = editor.chosen.min(steps.len().saturating_sub(1));
            let mut title = session.story().map_or(String::new(), |s| s.title.clone());
            ui.horizontal(|ui| {
                let l = ui.label("Title");
                let r = ui.add(egui::TextEdit::singleline(&mut title).desired_width(400.0));
                if r.labelled_by(l.id).changed() {
                    edit(out, StoryEdit::SetStoryTitle(title.clone()));
                }
            });
            ui.horizontal(|ui| {
                let add = ui
                    .button("Add this view as a step")
                    .on_hover_text(UiCommand::AddStoryStep.tooltip());
                if add.clicked() {
                    out.push(UiCommand::AddStoryStep.intent(session));
                    editor.chosen = session.reading().map_or(steps.len(), |k| k + 1);
                }
                let undo = ui.add_enabled(session.can_undo_story(), egui::Button::new("Undo"));
                if undo.clicked() {
                    edit(out, StoryEdit::Undo);
                }
            });
            ui.separator();
            step_list(ui, editor, steps, session);
            if let Some(step) = steps.get(editor.chosen) {
                step_fields(ui, editor.chosen, step, steps.len(), out);
            }
            ui.separator();
            action = save_row(ui, editor, session);
        });
    if !open {
        action = Some(EditorAction::Close);
    }
    action
}

fn step_list(ui: &mut Ui, editor: &mut Editor, steps: &[StoryStep], session: &Session) {
    let tz = session.engine().dataset().meta.timezone;
    egui::ScrollArea::vertical()
        .max_height(160.0)
        .id_salt("story-steps")
        .show(ui, |ui| {
            for (k, step) in steps.iter().enumerate() {
                let when = crate::timefmt::instant_label(step.at, tz);
                let text = format!("{}. {} ({when})", k + 1, step.title);
                if ui.selectable_label(editor.chosen == k, text).clicked() {
                    editor.chosen = k;
                }
            }
            if steps.is_empty() {
                ui.weak("No steps yet: set the map as a step should show it, then Add this view as a step.");
            }
        });
}

fn step_fields(ui: &mut Ui, k: usize, step: &StoryStep, n: usize, out: &mut Vec<Intent>) {
    use crate::session::{Command, StoryEdit};
    let edit =
        |out: &mut Vec<Intent>, e: StoryEdit| out.push(Intent::Session(Command::EditStory(e)));
    ui.separator();
    let mut title = step.title.clone();
    ui.horizontal(|ui| {
        let l = ui.label("Step title");
        let r = ui.add(egui::TextEdit::singleline(&mut title).desired_width(360.0));
        if r.labelled_by(l.id).changed() {
            edit(out, StoryEdit::SetTitle(k, title.clone()));
        }
    });
    let mut text = step.text.clone();
    let l = ui.label(
        "Text (plain; a blank line starts a paragraph; bare https:// addresses become links)",
    );
    let r = ui.add(
        egui::TextEdit::multiline(&mut text)
            .desired_rows(5)
            .desired_width(f32::INFINITY),
    );
    if r.labelled_by(l.id).changed() {
        edit(out, StoryEdit::SetText(k, text));
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(k > 0, egui::Button::new("Move up"))
            .clicked()
        {
            edit(out, StoryEdit::Move { step: k, up: true });
        }
        if ui
            .add_enabled(k + 1 < n, egui::Button::new("Move down"))
            .clicked()
        {
            edit(out, StoryEdit::Move { step: k, up: false });
        }
        if ui.button("Delete step").clicked() {
            edit(out, StoryEdit::Delete(k));
        }
        let n = step.citations.len();
        ui.weak(format!("{n} quote{} cited", if n == 1 { "" } else { "s" }));
    });
}

fn save_row(ui: &mut Ui, editor: &mut Editor, session: &Session) -> Option<EditorAction> {
    let mut action = None;
    if let Some(e) = &editor.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let unsaved = if session.story_unsaved() {
        "Unsaved changes."
    } else {
        "Saved."
    };
    match session.data_dir() {
        Some(_) => {
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(session.story_unsaved(), egui::Button::new("Save"))
                    .clicked()
                {
                    action = Some(EditorAction::Save);
                }
                ui.weak(format!(
                    "{unsaved} Written whole to story.json beside the dataset."
                ));
            });
        }
        None => {
            ui.weak("The built-in dataset cannot be changed: save it with its story as a new folder, which then opens.");
            ui.horizontal(|ui| {
                let l = ui.label("Save as");
                let r =
                    ui.add(egui::TextEdit::singleline(&mut editor.save_as).desired_width(300.0));
                let _ = r.labelled_by(l.id);
                if ui.button("Save as…").clicked() {
                    action = Some(EditorAction::SaveAs(editor.save_as.trim().into()));
                }
            });
        }
    }
    action
}
