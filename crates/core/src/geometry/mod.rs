//! Map geometry, prepared once at load so that drawing a frame is only an affine transform.
//!
//! Coordinates are projected to normalized Web Mercator (x and y in 0..1, y down), the same
//! projection walkers uses; the screen position is then `scale * p + offset` for the current
//! zoom and pan. Fills are triangulated with earcut (egui fills only convex polygons), and
//! outlines become thin quads whose vertices carry a unit normal, so their width stays constant
//! in screen pixels whatever the zoom. No egui types here: this module is pure and tested.

pub mod validity;

use geo::{
    BoundingRect, Contains, CoordsIter, InteriorPoint, MapCoords, MultiPolygon, Point, Simplify,
    TriangulateEarcut,
};

/// Longitude/latitude (degrees) to normalized Web Mercator.
pub fn mercator(lon: f64, lat: f64) -> [f64; 2] {
    // Clamp to the Mercator limit so that polar input cannot produce infinities.
    let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - lat.tan().asinh() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// Normalized Web Mercator back to longitude/latitude.
pub fn unmercator(p: [f64; 2]) -> (f64, f64) {
    let lon = p[0] * 360.0 - 180.0;
    let lat = ((1.0 - 2.0 * p[1]) * std::f64::consts::PI)
        .sinh()
        .atan()
        .to_degrees();
    (lon, lat)
}

/// Triangles in projected coordinates.
#[derive(Debug, Clone, Default)]
pub struct Fill {
    pub vertices: Vec<[f64; 2]>,
    pub indices: Vec<u32>,
}

impl Fill {
    /// The triangles' total area, in projected units.
    pub fn area(&self) -> f64 {
        self.indices
            .chunks_exact(3)
            .map(|t| {
                let [a, b, c] = [t[0], t[1], t[2]].map(|i| self.vertices[i as usize]);
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum()
    }
}

/// Outline quads: each vertex is a projected position plus a unit normal (screen direction,
/// since Mercator is conformal) to be scaled by half the line width at draw time.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub vertices: Vec<([f64; 2], [f32; 2])>,
    pub indices: Vec<u32>,
}

/// A coarser version of a shape, for views zoomed out far enough that it looks the same.
#[derive(Debug, Clone)]
pub struct Detail {
    /// How far simplification moved a point at most, in projected units.
    pub tolerance: f64,
    pub fill: Fill,
    pub outline: Outline,
}

/// How far, in screen pixels, a coarser version may move a point: under a pixel, it cannot be
/// told apart from the full outline.
pub const MAX_SHIFT_PX: f64 = 0.5;

/// Shapes with fewer positions are drawn in full at every zoom.
const DETAIL_FROM_POINTS: usize = 256;

/// The zoom levels (walkers', 256 * 2^z pixels per projected unit) coarser versions are made
/// for; closer in, the full outline is drawn.
const DETAIL_ZOOMS: std::ops::RangeInclusive<i32> = 2..=12;

/// A polygonal feature ready to draw and hit-test.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The full detail.
    pub fill: Fill,
    pub outline: Outline,
    /// Coarser versions, one per zoom level of [`DETAIL_ZOOMS`], each made the first time a
    /// view at that zoom asks for it (`None`: it would save little). Empty for a shape with few
    /// positions.
    coarser: Vec<std::sync::OnceLock<Option<Detail>>>,
    points: usize,
    /// Projected rings, for dashed outlines drawn per frame (small shapes only).
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Where a label goes: a point inside the largest polygon, lon/lat.
    pub label: (f64, f64),
    /// Projected bounding box, min and max.
    pub bounds: ([f64; 2], [f64; 2]),
    pub area: f64,
    geometry: MultiPolygon<f64>,
    /// Whether it has a fill (a line-only shape, such as a division drawn only as its outline,
    /// has none, and no label point: both cost time and memory it would never use).
    filled: bool,
}

impl Shape {
    pub fn new(geometry: &MultiPolygon<f64>) -> Shape {
        Shape::with(geometry, true)
    }

    /// A shape drawn only as its outline: no triangles, no label point, no area.
    pub fn outline_only(geometry: &MultiPolygon<f64>) -> Shape {
        Shape::with(geometry, false)
    }

    fn with(geometry: &MultiPolygon<f64>, filled: bool) -> Shape {
        let fill = if filled {
            triangulate(geometry)
        } else {
            Fill::default()
        };
        let rings: Vec<Vec<[f64; 2]>> = geometry
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|ring| ring.0.iter().map(|c| mercator(c.x, c.y)).collect())
            .collect();
        let outline = outline(&rings);
        let label = if filled {
            label_point(geometry)
        } else {
            (0.0, 0.0)
        };
        let bounds = rings.iter().flatten().fold(
            ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
            |(lo, hi), p| {
                (
                    [lo[0].min(p[0]), lo[1].min(p[1])],
                    [hi[0].max(p[0]), hi[1].max(p[1])],
                )
            },
        );
        let area = fill.area();
        let points = rings.iter().map(Vec::len).sum::<usize>();
        let levels = if points >= DETAIL_FROM_POINTS {
            DETAIL_ZOOMS.count()
        } else {
            0
        };
        let coarser = (0..levels).map(|_| std::sync::OnceLock::new()).collect();
        Shape {
            fill,
            outline,
            coarser,
            points,
            rings,
            label,
            bounds,
            area,
            geometry: geometry.clone(),
            filled,
        }
    }

    /// What to draw at `scale` (pixels per projected unit): the coarsest version that moves no
    /// point by more than [`MAX_SHIFT_PX`], else the full shape.
    pub fn at_scale(&self, scale: f64) -> (&Fill, &Outline) {
        let full = (&self.fill, &self.outline);
        // The coarsest level whose half-pixel tolerance is at most half a pixel at `scale`.
        let zoom = (scale / 256.0)
            .log2()
            .ceil()
            .max(f64::from(*DETAIL_ZOOMS.start()));
        if !zoom.is_finite() || zoom > f64::from(*DETAIL_ZOOMS.end()) {
            return full;
        }
        let level = (zoom as i32 - DETAIL_ZOOMS.start()) as usize;
        let Some(cell) = self.coarser.get(level) else {
            return full;
        };
        let detail =
            cell.get_or_init(|| detail(&self.geometry, zoom as i32, self.points, self.filled));
        detail.as_ref().map_or(full, |d| (&d.fill, &d.outline))
    }

    /// Whether the point (lon, lat) lies inside, for clicks on the map.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        self.geometry.contains(&Point::new(lon, lat))
    }
}

pub fn triangulate(geometry: &MultiPolygon<f64>) -> Fill {
    triangulate_with(geometry, |v| mercator(v[0], v[1]))
}

fn triangulate_with(geometry: &MultiPolygon<f64>, project: impl Fn([f64; 2]) -> [f64; 2]) -> Fill {
    let mut fill = Fill::default();
    for polygon in &geometry.0 {
        let raw = polygon.earcut_triangles_raw();
        let base = fill.vertices.len() as u32;
        fill.vertices
            .extend(raw.vertices.iter().map(|v| project([v[0], v[1]])));
        fill.indices
            .extend(raw.triangle_indices.iter().map(|&i| base + i as u32));
    }
    fill
}

/// A coarser version of a shape (lon/lat) for views at `zoom` or further out: simplified in
/// projected units (Ramer-Douglas-Peucker) by half a pixel at that zoom, with parts smaller than
/// that left out. `None` if it would keep most of the `points`.
fn detail(geometry: &MultiPolygon<f64>, zoom: i32, points: usize, filled: bool) -> Option<Detail> {
    let tolerance = MAX_SHIFT_PX / (256.0 * 2f64.powi(zoom));
    let big_enough = |p: &&geo::Polygon<f64>| {
        p.bounding_rect()
            .is_some_and(|r| r.width().max(r.height()) > 2.0 * tolerance)
    };
    let parts: Vec<geo::Polygon<f64>> = geometry
        .0
        .iter()
        .map(|p| {
            p.map_coords(|c| {
                let [x, y] = mercator(c.x, c.y);
                geo::Coord { x, y }
            })
        })
        .filter(|p| big_enough(&p))
        .collect();
    let simple = MultiPolygon(parts).simplify(tolerance);
    // A version that saves little is not worth its memory.
    if simple.coords_count() * 4 > points * 3 {
        return None;
    }
    let rings: Vec<Vec<[f64; 2]>> = simple
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|ring| ring.0.iter().map(|c| [c.x, c.y]).collect())
        .collect();
    Some(Detail {
        tolerance,
        fill: if filled {
            triangulate_with(&simple, |v| v)
        } else {
            Fill::default()
        },
        outline: outline(&rings),
    })
}

pub fn outline(rings: &[Vec<[f64; 2]>]) -> Outline {
    let mut out = Outline::default();
    for ring in rings {
        for pair in ring.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len = (dx * dx + dy * dy).sqrt();
            if len == 0.0 {
                continue;
            }
            let n = [(-dy / len) as f32, (dx / len) as f32];
            let m = [-n[0], -n[1]];
            let base = out.vertices.len() as u32;
            out.vertices.extend([(a, n), (a, m), (b, n), (b, m)]);
            out.indices
                .extend([base, base + 1, base + 2, base + 1, base + 3, base + 2]);
        }
    }
    out
}

/// A point inside the largest polygon, so that a label never sits in a neighbour's bay.
pub fn label_point(geometry: &MultiPolygon<f64>) -> (f64, f64) {
    let largest = geometry.0.iter().max_by(|a, b| {
        let area = |p: &geo::Polygon<f64>| {
            p.bounding_rect()
                .map(|r| r.width() * r.height())
                .unwrap_or(0.0)
        };
        area(a).total_cmp(&area(b))
    });
    largest
        .and_then(|p| p.interior_point())
        .map(|p| (p.x(), p.y()))
        .unwrap_or((0.0, 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn mercator_round_trips_and_matches_known_points() {
        assert_eq!(mercator(0.0, 0.0), [0.5, 0.5]);
        let (lon, lat) = unmercator(mercator(36.2765, 33.5138));
        assert!((lon - 36.2765).abs() < 1e-9 && (lat - 33.5138).abs() < 1e-9);
        // North is up: a higher latitude has a smaller y.
        assert!(mercator(37.1, 36.2)[1] < mercator(36.3, 33.5)[1]);
    }

    #[test]
    fn a_concave_polygon_is_triangulated_to_cover_exactly_its_area() {
        // An L shape: area 3 unit squares; a fan from one vertex would cover the notch too.
        let l = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 2.0), (x: 0.0, y: 2.0), (x: 0.0, y: 0.0)];
        let fill = triangulate(&MultiPolygon(vec![l.clone()]));
        assert_eq!(fill.indices.len() / 3, 4, "an L hexagon needs 4 triangles");
        // Compare the triangles' area with the polygon's, both in lon/lat degrees.
        let area: f64 = fill
            .indices
            .chunks_exact(3)
            .map(|t| {
                let [a, b, c] = [t[0], t[1], t[2]].map(|i| unmercator(fill.vertices[i as usize]));
                ((b.0 - a.0) * (c.1 - a.1) - (c.0 - a.0) * (b.1 - a.1)).abs() / 2.0
            })
            .sum();
        assert!((area - 3.0).abs() < 1e-3, "area {area}");
    }

    #[test]
    fn outline_quads_have_unit_normals_on_both_sides() {
        let square = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)];
        let shape = Shape::new(&MultiPolygon(vec![square]));
        assert_eq!(shape.outline.vertices.len(), 4 * 4);
        assert_eq!(shape.outline.indices.len(), 4 * 6);
        for (_, n) in &shape.outline.vertices {
            assert!(((n[0] * n[0] + n[1] * n[1]).sqrt() - 1.0).abs() < 1e-5);
        }
    }

    /// A circle of `n` positions around (37°E, 35°N), `r` degrees across.
    fn circle(n: usize, r: f64) -> MultiPolygon<f64> {
        let mut ring: Vec<geo::Coord<f64>> = (0..n)
            .map(|k| {
                let a = k as f64 / n as f64 * std::f64::consts::TAU;
                geo::Coord {
                    x: 37.0 + r * a.cos(),
                    y: 35.0 + r * a.sin(),
                }
            })
            .collect();
        ring.push(ring[0]);
        MultiPolygon(vec![geo::Polygon::new(geo::LineString(ring), vec![])])
    }

    fn scale_at(zoom: f64) -> f64 {
        256.0 * 2f64.powf(zoom)
    }

    /// Distance from `p` to the segment a-b.
    fn to_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = dx * dx + dy * dy;
        let t = if len2 == 0.0 {
            0.0
        } else {
            (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
        };
        ((p[0] - a[0] - t * dx).powi(2) + (p[1] - a[1] - t * dy).powi(2)).sqrt()
    }

    #[test]
    fn zoomed_out_a_big_shape_is_drawn_with_far_fewer_triangles_within_half_a_pixel() {
        let shape = Shape::new(&circle(20_000, 1.0));
        let scale = scale_at(6.3);
        let (fill, outline) = shape.at_scale(scale);
        assert!(
            fill.indices.len() * 20 < shape.fill.indices.len(),
            "{} triangles of {}",
            fill.indices.len() / 3,
            shape.fill.indices.len() / 3
        );
        // Every position of the full outline lies within half a pixel of the coarse one (whose
        // quads hold each edge's two ends first).
        let edges: Vec<([f64; 2], [f64; 2])> = outline
            .vertices
            .chunks_exact(4)
            .map(|q| (q[0].0, q[2].0))
            .collect();
        let worst = shape.rings[0]
            .iter()
            .map(|&p| {
                edges
                    .iter()
                    .map(|&(a, b)| to_segment(p, a, b))
                    .fold(f64::INFINITY, f64::min)
            })
            .fold(0.0, f64::max);
        assert!(worst * scale <= MAX_SHIFT_PX + 1e-9, "{} px", worst * scale);
    }

    #[test]
    fn close_in_or_for_a_small_shape_the_full_outline_is_drawn() {
        let big = Shape::new(&circle(20_000, 1.0));
        let (fill, _) = big.at_scale(scale_at(14.0));
        assert!(
            std::ptr::eq(fill, &big.fill),
            "zoom 14 draws the full outline"
        );
        let small = Shape::new(&circle(100, 1.0));
        for zoom in [1.0, 4.0, 9.0, 14.0] {
            let (fill, outline) = small.at_scale(scale_at(zoom));
            assert!(std::ptr::eq(fill, &small.fill) && std::ptr::eq(outline, &small.outline));
        }
    }

    #[test]
    fn far_out_the_coarse_version_keeps_the_area_and_drops_specks() {
        let mut speckled = circle(20_000, 1.0);
        // An islet a few metres across: less than a pixel at zoom 6.
        speckled.0.push(geo::Polygon::new(
            geo::LineString(vec![
                geo::Coord { x: 40.0, y: 35.0 },
                geo::Coord {
                    x: 40.0001,
                    y: 35.0,
                },
                geo::Coord {
                    x: 40.0001,
                    y: 35.0001,
                },
                geo::Coord { x: 40.0, y: 35.0 },
            ]),
            vec![],
        ));
        let shape = Shape::new(&speckled);
        let (fill, outline) = shape.at_scale(scale_at(6.0));
        let area = fill.area();
        assert!(
            (area / shape.area - 1.0).abs() < 0.01,
            "{area} vs {}",
            shape.area
        );
        let islet = mercator(40.0, 35.0);
        let near = |p: [f64; 2]| (p[0] - islet[0]).abs() < 1e-5 && (p[1] - islet[1]).abs() < 1e-5;
        assert!(
            !outline.vertices.iter().any(|(p, _)| near(*p)),
            "the islet is left out"
        );
    }

    #[test]
    fn containment_tests_the_polygon_not_its_bounding_box() {
        let l = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 2.0), (x: 0.0, y: 2.0), (x: 0.0, y: 0.0)];
        let shape = Shape::new(&MultiPolygon(vec![l]));
        assert!(shape.contains(0.5, 1.5));
        assert!(!shape.contains(1.5, 1.5), "the notch of the L is outside");
        let (lx, ly) = shape.label;
        assert!(shape.contains(lx, ly), "the label point lies inside");
    }
}
