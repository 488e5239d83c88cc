//! Map geometry, prepared once at load so that drawing a frame is only an affine transform.
//!
//! Coordinates are projected to normalized Web Mercator (x and y in 0..1, y down), the same
//! projection walkers uses; the screen position is then `scale * p + offset` for the current
//! zoom and pan. Fills are triangulated with earcut (egui fills only convex polygons), and
//! outlines become thin quads whose vertices carry a unit normal, so their width stays constant
//! in screen pixels whatever the zoom. No egui types here: this module is pure and tested.

pub mod validity;

use geo::{BoundingRect, Contains, InteriorPoint, MultiPolygon, Point, TriangulateEarcut};

use crate::load::geojson;
use crate::load::json::Text;

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

/// Outline quads: each vertex is a projected position plus a unit normal (screen direction,
/// since Mercator is conformal) to be scaled by half the line width at draw time.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub vertices: Vec<([f64; 2], [f32; 2])>,
    pub indices: Vec<u32>,
}

/// A polygonal feature ready to draw and hit-test.
#[derive(Debug, Clone)]
pub struct Shape {
    pub fill: Fill,
    pub outline: Outline,
    /// Projected rings, for dashed outlines drawn per frame (small shapes only).
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Where a label goes: a point inside the largest polygon, lon/lat.
    pub label: (f64, f64),
    /// Projected bounding box, min and max.
    pub bounds: ([f64; 2], [f64; 2]),
    pub area: f64,
    geometry: MultiPolygon<f64>,
}

impl Shape {
    pub fn new(geometry: &MultiPolygon<f64>) -> Shape {
        let fill = triangulate(geometry);
        let rings: Vec<Vec<[f64; 2]>> = geometry
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|ring| ring.0.iter().map(|c| mercator(c.x, c.y)).collect())
            .collect();
        let outline = outline(&rings);
        let label = label_point(geometry);
        let bounds = rings.iter().flatten().fold(
            ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
            |(lo, hi), p| {
                (
                    [lo[0].min(p[0]), lo[1].min(p[1])],
                    [hi[0].max(p[0]), hi[1].max(p[1])],
                )
            },
        );
        let area = fill
            .indices
            .chunks_exact(3)
            .map(|t| {
                let [a, b, c] = [t[0], t[1], t[2]].map(|i| fill.vertices[i as usize]);
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        Shape {
            fill,
            outline,
            rings,
            label,
            bounds,
            area,
            geometry: geometry.clone(),
        }
    }

    /// Whether the point (lon, lat) lies inside, for clicks on the map.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        self.geometry.contains(&Point::new(lon, lat))
    }
}

pub fn triangulate(geometry: &MultiPolygon<f64>) -> Fill {
    let mut fill = Fill::default();
    for polygon in &geometry.0 {
        let raw = polygon.earcut_triangles_raw();
        let base = fill.vertices.len() as u32;
        fill.vertices
            .extend(raw.vertices.iter().map(|v| mercator(v[0], v[1])));
        fill.indices
            .extend(raw.triangle_indices.iter().map(|&i| base + i as u32));
    }
    fill
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

/// A named shape of the basemap (a country or a governorate).
#[derive(Debug, Clone)]
pub struct BaseFeature {
    pub name: String,
    /// Whether the name is written on the map.
    pub labelled: bool,
    pub shape: Shape,
}

/// The offline basemap: neighbouring countries and the country's first-level divisions.
#[derive(Debug, Clone, Default)]
pub struct Basemap {
    pub countries: Vec<BaseFeature>,
    pub divisions: Vec<BaseFeature>,
    pub attribution: String,
}

/// Reads a FeatureCollection of polygons, skipping anything that is not one: the basemap is
/// embedded and checked by tests, so a bad feature is dropped, not fatal.
fn read_features(text: &str) -> (Vec<BaseFeature>, String) {
    #[derive(serde::Deserialize)]
    struct Top {
        #[serde(default)]
        attribution: String,
    }
    let text = Text::new(text);
    let attribution = serde_json::from_str::<Top>(text.text)
        .map(|t| t.attribution)
        .unwrap_or_default();
    let Ok(collection) = geojson::collection(&text) else {
        return (Vec::new(), attribution);
    };
    let features = collection
        .features
        .iter()
        .filter_map(|raw| {
            let feature = geojson::feature(&text, raw).ok()?;
            let parts = feature.geometry.as_ref()?.polygon_parts()?;
            let name = feature
                .text("name")
                .ok()
                .flatten()
                .unwrap_or("")
                .to_string();
            // The data can keep a shape's name off the map (`"label": false`), as for the
            // UN buffer zone, which is no governorate.
            let labelled = feature.properties.get("label") != Some(&serde_json::Value::Bool(false));
            Some(BaseFeature {
                name,
                labelled,
                shape: Shape::new(&validity::to_multipolygon(&parts)),
            })
        })
        .collect();
    (features, attribution)
}

impl Basemap {
    /// The basemap built into the binary (Natural Earth, Syria and its neighbours).
    pub fn embedded() -> Basemap {
        let (countries, attribution) =
            read_features(include_str!("../../assets/basemap/countries.geojson"));
        let (divisions, _) =
            read_features(include_str!("../../assets/basemap/governorates.geojson"));
        Basemap {
            countries,
            divisions,
            attribution,
        }
    }
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

    #[test]
    fn containment_tests_the_polygon_not_its_bounding_box() {
        let l = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 2.0), (x: 0.0, y: 2.0), (x: 0.0, y: 0.0)];
        let shape = Shape::new(&MultiPolygon(vec![l]));
        assert!(shape.contains(0.5, 1.5));
        assert!(!shape.contains(1.5, 1.5), "the notch of the L is outside");
        let (lx, ly) = shape.label;
        assert!(shape.contains(lx, ly), "the label point lies inside");
    }

    #[test]
    fn the_embedded_basemap_has_syria_its_neighbours_and_its_governorates() {
        let basemap = Basemap::embedded();
        let names: Vec<&str> = basemap.countries.iter().map(|c| c.name.as_str()).collect();
        for expected in [
            "Syria",
            "Turkey",
            "Lebanon",
            "Israel",
            "Palestine",
            "Jordan",
            "Iraq",
            "Cyprus",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
        assert!(
            basemap.divisions.len() >= 14,
            "{} governorates",
            basemap.divisions.len()
        );
        assert!(
            basemap
                .divisions
                .iter()
                .all(|d| !d.shape.fill.indices.is_empty())
        );
        assert!(basemap.attribution.contains("Natural Earth"));
    }
}
