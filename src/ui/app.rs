//! The one `App`: it owns all state; the panels borrow what they show and return what the user
//! asked for, and only this file changes state.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use egui::{Color32, RichText, Ui};
use serde::{Deserialize, Serialize};
use walkers::{HttpOptions, HttpTiles, sources::OpenStreetMap};

use crate::engine::Engine;
use crate::geometry::Basemap;
use crate::load::DatasetError;
use crate::timefmt::{instant_label, moment_label};
use crate::ui::commands::{Command, Menu};
use crate::ui::map::{MapInput, MapLayers, MapState, ZoneLook, map_view};
use crate::ui::open_dialog::{self, DialogAction, OpenDialog};
use crate::ui::sidebar::{SideAction, SideInput, sidebar};
use crate::ui::theme::{self, Patterns};
use crate::ui::timebar::{self, Range, TimeInput, TimeOutcome, Window};

/// The storage key of the saved view.
pub const SAVE_KEY: &str = "truce-atlas-view";

/// What is remembered between runs. Every field has a default, so a state saved by an older
/// version, or missing fields, still loads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    /// Unix seconds.
    pub instant: Option<i64>,
    pub zone: Option<String>,
    /// Map centre longitude, latitude and zoom.
    pub view: Option<(f64, f64, f64)>,
    pub window: Window,
    pub online_tiles: bool,
}

/// What the command line asked for at start.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    pub instant: Option<DateTime<Utc>>,
    pub zone: Option<usize>,
    pub known_on: Option<DateTime<Utc>>,
    pub data_dir: Option<PathBuf>,
    pub screenshot: Option<PathBuf>,
    /// Neither read nor write the saved state (`--fresh`, and always for screenshots).
    pub ephemeral: bool,
    /// Where a screenshot run leaves its verdict for the process exit code.
    pub exit_code: Arc<AtomicU8>,
}

/// A `--screenshot` run: render, save, close.
struct Screenshot {
    path: PathBuf,
    frames: u32,
    requested: bool,
    image: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
    exit_code: Arc<AtomicU8>,
}

pub struct AtlasApp {
    engine: Engine,
    basemap: Basemap,
    layers: MapLayers,
    data_dir: Option<PathBuf>,
    instant: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
    selected: Option<usize>,
    map: MapState,
    window: Window,
    range: Range,
    go_to: String,
    go_to_error: Option<String>,
    open_dialog: Option<OpenDialog>,
    load_error: Option<DatasetError>,
    notice: Option<String>,
    show_shortcuts: bool,
    online_tiles: bool,
    tiles: Option<HttpTiles>,
    patterns: Option<Patterns>,
    looks: Vec<ZoneLook>,
    looks_for: Option<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    screenshot: Option<Screenshot>,
    /// `--fresh` or `--screenshot`: nothing is read from or written to the saved state.
    ephemeral: bool,
}

impl AtlasApp {
    /// Builds the app. `saved` is the text stored by the last run, if any; if it cannot be read
    /// the app starts clean and says so.
    pub fn new(engine: Engine, start: StartOptions, saved: Option<String>) -> AtlasApp {
        let basemap = Basemap::embedded();
        let layers = MapLayers::new(&basemap, engine.dataset());
        let instant = engine.default_instant();
        let range = Range::update(None, Window::All, engine.span(), instant);
        let mut map = MapState::default();
        map.request_fit();
        let mut app = AtlasApp {
            basemap,
            layers,
            data_dir: start.data_dir.clone(),
            instant,
            known_on: start.known_on,
            selected: None,
            map,
            window: Window::All,
            range,
            go_to: String::new(),
            go_to_error: None,
            open_dialog: None,
            load_error: None,
            notice: None,
            show_shortcuts: false,
            online_tiles: false,
            tiles: None,
            patterns: None,
            looks: Vec::new(),
            looks_for: None,
            screenshot: None,
            ephemeral: start.ephemeral,
            engine,
        };
        if let (false, Some(text)) = (start.ephemeral, saved) {
            match serde_json::from_str::<Saved>(&text) {
                Ok(saved) => app.restore(saved),
                Err(e) => {
                    app.notice = Some(format!(
                        "The view saved by the last run could not be read ({e}); starting fresh."
                    ));
                }
            }
        }
        if let Some(t) = start.instant {
            app.set_instant(t);
        }
        if start.zone.is_some() {
            app.selected = start.zone;
        }
        if let Some(path) = start.screenshot {
            app.screenshot = Some(Screenshot {
                path,
                frames: 0,
                requested: false,
                image: Arc::new(Mutex::new(None)),
                exit_code: start.exit_code.clone(),
            });
            // Failed until the picture is written.
            start.exit_code.store(1, Ordering::SeqCst);
        }
        app
    }

    fn restore(&mut self, saved: Saved) {
        if let Some(t) = saved.instant.and_then(|s| Utc.timestamp_opt(s, 0).single()) {
            self.set_instant(t);
        }
        self.selected = saved
            .zone
            .and_then(|id| self.engine.dataset().zone_index(&id));
        if let Some((lon, lat, zoom)) = saved.view
            && lon.is_finite()
            && lat.is_finite()
            && zoom.is_finite()
        {
            self.map
                .set_view(lon.clamp(-180.0, 180.0), lat.clamp(-85.0, 85.0), zoom);
        }
        self.window = saved.window;
        self.online_tiles = saved.online_tiles;
        self.range = Range::update(None, self.window, self.engine.span(), self.instant);
    }

    pub fn saved(&self) -> Saved {
        Saved {
            instant: Some(self.instant.timestamp()),
            zone: self
                .selected
                .map(|z| self.engine.dataset().zones[z].id.clone()),
            view: self.map.view(),
            window: self.window,
            online_tiles: self.online_tiles,
        }
    }

    // --- what tests and the window may ask

    pub fn engine(&self) -> &Engine {
        &self.engine
    }
    pub fn instant(&self) -> DateTime<Utc> {
        self.instant
    }
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }
    pub fn load_error(&self) -> Option<&DatasetError> {
        self.load_error.as_ref()
    }
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }
    /// Where a geographic point is on screen, as of the last frame.
    pub fn screen_position(&self, lon: f64, lat: f64) -> Option<egui::Pos2> {
        self.map.screen_position(lon, lat)
    }
    /// Where the zone's label box was drawn on the last frame.
    pub fn zone_label_rect(&self, zone: usize) -> Option<egui::Rect> {
        self.map.label_rect(zone)
    }

    // --- state changes

    pub fn set_instant(&mut self, t: DateTime<Utc>) {
        let (lo, hi) = self.engine.span();
        self.instant = t.clamp(lo, hi);
        self.range = Range::update(
            Some(self.range),
            self.window,
            self.engine.span(),
            self.instant,
        );
    }

    fn select(&mut self, zone: Option<usize>) {
        self.selected = zone.filter(|&z| z < self.engine.dataset().zones.len());
    }

    /// Opens another dataset; on failure the errors are shown and the current one stays.
    pub fn open_dataset(&mut self, dir: Option<&Path>) {
        match crate::open(dir) {
            Ok(engine) => {
                let selected_id = self
                    .selected
                    .map(|z| self.engine.dataset().zones[z].id.clone());
                self.layers = MapLayers::new(&self.basemap, engine.dataset());
                self.engine = engine;
                self.selected = selected_id.and_then(|id| self.engine.dataset().zone_index(&id));
                let (lo, hi) = self.engine.span();
                if self.instant < lo || self.instant > hi {
                    self.instant = self.engine.default_instant();
                }
                self.range = Range::update(None, self.window, self.engine.span(), self.instant);
                self.data_dir = dir.map(Path::to_path_buf);
                self.load_error = None;
                self.looks_for = None;
                self.map.request_fit();
                self.notice = Some(format!("Opened “{}”.", self.engine.dataset().meta.name));
            }
            Err(e) => self.load_error = Some(e),
        }
    }

    fn run(&mut self, command: Command, ctx: &egui::Context) {
        let zone = self.selected;
        let known = self.known_on;
        match command {
            Command::OpenDataset => {
                let start = self
                    .data_dir
                    .clone()
                    .or_else(|| std::env::current_dir().ok())
                    .unwrap_or_else(|| PathBuf::from("."));
                self.open_dialog = Some(OpenDialog::new(&start));
            }
            Command::OpenDefaultDataset => self.open_dataset(None),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::PreviousEvent => {
                if let Some(e) = self.engine.previous_event(zone, self.instant, known) {
                    self.set_instant(self.engine.dataset().events[e].moment.utc());
                }
            }
            Command::NextEvent => {
                if let Some(e) = self.engine.next_event(zone, self.instant, known) {
                    self.set_instant(self.engine.dataset().events[e].moment.utc());
                }
            }
            Command::HourBack => {
                self.set_instant(timebar::round_to_hour(self.instant) - Duration::hours(1))
            }
            Command::HourForward => {
                self.set_instant(timebar::round_to_hour(self.instant) + Duration::hours(1))
            }
            Command::DayBack => self.set_instant(self.instant - Duration::days(1)),
            Command::DayForward => self.set_instant(self.instant + Duration::days(1)),
            Command::GoToStart => self.set_instant(self.engine.extent().0),
            Command::GoToEnd => self.set_instant(self.engine.extent().1),
            Command::ClearSelection => {
                if self.open_dialog.take().is_none() && !std::mem::take(&mut self.show_shortcuts) {
                    self.selected = None;
                }
            }
            Command::ResetView => self.map.request_fit(),
            Command::ZoomIn => self.map.zoom_by(1),
            Command::ZoomOut => self.map.zoom_by(-1),
            Command::PanWest => self.map.pan_by(-120.0, 0.0),
            Command::PanEast => self.map.pan_by(120.0, 0.0),
            Command::PanNorth => self.map.pan_by(0.0, -120.0),
            Command::PanSouth => self.map.pan_by(0.0, 120.0),
            Command::ToggleOnlineTiles => {
                self.online_tiles = !self.online_tiles;
                if !self.online_tiles {
                    self.tiles = None;
                }
            }
            Command::ShowShortcuts => self.show_shortcuts = !self.show_shortcuts,
        }
    }

    fn refresh_looks(&mut self) {
        if self.looks_for == Some((self.instant, self.known_on)) {
            return;
        }
        let ds = self.engine.dataset();
        let tz = ds.meta.timezone;
        self.looks = (0..ds.zones.len())
            .map(|z| {
                let r = self.engine.status(z, self.instant, self.known_on);
                let style = theme::status_style(r.status);
                let mut detail = style.word.to_string();
                if let Some(i) = r.instrument {
                    detail.push_str(&format!(" · {}", ds.instruments[i].name));
                }
                if let Some(since) = r.since {
                    detail.push_str(&format!("\nSince {}", moment_label(&since, tz)));
                }
                if let Some(until) = r.until {
                    detail.push_str(&format!("\nUntil {}", moment_label(&until, tz)));
                }
                ZoneLook {
                    status: r.status,
                    contested: r.contested,
                    detail,
                }
            })
            .collect();
        self.looks_for = Some((self.instant, self.known_on));
    }

    fn ensure_tiles(&mut self, ctx: &egui::Context) {
        if self.online_tiles && self.tiles.is_none() {
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
    }

    /// The whole window: menu, status bar, time controls, side panel, map, dialogs.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if self.patterns.is_none() {
            self.patterns = Some(Patterns::new(&ctx));
        }
        self.ensure_tiles(&ctx);
        self.refresh_looks();
        let mut commands: Vec<Command> = Vec::new();

        egui::Panel::top("menu").show(ui, |ui| menu_bar(ui, self.online_tiles, &mut commands));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));

        let Some(patterns) = self.patterns.take() else {
            return;
        };
        let mut time_outcome = TimeOutcome::default();
        let mut window = self.window;
        egui::Panel::bottom("time").resizable(false).show(ui, |ui| {
            ui.add_space(4.0);
            let input = TimeInput {
                engine: &self.engine,
                instant: self.instant,
                known_on: self.known_on,
                selected: self.selected,
                range: self.range,
                patterns: &patterns,
            };
            let a = timebar::controls(
                ui,
                &input,
                &mut self.go_to,
                &mut self.go_to_error,
                &mut window,
            );
            let b = timebar::timeline(ui, &input);
            time_outcome = TimeOutcome {
                instant: b.instant.or(a.instant),
                select: b.select.or(a.select),
                command: a.command.or(b.command),
            };
            ui.add_space(4.0);
        });
        // A width saved by an earlier run (or pushed by long text) never takes more than
        // 45% of the window: the map keeps the rest.
        let side_max = (ui.available_width() * 0.45).max(260.0);
        let side = egui::Panel::right("side")
            .resizable(true)
            .default_size(390.0f32.min(side_max))
            .size_range(260.0..=side_max)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        self.known_on_picker(ui);
                        ui.separator();
                        sidebar(
                            ui,
                            &SideInput {
                                engine: &self.engine,
                                instant: self.instant,
                                known_on: self.known_on,
                                selected: self.selected,
                            },
                        )
                    })
                    .inner
            })
            .inner;
        let tiles_note = self.online_tiles.then_some(
            "Online tiles requested; none received yet (offline?). The built-in basemap stays.",
        );
        let outcome = egui::CentralPanel::no_frame()
            .show(ui, |ui| {
                map_view(
                    ui,
                    &mut self.layers,
                    &mut self.map,
                    MapInput {
                        looks: &self.looks,
                        selected: self.selected,
                        patterns: &patterns,
                        tiles: self.tiles.as_mut(),
                        tiles_note,
                    },
                )
            })
            .inner;
        self.patterns = Some(patterns);

        // Apply what the panels asked for.
        if window != self.window {
            self.window = window;
            self.range = Range::update(None, self.window, self.engine.span(), self.instant);
        }
        if let Some(t) = time_outcome.instant {
            self.set_instant(t);
        }
        if let Some(z) = time_outcome.select {
            self.select(Some(z));
        }
        commands.extend(time_outcome.command);
        match side {
            Some(SideAction::Select(z)) => self.select(z),
            Some(SideAction::SetInstant(t)) => self.set_instant(t),
            None => {}
        }
        if let Some(clicked) = outcome.clicked {
            self.select(clicked);
        }

        self.dialogs(&ctx);
        // Shortcuts last, after a focused slider has taken its own arrow keys.
        commands.extend(shortcuts(&ctx, self.open_dialog.is_some()));
        for command in commands {
            self.run(command, &ctx);
        }
        self.refresh_looks();
        self.screenshot_step(&ctx);
    }

    fn known_on_picker(&mut self, ui: &mut Ui) {
        let ds = self.engine.dataset();
        let tz = ds.meta.timezone;
        let text = |k: Option<DateTime<Utc>>| match k {
            None => "all reports".to_string(),
            Some(k) => format!(
                "reports published by {}",
                crate::timefmt::local(k, tz).format("%a %-d %b %Y")
            ),
        };
        ui.horizontal(|ui| {
            let label = ui.label("As known on");
            egui::ComboBox::from_id_salt("known-on")
                .selected_text(text(self.known_on))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.known_on, None, text(None));
                    for &day in self.engine.report_instants() {
                        // The end of that publication day: everything published that day is known.
                        let end = day + Duration::days(1) - Duration::seconds(1);
                        ui.selectable_value(&mut self.known_on, Some(end), text(Some(end)));
                    }
                })
                .response
                .labelled_by(label.id)
                .on_hover_text(
                    "As known on: show the status using only the reports published by a date",
                );
        });
    }

    fn status_bar(&self, ui: &mut Ui) {
        let ds = self.engine.dataset();
        let tz = ds.meta.timezone;
        ui.horizontal(|ui| {
            ui.label(RichText::new(instant_label(self.instant, tz)).strong());
            // The same instant in UTC, for checking against reports that give UTC.
            ui.weak(format!(
                "= {} UTC · {}",
                self.instant.format("%-d %b %H:%M"),
                tz.name()
            ));
            if let Some(k) = self.known_on {
                ui.label(format!(
                    "· as known on {}",
                    crate::timefmt::local(k, tz).format("%-d %b %Y")
                ));
            }
            if let Some(notice) = &self.notice {
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
                let origin = match &self.data_dir {
                    Some(d) => format!("Dataset folder: {}", d.display()),
                    None => "The dataset built into the app".into(),
                };
                // Truncated to the room left beside the instant; the whole name on hover.
                ui.add(egui::Label::new(&ds.meta.name).truncate())
                    .on_hover_text(format!("{}\n{origin}", ds.meta.name));
            });
        });
    }

    fn dialogs(&mut self, ctx: &egui::Context) {
        if let Some(dialog) = &mut self.open_dialog {
            match open_dialog::show(ctx, dialog) {
                Some(DialogAction::Open(dir)) => {
                    self.open_dataset(Some(&dir));
                    if self.load_error.is_none() {
                        self.open_dialog = None;
                    }
                }
                Some(DialogAction::Cancel) => self.open_dialog = None,
                None => {}
            }
        }
        if let Some(error) = &self.load_error {
            let mut close = false;
            let current = self.engine.dataset().meta.name.clone();
            egui::Window::new("Could not open the dataset")
                .collapsible(false)
                .default_width(640.0)
                .show(ctx, |ui| {
                    ui.label(RichText::new(error.to_string()).strong().color(ui.visuals().error_fg_color));
                    ui.label(format!("Nothing was changed: “{current}” stays loaded. Fix these and open the folder again:"));
                    egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
                        for p in &error.problems {
                            ui.add(egui::Label::new(RichText::new(p.to_string()).monospace()).selectable(true));
                        }
                    });
                    ui.horizontal(|ui| {
                        if ui.button("Copy the list").clicked() {
                            ui.ctx().copy_text(error.report());
                        }
                        if ui.button("Close").clicked() {
                            close = true;
                        }
                    });
                });
            if close {
                self.load_error = None;
            }
        }
        if self.show_shortcuts {
            let mut open = true;
            egui::Window::new("Keyboard shortcuts")
                .open(&mut open)
                .collapsible(false)
                .show(ctx, |ui| {
                    egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                        for c in Command::ALL {
                            if let Some(s) = c.shortcut_text(ctx) {
                                ui.monospace(s);
                                ui.label(c.text());
                                ui.end_row();
                            }
                        }
                        ui.monospace("drag / wheel");
                        ui.label("Pan / zoom the map");
                        ui.end_row();
                    });
                });
            self.show_shortcuts = open;
        }
    }

    fn screenshot_step(&mut self, ctx: &egui::Context) {
        let Some(shot) = &mut self.screenshot else {
            return;
        };
        shot.frames += 1;
        ctx.request_repaint();
        // A few frames first: the map fits itself to the window on the first one.
        if shot.frames == 6 && !shot.requested {
            shot.requested = true;
            let slot = shot.image.clone();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(image);
                }
                repaint.request_repaint();
            });
        }
        let image = shot.image.lock().ok().and_then(|mut slot| slot.take());
        if let Some(image) = image {
            match write_png(&shot.path, &image) {
                Ok(()) => {
                    println!(
                        "wrote {} ({}x{})",
                        shot.path.display(),
                        image.size[0],
                        image.size[1]
                    );
                    shot.exit_code.store(0, Ordering::SeqCst);
                }
                Err(e) => eprintln!("error: cannot write {}: {e}", shot.path.display()),
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        } else if shot.frames > 600 {
            eprintln!("error: no screenshot after {} frames", shot.frames);
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

fn menu_bar(ui: &mut Ui, online: bool, commands: &mut Vec<Command>) {
    let item = |ui: &mut Ui, c: Command, commands: &mut Vec<Command>| {
        let mut button = egui::Button::new(c.text());
        if let Some(s) = c.shortcut_text(ui.ctx()) {
            button = button.shortcut_text(s);
        }
        if ui.add(button).on_hover_text(c.tooltip()).clicked() {
            commands.push(c);
        }
    };
    egui::MenuBar::new().ui(ui, |ui| {
        for menu in Menu::ALL {
            ui.menu_button(menu.title(), |ui| {
                for c in Command::ALL.into_iter().filter(|c| c.menu() == menu) {
                    if c == Command::ToggleOnlineTiles {
                        ui.separator();
                        let mut on = online;
                        let checkbox = ui.checkbox(&mut on, c.text()).on_hover_text(c.tooltip());
                        if checkbox.changed() {
                            commands.push(c);
                        }
                    } else {
                        if c == Command::Quit {
                            ui.separator();
                        }
                        item(ui, c, commands);
                    }
                }
            });
        }
        ui.add_space(12.0);
        ui.label(
            RichText::new("Truce Atlas")
                .strong()
                .color(Color32::from_rgb(0x00, 0x6E, 0x50)),
        );
        ui.weak("where a truce held, when, and who said so");
    });
}

/// The commands whose shortcut was pressed this frame. Plain keys are ignored while the user
/// types in a field (or a dialog is open), so typing "2016" never jumps the map.
fn shortcuts(ctx: &egui::Context, dialog_open: bool) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input() || dialog_open;
    ctx.input_mut(|i| {
        Command::by_specificity()
            .filter(|c| !typing || c.works_while_typing() || *c == Command::ClearSelection)
            .filter(|c| c.shortcut().is_some_and(|s| i.consume_shortcut(&s)))
            .collect()
    })
}

fn write_png(path: &Path, image: &egui::ColorImage) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let [w, h] = image.size;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w as u32, h as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    let bytes: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    writer.write_image_data(&bytes).map_err(|e| e.to_string())
}

impl eframe::App for AtlasApp {
    /// egui's memory holds panel widths: a one-off run must not leave them to later runs.
    fn persist_egui_memory(&self) -> bool {
        !self.ephemeral
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
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
