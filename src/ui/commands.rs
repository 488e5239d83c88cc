//! Everything the user can ask for, with its text, tooltip and shortcut in one place, so that the
//! menus, the buttons, the shortcut help and the keyboard handling can never disagree.

use egui::{Key, KeyboardShortcut, Modifiers};

/// The menu a command lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    File,
    Go,
    View,
    Help,
}

impl Menu {
    pub const ALL: [Menu; 4] = [Menu::File, Menu::Go, Menu::View, Menu::Help];

    pub fn title(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Go => "Go",
            Menu::View => "View",
            Menu::Help => "Help",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    OpenDataset,
    OpenDefaultDataset,
    Quit,
    PreviousEvent,
    NextEvent,
    HourBack,
    HourForward,
    DayBack,
    DayForward,
    GoToStart,
    GoToEnd,
    ClearSelection,
    ResetView,
    ZoomIn,
    ZoomOut,
    PanWest,
    PanEast,
    PanNorth,
    PanSouth,
    ToggleOnlineTiles,
    ShowShortcuts,
}

impl Command {
    pub const ALL: [Command; 21] = [
        Command::OpenDataset,
        Command::OpenDefaultDataset,
        Command::Quit,
        Command::PreviousEvent,
        Command::NextEvent,
        Command::HourBack,
        Command::HourForward,
        Command::DayBack,
        Command::DayForward,
        Command::GoToStart,
        Command::GoToEnd,
        Command::ClearSelection,
        Command::ResetView,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::PanWest,
        Command::PanEast,
        Command::PanNorth,
        Command::PanSouth,
        Command::ToggleOnlineTiles,
        Command::ShowShortcuts,
    ];

    pub fn text(self) -> &'static str {
        match self {
            Command::OpenDataset => "Open dataset…",
            Command::OpenDefaultDataset => "Open the default dataset",
            Command::Quit => "Quit",
            Command::PreviousEvent => "Previous event",
            Command::NextEvent => "Next event",
            Command::HourBack => "Back one hour",
            Command::HourForward => "Forward one hour",
            Command::DayBack => "Back one day",
            Command::DayForward => "Forward one day",
            Command::GoToStart => "Go to start",
            Command::GoToEnd => "Go to end",
            Command::ClearSelection => "Clear selection",
            Command::ResetView => "Show all zones",
            Command::ZoomIn => "Zoom in",
            Command::ZoomOut => "Zoom out",
            Command::PanWest => "Pan west",
            Command::PanEast => "Pan east",
            Command::PanNorth => "Pan north",
            Command::PanSouth => "Pan south",
            Command::ToggleOnlineTiles => "Online map tiles (OpenStreetMap)",
            Command::ShowShortcuts => "Keyboard shortcuts",
        }
    }

    /// Where the command appears in the menu bar (in the order of [`Command::ALL`]).
    pub fn menu(self) -> Menu {
        match self {
            Command::OpenDataset | Command::OpenDefaultDataset | Command::Quit => Menu::File,
            Command::PreviousEvent
            | Command::NextEvent
            | Command::HourBack
            | Command::HourForward
            | Command::DayBack
            | Command::DayForward
            | Command::GoToStart
            | Command::GoToEnd => Menu::Go,
            Command::ClearSelection
            | Command::ResetView
            | Command::ZoomIn
            | Command::ZoomOut
            | Command::PanWest
            | Command::PanEast
            | Command::PanNorth
            | Command::PanSouth
            | Command::ToggleOnlineTiles => Menu::View,
            Command::ShowShortcuts => Menu::Help,
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Command::OpenDataset => {
                "Open a dataset folder (see data/FORMAT.md); if it has errors, they are listed and the current dataset stays"
            }
            Command::OpenDefaultDataset => "Go back to the dataset built into the app",
            Command::Quit => "Close Truce Atlas (the view is remembered)",
            Command::PreviousEvent => {
                "Move the instant to the previous event (of the selected zone, if one is selected)"
            }
            Command::NextEvent => {
                "Move the instant to the next event (of the selected zone, if one is selected)"
            }
            Command::HourBack => "Move the instant one hour earlier",
            Command::HourForward => "Move the instant one hour later",
            Command::DayBack => "Move the instant one day earlier",
            Command::DayForward => "Move the instant one day later",
            Command::GoToStart => "Move the instant to the start of the dataset's span",
            Command::GoToEnd => "Move the instant to the end of the dataset's span",
            Command::ClearSelection => "Deselect the zone",
            Command::ResetView => "Zoom and pan so that every zone is in view",
            Command::ZoomIn => "Zoom the map in",
            Command::ZoomOut => "Zoom the map out",
            Command::PanWest => "Move the map view west",
            Command::PanEast => "Move the map view east",
            Command::PanNorth => "Move the map view north",
            Command::PanSouth => "Move the map view south",
            Command::ToggleOnlineTiles => {
                "Draw OpenStreetMap tiles under the zones (needs the network; tiles are cached on disk). Off by default: the offline basemap is always there"
            }
            Command::ShowShortcuts => "List the keyboard shortcuts",
        }
    }

    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let key = |m: Modifiers, k: Key| Some(KeyboardShortcut::new(m, k));
        match self {
            Command::OpenDataset => key(Modifiers::COMMAND, Key::O),
            Command::Quit => key(Modifiers::COMMAND, Key::Q),
            Command::PreviousEvent => key(Modifiers::NONE, Key::ArrowLeft),
            Command::NextEvent => key(Modifiers::NONE, Key::ArrowRight),
            Command::HourBack => key(Modifiers::SHIFT, Key::ArrowLeft),
            Command::HourForward => key(Modifiers::SHIFT, Key::ArrowRight),
            Command::DayBack => key(Modifiers::NONE, Key::PageUp),
            Command::DayForward => key(Modifiers::NONE, Key::PageDown),
            Command::GoToStart => key(Modifiers::NONE, Key::Home),
            Command::GoToEnd => key(Modifiers::NONE, Key::End),
            Command::ClearSelection => key(Modifiers::NONE, Key::Escape),
            Command::ResetView => key(Modifiers::NONE, Key::Num0),
            Command::ZoomIn => key(Modifiers::NONE, Key::Plus),
            Command::ZoomOut => key(Modifiers::NONE, Key::Minus),
            Command::PanWest => key(Modifiers::ALT, Key::ArrowLeft),
            Command::PanEast => key(Modifiers::ALT, Key::ArrowRight),
            Command::PanNorth => key(Modifiers::ALT, Key::ArrowUp),
            Command::PanSouth => key(Modifiers::ALT, Key::ArrowDown),
            Command::ShowShortcuts => key(Modifiers::NONE, Key::F1),
            Command::OpenDefaultDataset | Command::ToggleOnlineTiles => None,
        }
    }

    /// The commands, those whose shortcut has more modifiers first. egui matches shortcuts
    /// logically, ignoring an extra Shift or Alt, so → would otherwise take Shift+→ and Alt+→
    /// before their own commands saw them.
    pub fn by_specificity() -> impl Iterator<Item = Command> {
        let mut all = Self::ALL;
        all.sort_by_key(|c| {
            let m = c.shortcut().map(|s| s.modifiers).unwrap_or_default();
            std::cmp::Reverse(
                u8::from(m.alt) + u8::from(m.shift) + u8::from(m.command) + u8::from(m.ctrl),
            )
        });
        all.into_iter()
    }

    /// Shortcuts without a modifier would steal typing from a text field.
    pub fn works_while_typing(self) -> bool {
        self.shortcut().is_some_and(|s| s.modifiers.command)
    }

    /// Text for a menu item or button tooltip: "Next event (→)".
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.shortcut().map(|s| ctx.format_shortcut(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let shortcuts: Vec<KeyboardShortcut> =
            Command::ALL.iter().filter_map(|c| c.shortcut()).collect();
        for (i, a) in shortcuts.iter().enumerate() {
            assert!(!shortcuts[i + 1..].contains(a), "{a:?} is used twice");
        }
    }

    #[test]
    fn a_shortcut_with_modifiers_is_tried_before_the_same_key_without() {
        let order: Vec<Command> = Command::by_specificity().collect();
        let at = |c: Command| order.iter().position(|x| *x == c).expect("listed");
        assert!(at(Command::HourForward) < at(Command::NextEvent));
        assert!(at(Command::PanEast) < at(Command::NextEvent));
        assert_eq!(order.len(), Command::ALL.len());
    }

    #[test]
    fn every_command_says_what_it_does() {
        for c in Command::ALL {
            assert!(
                !c.text().is_empty() && c.tooltip().len() > c.text().len() / 2,
                "{c:?}"
            );
        }
    }
}
