//! The time controls under the map: buttons and a field to set the instant, a time slider with
//! a tick at every event, and the timeline strip (one lane per zone) on the same time axis, so
//! that a tick, a lane change and the cursor line up exactly. Each function pushes what the
//! user asked for as [`Intent`]s and changes nothing itself.

use chrono::{DateTime, Utc};
use egui::{Align2, FontId, Rect, Response, Sense, Stroke, Ui, WidgetInfo, pos2, vec2};

use crate::calendar::round_to_hour;
use crate::session::{Command, Range, Session, Window};
use crate::timefmt::{instant_label, parse_user_time};
use crate::ui::commands::{Intent, UiCommand};
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
/// What the slider's keys do, said after its value when it takes the focus.
const SLIDER_KEYS: &str =
    "Left and Right step an hour, Page Up and Page Down a day, Home and End go to the ends";
pub const GO_TO_LABEL: &str = "Go to time";

/// Maps time to x over a strip of the screen.
#[derive(Clone, Copy)]
pub(super) struct Axis {
    pub range: Range,
    pub left: f32,
    pub right: f32,
}

impl Axis {
    pub fn x(&self, t: DateTime<Utc>) -> f32 {
        self.left + self.range.fraction(t) * (self.right - self.left)
    }
    pub fn time(&self, x: f32) -> DateTime<Utc> {
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
    /// Events to mark on the lanes (the Find box's results), sorted.
    pub marked: &'a [usize],
    /// The incident strips under the lanes, kept between frames.
    pub strips: &'a crate::ui::incidents::Strips,
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
    // Two groups: the go-to field, the window choice and playback, then the stepping buttons
    // around the instant's date. The stepping group comes last so that, when the two do not fit
    // on one row, the date sits right above the slider it reads out (and the pointer dragging
    // the handle is next to it). The second group moves to a row of its own when it would not
    // fit beside the first (its width is last frame's), so no row is wider than the window:
    // that would also push the lanes below past the window's edge.
    let stepping_id = ui.scope_id().with("time-controls-stepping");
    ui.horizontal_wrapped(|ui| {
        ui.horizontal(|ui| {
            go_to_field(ui, (session.instant(), tz), go_to, out);
            ui.separator();
            window_choice(ui, session, out);
            kinds_choice(ui, session, out);
            ui.separator();
            play_controls(ui, input, out);
        });
        let stepping_width = ui.data(|d| d.get_temp::<f32>(stepping_id)).unwrap_or(720.0);
        if ui.available_size_before_wrap().x < stepping_width + 16.0 {
            ui.end_row();
        } else {
            ui.separator();
        }
        let row = ui.horizontal(|ui| stepping(ui, input, out));
        let width = row.response.rect.width();
        ui.data_mut(|d| d.insert_temp(stepping_id, width));
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

/// Play or pause, the speed, and how playing ends and pauses.
fn play_controls(ui: &mut Ui, input: &TimeInput<'_>, out: &mut Vec<Intent>) {
    use crate::playback::{Playback, Speed};
    let session = input.session;
    let p = session.playback();
    let (text, name) = if p.playing {
        ("⏸ Pause", "Pause")
    } else {
        ("▶ Play", "Play")
    };
    let command = UiCommand::PlayPause;
    let response = ui
        .button(text)
        .on_hover_text(command.tooltip_with_shortcut(ui.ctx()));
    // Named by what a press does now, so a screen reader says whether it plays.
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    if response.clicked() {
        out.push(command.intent(session));
    }
    let mut next = p;
    egui::ComboBox::from_id_salt("play-speed")
        .selected_text(p.speed.label())
        .show_ui(ui, |ui| {
            for &speed in <Speed as strum::VariantArray>::VARIANTS {
                ui.selectable_value(&mut next.speed, speed, speed.label());
            }
        })
        .response
        .on_hover_text("How fast the instant plays");
    ui.checkbox(&mut next.looping, "Loop")
        .on_hover_text("At the end, start again from the beginning");
    ui.checkbox(&mut next.stop_at_events, "Stop at events")
        .on_hover_text("Pause at each event (of the selected zone, if one is), so a story reads event by event");
    if next != p {
        out.push(Intent::Session(Command::SetPlayback(Playback { ..next })));
    }
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

/// Which kinds of event the lanes and the event list show: a menu of ticks, named by how many
/// are shown, so a hidden kind is never forgotten.
fn kinds_choice(ui: &mut Ui, session: &Session, out: &mut Vec<Intent>) {
    use crate::model::{EventKind, VariantArray};
    let kinds = session.kinds();
    let all = EventKind::VARIANTS.len();
    let title = match kinds.count() {
        n if n == all => "Kinds: all".to_owned(),
        n => format!("Kinds: {n} of {all}"),
    };
    ui.menu_button(title, |ui| {
        for &kind in EventKind::VARIANTS {
            let mut shown = kinds.shows(kind);
            if ui.checkbox(&mut shown, kind.label()).changed() {
                out.push(Intent::Session(Command::ShowKind(kind, shown)));
            }
        }
        ui.weak(
            "Hidden kinds leave the lanes and the event list;\nevery status still counts them.",
        );
    })
    .response
    .on_hover_text("Event kinds shown on the lanes and in the event list");
}

/// The field to type a time in. Its hint is the instant shown, in the form it takes.
fn go_to_field(
    ui: &mut Ui,
    (instant, tz): (DateTime<Utc>, chrono_tz::Tz),
    go_to: &mut GoTo,
    out: &mut Vec<Intent>,
) {
    let label = ui.label("Go to");
    let example = instant
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let edit = ui.add(
        egui::TextEdit::singleline(&mut go_to.text)
            .hint_text(example.as_str())
            .desired_width(170.0),
    );
    let edit = edit.labelled_by(label.id).on_hover_text(format!(
        "A local time in {} ({example}), or RFC 3339 with an offset; Enter to go",
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
    let lanes = super::lanes::lanes(ui, input, &axis, full, out);
    // The cursor through the slider and every lane in view.
    let x = axis.x(input.session.instant());
    if (axis.left..=axis.right).contains(&x) {
        ui.painter().line_segment(
            [pos2(x, slider_rect.top() + 4.0), pos2(x, lanes.bottom())],
            Stroke::new(2.0, tk.colors.cursor),
        );
    }
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
    crate::ui::announce::voices_the_instant(ui.ctx(), id);
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
        // Read out as a date and time, not as hours since 1970: the value text (AT-SPI's
        // `valuetext`, which Orca speaks instead of the number), with the selected zone's
        // status after it, so that a step heard on the slider says what the status bar would.
        node.set_value(crate::present::instant_announcement(
            session.engine(),
            session.instant(),
            session.known_on(),
            session.selected(),
        ));
        node.set_description(SLIDER_KEYS);
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
