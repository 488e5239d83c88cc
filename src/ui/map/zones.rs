//! The zones, filled with their status colour and pattern, hatched where contested, outlined
//! (dashed where the outline is drawn by hand), with the selected and hovered zones marked.

use egui::{Color32, Pos2, Rect, Response, Shape, Stroke, Ui};
use walkers::{MapMemory, Projector};

use super::{
    Frame, Transform, ZoneMeshes, ZoneShapes, push_fill, push_fill_edge, push_outline, visible,
};
use crate::present::ZoneSummary;
use crate::ui::theme::{self, Pattern, Patterns};

pub(super) struct Plugin<'a> {
    pub shapes: &'a ZoneShapes,
    pub meshes: &'a mut ZoneMeshes,
    pub zones: &'a [ZoneSummary],
    /// For the zones' words, read out to a screen reader.
    pub dataset: &'a crate::model::Dataset,
    pub selected: Option<usize>,
    /// Outlined apart: the zones a comparison found changed.
    pub outlined: &'a [usize],
    pub patterns: &'a Patterns,
    pub frame: &'a Frame,
    /// Per zone: its incidents over the window in words, said after its status.
    pub zone_words: &'a dyn Fn(usize) -> Option<String>,
}

impl walkers::Plugin for Plugin<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let tk = theme::tokens(ui.ctx());
        let view = response.rect;
        let t = Transform::of(projector, view);
        let painter = ui.painter().with_clip_rect(view);
        let mut this = *self;
        // The zones in view, found once for the fills, the outlines and the keyboard stops.
        let shown = shown(this.zones, this.shapes, &t, view);
        let key = drawn_for(&t, tk, &shown);
        this.fills(&painter, &t, &shown, &key);
        this.outlines(&painter, &t, &shown, &key);
        for &z in this
            .outlined
            .iter()
            .filter(|&&z| z < this.shapes.shapes.len())
        {
            let width = tk.sizes.selected_outline_width + 1.0;
            outline(&painter, this.shapes, &t, z, tk.colors.brand, width);
        }
        if let Some(z) = this.selected.filter(|&z| z < this.shapes.shapes.len()) {
            let (color, width) = (tk.colors.selected, tk.sizes.selected_outline_width);
            outline(&painter, this.shapes, &t, z, color, width);
        }
        if let Some(z) = this.frame.hovered.get() {
            outline(&painter, this.shapes, &t, z, tk.colors.hovered, 2.0);
        }
        this.keyboard(ui, &painter, &t, view, &shown);
    }
}

/// At most this many zones in view are keyboard stops and screen-reader nodes.
const MAX_ZONE_STOPS: usize = 200;

impl Plugin<'_> {
    /// Each zone in view (up to [`MAX_ZONE_STOPS`]) is a keyboard stop and a node a screen reader can read: its name and
    /// status in words. West to east, Tab or the arrows move between them, Enter or Space
    /// selects, and the focused zone has a ring. The nodes sense no pointer: clicks and drags
    /// stay the map's.
    fn keyboard(
        &self,
        ui: &mut Ui,
        painter: &egui::Painter,
        t: &Transform,
        view: Rect,
        shown: &[(usize, &ZoneSummary)],
    ) {
        let tk = theme::tokens(ui.ctx());
        let mut order: Vec<(usize, Rect)> = shown
            .iter()
            .map(|&(z, _)| (z, t.rect(self.shapes.shapes[z].bounds).intersect(view)))
            .collect();
        // Thousands of stops help nobody: the largest on screen, as for the labels.
        if order.len() > MAX_ZONE_STOPS {
            order.sort_by(|a, b| b.1.area().total_cmp(&a.1.area()));
            order.truncate(MAX_ZONE_STOPS);
        }
        order.sort_by(|a, b| a.1.center().x.total_cmp(&b.1.center().x));
        let ids: Vec<egui::Id> = order
            .iter()
            .map(|(z, _)| ui.scope_id().with(("zone-node", *z)))
            .collect();
        if let Some(&first) = ids.first() {
            crate::ui::commands::Region::Map.anchor(ui.ctx(), first);
        }
        for (k, &(z, rect)) in order.iter().enumerate() {
            let response = ui.interact(rect, ids[k], egui::Sense::FOCUSABLE);
            let (name, summary) = (&self.shapes.names[z], &self.zones[z]);
            response.widget_info(|| {
                let mut words = format!("Zone {}", summary.words(name, self.dataset));
                if let Some(incidents) = (self.zone_words)(z) {
                    words.push_str(&format!("; {incidents}"));
                }
                egui::WidgetInfo::labeled(egui::Role::Button, true, words)
            });
            if !response.has_focus() {
                continue;
            }
            // The outline, and a box around it: a small zone's outline alone is easy to miss.
            outline(painter, self.shapes, t, z, tk.colors.focus_ring, 3.0);
            painter.rect_stroke(
                rect.expand(6.0),
                3.0,
                Stroke::new(2.0, tk.colors.focus_ring),
                egui::StrokeKind::Outside,
            );
            let (pick, back, on) = ui.input_mut(|i| {
                let key = |i: &mut egui::InputState, k| i.consume_key(egui::Modifiers::NONE, k);
                (
                    key(i, egui::Key::Enter) | key(i, egui::Key::Space),
                    key(i, egui::Key::ArrowLeft) | key(i, egui::Key::ArrowUp),
                    key(i, egui::Key::ArrowRight) | key(i, egui::Key::ArrowDown),
                )
            });
            if pick {
                self.frame.clicked.set(Some(Some(z)));
            }
            let n = ids.len();
            if back {
                ui.memory_mut(|m| m.request_focus(ids[(k + n - 1) % n]));
            } else if on {
                ui.memory_mut(|m| m.request_focus(ids[(k + 1) % n]));
            }
        }
    }
}

/// What the zones' meshes depend on: the camera, the look, and each zone in view with its
/// status, dispute and horizon. A drag through time changes none of them on most frames.
fn drawn_for(t: &Transform, tk: &theme::Tokens, shown: &[(usize, &ZoneSummary)]) -> Vec<u64> {
    let look: *const theme::Tokens = tk;
    let mut key = vec![
        t.scale.to_bits(),
        t.offset[0].to_bits(),
        t.offset[1].to_bits(),
        look as u64,
    ];
    for (z, s) in shown {
        key.extend([
            *z as u64,
            s.status as u64,
            u64::from(s.contested),
            u64::from(s.after_reports),
        ]);
    }
    key
}

/// The zones on screen, with their summaries.
fn shown<'z>(
    zones: &'z [ZoneSummary],
    shapes: &ZoneShapes,
    t: &Transform,
    view: Rect,
) -> Vec<(usize, &'z ZoneSummary)> {
    let shapes = &shapes.shapes;
    zones
        .iter()
        .enumerate()
        .filter(|(z, _)| *z < shapes.len() && visible(view, t, &shapes[*z]))
        .collect()
}

impl Plugin<'_> {
    fn fills(
        &mut self,
        painter: &egui::Painter,
        t: &Transform,
        shown: &[(usize, &ZoneSummary)],
        key: &[u64],
    ) {
        let tk = theme::tokens(painter.ctx());
        let shapes = &self.shapes.shapes;
        let fill = self
            .meshes
            .fill
            .fill_for(key, egui::TextureId::default(), |mesh| {
                for (z, look) in shown {
                    let color = tk
                        .status(look.status)
                        .fill
                        .gamma_multiply_u8(tk.zone_fill_alpha);
                    let (fill, outline) = shapes[*z].at_scale(t.scale());
                    push_fill(mesh, fill, t, color, None);
                    push_fill_edge(mesh, outline, t, color);
                }
            });
        painter.add(Shape::Mesh(fill));
        let patterned = [Pattern::Dots, Pattern::Stripes, Pattern::CrossHatch];
        for (k, pattern) in patterned.into_iter().enumerate() {
            let Some(texture) = self.patterns.texture(pattern) else {
                continue;
            };
            let mesh = self.meshes.patterns[k].fill_for(key, texture, |mesh| {
                for (z, look) in shown {
                    let style = tk.status(look.status);
                    if style.pattern == pattern {
                        push_fill(
                            mesh,
                            shapes[*z].at_scale(t.scale()).0,
                            t,
                            style.ink,
                            Some(tk.sizes.pattern),
                        );
                    }
                }
            });
            painter.add(Shape::Mesh(mesh));
        }
        let ink = tk.colors.contested_ink;
        let contested = self
            .meshes
            .contested
            .fill_for(key, self.patterns.contested(), |mesh| {
                for (z, _) in shown.iter().filter(|(_, l)| l.contested) {
                    push_fill(
                        mesh,
                        shapes[*z].at_scale(t.scale()).0,
                        t,
                        ink,
                        Some(tk.sizes.pattern),
                    );
                }
            });
        painter.add(Shape::Mesh(contested));
        // Past the last report: dashes over the zone, as on the lanes (and words on its label).
        let ink = tk.colors.after_reports_ink;
        let texture = self.patterns.after_reports();
        let after = self.meshes.after_reports.fill_for(key, texture, |mesh| {
            for (z, _) in shown.iter().filter(|(_, l)| l.after_reports) {
                push_fill(
                    mesh,
                    shapes[*z].at_scale(t.scale()).0,
                    t,
                    ink,
                    Some(tk.sizes.pattern),
                );
            }
        });
        painter.add(Shape::Mesh(after));
    }

    fn outlines(
        &mut self,
        painter: &egui::Painter,
        t: &Transform,
        shown: &[(usize, &ZoneSummary)],
        key: &[u64],
    ) {
        let tk = theme::tokens(painter.ctx());
        let (shapes, approximate) = (&self.shapes.shapes, &self.shapes.approximate);
        let width = tk.sizes.zone_outline_width;
        let lines = self
            .meshes
            .lines
            .fill_for(key, egui::TextureId::default(), |mesh| {
                for (z, look) in shown.iter().filter(|(z, _)| !approximate[*z]) {
                    let ink = tk.status(look.status).ink;
                    push_outline(mesh, shapes[*z].at_scale(t.scale()).1, t, ink, width);
                }
            });
        painter.add(Shape::Mesh(lines));
        // Hand-drawn outlines are dashed, so nobody mistakes them for a surveyed boundary. They
        // are few and small, so drawing them as dashed paths each frame costs little.
        for (z, look) in shown.iter().filter(|(z, _)| approximate[*z]) {
            let ink = tk.status(look.status).ink;
            for ring in &shapes[*z].rings {
                let points: Vec<Pos2> = ring.iter().map(|&p| t.screen(p)).collect();
                painter.extend(Shape::dashed_line(
                    &points,
                    Stroke::new(width + 0.5, ink),
                    6.0,
                    4.0,
                ));
            }
        }
    }
}

fn outline(
    painter: &egui::Painter,
    shapes: &ZoneShapes,
    t: &Transform,
    zone: usize,
    color: Color32,
    width: f32,
) {
    for ring in &shapes.shapes[zone].rings {
        let points: Vec<Pos2> = ring.iter().map(|&p| t.screen(p)).collect();
        painter.add(Shape::closed_line(points, Stroke::new(width, color)));
    }
}
