//! The basemap's names: countries, the world's places and first-level divisions. They are
//! written last, each where nothing is yet (the legend, the credits, the dataset's places and
//! the zones' labels have taken their room first), by priority: larger countries first, then
//! capitals and the largest places, then divisions; more of them as the user zooms in.

use egui::{Align2, FontId, Pos2, Rect, Response, Stroke, Ui, Vec2, vec2};
use walkers::{MapMemory, Projector};

use super::placement::Occupied;
use super::{BasemapShapes, Frame, Transform, in_view};
use crate::basemap::{Layer, Place, format};
use crate::geometry::mercator;
use crate::text::clip;
use crate::ui::script::visual;
use crate::ui::theme;

const NAME_CHARS: usize = 32;

/// The zoom (walkers') from which a place is written: capitals first, then by size.
fn place_from_zoom(p: &Place) -> f64 {
    match p.population {
        _ if p.capital => 3.0,
        5_000_000.. => 4.0,
        1_000_000.. => 5.0,
        300_000.. => 6.0,
        100_000.. => 7.0,
        _ => 8.0,
    }
}

/// Division names of the countries that hold zones show from this zoom; others' from the next.
const FOCUS_DIVISION_NAMES_FROM_ZOOM: f64 = 7.5;
const OTHER_DIVISION_NAMES_FROM_ZOOM: f64 = 8.0;

/// What the names pass paints: placed once for a camera, a window and the room the other
/// labels left, then painted again as it is while only the instant moves.
#[derive(Clone)]
enum Mark {
    Text {
        at: Pos2,
        text: String,
        size: f32,
        color: egui::Color32,
    },
    Halo(Rect),
    Dot(Pos2),
}

/// The names last placed, and what they were placed for.
#[derive(Default)]
pub(super) struct Kept {
    key: Option<u64>,
    marks: Vec<Mark>,
    claimed: Vec<Rect>,
}

/// The room being taken, and what was written in it.
struct Placer<'o> {
    occupied: &'o mut Occupied,
    marks: Vec<Mark>,
    claimed: Vec<Rect>,
}

impl Placer<'_> {
    fn claim(&mut self, r: Rect) {
        self.occupied.push(r);
        self.claimed.push(r);
    }
}

pub(super) struct Labels<'a> {
    pub shapes: &'a BasemapShapes,
    pub kept: &'a mut Kept,
    /// Division names that are also zone names are left to the zone labels.
    pub zone_names: &'a [String],
    pub frame: &'a Frame,
}

impl walkers::Plugin for Labels<'_> {
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
        if self.frame.fitting {
            return;
        }
        let mut occupied = self.frame.occupied.borrow_mut();
        let key = key(&t, view, ui.ctx(), &occupied);
        let this = *self;
        if this.kept.key != Some(key) {
            let mut placer = Placer {
                occupied: &mut occupied,
                marks: Vec::new(),
                claimed: Vec::new(),
            };
            this.countries(&painter, &t, view, &mut placer);
            this.places(&painter, &t, view, &mut placer);
            this.divisions(&painter, &t, view, &mut placer);
            *this.kept = Kept {
                key: Some(key),
                marks: placer.marks,
                claimed: placer.claimed,
            };
        } else {
            occupied.extend(this.kept.claimed.iter().copied());
        }
        paint(&painter, &this.kept.marks);
    }
}

/// What the placed names depend on: the camera, the map's place on screen, the pixel density,
/// the look, and the room the legend, credits and other labels took before them.
fn key(t: &Transform, view: Rect, ctx: &egui::Context, occupied: &Occupied) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::hash::DefaultHasher::new();
    for v in [t.scale(), t.offset()[0], t.offset()[1]] {
        v.to_bits().hash(&mut h);
    }
    let rects = occupied.rects().iter().chain(std::iter::once(&view));
    for r in rects {
        for v in [r.min.x, r.min.y, r.max.x, r.max.y] {
            v.to_bits().hash(&mut h);
        }
    }
    ctx.pixels_per_point().to_bits().hash(&mut h);
    std::ptr::from_ref(theme::tokens(ctx)).hash(&mut h);
    h.finish()
}

fn paint(painter: &egui::Painter, marks: &[Mark]) {
    let tk = theme::tokens(painter.ctx());
    for mark in marks {
        match mark {
            Mark::Text {
                at,
                text,
                size,
                color,
            } => {
                let galley =
                    painter.layout_no_wrap(text.clone(), FontId::proportional(*size), *color);
                painter.galley(*at, galley, *color);
            }
            Mark::Halo(r) => {
                painter.rect_filled(*r, 2.0, tk.colors.halo);
            }
            Mark::Dot(p) => {
                painter.circle(
                    *p,
                    2.5,
                    tk.colors.place_dot,
                    Stroke::new(1.0, tk.colors.map_text),
                );
            }
        }
    }
}

/// The words to write for a name in this font: as they are, or without their accents where
/// the fonts lack an accented letter ("Al Ḩasakah" as "Al Hasakah"), or `None` where even that
/// cannot be drawn: no empty boxes on the map.
fn drawable(ctx: &egui::Context, name: &str, font: &FontId) -> Option<String> {
    let text = visual(&clip(name, NAME_CHARS)).into_owned();
    if ctx.fonts_mut(|f| f.has_glyphs(font, &text)) {
        return Some(text);
    }
    let plain = crate::text::without_marks(&text);
    ctx.fonts_mut(|f| f.has_glyphs(font, &plain))
        .then_some(plain)
}

/// Writes `text` centred on `at` if it fits in `view` and on free room; says whether it did.
fn write_centred(
    painter: &egui::Painter,
    text: &str,
    at: Pos2,
    size: f32,
    view: Rect,
    placer: &mut Placer<'_>,
) -> bool {
    let color = theme::tokens(painter.ctx()).colors.country_text;
    let font = FontId::proportional(size);
    let Some(text) = drawable(painter.ctx(), text, &font) else {
        return false;
    };
    let galley = painter.layout_no_wrap(text.clone(), font, color);
    let rect = Align2::CENTER_CENTER.anchor_size(at, galley.size());
    if !view.shrink(4.0).contains_rect(rect) || !placer.occupied.free(rect) {
        return false;
    }
    placer.marks.push(Mark::Text {
        at: rect.min,
        text,
        size,
        color,
    });
    placer.claim(rect);
    true
}

impl Labels<'_> {
    /// Countries other than those that hold zones (theirs is the map's subject), larger on
    /// screen first, each only where its name fits inside its main land (the polygon that
    /// holds its label point: the Netherlands' name is not measured against the Caribbean).
    fn countries(
        &self,
        painter: &egui::Painter,
        t: &Transform,
        view: Rect,
        placer: &mut Placer<'_>,
    ) {
        let world = self.shapes.world;
        let size = theme::tokens(painter.ctx()).text.country;
        let level = world.level_for(t.scale());
        let areas = world.areas(Layer::Countries);
        let mut shown: Vec<(usize, Rect)> = (0..areas.len())
            .filter(|&i| areas[i].labelled && !self.shapes.focus[i])
            .filter(|&i| in_view(view, t, world.bounds(Layer::Countries, i)))
            .filter_map(|i| {
                let main = world
                    .pieces(Layer::Countries, i, level)
                    .iter()
                    .max_by(|a, b| a.area().total_cmp(&b.area()))?;
                Some((i, t.rect(main.bounds)))
            })
            .filter(|(_, r)| r.intersects(view))
            .collect();
        shown.sort_by(|a, b| b.1.area().total_cmp(&a.1.area()));
        for (i, main) in shown {
            let name = areas[i].name.to_uppercase();
            // Roughly: a name wider than its land would sit on its neighbours.
            if main.width() < name.chars().count() as f32 * size * 0.75 {
                continue;
            }
            let [lon, lat] = format::degrees(areas[i].label);
            write_centred(
                painter,
                &name,
                t.screen(mercator(lon, lat)),
                size,
                view,
                placer,
            );
        }
    }

    /// The world's places: a small dot and the name beside it, or nothing where the name finds
    /// no room (a dot without its name tells nothing).
    fn places(&self, painter: &egui::Painter, t: &Transform, view: Rect, placer: &mut Placer<'_>) {
        let tk = theme::tokens(painter.ctx());
        let zoom = (t.scale() / 256.0).log2();
        let world = self.shapes.world;
        for &(i, at) in &self.shapes.places {
            let place = &world.places()[i];
            if place_from_zoom(place) > zoom {
                continue;
            }
            let p = t.screen(at);
            if !view.shrink(8.0).contains(p) {
                continue;
            }
            let size = if place.capital {
                tk.text.capital
            } else {
                tk.text.place
            } - 1.0;
            let font = FontId::proportional(size);
            let Some(name) = drawable(painter.ctx(), place.name, &font) else {
                continue;
            };
            let galley = painter.layout_no_wrap(name.clone(), font, tk.colors.map_text);
            let dot = Rect::from_center_size(p, Vec2::splat(7.0));
            let gs = galley.size();
            let spots = [
                p + vec2(6.0, -gs.y / 2.0),
                p + vec2(-gs.x - 6.0, -gs.y / 2.0),
            ];
            let Some(at) = spots
                .into_iter()
                .map(|at| Rect::from_min_size(at, gs).expand(1.0))
                .find(|r| {
                    view.contains_rect(*r) && placer.occupied.free(*r) && placer.occupied.free(dot)
                })
            else {
                continue;
            };
            placer.marks.extend([
                Mark::Dot(p),
                Mark::Halo(at),
                Mark::Text {
                    at: at.min + vec2(1.0, 1.0),
                    text: name,
                    size,
                    color: tk.colors.map_text,
                },
            ]);
            placer.claim(dot);
            placer.claim(at);
        }
    }

    /// First-level divisions' names once there is room for them: those of the countries that
    /// hold zones from a lower zoom than others'. Not over a zone of the same name.
    fn divisions(
        &self,
        painter: &egui::Painter,
        t: &Transform,
        view: Rect,
        placer: &mut Placer<'_>,
    ) {
        let zoom = (t.scale() / 256.0).log2();
        if zoom <= FOCUS_DIVISION_NAMES_FROM_ZOOM {
            return;
        }
        let world = self.shapes.world;
        let size = theme::tokens(painter.ctx()).text.division;
        let areas = world.areas(Layer::Regions);
        let mut shown: Vec<(usize, Rect)> = (0..areas.len())
            .filter(|&i| areas[i].labelled)
            .filter(|&i| self.shapes.focus_regions[i] || zoom > OTHER_DIVISION_NAMES_FROM_ZOOM)
            .filter(|&i| in_view(view, t, world.bounds(Layer::Regions, i)))
            .map(|i| (i, t.rect(world.bounds(Layer::Regions, i))))
            .filter(|(_, r)| r.width() > 90.0)
            .filter(|&(i, _)| !self.zone_names.iter().any(|z| *z == areas[i].name))
            .collect();
        shown.sort_by(|a, b| {
            areas[a.0]
                .rank
                .total_cmp(&areas[b.0].rank)
                .then(b.1.area().total_cmp(&a.1.area()))
        });
        for (i, _) in shown {
            let [lon, lat] = format::degrees(areas[i].label);
            // Below the point: a division's chief town is often at its middle.
            let at = t.screen(mercator(lon, lat)) + vec2(0.0, 26.0);
            write_centred(
                painter,
                &areas[i].name.to_uppercase(),
                at,
                size,
                view,
                placer,
            );
        }
    }
}
