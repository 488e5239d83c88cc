//! Edit > Find… (Ctrl+F): one box over the dataset's quotes, speakers, outlets, headlines,
//! actors, notes and zone names ([`crate::search`]), and the events that hold every word, in
//! time order, each with its zone, local time, kind and the words highlighted in context.
//! Enter or a click goes to the event: its instant, and its zone selected.

use chrono::{DateTime, Utc};
use egui::text::LayoutJob;
use egui::{Color32, TextFormat};

use crate::search::{Hit, Index, context};
use crate::session::Session;
use crate::ui::job::{Job, Poll};

/// The label of the search field (tests find it by this).
pub const FIELD_LABEL: &str = "Find";

/// The most results listed; the count says how many there are.
const LISTED: usize = 200;

/// Datasets with at least this many events get their search index built on a worker thread
/// (100,000 events take a third of a second; docs/PERFORMANCE.md).
pub const BACKGROUND_INDEX_FROM_EVENTS: usize = 20_000;

#[derive(Default)]
pub struct SearchBox {
    pub query: String,
    /// Built the first time a search runs on a dataset (the session generation it is for).
    index: Option<(u64, Index)>,
    hits: Vec<Hit>,
    /// The events of `hits`, sorted, for the lanes to mark.
    marked: Vec<usize>,
    /// The query and generation `hits` answer.
    hits_for: Option<(String, u64)>,
    /// The field takes the keyboard when the box opens.
    pub focus: bool,
    /// An index being built on a worker thread, for the session generation it is stamped with.
    building: Option<Job<Index>>,
    /// Big datasets from this many events (tests lower it).
    pub background_from: Option<usize>,
}

/// What the user chose in the box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchAction {
    /// Go to this event: its instant, and its zone selected.
    Go {
        at: DateTime<Utc>,
        zone: Option<usize>,
    },
    Close,
}

impl SearchBox {
    /// Whether the index is being built on a worker thread.
    pub fn indexing(&self) -> bool {
        self.building.is_some()
    }

    /// The index for this dataset, if it is ready: built here for a small dataset, else asked
    /// of a worker thread (and `None` until it is done).
    fn ensure_index(&mut self, session: &Session, ctx: &egui::Context) -> bool {
        let generation = session.generation();
        if self.index.as_ref().is_some_and(|(g, _)| *g == generation) {
            return true;
        }
        let engine = session.engine();
        let from = self.background_from.unwrap_or(BACKGROUND_INDEX_FROM_EVENTS);
        if engine.dataset().events.len() < from {
            self.index = Some((generation, Index::new(engine.dataset())));
            return true;
        }
        if let Some(job) = &self.building {
            match job.poll(generation) {
                Poll::Running => return false,
                Poll::Done(index) => {
                    self.index = Some((generation, index));
                    self.building = None;
                    return true;
                }
                // The worker is gone without an index: build it here rather than never.
                Poll::Died(_) => {
                    self.index = Some((generation, Index::new(engine.dataset())));
                    self.building = None;
                    return true;
                }
                // Built for a dataset since replaced: build again, below.
                Poll::Stale => {}
            }
        }
        let ds = engine.shared_dataset();
        let job = Job::start("Indexing", Some(ctx), move |_| Index::new(&ds));
        self.building = Some(job.for_generation(generation));
        false
    }

    /// The events matching the query, searched again only when the query or dataset changed.
    fn refresh(&mut self, session: &Session, ctx: &egui::Context) {
        let generation = session.generation();
        // Called every frame the box is open: compared in place, copied only when it changed.
        let current = |(q, g): &(String, u64)| *g == generation && *q == self.query;
        if self.hits_for.as_ref().is_some_and(current) {
            return;
        }
        let ds = session.engine().dataset();
        if crate::search::words(&self.query).is_empty() {
            self.hits.clear();
        } else {
            if !self.ensure_index(session, ctx) {
                // Asked again next frame; the worker wakes the window when it is done.
                self.hits.clear();
                self.marked.clear();
                return;
            }
            if let Some((_, index)) = &self.index {
                self.hits = index.search(ds, &self.query);
            }
        }
        self.marked = self.hits.iter().map(|h| h.event).collect();
        self.marked.sort_unstable();
        self.hits_for = Some((self.query.clone(), generation));
    }

    /// The events the results name, sorted: the lanes ring them while the box is open.
    pub fn marked(&self) -> &[usize] {
        &self.marked
    }
}

pub fn show(ctx: &egui::Context, b: &mut SearchBox, session: &Session) -> Option<SearchAction> {
    b.refresh(session, ctx);
    let mut action = None;
    let mut open = true;
    egui::Window::new("Find in quotes, sources and events")
        .collapsible(false)
        .default_width(560.0)
        .open(&mut open)
        .show(ctx, |ui| {
            let label = ui.label(FIELD_LABEL);
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut b.query)
                        .hint_text("words of a quote, a speaker, an outlet, a zone…")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut b.focus) {
                edit.request_focus();
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.weak("Every word must appear; case and accents are ignored.");
            ui.separator();
            if b.indexing() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Indexing the dataset's quotes, sources and events…");
                });
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
            if let Some(go) = results(ui, b, session, enter) {
                action = Some(go);
            }
        });
    if !open {
        action = Some(SearchAction::Close);
    }
    action
}

/// The results list; Enter goes to the first.
fn results(
    ui: &mut egui::Ui,
    b: &SearchBox,
    session: &Session,
    enter: bool,
) -> Option<SearchAction> {
    if crate::search::words(&b.query).is_empty() {
        return None;
    }
    let ds = session.engine().dataset();
    let n = b.hits.len();
    ui.label(match n {
        0 => "No event holds every word.".to_string(),
        1 => "1 event".to_string(),
        n if n > LISTED => format!("{n} events; the first {LISTED} are listed"),
        n => format!("{n} events"),
    });
    let go = |h: &Hit| {
        let e = &ds.events[h.event];
        // The zone shown stays selected if the event concerns it.
        let zone = session
            .selected()
            .filter(|&z| e.concerns(z))
            .or_else(|| e.zones.first().copied());
        SearchAction::Go { at: h.time, zone }
    };
    let mut chosen = enter.then(|| b.hits.first().map(go)).flatten();
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for h in b.hits.iter().take(LISTED) {
                if ui.add(result_button(ui, session, h)).clicked() {
                    chosen = Some(go(h));
                }
            }
        });
    chosen
}

/// One result: its zone, local time and kind, then its first matches with the words marked.
fn result_button(ui: &egui::Ui, session: &Session, h: &Hit) -> egui::Button<'static> {
    let ds = session.engine().dataset();
    let tz = ds.meta.timezone;
    let e = &ds.events[h.event];
    let zones: Vec<&str> = e.zones.iter().map(|&z| ds.zones[z].name.as_str()).collect();
    let style = ui.style();
    let body = egui::TextStyle::Body.resolve(style);
    let ink = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let mark = ui.visuals().selection.bg_fill;
    let mut job = LayoutJob::default();
    let plain = |colour: Color32| TextFormat::simple(body.clone(), colour);
    job.append(
        &format!(
            "{} · {} · {}\n",
            zones.join(", "),
            crate::timefmt::local(h.time, tz).format("%-d %b %Y %H:%M"),
            e.kind.as_str().replace('_', " ")
        ),
        0.0,
        plain(ink),
    );
    for m in h.matches.iter().take(2) {
        let (piece, ranges) = context(&m.text, &m.ranges, 100);
        job.append(&format!("{}: ", m.field.as_str()), 0.0, plain(weak));
        let mut at = 0;
        for (a, b) in ranges {
            if a < at {
                continue;
            }
            job.append(&piece[at..a], 0.0, plain(ink));
            let mut marked = plain(ink);
            marked.background = mark;
            job.append(&piece[a..b], 0.0, marked);
            at = b;
        }
        job.append(&piece[at..], 0.0, plain(ink));
        job.append("\n", 0.0, plain(ink));
    }
    job.wrap.max_width = ui.available_width();
    egui::Button::new(job).frame(false).wrap()
}
