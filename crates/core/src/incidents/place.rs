//! Which zones hold each incident: a grid over the zones' bounds finds the few zones a point
//! may fall in (not every incident against every zone), then the outline decides.

use geo::{Contains, Point};

use crate::model::Zone;
use crate::model::incidents::{Incident, Reach, Where};

/// What an area-wide point (a province or country put at a point inside it) may be placed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coded {
    /// Hand-drawn or smaller: exact points only.
    No,
    /// One or more first-level divisions (`SY-HL`).
    Province,
    /// A whole country (`SY`), or more.
    Country,
}

/// A grid over the zones' bounds, each cell listing the zones whose bounds meet it.
pub(super) struct ZoneGrid<'a> {
    zones: &'a [Zone],
    coded: Vec<Coded>,
    bounds: Vec<[f64; 4]>,
    origin: [f64; 2],
    cell: [f64; 2],
    size: usize,
    cells: Vec<Vec<u32>>,
}

impl<'a> ZoneGrid<'a> {
    pub(super) fn new(zones: &'a [Zone]) -> Self {
        let bounds: Vec<[f64; 4]> = zones.iter().map(bounds_of).collect();
        let all = bounds.iter().fold(
            [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ],
            |a, b| {
                [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ]
            },
        );
        // About four cells per zone on a side's square root: a few zones per cell.
        let size = ((zones.len() as f64).sqrt() * 2.0).ceil().clamp(1.0, 512.0) as usize;
        let span = |lo: f64, hi: f64| ((hi - lo) / size as f64).max(1e-9);
        let mut grid = ZoneGrid {
            zones,
            coded: zones.iter().map(coded).collect(),
            origin: [all[0], all[1]],
            cell: [span(all[0], all[2]), span(all[1], all[3])],
            size,
            cells: vec![Vec::new(); size * size],
            bounds,
        };
        for (z, b) in grid.bounds.iter().enumerate() {
            if !b[0].is_finite() {
                continue;
            }
            let (x0, y0) = grid.cell_of(b[0], b[1]);
            let (x1, y1) = grid.cell_of(b[2], b[3]);
            for y in y0..=y1 {
                for x in x0..=x1 {
                    grid.cells[y * size + x].push(z as u32);
                }
            }
        }
        grid
    }

    fn cell_of(&self, lon: f64, lat: f64) -> (usize, usize) {
        let at =
            |v: f64, o: f64, c: f64| (((v - o) / c).floor().max(0.0) as usize).min(self.size - 1);
        (
            at(lon, self.origin[0], self.cell[0]),
            at(lat, self.origin[1], self.cell[1]),
        )
    }

    /// The zones that hold the incident, in zone order, into `out`.
    pub(super) fn zones_of(&self, incident: &Incident, out: &mut Vec<u32>) {
        out.clear();
        match &incident.place {
            Where::Zones(zones) => out.extend(zones.iter().copied()),
            &Where::Point { lon, lat, reach } => {
                if self.zones.is_empty() {
                    return;
                }
                let (x, y) = self.cell_of(lon, lat);
                let point = Point::new(lon, lat);
                for &z in &self.cells[y * self.size + x] {
                    let b = self.bounds[z as usize];
                    let inside_box = (b[0]..=b[2]).contains(&lon) && (b[1]..=b[3]).contains(&lat);
                    if inside_box
                        && may_hold(self.coded[z as usize], reach)
                        && self.zones[z as usize].geometry.contains(&point)
                    {
                        out.push(z);
                    }
                }
                out.sort_unstable();
            }
        }
    }
}

/// A point standing for a province is placed only in zones that are whole divisions (or
/// countries); one standing for a country, only in whole countries.
fn may_hold(coded: Coded, reach: Reach) -> bool {
    match reach {
        Reach::Exact => true,
        Reach::Province => coded != Coded::No,
        Reach::Country => coded == Coded::Country,
    }
}

/// A zone given by codes is that area: by a country code (`SY`) a country, by a division's
/// (`SY-HL`) a province.
fn coded(zone: &Zone) -> Coded {
    if zone.admin_codes.is_empty() {
        Coded::No
    } else if zone.admin_codes.iter().any(|c| !c.contains('-')) {
        Coded::Country
    } else {
        Coded::Province
    }
}

fn bounds_of(zone: &Zone) -> [f64; 4] {
    zone.geometry
        .0
        .iter()
        .flat_map(|p| p.exterior().0.iter())
        .fold(
            [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ],
            |a, c| [a[0].min(c.x), a[1].min(c.y), a[2].max(c.x), a[3].max(c.y)],
        )
}
