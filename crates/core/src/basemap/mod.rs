//! The world basemap built into the binary: every country's land and borders, every
//! first-level division with its code and names, and places to write on the map (Natural Earth
//! and GeoNames, see `format::File::source`). Stored at three levels of detail; an area's
//! outline at a level is decoded and meshed the first time a view needs it, then kept. It sits
//! above `geometry`, which it builds, and below `load`, which draws zones from it by code.

pub mod areas;
pub mod format;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use format::{Area, FormatError, Place};

use crate::geometry::validity::to_multipolygon;
use crate::geometry::{Shape, mercator};

/// The two layers of areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    Countries,
    Regions,
}

/// Polygons of rings of (longitude, latitude), as GeoJSON nests them.
pub type LonLatParts = Vec<Vec<Vec<[f64; 2]>>>;

static WORLD: &[u8] = include_bytes!("../../../../assets/basemap/world.bin");

/// One polygon of an area at a level: its rings and bounds, decoded with its area's, and its
/// shape, meshed only when a view first draws it (Russia's Kaliningrad is not meshed for a
/// view of Syria, though Russia's box spans both).
pub struct Piece {
    /// Projected bounds, min and max.
    pub bounds: ([f64; 2], [f64; 2]),
    rings: Vec<Vec<[f64; 2]>>,
    filled: bool,
    shape: OnceLock<Shape>,
}

impl Piece {
    fn new(rings: Vec<Vec<[f64; 2]>>, filled: bool) -> Piece {
        let bounds = rings.iter().flatten().fold(
            ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
            |(lo, hi), p| {
                let m = mercator(p[0], p[1]);
                (
                    [lo[0].min(m[0]), lo[1].min(m[1])],
                    [hi[0].max(m[0]), hi[1].max(m[1])],
                )
            },
        );
        Piece {
            bounds,
            rings,
            filled,
            shape: OnceLock::new(),
        }
    }

    /// The polygon ready to draw (a division's as lines only: no fill, area or label point).
    pub fn shape(&self) -> &Shape {
        self.shape.get_or_init(|| {
            let polygon = to_multipolygon(std::slice::from_ref(&self.rings));
            if self.filled {
                Shape::new(&polygon)
            } else {
                Shape::outline_only(&polygon)
            }
        })
    }

    /// Its area in projected units, without meshing it.
    pub fn area(&self) -> f64 {
        let (lo, hi) = self.bounds;
        (hi[0] - lo[0]) * (hi[1] - lo[1])
    }
}

/// One layer's areas, each with its pieces per level, decoded when first asked for, and its
/// projected bounds.
struct Prepared {
    pieces: Vec<Vec<OnceLock<Vec<Piece>>>>,
    bounds: Vec<([f64; 2], [f64; 2])>,
}

impl Prepared {
    fn new(areas: &[Area<'_>], levels: usize) -> Prepared {
        Prepared {
            pieces: areas
                .iter()
                .map(|_| (0..levels).map(|_| OnceLock::new()).collect())
                .collect(),
            bounds: areas
                .iter()
                .map(|a| {
                    let [w, s] = format::degrees([a.bbox[0], a.bbox[1]]);
                    let [e, n] = format::degrees([a.bbox[2], a.bbox[3]]);
                    // Mercator's y grows southwards.
                    (mercator(w, n), mercator(e, s))
                })
                .collect(),
        }
    }
}

/// The world basemap (see the module's comment).
pub struct Basemap {
    file: format::File<'static>,
    countries: Prepared,
    regions: Prepared,
    by_code: HashMap<&'static str, (Layer, usize)>,
}

impl std::fmt::Debug for Basemap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Basemap")
            .field("source", &self.file.source)
            .field("countries", &self.file.countries.len())
            .field("regions", &self.file.regions.len())
            .field("places", &self.file.places.len())
            .finish()
    }
}

impl Basemap {
    /// The embedded basemap, read once per process: a window, its tests and its exports share
    /// it. [`Basemap::prepare_shared`] reads it on another thread ahead of need.
    pub fn shared() -> &'static Basemap {
        static SHARED: OnceLock<Basemap> = OnceLock::new();
        SHARED.get_or_init(Basemap::embedded)
    }

    /// Starts reading [`Basemap::shared`] on a thread of its own, so that it is ready (or
    /// nearly) when first asked for; where no thread can be made, it is read when asked for.
    pub fn prepare_shared() {
        let _ = std::thread::Builder::new()
            .name("basemap".to_owned())
            .spawn(|| {
                Basemap::shared();
            });
    }

    /// The basemap built into the binary. A test reads it whole, so it cannot fail in a
    /// release; were it ever unreadable, the map would show the zones on the sea, not panic.
    pub fn embedded() -> Basemap {
        Basemap::from_bytes(WORLD).unwrap_or_else(|_| Basemap::empty())
    }

    /// A basemap with nothing in it.
    pub fn empty() -> Basemap {
        Basemap::from_file(format::File {
            source: String::new(),
            attribution: String::new(),
            levels: Vec::new(),
            countries: Vec::new(),
            regions: Vec::new(),
            places: Vec::new(),
        })
    }

    pub fn from_bytes(bytes: &'static [u8]) -> Result<Basemap, FormatError> {
        Ok(Basemap::from_file(format::File::from_bytes(bytes)?))
    }

    fn from_file(file: format::File<'static>) -> Basemap {
        let levels = file.levels.len();
        let mut by_code = HashMap::new();
        for (i, a) in file.countries.iter().enumerate() {
            by_code.insert(a.code, (Layer::Countries, i));
        }
        for (i, a) in file.regions.iter().enumerate() {
            by_code.entry(a.code).or_insert((Layer::Regions, i));
        }
        Basemap {
            countries: Prepared::new(&file.countries, levels),
            regions: Prepared::new(&file.regions, levels),
            by_code,
            file,
        }
    }

    /// Which data, at which version, from where.
    pub fn source(&self) -> &str {
        &self.file.source
    }

    /// The data's name and version, for a zone's `geometry_source`: "Natural Earth 5.0 …".
    pub fn source_short(&self) -> &str {
        self.file
            .source
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
    }

    /// The credit line the map shows while the basemap is in view.
    pub fn attribution(&self) -> &str {
        &self.file.attribution
    }

    pub fn areas(&self, layer: Layer) -> &[Area<'static>] {
        match layer {
            Layer::Countries => &self.file.countries,
            Layer::Regions => &self.file.regions,
        }
    }

    fn prepared(&self, layer: Layer) -> &Prepared {
        match layer {
            Layer::Countries => &self.countries,
            Layer::Regions => &self.regions,
        }
    }

    pub fn places(&self) -> &[Place<'static>] {
        &self.file.places
    }

    /// How many levels of detail there are.
    pub fn levels(&self) -> usize {
        self.file.levels.len()
    }

    /// The level to draw at `scale` (pixels per projected unit: 256 × 2^zoom).
    pub fn level_for(&self, scale: f64) -> usize {
        let zoom = (scale / 256.0).log2();
        self.file
            .levels
            .iter()
            .rposition(|l| f64::from(l.from_zoom) <= zoom)
            .unwrap_or(0)
    }

    /// An area by its code, exactly as `truce-atlas areas` lists it.
    pub fn find(&self, code: &str) -> Option<(Layer, usize)> {
        self.by_code.get(code).copied()
    }

    /// An area's projected bounds, min and max.
    pub fn bounds(&self, layer: Layer, i: usize) -> ([f64; 2], [f64; 2]) {
        self.prepared(layer).bounds[i]
    }

    /// An area's outline at `level`, in degrees; where that level has none (the build tool
    /// could not make it valid), the next finer level's, else the nearest coarser one's.
    pub fn parts(&self, layer: Layer, i: usize, level: usize) -> Result<LonLatParts, FormatError> {
        let area = &self.areas(layer)[i];
        let at = |l: usize| area.shapes.get(l).copied().flatten().map(|p| (l, p));
        let Some((level, bytes)) = (level..self.levels()).chain((0..level).rev()).find_map(at)
        else {
            return Ok(Vec::new());
        };
        let parts = format::decode_parts(bytes)?;
        self.file.levels[level].outline(level, &parts)
    }

    /// An area's polygons at `level`, each with its own bounds, so that a view meshes and draws
    /// only those it sees (France's outline also holds French Guiana and Réunion). Decoded the
    /// first time they are asked for, then kept. Empty for an area with no outline.
    pub fn pieces(&self, layer: Layer, i: usize, level: usize) -> &[Piece] {
        let Some(cell) = self
            .prepared(layer)
            .pieces
            .get(i)
            .and_then(|l| l.get(level))
        else {
            return &[];
        };
        cell.get_or_init(|| {
            let filled = layer == Layer::Countries;
            let parts = self.parts(layer, i, level).unwrap_or_default();
            parts
                .into_iter()
                .map(|rings| Piece::new(rings, filled))
                .collect()
        })
    }

    /// An area's area at `level`, in projected units.
    pub fn area(&self, layer: Layer, i: usize, level: usize) -> f64 {
        let parts = self.parts(layer, i, level).unwrap_or_default();
        crate::geometry::triangulate(&to_multipolygon(&parts)).area()
    }

    /// The areas' outlines at the finest level, dissolved into one: where two share a border,
    /// it is gone. The outline of a zone given by `admin_code`.
    pub fn union(&self, areas: &[(Layer, usize)]) -> Result<geo::MultiPolygon<f64>, FormatError> {
        use geo::BooleanOps as _;
        let finest = self.levels().saturating_sub(1);
        let mut union: Option<geo::MultiPolygon<f64>> = None;
        for &(layer, i) in areas {
            let shape = to_multipolygon(&self.parts(layer, i, finest)?);
            union = Some(match union {
                None => shape,
                Some(u) => u.union(&shape),
            });
        }
        Ok(union.unwrap_or_else(|| geo::MultiPolygon(Vec::new())))
    }

    /// Decodes and meshes, on a thread of its own, the areas whose bounds meet `bounds`
    /// (projected, min and max) at the given levels, so that the first frame there finds them
    /// ready: at launch, the zones' surroundings, while the window is being made. Divisions only
    /// of the `countries` given (their lines show from lower zooms). Where no thread can be
    /// made, they are made when first drawn.
    pub fn prepare_around(
        &'static self,
        bounds: ([f64; 2], [f64; 2]),
        levels: Vec<usize>,
        countries: Vec<&'static str>,
    ) {
        let meets = move |b: ([f64; 2], [f64; 2])| {
            b.0[0] <= bounds.1[0]
                && bounds.0[0] <= b.1[0]
                && b.0[1] <= bounds.1[1]
                && bounds.0[1] <= b.1[1]
        };
        let _ = std::thread::Builder::new()
            .name("basemap-around".to_owned())
            .spawn(move || {
                for &level in &levels {
                    let regions = (0..self.file.regions.len())
                        .filter(|&i| countries.contains(&self.file.regions[i].country))
                        .map(|i| (Layer::Regions, i));
                    let areas = (0..self.file.countries.len())
                        .map(|i| (Layer::Countries, i))
                        .chain(regions);
                    for (layer, i) in areas {
                        if !meets(self.prepared(layer).bounds[i]) {
                            continue;
                        }
                        for piece in self.pieces(layer, i, level) {
                            if meets(piece.bounds) {
                                piece.shape();
                            }
                        }
                    }
                }
            });
    }

    /// The country (its index) whose outline holds the point, if any.
    pub fn country_at(&self, lon: f64, lat: f64) -> Option<usize> {
        let p = mercator(lon, lat);
        (0..self.file.countries.len()).find(|&i| {
            let (lo, hi) = self.countries.bounds[i];
            (lo[0]..=hi[0]).contains(&p[0])
                && (lo[1]..=hi[1]).contains(&p[1])
                && self.pieces(Layer::Countries, i, 0).iter().any(|piece| {
                    (piece.bounds.0[0]..=piece.bounds.1[0]).contains(&p[0])
                        && (piece.bounds.0[1]..=piece.bounds.1[1]).contains(&p[1])
                        && piece.shape().contains(lon, lat)
                })
        })
    }
}

#[cfg(test)]
mod tests;
