//! The time controls under the map: buttons and a field to set the instant, a time slider with
//! a tick at every event, and the timeline strip (one lane per zone) on the same time axis, so
//! that a tick, a lane change and the cursor line up exactly.

use chrono::{DateTime, Duration, TimeZone, Utc};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Ui, WidgetInfo, pos2, vec2};

use crate::engine::Engine;
use crate::model::EventKind;
use crate::timefmt::{instant_label, moment_label};
use crate::ui::commands::Command;
use crate::ui::theme::{self, Patterns};

/// What stretch of time the slider and the lanes show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Window {
    /// The dataset's whole span.
    #[default]
    All,
    TwoWeeks,
    TwoDays,
}

impl Window {
    pub const ALL: [Window; 3] = [Window::All, Window::TwoWeeks, Window::TwoDays];

    pub fn label(self) -> &'static str {
        match self {
            Window::All => "All",
            Window::TwoWeeks => "2 weeks",
            Window::TwoDays => "2 days",
        }
    }

    fn length(self) -> Option<Duration> {
        match self {
            Window::All => None,
            Window::TwoWeeks => Some(Duration::days(14)),
            Window::TwoDays => Some(Duration::days(2)),
        }
    }
}

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
        let Some(length) = window.length() else {
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

    fn fraction(&self, t: DateTime<Utc>) -> f32 {
        let total = (self.end - self.start).num_seconds().max(1) as f64;
        ((t - self.start).num_seconds() as f64 / total) as f32
    }

    fn time_at(&self, fraction: f32) -> DateTime<Utc> {
        let total = (self.end - self.start).num_seconds() as f64;
        self.start + Duration::seconds((f64::from(fraction.clamp(0.0, 1.0)) * total).round() as i64)
    }
}

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

/// The slider moves in whole hours.
pub fn round_to_hour(t: DateTime<Utc>) -> DateTime<Utc> {
    let secs = t.timestamp();
    let hour = (secs + 1800).div_euclid(3600) * 3600;
    Utc.timestamp_opt(hour, 0).single().unwrap_or(t)
}

/// The slider's accessible value: hours since 1970-01-01T00:00Z.
pub fn slider_value(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 / 3600.0
}

fn from_slider_value(v: f64) -> Option<DateTime<Utc>> {
    if !v.is_finite() {
        return None;
    }
    Utc.timestamp_opt((v * 3600.0).round() as i64, 0).single()
}

pub const SLIDER_LABEL: &str = "Instant";
pub const GO_TO_LABEL: &str = "Go to time";
const LABEL_COLUMN: f32 = 150.0;
const LANE_HEIGHT: f32 = 20.0;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TimeOutcome {
    pub instant: Option<DateTime<Utc>>,
    pub select: Option<usize>,
    pub command: Option<Command>,
}

pub struct TimeInput<'a> {
    pub engine: &'a Engine,
    pub instant: DateTime<Utc>,
    pub known_on: Option<DateTime<Utc>>,
    pub selected: Option<usize>,
    pub range: Range,
    pub patterns: &'a Patterns,
}

fn command_button(ui: &mut Ui, command: Command, text: &str, out: &mut TimeOutcome) {
    let mut tip = command.tooltip().to_string();
    if let Some(s) = command.shortcut_text(ui.ctx()) {
        tip.push_str(&format!(" ({s})"));
    }
    if ui.button(text).on_hover_text(tip).clicked() {
        out.command = Some(command);
    }
}

/// The row of buttons and the go-to field. Returns what the user asked for.
pub fn controls(
    ui: &mut Ui,
    input: &TimeInput<'_>,
    go_to: &mut String,
    go_to_error: &mut Option<String>,
    window: &mut Window,
) -> TimeOutcome {
    let mut out = TimeOutcome::default();
    let tz = input.engine.dataset().meta.timezone;
    ui.horizontal(|ui| {
        command_button(ui, Command::GoToStart, "⏮", &mut out);
        command_button(ui, Command::PreviousEvent, "◀ Event", &mut out);
        command_button(ui, Command::DayBack, "◀ Day", &mut out);
        command_button(ui, Command::HourBack, "◀ Hour", &mut out);
        ui.add_space(6.0);
        ui.label(
            egui::RichText::new(instant_label(input.instant, tz))
                .strong()
                .size(16.0),
        );
        ui.add_space(6.0);
        command_button(ui, Command::HourForward, "Hour ▶", &mut out);
        command_button(ui, Command::DayForward, "Day ▶", &mut out);
        command_button(ui, Command::NextEvent, "Event ▶", &mut out);
        command_button(ui, Command::GoToEnd, "⏭", &mut out);
        ui.separator();
        let label = ui.label("Go to");
        let edit = ui.add(
            egui::TextEdit::singleline(go_to)
                .hint_text("2016-05-01 12:00")
                .desired_width(170.0),
        );
        let edit = edit.labelled_by(label.id).on_hover_text(format!(
            "A local time in {} (2016-05-01 12:00), or RFC 3339 with an offset; Enter to go",
            tz.name()
        ));
        let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui
            .button("Go")
            .on_hover_text("Move the instant to the time typed")
            .clicked()
            || entered
        {
            match crate::timefmt::parse_user_time(go_to, tz) {
                Ok(t) => {
                    out.instant = Some(t);
                    *go_to_error = None;
                }
                Err(e) => *go_to_error = Some(e),
            }
        }
        if let Some(e) = go_to_error {
            ui.colored_label(ui.visuals().error_fg_color, "⚠")
                .on_hover_text(e.as_str());
        }
        ui.separator();
        ui.label("Show");
        for w in Window::ALL {
            ui.selectable_value(window, w, w.label())
                .on_hover_text(format!(
                    "Time axis: {}",
                    match w {
                        Window::All => "the dataset's whole span",
                        Window::TwoWeeks => "two weeks around the instant",
                        Window::TwoDays => "two days around the instant",
                    }
                ));
        }
    });
    if let Some(e) = go_to_error {
        ui.colored_label(ui.visuals().error_fg_color, e.as_str());
    }
    out
}

/// The time slider and the lanes. Returns what the user asked for.
pub fn timeline(ui: &mut Ui, input: &TimeInput<'_>) -> TimeOutcome {
    let mut out = TimeOutcome::default();
    let engine = input.engine;
    let ds = engine.dataset();
    let full = ui.available_width();
    let left = ui.cursor().left() + LABEL_COLUMN;
    let axis = Axis {
        range: input.range,
        left: left + 8.0,
        right: ui.cursor().left() + full - 8.0,
    };

    // --- the slider
    let (row, _) = ui.allocate_exact_size(vec2(full, 40.0), Sense::hover());
    let slider_rect = Rect::from_min_max(pos2(left, row.top()), row.right_bottom());
    let id = ui.scope_id().with("instant-slider");
    let response = ui.interact(slider_rect, id, Sense::click_and_drag());
    let value = slider_value(input.instant);
    response.widget_info(|| WidgetInfo::slider(true, value, SLIDER_LABEL));
    let (lo, hi) = (
        slider_value(input.range.start),
        slider_value(input.range.end),
    );
    ui.ctx().accesskit_node_builder(id, |node| {
        use egui::accesskit::Action;
        node.set_min_numeric_value(lo);
        node.set_max_numeric_value(hi);
        node.set_numeric_value_step(1.0);
        node.add_action(Action::SetValue);
        node.add_action(Action::Increment);
        node.add_action(Action::Decrement);
    });
    let requested = ui.input(|i| {
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
    });
    if let Some(v) = requested.and_then(from_slider_value) {
        out.instant = Some(v.clamp(input.range.start, input.range.end));
    }
    if let Some(p) = response.interact_pointer_pos()
        && (response.dragged() || response.clicked())
    {
        out.instant = Some(round_to_hour(axis.time(p.x)));
    }
    if response.has_focus() {
        // Focused, the arrows step the slider by an hour (the global arrows step by event).
        let (dec, inc) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowLeft),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowRight),
            )
        });
        if dec || inc {
            let step = if inc {
                Duration::hours(1)
            } else {
                Duration::hours(-1)
            };
            out.instant = Some(round_to_hour(input.instant) + step);
        }
    }
    let painter = ui.painter();
    paint_slider(painter, ui, &axis, slider_rect, input, response.has_focus());
    painter.text(
        pos2(row.left() + 4.0, slider_rect.center().y),
        Align2::LEFT_CENTER,
        "Instant",
        FontId::proportional(13.0),
        ui.visuals().text_color(),
    );

    // --- the lanes
    let tz = ds.meta.timezone;
    for (z, zone) in ds.zones.iter().enumerate() {
        let (lane_row, _) = ui.allocate_exact_size(vec2(full, LANE_HEIGHT + 4.0), Sense::hover());
        let name_rect = Rect::from_min_size(lane_row.min, vec2(LABEL_COLUMN - 6.0, LANE_HEIGHT));
        let selected = input.selected == Some(z);
        let name = ui.put(
            name_rect,
            egui::Button::selectable(selected, zone.name.as_str()).truncate(),
        );
        if name
            .on_hover_text(format!("Select {}", zone.name))
            .clicked()
        {
            out.select = Some(z);
        }
        let lane = Rect::from_min_max(
            pos2(axis.left, lane_row.top()),
            pos2(axis.right, lane_row.top() + LANE_HEIGHT),
        );
        let lane_id = ui.scope_id().with(("lane", z));
        let lane_response = ui.interact(lane, lane_id, Sense::click());
        lane_response.widget_info(|| {
            WidgetInfo::labeled(
                egui::Role::Button,
                true,
                format!("Timeline lane: {}", zone.name),
            )
        });
        if selected {
            ui.painter().rect_filled(
                lane.expand2(vec2(4.0, 2.0)),
                3.0,
                ui.visuals().selection.bg_fill.gamma_multiply(0.5),
            );
        }
        paint_lane(ui.painter(), engine, z, &axis, lane, input);

        // Event markers: each its own button, so a screen reader (and a test) can find it.
        let mut clicked_marker = false;
        for &e in engine.zone_events(z) {
            let ev = &ds.events[e];
            let t = ev.moment.utc();
            if t < input.range.start || t > input.range.end {
                continue;
            }
            let known = input.known_on.is_none_or(|k| ev.reported <= k);
            let x = axis.x(t);
            let marker = Rect::from_center_size(pos2(x, lane.center().y), vec2(10.0, LANE_HEIGHT));
            let r = ui.interact(marker, ui.scope_id().with(("event", z, e)), Sense::click());
            let label = format!(
                "Event: {} in {}, {}",
                ev.kind.label(),
                zone.name,
                moment_label(&ev.moment, tz)
            );
            r.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, label.clone()));
            paint_marker(
                ui.painter(),
                pos2(x, lane.center().y),
                ev.kind,
                known,
                r.hovered(),
            );
            let r = r.on_hover_ui(|ui| {
                ui.strong(format!(
                    "{} · {}",
                    ev.kind.label(),
                    moment_label(&ev.moment, tz)
                ));
                if let Some(text) = &ev.as_reported {
                    ui.weak(format!("As reported: {text}"));
                }
                ui.label(format!("By {}", ev.actor));
                if let Some(c) = ev.citations.first() {
                    ui.label(format!("“{}”", crate::report::clip(&c.quote, 280)));
                    ui.weak(ds.sources[c.source].outlet.as_str());
                }
                if !known {
                    ui.weak("Not yet reported at the chosen 'as known on' date");
                }
                ui.weak("Click to move the instant here");
            });
            if r.clicked() {
                out.instant = Some(t);
                out.select = Some(z);
                clicked_marker = true;
            }
        }
        if !clicked_marker
            && lane_response.clicked()
            && let Some(p) = lane_response.interact_pointer_pos()
        {
            out.instant = Some(round_to_hour(axis.time(p.x)));
            out.select = Some(z);
        }
    }
    // The cursor through the slider and every lane.
    let x = axis.x(input.instant);
    let bottom = ui.cursor().top();
    if (axis.left..=axis.right).contains(&x) {
        ui.painter().line_segment(
            [pos2(x, slider_rect.top() + 4.0), pos2(x, bottom)],
            Stroke::new(2.0, theme::CURSOR),
        );
    }
    out
}

fn paint_slider(
    painter: &egui::Painter,
    ui: &Ui,
    axis: &Axis,
    rect: Rect,
    input: &TimeInput<'_>,
    focused: bool,
) {
    let visuals = ui.visuals();
    let rail_y = rect.top() + 12.0;
    let rail = Rect::from_min_max(
        pos2(axis.left, rail_y - 3.0),
        pos2(axis.right, rail_y + 3.0),
    );
    painter.rect_filled(rail, 3.0, visuals.widgets.inactive.bg_fill);

    // Ticks and labels at local midnights, months or years, as the range needs; the work is
    // proportional to the marks drawn, not to the days in the range.
    let tz = input.engine.dataset().meta.timezone;
    let text = visuals.weak_text_color();
    let marks = crate::axis::marks(
        input.range.start,
        input.range.end,
        axis.right - axis.left,
        tz,
    );
    for mark in &marks {
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
        if let Some(label) = &mark.label {
            painter.text(
                pos2(x, rail_y + 12.0),
                Align2::CENTER_TOP,
                label,
                FontId::proportional(11.0),
                text,
            );
        }
    }
    // A tick above the rail at every event.
    let events = &input.engine.dataset().events;
    for &e in input
        .engine
        .events_between(input.range.start, input.range.end)
    {
        let x = axis.x(events[e].moment.utc());
        painter.line_segment(
            [pos2(x, rail_y - 9.0), pos2(x, rail_y - 3.0)],
            Stroke::new(1.5, visuals.strong_text_color()),
        );
    }
    let x = axis.x(input.instant).clamp(axis.left, axis.right);
    let handle = pos2(x, rail_y);
    painter.circle(handle, 8.0, theme::CURSOR, Stroke::new(2.0, Color32::WHITE));
    if focused {
        painter.circle_stroke(handle, 11.0, visuals.selection.stroke);
    }
}

fn paint_lane(
    painter: &egui::Painter,
    engine: &Engine,
    zone: usize,
    axis: &Axis,
    lane: Rect,
    input: &TimeInput<'_>,
) {
    painter.rect_filled(lane, 2.0, Color32::from_gray(235));
    for interval in engine.timeline(zone, input.known_on) {
        let start = interval
            .start
            .unwrap_or(input.range.start)
            .max(input.range.start);
        let end = interval.end.unwrap_or(input.range.end).min(input.range.end);
        if end <= start {
            continue;
        }
        let rect = Rect::from_min_max(
            pos2(axis.x(start), lane.top()),
            pos2(axis.x(end), lane.bottom()),
        );
        let style = theme::status_style(interval.resolution.status);
        painter.rect_filled(rect, 0.0, style.fill);
        let uv = |r: Rect| {
            Rect::from_min_max(
                (r.min.to_vec2() / theme::PATTERN_SIZE).to_pos2(),
                (r.max.to_vec2() / theme::PATTERN_SIZE).to_pos2(),
            )
        };
        if let Some(texture) = input.patterns.texture(style.pattern) {
            painter.image(texture, rect, uv(rect), style.ink);
        }
        if interval.resolution.contested {
            painter.image(
                input.patterns.contested(),
                rect,
                uv(rect),
                theme::CONTESTED_INK,
            );
        }
        // A thin divider where the status or instrument changes.
        painter.line_segment(
            [rect.left_top(), rect.left_bottom()],
            Stroke::new(1.0, Color32::from_white_alpha(160)),
        );
    }
    painter.rect_stroke(
        lane,
        2.0,
        Stroke::new(1.0, Color32::from_gray(160)),
        egui::StrokeKind::Inside,
    );
}

fn paint_marker(painter: &egui::Painter, at: Pos2, kind: EventKind, known: bool, hovered: bool) {
    let r = if hovered { 6.5 } else { 5.0 };
    let points = vec![
        at + vec2(0.0, -r),
        at + vec2(r, 0.0),
        at + vec2(0.0, r),
        at + vec2(-r, 0.0),
    ];
    let fill = match (known, kind) {
        (false, _) => Color32::from_gray(200),
        (true, EventKind::Statement) => Color32::WHITE,
        (true, _) => Color32::from_gray(30),
    };
    painter.add(egui::Shape::convex_polygon(
        points,
        fill,
        Stroke::new(1.2, Color32::WHITE),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_462_000_000 + h * 3600, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn a_zoomed_window_stays_put_while_the_instant_moves_inside_it() {
        let span = (t(0), t(24 * 60));
        let r = Range::update(None, Window::TwoDays, span, t(500));
        assert_eq!(r.end - r.start, Duration::days(2));
        assert!(r.start <= t(500) && t(500) <= r.end);
        assert_eq!(Range::update(Some(r), Window::TwoDays, span, t(510)), r);
        let moved = Range::update(Some(r), Window::TwoDays, span, t(900));
        assert!(
            moved.start <= t(900) && t(900) <= moved.end,
            "recentred when the instant left it"
        );
    }

    #[test]
    fn a_zoomed_window_never_leaves_the_span() {
        let span = (t(0), t(24 * 30));
        let r = Range::update(None, Window::TwoWeeks, span, t(1));
        assert_eq!(r.start, span.0);
        assert_eq!(
            Range::update(None, Window::All, span, t(1)),
            Range {
                start: span.0,
                end: span.1
            }
        );
    }

    #[test]
    fn the_slider_value_is_hours_since_the_epoch_and_rounds_to_the_hour() {
        let noon = "2016-05-01T09:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("valid");
        assert_eq!(from_slider_value(slider_value(noon)), Some(noon));
        assert_eq!(round_to_hour(noon + Duration::minutes(29)), noon);
        assert_eq!(
            round_to_hour(noon + Duration::minutes(31)),
            noon + Duration::hours(1)
        );
    }
}
