//! The map's placement space: the room the legend, the credits and every name on the map have
//! taken this frame. Each claims its room in turn and later ones go where nothing is.

use egui::Rect;

/// Room taken on the map, with a grid of cells so that "is this free?" looks only nearby:
/// placing thousands of labels stays near-linear.
#[derive(Default)]
pub(super) struct Occupied {
    rects: Vec<Rect>,
    cells: std::collections::HashMap<(i32, i32), Vec<usize>>,
}

const CELL: f32 = 64.0;

impl Occupied {
    fn cells_of(r: Rect) -> impl Iterator<Item = (i32, i32)> {
        let (x0, x1) = (
            (r.min.x / CELL).floor() as i32,
            (r.max.x / CELL).floor() as i32,
        );
        let (y0, y1) = (
            (r.min.y / CELL).floor() as i32,
            (r.max.y / CELL).floor() as i32,
        );
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    pub(super) fn push(&mut self, r: Rect) {
        let i = self.rects.len();
        self.rects.push(r);
        for cell in Self::cells_of(r.expand(2.0)) {
            self.cells.entry(cell).or_default().push(i);
        }
    }

    /// The rects near `r`, each once.
    fn near(&self, r: Rect) -> Vec<Rect> {
        let mut ids: Vec<usize> = Self::cells_of(r)
            .filter_map(|c| self.cells.get(&c))
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(|i| self.rects[i]).collect()
    }

    /// Every rect taken, in the order taken.
    pub(super) fn rects(&self) -> &[Rect] {
        &self.rects
    }

    pub(super) fn extend(&mut self, rects: impl IntoIterator<Item = Rect>) {
        for r in rects {
            self.push(r);
        }
    }

    /// Whether `r` overlaps nothing taken, with a 2-point margin (labels keep apart).
    pub(super) fn free(&self, r: Rect) -> bool {
        !self.near(r).iter().any(|o| o.expand(2.0).intersects(r))
    }

    /// Whether `r` overlaps nothing taken, edge to edge (a place name may sit close).
    pub(super) fn clear_of(&self, r: Rect) -> bool {
        !self.near(r).iter().any(|o| o.intersects(r))
    }

    /// How much of `r` is already taken.
    pub(super) fn covered(&self, r: Rect) -> f32 {
        self.near(r)
            .iter()
            .map(|o| o.expand(2.0).intersect(r))
            .filter(|i| i.is_positive())
            .map(|i| i.area())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::Occupied;
    use egui::{Rect, pos2, vec2};

    #[test]
    fn a_rect_is_free_only_where_nothing_taken_is_near_it() {
        let mut o = Occupied::default();
        o.push(Rect::from_min_size(pos2(0.0, 0.0), vec2(100.0, 20.0)));
        assert!(!o.free(Rect::from_min_size(pos2(50.0, 10.0), vec2(10.0, 10.0))));
        assert!(
            !o.free(Rect::from_min_size(pos2(101.0, 0.0), vec2(10.0, 10.0))),
            "margin"
        );
        assert!(o.clear_of(Rect::from_min_size(pos2(101.0, 0.0), vec2(10.0, 10.0))));
        assert!(o.free(Rect::from_min_size(pos2(500.0, 500.0), vec2(10.0, 10.0))));
        assert!(o.covered(Rect::from_min_size(pos2(0.0, 0.0), vec2(10.0, 10.0))) > 99.0);
    }

    #[test]
    fn thousands_of_rects_are_placed_without_looking_at_each_other() {
        // Through the grid, a test looks only at nearby cells: placing 2x the rects costs
        // about 2x the look-ups, not 4x.
        let count = |n: usize| {
            let mut o = Occupied::default();
            let mut looked = 0;
            for i in 0..n {
                let r = Rect::from_min_size(
                    pos2((i % 100) as f32 * 30.0, (i / 100) as f32 * 30.0),
                    vec2(20.0, 10.0),
                );
                looked += o.near(r).len();
                o.push(r);
            }
            looked
        };
        let (a, b) = (count(2_000), count(4_000));
        assert!(b < a * 3, "{a} then {b}");
    }
}
