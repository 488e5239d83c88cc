//! The one `App`. What the user is looking at lives in the [`Session`] (no egui); around it, the
//! [`View`] keeps what only a window has (the map camera, dialogs, typed text, textures). Each
//! frame the panels read both and push [`Intent`]s; the app drains them once, at the end.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU8;

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};
use walkers::{HttpOptions, HttpTiles, sources::OpenStreetMap};

use crate::basemap::Basemap;
use crate::engine::Engine;
use crate::load::DatasetError;
use crate::present::{self, ZoneSummary};
use crate::session::{self, Command, Remembered, Session};
use crate::timefmt::instant_label;
use crate::ui::commands::{Intent, Menu, Region, UiCommand, ViewAction};
use crate::ui::dialogs;
use crate::ui::export_dialog::{ExportAction, ExportDialog, Target};
use crate::ui::loading::{self, Loading};
use crate::ui::map::{MapInput, MapLayers, MapState, map_view};
use crate::ui::native_dialog;
use crate::ui::open_dialog::{self, DialogAction, OpenDialog};
use crate::ui::screenshot::Screenshot;
use crate::ui::sidebar::{known_on_picker, sidebar, who_picker};
use crate::ui::theme::{self, AFTER_REPORTS_GLYPH, Contrast, Patterns};
use crate::ui::timebar::{self, GoTo, TimeInput};
use crate::ui::watch;

/// `export animation`'s job: progress on the terminal, and Ctrl+C cancels it (the partial file
/// is removed) instead of killing the process with the file half-written.
fn terminal_job(
    plan: crate::animation::Plan,
    path: PathBuf,
    first: Option<DateTime<Utc>>,
) -> super::animate::Picturing {
    let back = first.or_else(|| plan.instants.first().copied());
    let job = super::animate::Picturing::start(plan, path, true, back.unwrap_or_default());
    let flag = job.cancel_flag();
    // Another handler already set (a second window in tests) keeps the default behaviour.
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst));
    job
}

/// The storage key of the saved view.
pub const SAVE_KEY: &str = "truce-atlas-view";

/// What is remembered between runs: the session's part and the map camera. Every field has a
/// default, so a state saved by an older version, or missing fields, still loads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    #[serde(flatten)]
    pub session: Remembered,
    /// Map centre longitude, latitude and zoom.
    pub view: Option<(f64, f64, f64)>,
}

/// What the command line asked for at start, checked.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    pub session: session::Start,
    pub screenshot: Option<PathBuf>,
    /// Neither read nor write the saved state (`--fresh`, and always for screenshots).
    pub ephemeral: bool,
    /// Where a screenshot run leaves its verdict for the process exit code.
    pub exit_code: Arc<AtomicU8>,
    /// Use the system's folder picker where there is one (a real window; never in tests).
    pub native_dialogs: bool,
    /// Datasets of at least this many bytes open on a worker thread (`None`: the usual size).
    pub background_open_from: Option<u64>,
    /// Datasets of at least this many events are filtered on a worker thread (`None`: the
    /// usual count).
    pub background_filter_from: Option<usize>,
    /// A caption block under the map (for `export png`).
    pub caption: bool,
    /// `export animation`: the plan and the file; progress goes to the terminal and the
    /// process ends with the export.
    pub animation: Option<(crate::animation::Plan, PathBuf)>,
}

/// What only a window has, around the session.
struct View {
    basemap: &'static Basemap,
    layers: MapLayers,
    /// The session generation the layers were built for.
    layers_for: u64,
    /// The dataset opening the camera was framed for ([`Session::opens`]): a reload keeps it.
    framed_for: u64,
    map: MapState,
    go_to: GoTo,
    /// The zone list's filter text.
    zone_filter: String,
    open_dialog: Option<OpenDialog>,
    export_dialog: Option<ExportDialog>,
    /// Edit > Find, while it is open.
    search: Option<super::search_box::SearchBox>,
    /// Edit > Compare two views, while it is open.
    compare: Option<super::compare_box::CompareBox>,
    show_shortcuts: bool,
    /// Story > Edit the story, while open.
    story_editor: Option<super::story::Editor>,
    tiles: Option<HttpTiles>,
    patterns: Option<Patterns>,
    /// Every zone's status in words, for the instant and knowledge shown.
    summaries: Vec<ZoneSummary>,
    summaries_for: Option<(DateTime<Utc>, Option<DateTime<Utc>>, u64)>,
    /// "According to: …" while a filter is on, read again when the filter changes.
    according_to: Option<String>,
    /// What a screen reader is to hear of a change made away from the focus.
    announcer: super::announce::Announcer,
    /// The widget that had the focus when a zone was selected (a zone on the map, a row of the
    /// zone list): F6 from it goes to the zone's quotes. Cleared when the focus moves.
    selected_from: Option<egui::Id>,
    /// The story step last shown (`None`: not reading), to frame and say a new one once.
    story_step: Option<usize>,
    /// The window's size in points as last drawn: an exported story's pictures are this size.
    map_size: (u32, u32),
    /// What is drawn of the incidents, kept until the window or the data changes.
    incidents: super::incidents::Shown,
    /// The incident whose window is open (a mark clicked): its set and index.
    incident_open: Option<(u16, u32)>,
    /// File > Add incident data without a system picker.
    add_incidents: Option<super::incidents::AddDialog>,
}

impl View {
    fn new(session: &Session) -> View {
        let basemap = Basemap::shared();
        let layers = MapLayers::new(basemap, session.engine().dataset());
        let mut map = MapState::default();
        map.request_fit();
        View {
            basemap,
            layers,
            layers_for: session.generation(),
            framed_for: session.opens(),
            map,
            go_to: GoTo::default(),
            zone_filter: String::new(),
            open_dialog: None,
            export_dialog: None,
            search: None,
            compare: None,
            show_shortcuts: false,
            story_editor: None,
            tiles: None,
            patterns: None,
            summaries: Vec::new(),
            summaries_for: None,
            according_to: None,
            announcer: Default::default(),
            selected_from: None,
            story_step: None,
            map_size: (1400, 900),
            incidents: Default::default(),
            incident_open: None,
            add_incidents: None,
        }
    }

    /// Brings what is derived from the session up to date: work done once per change, not
    /// once per frame.
    fn refresh(&mut self, session: &Session) {
        if self.layers_for != session.generation() {
            self.layers = MapLayers::new(self.basemap, session.engine().dataset());
            self.layers_for = session.generation();
            if self.framed_for != session.opens() {
                self.framed_for = session.opens();
                self.map.request_fit();
            }
            self.summaries_for = None;
            // Another dataset's marks and open incident mean nothing here.
            self.incident_open = None;
        }
        let key = (session.instant(), session.known_on(), session.revision());
        if self.summaries_for != Some(key) {
            self.summaries =
                present::zone_summaries(session.engine(), session.instant(), session.known_on());
            if self
                .summaries_for
                .is_none_or(|(_, _, revision)| revision != key.2)
            {
                self.according_to = session
                    .filter()
                    .and_then(|f| f.according_to(session.engine().dataset()));
            }
            self.summaries_for = Some(key);
        }
        if !session.online_tiles() {
            self.tiles = None;
        }
        self.incidents.refresh(session, self.layers.label_points());
    }

    fn ensure_tiles(&mut self, ctx: &egui::Context, session: &Session) {
        if session.online_tiles() && self.tiles.is_none() {
            // HTTPS for the tiles: rustls on ring (installing it twice is harmless).
            let _ = rustls::crypto::ring::default_provider().install_default();
            let options = HttpOptions {
                cache: eframe::storage_dir("Truce Atlas").map(|d| d.join("tiles")),
                user_agent: Some(walkers::HeaderValue::from_static(concat!(
                    "truce-atlas/",
                    env!("CARGO_PKG_VERSION")
                ))),
                ..HttpOptions::default()
            };
            self.tiles = Some(HttpTiles::with_options(OpenStreetMap, options, ctx.clone()));
        }
        if self.patterns.is_none() {
            // Once, before the first text is laid out: egui takes fonts added then at once.
            super::fonts::install(ctx);
            self.patterns = Some(Patterns::new(ctx));
        }
    }
}

/// What a picker is asked to pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    Folder,
    Workbook,
    Incidents,
}

/// What a system dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Picking {
    Dataset,
    Export(Target),
    Incidents,
}

pub struct AtlasApp {
    session: Session,
    view: View,
    screenshot: Option<Screenshot>,
    /// `--fresh` or `--screenshot`: nothing is read from or written to the saved state.
    ephemeral: bool,
    native_dialogs: bool,
    /// The system's folder picker, while it is open.
    picking: Option<(Picking, native_dialog::Pending)>,
    /// The open dataset's folder, watched for saves (View > Watch files).
    watcher: Option<watch::Watcher>,
    /// A big dataset being opened on a worker thread.
    loading: Option<Loading>,
    background_from: u64,
    /// A filter being applied on a worker thread (big datasets), and from how many events.
    filtering: Option<loading::Filtering>,
    background_filter_from: usize,
    caption: bool,
    /// A picture of the window being taken for File > Export image.
    capture: Option<super::screenshot::Capture>,
    /// An animation being exported (File > Export animation, `export animation`).
    animation: Option<super::animate::Picturing>,
    /// Incident files being read on a worker thread, and the dataset and files last read.
    incident_reading: Option<super::incidents::Reading>,
    incidents_read_for: Option<(u64, Vec<PathBuf>)>,
}

impl AtlasApp {
    /// Builds the app. `saved` is the text stored by the last run, if any; if it cannot be read
    /// the app starts clean and says so. The command line's requests win over it.
    pub fn new(engine: Engine, start: StartOptions, saved: Option<String>) -> AtlasApp {
        let asked = start.session;
        let first = session::Start {
            known_on: asked.known_on,
            data_dir: asked.data_dir,
            high_contrast: asked.high_contrast,
            filter: asked.filter.clone(),
            incident_files: asked.incident_files.clone(),
            ..session::Start::default()
        };
        let mut session = Session::new(engine, first);
        let mut view = View::new(&session);
        if let (false, Some(text)) = (start.ephemeral, saved) {
            match serde_json::from_str::<Saved>(&text) {
                // Another dataset than the one the camera was saved with opens fitted to
                // its own zones.
                Ok(saved) => {
                    if session.restore(&saved.session) {
                        restore_camera(&mut view.map, saved.view);
                    }
                }
                Err(e) => session.tell(format!(
                    "The view saved by the last run could not be read ({e}); starting fresh."
                )),
            }
        }
        if let Some(t) = asked.instant {
            session.apply(Command::SetInstant(t));
        }
        if asked.zone.is_some() {
            session.apply(Command::Select(asked.zone));
        }
        if let Some(kinds) = asked.kinds {
            session.apply(Command::SetKinds(kinds));
        }
        if asked.story {
            session.apply(Command::ReadStory(0));
        }
        AtlasApp {
            session,
            view,
            screenshot: start
                .screenshot
                .map(|path| Screenshot::new(path, &start.exit_code)),
            ephemeral: start.ephemeral,
            native_dialogs: start.native_dialogs,
            picking: None,
            watcher: None,
            loading: None,
            background_from: start
                .background_open_from
                .unwrap_or(loading::BACKGROUND_FROM_BYTES),
            filtering: None,
            background_filter_from: start
                .background_filter_from
                .unwrap_or(loading::BACKGROUND_FILTER_FROM_EVENTS),
            caption: start.caption,
            capture: None,
            animation: start.animation.map(|(plan, path)| {
                // Closed before the last picture, the run has failed.
                start
                    .exit_code
                    .store(1, std::sync::atomic::Ordering::SeqCst);
                terminal_job(plan, path, asked.instant)
            }),
            incident_reading: None,
            incidents_read_for: None,
        }
    }

    pub fn saved(&self) -> Saved {
        Saved {
            session: self.session.remembered(),
            view: self.view.map.view(),
        }
    }

    /// Changes the session as a panel would (tests and benchmarks move the instant this way).
    pub fn apply(&mut self, command: Command) {
        self.session.apply(command);
    }

    // --- what tests and the window may ask

    pub fn session(&self) -> &Session {
        &self.session
    }
    pub fn engine(&self) -> &Engine {
        self.session.engine()
    }
    pub fn instant(&self) -> DateTime<Utc> {
        self.session.instant()
    }
    pub fn selected(&self) -> Option<usize> {
        self.session.selected()
    }
    pub fn load_error(&self) -> Option<&DatasetError> {
        self.session.load_error()
    }
    pub fn notice(&self) -> Option<&str> {
        self.session.notice()
    }
    /// Where a geographic point is on screen, as of the last frame.
    pub fn screen_position(&self, lon: f64, lat: f64) -> Option<egui::Pos2> {
        self.view.map.screen_position(lon, lat)
    }
    /// Moves the map's camera to (lon, lat) at walkers' `zoom`, as a user panning and zooming
    /// would (tests and benchmarks look at places this way).
    pub fn look_at(&mut self, lon: f64, lat: f64, zoom: f64) {
        restore_camera(&mut self.view.map, Some((lon, lat, zoom)));
    }
    /// Where the zone's label box was drawn on the last frame.
    /// Whether incident files are being read on a worker thread.
    pub fn reading_incidents(&self) -> bool {
        self.incident_reading.is_some()
    }

    pub fn zone_label_rect(&self, zone: usize) -> Option<egui::Rect> {
        self.view.map.label_rect(zone)
    }

    /// The whole window: menu, status bar, time controls, side panel, map, dialogs.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        theme::use_contrast(&ctx, Contrast::from_high(self.session.high_contrast()));
        self.play(&ctx);
        self.animate(&ctx);
        // A picture waits for the incident files being read, as for the map's first fit.
        let settled = !self.view.map.fit_requested && self.incident_reading.is_none();
        if let Some(shot) = &mut self.screenshot
            && shot.begin(&ctx, settled)
        {
            return;
        }
        self.view.ensure_tiles(&ctx, &self.session);
        // The window's node is named as its title is, for a screen reader's window list.
        let engine = self.session.engine();
        ctx.accesskit_node_builder(egui::accesskit_root_id(), |node| {
            node.set_label(super::window_title(engine));
        });
        self.view.refresh(&self.session);
        let size = ctx.content_rect().size();
        self.view.map_size = (size.x.round() as u32, size.y.round() as u32);
        Region::forget_all(&ctx);
        // "F6 from the zone just selected" holds only while the focus stays on it.
        if self.view.selected_from != ctx.memory(|m| m.focused()) {
            self.view.selected_from = None;
        }
        let mut intents: Vec<Intent> = Vec::new();
        self.panels(ui, &mut intents);
        self.dialogs(&ctx, &mut intents);
        self.view.announcer.apply(&ctx);
        // Shortcuts last, after a focused slider has taken its own arrow keys.
        intents.extend(shortcuts(
            &ctx,
            self.view.open_dialog.is_some() || self.view.export_dialog.is_some(),
            &self.session,
        ));
        drop_hint(&ctx);
        self.poll_capture(&ctx);
        self.poll_picker(&mut intents);
        if let Some(dir) = dropped_dataset(&ctx) {
            intents.push(Intent::Session(Command::OpenDataset(Some(dir))));
        }
        // While an animation is pictured nothing may change the view but the job itself; a
        // save made meanwhile waits in the watcher until it is done.
        if self.animation.is_some() {
            intents.clear();
        } else {
            self.poll_watcher(&ctx, &mut intents);
        }
        let generation = self.session.generation();
        let opens = self.session.opens();
        let before = (self.session.instant(), self.session.selected());
        for intent in intents {
            self.handle(intent, &ctx);
        }
        if self.session.reading() != self.view.story_step {
            self.story_turned(&ctx);
        } else if self.session.generation() == generation {
            self.announce_change(&ctx, before);
        } else if self.session.opens() == opens
            && let Some(notice) = self.session.notice()
        {
            // A reload (the file was saved): a screen reader hears it wherever the focus is.
            self.view.announcer.say(notice.to_string());
            ctx.request_repaint();
        }
        if self.session.selected() != before.1 {
            // F6 from the widget that selected a zone goes to its quotes (`cycle_region`).
            let focused = ctx.memory(|m| m.focused());
            self.view.selected_from = self.session.selected().and(focused);
        }
        // After the intents: a dataset that started opening this frame already says so.
        self.poll_loading(&ctx);
        self.poll_filtering(&ctx);
        self.poll_incidents(&ctx);
        // Another dataset: the window (and the task bar) says which.
        if self.session.generation() != generation {
            let title = super::window_title(self.session.engine());
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title));
        }
        self.view.refresh(&self.session);
        if let Some(wait) = self.view.incidents.wake_in {
            ctx.request_repaint_after(wait);
        }
        match &mut self.screenshot {
            Some(shot) => shot.end(&ctx),
            // Playing or exporting an animation repaints every frame anyway: nothing to settle
            // (and only the last pass's repaint requests count).
            None if self.session.playback().playing || self.animation.is_some() => {}
            None => settle_in_passes(&ctx),
        }
    }

    /// A story's step shown (or reading left): the map frames the step's zones, and a screen
    /// reader hears its title and text instead of the new instant.
    fn story_turned(&mut self, ctx: &egui::Context) {
        let turned = self.view.story_step.is_some() && self.session.reading().is_some();
        self.view.story_step = self.session.reading();
        let frame = self
            .session
            .reading()
            .zip(self.session.story())
            .and_then(|(k, s)| s.steps.get(k))
            .map(|step| step.frame.clone());
        // Leaving puts the whole map back in view, as the story found it framed or not. A
        // short glide shows where the map went; under Reduce motion, and in pictures, a jump.
        let jump = !turned
            || self.session.playback().reduce_motion
            || self.animation.is_some()
            || self.screenshot.is_some();
        match jump {
            true => self.view.map.request_fit_of(frame.unwrap_or_default()),
            false => self.view.map.request_glide_to(frame.unwrap_or_default()),
        }
        let words = super::story::step_words(&self.session)
            .unwrap_or_else(|| "Stopped reading the story.".into());
        self.view.announcer.say(words);
        ctx.request_repaint();
    }

    /// A step of the instant or a new selection, made by this frame's intents, said to a
    /// screen reader wherever the focus is (playback moves the instant outside the intents, so
    /// it is not said every frame). The slider says a step itself when it has the focus.
    fn announce_change(
        &mut self,
        ctx: &egui::Context,
        (instant, selected): (DateTime<Utc>, Option<usize>),
    ) {
        let s = &self.session;
        let words = if s.instant() != instant {
            if super::announce::focus_voices_the_instant(ctx) {
                return;
            }
            present::instant_announcement(s.engine(), s.instant(), s.known_on(), s.selected())
        } else if s.selected() != selected {
            present::selection_announcement(s.engine(), s.instant(), s.known_on(), s.selected())
        } else {
            return;
        };
        self.view.announcer.say(words);
    }

    /// While playing, the instant moves by the real time since the last frame, and the window
    /// asks for the next frame; paused, it asks for nothing (idle costs nothing).
    fn play(&mut self, ctx: &egui::Context) {
        if !self.session.playback().playing || ctx.current_pass_index() > 0 {
            return;
        }
        let real = ctx.input(|i| i.unstable_dt).clamp(0.0, 1.0);
        self.session
            .apply(Command::Tick(std::time::Duration::from_secs_f32(real)));
        match self.session.until_next_hop() {
            // Reduced motion: nothing to draw until the next jump.
            Some(wait) => ctx.request_repaint_after(wait),
            None if self.session.playback().playing => ctx.request_repaint(),
            None => {}
        }
    }

    /// The strips at the top: an animation's progress, the menu, incident files' progress.
    fn top_panels(&mut self, ui: &mut Ui, out: &mut Vec<Intent>) {
        // Above the menu, so that each picture of the animation leaves it out in one cut.
        if let Some(job) = self.animation.as_mut().filter(|job| !job.terminal()) {
            let strip = egui::Panel::top("animation-progress").show(ui, |ui| {
                if super::animate::strip(ui, job) {
                    job.cancel();
                }
            });
            job.cut_top = strip.response.rect.bottom();
        }
        let session = &self.session;
        egui::Panel::top("menu").show(ui, |ui| menu_bar(ui, session, out));
        if let Some(reading) = &self.incident_reading {
            egui::Panel::top("incident-progress").show(ui, |ui| {
                if super::incidents::progress_strip(ui, reading) {
                    reading.cancel();
                }
            });
        }
    }

    fn panels(&mut self, ui: &mut Ui, out: &mut Vec<Intent>) {
        self.top_panels(ui, out);
        let tk = theme::tokens(ui.ctx());
        let session = &self.session;
        let pending = self
            .filtering
            .as_ref()
            .map(|f| (&f.filter, f.elapsed().as_secs_f32()));
        let View {
            patterns,
            zone_filter,
            go_to,
            summaries,
            tiles,
            layers,
            map,
            according_to,
            compare,
            search,
            incidents: shown,
            incident_open,
            ..
        } = &mut self.view;
        // The zones a comparison found changed, outlined on the map while it is open.
        let outlined: Vec<usize> = compare
            .as_ref()
            .map(|c| c.changed_zones().collect())
            .unwrap_or_default();
        if self.caption || self.capture.is_some() || self.animation.is_some() {
            egui::Panel::bottom("caption").show(ui, |ui| super::caption::show(ui, session));
        }
        egui::Panel::bottom("status").show(ui, |ui| status_bar(ui, session));
        let Some(patterns) = patterns.as_ref() else {
            return;
        };
        egui::Panel::bottom("time").resizable(false).show(ui, |ui| {
            ui.add_space(4.0);
            let marked = search.as_ref().map_or(&[][..], |s| s.marked());
            let input = TimeInput {
                session,
                patterns,
                marked,
                strips: &shown.strips,
            };
            timebar::controls(ui, &input, go_to, out);
            timebar::timeline(ui, &input, out);
            ui.add_space(4.0);
        });
        // A width saved by an earlier run (or pushed by long text) never takes more than a
        // share of the window: the map keeps the rest.
        let sizes = tk.sizes;
        let side_max = (ui.available_width() * sizes.side_panel_share).max(260.0);
        egui::Panel::right("side")
            .resizable(true)
            .default_size(sizes.side_panel.min(side_max))
            .size_range(260.0..=side_max)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        if session.reading().is_some() {
                            super::story::panel(ui, session, out);
                            return;
                        }
                        known_on_picker(ui, session, out);
                        who_picker(ui, session, pending, out);
                        ui.separator();
                        sidebar(ui, session, zone_filter, out);
                    });
            });
        let tiles_note = session.online_tiles().then_some(
            "Online tiles requested; none received yet (offline?). The built-in basemap stays.",
        );
        let shown = &*shown;
        let zone_words = |z| shown.zone_words(session, z);
        let violence = |z| shown.violence(session, z);
        let outcome = egui::CentralPanel::no_frame()
            .show(ui, |ui| {
                let input = MapInput {
                    zones: summaries,
                    dataset: session.engine().dataset(),
                    selected: session.selected(),
                    patterns,
                    tiles: tiles.as_mut(),
                    tiles_note,
                    according_to: according_to.as_deref(),
                    outlined: &outlined,
                    incidents: shown.input(&zone_words, &violence),
                };
                let outcome = map_view(ui, layers, map, input);
                if let Some(cluster) = &outcome.hovered_incident {
                    super::incidents::mark_tooltip(ui, session, cluster);
                }
                outcome
            })
            .inner;
        if let Some(clicked) = outcome.clicked {
            out.push(Intent::Session(Command::Select(clicked)));
        }
        if outcome.clicked_incident.is_some() {
            *incident_open = outcome.clicked_incident;
        }
    }

    fn dialogs(&mut self, ctx: &egui::Context, out: &mut Vec<Intent>) {
        self.story_editor(ctx, out);
        if let Some(dialog) = &mut self.view.open_dialog {
            match open_dialog::show(ctx, dialog) {
                Some(DialogAction::Open(dir)) => {
                    out.push(Intent::Session(Command::OpenDataset(Some(dir))));
                }
                Some(DialogAction::Cancel) => self.view.open_dialog = None,
                None => {}
            }
        }
        self.export_dialog(ctx);
        if let Some(search) = &mut self.view.search {
            match super::search_box::show(ctx, search, &self.session) {
                Some(super::search_box::SearchAction::Go { at, zone }) => {
                    out.push(Intent::Session(Command::SetInstant(at)));
                    out.push(Intent::Session(Command::Select(zone)));
                }
                Some(super::search_box::SearchAction::Close) => self.view.search = None,
                None => {}
            }
        }
        if let Some(compare) = &mut self.view.compare {
            match super::compare_box::show(ctx, compare, &self.session) {
                Some(super::compare_box::CompareAction::Go { at, zone }) => {
                    out.push(Intent::Session(Command::SetInstant(at)));
                    out.push(Intent::Session(Command::Select(Some(zone))));
                }
                Some(super::compare_box::CompareAction::Close) => self.view.compare = None,
                None => {}
            }
        }
        super::incidents::detail_window(ctx, &self.session, &mut self.view.incident_open);
        if let Some(dialog) = &mut self.view.add_incidents {
            match super::incidents::add_dialog(ctx, dialog) {
                Some(Some(path)) => {
                    out.push(Intent::Session(Command::AddIncidentFile(path)));
                    self.view.add_incidents = None;
                }
                Some(None) => self.view.add_incidents = None,
                None => {}
            }
        }
        dialogs::load_error(ctx, &self.session, out);
        if self.view.show_shortcuts {
            dialogs::shortcuts(ctx, &mut self.view.show_shortcuts);
        }
    }

    /// Keeps the watcher on the open dataset (started, moved or stopped as the dataset and View >
    /// Watch files say), and turns what it read into a reload.
    fn poll_watcher(&mut self, ctx: &egui::Context, out: &mut Vec<Intent>) {
        let wanted = self
            .session
            .data_dir()
            .filter(|_| self.session.watch_files());
        match (wanted, &self.watcher) {
            (Some(path), Some(w)) if w.path() == path => {}
            (Some(path), _) => {
                self.watcher = match watch::Watcher::start(path, ctx) {
                    Ok(w) => Some(w),
                    Err(e) => {
                        self.session
                            .tell(format!("{e}; File > Reload (F5) reloads by hand."));
                        None
                    }
                };
            }
            (None, _) => self.watcher = None,
        }
        if let Some(opened) = self.watcher.as_ref().and_then(watch::Watcher::poll) {
            out.push(Intent::Session(Command::Reload(
                opened,
                chrono::Local::now().time(),
            )));
        }
    }

    /// The system's folder picker or save dialog, if one is open: what was chosen, or the app's
    /// own dialog if it could not be shown.
    fn poll_picker(&mut self, out: &mut Vec<Intent>) {
        let Some((purpose, pending)) = &self.picking else {
            return;
        };
        let purpose = *purpose;
        match (pending.poll(), purpose) {
            (native_dialog::Outcome::Waiting, _) => return,
            (native_dialog::Outcome::Chosen(dir), Picking::Dataset) => {
                out.push(Intent::Session(Command::OpenDataset(Some(dir))));
            }
            (native_dialog::Outcome::Chosen(path), Picking::Incidents) => {
                out.push(Intent::Session(Command::AddIncidentFile(path)));
            }
            (native_dialog::Outcome::Chosen(path), Picking::Export(target)) => {
                if let Err(e) = self.export_to(target, &path) {
                    self.session.tell(e);
                }
            }
            (native_dialog::Outcome::Cancelled, _) => {}
            (native_dialog::Outcome::Unavailable, _) => {
                self.native_dialogs = false;
                out.push(Intent::View(match purpose {
                    Picking::Dataset => ViewAction::ShowOpenDialog,
                    Picking::Export(target) => ViewAction::Export(target),
                    Picking::Incidents => ViewAction::ShowAddIncidentsDialog,
                }));
            }
        }
        self.picking = None;
    }

    /// Writes an export of what is shown (the instant, the "as known on" date) to `path`, and
    /// says so in the status bar; a picture is taken at the next frame. Err: what went wrong,
    /// in words.
    fn export_to(&mut self, target: Target, path: &std::path::Path) -> Result<(), String> {
        let kind = match target {
            Target::Data(kind) => kind,
            Target::Image => {
                self.capture = Some(super::screenshot::Capture::new(path.to_path_buf()));
                return Ok(());
            }
            Target::Animation => {
                let fields = self
                    .view
                    .export_dialog
                    .as_ref()
                    .map(|d| d.animation.clone())
                    .unwrap_or_default();
                let plan = fields.request()?.plan(self.session.engine(), path)?;
                self.start_animation(plan, path.to_path_buf());
                return Ok(());
            }
            Target::Story => return self.export_story(path),
        };
        let s = &self.session;
        let (at, known_on) = (s.instant(), s.known_on());
        // Incident files the user added travel into the export, with their credit lines.
        let incidents =
            Some(&**s.incidents()).filter(|i| i.sets.iter().any(|p| !p.set.incidents.is_empty()));
        crate::export::to_file(path, |w| kind.write(s.engine(), at, known_on, incidents, w))
            .map_err(|e| format!("{e} ({})", path.display()))?;
        let what = super::export_dialog::title(target).trim_start_matches("Export ");
        self.session
            .tell(format!("Exported {what} to {}", path.display()));
        Ok(())
    }

    /// An animation being exported: the instant its next picture shows, set before anything is
    /// drawn; once it is over, the view goes back to where the user was.
    fn animate(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.animation else {
            return;
        };
        if ctx.current_pass_index() > 0 {
            return;
        }
        let outcome = match job.step(ctx) {
            super::animate::Step::Show(at) => {
                self.session.apply(Command::SetInstant(at));
                return;
            }
            super::animate::Step::ShowStep(k) => {
                if self.session.reading() != Some(k) {
                    self.session.apply(Command::ReadStory(k));
                    self.story_turned(ctx);
                }
                return;
            }
            super::animate::Step::Wait => return,
            super::animate::Step::Over(outcome) => outcome,
        };
        let (terminal, back) = (job.terminal(), job.return_to);
        let what = if job.is_story() { "story" } else { "animation" };
        self.animation = None;
        if terminal {
            // As a screenshot run does: nothing is left to save, and the teardown of the GL
            // context would cost more than the export's last picture.
            std::process::exit(match outcome {
                super::animate::Outcome::Written { .. } => 0,
                super::animate::Outcome::Cancelled => 130,
                super::animate::Outcome::Failed(_) => 1,
            });
        }
        if self.session.reading().is_some() {
            self.session.apply(Command::LeaveStory);
        }
        self.session.apply(Command::SetInstant(back));
        self.session.tell(match outcome {
            super::animate::Outcome::Written { path, pictures } => format!(
                "Exported the {what} ({pictures} pictures) to {}",
                path.display()
            ),
            super::animate::Outcome::Cancelled => {
                format!("The {what} export was cancelled; nothing was written.")
            }
            super::animate::Outcome::Failed(e) => format!("The {what} was not exported: {e}"),
        });
    }

    /// Story > Edit the story: the editor's window, and its saves.
    fn story_editor(&mut self, ctx: &egui::Context, out: &mut Vec<Intent>) {
        let Some(editor) = &mut self.view.story_editor else {
            return;
        };
        let saved = match super::story::editor(ctx, editor, &self.session, out) {
            None => return,
            Some(super::story::EditorAction::Close) => {
                self.view.story_editor = None;
                return;
            }
            Some(super::story::EditorAction::Save) => self.save_story(),
            Some(super::story::EditorAction::SaveAs(dir)) => self.save_story_as(&dir, out),
        };
        let error = saved.err();
        if let Some(editor) = &mut self.view.story_editor {
            editor.error = error;
        }
    }

    /// Writes the story to story.json beside the dataset's files, whole or not at all; the
    /// watcher is told, so that the app's own save does not reload the dataset.
    fn save_story(&mut self) -> Result<(), String> {
        let dir = match self.session.data_dir() {
            Some(d) if d.is_dir() => d.to_path_buf(),
            Some(book) => book.parent().map(Path::to_path_buf).unwrap_or_default(),
            None => return Err("The built-in dataset has no folder: use Save as…".into()),
        };
        let path = dir.join(crate::load::STORY_FILE);
        let ds = self.session.unfiltered().dataset();
        let text = match self.session.story() {
            Some(story) => crate::convert::story::story_text(ds, story),
            None => return Err("There is no story to save.".into()),
        };
        crate::convert::story::write_whole(&path, &text).map_err(|e| e.to_string())?;
        if let Some(watcher) = &self.watcher {
            watcher.wrote(&path);
        }
        self.session.apply(Command::StorySaved);
        self.session
            .tell(format!("Saved the story to {}", path.display()));
        Ok(())
    }

    /// The built-in dataset with its story written as a new JSON folder, which then opens.
    fn save_story_as(&mut self, dir: &Path, out: &mut Vec<Intent>) -> Result<(), String> {
        if dir.as_os_str().is_empty() {
            return Err("Give a folder to save the dataset and its story in.".into());
        }
        let mut ds = self.session.unfiltered().dataset().clone();
        ds.story = self.session.story().cloned();
        crate::convert::write(&ds, dir, crate::convert::Format::Json).map_err(|e| e.to_string())?;
        self.session.apply(Command::StorySaved);
        out.push(Intent::Session(Command::OpenDataset(Some(
            dir.to_path_buf(),
        ))));
        Ok(())
    }

    /// File > Export story…: the story's plan (its page made here, over the dataset's own
    /// engine), pictured as an animation is, with progress and Cancel; reading, if it was on,
    /// is left for the export and the view comes back after it.
    fn export_story(&mut self, path: &std::path::Path) -> Result<(), String> {
        let story_as = self.view.export_dialog.as_ref().and_then(|d| d.story_as);
        let engine = self.session.unfiltered();
        // The story as edited here, saved or not: what the user sees is what is published.
        let story = self
            .session
            .story()
            .ok_or("This dataset has no story (a story.json beside its files).")?;
        if path.exists() {
            return Err(format!(
                "{} already exists; give a new name",
                path.display()
            ));
        }
        let size = self.view.map_size;
        let page = story_as
            .is_none()
            .then(|| crate::publish::story_page(engine, story, size));
        let plan = crate::animation::Plan::story(story, story_as.unwrap_or_default(), page);
        self.session.apply(Command::LeaveStory);
        self.start_animation(plan, path.to_path_buf());
        Ok(())
    }

    /// Starts exporting an animation (File > Export animation…): playback stops, and the view
    /// comes back to this instant when it is over.
    pub fn start_animation(&mut self, plan: crate::animation::Plan, path: PathBuf) {
        self.session.apply(Command::Play(false));
        // Every window over the map would be in every picture.
        self.view.search = None;
        self.view.compare = None;
        self.view.show_shortcuts = false;
        let back = self.session.instant();
        self.animation = Some(super::animate::Picturing::start(plan, path, false, back));
    }

    /// Whether an animation is being exported, and how far it has come.
    pub fn animation_progress(&self) -> Option<crate::animation::Progress> {
        self.animation
            .as_ref()
            .map(super::animate::Picturing::progress)
    }

    /// File > Export image: the picture asked for once the caption is drawn, written when it
    /// comes back.
    fn poll_capture(&mut self, ctx: &egui::Context) {
        let Some(capture) = &mut self.capture else {
            return;
        };
        match capture.poll(ctx) {
            None => {}
            Some(Ok(path)) => {
                self.session
                    .tell(format!("Exported the image to {}", path.display()));
                self.capture = None;
            }
            Some(Err(e)) => {
                self.session.tell(e);
                self.capture = None;
            }
        }
    }

    /// The app's own save dialog, while it is open.
    fn export_dialog(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.view.export_dialog else {
            return;
        };
        match super::export_dialog::show(ctx, dialog) {
            Some(ExportAction::Save(path)) => {
                let target = dialog.target;
                match self.export_to(target, &path) {
                    Ok(()) => self.view.export_dialog = None,
                    Err(e) => {
                        if let Some(d) = &mut self.view.export_dialog {
                            d.error = Some(e);
                        }
                    }
                }
            }
            Some(ExportAction::Cancel) => self.view.export_dialog = None,
            None => {}
        }
    }

    /// A dataset opening on a worker thread: said in a modal window while it lasts (nothing else
    /// can be done meanwhile, so nothing is done twice), taken when it is ready.
    fn poll_loading(&mut self, ctx: &egui::Context) {
        let Some(loading) = &self.loading else {
            return;
        };
        match loading.poll() {
            Some(Ok(opened)) => {
                let command = match loading.reload {
                    true => Command::Reload(opened, chrono::Local::now().time()),
                    false => Command::Adopt(opened),
                };
                self.loading = None;
                self.handle(Intent::Session(command), ctx);
                return;
            }
            Some(Err(message)) => self.session.tell(message),
            None => {
                let (dir, elapsed) = (loading.dir.display(), loading.elapsed().as_secs_f32());
                let doing = if loading.reload {
                    "Reloading"
                } else {
                    "Opening"
                };
                egui::Modal::new(egui::Id::unique("opening-dataset")).show(ctx, |ui| {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(format!("{doing} {dir}… {elapsed:.1} s"));
                    });
                    ui.weak("Reading the files, checking every record and indexing the events.");
                });
                // The spinner and the seconds move; the worker wakes the window when done.
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
        }
        self.loading = None;
    }

    /// The incident files of this dataset read on a worker thread whenever the dataset or the
    /// list of files changes (opened, reloaded, a file added), and taken when ready.
    fn poll_incidents(&mut self, ctx: &egui::Context) {
        let key = (self.session.generation(), self.session.incident_paths());
        if self.incidents_read_for.as_ref() != Some(&key) {
            if let Some(old) = self.incident_reading.take() {
                old.cancel();
            }
            if !key.1.is_empty() {
                let reading = super::incidents::Reading::start(&self.session, key.1.clone(), ctx);
                self.incident_reading = Some(reading);
            }
            self.incidents_read_for = Some(key);
        }
        if let Some(reading) = &self.incident_reading {
            if super::incidents::poll(reading, &mut self.session) {
                self.incident_reading = None;
            } else {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
    }

    /// A filter being applied on a worker thread: taken when it is ready, if it is still the
    /// one asked for last.
    fn poll_filtering(&mut self, ctx: &egui::Context) {
        let Some(filtering) = &self.filtering else {
            return;
        };
        match filtering.poll(self.session.generation()) {
            Some(Ok(filtered)) => {
                self.filtering = None;
                // None: built for a dataset since replaced, so dropped.
                if let Some(filtered) = filtered {
                    self.session.apply(Command::AdoptFiltered(filtered));
                }
            }
            Some(Err(message)) => {
                self.filtering = None;
                self.session.tell(message);
            }
            // The spinner and the seconds move; the worker wakes the window when done.
            None => ctx.request_repaint_after(std::time::Duration::from_millis(100)),
        }
    }

    /// Carries out one intent.
    fn handle(&mut self, intent: Intent, ctx: &egui::Context) {
        match intent {
            Intent::Session(Command::SetFilter(Some(filter)))
                if !filter.is_all()
                    && self.session.unfiltered().dataset().events.len()
                        >= self.background_filter_from =>
            {
                // A newer choice replaces one still being built; the old worker's result is
                // dropped with its channel.
                let refilter = self.session.unfiltered().refilter();
                let generation = self.session.generation();
                self.filtering = Some(loading::Filtering::start(refilter, generation, filter, ctx));
            }
            Intent::Session(command @ Command::SetFilter(_)) => {
                self.filtering = None;
                self.session.apply(command);
            }
            Intent::Session(Command::OpenDataset(Some(dir)))
                if loading::in_background(Some(&dir), self.background_from) =>
            {
                if self.loading.is_none() {
                    self.view.open_dialog = None;
                    self.loading = Some(Loading::start(dir, ctx));
                }
            }
            Intent::Session(command) => {
                let opening = matches!(command, Command::OpenDataset(_) | Command::Adopt(_));
                let generation = self.session.generation();
                self.session.apply(command);
                // The dialog closes once its folder opened; on failure it stays, under the
                // list of problems.
                if opening && self.session.generation() != generation {
                    self.view.open_dialog = None;
                }
            }
            Intent::View(action) => self.view_action(action, ctx),
        }
    }

    /// Where a dialog starts: the open dataset's folder (a workbook's own), else the current one.
    fn working_folder(&self) -> PathBuf {
        self.session
            .data_dir()
            .map(|p| match p.is_file() {
                true => p.parent().map(PathBuf::from).unwrap_or_default(),
                false => PathBuf::from(p),
            })
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// The system's picker for a dataset folder, a workbook or an incident file; without one,
    /// the app's own dialog.
    fn pick(&mut self, pick: Pick, ctx: &egui::Context) {
        let start = self.working_folder();
        if self.native_dialogs && native_dialog::available() {
            self.picking = Some(match pick {
                Pick::Folder => (Picking::Dataset, native_dialog::Pending::open(&start, ctx)),
                Pick::Workbook => (
                    Picking::Dataset,
                    native_dialog::Pending::open_workbook(&start, ctx),
                ),
                Pick::Incidents => (
                    Picking::Incidents,
                    native_dialog::Pending::open_incidents(&start, ctx),
                ),
            });
        } else if pick == Pick::Incidents {
            self.view.add_incidents = Some(Default::default());
        } else {
            self.view.open_dialog = Some(OpenDialog::new(&start));
        }
    }

    fn view_action(&mut self, action: ViewAction, ctx: &egui::Context) {
        let view = &mut self.view;
        match action {
            ViewAction::ShowOpenDialog => self.pick(Pick::Folder, ctx),
            ViewAction::ShowOpenWorkbookDialog => self.pick(Pick::Workbook, ctx),
            ViewAction::ShowAddIncidentsDialog => self.pick(Pick::Incidents, ctx),
            ViewAction::Reload => match self.session.data_dir().map(PathBuf::from) {
                // A big dataset is read on a worker thread, as when it was opened.
                Some(dir) if loading::in_background(Some(&dir), self.background_from) => {
                    if self.loading.is_none() {
                        self.loading = Some(Loading::reload(dir, ctx));
                    }
                }
                Some(dir) => {
                    let opened = crate::session::Opened::read(Some(dir));
                    self.session
                        .apply(Command::Reload(opened, chrono::Local::now().time()));
                }
                None => self
                    .session
                    .tell("The built-in dataset has no files to reload."),
            },
            ViewAction::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            ViewAction::Escape => {
                let closed = view.open_dialog.take().is_some()
                    | view.export_dialog.take().is_some()
                    | view.search.take().is_some()
                    | view.compare.take().is_some();
                if !closed && !std::mem::take(&mut view.show_shortcuts) {
                    self.session.apply(Command::Select(None));
                }
            }
            ViewAction::ResetView => view.map.request_fit(),
            ViewAction::Zoom(steps) => view.map.zoom_by(steps),
            ViewAction::Pan(dx, dy) => view.map.pan_by(dx, dy),
            ViewAction::ToggleShortcuts => view.show_shortcuts = !view.show_shortcuts,
            ViewAction::ShowStoryEditor => {
                let folder = match self.session.data_dir() {
                    Some(d) if d.is_dir() => d.parent().unwrap_or(d).to_path_buf(),
                    Some(d) => d.parent().map(Path::to_path_buf).unwrap_or_default(),
                    None => std::env::current_dir().unwrap_or_default(),
                };
                let save_as = folder.join("my-story-dataset").display().to_string();
                view.story_editor
                    .get_or_insert_with(|| super::story::Editor {
                        save_as,
                        ..Default::default()
                    });
            }
            ViewAction::ShowSearch => {
                view.search.get_or_insert_with(Default::default).focus = true;
            }
            ViewAction::ShowCompare => {
                let session = &self.session;
                view.compare
                    .get_or_insert_with(|| super::compare_box::CompareBox::new(session));
            }
            ViewAction::CycleRegion(step) => {
                let just_selected = view.selected_from.take().is_some();
                cycle_region(ctx, step, just_selected);
            }
            ViewAction::Export(Target::Story) => {
                let folder = self.working_folder();
                self.view.export_dialog = Some(ExportDialog::new(Target::Story, &folder));
            }
            ViewAction::Export(Target::Animation) => {
                // The range and step come first, so the app's own dialog, which asks for them.
                let folder = self.working_folder();
                let mut dialog = ExportDialog::new(Target::Animation, &folder);
                dialog.animation = super::export_dialog::AnimationFields::starting(
                    self.session.engine(),
                    self.session.instant(),
                );
                self.view.export_dialog = Some(dialog);
            }
            ViewAction::Export(target) => {
                let folder = self.working_folder();
                if self.native_dialogs && native_dialog::available() {
                    let pending = native_dialog::Pending::save(&folder, target.file_name(), ctx);
                    self.picking = Some((Picking::Export(target), pending));
                } else {
                    self.view.export_dialog = Some(ExportDialog::new(target, &folder));
                }
            }
            ViewAction::CopyViewCommand => {
                let s = &self.session;
                // Absolute, so that the command works from any folder.
                let dir = s
                    .data_dir()
                    .map(|d| std::fs::canonicalize(d).unwrap_or_else(|_| d.to_path_buf()));
                let command = crate::present::view_command(
                    s.engine(),
                    dir.as_deref(),
                    s.instant(),
                    s.selected(),
                    s.known_on(),
                    s.kinds(),
                ) + &super::incidents::reopen_words(s);
                ctx.copy_text(command.clone());
                self.session.tell(format!("Copied: {command}"));
            }
        }
    }
}

/// Puts the map back where the last run left it, if the saved camera makes sense.
fn restore_camera(map: &mut MapState, view: Option<(f64, f64, f64)>) {
    if let Some((lon, lat, zoom)) = view
        && lon.is_finite()
        && lat.is_finite()
        && zoom.is_finite()
    {
        map.set_view(lon.clamp(-180.0, 180.0), lat.clamp(-85.0, 85.0), zoom);
    }
}

fn menu_bar(ui: &mut Ui, session: &Session, out: &mut Vec<Intent>) {
    let tk = theme::tokens(ui.ctx());
    let item = |ui: &mut Ui, c: UiCommand, out: &mut Vec<Intent>| {
        let mut button = egui::Button::new(c.text());
        let shortcut = c.shortcut_text(ui.ctx());
        if let Some(s) = &shortcut {
            button = button.shortcut_text(s);
        }
        let response = ui.add(button).on_hover_text(c.tooltip());
        // A menu item named by its words, its key in the key-binding field: not a push
        // button named "Previous event Left".
        ui.ctx().accesskit_node_builder(response.id, |node| {
            node.set_role(egui::accesskit::Role::MenuItem);
            node.set_label(c.text());
            if let Some(s) = &shortcut {
                node.set_keyboard_shortcut(s.as_str());
            }
        });
        if response.clicked() {
            out.push(c.intent(session));
        }
    };
    let item = |ui: &mut Ui, c: UiCommand, out: &mut Vec<Intent>| {
        ui.add_enabled_ui(c.enabled(session), |ui| item(ui, c, out));
    };
    egui::MenuBar::new().ui(ui, |ui| {
        // egui gives the bar a menu's role, which Orca reads as an unnamed "menu".
        ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
            node.set_role(egui::accesskit::Role::MenuBar);
            node.set_label("Menu bar");
        });
        for &menu in <Menu as strum::VariantArray>::VARIANTS {
            let opened = ui.menu_button(menu.title(), |ui| {
                for &c in UiCommand::all().iter().filter(|c| c.menu() == menu) {
                    if let Some(mut on) = c.toggled(session) {
                        if c == UiCommand::ToggleOnlineTiles {
                            ui.separator();
                        }
                        let checkbox = ui.checkbox(&mut on, c.text()).on_hover_text(c.tooltip());
                        if checkbox.changed() {
                            out.push(c.intent(session));
                        }
                    } else {
                        if matches!(c, UiCommand::Quit | UiCommand::ExportIntervals) {
                            ui.separator();
                        }
                        item(ui, c, out);
                    }
                }
            });
            if menu == Menu::File {
                Region::Menu.anchor(ui.ctx(), opened.response.id);
            }
        }
        ui.add_space(12.0);
        ui.label(RichText::new("Truce Atlas").strong().color(tk.colors.brand));
        ui.weak("where a truce held, when, and who said so");
    });
}

/// The status bar's instant is a live region: when the instant moves, a screen reader says the
/// new one in words, and the selected zone's status with it.
fn announce(ui: &Ui, id: egui::Id, session: &Session) {
    // Reading a story, the step's title and text are what is said; the instant is held back.
    if session.reading().is_some() {
        return;
    }
    ui.ctx().accesskit_node_builder(id, |node| {
        let s = session;
        let words =
            present::instant_announcement(s.engine(), s.instant(), s.known_on(), s.selected());
        node.set_label(words);
        node.set_live(egui::accesskit::Live::Polite);
    });
}

fn status_bar(ui: &mut Ui, session: &Session) {
    let tk = theme::tokens(ui.ctx());
    let ds = session.engine().dataset();
    let tz = ds.meta.timezone;
    let instant = session.instant();
    ui.horizontal(|ui| {
        let line = ui.label(RichText::new(instant_label(instant, tz)).strong());
        announce(ui, line.id, session);
        // The same instant in UTC, for checking against reports that give UTC.
        ui.weak(format!(
            "= {} UTC · {}",
            instant.format("%-d %b %H:%M"),
            tz.name()
        ));
        if let Some(k) = session.known_on() {
            let day = crate::timefmt::local(k, tz).format("%-d %b %Y");
            ui.label(format!("· as known on {day}"));
        }
        let engine = session.engine();
        if let (true, Some(h)) = (
            engine.after_reports(instant, session.known_on()),
            engine.horizon(session.known_on()),
        ) {
            let day = crate::timefmt::local(h, tz).format("%-d %b %Y");
            let words =
                format!("· {AFTER_REPORTS_GLYPH} after the last report ({day}): as last reported");
            ui.label(RichText::new(words).color(tk.colors.after_reports_ink));
        }
        if let Some(notice) = session.notice() {
            ui.separator();
            ui.label(notice);
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.weak(format!(
                "{} zones · {} events · {} sources",
                ds.zones.len(),
                ds.events.len(),
                ds.sources.len()
            ));
            let origin = match session.data_dir() {
                Some(d) => format!("Dataset folder: {}", d.display()),
                None => "The dataset built into the app".into(),
            };
            // Truncated to the room left beside the instant; the whole name on hover.
            ui.add(egui::Label::new(super::script::visual(&ds.meta.name)).truncate())
                .on_hover_text(format!("{}\n{origin}", ds.meta.name));
        });
    });
}

/// The intents whose shortcut was pressed this frame. Plain keys are ignored while the user
/// types in a field (or a dialog is open), so typing "2016" never jumps the map.
/// F6: the focus to the next region (menus, time controls, side panel, the selected zone's
/// quotes, map) after the one that holds it now, found by which region's anchor is focused or,
/// failing that, by position: the focused widget's place in the window. Regions not drawn this
/// frame are passed over. From a zone just selected (`just_selected`: the focus has not moved
/// since), F6 goes straight to its quotes, wherever the zone was picked.
fn cycle_region(ctx: &egui::Context, step: i32, just_selected: bool) {
    let regions = <Region as strum::VariantArray>::VARIANTS;
    let anchors: Vec<Option<egui::Id>> = regions
        .iter()
        .map(|r| ctx.data(|d| d.get_temp::<egui::Id>(r.key())))
        .collect();
    let evidence = ctx.data(|d| d.get_temp::<egui::Id>(Region::Evidence.key()));
    if let Some(quote) = evidence.filter(|_| just_selected && step > 0) {
        ctx.memory_mut(|m| m.request_focus(quote));
        return;
    }
    let focused = ctx.memory(|m| m.focused());
    let current = focused
        .and_then(|f| anchors.iter().position(|a| *a == Some(f)))
        .or_else(|| focused.and_then(|f| region_of(ctx, f)))
        .map_or(-1, |i| i as i32);
    let n = regions.len() as i32;
    for k in 1..=n {
        let next = (current + step * k).rem_euclid(n) as usize;
        if let Some(anchor) = anchors[next] {
            ctx.memory_mut(|m| m.request_focus(anchor));
            return;
        }
    }
}

/// The region a widget sits in, from where it is: the menu bar at the top, the time controls
/// at the bottom, the side panel on the right, the map in between.
fn region_of(ctx: &egui::Context, id: egui::Id) -> Option<usize> {
    let rect = ctx.read_response(id)?.rect;
    let screen = ctx.content_rect();
    let regions = <Region as strum::VariantArray>::VARIANTS;
    let find = |r: Region| regions.iter().position(|&x| x == r);
    let anchor_rect = |r: Region| {
        ctx.data(|d| d.get_temp::<egui::Id>(r.key()))
            .and_then(|a| ctx.read_response(a))
            .map(|resp| resp.rect)
    };
    if rect.bottom() <= screen.top() + 40.0 {
        return find(Region::Menu);
    }
    if anchor_rect(Region::Time).is_some_and(|t| rect.top() >= t.top() - 80.0) {
        return find(Region::Time);
    }
    if anchor_rect(Region::SidePanel).is_some_and(|s| rect.left() >= s.left() - 20.0) {
        // The selected zone's quotes sit below the zone list, in the same panel.
        if Region::Evidence
            .top_of(ctx)
            .is_some_and(|top| rect.top() >= top)
        {
            return find(Region::Evidence);
        }
        return find(Region::SidePanel);
    }
    find(Region::Map)
}

/// A folder or workbook dropped on the window, or the folder of another file dropped (its
/// `dataset.json`, say): the dataset to open. Only the first of several counts.
fn dropped_dataset(ctx: &egui::Context) -> Option<PathBuf> {
    let path = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()))?;
    if path.is_dir() || is_workbook(&path) {
        Some(path)
    } else {
        path.parent().map(PathBuf::from)
    }
}

/// A spreadsheet file, by its name (`.xlsx`, `.ods`).
pub fn is_workbook(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("ods"))
}

/// While files are dragged over the window, say what dropping them does.
fn drop_hint(ctx: &egui::Context) {
    if ctx.input(|i| i.raw.hovered_files.is_empty()) {
        return;
    }
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop-hint"),
    ));
    painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(150));
    painter.text(
        screen.center(),
        egui::Align2::CENTER_CENTER,
        "Drop a dataset folder to open it",
        egui::FontId::proportional(24.0),
        egui::Color32::WHITE,
    );
}

fn shortcuts(ctx: &egui::Context, dialog_open: bool, session: &Session) -> Vec<Intent> {
    let focused = ctx.memory(|m| m.focused());
    // Only a text field takes every key; a focused button or slider leaves the time keys to
    // the app.
    let typing = dialog_open
        || focused.is_some_and(|id| egui::text_edit::TextEditState::load(ctx, id).is_some());
    let pressed: Vec<UiCommand> = ctx.input_mut(|i| {
        // Reading a story, its keys turn the pages (→ ← Page Down / Up) and Esc leaves: they
        // are taken before the time controls see them.
        if session.reading().is_some() && !typing {
            let story = [
                UiCommand::PreviousStoryStep,
                UiCommand::NextStoryStep,
                UiCommand::LeaveStory,
            ];
            let turned: Vec<UiCommand> = story
                .into_iter()
                .filter(|c| {
                    c.reading_keys()
                        .iter()
                        .any(|&k| i.consume_key(egui::Modifiers::NONE, k))
                })
                .collect();
            if !turned.is_empty() {
                return turned;
            }
        }
        let mut pressed: Vec<UiCommand> = UiCommand::by_specificity()
            .filter(|c| !typing || c.works_while_typing() || *c == UiCommand::ClearSelection)
            .filter(|c| focused.is_none() || c.works_with_a_widget_focused())
            .filter(|c| c.shortcut().is_some_and(|s| i.consume_shortcut(&s)))
            .collect();
        // Space plays or pauses only when no control has the focus: a focused button takes it.
        if focused.is_none() && !typing && i.consume_key(egui::Modifiers::NONE, egui::Key::Space) {
            pressed.push(UiCommand::PlayPause);
        }
        pressed
    });
    pressed.into_iter().map(|c| c.intent(session)).collect()
}

/// egui answers each input event with the frame that handles it and two more "to give some
/// things time to settle", each painted in full; in software OpenGL a painted frame of this
/// window costs tens of milliseconds. The settling is done instead in two more passes of the
/// same frame, which egui discards before painting (its multi-pass), so an event costs one
/// painted frame. A repaint asked for in the last pass (an animation, a tooltip's delay) still
/// gets its frame; the two follow-up frames egui had scheduled are then out of date and
/// skipped. Not in debug builds, where egui flags every frame with a discarded pass.
fn settle_in_passes(ctx: &egui::Context) {
    const PASSES: usize = 3;
    if cfg!(debug_assertions) {
        return;
    }
    let pass = ctx.current_pass_index();
    if pass == 0 {
        if ctx.options(|o| o.max_passes.get()) < PASSES {
            ctx.options_mut(|o| {
                o.max_passes = std::num::NonZeroUsize::MIN.saturating_add(PASSES - 1)
            });
        }
        // Nothing asked for another frame: there is nothing to settle.
        if !ctx.has_requested_repaint() {
            return;
        }
    }
    if pass + 1 < PASSES {
        ctx.request_discard("the layout settles in passes, not in painted frames");
    }
}

impl eframe::App for AtlasApp {
    /// The map has no frame: where no land is drawn the window shows through, so the window is
    /// cleared to the sea's colour rather than the sea painted over it (a cleared pixel costs
    /// nothing; a painted one costs the software rasteriser as much as any other). Everything
    /// else is covered by the panels.
    fn clear_color(&self, _visuals: &egui::Visuals) -> [f32; 4] {
        let tk = Contrast::from_high(self.session.high_contrast()).tokens();
        tk.colors.sea.to_normalized_gamma_f32()
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        let clear = eframe::App::clear_color(self, &ui.style().visuals);
        super::partial::set_clear_colour(ui.ctx(), clear);
    }

    /// egui's memory holds panel widths: a one-off run must not leave them to later runs.
    fn persist_egui_memory(&self) -> bool {
        !self.ephemeral
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // A screenshot or `--fresh` run is a one-off view: it must not overwrite the saved one.
        if self.ephemeral {
            return;
        }
        if let Ok(text) = serde_json::to_string(&self.saved()) {
            storage.set_string(SAVE_KEY, text);
        }
    }
}
