//! What the user is looking at: the dataset, the instant, the "as known on" date, the selected
//! zone and the stretch of time on screen. It changes only through [`Command`]s, values that any
//! panel, key, menu or test can push, and that [`Session::apply`] carries out one at a time, as
//! rerun's `TimeControl` does with its commands. No egui here: every rule is a plain unit test.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar;
use crate::engine::Engine;
use crate::filter::Filter;
use crate::load::DatasetError;
use crate::model::EventKind;

pub use crate::model::Window;

/// Which event kinds show: [`crate::model::Kinds`], beside the kinds it describes.
pub use crate::model::Kinds;

/// The time range on screen. Zoomed windows stay put while the instant moves inside them, and
/// recentre only when it leaves, so dragging the slider never drags the axis along.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Range {
    pub fn update(
        current: Option<Range>,
        window: Window,
        span: (DateTime<Utc>, DateTime<Utc>),
        instant: DateTime<Utc>,
    ) -> Range {
        let all = Range {
            start: span.0,
            end: span.1,
        };
        let Some(length) = window.length().filter(|l| *l < span.1 - span.0) else {
            return all;
        };
        if let Some(r) = current
            && r.end - r.start == length
            && r.start <= instant
            && instant <= r.end
        {
            return r;
        }
        let start = (instant - length / 2).max(span.0).min(span.1 - length);
        Range {
            start,
            end: start + length,
        }
    }

    /// Where `t` falls, from 0 at the start to 1 at the end.
    pub fn fraction(&self, t: DateTime<Utc>) -> f32 {
        let total = (self.end - self.start).num_seconds().max(1) as f64;
        ((t - self.start).num_seconds() as f64 / total) as f32
    }

    /// The instant at a fraction of the range (clamped to it).
    pub fn time_at(&self, fraction: f32) -> DateTime<Utc> {
        let total = (self.end - self.start).num_seconds() as f64;
        let seconds = (f64::from(fraction.clamp(0.0, 1.0)) * total).round() as i64;
        self.start
            .checked_add_signed(Duration::seconds(seconds))
            .unwrap_or(self.end)
    }
}

/// A move of the instant relative to where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// To the previous or next event (of the selected zone, if one is selected).
    PreviousEvent,
    NextEvent,
    HourBack,
    HourForward,
    DayBack,
    DayForward,
    /// To the first event, or the last event or end.
    Start,
    End,
}

/// Everything that changes the session, as a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    SetInstant(DateTime<Utc>),
    Step(Step),
    Select(Option<usize>),
    /// Select the zone, or clear the selection if it is the one selected.
    ToggleSelect(usize),
    SetWindow(Window),
    SetKnownOn(Option<DateTime<Utc>>),
    /// Show or hide a kind of event on the lanes and in the event list.
    ShowKind(EventKind, bool),
    SetKinds(Kinds),
    /// Hear only these sources, sides and actors (`None`: everyone). Rebuilds the timelines
    /// here; [`Command::AdoptFiltered`] takes an engine filtered on another thread.
    SetFilter(Option<Filter>),
    AdoptFiltered(Filtered),
    /// Open a dataset folder, or (with `None`) the embedded default. On failure the problems
    /// are kept to show and the current dataset stays.
    OpenDataset(Option<PathBuf>),
    /// Take a dataset opened elsewhere (on a worker thread, so the window kept drawing): the
    /// same as `OpenDataset` once the files are read.
    Adopt(Opened),
    /// The open dataset read again after its files changed (or File > Reload): what the user
    /// looks at stays (the instant, the selection, "as known on", the filter, the kinds shown,
    /// the time window; the app keeps the camera), and the status bar says so with the local
    /// time given. A version with problems leaves the last good one on screen, with them listed.
    Reload(Opened, chrono::NaiveTime),
    DismissLoadError,
    DismissNotice,
    SetOnlineTiles(bool),
    /// Reload the dataset when its files change on disk (View > Watch files).
    SetWatchFiles(bool),
    /// The high-contrast look on or off.
    SetHighContrast(bool),
    /// Play or pause; played at the end of the span, it starts again from the beginning.
    Play(bool),
    /// Speed, looping and stopping at events (whether it plays is `Play`'s).
    SetPlayback(crate::playback::Playback),
    /// So much real time went by while playing.
    Tick(std::time::Duration),
    /// Read this incident file (ACLED or UCDP) with the dataset, now and on every reload
    /// (File > Add incident data…, `--incidents`); the app reads it on a worker thread.
    AddIncidentFile(PathBuf),
    /// Incident files read and placed elsewhere (a worker thread), for the dataset of this
    /// generation only.
    AdoptIncidents(LoadedIncidents),
    /// How incidents are shown: on the map (and for how many days), on the lanes.
    SetIncidentView(IncidentView),
    /// Read the dataset's story at this step (clamped to its steps): the instant, "as known
    /// on", the selection, the filter, the kinds and the window move to the step's. The first
    /// one keeps the view as it was, for `LeaveStory`.
    ReadStory(usize),
    /// Stop reading: the view goes back to what it was before the story was opened.
    LeaveStory,
    /// A change to the story (Story > Edit): kept in the session until saved.
    EditStory(StoryEdit),
    /// The story as it stands was written to its file: nothing is unsaved.
    StorySaved,
}

/// One change to the story being written. Text typed into one field is one change for Undo.
#[derive(Debug, Clone, PartialEq)]
pub enum StoryEdit {
    /// The view as it is (instant, "as known on", zone, filter, kinds, window, the quotes behind
    /// the selected zone's status) as a new step after `after` (at the end if `None`).
    AddView {
        after: Option<usize>,
        title: String,
    },
    Delete(usize),
    /// Swaps step `k` with the one before (`up`) or after it.
    Move {
        step: usize,
        up: bool,
    },
    SetTitle(usize, String),
    SetText(usize, String),
    SetStoryTitle(String),
    /// Puts the story back as it was before the last change.
    Undo,
}

/// The story before the last change, and the field that change was typing in (step, title?):
/// typing on in the same field is the same change.
#[derive(Debug, Clone)]
struct StoryUndo {
    story: Option<crate::model::Story>,
    typing: Option<(usize, bool)>,
}

/// A story being read: the step shown, and the view to go back to.
#[derive(Debug, Clone)]
struct Reading {
    step: usize,
    before: Saved,
}

/// What a story's step changes, as it was.
#[derive(Debug, Clone)]
struct Saved {
    instant: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
    selected: Option<usize>,
    filter: Option<Filter>,
    kinds: Kinds,
    window: Window,
}

/// How the incidents are shown (View menu; remembered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentView {
    pub on_map: bool,
    pub days: crate::incidents::view::Days,
    pub on_lanes: bool,
}

impl Default for IncidentView {
    fn default() -> Self {
        IncidentView {
            on_map: true,
            days: crate::incidents::view::Days::Week,
            on_lanes: true,
        }
    }
}

/// Incident sets read and placed on a worker thread for one dataset (its `generation`), with
/// what could not be read.
#[derive(Clone)]
pub struct LoadedIncidents {
    pub generation: u64,
    pub incidents: std::sync::Arc<crate::incidents::Incidents>,
    /// Their marks for the map, made on the same thread (a million take a while to sort).
    pub marks: std::sync::Arc<crate::incidents::view::Marks>,
    /// A line per file that could not be read at all, or that had rows skipped.
    pub problems: Vec<String>,
}

impl PartialEq for LoadedIncidents {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.incidents, &other.incidents)
    }
}

impl std::fmt::Debug for LoadedIncidents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LoadedIncidents({} sets)", self.incidents.sets.len())
    }
}

/// A dataset folder read and indexed, or why it could not be: what `OpenDataset` does in one
/// step, done in two. Shared, so that a command stays a cheap value.
#[derive(Clone)]
pub struct Opened {
    pub dir: Option<PathBuf>,
    pub result: std::sync::Arc<Result<Engine, DatasetError>>,
}

impl Opened {
    /// Reads and indexes `dir` (or the embedded default): the slow part, for any thread.
    pub fn read(dir: Option<PathBuf>) -> Opened {
        let result = std::sync::Arc::new(crate::engine::open(dir.as_deref()));
        Opened { dir, result }
    }
}

impl PartialEq for Opened {
    fn eq(&self, other: &Opened) -> bool {
        std::sync::Arc::ptr_eq(&self.result, &other.result)
    }
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ok = if self.result.is_ok() { "ok" } else { "failed" };
        write!(f, "Opened({:?}, {ok})", self.dir)
    }
}

/// How the session starts: the command line's requests, already checked.
#[derive(Debug, Clone, Default)]
pub struct Start {
    pub instant: Option<DateTime<Utc>>,
    pub zone: Option<usize>,
    pub known_on: Option<DateTime<Utc>>,
    pub data_dir: Option<PathBuf>,
    /// `--high-contrast`: the high-contrast look, whatever the last run used.
    pub high_contrast: bool,
    /// `--sources`, `--sides`, `--actor`: whose word counts.
    pub filter: Option<Filter>,
    /// `--hide-kinds`: the event kinds the lanes and the event list leave out, whatever the
    /// last run showed.
    pub kinds: Option<Kinds>,
    /// `--incidents`: incident files to read with the dataset.
    pub incident_files: Vec<PathBuf>,
    /// `--story`: open reading the dataset's story at its first step.
    pub story: bool,
}

/// The part of the session remembered between runs. Every field has a default, so a state
/// saved by an older version, or with missing fields, still loads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Remembered {
    /// The dataset the instant, the selection and the map camera were saved with
    /// ([`Session::dataset_key`]); they are restored only for it. `None` in a state saved
    /// before the key existed, which is restored as it was.
    pub dataset: Option<String>,
    /// Unix seconds.
    pub instant: Option<i64>,
    pub zone: Option<String>,
    pub window: Window,
    pub online_tiles: bool,
    pub high_contrast: bool,
    pub playback: crate::playback::Playback,
    pub kinds: Kinds,
    /// View > Watch files turned off (on by default, so a state saved before it watches).
    pub watch_off: bool,
    /// How incidents are shown.
    pub incidents: IncidentView,
}

/// An engine filtered on any thread, for [`Command::AdoptFiltered`]; it applies only to the
/// dataset it was made from (`generation`).
#[derive(Clone)]
pub struct Filtered {
    pub generation: u64,
    pub engine: std::sync::Arc<Engine>,
}

impl PartialEq for Filtered {
    fn eq(&self, other: &Filtered) -> bool {
        std::sync::Arc::ptr_eq(&self.engine, &other.engine)
    }
}

impl std::fmt::Debug for Filtered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Filtered({:?})", self.engine.filter())
    }
}

pub struct Session {
    /// The engine every view reads: the dataset's, or heard through a filter.
    engine: Engine,
    /// While a filter is on: the dataset's own engine, so that turning the filter off or
    /// changing it starts from it without reloading.
    unfiltered: Option<Engine>,
    data_dir: Option<PathBuf>,
    instant: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
    selected: Option<usize>,
    window: Window,
    range: Range,
    load_error: Option<DatasetError>,
    notice: Option<String>,
    online_tiles: bool,
    high_contrast: bool,
    watch_files: bool,
    playback: crate::playback::Playback,
    kinds: Kinds,
    /// With reduced motion: real time played since the instant last jumped.
    since_hop: std::time::Duration,
    /// Counts the datasets opened or reloaded, so views built from one know when to rebuild.
    generation: u64,
    /// Counts the datasets opened (not reloads): a new one is framed afresh, a reloaded one keeps
    /// the camera.
    opens: u64,
    /// Counts every change of what the engine says (a dataset opened, a filter changed), so
    /// that statuses derived from it know when to be read again.
    revision: u64,
    /// Every set of incidents, placed in this dataset's zones: its own, then the files read.
    incidents: std::sync::Arc<crate::incidents::Incidents>,
    /// Incident files added by the user (`--incidents`, File > Add incident data…), read again
    /// with the dataset.
    incident_files: Vec<PathBuf>,
    incident_view: IncidentView,
    /// The marks of `incidents`, when they were made with them on a worker thread.
    marks: Option<std::sync::Arc<crate::incidents::view::Marks>>,
    /// The story being read, if one is.
    reading: Option<Reading>,
    /// The dataset's story as edited here (the dataset's own until a change is made).
    story: Option<crate::model::Story>,
    /// The story before the last change (for Undo), and which field that change was typing in.
    story_before: Option<StoryUndo>,
    /// Changes not yet written to story.json.
    story_unsaved: bool,
}

impl Session {
    pub fn new(engine: Engine, start: Start) -> Session {
        let instant = engine.default_instant();
        let range = Range::update(None, Window::All, engine.span(), instant);
        let mut session = Session {
            engine,
            unfiltered: None,
            data_dir: start.data_dir,
            instant,
            known_on: start.known_on,
            selected: None,
            window: Window::All,
            range,
            load_error: None,
            notice: None,
            online_tiles: false,
            high_contrast: start.high_contrast,
            watch_files: true,
            playback: crate::playback::Playback::default(),
            kinds: Kinds::ALL,
            since_hop: std::time::Duration::ZERO,
            generation: 0,
            opens: 0,
            revision: 0,
            incidents: std::sync::Arc::default(),
            incident_files: start.incident_files,
            incident_view: IncidentView::default(),
            marks: None,
            reading: None,
            story: None,
            story_before: None,
            story_unsaved: false,
        };
        session.story = session.engine.dataset().story.clone();
        session.own_incidents();
        if start.filter.is_some() {
            session.apply(Command::SetFilter(start.filter));
        }
        if let Some(t) = start.instant {
            session.apply(Command::SetInstant(t));
        }
        session.apply(Command::Select(start.zone));
        session
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }
    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }
    pub fn instant(&self) -> DateTime<Utc> {
        self.instant
    }
    pub fn known_on(&self) -> Option<DateTime<Utc>> {
        self.known_on
    }
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }
    pub fn window(&self) -> Window {
        self.window
    }
    pub fn range(&self) -> Range {
        self.range
    }
    pub fn load_error(&self) -> Option<&DatasetError> {
        self.load_error.as_ref()
    }
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }
    pub fn watch_files(&self) -> bool {
        self.watch_files
    }

    pub fn online_tiles(&self) -> bool {
        self.online_tiles
    }
    pub fn high_contrast(&self) -> bool {
        self.high_contrast
    }
    pub fn playback(&self) -> crate::playback::Playback {
        self.playback
    }
    /// The event kinds the lanes and the event list show.
    pub fn kinds(&self) -> Kinds {
        self.kinds
    }
    /// While playing with reduced motion: the real time until the instant jumps again.
    pub fn until_next_hop(&self) -> Option<std::time::Duration> {
        (self.playback.playing && self.playback.reduce_motion)
            .then(|| crate::playback::HOP.saturating_sub(self.since_hop))
    }
    pub fn generation(&self) -> u64 {
        self.generation
    }
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// Whose word counts, while a filter is on.
    pub fn filter(&self) -> Option<&Filter> {
        self.engine.filter()
    }
    /// The dataset's own engine, whatever the filter: what a filter is built from.
    pub fn unfiltered(&self) -> &Engine {
        self.unfiltered.as_ref().unwrap_or(&self.engine)
    }

    /// Carries out one command.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::SetInstant(t) => self.set_instant(t),
            Command::Step(step) => {
                if let Some(t) = self.step_target(step) {
                    self.set_instant(t);
                }
            }
            Command::Select(zone) => {
                self.selected = zone.filter(|&z| z < self.engine.dataset().zones.len());
            }
            Command::ToggleSelect(zone) => {
                let next = (self.selected != Some(zone)).then_some(zone);
                self.apply(Command::Select(next));
            }
            Command::SetWindow(window) => {
                self.window = window;
                self.range = Range::update(None, window, self.engine.span(), self.instant);
            }
            Command::SetKnownOn(k) => self.known_on = k,
            Command::ShowKind(kind, shown) => self.kinds = self.kinds.with(kind, shown),
            Command::SetKinds(kinds) => self.kinds = kinds,
            Command::SetFilter(filter) => {
                let filtered = filter
                    .filter(|f| !f.is_all())
                    .map(|f| self.unfiltered().filtered(&f));
                self.use_filtered(filtered);
            }
            Command::AdoptFiltered(f) => {
                if f.generation == self.generation {
                    let engine = std::sync::Arc::try_unwrap(f.engine)
                        .unwrap_or_else(|shared| (*shared).clone());
                    self.use_filtered(Some(engine));
                }
            }
            Command::OpenDataset(dir) => self.adopt(Opened::read(dir)),
            Command::Adopt(opened) => self.adopt(opened),
            Command::Reload(opened, at) => self.reload(opened, at),
            Command::DismissLoadError => self.load_error = None,
            Command::DismissNotice => self.notice = None,
            Command::SetOnlineTiles(on) => self.online_tiles = on,
            Command::SetWatchFiles(on) => self.watch_files = on,
            Command::SetHighContrast(on) => self.high_contrast = on,
            Command::Play(on) => self.play(on),
            Command::SetPlayback(p) => {
                self.playback = crate::playback::Playback {
                    playing: self.playback.playing,
                    ..p
                };
            }
            Command::Tick(real) => self.tick(real),
            Command::AddIncidentFile(path) => {
                if !self.incident_files.contains(&path) {
                    self.incident_files.push(path);
                }
            }
            Command::AdoptIncidents(loaded) => {
                if loaded.generation == self.generation {
                    self.incidents = loaded.incidents;
                    self.marks = Some(loaded.marks);
                    self.revision += 1;
                    if !loaded.problems.is_empty() {
                        self.notice = Some(loaded.problems.join(" "));
                    }
                }
            }
            Command::SetIncidentView(view) => self.incident_view = view,
            Command::ReadStory(step) => self.read_story(step),
            Command::LeaveStory => self.leave_story(),
            Command::EditStory(edit) => self.edit_story(edit),
            Command::StorySaved => self.story_unsaved = false,
        }
    }

    /// The step of the story being read, if one is.
    pub fn reading(&self) -> Option<usize> {
        self.reading.as_ref().map(|r| r.step)
    }

    /// The dataset's story, if it has one with steps.
    pub fn story(&self) -> Option<&crate::model::Story> {
        self.story.as_ref().filter(|s| !s.steps.is_empty())
    }

    fn read_story(&mut self, step: usize) {
        let Some(story) = self.story() else {
            return;
        };
        let step = step.min(story.steps.len() - 1);
        let s = story.steps[step].clone();
        if self.reading.is_none() {
            let before = Saved {
                instant: self.instant,
                known_on: self.known_on,
                selected: self.selected,
                filter: self.filter().cloned(),
                kinds: self.kinds,
                window: self.window,
            };
            self.reading = Some(Reading { step, before });
        }
        let filter = s.filter.as_ref().and_then(Filter::of_story);
        self.show(Saved {
            instant: s.at,
            known_on: s.known_on,
            selected: s.zone,
            filter,
            kinds: s.kinds,
            window: s.window,
        });
        if let Some(r) = &mut self.reading {
            r.step = step;
        }
    }

    fn leave_story(&mut self) {
        if let Some(r) = self.reading.take() {
            self.show(r.before);
        }
    }

    /// Moves the view to `view`, the filter only if it changes (it rebuilds the timelines).
    fn show(&mut self, view: Saved) {
        let filter = view.filter.filter(|f| !f.is_all());
        if self.filter() != filter.as_ref() {
            self.apply(Command::SetFilter(filter));
        }
        self.known_on = view.known_on;
        self.kinds = view.kinds;
        self.apply(Command::Select(view.selected));
        self.apply(Command::SetInstant(view.instant));
        self.apply(Command::SetWindow(view.window));
    }

    /// Every set of incidents, placed in the zones.
    pub fn incidents(&self) -> &std::sync::Arc<crate::incidents::Incidents> {
        &self.incidents
    }

    /// The marks of [`Session::incidents`], when a worker thread made them with them.
    pub fn incident_marks(&self) -> Option<&std::sync::Arc<crate::incidents::view::Marks>> {
        self.marks.as_ref()
    }

    /// The incident files the user added (`--incidents`, File > Add incident data…).
    pub fn incident_files(&self) -> &[PathBuf] {
        &self.incident_files
    }

    pub fn incident_view(&self) -> IncidentView {
        self.incident_view
    }

    /// The incident files to read with this dataset: those its dataset.json names (beside it),
    /// then those the user added.
    pub fn incident_paths(&self) -> Vec<PathBuf> {
        let named = &self.engine.dataset().meta.incident_files;
        let mut paths = match &self.data_dir {
            Some(dir) => crate::incidents::import::beside(dir, named),
            None => Vec::new(),
        };
        for p in &self.incident_files {
            if !paths.contains(p) {
                paths.push(p.clone());
            }
        }
        paths
    }

    /// The dataset's own incidents, placed, before any file is read.
    fn own_incidents(&mut self) {
        let ds = self.engine.dataset();
        self.incidents = std::sync::Arc::new(crate::incidents::Incidents::new(ds, &[]));
        self.marks = None;
    }

    /// Reads from `filtered` (an engine made from this dataset), or from the dataset's own
    /// engine with `None`.
    fn use_filtered(&mut self, filtered: Option<Engine>) {
        if let Some(base) = self.unfiltered.take() {
            self.engine = base;
        }
        if let Some(engine) = filtered {
            self.unfiltered = Some(std::mem::replace(&mut self.engine, engine));
        }
        self.revision += 1;
    }

    /// Says something in the status bar (a saved state that could not be read...).
    pub fn tell(&mut self, notice: impl Into<String>) {
        self.notice = Some(notice.into());
    }

    fn set_instant(&mut self, t: DateTime<Utc>) {
        let (lo, hi) = self.engine.span();
        self.instant = t.clamp(lo, hi);
        self.range = Range::update(
            Some(self.range),
            self.window,
            self.engine.span(),
            self.instant,
        );
    }

    /// Where a step leads, if anywhere. Time arithmetic is checked: at the ends of time a step
    /// goes nowhere rather than overflowing.
    fn step_target(&self, step: Step) -> Option<DateTime<Utc>> {
        let (engine, zone, known) = (&self.engine, self.selected, self.known_on);
        let event_time = |e: usize| engine.dataset().events[e].moment.utc();
        let tz = engine.dataset().meta.timezone;
        let hour = calendar::round_to_hour(self.instant, tz);
        match step {
            Step::PreviousEvent => engine
                .previous_event(zone, self.instant, known)
                .map(event_time),
            Step::NextEvent => engine.next_event(zone, self.instant, known).map(event_time),
            Step::HourBack => hour.checked_sub_signed(Duration::hours(1)),
            Step::HourForward => hour.checked_add_signed(Duration::hours(1)),
            // A day is the same time on the local clock the next date: 23 or 25 hours across
            // a clock change.
            Step::DayBack => calendar::add_days(self.instant, tz, -1),
            Step::DayForward => calendar::add_days(self.instant, tz, 1),
            Step::Start => Some(engine.extent().0),
            Step::End => Some(engine.extent().1),
        }
    }

    fn play(&mut self, on: bool) {
        self.since_hop = std::time::Duration::ZERO;
        if on && self.instant >= self.engine.span().1 {
            self.set_instant(self.engine.span().0);
        }
        self.playback.playing = on;
    }

    fn tick(&mut self, real: std::time::Duration) {
        // Reduced motion: the time builds up, and the instant jumps once a second by a
        // second's worth.
        let real = if self.playback.reduce_motion {
            self.since_hop += real;
            if self.since_hop < crate::playback::HOP {
                return;
            }
            self.since_hop = std::time::Duration::ZERO;
            crate::playback::HOP
        } else {
            real
        };
        let next = self
            .engine
            .next_event(self.selected, self.instant, self.known_on)
            .map(|e| self.engine.dataset().events[e].moment.utc());
        let step = self
            .playback
            .advance(self.instant, real, self.engine.span(), next);
        self.playback.playing = step.playing;
        self.set_instant(step.instant);
    }

    fn adopt(&mut self, opened: Opened) {
        let Opened { dir, result } = opened;
        // The only holder, as a rule: no copy of the engine is made then.
        let result = std::sync::Arc::try_unwrap(result).unwrap_or_else(|shared| (*shared).clone());
        match result {
            Ok(engine) => {
                // Another dataset, another story: reading ends where the new one opens.
                self.reading = None;
                self.story = engine.dataset().story.clone();
                self.story_before = None;
                self.story_unsaved = false;
                let selected = self
                    .selected
                    .map(|z| self.engine.dataset().zones[z].id.clone());
                let had_filter = self.filter().is_some();
                self.engine = engine;
                self.unfiltered = None;
                self.revision += 1;
                self.selected = selected.and_then(|id| self.engine.dataset().zone_index(&id));
                let (lo, hi) = self.engine.span();
                if self.instant < lo || self.instant > hi {
                    self.instant = self.engine.default_instant();
                }
                self.range = Range::update(None, self.window, self.engine.span(), self.instant);
                self.data_dir = dir;
                self.load_error = None;
                self.generation += 1;
                self.opens += 1;
                // Incident files belong to the dataset they were added to.
                self.incident_files.clear();
                self.own_incidents();
                let off = if had_filter {
                    " The filter of sources is off: it named the last dataset's sources."
                } else {
                    ""
                };
                self.notice = Some(format!(
                    "Opened “{}”.{off}",
                    self.engine.dataset().meta.name
                ));
            }
            Err(e) => self.load_error = Some(e),
        }
    }

    fn reload(&mut self, opened: Opened, at: chrono::NaiveTime) {
        let Opened { dir, result } = opened;
        let result = std::sync::Arc::try_unwrap(result).unwrap_or_else(|shared| (*shared).clone());
        let engine = match result {
            Ok(engine) => engine,
            Err(e) => {
                // The last good version stays on screen; the problems are listed over it.
                self.load_error = Some(e);
                return;
            }
        };
        let filter_before = self.engine.filter().cloned();
        let old = std::mem::replace(&mut self.engine, engine);
        let old = self.unfiltered.take().unwrap_or(old);
        let selected = self.selected.map(|z| old.dataset().zones[z].id.clone());
        self.selected = selected.and_then(|id| self.engine.dataset().zone_index(&id));
        let (filter, gone) = match &filter_before {
            Some(f) => f.carried(old.dataset(), self.engine.dataset()),
            None => (None, Vec::new()),
        };
        self.data_dir = dir;
        self.load_error = None;
        self.generation += 1;
        self.revision += 1;
        self.own_incidents();
        self.set_instant(self.instant);
        if let Some(filter) = filter {
            let filtered = self.engine.filtered(&filter);
            self.use_filtered(Some(filtered));
        }
        // Edits not yet saved stay (the file changed under them: said); else the file's story.
        if !self.story_unsaved {
            self.story = self.engine.dataset().story.clone();
        }
        // A story read while its file changes goes on at the same step of the new version.
        if let Some(step) = self.reading() {
            match self.story() {
                Some(_) => self.read_story(step),
                None => self.reading = None,
            }
        }
        let mut notice = format!("Reloaded {}.", at.format("%H:%M:%S"));
        if !gone.is_empty() {
            notice.push_str(&format!(
                " The filter no longer names {} (not in the file now).",
                gone.join(", ")
            ));
        }
        if self.story_unsaved {
            notice.push_str(" Your unsaved changes to the story are kept.");
        }
        self.notice = Some(notice);
    }

    /// Whether the story has changes not yet written to its file.
    pub fn story_unsaved(&self) -> bool {
        self.story_unsaved
    }

    /// Whether Undo has a change to take back.
    pub fn can_undo_story(&self) -> bool {
        self.story_before.is_some()
    }

    fn edit_story(&mut self, edit: StoryEdit) {
        if edit == StoryEdit::Undo {
            if let Some(undo) = self.story_before.take() {
                self.story = undo.story;
                self.story_unsaved = true;
                self.clamp_reading();
            }
            return;
        }
        // Typing on in the same field is one change: Undo takes back the whole run.
        let typing = match &edit {
            StoryEdit::SetTitle(k, _) => Some((*k, true)),
            StoryEdit::SetText(k, _) => Some((*k, false)),
            _ => None,
        };
        let same_run = typing.is_some()
            && self
                .story_before
                .as_ref()
                .is_some_and(|u| u.typing == typing);
        if !same_run {
            self.story_before = Some(StoryUndo {
                story: self.story.clone(),
                typing,
            });
        }
        let captured = match &edit {
            StoryEdit::AddView { title, .. } => Some(self.capture_step(title.clone())),
            _ => None,
        };
        let story = self.story.get_or_insert_with(|| crate::model::Story {
            title: self.engine.dataset().meta.name.clone(),
            steps: Vec::new(),
        });
        let n = story.steps.len();
        match edit {
            StoryEdit::AddView { after, .. } => {
                let at = after.map_or(n, |k| (k + 1).min(n));
                if let Some(step) = captured {
                    story.steps.insert(at, step);
                }
            }
            StoryEdit::Delete(k) if k < n => {
                story.steps.remove(k);
            }
            StoryEdit::Move { step, up } if step < n => {
                let other = if up {
                    step.checked_sub(1)
                } else {
                    Some(step + 1)
                };
                if let Some(other) = other.filter(|&o| o < n) {
                    story.steps.swap(step, other);
                }
            }
            StoryEdit::SetTitle(k, t) if k < n => story.steps[k].title = t,
            StoryEdit::SetText(k, t) if k < n => story.steps[k].text = t,
            StoryEdit::SetStoryTitle(t) => story.title = t,
            _ => {}
        }
        self.story_unsaved = true;
        self.clamp_reading();
    }

    /// A story that lost steps under the reader: the last one left, or reading ends.
    fn clamp_reading(&mut self) {
        let steps = self.story().map_or(0, |s| s.steps.len());
        match (&mut self.reading, steps) {
            (Some(_), 0) => self.leave_story(),
            (Some(r), n) => r.step = r.step.min(n - 1),
            (None, _) => {}
        }
    }

    /// The view as a story's step, leaning on the quotes behind the selected zone's status.
    pub fn capture_step(&self, title: String) -> crate::model::story::StoryStep {
        use crate::model::story::{StoryCite, StoryFilter, StoryStep};
        let ds = self.engine.dataset();
        let mut citations: Vec<StoryCite> = Vec::new();
        if let Some(z) = self.selected {
            for c in &self.engine.status(z, self.instant, self.known_on).citations {
                let source = ds.events[c.event].citations[c.citation].source;
                let cite = StoryCite {
                    event: c.event,
                    source: Some(source),
                };
                if !citations.contains(&cite) {
                    citations.push(cite);
                }
            }
        }
        let filter = self.filter().map(|f| StoryFilter {
            sources: f.sources.iter().flatten().copied().collect(),
            sides: f.sides.iter().flatten().copied().collect(),
            actors: f.actors.iter().flatten().cloned().collect(),
        });
        StoryStep {
            at: self.instant,
            known_on: self.known_on,
            zone: self.selected,
            filter,
            kinds: self.kinds,
            window: self.window,
            // Every zone in view, so that a reader keeps the whole map in mind.
            frame: Vec::new(),
            title,
            text: String::new(),
            citations,
        }
    }

    /// Counts the datasets opened, not reloaded: the app frames a new one afresh.
    pub fn opens(&self) -> u64 {
        self.opens
    }

    /// What to remember between runs.
    /// Which dataset is open, for what is remembered of it: its folder's absolute path, or
    /// "built-in" for the embedded default.
    pub fn dataset_key(&self) -> String {
        match &self.data_dir {
            Some(dir) => std::fs::canonicalize(dir)
                .unwrap_or_else(|_| dir.clone())
                .display()
                .to_string(),
            None => "built-in".to_owned(),
        }
    }

    pub fn remembered(&self) -> Remembered {
        Remembered {
            dataset: Some(self.dataset_key()),
            instant: Some(self.instant.timestamp()),
            zone: self
                .selected
                .map(|z| self.engine.dataset().zones[z].id.clone()),
            window: self.window,
            online_tiles: self.online_tiles,
            high_contrast: self.high_contrast,
            playback: self.playback,
            kinds: self.kinds,
            watch_off: !self.watch_files,
            incidents: self.incident_view,
        }
    }

    /// Takes back what an earlier run remembered; what no longer fits (a zone not in this
    /// dataset, a time outside it) is left as it is. The instant and the selection come back
    /// only for the dataset they were saved with (the preferences for any): another dataset
    /// opens on its own default instant. Returns whether it was that dataset, so that the app
    /// restores the map camera too.
    pub fn restore(&mut self, saved: &Remembered) -> bool {
        self.apply(Command::SetWindow(saved.window));
        let same = saved
            .dataset
            .as_ref()
            .is_none_or(|key| *key == self.dataset_key());
        if same {
            if let Some(t) = saved.instant.and_then(|s| Utc.timestamp_opt(s, 0).single()) {
                self.apply(Command::SetInstant(t));
            }
            let zone = saved
                .zone
                .as_deref()
                .and_then(|id| self.engine.dataset().zone_index(id));
            self.apply(Command::Select(zone));
        }
        self.apply(Command::SetOnlineTiles(saved.online_tiles));
        // A contrast asked for on the command line outlasts the saved one.
        self.high_contrast |= saved.high_contrast;
        self.apply(Command::SetPlayback(saved.playback));
        self.kinds = saved.kinds;
        self.watch_files = !saved.watch_off;
        self.incident_view = saved.incidents;
        same
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    fn session() -> Session {
        Session::new(crate::default_engine().expect("valid"), Start::default())
    }

    fn t(text: &str) -> DateTime<Utc> {
        crate::timefmt::parse_user_time(text, chrono_tz::Asia::Damascus).expect("valid")
    }

    #[test]
    fn the_instant_and_selection_come_back_only_for_the_dataset_they_were_saved_with() {
        let mut syria = session();
        syria.apply(Command::SetInstant(t("2016-04-20 12:00")));
        syria.apply(Command::Select(
            syria.engine().dataset().zone_index("aleppo"),
        ));
        syria.apply(Command::SetOnlineTiles(true));
        let saved = syria.remembered();
        assert_eq!(saved.dataset.as_deref(), Some("built-in"));

        let mut again = session();
        assert!(again.restore(&saved));
        assert_eq!(again.instant(), t("2016-04-20 12:00"));
        assert_eq!(
            again.selected(),
            again.engine().dataset().zone_index("aleppo")
        );

        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/example-minimal");
        let engine = crate::engine::open(Some(&example)).expect("valid");
        let start = Start {
            data_dir: Some(example),
            ..Start::default()
        };
        let mut other = Session::new(engine, start);
        let opening = other.instant();
        assert!(!other.restore(&saved));
        assert_eq!(other.instant(), opening, "its own default instant");
        assert_eq!(other.selected(), None);
        assert!(
            other.online_tiles(),
            "preferences come back for any dataset"
        );

        // A state saved before the key existed is restored as it was.
        let old = Remembered {
            dataset: None,
            ..saved
        };
        assert!(session().restore(&old));
    }

    #[test]
    fn playing_with_stop_at_events_pauses_on_the_selected_zones_next_event() {
        let mut s = session();
        let aleppo = s.engine().dataset().zone_index("aleppo");
        s.apply(Command::Select(aleppo));
        s.apply(Command::SetInstant(t("2016-04-20 12:00")));
        s.apply(Command::SetPlayback(crate::playback::Playback {
            speed: crate::playback::Speed::DayPerSecond,
            stop_at_events: true,
            ..Default::default()
        }));
        s.apply(Command::Play(true));
        let next = s
            .engine()
            .next_event(aleppo, s.instant(), None)
            .expect("an event after");
        let at = s.engine().dataset().events[next].moment.utc();
        let mut ticks = 0;
        while s.playback().playing {
            s.apply(Command::Tick(std::time::Duration::from_millis(100)));
            ticks += 1;
            assert!(ticks < 1000, "never stopped");
        }
        assert_eq!(s.instant(), at, "paused on Aleppo's next event");
        assert!(ticks > 1, "played up to it a tenth of a second at a time");
    }

    #[test]
    fn with_reduced_motion_the_instant_jumps_once_a_second_by_a_seconds_worth() {
        let mut s = session();
        let from = t("2016-04-20 12:00");
        s.apply(Command::SetInstant(from));
        s.apply(Command::SetPlayback(crate::playback::Playback {
            speed: crate::playback::Speed::SixHoursPerSecond,
            reduce_motion: true,
            ..Default::default()
        }));
        s.apply(Command::Play(true));
        let tenth = std::time::Duration::from_millis(100);
        for _ in 0..9 {
            s.apply(Command::Tick(tenth));
            assert_eq!(s.instant(), from, "no gliding");
        }
        assert_eq!(s.until_next_hop(), Some(tenth));
        s.apply(Command::Tick(tenth));
        assert_eq!(
            s.instant() - from,
            chrono::Duration::hours(6),
            "one jump of six hours"
        );
    }

    #[test]
    fn play_at_the_end_starts_again_from_the_beginning_and_settings_are_remembered() {
        let mut s = session();
        s.apply(Command::Step(Step::End));
        s.apply(Command::SetInstant(s.engine().span().1));
        s.apply(Command::Play(true));
        assert_eq!(s.instant(), s.engine().span().0);
        assert!(s.playback().playing);
        s.apply(Command::SetPlayback(crate::playback::Playback {
            looping: true,
            ..Default::default()
        }));
        assert!(
            s.playback().playing,
            "changing the speed or looping does not pause"
        );
        let saved = s.remembered();
        let mut next = session();
        next.restore(&saved);
        assert!(
            next.playback().looping && !next.playback().playing,
            "it opens still"
        );
    }

    #[test]
    fn a_zoomed_window_stays_put_while_the_instant_moves_inside_it() {
        let h = |n: i64| t("2016-03-01 00:00") + Duration::hours(n);
        let span = (h(0), h(24 * 60));
        let r = Range::update(None, Window::TwoDays, span, h(500));
        assert_eq!(r.end - r.start, Duration::days(2));
        assert!(r.start <= h(500) && h(500) <= r.end);
        assert_eq!(Range::update(Some(r), Window::TwoDays, span, h(510)), r);
        let moved = Range::update(Some(r), Window::TwoDays, span, h(900));
        assert!(moved.start <= h(900) && h(900) <= moved.end, "recentred");
    }

    #[test]
    fn a_zoomed_window_never_leaves_the_span() {
        let h = |n: i64| t("2016-03-01 00:00") + Duration::hours(n);
        let span = (h(0), h(24 * 30));
        let r = Range::update(None, Window::TwoWeeks, span, h(1));
        assert_eq!(r.start, span.0);
        let all = Range::update(None, Window::All, span, h(1));
        assert_eq!((all.start, all.end), span);
        // A window longer than the span shows the span.
        let short = (h(0), h(24));
        let r = Range::update(None, Window::TwoWeeks, short, h(1));
        assert_eq!((r.start, r.end), short);
    }

    #[test]
    fn an_hour_step_rounds_to_the_hour_first() {
        let noon = t("2016-05-01 12:00");
        let mut s = session();
        s.apply(Command::SetInstant(noon + Duration::minutes(20)));
        s.apply(Command::Step(Step::HourForward));
        assert_eq!(s.instant(), noon + Duration::hours(1));
    }

    #[test]
    fn next_event_steps_within_the_selected_zone() {
        let mut s = session();
        let start = t("2016-04-20 12:00");
        let aleppo = s.engine().dataset().zone_index("aleppo").expect("zone");
        let damascus = s.engine().dataset().zone_index("damascus").expect("zone");
        let time = |e: usize| s.engine().dataset().events[e].moment.utc();
        let in_aleppo = s.engine().next_event(Some(aleppo), start, None).map(time);
        let in_damascus = s.engine().next_event(Some(damascus), start, None).map(time);
        assert_ne!(in_aleppo, in_damascus, "the zones' next events differ");
        for (zone, expected) in [(aleppo, in_aleppo), (damascus, in_damascus)] {
            s.apply(Command::SetInstant(start));
            s.apply(Command::Select(Some(zone)));
            s.apply(Command::Step(Step::NextEvent));
            assert_eq!(Some(s.instant()), expected);
        }
    }

    #[test]
    fn the_instant_stays_inside_the_dataset_span() {
        let mut s = session();
        let (lo, hi) = s.engine().span();
        s.apply(Command::SetInstant(lo - Duration::days(400)));
        assert_eq!(s.instant(), lo);
        s.apply(Command::SetInstant(hi + Duration::days(400)));
        assert_eq!(s.instant(), hi);
        s.apply(Command::Step(Step::DayForward));
        assert_eq!(s.instant(), hi);
    }

    #[test]
    fn day_forward_across_the_march_clock_change_keeps_noon_on_the_local_clock() {
        let mut s = session();
        s.apply(Command::SetInstant(t("2016-03-24 12:00")));
        s.apply(Command::Step(Step::DayForward));
        assert_eq!(s.instant(), t("2016-03-25 12:00"));
        assert_eq!(
            crate::timefmt::instant_label(s.instant(), s.engine().dataset().meta.timezone),
            "Fri 25 Mar 2016, 12:00 Damascus (UTC+3)"
        );
        s.apply(Command::Step(Step::DayBack));
        assert_eq!(s.instant(), t("2016-03-24 12:00"));
    }

    #[test]
    fn start_and_end_go_to_the_first_event_and_the_last_end() {
        let mut s = session();
        s.apply(Command::Step(Step::Start));
        assert_eq!(s.instant(), t("2016-02-27 00:00"));
        s.apply(Command::Step(Step::End));
        assert_eq!(s.instant(), s.engine().extent().1);
    }

    #[test]
    fn clicking_the_selected_zone_again_clears_the_selection() {
        let mut s = session();
        s.apply(Command::ToggleSelect(1));
        assert_eq!(s.selected(), Some(1));
        s.apply(Command::ToggleSelect(1));
        assert_eq!(s.selected(), None);
        s.apply(Command::Select(Some(99)));
        assert_eq!(
            s.selected(),
            None,
            "a zone that does not exist is not selected"
        );
    }

    #[test]
    fn a_broken_folder_keeps_the_current_dataset_and_its_problems() {
        let mut s = session();
        s.apply(Command::Select(Some(3)));
        s.apply(Command::OpenDataset(Some(PathBuf::from(
            "/nonexistent/truce",
        ))));
        assert!(s.load_error().is_some());
        assert_eq!(s.engine().dataset().zones.len(), 4);
        assert_eq!(s.selected(), Some(3));
        assert_eq!(s.generation(), 0, "nothing was opened");
        s.apply(Command::DismissLoadError);
        assert!(s.load_error().is_none());
    }

    #[test]
    fn opening_a_dataset_keeps_the_selection_by_id_when_it_can() {
        let mut s = session();
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/example-minimal");
        s.apply(Command::Select(Some(0)));
        s.apply(Command::OpenDataset(Some(example)));
        assert_eq!(s.generation(), 1);
        assert_eq!(s.selected(), None, "damascus is not in the example");
        let (lo, hi) = s.engine().span();
        assert!(
            lo <= s.instant() && s.instant() <= hi,
            "moved into the new span"
        );
        s.apply(Command::OpenDataset(None));
        assert_eq!(s.generation(), 2);
    }

    #[test]
    fn what_is_remembered_comes_back() {
        let mut s = session();
        s.apply(Command::SetInstant(t("2016-05-03 06:00")));
        s.apply(Command::Select(Some(2)));
        s.apply(Command::SetWindow(Window::TwoWeeks));
        let saved = s.remembered();
        let mut other = session();
        other.restore(&saved);
        assert_eq!(other.remembered(), saved);
        assert_eq!(other.range(), s.range());
    }

    #[test]
    fn adopting_a_dataset_read_elsewhere_is_opening_it_in_two_steps() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/example-minimal");
        let mut direct = session();
        direct.apply(Command::OpenDataset(Some(example.clone())));
        let mut two_steps = session();
        let opened = Opened::read(Some(example));
        two_steps.apply(Command::Adopt(opened));
        assert_eq!(two_steps.generation(), 1);
        assert_eq!(two_steps.data_dir(), direct.data_dir());
        assert_eq!(two_steps.instant(), direct.instant());
        assert_eq!(
            two_steps.engine().dataset().meta.name,
            direct.engine().dataset().meta.name
        );
        // A failure is kept to show, and the dataset stays.
        let broken = Opened::read(Some(PathBuf::from("/nonexistent/dataset")));
        two_steps.apply(Command::Adopt(broken));
        assert!(two_steps.load_error().is_some());
        assert_eq!(two_steps.generation(), 1);
    }

    #[test]
    fn hidden_kinds_are_remembered_and_a_state_saved_before_them_shows_every_kind() {
        let mut s = session();
        assert_eq!(s.kinds(), Kinds::ALL);
        s.apply(Command::ShowKind(EventKind::Statement, false));
        s.apply(Command::ShowKind(EventKind::Talks, false));
        s.apply(Command::ShowKind(EventKind::Talks, true));
        assert!(!s.kinds().shows(EventKind::Statement));
        assert!(s.kinds().shows(EventKind::Talks));
        assert_eq!(s.kinds().count(), EventKind::VARIANTS.len() - 1);
        let text = serde_json::to_string(&s.remembered()).expect("serialises");
        let mut next = session();
        next.restore(&serde_json::from_str(&text).expect("reads back"));
        assert_eq!(next.kinds(), s.kinds());
        let older: Remembered = serde_json::from_str(r#"{"window": "All"}"#).expect("reads");
        assert_eq!(older.kinds, Kinds::ALL);
    }

    #[test]
    fn a_filter_is_set_and_turned_off_without_reloading_and_a_new_dataset_drops_it() {
        let mut s = session();
        let revision = s.revision();
        let filter = Filter {
            sources: Some([0].into()),
            ..Filter::default()
        };
        s.apply(Command::SetFilter(Some(filter.clone())));
        assert_eq!(s.filter(), Some(&filter));
        assert!(s.revision() > revision);
        assert!(s.unfiltered().filter().is_none());
        // A filter that keeps everything is no filter.
        s.apply(Command::SetFilter(Some(Filter::default())));
        assert_eq!(s.filter(), None);
        s.apply(Command::SetFilter(Some(filter)));
        s.apply(Command::OpenDataset(None));
        assert_eq!(s.filter(), None);
        assert!(
            s.notice()
                .is_some_and(|n| n.contains("The filter of sources is off"))
        );
    }

    /// The Syria dataset as a CSV folder in a temporary folder, to edit as a user would.
    fn syria_csv(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("truce-atlas-reload-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let ds = crate::load::load_embedded().expect("loads");
        crate::convert::write(&ds, &dir, crate::convert::Format::Csv).expect("written");
        dir
    }

    fn edit(path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).expect("read");
        assert!(text.contains(from), "{from} in {}", path.display());
        std::fs::write(path, text.replacen(from, to, 1)).expect("write");
    }

    #[test]
    fn a_reload_keeps_what_the_user_looks_at_and_says_when() {
        let dir = syria_csv("keeps");
        let mut s = session();
        s.apply(Command::OpenDataset(Some(dir.clone())));
        assert_eq!(s.opens(), 1);
        s.apply(Command::SetInstant(t("2016-05-03 06:00")));
        s.apply(Command::Select(Some(2)));
        s.apply(Command::SetWindow(Window::TwoWeeks));
        s.apply(Command::SetKnownOn(Some(t("2016-05-04 23:59"))));
        s.apply(Command::ShowKind(EventKind::Talks, false));
        let sources = crate::filter::Filter::from_ids(
            s.engine().dataset(),
            Some("mee-2016-05-04,asharq-2016-05-02"),
            None,
            &[],
        )
        .expect("ids");
        s.apply(Command::SetFilter(Some(sources)));
        let before = (
            s.instant(),
            s.selected(),
            s.window(),
            s.known_on(),
            s.kinds(),
            s.range(),
        );
        // The author renames a zone and drops a source the filter named.
        edit(&dir.join("zones.csv"), "Aleppo", "Aleppo city");
        let at = chrono::NaiveTime::from_hms_opt(14, 2, 31).expect("time");
        s.apply(Command::Reload(Opened::read(Some(dir.clone())), at));
        assert_eq!(
            (
                s.instant(),
                s.selected(),
                s.window(),
                s.known_on(),
                s.kinds(),
                s.range()
            ),
            before
        );
        assert_eq!(s.opens(), 1, "a reload is no new dataset: the camera stays");
        assert_eq!(s.generation(), 2, "but views rebuild");
        assert!(
            s.engine()
                .dataset()
                .zones
                .iter()
                .any(|z| z.name == "Aleppo city")
        );
        assert!(
            s.filter()
                .is_some_and(|f| f.sources.as_ref().is_some_and(|x| x.len() == 2))
        );
        assert_eq!(s.notice(), Some("Reloaded 14:02:31."));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_broken_save_keeps_the_last_good_dataset_and_lists_its_problems() {
        let dir = syria_csv("broken");
        let mut s = session();
        s.apply(Command::OpenDataset(Some(dir.clone())));
        edit(&dir.join("events.csv"), "damascus", "damascsu");
        let at = chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("time");
        s.apply(Command::Reload(Opened::read(Some(dir.clone())), at));
        let problems = s.load_error().map(|e| e.report()).unwrap_or_default();
        assert!(
            problems.contains("unknown zone id \"damascsu\""),
            "{problems}"
        );
        assert_eq!(
            s.engine().dataset().zones.len(),
            4,
            "the last good version stays"
        );
        assert_eq!(s.generation(), 1);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_filter_naming_a_source_that_is_gone_after_a_reload_drops_it_with_a_notice() {
        let dir = syria_csv("gone");
        let mut s = session();
        s.apply(Command::OpenDataset(Some(dir.clone())));
        let ds = s.engine().dataset();
        let first = ds.sources[0].id.clone();
        let last = ds.sources[ds.sources.len() - 1].id.clone();
        let f = crate::filter::Filter::from_ids(ds, Some(&format!("{first},{last}")), None, &[])
            .expect("ids");
        s.apply(Command::SetFilter(Some(f)));
        // The last source and its citations are removed from the files.
        let events = std::fs::read_to_string(dir.join("events.csv")).expect("read");
        let kept: Vec<&str> = events.lines().filter(|l| !l.contains(&last)).collect();
        std::fs::write(dir.join("events.csv"), kept.join("\n")).expect("write");
        let sources = std::fs::read_to_string(dir.join("sources.csv")).expect("read");
        let kept: Vec<&str> = sources.lines().filter(|l| !l.starts_with(&last)).collect();
        std::fs::write(dir.join("sources.csv"), kept.join("\n")).expect("write");
        // The story leans on that source too: it goes, or the dataset would rightly be refused.
        std::fs::remove_file(dir.join(crate::load::STORY_FILE)).ok();
        let at = chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("time");
        s.apply(Command::Reload(Opened::read(Some(dir.clone())), at));
        let reloaded = s.load_error().map(|e| e.report());
        assert_eq!(reloaded, None);
        assert!(
            s.notice()
                .is_some_and(|n| n.contains(&format!("source \"{last}\""))),
            "{:?}",
            s.notice()
        );
        assert!(
            s.filter()
                .is_some_and(|f| f.sources.as_ref().is_some_and(|x| x.len() == 1))
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn reading_the_story_moves_the_view_step_by_step_and_leaving_puts_it_back() {
        let mut s = session();
        s.apply(Command::Select(Some(1)));
        s.apply(Command::ShowKind(EventKind::Talks, false));
        let before = (
            s.instant(),
            s.selected(),
            s.known_on(),
            s.kinds(),
            s.window(),
        );
        let story = s.story().expect("the default story").clone();
        for (k, step) in story.steps.iter().enumerate() {
            s.apply(Command::ReadStory(k));
            assert_eq!(s.reading(), Some(k));
            assert_eq!(s.instant(), step.at, "step {k}");
            assert_eq!(s.selected(), step.zone, "step {k}");
            assert_eq!(s.known_on(), step.known_on, "step {k}");
            assert_eq!(s.window(), step.window, "step {k}");
            assert_eq!(s.filter().is_some(), step.filter.is_some(), "step {k}");
        }
        // Past the last step stays on the last.
        s.apply(Command::ReadStory(story.steps.len() + 3));
        assert_eq!(s.reading(), Some(story.steps.len() - 1));
        s.apply(Command::LeaveStory);
        assert_eq!(s.reading(), None);
        assert_eq!(
            (
                s.instant(),
                s.selected(),
                s.known_on(),
                s.kinds(),
                s.window()
            ),
            before
        );
        assert_eq!(s.filter(), None, "the step's filter is gone with it");
    }

    #[test]
    fn opening_another_dataset_ends_the_story_and_one_without_a_story_cannot_be_read() {
        let mut s = session();
        s.apply(Command::ReadStory(2));
        assert_eq!(s.reading(), Some(2));
        let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/example-minimal");
        s.apply(Command::OpenDataset(Some(example)));
        assert_eq!(s.load_error().map(|e| e.report()), None);
        assert_eq!(s.reading(), None);
        s.apply(Command::ReadStory(0));
        assert_eq!(s.reading(), None, "the example has no story");
    }

    #[test]
    fn a_view_added_as_a_step_keeps_its_instant_zone_filter_and_quotes_and_undo_takes_it_back() {
        let mut s = session();
        let before = s.story().cloned();
        let n = before.as_ref().map_or(0, |st| st.steps.len());
        s.apply(Command::SetInstant(t("2016-05-02 12:00")));
        s.apply(Command::Select(s.engine().dataset().zone_index("aleppo")));
        s.apply(Command::EditStory(StoryEdit::AddView {
            after: Some(0),
            title: "Aleppo on 2 May".into(),
        }));
        let story = s.story().expect("a story").clone();
        assert_eq!(story.steps.len(), n + 1);
        let added = &story.steps[1];
        assert_eq!(added.title, "Aleppo on 2 May");
        assert_eq!(added.at, t("2016-05-02 12:00"));
        assert_eq!(added.zone, s.engine().dataset().zone_index("aleppo"));
        assert!(
            !added.citations.is_empty(),
            "the quotes behind Aleppo's status"
        );
        assert!(s.story_unsaved());
        // Typing is one change; Undo takes back the run, then the step.
        s.apply(Command::EditStory(StoryEdit::SetText(1, "A".into())));
        s.apply(Command::EditStory(StoryEdit::SetText(1, "At".into())));
        s.apply(Command::EditStory(StoryEdit::Undo));
        assert_eq!(
            s.story().map(|st| st.steps[1].text.clone()),
            Some(String::new())
        );
        s.apply(Command::EditStory(StoryEdit::Move { step: 1, up: true }));
        assert_eq!(
            s.story().map(|st| st.steps[0].title.clone()),
            Some("Aleppo on 2 May".into())
        );
        s.apply(Command::EditStory(StoryEdit::Undo));
        s.apply(Command::EditStory(StoryEdit::Delete(1)));
        assert_eq!(
            s.story().cloned(),
            before,
            "deleting the added step puts the story back"
        );
        s.apply(Command::StorySaved);
        assert!(!s.story_unsaved());
    }

    #[test]
    fn deleting_the_step_being_read_reads_the_last_one_left() {
        let mut s = session();
        let n = s.story().map_or(0, |st| st.steps.len());
        s.apply(Command::ReadStory(n - 1));
        s.apply(Command::EditStory(StoryEdit::Delete(n - 1)));
        assert_eq!(s.reading(), Some(n - 2));
    }
}
