//! The time controls under the map: buttons and a field to set the instant, a time slider with
//! a tick at every event, and the timeline strip (one lane per zone) on the same time axis, so
//! that a tick, a lane change and the cursor line up exactly. Each function pushes what the
//! user asked for as [`Intent`]s and changes nothing itself.

use chrono::{DateTime, Utc};
use egui::{Align2, FontId, Pos2, Rect, Response, Sense, Stroke, Ui, WidgetInfo, pos2, vec2};

use crate::calendar::round_to_hour;
use crate::engine::Engine;
use crate::model::EventKind;
use crate::present;
use crate::session::{Command, Range, Session, Window};
use crate::timefmt::{instant_label, parse_user_time};
use crate::ui::commands::{Intent, UiCommand};
use crate::ui::script::visual;
use crate::ui::theme::{self, Patterns};

/// The slider's accessible value: hours since 1970-01-01T00:00Z.
pub fn slider_value(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 / 3600.0
}

fn from_slider_value(v: f64) -> Option<DateTime<Utc>> {
    if !v.is_finite() {
        return None;
    }
    chrono::TimeZone::timestamp_opt(&Utc, (v * 3600.0).round() as i64, 0).single()
}

pub const SLIDER_LABEL: &str = "Instant";
pub const GO_TO_LABEL: &str = "Go to time";

/// Maps time to x over a strip of the screen.
#[derive(Clone, Copy)]
struct Axis {
    range: Range,
    left: f32,
    right: f32,
}

impl Axis {
    fn x(&self, t: DateTime<Utc>) -> f32 {
        self.left + self.range.fraction(t) * (self.right - self.left)
    }
    fn time(&self, x: f32) -> DateTime<Utc> {
        self.range
            .time_at((x - self.left) / (self.right - self.left).max(1.0))
    }
}

/// The text of the go-to field, and what was wrong with it.
#[derive(Debug, Default)]
pub struct GoTo {
    pub text: String,
    pub error: Option<String>,
}

pub struct TimeInput<'a> {
    pub session: &'a Session,
    pub patterns: &'a Patterns,
}

fn command_button(
    ui: &mut Ui,
    input: &TimeInput<'_>,
    command: UiCommand,
    text: &str,
    out: &mut Vec<Intent>,
) {
    let tip = command.tooltip_with_shortcut(ui.ctx());
    let response = ui.button(text).on_hover_text(tip);
    // Named by the command's words: "⏮" alone says nothing to a screen reader.
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, command.text()));
    if response.clicked() {
        out.push(command.intent(input.session));
    }
}

/// The row of buttons, the go-to field and the time-window choice.
pub fn controls(ui: &mut Ui, input: &TimeInput<'_>, go_to: &mut GoTo, out: &mut Vec<Intent>) {
    let session = input.session;
    let tz = session.engine().dataset().meta.timezone;
    // Two groups: the stepping buttons, then the go-to field and the window choice. The second
    // moves to a row of its own when it would not fit beside the first (its width is last
    // frame's), so no row is wider than the window: that would also push the lanes below past
    // the window's edge.
    let rest_id = ui.scope_id().with("time-controls-rest");
    ui.horizontal_wrapped(|ui| {
        ui.horizontal(|ui| stepping(ui, input, out));
        let rest_width = ui.data(|d| d.get_temp::<f32>(rest_id)).unwrap_or(480.0);
        if ui.available_size_before_wrap().x < rest_width + 16.0 {
            ui.end_row();
        } else {
            ui.separator();
        }
        let rest = ui.horizontal(|ui| {
            go_to_field(ui, tz, go_to, out);
            ui.separator();
            window_choice(ui, session, out);
        });
        let width = rest.response.rect.width();
        ui.data_mut(|d| d.insert_temp(rest_id, width));
    });
    if let Some(e) = &go_to.error {
        ui.colored_label(ui.visuals().error_fg_color, e.as_str());
    }
}

fn stepping(ui: &mut Ui, input: &TimeInput<'_>, out: &mut Vec<Intent>) {
    let tk = theme::tokens(ui.ctx());
    let tz = input.session.engine().dataset().meta.timezone;
    command_button(ui, input, UiCommand::GoToStart, "⏮", out);
    command_button(ui, input, UiCommand::PreviousEvent, "◀ Event", out);
    command_button(ui, input, UiCommand::DayBack, "◀ Day", out);
    command_button(ui, input, UiCommand::HourBack, "◀ Hour", out);
    ui.add_space(6.0);
    ui.label(
        egui::RichText::new(instant_label(input.session.instant(), tz))
            .strong()
            .size(tk.text.instant),
    );
    ui.add_space(6.0);
    command_button(ui, input, UiCommand::HourForward, "Hour ▶", out);
    command_button(ui, input, UiCommand::DayForward, "Day ▶", out);
    command_button(ui, input, UiCommand::NextEvent, "Event ▶", out);
    command_button(ui, input, UiCommand::GoToEnd, "⏭", out);
}

fn window_choice(ui: &mut Ui, session: &Session, out: &mut Vec<Intent>) {
    ui.label("Show");
    for &w in Window::all() {
        let chosen = ui
            .selectable_label(session.window() == w, w.label())
            .on_hover_text(w.tooltip());
        if chosen.clicked() {
            out.push(Intent::Session(Command::SetWindow(w)));
        }
    }
}

fn go_to_field(ui: &mut Ui, tz: chrono_tz::Tz, go_to: &mut GoTo, out: &mut Vec<Intent>) {
    let label = ui.label("Go to");
    let edit = ui.add(
        egui::TextEdit::singleline(&mut go_to.text)
            .hint_text("2016-05-01 12:00")
            .desired_width(170.0),
    );
    let edit = edit.labelled_by(label.id).on_hover_text(format!(
        "A local time in {} (2016-05-01 12:00), or RFC 3339 with an offset; Enter to go",
        tz.name()
    ));
    let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let go = ui
        .button("Go")
        .on_hover_text("Move the instant to the time typed")
        .clicked();
    if go || entered {
        match parse_user_time(&go_to.text, tz) {
            Ok(t) => {
                out.push(Intent::Session(Command::SetInstant(t)));
                go_to.error = None;
            }
            Err(e) => go_to.error = Some(e),
        }
    }
    if let Some(e) = &go_to.error {
        ui.colored_label(ui.visuals().error_fg_color, "⚠")
            .on_hover_text(e.as_str());
    }
}

/// The time slider and the lanes.
pub fn timeline(ui: &mut Ui, input: &TimeInput<'_>, out: &mut Vec<Intent>) {
    let tk = theme::tokens(ui.ctx());
    let full = ui.available_width();
    let left = ui.cursor().left() + tk.sizes.label_column;
    let axis = Axis {
        range: input.session.range(),
        left: left + 8.0,
        right: ui.cursor().left() + full - 8.0,
    };
    let slider_rect = slider(ui, input, &axis, full, out);
    let lanes = lanes(ui, input, &axis, full, out);
    // The cursor through the slider and every lane in view.
    let x = axis.x(input.session.instant());
    if (axis.left..=axis.right).contains(&x) {
        ui.painter().line_segment(
            [pos2(x, slider_rect.top() + 4.0), pos2(x, lanes.bottom())],
            Stroke::new(2.0, tk.colors.cursor),
        );
    }
}

/// At most this share of the window goes to the lanes; more zones scroll.
const LANES_SHARE: f32 = 0.2;

/// The lanes, the selected zone's first, in a scroll area that builds only the rows in view: the
/// slider above them stays in the window however many zones there are. Returns where they are.
fn lanes(
    ui: &mut Ui,
    input: &TimeInput<'_>,
    axis: &Axis,
    full: f32,
    out: &mut Vec<Intent>,
) -> Rect {
    let tk = theme::tokens(ui.ctx());
    let zones = input.session.engine().dataset().zones.len();
    let selected = input.session.selected().filter(|&z| z < zones);
    let order = |row: usize| match selected {
        Some(s) if row == 0 => s,
        Some(s) if row <= s => row - 1,
        _ => row,
    };
    let row_height = tk.sizes.lane_height + 4.0;
    let max_height = (ui.ctx().content_rect().height() * LANES_SHARE).max(4.0 * row_height);
    // Asked for outright: a panel sized by its content would otherwise never let it grow.
    let wanted = (zones as f32 * row_height).min(max_height);
    let top = ui.cursor().top();
    let output = egui::ScrollArea::vertical()
        .id_salt("lanes")
        .max_height(max_height)
        .min_scrolled_height(wanted)
        .auto_shrink([false, true])
        .show_rows(
            ui,
            row_height - ui.spacing().item_spacing.y,
            zones,
            |ui, rows| {
                for row in rows {
                    lane(ui, input, axis, order(row), full, out);
                }
            },
        );
    let mut rect = output.inner_rect;
    rect.min.y = top;
    rect
}

/// The slider: drag or click to set the instant; arrows step an hour while it has focus. It is
/// an accessible slider whose value is hours since 1970, settable by assistive technology.
fn slider(
    ui: &mut Ui,
    input: &TimeInput<'_>,
    axis: &Axis,
    full: f32,
    out: &mut Vec<Intent>,
) -> Rect {
    let tk = theme::tokens(ui.ctx());
    let session = input.session;
    let tz = session.engine().dataset().meta.timezone;
    let (row, _) = ui.allocate_exact_size(vec2(full, 40.0), Sense::hover());
    let rect = Rect::from_min_max(pos2(axis.left - 8.0, row.top()), row.right_bottom());
    let id = ui.scope_id().with("instant-slider");
    crate::ui::commands::Region::Time.anchor(ui.ctx(), id);
    let response = ui.interact(rect, id, Sense::click_and_drag());
    let value = slider_value(session.instant());
    response.widget_info(|| WidgetInfo::slider(true, value, SLIDER_LABEL));
    let range = session.range();
    let (lo, hi) = (slider_value(range.start), slider_value(range.end));
    ui.ctx().accesskit_node_builder(id, |node| {
        use egui::accesskit::Action;
        node.set_min_numeric_value(lo);
        node.set_max_numeric_value(hi);
        node.set_numeric_value_step(1.0);
        // Read out as a date and time, not as hours since 1970: as the value text, and as the
        // description for AT-SPI versions that do not pass a value text on.
        let words = crate::timefmt::instant_words(session.instant(), tz);
        node.set_description(words.clone());
        node.set_value(words);
        node.add_action(Action::SetValue);
        node.add_action(Action::Increment);
        node.add_action(Action::Decrement);
    });
    let set = |t: DateTime<Utc>| Intent::Session(Command::SetInstant(t));
    if let Some(v) = accessible_request(ui, id, value).and_then(from_slider_value) {
        out.push(set(v.clamp(range.start, range.end)));
    }
    if let Some(p) = response.interact_pointer_pos()
        && (response.dragged() || response.clicked())
    {
        out.push(set(round_to_hour(axis.time(p.x), tz)));
    }
    if let Some(t) = focused_step(ui, &response, session.instant(), tz) {
        out.push(set(t));
    }
    let painter = ui.painter();
    paint_slider(painter, ui, axis, rect, input, response.has_focus());
    painter.text(
        pos2(row.left() + 4.0, rect.center().y),
        Align2::LEFT_CENTER,
        SLIDER_LABEL,
        FontId::proportional(tk.text.slider_label),
        ui.visuals().text_color(),
    );
    rect
}

/// A value set, or steps taken, by assistive technology this frame.
fn accessible_request(ui: &Ui, id: egui::Id, value: f64) -> Option<f64> {
    ui.input(|i| {
        use egui::accesskit::{Action, ActionData};
        let set = i
            .accesskit_action_requests(id, Action::SetValue)
            .filter_map(|r| match r.data {
                Some(ActionData::NumericValue(v)) => Some(v),
                _ => None,
            })
            .last();
        let steps = i.num_accesskit_action_requests(id, Action::Increment) as f64
            - i.num_accesskit_action_requests(id, Action::Decrement) as f64;
        set.or((steps != 0.0).then_some(value + steps))
    })
}

/// Focused, the arrows step the slider by an hour (the global arrows step by event).
fn focused_step(
    ui: &Ui,
    response: &Response,
    instant: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> Option<DateTime<Utc>> {
    if !response.has_focus() {
        return None;
    }
    let (dec, inc) = ui.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowLeft),
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowRight),
        )
    });
    let hour = chrono::Duration::hours(1);
    let base = round_to_hour(instant, tz);
    match (dec, inc) {
        (true, false) => base.checked_sub_signed(hour),
        (false, true) => base.checked_add_signed(hour),
        _ => None,
    }
}

fn paint_slider(
    painter: &egui::Painter,
    ui: &Ui,
    axis: &Axis,
    rect: Rect,
    input: &TimeInput<'_>,
    focused: bool,
) {
    let tk = theme::tokens(ui.ctx());
    let visuals = ui.visuals();
    let rail_y = rect.top() + 12.0;
    let rail = Rect::from_min_max(
        pos2(axis.left, rail_y - 3.0),
        pos2(axis.right, rail_y + 3.0),
    );
    painter.rect_filled(rail, 3.0, visuals.widgets.inactive.bg_fill);
    let engine = input.session.engine();
    let range = input.session.range();
    // Ticks and labels at local midnights, months or years, as the range needs; the work is
    // proportional to the marks drawn, not to the days in the range.
    let tz = engine.dataset().meta.timezone;
    let text = visuals.weak_text_color();
    for mark in crate::axis::marks(range.start, range.end, axis.right - axis.left, tz) {
        let x = axis.x(mark.at);
        let h = match (&mark.label, mark.hour) {
            (Some(_), _) => 7.0,
            (None, true) => 3.0,
            (None, false) => 4.0,
        };
        painter.line_segment(
            [pos2(x, rail_y + 4.0), pos2(x, rail_y + 4.0 + h)],
            Stroke::new(1.0, text),
        );
        if let Some(label) = mark.label {
            painter.text(
                pos2(x, rail_y + 12.0),
                Align2::CENTER_TOP,
                label,
                FontId::proportional(tk.text.small),
                text,
            );
        }
    }
    // A tick above the rail at every event; where events crowd, one per pixel column.
    let events = &engine.dataset().events;
    let mut last_column = None;
    for &e in engine.events_between(range.start, range.end) {
        let x = axis.x(events[e].moment.utc());
        let column = Some(x.round() as i32);
        if column == last_column {
            continue;
        }
        last_column = column;
        painter.line_segment(
            [pos2(x, rail_y - 9.0), pos2(x, rail_y - 3.0)],
            Stroke::new(1.5, visuals.strong_text_color()),
        );
    }
    let x = axis.x(input.session.instant()).clamp(axis.left, axis.right);
    let handle = pos2(x, rail_y);
    let colors = tk.colors;
    painter.circle(
        handle,
        8.0,
        colors.cursor,
        Stroke::new(2.0, colors.cursor_ring),
    );
    if focused {
        painter.circle_stroke(handle, 11.0, visuals.selection.stroke);
    }
}

/// One zone's lane: its name (a button that selects it), its statuses over time, and a marker
/// at each of its events.
fn lane(
    ui: &mut Ui,
    input: &TimeInput<'_>,
    axis: &Axis,
    z: usize,
    full: f32,
    out: &mut Vec<Intent>,
) {
    let tk = theme::tokens(ui.ctx());
    let session = input.session;
    let zone = &session.engine().dataset().zones[z];
    let height = tk.sizes.lane_height;
    let (row, _) = ui.allocate_exact_size(vec2(full, height + 4.0), Sense::hover());
    let name_rect = Rect::from_min_size(row.min, vec2(tk.sizes.label_column - 6.0, height));
    let selected = session.selected() == Some(z);
    let name = ui.put(
        name_rect,
        egui::Button::selectable(selected, visual(&zone.name)).truncate(),
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
    // Clickable but not a Tab stop: the zone's name button is the lane's one stop, and its
    // events are in the side panel's list, so Tab reaches the side panel in a few presses.
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
    let marker_clicked = markers(ui, input, axis, z, rect, out);
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
    for &e in engine.zone_events(z) {
        let t = engine.dataset().events[e].moment.utc();
        if t < range.start || t > range.end {
            continue;
        }
        // The words are made only when asked for (a screen reader, a hover): a frame draws
        // every marker in view, and most are never read.
        let view = || present::event(engine, e, z, session.known_on());
        let at = pos2(axis.x(t), lane.center().y);
        let marker = Rect::from_center_size(at, vec2(10.0, tk.sizes.lane_height));
        let r = ui.interact(marker, ui.scope_id().with(("event", z, e)), Sense::CLICK);
        r.widget_info(|| {
            let name = present::marker_name(engine.dataset(), e, z);
            WidgetInfo::labeled(egui::Role::Button, true, name)
        });
        let event = &engine.dataset().events[e];
        let known = event.known_by(session.known_on());
        paint_marker(ui.painter(), at, event.kind, known, r.hovered());
        let r = r.on_hover_ui(|ui| marker_tooltip(ui, &view()));
        if r.clicked() {
            out.push(Intent::Session(Command::SetInstant(t)));
            out.push(Intent::Session(Command::Select(Some(z))));
            clicked = true;
        }
    }
    clicked
}

fn marker_tooltip(ui: &mut Ui, view: &present::EventView) {
    ui.strong(&view.title);
    if let Some(text) = &view.as_reported {
        ui.weak(format!("As reported: {text}"));
    }
    ui.label(&view.by);
    if let Some((quote, outlet)) = &view.lead {
        ui.label(format!("“{}”", crate::report::clip(quote, 280)));
        ui.weak(outlet.as_str());
    }
    if !view.known {
        ui.weak("Not yet reported at the chosen 'as known on' date");
    }
    ui.weak("Click to move the instant here");
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

    #[test]
    fn the_slider_value_is_hours_since_the_epoch() {
        let noon = "2016-05-01T09:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("valid");
        assert_eq!(from_slider_value(slider_value(noon)), Some(noon));
        assert_eq!(from_slider_value(f64::NAN), None);
        assert_eq!(from_slider_value(1e300), None);
    }
}
