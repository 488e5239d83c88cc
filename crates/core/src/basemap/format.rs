//! The embedded world basemap's file: what tools/world writes and the app reads.
//!
//! One postcard value after an 8-byte magic. Positions are on a grid of [`GRID`] degrees
//! (about 11 m), as `i32`. Borders are stored once, TopoJSON-style: each level holds arcs (runs
//! of positions, delta-encoded, so a step of a few hundred metres takes two or three bytes) and
//! every area lists, per level, its polygons as rings of arc references (`!i`, a negative
//! number, is arc `i` walked backwards). Arcs are decoded only when an area is first drawn.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The file's first bytes; the digit is the format's version.
pub const MAGIC: &[u8; 8] = b"TAWORLD3";
/// Degrees per grid step.
pub const GRID: f64 = 1e-4;

/// A position on the grid: longitude and latitude in steps of [`GRID`].
pub type Point = [i32; 2];
/// An area's polygons: each a list of rings (the outer first), each a list of arc references.
pub type Parts = Vec<Vec<Vec<i32>>>;

#[derive(Debug, Serialize, Deserialize)]
pub struct File<'a> {
    /// Which data, at which version, from where.
    pub source: String,
    /// The line the map shows while the basemap is in view.
    pub attribution: String,
    #[serde(borrow)]
    pub levels: Vec<Level<'a>>,
    #[serde(borrow)]
    pub countries: Vec<Area<'a>>,
    #[serde(borrow)]
    pub regions: Vec<Area<'a>>,
    #[serde(borrow)]
    pub places: Vec<Place<'a>>,
}

/// One level of detail: drawn from `from_zoom` (walkers' zoom) up to the next level's.
#[derive(Debug, Serialize, Deserialize)]
pub struct Level<'a> {
    pub from_zoom: f32,
    /// Every arc, one after the other, each a postcard `Vec<Point>` of deltas (the first from
    /// [0, 0]).
    pub arcs: &'a [u8],
    /// Where each arc starts in `arcs`.
    pub arc_starts: Vec<u32>,
}

/// A country (ISO 3166-1 alpha-2 code) or a first-level division (ISO 3166-2 as Natural Earth
/// gives it). Its words are borrowed from the file, which is embedded: reading the world's
/// 4,700 areas allocates no string.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Area<'a> {
    pub code: &'a str,
    /// The English name.
    pub name: &'a str,
    /// Every name the data gives, the English one first, separated by `|` (see
    /// [`Area::names`]).
    pub names: &'a str,
    /// The country's ISO 3166-1 alpha-2 code (a country's own code for a country).
    pub country: &'a str,
    /// "Country", or the division's kind in English ("Province", "Region", …).
    pub kind: &'a str,
    /// Natural Earth's zoom from which the name suits the map (0 for countries).
    pub rank: f32,
    /// Whether the name is written on the map.
    pub labelled: bool,
    /// Where the name goes.
    pub label: Point,
    /// Bounding box: west, south, east, north.
    pub bbox: [i32; 4],
    /// The outline at each level, as postcard-encoded [`Parts`] decoded only when the area is
    /// first drawn (reading 4,700 areas' rings of arc references up front took most of the
    /// file's reading time); `None` where that level's could not be made valid, in which case
    /// the next finer level's is drawn, else the nearest coarser one's.
    #[serde(borrow)]
    pub shapes: Vec<Option<&'a [u8]>>,
}

impl<'a> Area<'a> {
    /// Every name the data gives, the English one first, for finding the area by name.
    pub fn names(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.names.split('|').filter(|n| !n.is_empty())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Place<'a> {
    pub name: &'a str,
    pub country: &'a str,
    pub at: Point,
    pub population: u32,
    pub capital: bool,
}

#[derive(Debug, Error)]
pub enum FormatError {
    #[error("the world basemap does not start with {MAGIC:?}: not this format or version")]
    Magic,
    #[error("the world basemap could not be read: {0}")]
    Postcard(#[from] postcard::Error),
    #[error("the world basemap's level {level} has no arc {arc}")]
    NoArc { level: usize, arc: i64 },
}

impl File<'_> {
    pub fn to_bytes(&self) -> Result<Vec<u8>, FormatError> {
        let mut out = MAGIC.to_vec();
        out.extend(postcard::to_allocvec(self)?);
        Ok(out)
    }
}

impl<'a> File<'a> {
    pub fn from_bytes(bytes: &'a [u8]) -> Result<File<'a>, FormatError> {
        let body = bytes.strip_prefix(MAGIC).ok_or(FormatError::Magic)?;
        Ok(postcard::from_bytes(body)?)
    }
}

/// An area's outline at one level, as [`Area::shapes`] holds it.
pub fn encode_parts(parts: &Parts) -> Result<Vec<u8>, FormatError> {
    Ok(postcard::to_allocvec(parts)?)
}

/// The outline [`encode_parts`] wrote.
pub fn decode_parts(bytes: &[u8]) -> Result<Parts, FormatError> {
    Ok(postcard::from_bytes(bytes)?)
}

/// Encodes arcs (absolute grid positions) into a level's `arcs` and `arc_starts`.
pub fn encode_arcs(arcs: &[Vec<Point>]) -> Result<(Vec<u8>, Vec<u32>), FormatError> {
    let mut bytes = Vec::new();
    let mut starts = Vec::with_capacity(arcs.len());
    for arc in arcs {
        starts.push(bytes.len() as u32);
        let mut last = [0, 0];
        let deltas: Vec<Point> = arc
            .iter()
            .map(|p| {
                let d = [p[0] - last[0], p[1] - last[1]];
                last = *p;
                d
            })
            .collect();
        bytes.extend(postcard::to_allocvec(&deltas)?);
    }
    Ok((bytes, starts))
}

impl Level<'_> {
    /// Arc `i`'s positions.
    pub fn arc(&self, level: usize, i: usize) -> Result<Vec<Point>, FormatError> {
        let start = *self.arc_starts.get(i).ok_or(FormatError::NoArc {
            level,
            arc: i as i64,
        })? as usize;
        let bytes = self.arcs.get(start..).ok_or(FormatError::NoArc {
            level,
            arc: i as i64,
        })?;
        let (deltas, _): (Vec<Point>, _) = postcard::take_from_bytes(bytes)?;
        let mut at = [0i32, 0i32];
        Ok(deltas
            .into_iter()
            .map(|d| {
                at = [at[0].wrapping_add(d[0]), at[1].wrapping_add(d[1])];
                at
            })
            .collect())
    }

    /// A ring from its arc references: the arcs joined end to start (each after the first
    /// without its first position, which repeats the last one's end), closed.
    pub fn ring(&self, level: usize, refs: &[i32]) -> Result<Vec<Point>, FormatError> {
        let mut ring: Vec<Point> = Vec::new();
        for &r in refs {
            let (i, backwards) = if r < 0 { (!r, true) } else { (r, false) };
            let mut arc = self.arc(level, i as usize)?;
            if backwards {
                arc.reverse();
            }
            let skip = usize::from(!ring.is_empty());
            ring.extend(arc.into_iter().skip(skip));
        }
        Ok(ring)
    }
}

impl Level<'_> {
    /// An area's outline from its references, in degrees: polygons of rings, as GeoJSON nests
    /// them. `level` is this level's index, for errors.
    pub fn outline(
        &self,
        level: usize,
        parts: &Parts,
    ) -> Result<Vec<Vec<Vec<[f64; 2]>>>, FormatError> {
        parts
            .iter()
            .map(|rings| {
                rings
                    .iter()
                    .map(|refs| Ok(self.ring(level, refs)?.into_iter().map(degrees).collect()))
                    .collect()
            })
            .collect()
    }
}

/// Grid position to (longitude, latitude).
pub fn degrees(p: Point) -> [f64; 2] {
    [f64::from(p[0]) * GRID, f64::from(p[1]) * GRID]
}

/// (longitude, latitude) to the nearest grid position.
pub fn grid(lon: f64, lat: f64) -> Point {
    [(lon / GRID).round() as i32, (lat / GRID).round() as i32]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arcs_come_back_as_they_went_in_forwards_and_backwards() {
        let a = vec![[0, 0], [10, 0], [10, 10]];
        let b = vec![[10, 10], [-1_800_000, 899_999], [0, 0]];
        let (arcs, arc_starts) = encode_arcs(&[a.clone(), b.clone()]).expect("encodes");
        let level = Level {
            from_zoom: 0.0,
            arcs: &arcs,
            arc_starts,
        };
        assert_eq!(level.arc(0, 0).expect("arc 0"), a);
        assert_eq!(level.arc(0, 1).expect("arc 1"), b);
        let ring = level.ring(0, &[0, 1]).expect("ring");
        assert_eq!(ring.len(), 5);
        assert_eq!(ring.first(), ring.last());
        let back = level.ring(0, &[!1, !0]).expect("ring backwards");
        assert_eq!(back, ring.iter().rev().copied().collect::<Vec<_>>());
        assert!(matches!(level.arc(0, 2), Err(FormatError::NoArc { .. })));
    }

    #[test]
    fn a_file_without_the_magic_or_cut_short_is_an_error_not_a_panic() {
        assert!(matches!(
            File::from_bytes(b"GARBAGE!!"),
            Err(FormatError::Magic)
        ));
        let file = File {
            source: "s".into(),
            attribution: "a".into(),
            levels: Vec::new(),
            countries: Vec::new(),
            regions: Vec::new(),
            places: Vec::new(),
        };
        let bytes = file.to_bytes().expect("encodes");
        assert!(File::from_bytes(&bytes).is_ok());
        assert!(matches!(
            File::from_bytes(&bytes[..bytes.len() - 1]),
            Err(FormatError::Postcard(_))
        ));
    }
}
