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
