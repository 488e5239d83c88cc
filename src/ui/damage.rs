//! What changed on screen between two frames, as a few rectangles, and a frame cut down to them.
//!
//! A software rasteriser (Mesa's llvmpipe: CI, virtual machines, remote desktops) pays for every
//! pixel it shades. While the user drags through time only the instant's handle, the date, the
//! lanes' cursor and perhaps a zone's colour change, yet a whole frame shades the window about
//! twice over. Comparing this frame's paint list with the last painted one gives the damage: the
//! union of where every shape that is not the same, in the same place of the paint order, was or
//! is. Outside it the window already shows the right pixels (if the window kept them: see
//! `partial`), so only shapes that touch the damage are painted, clipped to it.
//!
//! Pure: no OpenGL, unit-tested; `partial` applies it.

use egui::epaint::ClippedShape;
use egui::{Rect, Shape};

/// At most this many rectangles: each costs a pass over the shapes that touch it.
pub const MAX_RECTS: usize = 4;

/// More changed shapes than this are repainted as one rectangle (see [`merge`]).
const MAX_SEARCHED: usize = 64;

/// Where a shape may put pixels: its visual bounds (transformed as it will be after
/// tessellation), inside its clip rectangle, widened by the anti-aliasing feather (one pixel,
/// which is two points at the smallest scale egui allows in practice, half a pixel per point).
pub fn bounds(clipped: &ClippedShape) -> Rect {
    let shape_rect = match &clipped.shape {
        // A callback may paint anywhere in its rectangle.
        Shape::Callback(c) => c.rect,
        Shape::Noop => Rect::NOTHING,
        other => other.visual_bounding_rect(),
    };
    let moved = clipped.transform_after_tessellation * shape_rect.expand(2.0);
    moved.intersect(clipped.clip_rect)
}

/// The rectangles (in points, unmerged) that differ between the `old` and `new` paint lists,
/// compared place by place in paint order: a shape that is the same in the same place cannot
/// change a pixel, whatever else changes around it.
pub fn changed(old: &[ClippedShape], new: &[ClippedShape]) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut push = |r: Rect| {
        if r.is_positive() {
            out.push(r);
        }
    };
    for (a, b) in old.iter().zip(new) {
        if a != b {
            push(bounds(a));
            push(bounds(b));
        }
    }
    let common = old.len().min(new.len());
    for extra in old[common..].iter().chain(&new[common..]) {
        push(bounds(extra));
    }
    out
}

/// `rects` snapped outwards to whole pixels and merged until they are at most [`MAX_RECTS`]
/// and no two overlap (so that painting each one's shapes in turn paints every pixel once,
/// in order). Rectangles whose union wastes little are merged first.
pub fn merge(rects: &[Rect], pixels_per_point: f32) -> Vec<Rect> {
    let snap = |r: &Rect| {
        let p = pixels_per_point;
        Rect::from_min_max(
            egui::pos2((r.min.x * p).floor() / p, (r.min.y * p).floor() / p),
            egui::pos2((r.max.x * p).ceil() / p, (r.max.y * p).ceil() / p),
        )
    };
    let mut out: Vec<Rect> = rects.iter().map(snap).collect();
    // The pairwise search below is cubic in the count: a frame unlike the last (the first, a
    // new dataset) has a rectangle per shape, over a thousand. Those become their bounding box.
    if out.len() > MAX_SEARCHED {
        let all = out.iter().fold(Rect::NOTHING, |a, r| a.union(*r));
        return vec![all];
    }
    loop {
        let Some((i, j, cost)) = cheapest_pair(&out) else {
            return out;
        };
        let overlapping = out[i].intersects(out[j]) && out[i].intersect(out[j]).is_positive();
        // Merge what overlaps; merge what is nearly free; merge the cheapest pair while too many.
        if !overlapping && cost > 0.0 && out.len() <= MAX_RECTS {
            return out;
        }
        let union = out[i].union(out[j]);
        out[i] = union;
        out.swap_remove(j);
    }
}

/// The pair of rectangles whose union adds the least area beyond the two, overlapping pairs
/// first (their cost is negative or zero), or `None` for fewer than two.
fn cheapest_pair(rects: &[Rect]) -> Option<(usize, usize, f32)> {
    let mut best: Option<(usize, usize, f32)> = None;
    for i in 0..rects.len() {
        for j in i + 1..rects.len() {
            let (a, b) = (rects[i], rects[j]);
            let overlap = a.intersect(b);
            let shared = if overlap.is_positive() {
                overlap.area()
            } else {
                0.0
            };
            // Overlaps are merged whatever they cost: rank them below every disjoint pair.
            let cost = if shared > 0.0 {
                -shared
            } else {
                a.union(b).area() - a.area() - b.area()
            };
            if best.is_none_or(|(_, _, c)| cost < c) {
                best = Some((i, j, cost));
            }
        }
    }
    best
}

/// The shapes of `frame` that touch `damage`, clipped to it: for each rectangle in turn, the
/// frame's shapes that reach into it, in paint order. The rectangles must not overlap.
pub fn restrict(frame: &[ClippedShape], damage: &[Rect]) -> Vec<ClippedShape> {
    let mut out = Vec::new();
    for rect in damage {
        for clipped in frame {
            if bounds(clipped).intersects(*rect) {
                let mut cut = clipped.clone();
                cut.clip_rect = clipped.clip_rect.intersect(*rect);
                if cut.clip_rect.is_positive() {
                    out.push(cut);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, pos2, vec2};

    fn rect_shape(x: f32, y: f32, w: f32, h: f32, fill: Color32) -> ClippedShape {
        let r = Rect::from_min_size(pos2(x, y), vec2(w, h));
        ClippedShape {
            clip_rect: Rect::from_min_size(pos2(0.0, 0.0), vec2(1000.0, 1000.0)),
            shape: Shape::rect_filled(r, 0.0, fill),
            transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
        }
    }

    #[test]
    fn the_same_frame_twice_has_no_damage() {
        let frame = vec![
            rect_shape(0.0, 0.0, 100.0, 100.0, Color32::RED),
            rect_shape(10.0, 10.0, 5.0, 5.0, Color32::BLUE),
        ];
        assert!(changed(&frame, &frame.clone()).is_empty());
    }

    #[test]
    fn a_recoloured_shape_damages_only_where_it_is() {
        let old = vec![
            rect_shape(0.0, 0.0, 100.0, 100.0, Color32::RED),
            rect_shape(10.0, 10.0, 5.0, 5.0, Color32::BLUE),
        ];
        let mut new = old.clone();
        new[1] = rect_shape(10.0, 10.0, 5.0, 5.0, Color32::GREEN);
        let damage = changed(&old, &new);
        assert!(!damage.is_empty());
        for r in &damage {
            assert!(r.contains_rect(Rect::from_min_size(pos2(10.0, 10.0), vec2(5.0, 5.0))));
            assert!(r.width() < 10.0 && r.height() < 10.0, "{r:?}");
        }
    }

    #[test]
    fn a_moved_shape_damages_where_it_was_and_where_it_is() {
        let old = vec![rect_shape(10.0, 10.0, 5.0, 5.0, Color32::BLUE)];
        let new = vec![rect_shape(300.0, 10.0, 5.0, 5.0, Color32::BLUE)];
        let damage = merge(&changed(&old, &new), 1.0);
        assert_eq!(damage.len(), 2, "{damage:?}");
        let covers = |x: f32| damage.iter().any(|r| r.contains(pos2(x, 12.0)));
        assert!(covers(12.0) && covers(302.0));
        assert!(!covers(150.0), "the space between is not repainted");
    }

    #[test]
    fn a_shape_that_disappears_damages_where_it_was() {
        let old = vec![
            rect_shape(0.0, 0.0, 100.0, 100.0, Color32::RED),
            rect_shape(50.0, 50.0, 5.0, 5.0, Color32::BLUE),
        ];
        let new = vec![old[0].clone()];
        let damage = changed(&old, &new);
        assert!(damage.iter().any(|r| r.contains(pos2(52.0, 52.0))));
    }

    #[test]
    fn merged_rectangles_are_few_whole_pixels_and_never_overlap() {
        let rects: Vec<Rect> = (0..20)
            .map(|i| {
                Rect::from_min_size(
                    pos2(i as f32 * 37.3, (i % 3) as f32 * 41.7),
                    vec2(30.2, 50.9),
                )
            })
            .collect();
        let ppp = 1.5;
        let merged = merge(&rects, ppp);
        assert!(merged.len() <= MAX_RECTS, "{merged:?}");
        for (i, a) in merged.iter().enumerate() {
            for v in [a.min.x, a.min.y, a.max.x, a.max.y] {
                assert!(
                    ((v * ppp) - (v * ppp).round()).abs() < 1e-3,
                    "{a:?} off the pixel grid"
                );
            }
            for b in &merged[i + 1..] {
                assert!(!a.intersect(*b).is_positive(), "{a:?} overlaps {b:?}");
            }
        }
        for r in &rects {
            let (c, n) = (
                r.center(),
                merged.iter().filter(|m| m.contains(r.center())).count(),
            );
            assert_eq!(n, 1, "{c:?} must be in exactly one merged rectangle");
        }
    }

    #[test]
    fn a_frame_unlike_the_last_is_one_rectangle_around_all_its_changes() {
        let rects: Vec<Rect> = (0..1000)
            .map(|i| {
                Rect::from_min_size(
                    pos2((i % 40) as f32 * 25.0, (i / 40) as f32 * 20.0),
                    vec2(3.0, 3.0),
                )
            })
            .collect();
        let merged = merge(&rects, 1.0);
        assert_eq!(
            merged,
            vec![Rect::from_min_max(pos2(0.0, 0.0), pos2(978.0, 483.0))]
        );
    }

    #[test]
    fn restricting_keeps_paint_order_and_clips_to_the_damage() {
        let frame = vec![
            rect_shape(0.0, 0.0, 100.0, 100.0, Color32::RED),
            rect_shape(200.0, 200.0, 5.0, 5.0, Color32::GREEN),
            rect_shape(10.0, 10.0, 5.0, 5.0, Color32::BLUE),
        ];
        let damage = [Rect::from_min_size(pos2(8.0, 8.0), vec2(10.0, 10.0))];
        let cut = restrict(&frame, &damage);
        assert_eq!(cut.len(), 2, "the far shape is left out");
        assert_eq!(cut[0].shape, frame[0].shape);
        assert_eq!(cut[1].shape, frame[2].shape);
        assert!(cut.iter().all(|c| c.clip_rect == damage[0]));
    }
}
