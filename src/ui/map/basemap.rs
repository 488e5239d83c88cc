//! The offline basemap: sea, land, borders, first-level divisions and their names.

use egui::{Align2, FontId, Rect, Response, Shape, Ui, vec2};
use walkers::{MapMemory, Projector};

use super::{
    BasemapMeshes, BasemapShapes, Frame, Transform, push_fill, push_fill_edge, push_outline,
    visible,
};
use crate::geometry::mercator;
use crate::ui::{flat, theme};

/// What the kept basemap picture depends on: these layers, the camera, the map's place and
/// size on screen, the pixel density and the look (the tokens are one static per look).
fn picture_key(
    generation: u64,
    t: &Transform,
    view: Rect,
    ctx: &egui::Context,
    tk: &'static theme::Tokens,
) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::hash::DefaultHasher::new();
    generation.hash(&mut h);
    for v in [t.scale(), t.offset()[0], t.offset()[1]] {
        v.to_bits().hash(&mut h);
    }
    for v in [
        view.min.x,
        view.min.y,
        view.max.x,
        view.max.y,
        ctx.pixels_per_point(),
    ] {
        v.to_bits().hash(&mut h);
    }
    std::ptr::from_ref(tk).hash(&mut h);
    h.finish()
}

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
        let (countries, divisions) = (&this.shapes.countries, &this.shapes.divisions);
        let shown = countries
            .iter()
            .chain(divisions)
            .any(|f| visible(view, &t, &f.shape));
        this.frame.basemap_shown.set(shown);
        if this.frame.online {
            // The tiles are the land and sea: only the lines go over them.
            this.fill_lines(&painter, &t, view);
            painter.add(Shape::Mesh(this.meshes.division_lines.0.clone()));
            painter.add(Shape::Mesh(this.meshes.borders.0.clone()));
            this.meshes.key = None;
        } else {
            this.backdrop(&painter, &t, view);
        }
        this.names(&painter, &t, view);
    }
}

impl Plugin<'_> {
    /// The sea, land and lines, which change only with the camera, the window and the look:
    /// drawn once into a kept picture and copied while the user moves through time (see
    /// [`flat::backdrop`]). Without one (headless tests), the sea is the window's clear colour
    /// (`AtlasApp::clear_color`) and the meshes are painted as they are.
    fn backdrop(&mut self, painter: &egui::Painter, t: &Transform, view: Rect) {
        let tk = theme::tokens(painter.ctx());
        let key = picture_key(self.meshes.generation, t, view, painter.ctx(), tk);
        if self.meshes.key != Some(key) {
            self.fill_land(painter, t, view);
            self.fill_lines(painter, t, view);
            self.meshes.key = Some(key);
        }
        let meshes = vec![
            self.meshes.land.0.clone(),
            self.meshes.division_lines.0.clone(),
            self.meshes.borders.0.clone(),
        ];
        if !flat::backdrop(painter, view, key, tk.colors.sea, meshes.clone()) {
            painter.extend(meshes.into_iter().map(Shape::Mesh));
        }
    }

    fn fill_land(&mut self, painter: &egui::Painter, t: &Transform, view: Rect) {
        let tk = theme::tokens(painter.ctx());
        let countries = &self.shapes.countries;
        self.meshes.land.fill(egui::TextureId::default(), |mesh| {
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
    }

    fn fill_lines(&mut self, painter: &egui::Painter, t: &Transform, view: Rect) {
        let tk = theme::tokens(painter.ctx());
        let (colors, sizes) = (tk.colors, tk.sizes);
        let divisions = &self.shapes.divisions;
        self.meshes
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
        let countries = &self.shapes.countries;
        self.meshes
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
