//! The timeline strip under the slider: one lane per zone with its statuses over time and a
//! marker at each event, on the slider's time axis. For the keyboard the lanes are one stop,
//! with the arrows inside (a [`Cursor`] over lanes and events).

use chrono::{DateTime, Utc};
use egui::{Pos2, Rect, Sense, Stroke, Ui, WidgetInfo, pos2, vec2};

use super::timebar::{Axis, TimeInput};
use crate::calendar::round_to_hour;
use crate::engine::Engine;
use crate::model::EventKind;
use crate::present;
use crate::session::{Command, Kinds, Range, Session};
use crate::ui::commands::Intent;
use crate::ui::script::visual;
use crate::ui::theme;

/// At most this share of the window goes to the lanes; more zones scroll.
const LANES_SHARE: f32 = 0.2;

/// The lanes, the selected zone's first, in a scroll area that builds only the rows in view: the
/// slider above them stays in the window however many zones there are. The lanes are one
/// keyboard stop (see [`Cursor`]). Returns where they are.
pub(super) fn lanes(
    ui: &mut Ui,
    input: &TimeInput<'_>,
    axis: &Axis,
    full: f32,
    out: &mut Vec<Intent>,
) -> Rect {
    let tk = theme::tokens(ui.ctx());
    let session = input.session;
    let rows = Rows::of(session);
    let row_height = tk.sizes.lane_height + 4.0 + strip_height(session);
    let max_height = (ui.ctx().content_rect().height() * LANES_SHARE).max(4.0 * row_height);
    // Asked for outright: a panel sized by its content would otherwise never let it grow.
    let wanted = (rows.count as f32 * row_height).min(max_height);
    let top = ui.cursor().top();
    // Registered before the rows, so that the markers and names drawn over it take the pointer.
    let area = Rect::from_min_size(ui.cursor().min, vec2(full, wanted));
    let keys = keyboard(ui, area, input, rows, out);
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("lanes")
        .max_height(max_height)
        .min_scrolled_height(wanted)
        .auto_shrink([false, true]);
    if let Some(row) = keys.scroll_to {
        // The row the keyboard moved to, in the middle of the view.
        let offset = row as f32 * row_height - (max_height - row_height) / 2.0;
        scroll = scroll.vertical_scroll_offset(offset.max(0.0));
    }
    let output = scroll.show_rows(
        ui,
        row_height - ui.spacing().item_spacing.y,
        rows.count,
        |ui, shown| {
            for row in shown {
                let z = rows.zone(row);
                let focus = keys.focused.filter(|c| c.zone == z);
                lane(ui, input, axis, z, full, focus, out);
            }
        },
    );
    let mut rect = output.inner_rect;
    rect.min.y = top;
    rect
}

/// The order of the lanes: the selected zone's first, then the others in dataset order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rows {
    pub count: usize,
    pub selected: Option<usize>,
    /// The event kinds shown on the lanes: the keyboard cursor steps over the others.
    pub kinds: Kinds,
}

impl Rows {
    pub fn of(session: &Session) -> Rows {
        let count = session.engine().dataset().zones.len();
        Rows {
            count,
            selected: session.selected().filter(|&z| z < count),
            kinds: session.kinds(),
        }
    }

    /// The zone shown in a row.
    pub fn zone(self, row: usize) -> usize {
        match self.selected {
            Some(s) if row == 0 => s,
            Some(s) if row <= s => row - 1,
            _ => row,
        }
    }

    /// The row a zone is shown in.
    pub fn row(self, zone: usize) -> usize {
        match self.selected {
            Some(s) if zone == s => 0,
            Some(s) if zone < s => zone + 1,
            _ => zone,
        }
    }
}

/// Where the keyboard is in the lanes: a zone's lane, and one of its events (none until an
/// arrow picks one). Kept in egui's memory: it is where the user looks, not what they chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub zone: usize,
    pub event: Option<usize>,
}

/// An arrow key inside the lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// ← : the previous event in the lane.
    Earlier,
    /// → : the next event in the lane.
    Later,
    /// ↑ : the lane above, at the event nearest in time.
    Up,
    /// ↓ : the lane below, likewise.
    Down,
}

/// A zone's events of the kinds shown in the range shown, in time order, with their times.
fn events_in(
    engine: &Engine,
    zone: usize,
    range: Range,
    kinds: Kinds,
) -> Vec<(usize, DateTime<Utc>)> {
    let events = &engine.dataset().events;
    engine
        .zone_events(zone)
        .iter()
        .filter(|&&e| kinds.shows(events[e].kind))
        .map(|&e| (e, events[e].moment.utc()))
        .filter(|(_, t)| *t >= range.start && *t <= range.end)
        .collect()
}

impl Cursor {
    /// Where a move takes the cursor. With no event picked, ← and → start from the instant.
    pub fn moved(
        self,
        m: Move,
        engine: &Engine,
        rows: Rows,
        range: Range,
        instant: DateTime<Utc>,
    ) -> Cursor {
        let here = events_in(engine, self.zone, range, rows.kinds);
        let at = here.iter().position(|(e, _)| Some(*e) == self.event);
        let time = at.map_or(instant, |i| here[i].1);
        let pick = |i: Option<usize>| i.map(|i: usize| here[i].0);
        match m {
            Move::Earlier => {
                let i = match at {
                    Some(i) => Some(i.saturating_sub(1)),
                    None => here
                        .iter()
                        .rposition(|(_, t)| *t <= instant)
                        .or((!here.is_empty()).then_some(0)),
                };
                Cursor {
                    event: pick(i).or(self.event),
                    ..self
                }
            }
            Move::Later => {
                let i = match at {
                    Some(i) => Some((i + 1).min(here.len() - 1)),
                    None => here
                        .iter()
                        .position(|(_, t)| *t >= instant)
                        .or(here.len().checked_sub(1)),
                };
                Cursor {
                    event: pick(i).or(self.event),
                    ..self
                }
            }
            Move::Up | Move::Down => {
                let row = rows.row(self.zone);
                let row = if m == Move::Up {
                    row.saturating_sub(1)
                } else {
                    (row + 1).min(rows.count.saturating_sub(1))
                };
                let zone = rows.zone(row);
                // The event nearest in time to where the cursor was (the earlier on a tie).
                let event = events_in(engine, zone, range, rows.kinds)
                    .into_iter()
                    .min_by_key(|(_, t)| (*t - time).num_seconds().unsigned_abs())
                    .map(|(e, _)| e);
                Cursor { zone, event }
            }
        }
    }

    /// The cursor as it stands for this dataset and range: a lane that is gone starts over, an
    /// event out of view is let go.
    fn checked(self, engine: &Engine, rows: Rows, range: Range) -> Cursor {
        if self.zone >= rows.count {
            return Cursor {
                zone: rows.zone(0),
                event: None,
            };
        }
        // Asked every frame: one event looked at, not the lane's list.
        let shown = |e: usize| {
            let ev = &engine.dataset().events[e];
            let t = ev.moment.utc();
            ev.zones.contains(&self.zone) && t >= range.start && t <= range.end
        };
        Cursor {
            event: self.event.filter(|&e| shown(e)),
            ..self
        }
    }

    /// What a screen reader hears on the lanes: the lane, and the event picked.
    pub fn words(self, engine: &Engine) -> String {
        let ds = engine.dataset();
        match self.event {
            Some(e) => present::marker_name(ds, e, self.zone),
            None => format!("Timeline lane: {}", ds.zones[self.zone].name),
        }
    }
}

/// What the keyboard did in the lanes this frame.
struct Keys {
    /// The cursor, while the lanes have the keyboard focus.
    focused: Option<Cursor>,
    /// The row to bring into view.
    scroll_to: Option<usize>,
}

/// The lanes as one Tab stop: the arrows move between events (← →) and lanes (↑ ↓), Enter or
/// Space moves the instant to the event and selects its zone.
fn keyboard(
    ui: &mut Ui,
    area: Rect,
    input: &TimeInput<'_>,
    rows: Rows,
    out: &mut Vec<Intent>,
) -> Keys {
    let id = ui.scope_id().with("event-lanes");
    let response = ui.interact(area, id, Sense::FOCUSABLE);
    let session = input.session;
    let engine = session.engine();
    let (range, instant) = (session.range(), session.instant());
    let stored = ui.data(|d| d.get_temp::<Cursor>(id));
    let start = Cursor {
        zone: rows.zone(0),
        event: None,
    };
    let mut cursor = stored.unwrap_or(start).checked(engine, rows, range);
    let mut scroll_to = None;
    if rows.count > 0 && response.has_focus() {
        let (moves, pick) = ui.input_mut(|i| {
            let mut key = |k| i.consume_key(egui::Modifiers::NONE, k);
            let moves: Vec<Move> = [
                (egui::Key::ArrowLeft, Move::Earlier),
                (egui::Key::ArrowRight, Move::Later),
                (egui::Key::ArrowUp, Move::Up),
                (egui::Key::ArrowDown, Move::Down),
            ]
            .into_iter()
            .filter(|(k, _)| key(*k))
            .map(|(_, m)| m)
            .collect();
            (moves, key(egui::Key::Enter) | key(egui::Key::Space))
        });
        let moved = !moves.is_empty();
        for m in moves {
            cursor = cursor.moved(m, engine, rows, range, instant);
            if matches!(m, Move::Up | Move::Down) {
                scroll_to = Some(rows.row(cursor.zone));
            }
        }
        // Said on the lanes' description, which Orca speaks (it reads no live region here).
        if moved {
            crate::ui::announce::say(ui.ctx(), cursor.words(engine));
        }
        if pick {
            if let Some(e) = cursor.event {
                let t = engine.dataset().events[e].moment.utc();
                out.push(Intent::Session(Command::SetInstant(t)));
            }
            out.push(Intent::Session(Command::Select(Some(cursor.zone))));
        }
    }
    if rows.count > 0 && Some(cursor) != stored {
        ui.data_mut(|d| d.insert_temp(id, cursor));
    }
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Group, true, LANES_LABEL));
    let focused = response.has_focus();
    // The words are made only when a screen reader is listening.
    ui.ctx().accesskit_node_builder(id, |node| {
        node.set_description(LANES_HELP);
        if rows.count > 0 {
            node.set_value(cursor.words(engine));
            // While the keyboard is in the lanes, each move is said.
            if focused {
                node.set_live(egui::accesskit::Live::Polite);
            }
        }
    });
    Keys {
        focused: response.has_focus().then_some(cursor),
        scroll_to,
    }
}

pub const LANES_LABEL: &str = "Event lanes";
const LANES_HELP: &str = "Left and Right move between a lane's events, Up and Down between lanes; Enter moves the instant to the event";

/// One zone's lane: its name (a button that selects it), its statuses over time, and a marker
/// at each of its events.
fn lane(
    ui: &mut Ui,
    input: &TimeInput<'_>,
    axis: &Axis,
    z: usize,
    full: f32,
    focus: Option<Cursor>,
    out: &mut Vec<Intent>,
) {
    let tk = theme::tokens(ui.ctx());
    let session = input.session;
    let zone = &session.engine().dataset().zones[z];
    let height = tk.sizes.lane_height;
    let strip = strip_height(session);
    let (row, _) = ui.allocate_exact_size(vec2(full, height + 4.0 + strip), Sense::hover());
    let name_rect = Rect::from_min_size(row.min, vec2(tk.sizes.label_column - 6.0, height));
    let selected = session.selected() == Some(z);
    // Clicked, not tabbed to: the lanes as a whole are the keyboard's one stop.
    let name = ui.put(
        name_rect,
        egui::Button::selectable(selected, visual(&zone.name))
            .truncate()
            .sense(Sense::CLICK),
    );
    if name
        .on_hover_text(format!("Select {}", zone.name))
        .clicked()
    {
        out.push(Intent::Session(Command::Select(Some(z))));
    }
    let rect = Rect::from_min_max(
        pos2(axis.left, row.top()),
        pos2(axis.right, row.top() + height),
    );
    // Clickable but not a Tab stop: the keyboard moves through the lanes with the arrows.
    let response = ui.interact(rect, ui.scope_id().with(("lane", z)), Sense::CLICK);
    response.widget_info(|| {
        WidgetInfo::labeled(
            egui::Role::Button,
            true,
            format!("Timeline lane: {}", zone.name),
        )
    });
    if selected {
        ui.painter().rect_filled(
            rect.expand2(vec2(4.0, 2.0)),
            3.0,
            ui.visuals().selection.bg_fill.gamma_multiply(0.5),
        );
    }
    paint_lane(ui.painter(), session.engine(), z, axis, rect, input);
    if strip > 0.0 {
        let under = Rect::from_min_size(
            rect.left_bottom() + vec2(0.0, 1.0),
            vec2(rect.width(), strip),
        );
        paint_incident_strip(ui.painter(), input, z, axis, under);
    }
    let marker_clicked = markers(ui, input, axis, z, rect, out);
    if let Some(cursor) = focus {
        paint_focus(ui, axis, rect, cursor, input);
    }
    if !marker_clicked
        && response.clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        let tz = session.engine().dataset().meta.timezone;
        out.push(Intent::Session(Command::SetInstant(round_to_hour(
            axis.time(p.x),
            tz,
        ))));
        out.push(Intent::Session(Command::Select(Some(z))));
    }
}

/// Event markers: each its own button, so a screen reader (and a test) can find it. Returns
/// whether one was clicked.
fn markers(
    ui: &mut Ui,
    input: &TimeInput<'_>,
    axis: &Axis,
    z: usize,
    lane: Rect,
    out: &mut Vec<Intent>,
) -> bool {
    let tk = theme::tokens(ui.ctx());
    let session = input.session;
    let engine = session.engine();
    let range = session.range();
    let mut clicked = false;
    let kinds = session.kinds();
    for &e in engine.zone_events(z) {
        let event = &engine.dataset().events[e];
        let t = event.moment.utc();
        if t < range.start || t > range.end || !kinds.shows(event.kind) {
            continue;
        }
        // The words are made only when asked for (a screen reader, a hover): a frame draws
        // every marker in view, and most are never read.
        let view = || present::event(engine, e, z, session.known_on());
        let at = pos2(axis.x(t), lane.center().y);
        let marker = Rect::from_center_size(at, vec2(10.0, tk.sizes.lane_height));
        let r = ui.interact(marker, ui.scope_id().with(("event", z, e)), Sense::CLICK);
        let marked = input.marked.binary_search(&e).is_ok();
        r.widget_info(|| {
            let mut name = present::marker_name(engine.dataset(), e, z);
            if marked {
                name.push_str(" (found by Find)");
            }
            WidgetInfo::labeled(egui::Role::Button, true, name)
        });
        let known = engine.known(e, session.known_on());
        if marked {
            // A ring round the marker, in the colour of a text selection: found, as in the
            // Find box's highlighted words.
            let ring = Stroke::new(2.5, ui.visuals().selection.stroke.color);
            ui.painter().circle_stroke(at, 9.0, ring);
        }
        paint_marker(ui.painter(), at, event.kind, known, r.hovered());
        // egui's own tooltip check is many lookups, for each of the many markers every frame
        // (and a drag through time is frames); most are not under the pointer.
        let r = if r.hovered() || r.is_tooltip_open() {
            r.on_hover_ui(|ui| marker_tooltip(ui, &view()))
        } else {
            r
        };
        if r.clicked() {
            out.push(Intent::Session(Command::SetInstant(t)));
            out.push(Intent::Session(Command::Select(Some(z))));
            clicked = true;
        }
    }
    clicked
}

/// The keyboard's place: a ring around the lane, and one around the event picked.
fn paint_focus(ui: &Ui, axis: &Axis, lane: Rect, cursor: Cursor, input: &TimeInput<'_>) {
    let tk = theme::tokens(ui.ctx());
    let ring = Stroke::new(2.0, tk.colors.focus_ring);
    let painter = ui.painter();
    painter.rect_stroke(lane.expand(3.0), 3.0, ring, egui::StrokeKind::Outside);
    if let Some(e) = cursor.event {
        let t = input.session.engine().dataset().events[e].moment.utc();
        let at = pos2(axis.x(t), lane.center().y);
        painter.circle_stroke(at, 9.0, Stroke::new(2.5, tk.colors.focus_ring));
    }
}

fn marker_tooltip(ui: &mut Ui, view: &present::EventView) {
    ui.strong(&view.title);
    if let Some(text) = &view.as_reported {
        ui.weak(format!("As reported: {text}"));
    }
    ui.label(&view.by);
    if let Some((quote, outlet)) = &view.lead {
        ui.label(format!("“{}”", crate::text::clip(quote, 280)));
        ui.weak(outlet.as_str());
    }
    if !view.known {
        ui.weak("Not yet reported at the chosen 'as known on' date");
    }
    ui.weak("Click to move the instant here");
}

/// The incident strip's height under each lane: none while it is off or there are no incidents.
fn strip_height(session: &Session) -> f32 {
    let any = session
        .incidents()
        .sets
        .iter()
        .any(|p| !p.set.incidents.is_empty());
    if any && session.incident_view().on_lanes {
        7.0
    } else {
        0.0
    }
}

/// Incidents per local day under a lane, as bars (days grouped where they are narrower than
/// two points), one row per set with incidents: sets are never added together.
fn paint_incident_strip(
    painter: &egui::Painter,
    input: &TimeInput<'_>,
    zone: usize,
    axis: &Axis,
    strip: Rect,
) {
    let tk = theme::tokens(painter.ctx());
    let range = input.session.range();
    let counted = input.strips.of(input.session, zone, strip.width());
    let row = strip.height() / counted.sets.len().max(1) as f32;
    let at = |t: i64| {
        let t = DateTime::from_timestamp(t, 0).unwrap_or(range.start);
        axis.x(t.clamp(range.start, range.end))
    };
    // One mesh for every bar: a long range has hundreds per lane.
    let mut mesh = egui::epaint::Mesh::default();
    for (k, bars) in counted.sets.iter().enumerate() {
        let top = strip.top() + row * k as f32;
        let most = bars.iter().copied().max().unwrap_or(0).max(1) as f32;
        for (i, &n) in bars.iter().enumerate() {
            let (Some(&a), Some(&b)) = (counted.starts.get(i), counted.starts.get(i + 1)) else {
                continue;
            };
            if n == 0 {
                continue;
            }
            let (x0, x1) = (at(a), at(b).max(at(a) + 1.0));
            // At least a third of the row for one incident, full for the lane's busiest day.
            let h = row * (0.35 + 0.65 * n as f32 / most);
            let bar = Rect::from_min_max(pos2(x0, top + row - h), pos2(x1, top + row));
            mesh.add_colored_rect(bar, tk.colors.incident);
        }
    }
    painter.add(egui::Shape::mesh(mesh));
}

fn paint_lane(
    painter: &egui::Painter,
    engine: &Engine,
    zone: usize,
    axis: &Axis,
    lane: Rect,
    input: &TimeInput<'_>,
) {
    let tk = theme::tokens(painter.ctx());
    let colors = tk.colors;
    let range = input.session.range();
    painter.rect_filled(lane, 2.0, colors.lane_background);
    let uv = |r: Rect| {
        let k = tk.sizes.pattern;
        Rect::from_min_max(
            (r.min.to_vec2() / k).to_pos2(),
            (r.max.to_vec2() / k).to_pos2(),
        )
    };
    for interval in engine.timeline(zone, input.session.known_on()) {
        let start = interval.start.unwrap_or(range.start).max(range.start);
        let end = interval.end.unwrap_or(range.end).min(range.end);
        if end <= start {
            continue;
        }
        let rect = Rect::from_min_max(
            pos2(axis.x(start), lane.top()),
            pos2(axis.x(end), lane.bottom()),
        );
        let style = tk.status(interval.resolution.status);
        painter.rect_filled(rect, 0.0, style.fill);
        if let Some(texture) = input.patterns.texture(style.pattern) {
            painter.image(texture, rect, uv(rect), style.ink);
        }
        if interval.resolution.contested {
            painter.image(
                input.patterns.contested(),
                rect,
                uv(rect),
                colors.contested_ink,
            );
        }
        // A thin divider where the status or instrument changes.
        painter.line_segment(
            [rect.left_top(), rect.left_bottom()],
            Stroke::new(1.0, colors.lane_divider),
        );
    }
    paint_after_reports(painter, axis, lane, input);
    painter.rect_stroke(
        lane,
        2.0,
        Stroke::new(1.0, colors.lane_border),
        egui::StrokeKind::Inside,
    );
}

/// Past the last report, dashes over the lane and a line where the reports end: what lies
/// beyond is only as last reported.
fn paint_after_reports(painter: &egui::Painter, axis: &Axis, lane: Rect, input: &TimeInput<'_>) {
    let tk = theme::tokens(painter.ctx());
    let session = input.session;
    let Some(horizon) = session.engine().horizon(session.known_on()) else {
        return;
    };
    let range = session.range();
    if horizon >= range.end {
        return;
    }
    let x = axis.x(horizon.max(range.start));
    let rect = Rect::from_min_max(pos2(x, lane.top()), lane.right_bottom());
    let k = tk.sizes.pattern;
    let uv = Rect::from_min_max(
        (rect.min.to_vec2() / k).to_pos2(),
        (rect.max.to_vec2() / k).to_pos2(),
    );
    let ink = tk.colors.after_reports_ink;
    painter.image(input.patterns.after_reports(), rect, uv, ink);
    if horizon > range.start {
        painter.line_segment(
            [pos2(x, lane.top()), pos2(x, lane.bottom())],
            Stroke::new(1.5, ink),
        );
    }
}

fn paint_marker(painter: &egui::Painter, at: Pos2, kind: EventKind, known: bool, hovered: bool) {
    let tk = theme::tokens(painter.ctx());
    let colors = tk.colors;
    let r = if hovered { 6.5 } else { 5.0 };
    let points = vec![
        at + vec2(0.0, -r),
        at + vec2(r, 0.0),
        at + vec2(0.0, r),
        at + vec2(-r, 0.0),
    ];
    let fill = match (known, kind) {
        (false, _) => colors.marker_unknown,
        (true, EventKind::Statement) => colors.marker_statement,
        (true, _) => colors.marker,
    };
    painter.add(egui::Shape::convex_polygon(
        points,
        fill,
        Stroke::new(1.2, colors.marker_outline),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        crate::default_engine().expect("valid")
    }

    fn all(engine: &Engine) -> Range {
        let (start, end) = engine.span();
        Range { start, end }
    }

    /// The Syria dataset's whole span, its four lanes in dataset order, and Aleppo's index.
    fn four_lanes(engine: &Engine) -> (Range, Rows, usize) {
        let rows = Rows {
            count: 4,
            selected: None,
            kinds: Kinds::ALL,
        };
        let aleppo = engine.dataset().zone_index("aleppo").expect("aleppo");
        (all(engine), rows, aleppo)
    }

    #[test]
    fn rows_and_zones_are_inverse_with_the_selected_zone_first() {
        for count in 1..6 {
            for selected in std::iter::once(None).chain((0..count).map(Some)) {
                let rows = Rows {
                    count,
                    selected,
                    kinds: Kinds::ALL,
                };
                for row in 0..count {
                    assert_eq!(rows.row(rows.zone(row)), row, "{rows:?} row {row}");
                }
                if let Some(s) = selected {
                    assert_eq!(rows.zone(0), s);
                }
            }
        }
    }

    #[test]
    fn left_and_right_walk_a_lanes_events_in_time_order_and_stop_at_its_ends() {
        let engine = engine();
        let (range, rows, aleppo) = four_lanes(&engine);
        let expected = events_in(&engine, aleppo, range, Kinds::ALL);
        assert!(expected.len() > 2);
        let mut cursor = Cursor {
            zone: aleppo,
            event: None,
        };
        let mut seen = Vec::new();
        for _ in 0..expected.len() + 2 {
            cursor = cursor.moved(Move::Later, &engine, rows, range, range.start);
            seen.push(cursor.event.expect("an event"));
        }
        let order: Vec<usize> = expected.iter().map(|(e, _)| *e).collect();
        assert_eq!(seen[..order.len()], order[..]);
        assert_eq!(seen[order.len()..], [order[order.len() - 1]; 2]);
        let back = cursor.moved(Move::Earlier, &engine, rows, range, range.start);
        assert_eq!(back.event, Some(order[order.len() - 2]));
    }

    #[test]
    fn the_first_arrow_starts_from_the_instant() {
        let engine = engine();
        let (range, rows, aleppo) = four_lanes(&engine);
        let events = events_in(&engine, aleppo, range, Kinds::ALL);
        let (third, t) = events[2];
        let start = Cursor {
            zone: aleppo,
            event: None,
        };
        let later = start.moved(Move::Later, &engine, rows, range, t);
        assert_eq!(
            later.event,
            Some(third),
            "→ from an event's own time picks it"
        );
        let just_after = t + chrono::Duration::minutes(1);
        let earlier = start.moved(Move::Earlier, &engine, rows, range, just_after);
        assert_eq!(earlier.event, Some(third));
    }

    #[test]
    fn the_cursor_steps_over_the_kinds_of_event_hidden_on_the_lanes() {
        let engine = engine();
        let (range, rows, aleppo) = four_lanes(&engine);
        let kinds = Kinds::ALL.with(crate::model::EventKind::Statement, false);
        let rows = Rows { kinds, ..rows };
        let shown = events_in(&engine, aleppo, range, kinds);
        let all = events_in(&engine, aleppo, range, Kinds::ALL);
        assert!(shown.len() < all.len(), "Aleppo has statements");
        let mut cursor = Cursor {
            zone: aleppo,
            event: None,
        };
        let mut visited = Vec::new();
        for _ in 0..all.len() {
            cursor = cursor.moved(Move::Later, &engine, rows, range, range.start);
            visited.extend(cursor.event);
        }
        for e in visited {
            let kind = engine.dataset().events[e].kind;
            assert_ne!(kind, crate::model::EventKind::Statement);
        }
    }

    #[test]
    fn up_and_down_change_lane_and_keep_to_the_nearest_time() {
        let engine = engine();
        let range = all(&engine);
        let aleppo = engine.dataset().zone_index("aleppo").expect("aleppo");
        let rows = Rows {
            count: 4,
            selected: Some(aleppo),
            kinds: Kinds::ALL,
        };
        let events = events_in(&engine, aleppo, range, Kinds::ALL);
        let (first, t) = events[0];
        let cursor = Cursor {
            zone: aleppo,
            event: Some(first),
        };
        let down = cursor.moved(Move::Down, &engine, rows, range, range.start);
        assert_eq!(down.zone, rows.zone(1));
        let theirs = events_in(&engine, down.zone, range, Kinds::ALL);
        let gap = |e: usize| {
            let (_, at) = theirs.iter().find(|(x, _)| *x == e).expect("in the lane");
            (*at - t).num_seconds().abs()
        };
        let best = theirs.iter().map(|(e, _)| gap(*e)).min().expect("events");
        assert_eq!(gap(down.event.expect("an event")), best);
        let up = cursor.moved(Move::Up, &engine, rows, range, range.start);
        assert_eq!(up.zone, aleppo, "the top lane stays the top lane");
    }

    #[test]
    fn a_cursor_on_an_event_out_of_the_range_lets_it_go_and_one_past_the_zones_starts_over() {
        let engine = engine();
        let rows = Rows {
            count: 4,
            selected: None,
            kinds: Kinds::ALL,
        };
        let first = events_in(&engine, 0, all(&engine), Kinds::ALL)[0];
        let later = Range {
            start: first.1 + chrono::Duration::seconds(1),
            end: engine.span().1,
        };
        let on_it = Cursor {
            zone: 0,
            event: Some(first.0),
        };
        assert_eq!(on_it.checked(&engine, rows, later).event, None);
        let gone = Cursor {
            zone: 9,
            event: Some(first.0),
        };
        assert_eq!(
            gone.checked(&engine, rows, later),
            Cursor {
                zone: 0,
                event: None
            }
        );
    }
}
