//! The offline basemap: sea, land, borders, first-level divisions and their names.

use egui::{Align2, FontId, Rect, Response, Shape, Ui, vec2};
use walkers::{MapMemory, Projector};

use super::{
    BasemapMeshes, BasemapShapes, Frame, Transform, push_fill, push_fill_edge, push_outline,
    visible,
};
use crate::geometry::mercator;
use crate::ui::theme;

pub(super) struct Plugin<'a> {
    pub shapes: &'a BasemapShapes,
    pub meshes: &'a mut BasemapMeshes,
    /// Division names that are also zone names are left to the zone labels.
    pub zone_names: &'a [String],
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
        // The sea is the window's clear colour (`AtlasApp::clear_color`), under the map.
        if !this.frame.online {
            this.land(&painter, &t, view);
        }
        this.lines(&painter, &t, view);
        this.names(&painter, &t, view);
    }
}

impl Plugin<'_> {
    fn land(&mut self, painter: &egui::Painter, t: &Transform, view: Rect) {
        let tk = theme::tokens(painter.ctx());
        let countries = &self.shapes.countries;
        let land = self.meshes.land.fill(egui::TextureId::default(), |mesh| {
            for c in countries.iter().filter(|c| visible(view, t, &c.shape)) {
                let color = if c.focus {
                    tk.colors.focus_land
                } else {
                    tk.colors.land
                };
                let (fill, outline) = c.shape.at_scale(t.scale());
                push_fill(mesh, fill, t, color, None);
                push_fill_edge(mesh, outline, t, color);
            }
        });
        painter.add(Shape::Mesh(land));
    }

    fn lines(&mut self, painter: &egui::Painter, t: &Transform, view: Rect) {
        let tk = theme::tokens(painter.ctx());
        let (colors, sizes) = (tk.colors, tk.sizes);
        let divisions = &self.shapes.divisions;
        let lines = self
            .meshes
            .division_lines
            .fill(egui::TextureId::default(), |mesh| {
                for d in divisions.iter().filter(|d| visible(view, t, &d.shape)) {
                    push_outline(
                        mesh,
                        d.shape.at_scale(t.scale()).1,
                        t,
                        colors.division,
                        sizes.division_width,
                    );
                }
            });
        painter.add(Shape::Mesh(lines));
        let countries = &self.shapes.countries;
        let borders = self
            .meshes
            .borders
            .fill(egui::TextureId::default(), |mesh| {
                for c in countries.iter().filter(|c| visible(view, t, &c.shape)) {
                    push_outline(
                        mesh,
                        c.shape.at_scale(t.scale()).1,
                        t,
                        colors.border,
                        sizes.border_width,
                    );
                }
            });
        painter.add(Shape::Mesh(borders));
    }

    /// Country names, and division names once there is room for them.
    fn names(&self, painter: &egui::Painter, t: &Transform, view: Rect) {
        let tk = theme::tokens(painter.ctx());
        let (colors, text) = (tk.colors, tk.text);
        for c in self
            .shapes
            .countries
            .iter()
            .filter(|c| !c.focus && c.labelled)
        {
            let p = t.screen(mercator(c.shape.label.0, c.shape.label.1));
            if view.shrink(30.0).contains(p) {
                painter.text(
                    p,
                    Align2::CENTER_CENTER,
                    c.name.to_uppercase(),
                    FontId::proportional(text.country),
                    colors.country_text,
                );
            }
        }
        if t.scale <= 256.0 * 2f64.powf(7.5) {
            return;
        }
        for d in self.shapes.divisions.iter().filter(|d| d.labelled) {
            let p = t.screen(mercator(d.shape.label.0, d.shape.label.1));
            let size = t.rect(d.shape.bounds).size();
            let named_zone = self.zone_names.iter().any(|z| z == &d.name);
            if view.contains(p) && size.x > 90.0 && !named_zone {
                painter.text(
                    p + vec2(0.0, 26.0),
                    Align2::CENTER_CENTER,
                    d.name.to_uppercase(),
                    FontId::proportional(text.division),
                    colors.country_text,
                );
            }
        }
    }
}
