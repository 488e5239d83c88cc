//! Incidents in the window: the files read on a worker thread (with progress and cancel), what
//! the map and the lanes draw of them, worked out when the instant's window changes rather than
//! per frame, the selected zone's comparison in the side panel and an incident's own window.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use crate::incidents::Incidents;
use crate::incidents::view::{Mark, Marks, mark_heard, window};
use crate::model::incidents::{Basis, IncidentSet, SetKind, When};
use crate::present::incidents as words;
use crate::session::{Command, LoadedIncidents, Session};
use crate::ui::job::{Job, Poll};

/// Incident files being read and placed on a worker thread, for one dataset (generation).
pub struct Reading {
    pub paths: Vec<PathBuf>,
    job: Job<LoadedIncidents>,
}

impl Reading {
    /// Reads `paths` for the session's dataset: every file in turn, then places them.
    pub fn start(session: &Session, paths: Vec<PathBuf>, ctx: &egui::Context) -> Reading {
        let generation = session.generation();
        let dataset = session.engine().shared_dataset();
        let cap = crate::load::limits::file_cap();
        let for_thread = paths.clone();
        let what = "Reading the incident files";
        let job = Job::start(what, Some(ctx), move |control| {
            let sizes: Vec<u64> = for_thread
                .iter()
                .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
                .collect();
            let total = sizes.iter().sum::<u64>().max(1);
            let (mut sets, mut problems, mut before) = (Vec::new(), Vec::new(), 0u64);
            for (path, size) in for_thread.iter().zip(&sizes) {
                let mut progress = |read: u64, _: u64| {
                    // Reading is nine tenths of the work; placing the rest.
                    control.report(0.9 * (before + read) as f32 / total as f32);
                    !control.cancelled()
                };
                let tz = dataset.meta.timezone;
                match crate::incidents::import::read_file(path, tz, cap, &mut progress) {
                    Ok(set) => {
                        problems.extend(skipped_words(&set));
                        sets.push(Arc::new(set));
                    }
                    Err(e) => problems.push(format!("{e}.")),
                }
                before += size;
                if control.cancelled() {
                    break;
                }
            }
            let incidents = Arc::new(Incidents::new(&dataset, &sets));
            // Where an incident with no point is drawn: its zone's label point, as the map's.
            let label_points: Vec<(f64, f64)> = dataset
                .zones
                .iter()
                .map(|z| crate::geometry::label_point(&z.geometry))
                .collect();
            let marks = Arc::new(Marks::new(&incidents, &label_points));
            LoadedIncidents {
                generation,
                incidents,
                marks,
                problems,
            }
        })
        .for_generation(generation);
        Reading { paths, job }
    }

    pub fn poll(&self, generation: u64) -> Poll<LoadedIncidents> {
        self.job.poll(generation)
    }

    pub fn progress(&self) -> Option<f32> {
        self.job.progress()
    }

    pub fn cancel(&self) {
        self.job.cancel();
    }
}

/// "acled.csv: 12 rows skipped (line 14, latitude: the latitude is missing; …)."
fn skipped_words(set: &IncidentSet) -> Option<String> {
    let first = set.skipped.first()?;
    let column = if first.column.is_empty() {
        String::new()
    } else {
        format!(", {}", first.column)
    };
    Some(format!(
        "{}: {} rows skipped (the first: line {}{column}: {}); `truce-atlas incidents --incidents {}` lists them.",
        set.name,
        set.skipped_total,
        first.line,
        first.message,
        set.path
            .as_ref()
            .map_or(String::new(), |p| p.display().to_string()),
    ))
}

/// The strip under the menu while files are read: how far, and a way to stop.
pub fn progress_strip(ui: &mut Ui, reading: &Reading) -> bool {
    let mut cancel = false;
    ui.horizontal(|ui| {
        ui.spinner();
        let names: Vec<String> = reading
            .paths
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        ui.label(format!("Reading incidents: {}", names.join(", ")));
        if let Some(done) = reading.progress() {
            ui.add(
                egui::ProgressBar::new(done)
                    .desired_width(160.0)
                    .show_percentage(),
            );
        }
        cancel = ui.button("Cancel").clicked();
    });
    cancel
}

/// The window of days, the "as known on" date and the revision the marks were picked for.
type WindowKey = (
    (i64, i64),
    Option<DateTime<Utc>>,
    u64,
    bool,
    crate::incidents::view::Days,
);

/// A number never given before in this process: a `Shown` made afresh (another dataset) must
/// not reuse the number of marks the map drew for the last one.
fn next_version() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// While the instant moves (a drag, playback, held keys), the marks are picked again once it
/// has rested this long, or at least this often: each new set of marks repaints the whole map,
/// which a software rasteriser pays for by the pixel, and a drag crosses a day every few moves.
const REST: std::time::Duration = std::time::Duration::from_millis(150);
const AT_LEAST_EVERY: std::time::Duration = std::time::Duration::from_millis(3000);

/// What the window draws of the incidents now, kept until what it depends on changes.
#[derive(Default)]
pub struct Shown {
    /// The incidents the marks were made from.
    source: Option<Arc<Incidents>>,
    marks: Arc<Marks>,
    /// The marks of the current window (as known on, heard), and what they were picked for.
    pub in_window: Vec<Mark>,
    /// Numbers each pick of `in_window` (see [`next_version`]): its drawing is made again only then.
    marks_version: u64,
    window_for: Option<WindowKey>,
    /// One line for the layer: "Incidents in the 7 days up to 1 May 2016: 12 marks".
    pub layer_words: String,
    /// The window in words, for the legend.
    pub legend_words: String,
    /// The credit lines of the sets shown.
    pub credits: Vec<String>,
    /// The lanes' incident strips.
    pub strips: Strips,
    /// Zones' words made this window (a screen reader reads them every frame), and for which.
    words: std::cell::RefCell<std::collections::HashMap<usize, Option<String>>>,
    words_for: Option<(WindowKey, usize)>,
    /// When the marks were last picked, the window waiting to be picked and since when, and
    /// how long until that pick is due.
    picked_at: Option<std::time::Instant>,
    pending: Option<(WindowKey, std::time::Instant)>,
    pub wake_in: Option<std::time::Duration>,
}

impl Shown {
    /// Brings the marks and words up to date with the session (cheap when nothing changed).
    pub fn refresh(&mut self, session: &Session, label_points: &[(f64, f64)]) {
        let incidents = session.incidents();
        if self
            .source
            .as_ref()
            .is_none_or(|s| !Arc::ptr_eq(s, incidents))
        {
            self.marks = match session.incident_marks() {
                Some(made) => Arc::clone(made),
                None => Arc::new(Marks::new(incidents, label_points)),
            };
            self.source = Some(Arc::clone(incidents));
            self.window_for = None;
            self.credits = incidents.short_credit().into_iter().collect();
            self.strips = Strips::default();
        }
        let view = session.incident_view();
        let engine = session.engine();
        let tz = engine.dataset().meta.timezone;
        let (at, known_on, revision) = (session.instant(), session.known_on(), session.revision());
        let range = window(at, tz, view.days).unwrap_or((0, 0));
        let key = (range, known_on, revision, view.on_map, view.days);
        // Words depend on the data too: a new set of incidents (its Arc) makes them again.
        let words_key = (key, Arc::as_ptr(incidents) as usize);
        if self.words_for != Some(words_key) {
            self.words.borrow_mut().clear();
            self.words_for = Some(words_key);
        }
        self.wake_in = None;
        if self.window_for != Some(key) {
            // Only the instant moved: once it rests, or every AT_LEAST_EVERY while it moves.
            let moved = self
                .window_for
                .is_some_and(|w| (w.1, w.2, w.3, w.4) == (key.1, key.2, key.3, key.4));
            if moved && let Some(picked) = self.picked_at {
                let since = match self.pending {
                    Some((k, at)) if k == key => at,
                    _ => std::time::Instant::now(),
                };
                self.pending = Some((key, since));
                let (still, lag) = (since.elapsed(), picked.elapsed());
                if still < REST && lag < AT_LEAST_EVERY {
                    self.wake_in = Some((REST - still).min(AT_LEAST_EVERY - lag));
                    return;
                }
            }
            self.pending = None;
            self.picked_at = Some(std::time::Instant::now());
            self.in_window = if view.on_map {
                self.marks
                    .meeting(range)
                    .filter(|m| mark_heard(engine, incidents, m, known_on))
                    .copied()
                    .collect()
            } else {
                Vec::new()
            };
            self.window_for = Some(key);
            self.marks_version = next_version();
            let when = words::window_words(at, tz, view.days);
            self.layer_words = format!("Incidents {when}: {} on the map", self.in_window.len());
            self.legend_words = format!("Incident, {}", view.days.label().to_lowercase());
        }
    }

    /// A zone's incidents over the window in words, for its screen-reader node: asked for only
    /// when a screen reader (or a test) reads the tree.
    pub fn zone_words(&self, session: &Session, zone: usize) -> Option<String> {
        if let Some(kept) = self.words.borrow().get(&zone) {
            return kept.clone();
        }
        let words = self.make_zone_words(session, zone);
        self.words.borrow_mut().insert(zone, words.clone());
        words
    }

    fn make_zone_words(&self, session: &Session, zone: usize) -> Option<String> {
        let view = session.incident_view();
        let (engine, incidents) = (session.engine(), session.incidents());
        let (at, known_on) = (session.instant(), session.known_on());
        words::zone_window_words(engine, incidents, zone, at, known_on, view.days)
    }

    /// "Violence reported during the truce", for a zone's label, where it applies.
    pub fn violence(&self, session: &Session, zone: usize) -> Option<&'static str> {
        if self.marks.is_empty() {
            return None;
        }
        let (engine, incidents) = (session.engine(), session.incidents());
        words::violence_words(
            engine,
            incidents,
            zone,
            session.instant(),
            session.known_on(),
        )
    }

    /// What the map draws of them this frame; the words per zone are made when asked for.
    pub fn input<'a>(
        &'a self,
        zone_words: &'a dyn Fn(usize) -> Option<String>,
        violence: &'a dyn Fn(usize) -> Option<&'static str>,
    ) -> crate::ui::map::IncidentInput<'a> {
        crate::ui::map::IncidentInput {
            marks: &self.in_window,
            marks_version: self.marks_version,
            zone_words,
            violence,
            layer_words: &self.layer_words,
            legend_words: &self.legend_words,
            credits: &self.credits,
        }
    }
}

/// The marks under the pointer in words, beside it.
pub fn mark_tooltip(ui: &Ui, session: &Session, cluster: &crate::ui::map::Cluster) {
    let lines = mark_words(session, cluster);
    ui.response().on_hover_ui_at_pointer(|ui| {
        for (k, line) in lines.iter().enumerate() {
            if k == 0 {
                ui.strong(line);
            } else {
                ui.label(line);
            }
        }
    });
}

/// The selected zone's incidents against its statuses, under its quotes.
pub fn comparison(ui: &mut Ui, session: &Session, zone: usize) {
    let engine = session.engine();
    let incidents = session.incidents();
    let at = session.instant();
    let known_on = session.known_on();
    if let Some(violence) = words::violence_words(engine, incidents, zone, at, known_on) {
        ui.label(RichText::new(format!("⚠ {violence}")).strong());
    }
    let stretches = words::comparison(engine, incidents, zone, known_on);
    if stretches.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.heading("Violence reported");
    ui.weak("Incidents counted in each status interval, against the same length before it. Sets are never added together.");
    if let Some(text) = words::zone_window_words(
        engine,
        incidents,
        zone,
        at,
        known_on,
        session.incident_view().days,
    ) {
        ui.label(text);
    }
    for (head, rest) in stretches {
        ui.add(egui::Label::new(RichText::new(head)).wrap());
        for line in rest {
            ui.add(egui::Label::new(RichText::new(format!("   {line}")).small()).wrap());
        }
    }
    let imported = incidents
        .sets
        .iter()
        .any(|p| p.set.kind != SetKind::Dataset);
    if imported {
        ui.add_space(4.0);
        ui.weak(crate::incidents::doc::IMPORTED_NOTE);
        for c in incidents.credits() {
            ui.weak(format!("Data: {c}"));
        }
    }
}

/// An incident's own window (a mark clicked): what, when, who, and its quote or its source's
/// summary, said as such. `open` is cleared when the window is closed.
pub fn detail_window(ctx: &egui::Context, session: &Session, open: &mut Option<(u16, u32)>) {
    let Some((set, index)) = *open else {
        return;
    };
    let incidents = session.incidents();
    let Some(placed) = incidents.sets.get(set as usize) else {
        *open = None;
        return;
    };
    let Some(incident) = placed.set.incidents.get(index as usize) else {
        *open = None;
        return;
    };
    let s = &placed.set;
    let mut keep = true;
    egui::Window::new(format!("Incident {}", incident.id))
        .id(egui::Id::unique("incident-detail"))
        .open(&mut keep)
        .collapsible(false)
        .default_width(420.0)
        .show(ctx, |ui| {
            ui.strong(describe(s, incident));
            ui.label(when_words(&incident.when));
            let actors: Vec<&str> = incident.actors.iter().map(|&a| s.word(a)).collect();
            if !actors.is_empty() {
                ui.label(format!("Who: {}", actors.join("; ")));
            }
            let place = [s.word(incident.location), s.word(incident.admin1)]
                .into_iter()
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            if !place.is_empty() {
                ui.label(format!("Where: {place}"));
            }
            ui.label(fatality_words(incident.fatalities));
            ui.separator();
            match &incident.basis {
                Basis::Cited {
                    citations, note, ..
                } => {
                    let ds = session.engine().dataset();
                    for c in citations {
                        let source = &ds.sources[c.source];
                        ui.label(RichText::new(format!("“{}”", c.quote)).italics());
                        ui.weak(format!(
                            "{}, {}",
                            source.outlet,
                            source.published.time.format("%-d %B %Y")
                        ));
                    }
                    if let Some(note) = note {
                        ui.weak(note);
                    }
                }
                Basis::Row { line, .. } => {
                    ui.strong(s.kind.summary_label());
                    match crate::incidents::import::summary(s, incident) {
                        Ok(text) => ui.label(text),
                        Err(e) => ui.weak(e),
                    };
                    let source = s.word(incident.source);
                    if !source.is_empty() {
                        ui.weak(format!("Coded from: {source}"));
                    }
                    ui.weak(format!("{}, line {line}. {}", s.name, s.kind.credit()));
                }
            }
        });
    if !keep {
        *open = None;
    }
}

fn describe(s: &IncidentSet, i: &crate::model::incidents::Incident) -> String {
    let (kind, sub) = (s.word(i.kind), s.word(i.sub_kind));
    if sub.is_empty() || sub == kind {
        kind.to_string()
    } else {
        format!("{kind}: {sub}")
    }
}

fn when_words(when: &When) -> String {
    match *when {
        When::Instant(t, _) => t.format("%a %-d %b %Y, %H:%M").to_string(),
        When::Day(d) => d.format("%a %-d %b %Y").to_string(),
        When::Period(a, b) => format!(
            "Some time from {} to {}",
            a.format("%-d %b %Y"),
            b.format("%-d %b %Y")
        ),
    }
}

fn fatality_words(f: crate::model::incidents::Fatalities) -> String {
    let parts: Vec<String> = [("low", f.low), ("best", f.best), ("high", f.high)]
        .into_iter()
        .filter_map(|(name, v)| v.map(|v| format!("{name} {v}")))
        .collect();
    if parts.is_empty() {
        "Deaths: not given".into()
    } else {
        format!("Deaths: {}", parts.join(", "))
    }
}

/// The hovered mark in words, for the tooltip.
pub fn mark_words(session: &Session, cluster: &crate::ui::map::Cluster) -> Vec<String> {
    if cluster.count > 1 {
        let mut line = format!("{} incidents here", cluster.count);
        if cluster.deaths > 0 {
            line.push_str(&format!(", at least {} killed", cluster.deaths));
        }
        return vec![line, "Zoom in to tell them apart".into()];
    }
    let m = cluster.first;
    let incidents = session.incidents();
    let Some(placed) = incidents.sets.get(m.set as usize) else {
        return Vec::new();
    };
    let Some(i) = placed.set.incidents.get(m.index as usize) else {
        return Vec::new();
    };
    let s = &placed.set;
    let mut lines = vec![describe(s, i), when_words(&i.when)];
    let actors: Vec<&str> = i.actors.iter().map(|&a| s.word(a)).collect();
    if !actors.is_empty() {
        lines.push(actors.join("; "));
    }
    lines.push(fatality_words(i.fatalities));
    lines.push(format!("Source: {}", words::set_label(s.kind, &s.name)));
    lines.push(match s.kind {
        SetKind::Dataset => "Click for the quote".into(),
        _ => format!("Click for {}", s.kind.summary_label()),
    });
    lines
}

/// Adopts a finished read, or says it failed; `None` while it runs.
pub fn poll(reading: &Reading, session: &mut Session) -> bool {
    match reading.poll(session.generation()) {
        Poll::Running => false,
        Poll::Done(loaded) => {
            session.apply(Command::AdoptIncidents(loaded));
            true
        }
        Poll::Stale => true,
        Poll::Died(message) => {
            session.tell(message);
            true
        }
    }
}

/// File > Add incident data without a system file picker: the file's path, typed or pasted.
#[derive(Debug, Default)]
pub struct AddDialog {
    pub path: String,
}

/// What the dialog asks for: `Some(Some(path))` to add it, `Some(None)` to close.
pub fn add_dialog(ctx: &egui::Context, dialog: &mut AddDialog) -> Option<Option<PathBuf>> {
    let mut action = None;
    egui::Window::new("Add incident data")
        .collapsible(false)
        .default_width(460.0)
        .show(ctx, |ui| {
            ui.label("An ACLED export or a UCDP GED CSV file, recognised by its header. Its incidents are counted as a set of their own, never added to another set.");
            let label = ui.label("File");
            let field = ui
                .add(egui::TextEdit::singleline(&mut dialog.path).desired_width(420.0))
                .labelled_by(label.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                if ui.button("Add").clicked() || entered {
                    let path = PathBuf::from(dialog.path.trim());
                    action = Some(Some(path));
                }
                if ui.button("Cancel").clicked() {
                    action = Some(None);
                }
            });
        });
    action
}

/// ` --incidents '/abs/acled.csv'` for each file the user added, for the command line that
/// reopens the view (absolute, so that it works from any folder).
pub fn reopen_words(session: &Session) -> String {
    session
        .incident_files()
        .iter()
        .map(|p| {
            let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
            format!(
                " --incidents {}",
                crate::present::shell_word(&p.to_string_lossy())
            )
        })
        .collect()
}

/// The caption's line on incidents while the map shows them: the window and the credits.
pub fn caption_line(session: &Session) -> Option<String> {
    let incidents = session.incidents();
    let view = session.incident_view();
    let any = incidents.sets.iter().any(|p| !p.set.incidents.is_empty());
    if !view.on_map || !any {
        return None;
    }
    let tz = session.engine().dataset().meta.timezone;
    let when = words::window_words(session.instant(), tz, view.days);
    let credits = incidents.credits();
    let data = if credits.is_empty() {
        String::new()
    } else {
        format!(" · data: {}", credits.join("; "))
    };
    Some(format!("Round marks: incidents {when}{data}"))
}

/// What a lane's strip was counted for: the time range shown, the strip's width in points,
/// "as known on" and the session's revision.
type StripKey = (i64, i64, u32, Option<DateTime<Utc>>, u64);

/// The lanes' incident strips, per zone: the day starts of their buckets and each set's counts,
/// counted again only when the range, width or data change (not when the instant moves).
#[derive(Default)]
pub struct Strips {
    kept: std::cell::RefCell<std::collections::HashMap<usize, (StripKey, Arc<Strip>)>>,
}

/// One zone's strip: bucket starts (seconds) and, per set with incidents, the count per bucket.
#[derive(Debug, Default)]
pub struct Strip {
    pub starts: Vec<i64>,
    pub sets: Vec<Vec<u64>>,
}

impl Strips {
    /// The zone's strip for the range shown, `width` points wide (days grouped where they are
    /// narrower than two points).
    pub fn of(&self, session: &Session, zone: usize, width: f32) -> Arc<Strip> {
        let range = session.range();
        let key = (
            range.start.timestamp(),
            range.end.timestamp(),
            width.to_bits(),
            session.known_on(),
            session.revision(),
        );
        if let Some((k, strip)) = self.kept.borrow().get(&zone)
            && *k == key
        {
            return Arc::clone(strip);
        }
        let strip = Arc::new(count_strip(session, zone, width));
        self.kept
            .borrow_mut()
            .insert(zone, (key, Arc::clone(&strip)));
        strip
    }
}

fn count_strip(session: &Session, zone: usize, width: f32) -> Strip {
    let engine = session.engine();
    let tz = engine.dataset().meta.timezone;
    let range = session.range();
    let first = crate::timefmt::local(range.start, tz).date_naive();
    let last = crate::timefmt::local(range.end, tz).date_naive();
    let days = (last - first).num_days().max(0) + 1;
    let per = ((days as f32 * 2.0 / width.max(1.0)).ceil() as i64).max(1);
    let starts: Vec<i64> = (0..=days.div_euclid(per) + 1)
        .filter_map(|k| first.checked_add_signed(chrono::Duration::days(k * per)))
        .filter_map(|d| crate::timefmt::local_day_start(d, tz))
        .map(|t| t.timestamp())
        .collect();
    let incidents = session.incidents();
    let counts =
        crate::incidents::view::per_day(engine, incidents, zone, &starts, session.known_on());
    let sets = incidents
        .sets
        .iter()
        .zip(counts)
        .filter(|(p, _)| !p.set.incidents.is_empty())
        .map(|(_, c)| c)
        .collect();
    Strip { starts, sets }
}
