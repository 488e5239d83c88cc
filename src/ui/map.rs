//! The map: an offline vector basemap and the zones, drawn over walkers' slippy map.
//!
//! All geometry is projected and triangulated at load ([`crate::geometry`]). A frame only maps
//! projected points to the screen (`scale * p + offset`) into meshes that are kept between
//! frames: each buffer is an `Arc<Mesh>` that egui drops after painting, so `Arc::make_mut`
//! reuses its memory instead of allocating the geometry again.

use std::sync::Arc;

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2, pos2, vec2};
use walkers::{HttpTiles, Map, MapMemory, Tiles, lon_lat};

use crate::geometry::{Basemap, Fill, Outline, Shape as GeoShape, mercator, unmercator};
use crate::model::{Dataset, Status};
use crate::ui::theme::{self, Pattern, Patterns};

/// The part of a zone's status the map shows, prepared by the app each frame.
#[derive(Debug, Clone)]
pub struct ZoneLook {
    pub status: Status,
    pub contested: bool,
    /// "In effect since about 30 Apr, until 2 May": the tooltip's second line.
    pub detail: String,
}

/// What happened on the map this frame.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MapOutcome {
    /// `Some(Some(z))`: zone z was clicked; `Some(None)`: empty map was clicked.
    pub clicked: Option<Option<usize>>,
    pub hovered: Option<usize>,
}

/// Screen = `scale * projected + offset`, for the current pan and zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transform {
    scale: f64,
    offset: [f64; 2],
}

impl Transform {
    pub fn screen(&self, p: [f64; 2]) -> Pos2 {
        pos2(
            (self.scale * p[0] + self.offset[0]) as f32,
            (self.scale * p[1] + self.offset[1]) as f32,
        )
    }

    pub fn projected(&self, s: Pos2) -> [f64; 2] {
        [
            (f64::from(s.x) - self.offset[0]) / self.scale,
            (f64::from(s.y) - self.offset[1]) / self.scale,
        ]
    }

    fn rect(&self, bounds: ([f64; 2], [f64; 2])) -> Rect {
        Rect::from_two_pos(self.screen(bounds.0), self.screen(bounds.1))
    }
}

/// The map's own state between frames; the camera part is persisted by the app.
#[derive(Default)]
pub struct MapState {
    pub memory: MapMemory,
    /// Zoom and pan to show every zone on the next frame (first start, "Show all zones").
    pub fit_requested: bool,
    /// The transform of the last frame, so that tests and the app can find a place on screen.
    pub last_transform: Option<Transform>,
    /// Where each zone's label was drawn last frame: a label is part of its zone for clicks
    /// and hover, even where a leader line puts it outside the zone.
    labels: Vec<(usize, Rect)>,
    /// The map's size when it was last fitted: the panels settle their widths over the first
    /// frames, so a fit holds only once the size stops changing.
    fitted_size: Option<Vec2>,
}

impl MapState {
    pub fn screen_position(&self, lon: f64, lat: f64) -> Option<Pos2> {
        self.last_transform.map(|t| t.screen(mercator(lon, lat)))
    }

    /// The view as (lon, lat, zoom), for persistence.
    pub fn view(&self) -> Option<(f64, f64, f64)> {
        self.memory
            .detached()
            .map(|p| (p.x(), p.y(), self.memory.zoom()))
    }

    pub fn set_view(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.memory.center_at(lon_lat(lon, lat));
        // An out-of-range zoom (a hand-edited or corrupt state) is brought into range.
        let _ = self.memory.set_zoom(zoom.clamp(2.0, 18.0));
        self.fit_requested = false;
    }

    /// Zoom and pan to show every zone, once the map's size has settled.
    pub fn request_fit(&mut self) {
        self.fit_requested = true;
        self.fitted_size = None;
    }

    pub fn label_rect(&self, zone: usize) -> Option<Rect> {
        self.labels
            .iter()
            .find(|(z, _)| *z == zone)
            .map(|(_, r)| *r)
    }

    /// Pans by a number of screen points (positive x: the view moves east, y: south).
    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        let Some(centre) = self.memory.detached() else {
            return;
        };
        let scale = 256.0 * 2f64.powf(self.memory.zoom());
        let p = mercator(centre.x(), centre.y());
        let (lon, lat) = unmercator([p[0] + dx / scale, (p[1] + dy / scale).clamp(0.0, 1.0)]);
        self.memory.center_at(lon_lat(lon, lat));
    }

    pub fn zoom_by(&mut self, steps: i32) {
        for _ in 0..steps.unsigned_abs() {
            let _ = if steps > 0 {
                self.memory.zoom_in()
            } else {
                self.memory.zoom_out()
            };
        }
    }
}

/// A mesh kept between frames (see the module comment).
#[derive(Default)]
struct Buffer(Arc<Mesh>);

impl Buffer {
    fn fill(&mut self, texture: egui::TextureId, f: impl FnOnce(&mut Mesh)) -> Arc<Mesh> {
        let mesh = Arc::make_mut(&mut self.0);
        mesh.clear();
        mesh.texture_id = texture;
        f(mesh);
        self.0.clone()
    }
}

struct Feature {
    name: String,
    shape: GeoShape,
    /// The country that holds the zones.
    focus: bool,
}

struct Place {
    name: String,
    kind: String,
    at: [f64; 2],
}

/// Everything the map draws, prepared at load.
pub struct MapLayers {
    countries: Vec<Feature>,
    divisions: Vec<Feature>,
    zones: Vec<GeoShape>,
    zone_names: Vec<String>,
    approximate: Vec<bool>,
    places: Vec<Place>,
    zones_bounds: ([f64; 2], [f64; 2]),
    /// The middle of the zones (lon, lat): where the map looks before it is fitted.
    centre: (f64, f64),
    land: Buffer,
    borders: Buffer,
    division_lines: Buffer,
    zone_fill: Buffer,
    zone_patterns: [Buffer; 3],
    contested: Buffer,
    zone_lines: Buffer,
}

impl MapLayers {
    pub fn new(basemap: &Basemap, ds: &Dataset) -> MapLayers {
        let zones: Vec<GeoShape> = ds
            .zones
            .iter()
            .map(|z| GeoShape::new(&z.geometry))
            .collect();
        let zones_bounds = zones.iter().fold(
            ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
            |(lo, hi), s| {
                (
                    [lo[0].min(s.bounds.0[0]), lo[1].min(s.bounds.0[1])],
                    [hi[0].max(s.bounds.1[0]), hi[1].max(s.bounds.1[1])],
                )
            },
        );
        // The country that holds the zones is drawn a shade lighter, to put it in focus.
        let centre = [
            (zones_bounds.0[0] + zones_bounds.1[0]) / 2.0,
            (zones_bounds.0[1] + zones_bounds.1[1]) / 2.0,
        ];
        let (clon, clat) = unmercator(centre);
        let countries = basemap
            .countries
            .iter()
            .map(|c| Feature {
                name: c.name.clone(),
                focus: c.shape.contains(clon, clat),
                shape: c.shape.clone(),
            })
            .collect();
        let divisions = basemap
            .divisions
            .iter()
            .map(|d| Feature {
                name: d.name.clone(),
                shape: d.shape.clone(),
                focus: false,
            })
            .collect();
        MapLayers {
            countries,
            divisions,
            zone_names: ds.zones.iter().map(|z| z.name.clone()).collect(),
            approximate: ds.zones.iter().map(|z| z.approximate).collect(),
            places: ds
                .places
                .iter()
                .map(|p| Place {
                    name: p.name.clone(),
                    kind: p.kind.clone(),
                    at: mercator(p.lon, p.lat),
                })
                .collect(),
            zones,
            zones_bounds,
            centre: (clon, clat),
            land: Buffer::default(),
            borders: Buffer::default(),
            division_lines: Buffer::default(),
            zone_fill: Buffer::default(),
            zone_patterns: Default::default(),
            contested: Buffer::default(),
            zone_lines: Buffer::default(),
        }
    }

    /// The zone at a geographic point; the smallest wins where zones overlap, so that a small
    /// zone inside a large one can still be picked.
    pub fn zone_at(&self, lon: f64, lat: f64) -> Option<usize> {
        self.zones
            .iter()
            .enumerate()
            .filter(|(_, s)| s.contains(lon, lat))
            .min_by(|a, b| a.1.area.total_cmp(&b.1.area))
            .map(|(i, _)| i)
    }

    /// The camera that shows every zone in a rect of the given size: (lon, lat, zoom).
    pub fn fit(&self, size: Vec2) -> (f64, f64, f64) {
        let (lo, hi) = self.zones_bounds;
        let w = (hi[0] - lo[0]).max(1e-6);
        let h = (hi[1] - lo[1]).max(1e-6);
        // Leave room around the zones for their labels and the overlays.
        let scale = (f64::from(size.x) * 0.8 / w).min(f64::from(size.y) * 0.8 / h);
        let zoom = (scale / 256.0).log2().clamp(2.0, 16.0);
        let (lon, lat) = unmercator([(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0]);
        (lon, lat, zoom)
    }
}

fn push_fill(mesh: &mut Mesh, fill: &Fill, t: &Transform, color: Color32, uv_scale: Option<f32>) {
    let base = mesh.vertices.len() as u32;
    mesh.vertices.extend(fill.vertices.iter().map(|&p| {
        let pos = t.screen(p);
        let uv = match uv_scale {
            // Screen-space pattern: stays the same size whatever the zoom.
            Some(k) => pos2(pos.x / k, pos.y / k),
            None => WHITE_UV,
        };
        Vertex { pos, uv, color }
    }));
    mesh.indices.extend(fill.indices.iter().map(|i| base + i));
}

fn push_outline(mesh: &mut Mesh, outline: &Outline, t: &Transform, color: Color32, width: f32) {
    let base = mesh.vertices.len() as u32;
    let half = width / 2.0;
    mesh.vertices
        .extend(outline.vertices.iter().map(|&(p, n)| Vertex {
            pos: t.screen(p) + vec2(n[0], n[1]) * half,
            uv: WHITE_UV,
            color,
        }));
    mesh.indices
        .extend(outline.indices.iter().map(|i| base + i));
}

fn visible(view: Rect, t: &Transform, shape: &GeoShape) -> bool {
    view.intersects(t.rect(shape.bounds))
}

/// Everything the map needs from the app for one frame.
pub struct MapInput<'a> {
    pub looks: &'a [ZoneLook],
    pub selected: Option<usize>,
    pub patterns: &'a Patterns,
    pub tiles: Option<&'a mut HttpTiles>,
    pub tiles_note: Option<&'a str>,
}

/// Shows the map in the remaining space and reports clicks and hover.
pub fn map_view(
    ui: &mut Ui,
    layers: &mut MapLayers,
    state: &mut MapState,
    input: MapInput<'_>,
) -> MapOutcome {
    let MapInput {
        looks,
        selected,
        patterns,
        mut tiles,
        tiles_note,
    } = input;
    // Online tiles replace the vector land and sea only once they have actually arrived: offline,
    // or while loading, the built-in basemap stays.
    let online = match tiles.as_deref_mut() {
        Some(t) => centre_tile_loaded(t, &state.memory),
        None => false,
    };
    let note = if online { None } else { tiles_note };
    let my_position = lon_lat(layers.centre.0, layers.centre.1);
    let tiles: Option<&mut dyn Tiles> = tiles.map(|t| t as &mut dyn Tiles);
    let map = Map::new(tiles, &mut state.memory, my_position)
        .zoom_with_ctrl(false)
        .double_click_to_zoom(true);

    let inner = map.show(ui, |ui, response, projector, _memory| {
        let rect = response.rect;
        let centre = projector.unproject(rect.center().to_vec2());
        let scale = 256.0 * 2f64.powf(projector.zoom());
        let c = mercator(centre.x(), centre.y());
        let t = Transform {
            scale,
            offset: [
                f64::from(rect.center().x) - scale * c[0],
                f64::from(rect.center().y) - scale * c[1],
            ],
        };
        let painter = ui.painter().with_clip_rect(rect);
        draw_basemap(&painter, layers, &t, rect, online);
        draw_zones(&painter, layers, &t, rect, looks, selected, patterns);

        let labels = &state.labels;
        let zone_under = |p: Pos2| {
            let label = labels.iter().find(|(_, r)| r.contains(p)).map(|(z, _)| *z);
            label.or_else(|| {
                let (lon, lat) = unmercator(t.projected(p));
                layers.zone_at(lon, lat)
            })
        };
        let hovered = response.hover_pos().and_then(zone_under);
        if let Some(z) = hovered {
            draw_zone_outline(&painter, layers, &t, z, theme::HOVERED, 2.0);
        }
        let legend = draw_legend(ui, &painter, rect, patterns);
        let mut occupied = draw_places(&painter, layers, &t, rect);
        occupied.push(legend);
        let labels = draw_zone_labels(&painter, layers, &t, rect, looks, selected, occupied);
        draw_scale_bar(&painter, rect, projector.scale_pixel_per_meter(centre));
        draw_attribution(&painter, rect, online, note);

        // A click, not the end of a drag: pick the zone under the pointer, or none.
        let clicked = (response.clicked() && !response.changed())
            .then(|| response.interact_pointer_pos())
            .flatten()
            .map(zone_under);
        (t, rect, clicked, hovered, labels, response.clone())
    });
    let (t, rect, clicked, hovered, labels, response) = inner.inner;
    state.labels = labels;
    if let Some(z) = hovered {
        let look = &looks[z];
        let name = layers.zone_names[z].clone();
        let detail = look.detail.clone();
        let contested = look.contested;
        let approximate = layers.approximate[z];
        response.on_hover_ui_at_pointer(|ui| {
            ui.strong(name);
            ui.label(detail);
            if contested {
                ui.label(format!(
                    "{} Contested: cited claims disagree",
                    theme::CONTESTED_GLYPH
                ));
            }
            if approximate {
                ui.weak("Approximate outline (drawn by hand)");
            }
            ui.weak("Click for the quotes behind this status");
        });
    }
    if state.fit_requested && rect.width() > 10.0 {
        let (lon, lat, zoom) = layers.fit(rect.size());
        let settled = state.fitted_size == Some(rect.size());
        state.set_view(lon, lat, zoom);
        state.fit_requested = !settled;
        state.fitted_size = Some(rect.size());
        ui.ctx().request_repaint();
    }
    state.last_transform = Some(t);
    MapOutcome { clicked, hovered }
}

/// Whether the tile under the map's centre is there to draw (asking for it if not).
fn centre_tile_loaded(tiles: &mut HttpTiles, memory: &MapMemory) -> bool {
    let Some(centre) = memory.detached() else {
        return false;
    };
    let zoom = memory.zoom().round().clamp(0.0, 19.0) as u8;
    let p = mercator(centre.x(), centre.y());
    let n = f64::from(1u32 << zoom);
    let id = walkers::TileId {
        x: (p[0] * n).floor().clamp(0.0, n - 1.0) as u32,
        y: (p[1] * n).floor().clamp(0.0, n - 1.0) as u32,
        zoom,
    };
    tiles.at(id).is_some()
}

fn draw_basemap(
    painter: &egui::Painter,
    layers: &mut MapLayers,
    t: &Transform,
    view: Rect,
    online: bool,
) {
    if !online {
        painter.rect_filled(view, 0.0, theme::SEA);
        let countries = &layers.countries;
        let land = layers.land.fill(egui::TextureId::default(), |mesh| {
            for c in countries.iter().filter(|c| visible(view, t, &c.shape)) {
                let color = if c.focus {
                    theme::FOCUS_LAND
                } else {
                    theme::LAND
                };
                push_fill(mesh, &c.shape.fill, t, color, None);
            }
        });
        painter.add(Shape::Mesh(land));
    }
    let divisions = &layers.divisions;
    let lines = layers
        .division_lines
        .fill(egui::TextureId::default(), |mesh| {
            for d in divisions.iter().filter(|d| visible(view, t, &d.shape)) {
                push_outline(
                    mesh,
                    &d.shape.outline,
                    t,
                    theme::DIVISION,
                    theme::DIVISION_WIDTH,
                );
            }
        });
    painter.add(Shape::Mesh(lines));
    let countries = &layers.countries;
    let borders = layers.borders.fill(egui::TextureId::default(), |mesh| {
        for c in countries.iter().filter(|c| visible(view, t, &c.shape)) {
            push_outline(
                mesh,
                &c.shape.outline,
                t,
                theme::BORDER,
                theme::BORDER_WIDTH,
            );
        }
    });
    painter.add(Shape::Mesh(borders));

    // Country names, and governorate names once there is room for them.
    for c in layers.countries.iter().filter(|c| !c.focus) {
        let p = t.screen(mercator(c.shape.label.0, c.shape.label.1));
        if view.shrink(30.0).contains(p) {
            painter.text(
                p,
                Align2::CENTER_CENTER,
                c.name.to_uppercase(),
                FontId::proportional(13.0),
                theme::COUNTRY_TEXT,
            );
        }
    }
    if t.scale > 256.0 * 2f64.powf(7.5) {
        for d in &layers.divisions {
            let p = t.screen(mercator(d.shape.label.0, d.shape.label.1));
            let size = t.rect(d.shape.bounds).size();
            let named_zone = layers.zone_names.iter().any(|z| z == &d.name);
            if view.contains(p) && size.x > 90.0 && !d.name.starts_with("UNDOF") && !named_zone {
                painter.text(
                    p + vec2(0.0, 26.0),
                    Align2::CENTER_CENTER,
                    d.name.to_uppercase(),
                    FontId::proportional(10.0),
                    theme::COUNTRY_TEXT,
                );
            }
        }
    }
}

fn draw_zones(
    painter: &egui::Painter,
    layers: &mut MapLayers,
    t: &Transform,
    view: Rect,
    looks: &[ZoneLook],
    selected: Option<usize>,
    patterns: &Patterns,
) {
    let zones = &layers.zones;
    let shown = |z: usize| visible(view, t, &zones[z]);
    let fill = layers.zone_fill.fill(egui::TextureId::default(), |mesh| {
        for (z, look) in looks.iter().enumerate().filter(|(z, _)| shown(*z)) {
            let style = theme::status_style(look.status);
            push_fill(
                mesh,
                &zones[z].fill,
                t,
                style.fill.gamma_multiply_u8(theme::ZONE_FILL_ALPHA),
                None,
            );
        }
    });
    painter.add(Shape::Mesh(fill));
    for (k, pattern) in [Pattern::Dots, Pattern::Stripes, Pattern::CrossHatch]
        .into_iter()
        .enumerate()
    {
        let Some(texture) = patterns.texture(pattern) else {
            continue;
        };
        let mesh = layers.zone_patterns[k].fill(texture, |mesh| {
            for (z, look) in looks.iter().enumerate().filter(|(z, _)| shown(*z)) {
                let style = theme::status_style(look.status);
                if style.pattern == pattern {
                    push_fill(
                        mesh,
                        &zones[z].fill,
                        t,
                        style.ink,
                        Some(theme::PATTERN_SIZE),
                    );
                }
            }
        });
        painter.add(Shape::Mesh(mesh));
    }
    let contested = layers.contested.fill(patterns.contested(), |mesh| {
        for (z, _) in looks
            .iter()
            .enumerate()
            .filter(|(z, l)| l.contested && shown(*z))
        {
            push_fill(
                mesh,
                &zones[z].fill,
                t,
                theme::CONTESTED_INK,
                Some(theme::PATTERN_SIZE),
            );
        }
    });
    painter.add(Shape::Mesh(contested));

    let approximate = &layers.approximate;
    let lines = layers.zone_lines.fill(egui::TextureId::default(), |mesh| {
        for (z, look) in looks
            .iter()
            .enumerate()
            .filter(|(z, _)| shown(*z) && !approximate[*z])
        {
            let ink = theme::status_style(look.status).ink;
            push_outline(mesh, &zones[z].outline, t, ink, theme::ZONE_OUTLINE_WIDTH);
        }
    });
    painter.add(Shape::Mesh(lines));
    // Hand-drawn outlines are dashed, so nobody mistakes them for a surveyed boundary. They are
    // few and small, so drawing them as dashed paths each frame costs little.
    for (z, look) in looks
        .iter()
        .enumerate()
        .filter(|(z, _)| shown(*z) && approximate[*z])
    {
        let ink = theme::status_style(look.status).ink;
        for ring in &zones[z].rings {
            let points: Vec<Pos2> = ring.iter().map(|&p| t.screen(p)).collect();
            painter.extend(Shape::dashed_line(
                &points,
                Stroke::new(theme::ZONE_OUTLINE_WIDTH + 0.5, ink),
                6.0,
                4.0,
            ));
        }
    }
    if let Some(z) = selected.filter(|&z| z < zones.len()) {
        draw_zone_outline(
            painter,
            layers,
            t,
            z,
            theme::SELECTED,
            theme::SELECTED_OUTLINE_WIDTH,
        );
    }
}

fn draw_zone_outline(
    painter: &egui::Painter,
    layers: &MapLayers,
    t: &Transform,
    zone: usize,
    color: Color32,
    width: f32,
) {
    for ring in &layers.zones[zone].rings {
        let points: Vec<Pos2> = ring.iter().map(|&p| t.screen(p)).collect();
        painter.add(Shape::closed_line(points, Stroke::new(width, color)));
    }
}

/// Draws the labelled points and returns the space they take, for the zone labels to avoid.
/// Every dot goes down before any name, so that no name covers a neighbour's dot; names go
/// down by rank (capital, city, town), so a crowded town loses its name before a capital does.
fn draw_places(
    painter: &egui::Painter,
    layers: &MapLayers,
    t: &Transform,
    view: Rect,
) -> Vec<Rect> {
    let mut occupied = Vec::with_capacity(2 * layers.places.len());
    let shown = || {
        layers
            .places
            .iter()
            .map(|p| (p, t.screen(p.at)))
            .filter(|(_, s)| view.contains(*s))
    };
    for (place, p) in shown() {
        let capital = place.kind == "capital";
        let r = if capital { 4.0 } else { 3.0 };
        painter.circle(p, r, Color32::WHITE, Stroke::new(1.5, theme::MAP_TEXT));
        if capital {
            painter.circle_filled(p, 1.6, theme::MAP_TEXT);
        }
        // A town's dot may sit under a bigger place's name (its own name then gives way).
        if place.kind != "town" {
            occupied.push(Rect::from_center_size(p, Vec2::splat(2.0 * r + 2.0)));
        }
    }
    let rank = |kind: &str| match kind {
        "capital" => 0,
        "town" => 2,
        _ => 1,
    };
    let mut named: Vec<(&Place, Pos2)> = shown().collect();
    named.sort_by_key(|(place, _)| rank(&place.kind));
    for (place, p) in named {
        let font = FontId::proportional(if place.kind == "capital" { 13.0 } else { 12.0 });
        let name = crate::report::clip(&place.name, 40).into_owned();
        let galley = painter.layout_no_wrap(name, font, theme::MAP_TEXT);
        // Above right of the dot, else another corner; a name that fits nowhere is left out.
        let size = galley.size();
        // Clear of the place's own dot (radius 4 at most, plus its outline).
        let spots = [
            p + vec2(8.0, -size.y - 2.0),
            p + vec2(-size.x - 8.0, 2.0),
            p + vec2(8.0, 2.0),
            p + vec2(-size.x - 8.0, -size.y - 2.0),
        ];
        let free = |r: &Rect| !occupied.iter().any(|o: &Rect| o.intersects(*r));
        let Some(at) = spots
            .into_iter()
            .find(|at| free(&Rect::from_min_size(*at, size).expand(1.0)))
        else {
            continue;
        };
        // A faint halo keeps the name readable over any fill.
        let text_rect = Rect::from_min_size(at, size).expand(1.0);
        painter.rect_filled(text_rect, 2.0, Color32::from_white_alpha(150));
        painter.galley(at, galley, theme::MAP_TEXT);
        occupied.push(text_rect);
    }
    occupied
}

/// Zone labels: the name and the status word (and the contested mark). Each goes on the first
/// of a few spots around its zone that overlaps nothing already drawn (city names, the legend,
/// other labels), with a leader line back to the zone when it sits outside it. Small zones are
/// placed first: they have the fewest good spots.
fn draw_zone_labels(
    painter: &egui::Painter,
    layers: &MapLayers,
    t: &Transform,
    view: Rect,
    looks: &[ZoneLook],
    selected: Option<usize>,
    mut occupied: Vec<Rect>,
) -> Vec<(usize, Rect)> {
    let mut drawn = Vec::with_capacity(looks.len());
    let mut order: Vec<usize> = (0..looks.len()).collect();
    order.sort_by(|&a, &b| layers.zones[a].area.total_cmp(&layers.zones[b].area));
    for z in order {
        let look = &looks[z];
        let style = theme::status_style(look.status);
        let anchor = t.screen(mercator(layers.zones[z].label.0, layers.zones[z].label.1));
        if !view.expand(40.0).contains(anchor) {
            continue;
        }
        let mut status = format!("{} {}", style.glyph, style.word);
        if look.contested {
            status.push_str(&format!(
                "  {} {}",
                theme::CONTESTED_GLYPH,
                theme::CONTESTED_WORD
            ));
        }
        let name = painter.layout_no_wrap(
            crate::report::clip(&layers.zone_names[z], 32).into_owned(),
            FontId::proportional(14.0),
            theme::MAP_TEXT,
        );
        let word = painter.layout_no_wrap(status, FontId::proportional(12.0), style.ink);
        let size = vec2(
            name.size().x.max(word.size().x) + 14.0,
            name.size().y + word.size().y + 8.0,
        );
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
        ];
        let inside = view.shrink(6.0);
        let rect = spots
            .iter()
            .map(|d| Rect::from_center_size(anchor + *d, size))
            .find(|r| {
                inside.contains_rect(*r) && !occupied.iter().any(|o| o.expand(2.0).intersects(*r))
            })
            .unwrap_or_else(|| Rect::from_center_size(anchor, size));
        if !rect.contains(anchor) {
            let from = rect.clamp(anchor);
            painter.line_segment([anchor, from], Stroke::new(1.2, theme::MAP_TEXT));
            painter.circle_filled(anchor, 2.5, theme::MAP_TEXT);
        }
        let border = if selected == Some(z) {
            Stroke::new(2.0, theme::SELECTED)
        } else {
            Stroke::new(1.0, style.ink)
        };
        painter.rect(
            rect,
            4.0,
            theme::LABEL_BACKGROUND,
            border,
            egui::StrokeKind::Inside,
        );
        let swatch = Rect::from_min_size(
            rect.left_top() + vec2(4.0, 4.0),
            vec2(3.0, rect.height() - 8.0),
        );
        painter.rect_filled(swatch, 1.0, style.fill);
        painter.galley(
            rect.left_top() + vec2(10.0, 3.0),
            name.clone(),
            theme::MAP_TEXT,
        );
        painter.galley(
            rect.left_top() + vec2(10.0, 4.0 + name.size().y),
            word,
            style.ink,
        );
        occupied.push(rect);
        drawn.push((z, rect));
    }
    drawn
}

/// The key to the colours and patterns, in the map's top-left corner.
fn draw_legend(ui: &Ui, painter: &egui::Painter, view: Rect, patterns: &Patterns) -> Rect {
    let row = 20.0;
    let rows = Status::ALL.len() + 2;
    let rect = Rect::from_min_size(
        view.left_top() + vec2(10.0, 10.0),
        vec2(150.0, row * rows as f32 + 30.0),
    );
    painter.rect(
        rect,
        6.0,
        Color32::from_white_alpha(235),
        Stroke::new(1.0, theme::BORDER),
        egui::StrokeKind::Inside,
    );
    painter.text(
        rect.left_top() + vec2(10.0, 8.0),
        Align2::LEFT_TOP,
        "Truce status",
        FontId::proportional(13.0),
        theme::MAP_TEXT,
    );
    let swatch = |y: f32| Rect::from_min_size(pos2(rect.left() + 10.0, y), vec2(26.0, 14.0));
    let mut y = rect.top() + 30.0;
    for status in Status::ALL {
        let style = theme::status_style(status);
        let s = swatch(y);
        painter.rect_filled(s, 2.0, style.fill.gamma_multiply_u8(theme::ZONE_FILL_ALPHA));
        if let Some(texture) = patterns.texture(style.pattern) {
            let uv = Rect::from_min_size(Pos2::ZERO, s.size() / theme::PATTERN_SIZE);
            painter.image(texture, s, uv, style.ink);
        }
        painter.rect_stroke(
            s,
            2.0,
            Stroke::new(1.0, style.ink),
            egui::StrokeKind::Inside,
        );
        painter.text(
            pos2(s.right() + 8.0, s.center().y),
            Align2::LEFT_CENTER,
            format!("{} {}", style.glyph, style.word),
            FontId::proportional(12.0),
            theme::MAP_TEXT,
        );
        y += row;
    }
    let s = swatch(y);
    painter.rect_filled(s, 2.0, Color32::WHITE);
    let uv = Rect::from_min_size(Pos2::ZERO, s.size() / theme::PATTERN_SIZE);
    painter.image(patterns.contested(), s, uv, theme::CONTESTED_INK);
    painter.rect_stroke(
        s,
        2.0,
        Stroke::new(1.0, theme::BORDER),
        egui::StrokeKind::Inside,
    );
    painter.text(
        pos2(s.right() + 8.0, s.center().y),
        Align2::LEFT_CENTER,
        format!("{} Contested", theme::CONTESTED_GLYPH),
        FontId::proportional(12.0),
        theme::MAP_TEXT,
    );
    y += row;
    let s = swatch(y);
    painter.extend(Shape::dashed_line(
        &[s.left_center(), s.right_center()],
        Stroke::new(2.0, theme::MAP_TEXT),
        5.0,
        3.0,
    ));
    painter.text(
        pos2(s.right() + 8.0, s.center().y),
        Align2::LEFT_CENTER,
        "Approximate outline",
        FontId::proportional(12.0),
        theme::MAP_TEXT,
    );
    // The legend is information, not a control; keep the pointer from clicking through it.
    let _ = ui.interact(rect, ui.scope_id().with("legend"), Sense::hover());
    rect
}

fn draw_scale_bar(painter: &egui::Painter, view: Rect, pixels_per_meter: f32) {
    if !(pixels_per_meter.is_finite() && pixels_per_meter > 0.0) {
        return;
    }
    let target = 120.0 / pixels_per_meter;
    let magnitude = 10f32.powf(target.log10().floor());
    let nice = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|d| *d <= target)
        .unwrap_or(magnitude);
    let width = nice * pixels_per_meter;
    let label = if nice >= 1000.0 {
        format!("{} km", nice / 1000.0)
    } else {
        format!("{nice} m")
    };
    let left = view.left_bottom() + vec2(14.0, -16.0);
    let right = left + vec2(width, 0.0);
    let stroke = Stroke::new(2.0, theme::MAP_TEXT);
    let back = Rect::from_min_max(left + vec2(-6.0, -22.0), right + vec2(6.0, 6.0));
    painter.rect_filled(back, 3.0, Color32::from_white_alpha(200));
    painter.line_segment([left, right], stroke);
    painter.line_segment([left, left + vec2(0.0, -6.0)], stroke);
    painter.line_segment([right, right + vec2(0.0, -6.0)], stroke);
    painter.text(
        left + vec2(width / 2.0, -8.0),
        Align2::CENTER_BOTTOM,
        label,
        FontId::proportional(11.0),
        theme::MAP_TEXT,
    );
}

fn draw_attribution(painter: &egui::Painter, view: Rect, online: bool, note: Option<&str>) {
    let mut lines = vec!["Boundaries: Natural Earth (public domain)".to_string()];
    if online {
        lines.push("Map tiles © OpenStreetMap contributors".into());
    }
    if let Some(note) = note {
        lines.push(note.to_string());
    }
    let font = FontId::proportional(11.0);
    let mut y = view.bottom() - 4.0;
    for line in lines.iter().rev() {
        let galley = painter.layout_no_wrap(line.clone(), font.clone(), theme::MAP_TEXT);
        let at = pos2(view.right() - galley.size().x - 8.0, y - galley.size().y);
        painter.rect_filled(
            Rect::from_min_size(at, galley.size()).expand(3.0),
            2.0,
            Color32::from_white_alpha(210),
        );
        painter.galley(at, galley.clone(), theme::MAP_TEXT);
        y -= galley.size().y + 6.0;
    }
}
