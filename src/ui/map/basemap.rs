//! The offline basemap: sea, land, borders and first-level divisions, at the level of detail
//! the zoom asks for (their names are written later, by [`super::world`], once the zones'
//! labels have taken their room).

use egui::{Rect, Response, Shape, Ui};
use walkers::{MapMemory, Projector};

use super::{
    BasemapMeshes, BasemapShapes, Frame, Transform, in_view, push_fill, push_fill_edge,
    push_outline,
};
use crate::basemap::Layer;
use crate::ui::{flat, theme};

/// Other countries' division lines show from this zoom (walkers'), where they no longer crowd
/// the map; those of the countries that hold zones show at every zoom.
pub(super) const OTHER_DIVISIONS_FROM_ZOOM: f64 = 8.0;

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
        if this.frame.fitting {
            return;
        }
        let key = picture_key(
            this.meshes.generation,
            &t,
            view,
            ui.ctx(),
            theme::tokens(ui.ctx()),
        );
        if this.meshes.shown.0 != Some(key) {
            this.meshes.shown = (Some(key), land_in_view(this.shapes, &t, view));
        }
        this.frame.basemap_shown.set(this.meshes.shown.1);
        if this.frame.online {
            // The tiles are the land and sea: only the lines go over them.
            this.fill_lines(&painter, &t, view);
            painter.add(Shape::Mesh(this.meshes.division_lines.0.clone()));
            painter.add(Shape::Mesh(this.meshes.borders.0.clone()));
            this.meshes.key = None;
        } else {
            this.backdrop(&painter, &t, view);
        }
    }
}

/// The countries in view, each with its shape at this zoom's level of detail.
fn countries<'s>(
    shapes: &'s BasemapShapes,
    t: &'s Transform,
    view: Rect,
) -> impl Iterator<Item = (usize, &'s crate::geometry::Shape)> + 's {
    countries_at(shapes, t, view, shapes.world.level_for(t.scale()))
}

/// The countries' polygons in view at a level of detail, with the country of each.
fn countries_at<'s>(
    shapes: &'s BasemapShapes,
    t: &'s Transform,
    view: Rect,
    level: usize,
) -> impl Iterator<Item = (usize, &'s crate::geometry::Shape)> + 's {
    let world = shapes.world;
    (0..world.areas(Layer::Countries).len())
        .filter(move |&i| in_view(view, t, world.bounds(Layer::Countries, i)))
        .flat_map(move |i| {
            world
                .pieces(Layer::Countries, i, level)
                .iter()
                .filter(move |p| in_view(view, t, p.bounds))
                .map(move |p| (i, p.shape()))
        })
}

/// Whether any land is in view: a corner of a country's outline, or the view's middle inside a
/// country (zoomed into one). Only then is the basemap credited: over open sea there is none
/// of it to credit. The coarsest level answers (its corners are within 5 km of the finest),
/// so that the answer decodes nothing the view does not draw.
fn land_in_view(shapes: &BasemapShapes, t: &Transform, view: Rect) -> bool {
    let world = shapes.world;
    let middle = crate::geometry::unmercator(t.projected(view.center()));
    let corner_in_view = (0..world.areas(Layer::Countries).len())
        .filter(|&i| in_view(view, t, world.bounds(Layer::Countries, i)))
        .flat_map(|i| world.pieces(Layer::Countries, i, 0))
        .filter(|p| in_view(view, t, p.bounds))
        .any(|p| {
            p.shape()
                .fill
                .vertices
                .iter()
                .any(|&v| view.contains(t.screen(v)))
        });
    corner_in_view || world.country_at(middle.0, middle.1).is_some()
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
        let countries: Vec<_> = countries(self.shapes, t, view).collect();
        let focus = &self.shapes.focus;
        self.meshes.land.fill(egui::TextureId::default(), |mesh| {
            for (i, shape) in countries {
                let color = if focus[i] {
                    tk.colors.focus_land
                } else {
                    tk.colors.land
                };
                let (fill, outline) = shape.at_scale(t.scale());
                push_fill(mesh, fill, t, color, None);
                push_fill_edge(mesh, outline, t, color);
            }
        });
    }

    fn fill_lines(&mut self, painter: &egui::Painter, t: &Transform, view: Rect) {
        let tk = theme::tokens(painter.ctx());
        let (colors, sizes) = (tk.colors, tk.sizes);
        let world = self.shapes.world;
        let level = world.level_for(t.scale());
        let others = (t.scale() / 256.0).log2() >= OTHER_DIVISIONS_FROM_ZOOM;
        let focus = &self.shapes.focus_regions;
        self.meshes
            .division_lines
            .fill(egui::TextureId::default(), |mesh| {
                let regions = (0..world.areas(Layer::Regions).len())
                    .filter(|&i| others || focus[i])
                    .filter(|&i| in_view(view, t, world.bounds(Layer::Regions, i)));
                let pieces = regions.flat_map(|i| world.pieces(Layer::Regions, i, level));
                for piece in pieces.filter(|p| in_view(view, t, p.bounds)) {
                    let shape = piece.shape();
                    push_outline(
                        mesh,
                        shape.at_scale(t.scale()).1,
                        t,
                        colors.division,
                        sizes.division_width,
                    );
                }
            });
        let countries: Vec<_> = countries(self.shapes, t, view).map(|(_, s)| s).collect();
        self.meshes
            .borders
            .fill(egui::TextureId::default(), |mesh| {
                for shape in countries {
                    push_outline(
                        mesh,
                        shape.at_scale(t.scale()).1,
                        t,
                        colors.border,
                        sizes.border_width,
                    );
                }
            });
    }
}
