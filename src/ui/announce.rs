//! What a screen reader is told when the view changes while the keyboard is elsewhere: a step
//! of the instant pressed on a menu button, or a zone selected with Enter on the map.
//!
//! Orca 43 (Debian's) speaks neither live regions nor AT-SPI announcements outside web content;
//! what it does speak, wherever the focus is, is a new description of the object that has the
//! focus. So the words go into the focused widget's description (or the window's, when no
//! widget has the focus) and stay there while the focus does: taking them away while it is
//! still there would be a second change, and Orca would speak the old description. When the
//! focus moves on, the widget's own description comes back a frame later, unspoken, because
//! Orca speaks only the focused object's changes. The status bar's live region stays for screen readers that
//! read live regions.

/// Where this frame's widget that speaks the instant itself (the slider, through its value
/// text) records its id.
fn voice_key() -> egui::Id {
    egui::Id::unique("truce-atlas-voices-the-instant")
}

/// Called by a widget that says the new instant itself when it has the focus, so that the
/// instant is not said twice.
pub fn voices_the_instant(ctx: &egui::Context, id: egui::Id) {
    ctx.data_mut(|d| d.insert_temp(voice_key(), id));
}

/// Whether the focused widget says the new instant itself.
pub fn focus_voices_the_instant(ctx: &egui::Context) -> bool {
    let voice = ctx.data(|d| d.get_temp::<egui::Id>(voice_key()));
    voice.is_some() && ctx.memory(|m| m.focused()) == voice
}

/// Where a widget leaves words to say this pass, for the app's [`Announcer`] to take.
fn said_key() -> egui::Id {
    egui::Id::unique("truce-atlas-words-to-say")
}

/// Words for a screen reader from a widget that has the focus and changed what it points at
/// without a change of its own name or value that Orca would speak (a move in the event
/// lanes). The app's [`Announcer`] puts them on the widget's description after the panels.
pub fn say(ctx: &egui::Context, words: String) {
    ctx.data_mut(|d| d.insert_temp(said_key(), words));
}

/// Whether a screen reader (or any accessibility client) is reading the window: egui builds
/// the accessibility tree only then.
pub fn listening(ctx: &egui::Context) -> bool {
    ctx.accesskit_node_builder(egui::accesskit_root_id(), |_| ())
        .is_some()
}

/// Words waiting to be said, and the words being said on a widget.
#[derive(Debug, Default)]
pub struct Announcer {
    pending: Option<String>,
    shown: Option<Shown>,
    /// Words replaced while on a widget the focus has just left, kept there one frame more.
    leaving: Option<Shown>,
}

/// Words on a widget's description.
#[derive(Debug)]
struct Shown {
    id: egui::Id,
    words: String,
    /// The frame in which the focus left the widget. The words stay until a later frame: taken
    /// away in the frame the focus moves, the change reaches Orca before the focus does, while
    /// the widget is still the one it reads, and it would speak the widget's own description.
    left_in: Option<u64>,
}

impl Announcer {
    /// Words to say on the next pass; they replace any still being said.
    pub fn say(&mut self, words: String) {
        self.pending = Some(words);
    }

    /// After the panels of each pass: the words onto the focused widget's description, for as
    /// long as it keeps the focus. Nothing happens unless there are words.
    pub fn apply(&mut self, ctx: &egui::Context) {
        if let Some(words) = ctx.data_mut(|d| d.remove_temp::<String>(said_key())) {
            self.pending = Some(words);
        }
        if self.pending.is_none() && self.shown.is_none() && self.leaving.is_none() {
            return;
        }
        // A focused widget not drawn in this pass (the map's zones are not, in some passes)
        // keeps the words waiting; egui drops the focus of a widget that stays undrawn.
        let Some(target) = target(ctx) else {
            return;
        };
        if let Some(words) = self.pending.take() {
            let new = Shown {
                id: target,
                words,
                left_in: None,
            };
            if let Some(old) = self.shown.replace(new).filter(|old| old.id != target) {
                self.leaving = Some(old);
            }
        }
        let frame = ctx.cumulative_frame_nr();
        for slot in [&mut self.leaving, &mut self.shown] {
            if let Some(shown) = slot {
                if shown.id != target {
                    if frame > *shown.left_in.get_or_insert(frame) {
                        *slot = None;
                        continue;
                    }
                    // The frame that takes the words away.
                    ctx.request_repaint();
                }
                ctx.accesskit_node_builder(shown.id, |node| {
                    node.set_description(shown.words.as_str());
                });
            }
        }
    }
}

/// The focused widget if it is in this pass's accessibility tree (`None` if it is not), or
/// the window when no widget has the focus.
fn target(ctx: &egui::Context) -> Option<egui::Id> {
    match ctx.memory(|m| m.focused()) {
        Some(id) => ctx.has_accesskit_node(id).then_some(id),
        None => Some(egui::accesskit_root_id()),
    }
}
