//! The map: an offline vector basemap and the zones, drawn over walkers' slippy map by one
//! plugin per layer ([`basemap`], [`zones`], [`labels`] for places and zone labels, [`overlay`]
//! for the legend, scale bar and attribution). The plugins share one [`Frame`]: the transform
//! of this frame, the zone under the pointer, and one placement space where every label, the
//! legend and the city names claim their room, so that nothing is written over anything else.
//!
//! All geometry is projected and triangulated at load ([`crate::geometry`]). A frame only maps
//! projected points to the screen (`scale * p + offset`) into meshes that are kept between
//! frames: each buffer is an `Arc<Mesh>` that egui drops after painting, so `Arc::make_mut`
//! reuses its memory instead of allocating the geometry again.

mod basemap;
mod incidents;
mod labels;
mod overlay;
mod placement;
mod world;
mod zones;

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Ui, Vec2, pos2, vec2};
use walkers::{HttpTiles, Map, MapMemory, Projector, Tiles, lon_lat};

use crate::basemap::{Basemap, Layer};
use crate::geometry::{Fill, Outline, Shape as GeoShape, mercator, unmercator};
use crate::model::Dataset;
use crate::present::ZoneSummary;
use crate::ui::theme::{CONTESTED_GLYPH, Patterns};

pub use incidents::Cluster;

/// Screen = `scale * projected + offset`, for the current pan and zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transform {
    scale: f64,
    offset: [f64; 2],
}

impl Transform {
    /// The transform walkers' projector uses for this frame, in normalized Web Mercator.
    fn of(projector: &Projector, rect: Rect) -> Transform {
        let centre = projector.unproject(rect.center().to_vec2());
        let scale = 256.0 * 2f64.powf(projector.zoom());
        let c = mercator(centre.x(), centre.y());
        Transform {
            scale,
            offset: [
                f64::from(rect.center().x) - scale * c[0],
                f64::from(rect.center().y) - scale * c[1],
            ],
        }
    }

    /// Pixels per projected unit.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Where the projected origin lands on screen.
    pub fn offset(&self) -> [f64; 2] {
        self.offset
    }

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
    /// The zones a fit frames (every zone, if none): a story's step frames its own.
    fit_zones: Vec<usize>,
    /// The next fit glides there rather than jumping (a story's step, motion not reduced).
    glide_next: bool,
    /// A glide under way: from and to (lon, lat, zoom), and when it began.
    glide: Option<Glide>,
}

/// The camera moving from one view to another over [`GLIDE`].
#[derive(Debug, Clone, Copy)]
struct Glide {
    from: (f64, f64, f64),
    to: (f64, f64, f64),
    began: std::time::Instant,
}

/// How long a glide between a story's steps takes: short, so that reading is not held up.
const GLIDE: std::time::Duration = std::time::Duration::from_millis(450);

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
        self.request_fit_of(Vec::new());
    }

    /// Glide to these zones (every zone, if none) over a short moment instead of jumping.
    pub fn request_glide_to(&mut self, zones: Vec<usize>) {
        self.request_fit_of(zones);
        self.glide_next = true;
    }

    /// Zoom and pan to show these zones (every zone, if none) on the next frame.
    pub fn request_fit_of(&mut self, zones: Vec<usize>) {
        self.glide_next = false;
        self.glide = None;
        self.fit_requested = true;
        self.fit_zones = zones;
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

/// A mesh kept between frames (see the module comment), and what it was made for, if known.
#[derive(Default)]
struct Buffer(Arc<Mesh>, Vec<u64>);

impl Buffer {
    fn fill(&mut self, texture: egui::TextureId, f: impl FnOnce(&mut Mesh)) -> Arc<Mesh> {
        self.1.clear();
        let mesh = Arc::make_mut(&mut self.0);
        mesh.clear();
        mesh.texture_id = texture;
        f(mesh);
        self.0.clone()
    }

    /// The mesh `f` makes, made again only when `key` (everything it depends on) differs from
    /// the last one's. The same `Arc` otherwise: the frame comparison then sees the same mesh
    /// without walking it, and no copy of it is made (the last frame still holds it, so
    /// filling it in place would copy it first).
    fn fill_for(
        &mut self,
        key: &[u64],
        texture: egui::TextureId,
        f: impl FnOnce(&mut Mesh),
    ) -> Arc<Mesh> {
        if !key.is_empty() && self.1 == key && self.0.texture_id == texture {
            return self.0.clone();
        }
        let mesh = self.fill(texture, f);
        self.1.extend_from_slice(key);
        mesh
    }
}

struct Place {
    name: String,
    kind: String,
    at: [f64; 2],
}

/// The basemap as this dataset sees it, prepared once.
struct BasemapShapes {
    world: &'static Basemap,
    /// Per country: whether it holds a zone. It is drawn a shade lighter, and its divisions'
    /// lines and names show from lower zooms than other countries'.
    focus: Vec<bool>,
    /// Per division: whether its country holds a zone.
    focus_regions: Vec<bool>,
    /// The world's places to write, in order of importance: those the dataset does not name
    /// itself (its own places.geojson wins, so there is no second "Aleppo").
    /// Each with its projected position, worked out once.
    places: Vec<(usize, [f64; 2])>,
}

impl BasemapShapes {
    /// `zones_bounds` are the zones' projected bounds (as [`MapLayers`] keeps them).
    fn new(
        world: &'static Basemap,
        ds: &Dataset,
        zones: &[GeoShape],
        zones_bounds: ([f64; 2], [f64; 2]),
        centre: (f64, f64),
    ) -> Self {
        let mut focus = vec![false; world.areas(Layer::Countries).len()];
        let points = zones.iter().map(|z| z.label).chain([centre]);
        for (lon, lat) in points {
            if let Some(i) = world.country_at(lon, lat) {
                focus[i] = true;
            }
        }
        let countries = world.areas(Layer::Countries);
        let focus_codes: std::collections::HashSet<&str> = (0..focus.len())
            .filter(|&i| focus[i])
            .map(|i| countries[i].code)
            .collect();
        // The zones' surroundings, three times their size, at the level a view fitted to them
        // in a window of common size is drawn at, made ready while the window opens.
        let (lo, hi) = zones_bounds;
        if lo[0].is_finite() && hi[0].is_finite() {
            let (w, h) = (hi[0] - lo[0], hi[1] - lo[1]);
            let around = ([lo[0] - w, lo[1] - h], [hi[0] + w, hi[1] + h]);
            let codes = focus_codes.iter().copied().collect();
            let zoom = fit_zoom((lo, hi), Vec2::new(1000.0, 680.0));
            let level = world.level_for(256.0 * 2f64.powf(zoom));
            world.prepare_around(around, vec![level], codes);
        }
        let focus_regions = world
            .areas(Layer::Regions)
            .iter()
            .map(|r| focus_codes.contains(r.country))
            .collect();
        let own: Vec<(String, [f64; 2])> = ds
            .places
            .iter()
            .map(|p| (crate::text::fold(&p.name), [p.lon, p.lat]))
            .collect();
        // Within about 5 km of one of the dataset's places, or within about 50 km and of the
        // same name (a spelling of its own: "Ḩamāh" for "Hama" is caught by the first).
        let near =
            |a: [f64; 2], b: [f64; 2], d: f64| (a[0] - b[0]).abs() < d && (a[1] - b[1]).abs() < d;
        let named_by_dataset = |p: &crate::basemap::Place<'_>| {
            let at = crate::basemap::format::degrees(p.at);
            own.iter().any(|(n, o)| {
                near(at, *o, 0.05) || (near(at, *o, 0.5) && *n == crate::text::fold(p.name))
            })
        };
        let places = (0..world.places().len())
            .filter(|&i| !named_by_dataset(&world.places()[i]))
            .map(|i| {
                let [lon, lat] = crate::basemap::format::degrees(world.places()[i].at);
                (i, mercator(lon, lat))
            })
            .collect();
        BasemapShapes {
            world,
            focus,
            focus_regions,
            places,
        }
    }
}

/// The basemap's meshes, refilled when the camera, the window or the look change.
struct BasemapMeshes {
    /// Whether land is in view, and the picture key it was found for.
    shown: (Option<u64>, bool),
    land: Buffer,
    borders: Buffer,
    division_lines: Buffer,
    /// The picture the meshes were last filled for (see `basemap::picture_key`).
    key: Option<u64>,
    /// Tells these layers' pictures from those of layers made before (another dataset's).
    generation: u64,
}

impl Default for BasemapMeshes {
    fn default() -> Self {
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        BasemapMeshes {
            shown: (None, false),
            land: Buffer::default(),
            borders: Buffer::default(),
            division_lines: Buffer::default(),
            key: None,
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

/// The zones' shapes, prepared once.
struct ZoneShapes {
    shapes: Vec<GeoShape>,
    names: Vec<String>,
    approximate: Vec<bool>,
}

impl ZoneShapes {
    /// The zone at a geographic point; the smallest wins where zones overlap, so that a small
    /// zone inside a large one can still be picked.
    fn zone_at(&self, lon: f64, lat: f64) -> Option<usize> {
        self.shapes
            .iter()
            .enumerate()
            .filter(|(_, s)| s.contains(lon, lat))
            .min_by(|a, b| a.1.area.total_cmp(&b.1.area))
            .map(|(i, _)| i)
    }
}

/// The zones' meshes, refilled each frame: fill, the three patterns, contested, outlines.
#[derive(Default)]
struct ZoneMeshes {
    fill: Buffer,
    patterns: [Buffer; 3],
    contested: Buffer,
    /// The dashes over zones whose status is past the last report.
    after_reports: Buffer,
    lines: Buffer,
}

/// Everything the map draws, prepared at load.
pub struct MapLayers {
    basemap: BasemapShapes,
    basemap_meshes: BasemapMeshes,
    zones: ZoneShapes,
    zone_meshes: ZoneMeshes,
    /// The basemap's names as last placed.
    world_labels: world::Kept,
    places: Vec<Place>,
    zones_bounds: ([f64; 2], [f64; 2]),
    /// The middle of the zones (lon, lat): where the map looks before it is fitted.
    centre: (f64, f64),
    /// Each zone's label point (lon, lat): where an incident with no point is drawn.
    label_points: Vec<(f64, f64)>,
    /// The incident marks as last drawn.
    incident_picture: incidents::Picture,
}

/// The zoom that shows projected `bounds` in a rect of the given size, with room around them
/// for their labels and the overlays.
fn fit_zoom((lo, hi): ([f64; 2], [f64; 2]), size: Vec2) -> f64 {
    let w = (hi[0] - lo[0]).max(1e-6);
    let h = (hi[1] - lo[1]).max(1e-6);
    let scale = (f64::from(size.x) * 0.8 / w).min(f64::from(size.y) * 0.8 / h);
    (scale / 256.0).log2().clamp(2.0, 16.0)
}

fn bounds_of<'a>(shapes: impl Iterator<Item = &'a GeoShape>) -> ([f64; 2], [f64; 2]) {
    shapes.fold(
        ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
        |(lo, hi), s| {
            (
                [lo[0].min(s.bounds.0[0]), lo[1].min(s.bounds.0[1])],
                [hi[0].max(s.bounds.1[0]), hi[1].max(s.bounds.1[1])],
            )
        },
    )
}

impl MapLayers {
    pub fn new(basemap: &'static Basemap, ds: &Dataset) -> MapLayers {
        let shapes: Vec<GeoShape> = ds
            .zones
            .iter()
            .map(|z| GeoShape::new(&z.geometry))
            .collect();
        let zones_bounds = bounds_of(shapes.iter());
        let label_points = shapes.iter().map(|s| s.label).collect();
        let (clon, clat) = unmercator([
            (zones_bounds.0[0] + zones_bounds.1[0]) / 2.0,
            (zones_bounds.0[1] + zones_bounds.1[1]) / 2.0,
        ]);
        MapLayers {
            basemap: BasemapShapes::new(basemap, ds, &shapes, zones_bounds, (clon, clat)),
            basemap_meshes: BasemapMeshes::default(),
            zones: ZoneShapes {
                names: ds.zones.iter().map(|z| z.name.clone()).collect(),
                approximate: ds.zones.iter().map(|z| z.approximate).collect(),
                shapes,
            },
            zone_meshes: ZoneMeshes::default(),
            world_labels: world::Kept::default(),
            places: ds
                .places
                .iter()
                .map(|p| Place {
                    name: p.name.clone(),
                    kind: p.kind.clone(),
                    at: mercator(p.lon, p.lat),
                })
                .collect(),
            zones_bounds,
            centre: (clon, clat),
            label_points,
            incident_picture: incidents::Picture::default(),
        }
    }

    /// Each zone's label point (lon, lat).
    pub fn label_points(&self) -> &[(f64, f64)] {
        &self.label_points
    }

    /// The zone at a geographic point (see [`ZoneShapes::zone_at`]).
    pub fn zone_at(&self, lon: f64, lat: f64) -> Option<usize> {
        self.zones.zone_at(lon, lat)
    }

    /// The camera that shows these zones (every zone, if none) in a rect of the given size:
    /// (lon, lat, zoom).
    pub fn fit(&self, zones: &[usize], size: Vec2) -> (f64, f64, f64) {
        let chosen = zones.iter().filter_map(|&z| self.zones.shapes.get(z));
        let bounds = match zones.is_empty() {
            true => self.zones_bounds,
            false => bounds_of(chosen),
        };
        let (lo, hi) = if bounds.0[0].is_finite() {
            bounds
        } else {
            self.zones_bounds
        };
        let (lon, lat) = unmercator([(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0]);
        (lon, lat, fit_zoom((lo, hi), size))
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

/// How far an edge fades out, in points: about one pixel of anti-aliasing, as egui feathers its
/// own shapes (the meshes here are built by hand, and eframe does no multisampling).
const FEATHER: f32 = 1.0;

/// A line along every edge of `outline`, `width` wide, fading to nothing over [`FEATHER`] on
/// both sides. The outline holds one quad per edge (see `geometry::outline`): the edge's two
/// ends, each pushed out along the normal and back.
fn push_outline(mesh: &mut Mesh, outline: &Outline, t: &Transform, color: Color32, width: f32) {
    let half = width / 2.0;
    for quad in outline.vertices.chunks_exact(4) {
        let base = mesh.vertices.len() as u32;
        for (reach, color) in [(half, color), (half + FEATHER, Color32::TRANSPARENT)] {
            mesh.vertices.extend(quad.iter().map(|&(p, n)| Vertex {
                pos: t.screen(p) + vec2(n[0], n[1]) * reach,
                uv: WHITE_UV,
                color,
            }));
        }
        // 0, 2: the edge's ends on the normal's side; 1, 3: on the other; 4..8 the same, faded.
        if width > 0.0 {
            mesh.indices.extend([0, 1, 2, 1, 3, 2].map(|i| base + i));
        }
        mesh.indices
            .extend([0, 4, 2, 4, 6, 2, 1, 5, 3, 5, 7, 3].map(|i| base + i));
    }
}

/// The anti-aliased rim of a fill: its colour fading out across each edge, so the triangles'
/// hard, stair-stepped border is smoothed.
fn push_fill_edge(mesh: &mut Mesh, outline: &Outline, t: &Transform, color: Color32) {
    push_outline(mesh, outline, t, color, 0.0);
}

fn visible(view: Rect, t: &Transform, shape: &GeoShape) -> bool {
    in_view(view, t, shape.bounds)
}

fn in_view(view: Rect, t: &Transform, bounds: ([f64; 2], [f64; 2])) -> bool {
    view.intersects(t.rect(bounds))
}

/// What the plugins share within one frame.
#[derive(Default)]
struct Frame {
    /// Room taken on screen: the legend, city names, zone labels claim theirs in turn.
    occupied: RefCell<placement::Occupied>,
    hovered: Cell<Option<usize>>,
    /// `Some(Some(z))`: zone z was clicked; `Some(None)`: empty map was clicked.
    clicked: Cell<Option<Option<usize>>>,
    labels: RefCell<Vec<(usize, Rect)>>,
    transform: Cell<Option<Transform>>,
    /// Whether online tiles are drawn (they replace the vector land and sea).
    online: bool,
    /// Whether the map is about to be fitted to the zones: this pass's camera is not the one
    /// the user will see, so the basemap is not decoded nor drawn for it (at launch, the first
    /// pass's camera would decode Syria at full detail for nothing).
    fitting: bool,
    /// Whether any shape of the built-in basemap is in view this frame: its credit is shown
    /// only then (near Paris the Syria basemap draws nothing, and says nothing).
    basemap_shown: Cell<bool>,
    /// The incident marks under the pointer, and those clicked.
    incident_hovered: RefCell<Option<Cluster>>,
    incident_clicked: RefCell<Option<Cluster>>,
}

/// Everything the map needs from the app for one frame.
pub struct MapInput<'a> {
    pub zones: &'a [ZoneSummary],
    /// For the words of the hovered zone's tooltip.
    pub dataset: &'a crate::model::Dataset,
    pub selected: Option<usize>,
    pub patterns: &'a Patterns,
    pub tiles: Option<&'a mut HttpTiles>,
    pub tiles_note: Option<&'a str>,
    /// "According to: …" while a filter is on.
    pub according_to: Option<&'a str>,
    /// Zones to outline (the ones a comparison found changed).
    pub outlined: &'a [usize],
    /// The incidents to draw, and what is said of them.
    pub incidents: IncidentInput<'a>,
}

/// The incident layer's part of a frame.
#[derive(Clone, Copy)]
pub struct IncidentInput<'a> {
    /// The marks of the window (none: the layer is off or empty).
    pub marks: &'a [crate::incidents::view::Mark],
    /// Changes whenever `marks` does (their drawing is kept until then).
    pub marks_version: u64,
    /// Per zone: its counts in words, for its screen-reader node.
    pub zone_words: &'a dyn Fn(usize) -> Option<String>,
    /// Per zone: "Violence reported during the truce", where it applies, for its label.
    pub violence: &'a dyn Fn(usize) -> Option<&'static str>,
    /// The layer in a line, for a screen reader; the legend row; the credits.
    pub layer_words: &'a str,
    pub legend_words: &'a str,
    pub credits: &'a [String],
}

/// What happened on the map this frame.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MapOutcome {
    /// `Some(Some(z))`: zone z was clicked; `Some(None)`: empty map was clicked.
    pub clicked: Option<Option<usize>>,
    pub hovered: Option<usize>,
    /// An incident mark clicked (its set and index): its quote or summary is to be shown.
    pub clicked_incident: Option<(u16, u32)>,
    /// The incident marks under the pointer, for the tooltip the app words.
    pub hovered_incident: Option<Cluster>,
}

/// The plugin that reads the pointer: which zone it is over (a zone label counts as its zone)
/// and whether it clicked.
struct Pointer<'a> {
    zones: &'a ZoneShapes,
    last_labels: &'a [(usize, Rect)],
    frame: &'a Frame,
}

impl walkers::Plugin for Pointer<'_> {
    fn run(
        self: Box<Self>,
        _: &mut Ui,
        response: &egui::Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let t = Transform::of(projector, response.rect);
        let zone_under = |p: Pos2| {
            let label = self
                .last_labels
                .iter()
                .find(|(_, r)| r.contains(p))
                .map(|(z, _)| *z);
            label.or_else(|| {
                let (lon, lat) = unmercator(t.projected(p));
                self.zones.zone_at(lon, lat)
            })
        };
        self.frame.transform.set(Some(t));
        self.frame
            .hovered
            .set(response.hover_pos().and_then(zone_under));
        // A click, not the end of a drag: pick the zone under the pointer, or none.
        let clicked = (response.clicked() && !response.changed())
            .then(|| response.interact_pointer_pos())
            .flatten()
            .map(zone_under);
        self.frame.clicked.set(clicked);
    }
}

/// Shows the map in the remaining space and reports clicks and hover.
pub fn map_view(
    ui: &mut Ui,
    layers: &mut MapLayers,
    state: &mut MapState,
    input: MapInput<'_>,
) -> MapOutcome {
    let MapInput {
        zones,
        dataset,
        selected,
        patterns,
        mut tiles,
        tiles_note,
        according_to,
        outlined,
        incidents,
    } = input;
    // Online tiles replace the vector land and sea only once they have actually arrived: offline,
    // or while loading, the built-in basemap stays.
    let online = match tiles.as_deref_mut() {
        Some(t) => centre_tile_loaded(t, &state.memory),
        None => false,
    };
    let attribution = attribution_lines(tiles.as_deref(), online, tiles_note, &incidents);
    let frame = Frame {
        online,
        fitting: state.fit_requested,
        ..Frame::default()
    };
    let my_position = lon_lat(layers.centre.0, layers.centre.1);
    let last_labels = std::mem::take(&mut state.labels);
    let response = {
        let MapLayers {
            basemap,
            basemap_meshes,
            zones: shapes,
            zone_meshes,
            world_labels,
            places,
            incident_picture,
            ..
        } = &mut *layers;
        let (basemap, shapes, places) = (&*basemap, &*shapes, &*places);
        let tiles: Option<&mut dyn Tiles> = tiles.map(|t| t as &mut dyn Tiles);
        Map::new(tiles, &mut state.memory, my_position)
            .zoom_with_ctrl(false)
            .double_click_to_zoom(true)
            .with_plugin(Pointer {
                zones: shapes,
                last_labels: &last_labels,
                frame: &frame,
            })
            .with_plugin(basemap::Plugin {
                shapes: basemap,
                meshes: basemap_meshes,
                frame: &frame,
            })
            .with_plugin(zones::Plugin {
                shapes,
                meshes: zone_meshes,
                zones,
                dataset,
                selected,
                outlined,
                patterns,
                frame: &frame,
                zone_words: incidents.zone_words,
            })
            .with_plugin(incidents::Plugin::new(&incidents, incident_picture, &frame))
            .with_plugin(overlay::Legend {
                patterns,
                frame: &frame,
                according_to,
                incidents: (!incidents.marks.is_empty()).then_some(incidents.legend_words),
            })
            .with_plugin(overlay::Footer {
                basemap: basemap.world.attribution(),
                attribution: &attribution,
                frame: &frame,
            })
            .with_plugin(labels::Places {
                places,
                frame: &frame,
            })
            .with_plugin(labels::ZoneLabels {
                shapes,
                zones,
                selected,
                frame: &frame,
                violence: incidents.violence,
            })
            .with_plugin(world::Labels {
                shapes: basemap,
                kept: world_labels,
                zone_names: &shapes.names,
                frame: &frame,
            })
            .show(ui, |_, _, _, _| ())
            .response
    };
    state.labels = frame.labels.take();
    let outcome = outcome(&frame);
    if outcome.hovered_incident.is_none() {
        hover_tooltip(&response, layers, zones, dataset, frame.hovered.get());
    }
    fit_if_asked(ui, layers, state, response.rect);
    state.last_transform = frame.transform.get();
    outcome
}

/// What the pointer did this frame. A click on a mark is the mark's, not the zone's under it.
fn outcome(frame: &Frame) -> MapOutcome {
    let clicked_incident = frame.incident_clicked.take();
    let one = clicked_incident.filter(|c| c.count == 1);
    MapOutcome {
        clicked: if clicked_incident.is_some() {
            None
        } else {
            frame.clicked.get()
        },
        hovered: frame.hovered.get(),
        clicked_incident: one.map(|c| (c.first.set, c.first.index)),
        hovered_incident: frame.incident_hovered.take(),
    }
}

/// The credits under the map besides the basemap's: the online tiles' (or a note on them) and,
/// while incidents are drawn, their data's. The dataset's own attribution is in the side
/// panel, beside its description.
fn attribution_lines(
    tiles: Option<&HttpTiles>,
    online: bool,
    tiles_note: Option<&str>,
    incidents: &IncidentInput<'_>,
) -> Vec<String> {
    let mut attribution = Vec::new();
    if let Some(t) = tiles.filter(|_| online) {
        attribution.push(t.attribution().text.to_string());
    }
    attribution.extend(tiles_note.filter(|_| !online).map(str::to_string));
    if !incidents.marks.is_empty() {
        attribution.extend(incidents.credits.iter().cloned());
    }
    attribution.retain(|line| !line.trim().is_empty());
    attribution
}

/// The zone's name, status and how to see more, beside the pointer.
fn hover_tooltip(
    response: &egui::Response,
    layers: &MapLayers,
    zones: &[ZoneSummary],
    dataset: &crate::model::Dataset,
    hovered: Option<usize>,
) {
    let Some(z) = hovered.filter(|&z| z < zones.len()) else {
        return;
    };
    let name = layers.zones.names[z].clone();
    let detail = zones[z].detail(dataset);
    let contested = zones[z].contested;
    let approximate = layers.zones.approximate[z];
    response.clone().on_hover_ui_at_pointer(|ui| {
        ui.strong(name);
        ui.label(detail);
        if contested {
            ui.label(format!(
                "{CONTESTED_GLYPH} Contested: cited claims disagree"
            ));
        }
        if approximate {
            ui.weak("Approximate outline (drawn by hand)");
        }
        ui.weak("Click for the quotes behind this status");
    });
}

/// Zooms and pans to show every zone when asked, once the map's size has settled.
fn fit_if_asked(ui: &Ui, layers: &MapLayers, state: &mut MapState, rect: Rect) {
    glide_on(ui, state);
    if state.fit_requested && rect.width() > 10.0 {
        let (lon, lat, zoom) = layers.fit(&state.fit_zones, rect.size());
        if std::mem::take(&mut state.glide_next)
            && let Some(from) = state.view()
        {
            state.fit_requested = false;
            state.glide = Some(Glide {
                from,
                to: (lon, lat, zoom),
                began: std::time::Instant::now(),
            });
            glide_on(ui, state);
            return;
        }
        let settled = state.fitted_size == Some(rect.size());
        state.set_view(lon, lat, zoom);
        state.fit_requested = !settled;
        state.fitted_size = Some(rect.size());
        ui.ctx().request_repaint();
    }
}

/// Moves the camera along a glide under way (eased in and out), asking for the next frame
/// until it is over.
fn glide_on(ui: &Ui, state: &mut MapState) {
    let Some(g) = state.glide else {
        return;
    };
    let t = (g.began.elapsed().as_secs_f64() / GLIDE.as_secs_f64()).min(1.0);
    let eased = t * t * (3.0 - 2.0 * t);
    let mix = |a: f64, b: f64| a + (b - a) * eased;
    state.set_view(
        mix(g.from.0, g.to.0),
        mix(g.from.1, g.to.1),
        mix(g.from.2, g.to.2),
    );
    if t < 1.0 {
        ui.ctx().request_repaint();
    } else {
        state.glide = None;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_mesh_is_made_again_only_for_another_key() {
        let mut buffer = Buffer::default();
        let texture = egui::TextureId::default();
        let mut made = 0;
        let mut make = |key: &[u64], buffer: &mut Buffer| {
            buffer.fill_for(key, texture, |mesh| {
                made += 1;
                mesh.add_colored_rect(
                    Rect::from_min_size(Pos2::ZERO, Vec2::splat(1.0)),
                    Color32::RED,
                );
            })
        };
        let first = make(&[1, 2], &mut buffer);
        let again = make(&[1, 2], &mut buffer);
        assert!(
            Arc::ptr_eq(&first, &again),
            "the same key: the same mesh, not a copy"
        );
        let other = make(&[1, 3], &mut buffer);
        assert!(!Arc::ptr_eq(&first, &other));
        assert_eq!(made, 2);
        assert_eq!(
            first.vertices, other.vertices,
            "the last frame's mesh is left as it was"
        );
    }

    #[test]
    fn the_datasets_own_places_win_over_the_basemaps_and_syria_is_its_focus() {
        let engine = crate::default_engine().expect("the default dataset is valid");
        let world = Basemap::shared();
        let layers = MapLayers::new(world, engine.dataset());
        let shown: Vec<&str> = layers
            .basemap
            .places
            .iter()
            .map(|&(i, _)| world.places()[i].name)
            .collect();
        // The dataset names these itself; the world's copies stay off the map, by name or,
        // spelt otherwise (GeoNames' "Ḩamāh", "Ar Raqqah", "Dūmā"), by lying within about
        // 5 km of one of its own.
        let all: Vec<&str> = world.places().iter().map(|p| p.name).collect();
        for own in [
            "Aleppo",
            "Damascus",
            "Homs",
            "Ḩamāh",
            "Ar Raqqah",
            "Dūmā",
            "Ţarţūs",
        ] {
            assert!(all.contains(&own), "{own} is in the world's places");
            assert!(!shown.contains(&own), "a second {own}");
        }
        assert!(
            shown.contains(&"Beirut"),
            "a place the dataset does not name stays"
        );
        let focus: Vec<&str> = (0..layers.basemap.focus.len())
            .filter(|&i| layers.basemap.focus[i])
            .map(|i| world.areas(Layer::Countries)[i].code)
            .collect();
        assert_eq!(focus, ["SY"]);
    }
}
