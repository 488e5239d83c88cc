//! The zones, filled with their status colour and pattern, hatched where contested, outlined
//! (dashed where the outline is drawn by hand), with the selected and hovered zones marked.

use egui::{Color32, Pos2, Rect, Response, Shape, Stroke, Ui};
use walkers::{MapMemory, Projector};

use super::{
    Frame, Transform, ZoneMeshes, ZoneShapes, push_fill, push_fill_edge, push_outline, visible,
};
use crate::present::ZoneSummary;
use crate::ui::theme::{Pattern, Patterns, TOKENS, status_style};

pub(super) struct Plugin<'a> {
    pub shapes: &'a ZoneShapes,
    pub meshes: &'a mut ZoneMeshes,
    pub zones: &'a [ZoneSummary],
    pub selected: Option<usize>,
    pub patterns: &'a Patterns,
    pub frame: &'a Frame,
}

impl walkers::Plugin for Plugin<'_> {
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
        let mut this = *self;
        this.fills(&painter, &t, view);
        this.outlines(&painter, &t, view);
        if let Some(z) = this.selected.filter(|&z| z < this.shapes.shapes.len()) {
            let (color, width) = (TOKENS.colors.selected, TOKENS.sizes.selected_outline_width);
            outline(&painter, this.shapes, &t, z, color, width);
        }
        if let Some(z) = this.frame.hovered.get() {
            outline(&painter, this.shapes, &t, z, TOKENS.colors.hovered, 2.0);
        }
    }
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
    fn fills(&mut self, painter: &egui::Painter, t: &Transform, view: Rect) {
        let shapes = &self.shapes.shapes;
        let shown = shown(self.zones, self.shapes, t, view);
        let fill = self.meshes.fill.fill(egui::TextureId::default(), |mesh| {
            for (z, look) in &shown {
                let color = status_style(look.status)
                    .fill
                    .gamma_multiply_u8(TOKENS.zone_fill_alpha);
                push_fill(mesh, &shapes[*z].fill, t, color, None);
                push_fill_edge(mesh, &shapes[*z].outline, t, color);
            }
        });
        painter.add(Shape::Mesh(fill));
        let patterned = [Pattern::Dots, Pattern::Stripes, Pattern::CrossHatch];
        for (k, pattern) in patterned.into_iter().enumerate() {
            let Some(texture) = self.patterns.texture(pattern) else {
                continue;
            };
            let mesh = self.meshes.patterns[k].fill(texture, |mesh| {
                for (z, look) in &shown {
                    let style = status_style(look.status);
                    if style.pattern == pattern {
                        push_fill(
                            mesh,
                            &shapes[*z].fill,
                            t,
                            style.ink,
                            Some(TOKENS.sizes.pattern),
                        );
                    }
                }
            });
            painter.add(Shape::Mesh(mesh));
        }
        let ink = TOKENS.colors.contested_ink;
        let contested = self
            .meshes
            .contested
            .fill(self.patterns.contested(), |mesh| {
                for (z, _) in shown.iter().filter(|(_, l)| l.contested) {
                    push_fill(mesh, &shapes[*z].fill, t, ink, Some(TOKENS.sizes.pattern));
                }
            });
        painter.add(Shape::Mesh(contested));
        // Past the last report: dashes over the zone, as on the lanes (and words on its label).
        let ink = TOKENS.colors.after_reports_ink;
        let texture = self.patterns.after_reports();
        let after = self.meshes.after_reports.fill(texture, |mesh| {
            for (z, _) in shown.iter().filter(|(_, l)| l.after_reports) {
                push_fill(mesh, &shapes[*z].fill, t, ink, Some(TOKENS.sizes.pattern));
            }
        });
        painter.add(Shape::Mesh(after));
    }

    fn outlines(&mut self, painter: &egui::Painter, t: &Transform, view: Rect) {
        let (shapes, approximate) = (&self.shapes.shapes, &self.shapes.approximate);
        let shown = shown(self.zones, self.shapes, t, view);
        let width = TOKENS.sizes.zone_outline_width;
        let lines = self.meshes.lines.fill(egui::TextureId::default(), |mesh| {
            for (z, look) in shown.iter().filter(|(z, _)| !approximate[*z]) {
                let ink = status_style(look.status).ink;
                push_outline(mesh, &shapes[*z].outline, t, ink, width);
            }
        });
        painter.add(Shape::Mesh(lines));
        // Hand-drawn outlines are dashed, so nobody mistakes them for a surveyed boundary. They
        // are few and small, so drawing them as dashed paths each frame costs little.
        for (z, look) in shown.iter().filter(|(z, _)| approximate[*z]) {
            let ink = status_style(look.status).ink;
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
