//! Whether rings of positions make a valid (multi)polygon, checked in near-linear time.
//!
//! The rules are the OGC simple-features ones that GeoJSON (RFC 7946) points to: every ring is
//! closed, has at least four positions and encloses an area; no ring crosses or touches itself;
//! rings of a zone may touch each other at single points but never cross or share an edge;
//! holes lie inside their polygon's outer ring and not inside each other; the polygons of a
//! MultiPolygon do not overlap. geo's own `Validation` compares every pair of edges, which takes
//! minutes on a 100,000-vertex zone, so edges are found by geo's sweep-line [`Intersections`]
//! and containment is answered by its interval-tree point index.
//!
//! Not checked (as in geo): whether rings touching at several points cut a polygon's interior
//! into pieces.

use std::fmt;

use geo::algorithm::sweep::{Cross, Intersections};
use geo::indexed::IntervalTreeMultiPolygon;
use geo::{Contains, Coord, Line, LineIntersection, LineString, MultiPolygon, Polygon};
use thiserror::Error;

/// Which ring a message is about: "the outer ring", "polygon 2's hole 1".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingName {
    /// `None` when the geometry has one polygon.
    pub polygon: Option<usize>,
    /// 0 is the outer ring; `k` is hole `k`.
    pub ring: usize,
}

impl fmt::Display for RingName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.polygon {
            write!(f, "polygon {p}'s ")?;
        } else {
            write!(f, "the ")?;
        }
        match self.ring {
            0 => write!(f, "outer ring"),
            k => write!(f, "hole {k}"),
        }
    }
}

/// A position in messages: "[36.2, 33.5]".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct At(pub [f64; 2]);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {}]", self.0[0], self.0[1])
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum Invalid {
    #[error("the geometry has no polygons")]
    Empty,
    #[error("polygon {0} has no rings")]
    NoRings(usize),
    #[error(
        "{ring} has {count} positions; a closed ring needs at least 4 (the last repeating the first)"
    )]
    TooFewPositions { ring: RingName, count: usize },
    #[error(
        "{ring} is not closed: it ends at {last} but starts at {first} (a GeoJSON ring ends where it starts)"
    )]
    NotClosed { ring: RingName, first: At, last: At },
    #[error(
        "{ring} has the position {at}, outside longitude -180..180 / latitude -90..90 (are longitude and latitude swapped, or is it not WGS 84?)"
    )]
    OutOfRange { ring: RingName, at: At },
    #[error("{ring} encloses no area (its positions lie on one line)")]
    ZeroArea { ring: RingName },
    #[error("{ring} crosses itself near {at}")]
    SelfCrossing { ring: RingName, at: At },
    #[error("{ring} touches or runs back along itself at {at}; a hole must be a ring of its own")]
    SelfTouch { ring: RingName, at: At },
    #[error("{a} and {b} cross near {at}")]
    RingsCross { a: RingName, b: RingName, at: At },
    #[error("{a} and {b} run along each other near {at}; rings may touch only at single points")]
    RingsShareEdge { a: RingName, b: RingName, at: At },
    #[error("{hole} lies outside its polygon's outer ring")]
    HoleOutside { hole: RingName },
    #[error("{a} lies inside {b}; holes may not nest")]
    NestedHoles { a: RingName, b: RingName },
    #[error("polygon {a} lies inside polygon {b}; the polygons of a MultiPolygon may not overlap")]
    PartsOverlap { a: usize, b: usize },
    #[error(
        "the outline is too intricate to check ({pairs} pairs of edges overlap whichever way it is swept); simplify it"
    )]
    TooIntricate { pairs: u64 },
}

/// Builds a valid multipolygon from parts (polygons) of rings, or says what is wrong.
pub fn multipolygon(parts: &[Vec<Vec<[f64; 2]>>]) -> Result<MultiPolygon<f64>, Invalid> {
    if parts.is_empty() {
        return Err(Invalid::Empty);
    }
    let name = |p: usize, ring: usize| RingName {
        polygon: (parts.len() > 1).then_some(p),
        ring,
    };
    for (p, rings) in parts.iter().enumerate() {
        if rings.is_empty() {
            return Err(Invalid::NoRings(p));
        }
        for (r, ring) in rings.iter().enumerate() {
            check_ring(ring, name(p, r))?;
        }
    }
    check_edges(parts, &name)?;
    let mp = to_multipolygon(parts);
    check_holes(&mp.0, &name)?;
    check_parts(&mp.0)?;
    Ok(mp)
}

/// A multipolygon's rings as positions, each polygon's outer ring first: the form
/// [`multipolygon`] checks.
pub fn parts_of(mp: &MultiPolygon<f64>) -> Vec<Vec<Vec<[f64; 2]>>> {
    mp.0.iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|r| r.0.iter().map(|c| [c.x, c.y]).collect())
                .collect()
        })
        .collect()
}

/// Rings as geo polygons, unchecked: the first ring of each part is its outer ring. Rings are
/// turned to the usual orientation (outer counter-clockwise, holes clockwise), which RFC 7946
/// asks writers for but readers may not rely on; point-in-polygon tests count on it.
pub fn to_multipolygon(parts: &[Vec<Vec<[f64; 2]>>]) -> MultiPolygon<f64> {
    use geo::orient::{Direction, Orient};
    MultiPolygon(
        parts
            .iter()
            .map(|rings| {
                let mut rings = rings.iter().map(|r| LineString::from(r.clone()));
                let exterior = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
                Polygon::new(exterior, rings.collect()).orient(Direction::Default)
            })
            .collect(),
    )
}

/// One ring on its own: enough positions, closed, on the globe, with an area.
fn check_ring(ring: &[[f64; 2]], name: RingName) -> Result<(), Invalid> {
    if ring.len() < 4 {
        return Err(Invalid::TooFewPositions {
            ring: name,
            count: ring.len(),
        });
    }
    let (first, last) = (ring[0], ring[ring.len() - 1]);
    if first != last {
        return Err(Invalid::NotClosed {
            ring: name,
            first: At(first),
            last: At(last),
        });
    }
    if let Some(&p) = ring
        .iter()
        .find(|p| !(-180.0..=180.0).contains(&p[0]) || !(-90.0..=90.0).contains(&p[1]))
    {
        return Err(Invalid::OutOfRange {
            ring: name,
            at: At(p),
        });
    }
    if collinear(ring) {
        return Err(Invalid::ZeroArea { ring: name });
    }
    Ok(())
}

/// Whether every position lies on one line (within rounding, relative to the ring's size). The
/// signed area would not do: a bow tie's two halves cancel out, and it must be reported as
/// crossing itself instead.
fn collinear(ring: &[[f64; 2]]) -> bool {
    let (lo, hi) = bounds(ring);
    let extent = (hi[0] - lo[0]).max(hi[1] - lo[1]);
    let origin = ring[0];
    let Some(far) = ring
        .iter()
        .max_by(|a, b| distance(origin, **a).total_cmp(&distance(origin, **b)))
    else {
        return true;
    };
    let d = [far[0] - origin[0], far[1] - origin[1]];
    let length = distance(origin, *far);
    if length == 0.0 {
        return true;
    }
    ring.iter().all(|p| {
        let cross = (p[0] - origin[0]) * d[1] - (p[1] - origin[1]) * d[0];
        cross.abs() <= 1e-9 * length * extent
    })
}

fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    (b[0] - a[0]).hypot(b[1] - a[1])
}

fn bounds(ring: &[[f64; 2]]) -> ([f64; 2], [f64; 2]) {
    ring.iter().fold(
        ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
        |(lo, hi), p| {
            (
                [lo[0].min(p[0]), lo[1].min(p[1])],
                [hi[0].max(p[0]), hi[1].max(p[1])],
            )
        },
    )
}

/// One edge for the sweep, with where it comes from.
#[derive(Debug, Clone, Copy)]
struct Edge {
    line: Line<f64>,
    part: u32,
    ring: u32,
    /// Its place among the ring's edges of non-zero length, and their count.
    index: u32,
    count: u32,
}

impl Cross for Edge {
    type Scalar = f64;
    fn line(&self) -> Line<f64> {
        self.line
    }
}

impl Edge {
    fn same_ring(&self, other: &Edge) -> bool {
        self.part == other.part && self.ring == other.ring
    }

    fn adjacent(&self, other: &Edge) -> bool {
        let (a, b) = (self.index.min(other.index), self.index.max(other.index));
        b - a == 1 || (a == 0 && b + 1 == self.count)
    }
}

/// The axes the sweep runs in. It compares every pair of edges that overlap along its first
/// axis, so long edges across that axis (a comb of east-west teeth, or of diagonal ones) would
/// make it quadratic: the frame with the fewest such pairs is chosen. Swapping the axes is exact;
/// the diagonal frames (x + y, y - x) round once per coordinate, the same way for every copy of
/// a shared vertex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
enum Frame {
    Plain,
    Swapped,
    Diagonal,
    AntiDiagonal,
}

impl Frame {
    fn to(self, p: [f64; 2]) -> Coord<f64> {
        let [x, y] = p;
        match self {
            Frame::Plain => Coord { x, y },
            Frame::Swapped => Coord { x: y, y: x },
            Frame::Diagonal => Coord { x: x + y, y: y - x },
            Frame::AntiDiagonal => Coord { x: y - x, y: x + y },
        }
    }

    /// Back to longitude, latitude, for messages.
    fn from(self, c: Coord<f64>) -> At {
        match self {
            Frame::Plain => At([c.x, c.y]),
            Frame::Swapped => At([c.y, c.x]),
            Frame::Diagonal => At([(c.x - c.y) / 2.0, (c.x + c.y) / 2.0]),
            Frame::AntiDiagonal => At([(c.y - c.x) / 2.0, (c.x + c.y) / 2.0]),
        }
    }
}

/// How many pairs of edges overlap along the first axis of `frame`: the sweep's work.
/// O(n log n): sort the edges by where they start, and count for each how many start before
/// it ends.
fn sweep_pairs(parts: &[Vec<Vec<[f64; 2]>>], frame: Frame) -> u64 {
    let mut spans: Vec<(f64, f64)> = parts
        .iter()
        .flatten()
        .flat_map(|ring| ring.windows(2))
        .map(|w| {
            let (a, b) = (frame.to(w[0]).x, frame.to(w[1]).x);
            (a.min(b), a.max(b))
        })
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    spans
        .iter()
        .enumerate()
        .map(|(i, &(_, end))| (spans.partition_point(|s| s.0 <= end) - i - 1) as u64)
        .sum()
}

/// The most edge pairs the sweep may compare: a few seconds of work. An outline that needs
/// more in every frame is refused as too intricate to check, rather than checked for minutes.
const MAX_SWEEP_PAIRS: u64 = 50_000_000;

/// The edges of every ring, skipping zero-length ones (a repeated position), in the sweep's
/// frame, and where each ring's edges start in the list.
fn edges(parts: &[Vec<Vec<[f64; 2]>>], frame: Frame) -> (Vec<Edge>, Vec<Vec<usize>>) {
    let mut out = Vec::new();
    let mut starts = Vec::with_capacity(parts.len());
    for (p, rings) in parts.iter().enumerate() {
        let mut ring_starts = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            ring_starts.push(out.len());
            let lines: Vec<Line<f64>> = ring
                .windows(2)
                .map(|w| Line::new(frame.to(w[0]), frame.to(w[1])))
                .filter(|l| l.start != l.end)
                .collect();
            let count = lines.len() as u32;
            out.extend(lines.into_iter().enumerate().map(|(i, line)| Edge {
                line,
                part: p as u32,
                ring: r as u32,
                index: i as u32,
                count,
            }));
        }
        starts.push(ring_starts);
    }
    (out, starts)
}

/// The edges of a ring, for finding an edge's neighbours.
struct Rings<'a> {
    edges: &'a [Edge],
    starts: &'a [Vec<usize>],
}

impl Rings<'_> {
    fn edge(&self, of: &Edge, index: u32) -> &Edge {
        &self.edges[self.starts[of.part as usize][of.ring as usize] + index as usize]
    }

    /// The two directions a ring leaves `p` in, where `p` lies on its edge `e`: along the edge
    /// both ways if `p` is inside it, else along `e` and along the neighbour that shares `p`.
    fn directions(&self, e: &Edge, p: Coord<f64>) -> [Coord<f64>; 2] {
        let away = |q: Coord<f64>| q - p;
        if p == e.line.end {
            let next = self.edge(e, (e.index + 1) % e.count);
            [away(e.line.start), away(next.line.end)]
        } else if p == e.line.start {
            let prev = self.edge(e, (e.index + e.count - 1) % e.count);
            [away(prev.line.start), away(e.line.end)]
        } else {
            [away(e.line.start), away(e.line.end)]
        }
    }
}

/// Whether two rings that meet at a point pass through each other there: one ring's two
/// directions out of the point lie on different sides of the other's.
fn cross_at_touch(a: [Coord<f64>; 2], b: [Coord<f64>; 2]) -> bool {
    use std::f64::consts::TAU;
    let angle = |d: Coord<f64>| d.y.atan2(d.x);
    let from = angle(a[0]);
    let sector = (angle(a[1]) - from).rem_euclid(TAU);
    let within = |d: Coord<f64>| {
        let t = (angle(d) - from).rem_euclid(TAU);
        t > 0.0 && t < sector
    };
    within(b[0]) != within(b[1])
}

/// No ring crosses or touches itself; rings cross nothing and touch only at points.
fn check_edges(
    parts: &[Vec<Vec<[f64; 2]>>],
    name: &dyn Fn(usize, usize) -> RingName,
) -> Result<(), Invalid> {
    let (pairs, frame) = <Frame as strum::VariantArray>::VARIANTS
        .iter()
        .copied()
        .map(|f| (sweep_pairs(parts, f), f))
        .min_by_key(|(pairs, _)| *pairs)
        .unwrap_or((0, Frame::Plain));
    if pairs > MAX_SWEEP_PAIRS {
        return Err(Invalid::TooIntricate { pairs });
    }
    // Messages give positions as longitude, latitude, whatever the sweep's axes.
    let at = |c: Coord<f64>| frame.from(c);
    let (all, starts) = edges(parts, frame);
    let rings = Rings {
        edges: &all,
        starts: &starts,
    };
    for (a, b, hit) in Intersections::from_iter(all.iter()) {
        let ra = name(a.part as usize, a.ring as usize);
        let rb = name(b.part as usize, b.ring as usize);
        let error = match hit {
            LineIntersection::SinglePoint {
                is_proper: false, ..
            } if a.same_ring(b) && a.adjacent(b) => None,
            LineIntersection::SinglePoint {
                intersection,
                is_proper: false,
            } if !a.same_ring(b) => {
                let p = intersection;
                cross_at_touch(rings.directions(a, p), rings.directions(b, p)).then(|| {
                    Invalid::RingsCross {
                        a: ra,
                        b: rb,
                        at: at(p),
                    }
                })
            }
            LineIntersection::SinglePoint {
                intersection,
                is_proper: true,
            } if a.same_ring(b) => Some(Invalid::SelfCrossing {
                ring: ra,
                at: at(intersection),
            }),
            LineIntersection::SinglePoint { intersection, .. } if a.same_ring(b) => {
                Some(Invalid::SelfTouch {
                    ring: ra,
                    at: at(intersection),
                })
            }
            LineIntersection::SinglePoint { intersection, .. } => Some(Invalid::RingsCross {
                a: ra,
                b: rb,
                at: at(intersection),
            }),
            LineIntersection::Collinear { intersection } if a.same_ring(b) => {
                Some(Invalid::SelfTouch {
                    ring: ra,
                    at: at(intersection.start),
                })
            }
            LineIntersection::Collinear { intersection } => Some(Invalid::RingsShareEdge {
                a: ra,
                b: rb,
                at: at(intersection.start),
            }),
        };
        if let Some(error) = error {
            return Err(error);
        }
    }
    Ok(())
}

/// A few points on a ring, off its vertices: with no crossings, a ring lies wholly inside or
/// wholly outside another, except at points where they touch, so one sample strictly inside
/// settles it. Several are tried in case one sits exactly on such a touching point.
fn samples(ring: &LineString<f64>) -> impl Iterator<Item = Coord<f64>> + '_ {
    ring.lines()
        .filter(|l| l.start != l.end)
        .take(8)
        .map(|l| Coord {
            x: (l.start.x + l.end.x) / 2.0,
            y: (l.start.y + l.end.y) / 2.0,
        })
}

fn inside(index: &IntervalTreeMultiPolygon<f64>, ring: &LineString<f64>) -> bool {
    samples(ring).any(|c| index.contains(&c))
}

fn ring_index(ring: &LineString<f64>) -> IntervalTreeMultiPolygon<f64> {
    IntervalTreeMultiPolygon::new(&MultiPolygon(vec![Polygon::new(ring.clone(), Vec::new())]))
}

fn box_contains(outer: &geo::Rect<f64>, inner: &geo::Rect<f64>) -> bool {
    outer.min().x <= inner.min().x
        && outer.min().y <= inner.min().y
        && inner.max().x <= outer.max().x
        && inner.max().y <= outer.max().y
}

/// Holes inside their outer ring, and not inside one another.
fn check_holes(
    polygons: &[Polygon<f64>],
    name: &dyn Fn(usize, usize) -> RingName,
) -> Result<(), Invalid> {
    use geo::BoundingRect;
    for (p, polygon) in polygons.iter().enumerate() {
        if polygon.interiors().is_empty() {
            continue;
        }
        let outer = ring_index(polygon.exterior());
        for (h, hole) in polygon.interiors().iter().enumerate() {
            if !inside(&outer, hole) {
                return Err(Invalid::HoleOutside {
                    hole: name(p, h + 1),
                });
            }
        }
        let boxes: Vec<Option<geo::Rect<f64>>> = polygon
            .interiors()
            .iter()
            .map(|r| r.bounding_rect())
            .collect();
        for (h, hole) in polygon.interiors().iter().enumerate() {
            for (k, other) in polygon.interiors().iter().enumerate() {
                let candidate = h != k
                    && matches!((boxes[k], boxes[h]), (Some(o), Some(i)) if box_contains(&o, &i));
                if candidate && inside(&ring_index(other), hole) {
                    return Err(Invalid::NestedHoles {
                        a: name(p, h + 1),
                        b: name(p, k + 1),
                    });
                }
            }
        }
    }
    Ok(())
}

/// No polygon of a MultiPolygon inside another (crossings were found by the sweep already).
fn check_parts(polygons: &[Polygon<f64>]) -> Result<(), Invalid> {
    use geo::BoundingRect;
    if polygons.len() < 2 {
        return Ok(());
    }
    let boxes: Vec<Option<geo::Rect<f64>>> = polygons.iter().map(|p| p.bounding_rect()).collect();
    // Sorted by west edge: a container starts no further east than what it contains.
    let mut order: Vec<usize> = (0..polygons.len()).collect();
    order.sort_by(|&a, &b| {
        let x = |i: usize| boxes[i].map_or(f64::INFINITY, |r| r.min().x);
        x(a).total_cmp(&x(b))
    });
    for (pos, &a) in order.iter().enumerate() {
        let Some(inner) = boxes[a] else { continue };
        for &b in order[..pos].iter().chain(order[pos + 1..].iter()) {
            let Some(outer) = boxes[b] else { continue };
            if outer.min().x > inner.min().x {
                continue;
            }
            if box_contains(&outer, &inner)
                && inside(
                    &IntervalTreeMultiPolygon::new(&MultiPolygon(vec![polygons[b].clone()])),
                    polygons[a].exterior(),
                )
            {
                return Err(Invalid::PartsOverlap { a, b });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, size: f64) -> Vec<[f64; 2]> {
        vec![
            [x, y],
            [x + size, y],
            [x + size, y + size],
            [x, y + size],
            [x, y],
        ]
    }

    /// A ring of `n` vertices around a circle: no two edges meet but neighbours.
    fn circle(n: usize) -> Vec<[f64; 2]> {
        let mut ring: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                [36.0 + a.cos(), 34.0 + a.sin()]
            })
            .collect();
        ring.push(ring[0]);
        ring
    }

    #[test]
    fn a_square_with_a_hole_is_valid() {
        let mp =
            multipolygon(&[vec![square(0.0, 0.0, 4.0), square(1.0, 1.0, 1.0)]]).expect("valid");
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
    }

    #[test]
    fn an_unclosed_ring_is_refused_rather_than_closed_silently() {
        let mut ring = square(0.0, 0.0, 1.0);
        ring.pop();
        ring.push([0.0, 0.5]);
        let err = multipolygon(&[vec![ring]]).expect_err("refused");
        assert!(matches!(err, Invalid::NotClosed { .. }), "{err}");
        assert!(err.to_string().contains("ends at [0, 0.5]"), "{err}");
    }

    #[test]
    fn empty_and_short_geometries_are_refused() {
        assert_eq!(multipolygon(&[]), Err(Invalid::Empty));
        assert_eq!(multipolygon(&[vec![]]), Err(Invalid::NoRings(0)));
        let err = multipolygon(&[vec![vec![]]]).expect_err("refused");
        assert!(
            matches!(err, Invalid::TooFewPositions { count: 0, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_flat_ring_encloses_no_area() {
        let flat = vec![[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [0.0, 0.0]];
        let err = multipolygon(&[vec![flat]]).expect_err("refused");
        assert!(matches!(err, Invalid::ZeroArea { .. }), "{err}");
    }

    #[test]
    fn a_bow_tie_crosses_itself() {
        let bowtie = vec![[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]];
        let err = multipolygon(&[vec![bowtie]]).expect_err("refused");
        assert!(matches!(err, Invalid::SelfCrossing { .. }), "{err}");
        assert!(err.to_string().contains("[0.5, 0.5]"), "{err}");
    }

    #[test]
    fn a_ring_that_pinches_itself_at_a_vertex_is_refused() {
        // A figure eight sharing the vertex (1, 1).
        let eight = vec![
            [0.0, 0.0],
            [1.0, 1.0],
            [2.0, 0.0],
            [2.0, 2.0],
            [1.0, 1.0],
            [0.0, 2.0],
            [0.0, 0.0],
        ];
        let err = multipolygon(&[vec![eight]]).expect_err("refused");
        assert!(matches!(err, Invalid::SelfTouch { .. }), "{err}");
    }

    #[test]
    fn overlapping_parts_are_refused_whether_they_cross_or_nest() {
        let crossing = [vec![square(0.0, 0.0, 2.0)], vec![square(1.0, 1.0, 2.0)]];
        let err = multipolygon(&crossing).expect_err("refused");
        assert!(matches!(err, Invalid::RingsCross { .. }), "{err}");
        let nested = [vec![square(0.0, 0.0, 4.0)], vec![square(1.0, 1.0, 1.0)]];
        let err = multipolygon(&nested).expect_err("refused");
        assert_eq!(err, Invalid::PartsOverlap { a: 1, b: 0 });
        let same = [vec![square(0.0, 0.0, 1.0)], vec![square(0.0, 0.0, 1.0)]];
        let err = multipolygon(&same).expect_err("refused");
        assert!(matches!(err, Invalid::RingsShareEdge { .. }), "{err}");
    }

    #[test]
    fn parts_touching_at_a_corner_and_an_island_in_a_lake_are_valid() {
        let corner = [vec![square(0.0, 0.0, 1.0)], vec![square(1.0, 1.0, 1.0)]];
        assert!(multipolygon(&corner).is_ok());
        let island = [
            vec![square(0.0, 0.0, 10.0), square(2.0, 2.0, 6.0)],
            vec![square(4.0, 4.0, 2.0)],
        ];
        assert!(multipolygon(&island).is_ok());
    }

    #[test]
    fn a_part_that_passes_through_another_at_its_vertices_crosses_it() {
        // The second part enters the first at (2, 0.5) and leaves at (2, 1.5), both vertices
        // lying on the first part's east edge: no edge crosses another's middle.
        let through = vec![[2.0, 0.5], [1.0, 1.0], [2.0, 1.5], [3.0, 1.0], [2.0, 0.5]];
        let err = multipolygon(&[vec![square(0.0, 0.0, 2.0)], vec![through]]).expect_err("refused");
        assert!(matches!(err, Invalid::RingsCross { .. }), "{err}");
        // A chevron touching the east edge at the same two points from outside is fine.
        let chevron = vec![[2.0, 0.5], [3.0, 1.0], [2.0, 1.5], [2.5, 1.0], [2.0, 0.5]];
        assert!(multipolygon(&[vec![square(0.0, 0.0, 2.0)], vec![chevron]]).is_ok());
    }

    #[test]
    fn a_hole_outside_its_ring_or_inside_another_hole_is_refused() {
        let outside = [vec![square(0.0, 0.0, 2.0), square(5.0, 5.0, 1.0)]];
        let err = multipolygon(&outside).expect_err("refused");
        assert!(matches!(err, Invalid::HoleOutside { .. }), "{err}");
        let nested = [vec![
            square(0.0, 0.0, 10.0),
            square(1.0, 1.0, 8.0),
            square(3.0, 3.0, 2.0),
        ]];
        let err = multipolygon(&nested).expect_err("refused");
        assert!(matches!(err, Invalid::NestedHoles { .. }), "{err}");
    }

    #[test]
    fn a_comb_of_long_east_west_teeth_is_valid() {
        // Long horizontal edges overlap along x; the sweep runs along y for them instead.
        let teeth = 200;
        let mut ring = vec![[0.0, 0.0]];
        for t in 0..teeth {
            let y = t as f64 * 0.01;
            ring.extend([
                [10.0, y],
                [10.0, y + 0.005],
                [0.1, y + 0.005],
                [0.1, y + 0.01],
            ]);
        }
        ring.push([0.0, teeth as f64 * 0.01]);
        ring.push([0.0, 0.0]);
        assert!(multipolygon(&[vec![ring]]).is_ok());
    }

    #[test]
    fn a_comb_of_long_diagonal_teeth_is_swept_in_a_diagonal_frame() {
        let teeth = 200;
        let mut ring = vec![[0.0, 0.0]];
        for t in 0..teeth {
            let y = t as f64 * 0.01;
            ring.extend([
                [10.0, y],
                [10.0, y + 0.005],
                [0.1, y + 0.005],
                [0.1, y + 0.01],
            ]);
        }
        ring.push([0.0, teeth as f64 * 0.01]);
        ring.push([0.0, 0.0]);
        // Turned by 45 degrees, the teeth overlap along both x and y.
        let (c, s) = (
            std::f64::consts::FRAC_1_SQRT_2,
            std::f64::consts::FRAC_1_SQRT_2,
        );
        let turned: Vec<[f64; 2]> = ring
            .iter()
            .map(|p| [p[0] * c - p[1] * s, p[0] * s + p[1] * c])
            .collect();
        let parts = [vec![turned]];
        let best = <Frame as strum::VariantArray>::VARIANTS
            .iter()
            .copied()
            .min_by_key(|f| sweep_pairs(&parts, *f));
        assert!(
            matches!(best, Some(Frame::Diagonal | Frame::AntiDiagonal)),
            "{best:?}"
        );
        assert!(
            sweep_pairs(&parts, Frame::Plain) > 20 * sweep_pairs(&parts, best.expect("a frame"))
        );
        assert!(multipolygon(&parts).is_ok());
    }

    #[test]
    fn an_error_found_in_a_diagonal_frame_is_placed_in_longitude_and_latitude() {
        let p = Coord { x: 3.0, y: 1.0 };
        let frame = Frame::Diagonal;
        let there = frame.to([1.0, 2.0]);
        assert_eq!(frame.from(there), At([1.0, 2.0]));
        assert_eq!(
            Frame::AntiDiagonal.from(Frame::AntiDiagonal.to([1.0, 2.0])),
            At([1.0, 2.0])
        );
        assert_eq!(Frame::Swapped.from(p), At([1.0, 3.0]));
    }

    #[test]
    fn counting_the_sweeps_pairs_matches_counting_them_one_by_one() {
        let ring = circle(500);
        let parts = [vec![ring]];
        for &frame in <Frame as strum::VariantArray>::VARIANTS {
            let spans: Vec<(f64, f64)> = parts[0][0]
                .windows(2)
                .map(|w| {
                    let (a, b) = (frame.to(w[0]).x, frame.to(w[1]).x);
                    (a.min(b), a.max(b))
                })
                .collect();
            let mut slow = 0u64;
            for (i, a) in spans.iter().enumerate() {
                for b in &spans[i + 1..] {
                    slow += u64::from(a.0 <= b.1 && b.0 <= a.1);
                }
            }
            assert_eq!(sweep_pairs(&parts, frame), slow, "{frame:?}");
        }
    }

    #[test]
    fn a_hundred_thousand_vertex_zone_is_valid_and_a_dent_in_it_is_found() {
        let ring = circle(100_000);
        assert!(multipolygon(&[vec![ring.clone()]]).is_ok());
        // Two neighbouring vertices swapped: their chords cross.
        let mut broken = ring;
        broken.swap(10, 11);
        let err = multipolygon(&[vec![broken]]).expect_err("refused");
        assert!(matches!(err, Invalid::SelfCrossing { .. }), "{err}");
    }
}
