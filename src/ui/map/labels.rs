//! Names on the map: the dataset's places, then each zone's label (its name and status word).
//! Both claim room in the frame's shared placement space, after the legend has claimed its own,
//! so no label covers another or the legend.

use egui::{FontId, Galley, Pos2, Rect, Response, Stroke, Ui, Vec2, vec2};
use std::sync::Arc;
use walkers::{MapMemory, Projector};

use super::placement::Occupied;
use super::{Frame, Place, Transform, ZoneShapes};
use crate::geometry::mercator;
use crate::present::ZoneSummary;
use crate::text::clip;
use crate::ui::script::visual;
use crate::ui::theme::{self, AFTER_REPORTS_GLYPH, CONTESTED_GLYPH, CONTESTED_WORD};

/// Zone and place names are clipped to this many characters on the map (the full name is in
/// the tooltip and the side panel).
const MAP_NAME_CHARS: usize = 32;
const PLACE_NAME_CHARS: usize = 40;

/// Every dot goes down before any name, so that no name covers a neighbour's dot; names go
/// down by rank (capital, city, town), so a crowded town loses its name before a capital does.
pub(super) struct Places<'a> {
    pub places: &'a [Place],
    pub frame: &'a Frame,
}

impl walkers::Plugin for Places<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let view = response.rect;
        let t = Transform::of(projector, view);
        let painter = ui.painter().with_clip_rect(view);
        let shown: Vec<(&Place, Pos2)> = self
            .places
            .iter()
            .map(|p| (p, t.screen(p.at)))
            .filter(|(_, s)| view.contains(*s))
            .collect();
        // Each place in view is a node a screen reader can find ("Place: Homs, city"), and
        // not a widget: the pointer still reaches the zone under a city's dot.
        let ppp = ui.ctx().pixels_per_point();
        for &(place, p) in &shown {
            let id = ui.scope_id().with(("place", &place.name));
            // An empty rectangle: in the tree, never under the pointer.
            let response = ui.interact(
                Rect::from_center_size(p, Vec2::ZERO),
                id,
                egui::Sense::hover(),
            );
            response.widget_info(|| {
                let words = format!("Place: {}, {}", place.name, place.kind);
                egui::WidgetInfo::labeled(egui::Role::Label, true, words)
            });
            ui.ctx().accesskit_node_builder(id, |node| {
                let r = Rect::from_center_size(p, vec2(10.0, 10.0));
                node.set_bounds(egui::accesskit::Rect {
                    x0: f64::from(r.min.x * ppp),
                    y0: f64::from(r.min.y * ppp),
                    x1: f64::from(r.max.x * ppp),
                    y1: f64::from(r.max.y * ppp),
                });
            });
        }
        let mut occupied = self.frame.occupied.borrow_mut();
        for &(place, p) in &shown {
            draw_dot(&painter, place, p, &mut occupied);
        }
        let rank = |kind: &str| match kind {
            "capital" => 0,
            "town" => 2,
            _ => 1,
        };
        let mut named = shown;
        named.sort_by_key(|(place, _)| rank(&place.kind));
        for (place, p) in named {
            draw_name(&painter, place, p, &mut occupied);
        }
    }
}

fn draw_dot(painter: &egui::Painter, place: &Place, p: Pos2, occupied: &mut Occupied) {
    let tk = theme::tokens(painter.ctx());
    let colors = tk.colors;
    let capital = place.kind == "capital";
    let r = if capital { 4.0 } else { 3.0 };
    painter.circle(p, r, colors.place_dot, Stroke::new(1.5, colors.map_text));
    if capital {
        painter.circle_filled(p, 1.6, colors.map_text);
    }
    // A town's dot may sit under a bigger place's name (its own name then gives way).
    if place.kind != "town" {
        occupied.push(Rect::from_center_size(p, Vec2::splat(2.0 * r + 2.0)));
    }
}

/// Above right of the dot, else another corner; a name that fits nowhere is left out.
fn draw_name(painter: &egui::Painter, place: &Place, p: Pos2, occupied: &mut Occupied) {
    let tk = theme::tokens(painter.ctx());
    let (colors, text) = (tk.colors, tk.text);
    let size = if place.kind == "capital" {
        text.capital
    } else {
        text.place
    };
    let name = visual(&clip(&place.name, PLACE_NAME_CHARS)).into_owned();
    let galley = painter.layout_no_wrap(name, FontId::proportional(size), colors.map_text);
    let size = galley.size();
    // Clear of the place's own dot (radius 4 at most, plus its outline).
    let spots = [
        p + vec2(8.0, -size.y - 2.0),
        p + vec2(-size.x - 8.0, 2.0),
        p + vec2(8.0, 2.0),
        p + vec2(-size.x - 8.0, -size.y - 2.0),
    ];
    let free = |r: &Rect| occupied.clear_of(*r);
    let Some(at) = spots
        .into_iter()
        .find(|at| free(&Rect::from_min_size(*at, size).expand(1.0)))
    else {
        return;
    };
    // A faint halo keeps the name readable over any fill.
    let text_rect = Rect::from_min_size(at, size).expand(1.0);
    painter.rect_filled(text_rect, 2.0, colors.halo);
    painter.galley(at, galley, colors.map_text);
    occupied.push(text_rect);
}

/// Zone labels: the name and the status word (and the contested mark). Each goes on the first
/// of a few spots around its zone that overlaps nothing already placed, with a leader line back
/// to the zone when it sits outside it; with many zones, by priority, thinned where there is no
/// room (see [`ZoneLabels::order`]). Where each went is kept for the next frame: a label is part
/// of its zone for clicks.
pub(super) struct ZoneLabels<'a> {
    pub shapes: &'a ZoneShapes,
    pub zones: &'a [ZoneSummary],
    pub selected: Option<usize>,
    pub frame: &'a Frame,
    /// Per zone: "Violence reported during the truce", where it applies.
    pub violence: &'a dyn Fn(usize) -> Option<&'static str>,
}

impl walkers::Plugin for ZoneLabels<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let view = response.rect;
        let t = Transform::of(projector, view);
        let painter = ui.painter().with_clip_rect(view);
        let (order, many) = self.order(&t, view);
        let mut occupied = self.frame.occupied.borrow_mut();
        let mut drawn = self.frame.labels.borrow_mut();
        let shapes = &self.shapes.shapes;
        for z in order {
            let anchor = t.screen(mercator(shapes[z].label.0, shapes[z].label.1));
            let violence = (self.violence)(z);
            let label = Label::layout(&painter, &self.shapes.names[z], &self.zones[z], violence);
            // With many zones, a label with no free spot is left out (its zone keeps its
            // colour, and its name is in the tooltip and the list); the selected one never is.
            let thin = many && self.selected != Some(z);
            let Some(rect) = label.place(anchor, view, &occupied, thin) else {
                continue;
            };
            label.draw(&painter, anchor, rect, self.selected == Some(z));
            occupied.push(rect);
            drawn.push((z, rect));
        }
    }
}

/// Over this many zone labels in view, labels are placed by priority and thinned.
const MANY_LABELS: usize = 40;
/// With many zones, a zone smaller than this on screen (in both directions) gets no label.
const MIN_LABELLED: f32 = 24.0;

impl ZoneLabels<'_> {
    /// The zones to label, in the order they claim their room. A few: smallest first (they have
    /// the fewest good spots). Many: the selected zone, then the largest on screen at this zoom,
    /// leaving out those too small to carry a label.
    /// Also says whether there are many.
    fn order(&self, t: &Transform, view: Rect) -> (Vec<usize>, bool) {
        let shapes = &self.shapes.shapes;
        let in_view = |z: &usize| {
            let s = &shapes[*z];
            view.expand(40.0)
                .contains(t.screen(mercator(s.label.0, s.label.1)))
        };
        let mut order: Vec<usize> = (0..self.zones.len().min(shapes.len()))
            .filter(in_view)
            .collect();
        if order.len() <= MANY_LABELS {
            order.sort_by(|&a, &b| shapes[a].area.total_cmp(&shapes[b].area));
            return (order, false);
        }
        let size = |z: usize| t.rect(shapes[z].bounds).size();
        order.retain(|&z| {
            let s = size(z);
            self.selected == Some(z) || (s.x >= MIN_LABELLED && s.y >= MIN_LABELLED)
        });
        order.sort_by(|&a, &b| shapes[b].area.total_cmp(&shapes[a].area));
        if let Some(pos) = order.iter().position(|&z| self.selected == Some(z)) {
            let z = order.remove(pos);
            order.insert(0, z);
        }
        (order, true)
    }
}

/// A zone label laid out, to be placed and drawn.
struct Label {
    name: Arc<Galley>,
    word: Arc<Galley>,
    /// "⏱ as last reported on wed 4 may 2016", past the last report.
    horizon: Option<Arc<Galley>>,
    /// "⚠ Violence reported during the truce", where an incident falls on the instant's day.
    violence: Option<Arc<Galley>>,
    size: Vec2,
    zone: ZoneSummary,
}

impl Label {
    fn layout(
        painter: &egui::Painter,
        name: &str,
        zone: &ZoneSummary,
        violence: Option<&str>,
    ) -> Label {
        let tk = theme::tokens(painter.ctx());
        let (colors, text) = (tk.colors, tk.text);
        let style = tk.status(zone.status);
        let mut status = format!("{} {}", style.glyph, style.word);
        if zone.contested {
            status.push_str(&format!("  {CONTESTED_GLYPH} {CONTESTED_WORD}"));
        }
        let name = painter.layout_no_wrap(
            visual(&clip(name, MAP_NAME_CHARS)).into_owned(),
            FontId::proportional(text.zone_name),
            colors.map_text,
        );
        let word =
            painter.layout_no_wrap(status, FontId::proportional(text.zone_status), style.ink);
        let horizon = zone.as_last_reported().map(|words| {
            let words = format!("{AFTER_REPORTS_GLYPH} {words}");
            let font = FontId::proportional(text.small);
            painter.layout_no_wrap(words, font, colors.after_reports_ink)
        });
        let violence = violence.map(|words| {
            let font = FontId::proportional(text.small);
            painter.layout_no_wrap(format!("⚠ {words}"), font, colors.incident)
        });
        let extra = horizon.as_ref().map_or(Vec2::ZERO, |g| g.size());
        let more = violence.as_ref().map_or(Vec2::ZERO, |g| g.size());
        let size = vec2(
            name.size().x.max(word.size().x).max(extra.x).max(more.x) + 14.0,
            name.size().y + word.size().y + extra.y + more.y + 8.0,
        );
        Label {
            name,
            word,
            horizon,
            violence,
            size,
            zone: zone.clone(),
        }
    }

    /// The first free spot around the anchor, inside the view. Failing that: nothing when
    /// thinning, else the spot that covers the least of what is there (or the anchor itself).
    fn place(&self, anchor: Pos2, view: Rect, occupied: &Occupied, thin: bool) -> Option<Rect> {
        let size = self.size;
        let (dx, dy) = (size.x / 2.0 + 16.0, size.y / 2.0 + 14.0);
        let spots = [
            vec2(0.0, 0.0),
            vec2(dx, 0.0),
            vec2(-dx, 0.0),
            vec2(0.0, dy),
            vec2(0.0, -dy),
            vec2(dx, dy),
            vec2(-dx, dy),
            vec2(dx, -dy),
            vec2(-dx, -dy),
            vec2(0.0, 2.0 * dy),
            vec2(-dx, 2.0 * dy),
            // Further out, on a longer leader line, before giving up on a free spot.
            vec2(0.0, -2.0 * dy),
            vec2(dx, -2.0 * dy),
            vec2(-dx, -2.0 * dy),
            vec2(dx, 2.0 * dy),
            vec2(2.0 * dx, 0.0),
            vec2(-2.0 * dx, 0.0),
            vec2(2.0 * dx, -dy),
            vec2(-2.0 * dx, -dy),
            vec2(2.0 * dx, dy),
            vec2(-2.0 * dx, dy),
        ];
        let inside = view.shrink(6.0);
        let candidates = spots
            .iter()
            .map(|d| Rect::from_center_size(anchor + *d, size))
            .filter(|r| inside.contains_rect(*r));
        if let Some(free) = candidates.clone().find(|r| occupied.free(*r)) {
            return Some(free);
        }
        if thin {
            return None;
        }
        let least = candidates.min_by(|a, b| occupied.covered(*a).total_cmp(&occupied.covered(*b)));
        Some(least.unwrap_or_else(|| Rect::from_center_size(anchor, size)))
    }

    fn draw(self, painter: &egui::Painter, anchor: Pos2, rect: Rect, selected: bool) {
        let tk = theme::tokens(painter.ctx());
        let colors = tk.colors;
        let style = tk.status(self.zone.status);
        if !rect.contains(anchor) {
            let from = rect.clamp(anchor);
            painter.line_segment([anchor, from], Stroke::new(1.2, colors.map_text));
            painter.circle_filled(anchor, 2.5, colors.map_text);
        }
        let border = if selected {
            Stroke::new(2.0, colors.selected)
        } else {
            Stroke::new(1.0, style.ink)
        };
        painter.rect(
            rect,
            4.0,
            colors.label_background,
            border,
            egui::StrokeKind::Inside,
        );
        let swatch = Rect::from_min_size(
            rect.left_top() + vec2(4.0, 4.0),
            vec2(3.0, rect.height() - 8.0),
        );
        painter.rect_filled(swatch, 1.0, style.fill);
        let name_height = self.name.size().y;
        painter.galley(
            rect.left_top() + vec2(10.0, 3.0),
            self.name,
            colors.map_text,
        );
        let word_height = self.word.size().y;
        painter.galley(
            rect.left_top() + vec2(10.0, 4.0 + name_height),
            self.word,
            style.ink,
        );
        let mut y = 4.0 + name_height + word_height;
        if let Some(horizon) = self.horizon {
            let height = horizon.size().y;
            painter.galley(
                rect.left_top() + vec2(10.0, y),
                horizon,
                tk.colors.after_reports_ink,
            );
            y += height;
        }
        if let Some(violence) = self.violence {
            painter.galley(
                rect.left_top() + vec2(10.0, y),
                violence,
                tk.colors.incident,
            );
        }
    }
}
