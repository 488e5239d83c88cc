//! Everything the user can ask for from a menu, a button or a key, with its text, tooltip and
//! shortcut in one place (as rerun's `UICommand`), so that the menus, the buttons, the shortcut
//! help and the keyboard handling can never disagree. Each becomes an [`Intent`]: a command to
//! the session, or an action on the view around it.

use egui::{Key, KeyboardShortcut, Modifiers};
use strum::VariantArray;

use crate::export::Kind;
use crate::incidents::view::Days;
use crate::session::{self, Session, Step};
use crate::ui::export_dialog::Target;

/// What a panel, a key or a menu asks for. The app drains them once per frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Session(session::Command),
    View(ViewAction),
}

/// Changes to the view around the session: the map camera, dialogs, the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewAction {
    ShowOpenDialog,
    /// File > Open workbook: a file picker for .xlsx and .ods.
    ShowOpenWorkbookDialog,
    /// File > Reload: read the open dataset's files again.
    Reload,
    /// File > Add incident data: a file picker for an ACLED or UCDP CSV.
    ShowAddIncidentsDialog,
    Quit,
    /// Escape: closes a dialog if one is open, else clears the selection.
    Escape,
    ResetView,
    Zoom(i32),
    /// Points to move the view by (x east, y south).
    Pan(f64, f64),
    ToggleShortcuts,
    /// F6 / Shift+F6: the keyboard focus to the next or previous region of the window.
    CycleRegion(i32),
    /// The command line that reopens this view, to the clipboard.
    CopyViewCommand,
    /// Edit > Find: the search box, its field focused.
    ShowSearch,
    /// Edit > Compare two views: the comparison window.
    ShowCompare,
    /// Ask where, then write an export.
    Export(crate::ui::export_dialog::Target),
    /// Story > Edit the story: the editor's window.
    ShowStoryEditor,
}

/// The window's regions, in F6 order. Each names the widget that takes the focus when the
/// region is reached (its "anchor"), recorded by the region as it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, VariantArray)]
pub enum Region {
    Menu,
    Time,
    /// The side panel's choices and zone list.
    SidePanel,
    /// The selected zone's status and the quotes behind it (drawn only while a zone is
    /// selected); its anchor is the first quote. F6 from a zone just selected comes here.
    Evidence,
    Map,
}

impl Region {
    /// Where this frame's anchor id is kept (egui's temporary data).
    pub fn key(self) -> egui::Id {
        egui::Id::unique(match self {
            Region::Menu => "truce-atlas-region-menu",
            Region::Time => "truce-atlas-region-time",
            Region::SidePanel => "truce-atlas-region-side",
            Region::Evidence => "truce-atlas-region-evidence",
            Region::Map => "truce-atlas-region-map",
        })
    }

    /// Records `anchor` as the widget that takes the focus for this region.
    pub fn anchor(self, ctx: &egui::Context, anchor: egui::Id) {
        ctx.data_mut(|d| d.insert_temp(self.key(), anchor));
    }

    /// Forgets every region's anchor and top, at the start of a pass: a region not drawn in
    /// this pass (the evidence with no zone selected, the map with no zone in view) is then
    /// passed over instead of sending the focus to a widget that is gone.
    pub fn forget_all(ctx: &egui::Context) {
        ctx.data_mut(|d| {
            for &r in <Region as VariantArray>::VARIANTS {
                d.remove::<egui::Id>(r.key());
                d.remove::<f32>(r.top_key());
            }
        });
    }

    /// Where this frame's top edge of the region is kept, for regions that share a panel.
    fn top_key(self) -> egui::Id {
        self.key().with("top")
    }

    /// Records where the region starts on screen (the evidence starts below the zone list).
    pub fn top(self, ctx: &egui::Context, y: f32) {
        ctx.data_mut(|d| d.insert_temp(self.top_key(), y));
    }

    /// Where the region started on screen as last drawn.
    pub fn top_of(self, ctx: &egui::Context) -> Option<f32> {
        ctx.data(|d| d.get_temp(self.top_key()))
    }
}

/// The menu a command lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, VariantArray)]
pub enum Menu {
    File,
    Edit,
    Go,
    View,
    Story,
    Help,
}

impl Menu {
    pub fn title(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::Go => "Go",
            Menu::View => "View",
            Menu::Story => "Story",
            Menu::Help => "Help",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, VariantArray)]
pub enum UiCommand {
    OpenDataset,
    OpenWorkbook,
    Reload,
    OpenDefaultDataset,
    AddIncidentData,
    ExportImage,
    ExportAnimation,
    ExportStory,
    ExportIntervals,
    ExportEvents,
    ExportSnapshot,
    Quit,
    CopyViewCommand,
    Find,
    Compare,
    PreviousEvent,
    NextEvent,
    HourBack,
    HourForward,
    DayBack,
    DayForward,
    GoToStart,
    GoToEnd,
    PlayPause,
    ClearSelection,
    ResetView,
    ZoomIn,
    ZoomOut,
    PanWest,
    PanEast,
    PanNorth,
    PanSouth,
    ToggleOnlineTiles,
    ToggleHighContrast,
    ToggleReduceMotion,
    ToggleWatchFiles,
    ToggleIncidentsOnMap,
    IncidentsThatDay,
    IncidentsWeek,
    IncidentsMonth,
    ToggleIncidentsOnLanes,
    ReadStory,
    EditStory,
    AddStoryStep,
    PreviousStoryStep,
    NextStoryStep,
    LeaveStory,
    ShowShortcuts,
    NextRegion,
    PreviousRegion,
}

/// The incident view changed by `f`.
fn incidents(session: &Session, f: impl FnOnce(&mut session::IncidentView)) -> Intent {
    let mut view = session.incident_view();
    f(&mut view);
    Intent::Session(session::Command::SetIncidentView(view))
}

fn days_shown(session: &Session, days: Days) -> bool {
    let view = session.incident_view();
    view.on_map && view.days == days
}

/// How far one pan command moves the map, in points.
const PAN_STEP: f64 = 120.0;

impl UiCommand {
    /// Every command, in menu order.
    pub fn all() -> &'static [UiCommand] {
        Self::VARIANTS
    }

    /// What the command asks for, given the session as it is.
    pub fn intent(self, session: &Session) -> Intent {
        use session::Command as S;
        let step = |s: Step| Intent::Session(S::Step(s));
        let view = Intent::View;
        match self {
            UiCommand::OpenDataset => view(ViewAction::ShowOpenDialog),
            UiCommand::OpenWorkbook => view(ViewAction::ShowOpenWorkbookDialog),
            UiCommand::Reload => view(ViewAction::Reload),
            UiCommand::ToggleWatchFiles => {
                Intent::Session(S::SetWatchFiles(!session.watch_files()))
            }
            UiCommand::OpenDefaultDataset => Intent::Session(S::OpenDataset(None)),
            UiCommand::AddIncidentData => view(ViewAction::ShowAddIncidentsDialog),
            UiCommand::ToggleIncidentsOnMap => incidents(session, |v| v.on_map = !v.on_map),
            UiCommand::IncidentsThatDay => incidents(session, |v| {
                v.on_map = true;
                v.days = Days::Today;
            }),
            UiCommand::IncidentsWeek => incidents(session, |v| {
                v.on_map = true;
                v.days = Days::Week;
            }),
            UiCommand::IncidentsMonth => incidents(session, |v| {
                v.on_map = true;
                v.days = Days::Month;
            }),
            UiCommand::ToggleIncidentsOnLanes => incidents(session, |v| v.on_lanes = !v.on_lanes),
            UiCommand::Quit => view(ViewAction::Quit),
            UiCommand::ExportImage => view(ViewAction::Export(Target::Image)),
            UiCommand::ExportAnimation => view(ViewAction::Export(Target::Animation)),
            UiCommand::ExportStory => view(ViewAction::Export(Target::Story)),
            UiCommand::ExportIntervals => view(ViewAction::Export(Target::Data(Kind::Intervals))),
            UiCommand::ExportEvents => view(ViewAction::Export(Target::Data(Kind::Events))),
            UiCommand::ExportSnapshot => view(ViewAction::Export(Target::Data(Kind::Snapshot))),
            UiCommand::CopyViewCommand => view(ViewAction::CopyViewCommand),
            UiCommand::Find => view(ViewAction::ShowSearch),
            UiCommand::Compare => view(ViewAction::ShowCompare),
            UiCommand::PreviousEvent => step(Step::PreviousEvent),
            UiCommand::NextEvent => step(Step::NextEvent),
            UiCommand::HourBack => step(Step::HourBack),
            UiCommand::HourForward => step(Step::HourForward),
            UiCommand::DayBack => step(Step::DayBack),
            UiCommand::DayForward => step(Step::DayForward),
            UiCommand::GoToStart => step(Step::Start),
            UiCommand::GoToEnd => step(Step::End),
            UiCommand::PlayPause => Intent::Session(S::Play(!session.playback().playing)),
            UiCommand::ClearSelection => view(ViewAction::Escape),
            UiCommand::ResetView => view(ViewAction::ResetView),
            UiCommand::ZoomIn => view(ViewAction::Zoom(1)),
            UiCommand::ZoomOut => view(ViewAction::Zoom(-1)),
            UiCommand::PanWest => view(ViewAction::Pan(-PAN_STEP, 0.0)),
            UiCommand::PanEast => view(ViewAction::Pan(PAN_STEP, 0.0)),
            UiCommand::PanNorth => view(ViewAction::Pan(0.0, -PAN_STEP)),
            UiCommand::PanSouth => view(ViewAction::Pan(0.0, PAN_STEP)),
            UiCommand::ToggleOnlineTiles => {
                Intent::Session(S::SetOnlineTiles(!session.online_tiles()))
            }
            UiCommand::ToggleHighContrast => {
                Intent::Session(S::SetHighContrast(!session.high_contrast()))
            }
            UiCommand::ToggleReduceMotion => {
                Intent::Session(S::SetPlayback(crate::playback::Playback {
                    reduce_motion: !session.playback().reduce_motion,
                    ..session.playback()
                }))
            }
            UiCommand::ShowShortcuts => view(ViewAction::ToggleShortcuts),
            UiCommand::NextRegion => view(ViewAction::CycleRegion(1)),
            UiCommand::ReadStory => Intent::Session(S::ReadStory(0)),
            UiCommand::EditStory => view(ViewAction::ShowStoryEditor),
            UiCommand::AddStoryStep => Intent::Session(S::EditStory(session::StoryEdit::AddView {
                after: session.reading(),
                title: crate::timefmt::instant_label(
                    session.instant(),
                    session.engine().dataset().meta.timezone,
                ),
            })),
            UiCommand::NextStoryStep => {
                Intent::Session(S::ReadStory(session.reading().map_or(0, |k| k + 1)))
            }
            UiCommand::PreviousStoryStep => Intent::Session(S::ReadStory(
                session.reading().map_or(0, |k| k.saturating_sub(1)),
            )),
            UiCommand::LeaveStory => Intent::Session(S::LeaveStory),
            UiCommand::PreviousRegion => view(ViewAction::CycleRegion(-1)),
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            UiCommand::OpenDataset => "Open dataset…",
            UiCommand::OpenWorkbook => "Open workbook…",
            UiCommand::Reload => "Reload",
            UiCommand::ToggleWatchFiles => "Watch files",
            UiCommand::OpenDefaultDataset => "Open the default dataset",
            UiCommand::AddIncidentData => "Add incident data…",
            UiCommand::ToggleIncidentsOnMap => "Incidents on the map",
            UiCommand::IncidentsThatDay => "Incidents: that day",
            UiCommand::IncidentsWeek => "Incidents: 7 days",
            UiCommand::IncidentsMonth => "Incidents: 30 days",
            UiCommand::ToggleIncidentsOnLanes => "Incidents on the lanes",
            UiCommand::Quit => "Quit",
            UiCommand::ExportImage => "Export image…",
            UiCommand::ExportAnimation => "Export animation…",
            UiCommand::ExportStory => "Export story…",
            UiCommand::ExportIntervals => "Export status intervals (CSV)…",
            UiCommand::ExportEvents => "Export events (CSV)…",
            UiCommand::ExportSnapshot => "Export zones at this instant (GeoJSON)…",
            UiCommand::CopyViewCommand => "Copy view as command line",
            UiCommand::Find => "Find…",
            UiCommand::Compare => "Compare two views…",
            UiCommand::PreviousEvent => "Previous event",
            UiCommand::NextEvent => "Next event",
            UiCommand::HourBack => "Back one hour",
            UiCommand::HourForward => "Forward one hour",
            UiCommand::DayBack => "Back one day",
            UiCommand::DayForward => "Forward one day",
            UiCommand::GoToStart => "Go to start",
            UiCommand::GoToEnd => "Go to end",
            UiCommand::PlayPause => "Play or pause",
            UiCommand::ClearSelection => "Clear selection",
            UiCommand::ResetView => "Show all zones",
            UiCommand::ZoomIn => "Zoom in",
            UiCommand::ZoomOut => "Zoom out",
            UiCommand::PanWest => "Pan west",
            UiCommand::PanEast => "Pan east",
            UiCommand::PanNorth => "Pan north",
            UiCommand::PanSouth => "Pan south",
            UiCommand::ToggleOnlineTiles => "Online map tiles (OpenStreetMap)",
            UiCommand::ToggleHighContrast => "High contrast",
            UiCommand::ToggleReduceMotion => "Reduce motion",
            UiCommand::ShowShortcuts => "Keyboard shortcuts",
            UiCommand::NextRegion => "Next region",
            UiCommand::ReadStory => "Read the story",
            UiCommand::EditStory => "Edit the story…",
            UiCommand::AddStoryStep => "Add this view as a step",
            UiCommand::PreviousStoryStep => "Previous step",
            UiCommand::NextStoryStep => "Next step",
            UiCommand::LeaveStory => "Stop reading",
            UiCommand::PreviousRegion => "Previous region",
        }
    }

    /// Where the command appears in the menu bar (in the order of [`UiCommand::all`]).
    pub fn menu(self) -> Menu {
        match self {
            UiCommand::OpenDataset
            | UiCommand::OpenWorkbook
            | UiCommand::Reload
            | UiCommand::OpenDefaultDataset
            | UiCommand::AddIncidentData
            | UiCommand::ExportImage
            | UiCommand::ExportAnimation
            | UiCommand::ExportStory
            | UiCommand::ExportIntervals
            | UiCommand::ExportEvents
            | UiCommand::ExportSnapshot
            | UiCommand::Quit => Menu::File,
            UiCommand::CopyViewCommand | UiCommand::Find | UiCommand::Compare => Menu::Edit,
            UiCommand::PreviousEvent
            | UiCommand::NextEvent
            | UiCommand::HourBack
            | UiCommand::HourForward
            | UiCommand::DayBack
            | UiCommand::DayForward
            | UiCommand::GoToStart
            | UiCommand::GoToEnd
            | UiCommand::PlayPause => Menu::Go,
            UiCommand::ClearSelection
            | UiCommand::ResetView
            | UiCommand::ZoomIn
            | UiCommand::ZoomOut
            | UiCommand::PanWest
            | UiCommand::PanEast
            | UiCommand::PanNorth
            | UiCommand::PanSouth
            | UiCommand::ToggleOnlineTiles
            | UiCommand::ToggleHighContrast
            | UiCommand::ToggleReduceMotion
            | UiCommand::ToggleWatchFiles
            | UiCommand::ToggleIncidentsOnMap
            | UiCommand::IncidentsThatDay
            | UiCommand::IncidentsWeek
            | UiCommand::IncidentsMonth
            | UiCommand::ToggleIncidentsOnLanes => Menu::View,
            UiCommand::ShowShortcuts => Menu::Help,
            UiCommand::ReadStory
            | UiCommand::EditStory
            | UiCommand::AddStoryStep
            | UiCommand::PreviousStoryStep
            | UiCommand::NextStoryStep
            | UiCommand::LeaveStory => Menu::Story,
            UiCommand::NextRegion | UiCommand::PreviousRegion => Menu::Go,
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            UiCommand::ReadStory
            | UiCommand::EditStory
            | UiCommand::AddStoryStep
            | UiCommand::PreviousStoryStep
            | UiCommand::NextStoryStep
            | UiCommand::LeaveStory => self.story_tooltip(),
            UiCommand::OpenDataset => {
                "Open a dataset folder of JSON or CSV files (see data/FORMAT.md); if it has errors, they are listed and the current dataset stays"
            }
            UiCommand::OpenWorkbook => {
                "Open a dataset written in a spreadsheet: an .xlsx or .ods workbook (truce-atlas new writes a template)"
            }
            UiCommand::Reload => {
                "Read the dataset's files again, keeping the instant, the selection, the filter and the map (for drives that do not report changes)"
            }
            UiCommand::ToggleWatchFiles => {
                "Reload the map when the dataset's files are saved, keeping what you look at (remembered)"
            }
            UiCommand::OpenDefaultDataset => "Go back to the dataset built into the app",
            UiCommand::AddIncidentData => {
                "Read an ACLED export or a UCDP GED CSV beside the truces: its incidents on the map and the lanes, counted against each status (each file its own set, never added to another)"
            }
            UiCommand::ToggleIncidentsOnMap => {
                "Show the incidents of the days up to the instant as round marks, larger for more deaths (remembered)"
            }
            UiCommand::IncidentsThatDay => "Show the incidents of the instant's own day",
            UiCommand::IncidentsWeek => "Show the incidents of the 7 days up to the instant",
            UiCommand::IncidentsMonth => "Show the incidents of the 30 days up to the instant",
            UiCommand::ToggleIncidentsOnLanes => {
                "A thin strip under each zone's lane: incidents per day (remembered)"
            }
            UiCommand::Quit => "Close Truce Atlas (the view is remembered)",
            UiCommand::ExportImage => {
                "The window as a PNG with a caption under the map: the dataset, the instant, the selected zone's status with its lead quote, and the command that reopens the view"
            }
            UiCommand::ExportStory => {
                "The dataset's story as a web page (a folder: the page and a captioned picture per step, nothing loaded from elsewhere), or as an animation of its steps"
            }
            UiCommand::ExportAnimation => {
                "The window pictured at each step from one instant to another, with the caption on every picture, as an animated GIF or APNG"
            }
            UiCommand::ExportIntervals => {
                "Every zone's status intervals as known on the chosen date, with their quotes, for a spreadsheet (columns in data/FORMAT.md)"
            }
            UiCommand::ExportEvents => "Every event with its citations, for a spreadsheet",
            UiCommand::ExportSnapshot => {
                "Every zone's outline with its status at this instant, for QGIS, Datawrapper or geojson.io"
            }
            UiCommand::Compare => {
                "The zones whose status changed between two instants, or between what was known on two dates, with the events between; the map outlines them"
            }
            UiCommand::Find => {
                "Search the quotes, speakers, outlets, headlines, actors, notes and zone names; go to an event from its result"
            }
            UiCommand::CopyViewCommand => {
                "Copy the truce-atlas command that reopens this view (dataset, instant, zone, as known on), to cite it or send it to a colleague"
            }
            UiCommand::PreviousEvent => {
                "Move the instant to the previous event (of the selected zone, if one is selected)"
            }
            UiCommand::NextEvent => {
                "Move the instant to the next event (of the selected zone, if one is selected)"
            }
            UiCommand::HourBack => "Move the instant one hour earlier",
            UiCommand::HourForward => "Move the instant one hour later",
            UiCommand::DayBack => "Move the instant one day earlier",
            UiCommand::DayForward => "Move the instant one day later",
            UiCommand::GoToStart => "Move the instant to the start of the dataset's span",
            UiCommand::GoToEnd => "Move the instant to the end of the dataset's span",
            UiCommand::PlayPause => {
                "Play the instant forward at the chosen speed, or pause (Space too, when no control has the focus)"
            }
            UiCommand::ClearSelection => "Deselect the zone",
            UiCommand::ResetView => "Zoom and pan so that every zone is in view",
            UiCommand::ZoomIn => "Zoom the map in",
            UiCommand::ZoomOut => "Zoom the map out",
            UiCommand::PanWest => "Move the map view west",
            UiCommand::PanEast => "Move the map view east",
            UiCommand::PanNorth => "Move the map view north",
            UiCommand::PanSouth => "Move the map view south",
            UiCommand::ToggleOnlineTiles => {
                "Draw OpenStreetMap tiles under the zones (needs the network; tiles are cached on disk). Off by default: the offline basemap is always there"
            }
            UiCommand::ToggleHighContrast => {
                "Black text, lines and patterns on white, opaque labels and thicker outlines (remembered; --high-contrast at start)"
            }
            UiCommand::ToggleReduceMotion => {
                "Playing moves the instant in one jump a second instead of gliding (remembered)"
            }
            UiCommand::ShowShortcuts => "List the keyboard shortcuts",
            UiCommand::NextRegion => {
                "Move the keyboard focus to the next region: menus, time controls, side panel, map"
            }
            UiCommand::PreviousRegion => "Move the keyboard focus to the previous region",
        }
    }

    /// The Story menu's tooltips (kept apart, so that each match stays short; the test that
    /// every command says what it does holds them to it).
    fn story_tooltip(self) -> &'static str {
        match self {
            UiCommand::ReadStory => {
                "Read the dataset's story step by step: the map, the slider and the filter move to each step, with its text and quotes (→ ← or Page Down / Page Up to turn, Esc to leave)"
            }
            UiCommand::EditStory => {
                "Write the story: its steps listed, each one's title and text, reordered or deleted, saved whole to story.json (with Undo of the last change)"
            }
            UiCommand::AddStoryStep => {
                "The view as it is (instant, as known on, zone, whose word counts, kinds, time axis) becomes a step, leaning on the quotes behind the selected zone's status"
            }
            UiCommand::PreviousStoryStep => {
                "Go back one step of the story (← or Page Up while reading)"
            }
            UiCommand::NextStoryStep => {
                "Go on to the story's next step (→ or Page Down while reading)"
            }
            UiCommand::LeaveStory => {
                "Stop reading: the view goes back to what it was (Esc while reading)"
            }
            _ => "",
        }
    }

    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let key = |m: Modifiers, k: Key| Some(KeyboardShortcut::new(m, k));
        match self {
            UiCommand::OpenDataset => key(Modifiers::COMMAND, Key::O),
            UiCommand::OpenWorkbook => key(Modifiers::COMMAND | Modifiers::SHIFT, Key::O),
            UiCommand::Reload => key(Modifiers::NONE, Key::F5),
            UiCommand::Quit => key(Modifiers::COMMAND, Key::Q),
            UiCommand::CopyViewCommand => key(Modifiers::COMMAND | Modifiers::SHIFT, Key::C),
            UiCommand::Find => key(Modifiers::COMMAND, Key::F),
            UiCommand::Compare => key(Modifiers::COMMAND, Key::D),
            UiCommand::ExportImage => key(Modifiers::COMMAND, Key::E),
            UiCommand::ExportAnimation => key(Modifiers::COMMAND | Modifiers::SHIFT, Key::E),
            UiCommand::PreviousEvent => key(Modifiers::NONE, Key::ArrowLeft),
            UiCommand::NextEvent => key(Modifiers::NONE, Key::ArrowRight),
            UiCommand::HourBack => key(Modifiers::SHIFT, Key::ArrowLeft),
            UiCommand::HourForward => key(Modifiers::SHIFT, Key::ArrowRight),
            UiCommand::DayBack => key(Modifiers::NONE, Key::PageUp),
            UiCommand::DayForward => key(Modifiers::NONE, Key::PageDown),
            UiCommand::GoToStart => key(Modifiers::NONE, Key::Home),
            UiCommand::GoToEnd => key(Modifiers::NONE, Key::End),
            UiCommand::PlayPause => key(Modifiers::NONE, Key::P),
            UiCommand::ClearSelection => key(Modifiers::NONE, Key::Escape),
            UiCommand::ResetView => key(Modifiers::NONE, Key::Num0),
            UiCommand::ZoomIn => key(Modifiers::NONE, Key::Plus),
            UiCommand::ZoomOut => key(Modifiers::NONE, Key::Minus),
            UiCommand::PanWest => key(Modifiers::ALT, Key::ArrowLeft),
            UiCommand::PanEast => key(Modifiers::ALT, Key::ArrowRight),
            UiCommand::PanNorth => key(Modifiers::ALT, Key::ArrowUp),
            UiCommand::PanSouth => key(Modifiers::ALT, Key::ArrowDown),
            UiCommand::ShowShortcuts => key(Modifiers::NONE, Key::F1),
            UiCommand::NextRegion => key(Modifiers::NONE, Key::F6),
            UiCommand::PreviousRegion => key(Modifiers::SHIFT, Key::F6),
            UiCommand::OpenDefaultDataset
            | UiCommand::ExportStory
            | UiCommand::ExportIntervals
            | UiCommand::ExportEvents
            | UiCommand::ExportSnapshot
            | UiCommand::ToggleOnlineTiles
            | UiCommand::ToggleHighContrast
            | UiCommand::ToggleReduceMotion
            | UiCommand::ToggleWatchFiles
            | UiCommand::AddIncidentData
            | UiCommand::ToggleIncidentsOnMap
            | UiCommand::IncidentsThatDay
            | UiCommand::IncidentsWeek
            | UiCommand::IncidentsMonth
            | UiCommand::ToggleIncidentsOnLanes
            | UiCommand::ReadStory
            | UiCommand::EditStory
            | UiCommand::AddStoryStep
            | UiCommand::PreviousStoryStep
            | UiCommand::NextStoryStep
            | UiCommand::LeaveStory => None,
        }
    }

    /// The commands, those whose shortcut has more modifiers first. egui matches shortcuts
    /// logically, ignoring an extra Shift or Alt, so → would otherwise take Shift+→ and Alt+→
    /// before their own commands saw them.
    pub fn by_specificity() -> impl Iterator<Item = UiCommand> {
        let mut all = Self::VARIANTS.to_vec();
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
        // F6 types nothing, and is the way out of a text field to another region.
        self.shortcut()
            .is_some_and(|s| s.modifiers.command || s.logical_key == Key::F6)
    }

    /// Plain arrows belong to the focused widget (the slider steps with them, focus moves
    /// with them): they mean previous and next event only when nothing has focus. Every other
    /// key acts whichever button or slider has focus.
    pub fn works_with_a_widget_focused(self) -> bool {
        self.shortcut().is_none_or(|s| {
            let plain_arrow = matches!(
                s.logical_key,
                Key::ArrowLeft | Key::ArrowRight | Key::ArrowUp | Key::ArrowDown
            );
            !(plain_arrow && s.modifiers.is_none())
        })
    }

    /// For an on/off setting, whether it is on (the menu shows it as a check box).
    pub fn toggled(self, session: &Session) -> Option<bool> {
        match self {
            UiCommand::ToggleOnlineTiles => Some(session.online_tiles()),
            UiCommand::ToggleHighContrast => Some(session.high_contrast()),
            UiCommand::ToggleReduceMotion => Some(session.playback().reduce_motion),
            UiCommand::ToggleWatchFiles => Some(session.watch_files()),
            UiCommand::ToggleIncidentsOnMap => Some(session.incident_view().on_map),
            UiCommand::IncidentsThatDay => Some(days_shown(session, Days::Today)),
            UiCommand::IncidentsWeek => Some(days_shown(session, Days::Week)),
            UiCommand::IncidentsMonth => Some(days_shown(session, Days::Month)),
            UiCommand::ToggleIncidentsOnLanes => Some(session.incident_view().on_lanes),
            _ => None,
        }
    }

    /// Whether the command can be carried out now (a menu shows it greyed out otherwise).
    pub fn enabled(self, session: &Session) -> bool {
        match self {
            UiCommand::ReadStory => session.story().is_some() && session.reading().is_none(),
            UiCommand::ExportStory => session.story().is_some(),
            UiCommand::PreviousStoryStep => session.reading().is_some_and(|k| k > 0),
            UiCommand::NextStoryStep => session
                .reading()
                .zip(session.story())
                .is_some_and(|(k, s)| k + 1 < s.steps.len()),
            UiCommand::LeaveStory => session.reading().is_some(),
            _ => true,
        }
    }

    /// While a story is read, the keys that turn its pages instead of moving the instant.
    pub fn reading_keys(self) -> &'static [Key] {
        match self {
            UiCommand::PreviousStoryStep => &[Key::ArrowLeft, Key::PageUp],
            UiCommand::NextStoryStep => &[Key::ArrowRight, Key::PageDown],
            UiCommand::LeaveStory => &[Key::Escape],
            _ => &[],
        }
    }

    /// Text for a menu item or button tooltip: "Next event (→)".
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.shortcut().map(|s| ctx.format_shortcut(&s))
    }

    /// The tooltip with the shortcut after it: "Move the instant to the next event (→)".
    pub fn tooltip_with_shortcut(self, ctx: &egui::Context) -> String {
        match self.shortcut_text(ctx) {
            Some(s) => format!("{} ({s})", self.tooltip()),
            None => self.tooltip().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let shortcuts: Vec<KeyboardShortcut> = UiCommand::all()
            .iter()
            .filter_map(|c| c.shortcut())
            .collect();
        for (i, a) in shortcuts.iter().enumerate() {
            assert!(!shortcuts[i + 1..].contains(a), "{a:?} is used twice");
        }
    }

    #[test]
    fn a_shortcut_with_modifiers_is_tried_before_the_same_key_without() {
        let order: Vec<UiCommand> = UiCommand::by_specificity().collect();
        let at = |c: UiCommand| order.iter().position(|x| *x == c).expect("listed");
        assert!(at(UiCommand::HourForward) < at(UiCommand::NextEvent));
        assert!(at(UiCommand::PanEast) < at(UiCommand::NextEvent));
        assert_eq!(order.len(), UiCommand::all().len());
    }

    #[test]
    fn step_commands_go_to_the_session_and_camera_commands_to_the_view() {
        let session = Session::new(crate::default_engine().expect("valid"), Default::default());
        assert_eq!(
            UiCommand::NextEvent.intent(&session),
            Intent::Session(session::Command::Step(Step::NextEvent))
        );
        assert_eq!(
            UiCommand::ZoomIn.intent(&session),
            Intent::View(ViewAction::Zoom(1))
        );
        assert_eq!(
            UiCommand::ToggleOnlineTiles.intent(&session),
            Intent::Session(session::Command::SetOnlineTiles(true))
        );
    }

    #[test]
    fn every_command_says_what_it_does() {
        for &c in UiCommand::all() {
            assert!(
                !c.text().is_empty() && c.tooltip().len() > c.text().len() / 2,
                "{c:?}"
            );
        }
    }
}
