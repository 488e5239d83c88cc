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

use std::sync::Arc;

use egui::epaint::{ClippedShape, TextShape};
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

/// How far ahead [`changed`] looks for the place where the two paint lists agree again after a
/// difference: a label that appears or goes (or a handful of marks) shifts every later shape by
/// that many places.
const LOOKAHEAD: usize = 12;

/// How many equal shapes in a row make a place where the lists agree again.
const AGREE: usize = 2;

/// The rectangles (in points, unmerged) that differ between the `old` and `new` paint lists.
///
/// The lists are matched in paint order: equal shapes are paired without crossing, and every
/// shape left unpaired damages where it is. Any such pairing is safe: at a pixel outside the
/// damage, every shape that covers it is paired with an equal one, in the same order, so the
/// pixel comes out the same. Pairing place by place alone would make a label that appears
/// shift every later shape out of step and damage the whole window; so after a difference the
/// lists are searched a little way ahead for where they agree again.
pub fn changed(old: &[ClippedShape], new: &[ClippedShape]) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut push = |c: &ClippedShape| {
        let r = bounds(c);
        if r.is_positive() {
            out.push(r);
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < new.len() {
        if same(&old[i], &new[j]) {
            (i, j) = (i + 1, j + 1);
            continue;
        }
        // Where they agree again; failing that, the two shapes are one changed shape.
        let (skip_old, skip_new) = agree_again(old, new, i, j).unwrap_or((1, 1));
        old[i..i + skip_old].iter().for_each(&mut push);
        new[j..j + skip_new].iter().for_each(&mut push);
        (i, j) = (i + skip_old, j + skip_new);
    }
    old[i..].iter().chain(&new[j..]).for_each(push);
    out
}

/// Whether two shapes paint the same pixels: `==`, except that a text's galley or a mesh held
/// by the same `Arc` is the same without walking it. egui's galley cache hands back the same
/// `Arc` for the same text frame after frame, and kept drawings (the incident marks) keep
/// theirs; `Arc`'s own `==` walks both all the same (every glyph of every text, each frame).
pub fn same(a: &ClippedShape, b: &ClippedShape) -> bool {
    if a.clip_rect != b.clip_rect
        || a.transform_after_tessellation != b.transform_after_tessellation
    {
        return false;
    }
    match (&a.shape, &b.shape) {
        (Shape::Text(x), Shape::Text(y)) if Arc::ptr_eq(&x.galley, &y.galley) => {
            // Every other field, named so that a field egui adds is not left out unseen.
            let TextShape {
                pos,
                galley: _,
                underline,
                fallback_color,
                override_text_color,
                opacity_factor,
                angle,
            } = x;
            *pos == y.pos
                && *underline == y.underline
                && *fallback_color == y.fallback_color
                && *override_text_color == y.override_text_color
                && *opacity_factor == y.opacity_factor
                && *angle == y.angle
        }
        (Shape::Mesh(x), Shape::Mesh(y)) if Arc::ptr_eq(x, y) => true,
        (x, y) => x == y,
    }
}

/// The fewest shapes to skip in `old` (from `i`) and `new` (from `j`) to reach a place where
/// [`AGREE`] shapes in a row are equal (or both lists end), within [`LOOKAHEAD`] of each;
/// among as few, an equal number from each first (a changed shape is commoner than a shift).
fn agree_again(
    old: &[ClippedShape],
    new: &[ClippedShape],
    i: usize,
    j: usize,
) -> Option<(usize, usize)> {
    let agree_at = |a: usize, b: usize| {
        (0..AGREE).all(|k| match (old.get(a + k), new.get(b + k)) {
            (Some(x), Some(y)) => same(x, y),
            (None, None) => true,
            _ => false,
        })
    };
    for skipped in 1..=2 * LOOKAHEAD {
        let (lo, hi) = (skipped.saturating_sub(LOOKAHEAD), skipped.min(LOOKAHEAD));
        // The splits of `skipped` into (a from old, b from new), the most even first.
        let half = skipped / 2;
        let splits = (0..=LOOKAHEAD).flat_map(|d| [half.checked_sub(d), Some(skipped - half + d)]);
        let mut last = None;
        for a in splits.flatten().filter(|a| (lo..=hi).contains(a)) {
            if last.replace(a) == Some(a) {
                continue;
            }
            let b = skipped - a;
            if i + a <= old.len() && j + b <= new.len() && agree_at(i + a, j + b) {
                return Some((a, b));
            }
        }
    }
    None
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
    // Each shape's bounds once, not once a rectangle: a mesh's are a walk over its vertices. A
    // shape clipped away from all the damage (the map's many marks, while only the time bar
    // changes) needs none.
    let reach = damage.iter().fold(Rect::NOTHING, |a, r| a.union(*r));
    let all: Vec<Rect> = frame
        .iter()
        .map(|c| {
            if c.clip_rect.intersects(reach) {
                bounds(c)
            } else {
                Rect::NOTHING
            }
        })
        .collect();
    for rect in damage {
        for (clipped, b) in frame.iter().zip(&all) {
            if b.intersects(*rect) {
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
    fn a_label_that_appears_early_damages_only_where_it_is() {
        let old: Vec<ClippedShape> = (0..40)
            .map(|i| rect_shape(i as f32 * 20.0, 300.0, 10.0, 10.0, Color32::RED))
            .collect();
        let mut new = old.clone();
        new.insert(3, rect_shape(500.0, 10.0, 60.0, 12.0, Color32::BLACK));
        let damage = merge(&changed(&old, &new), 1.0);
        assert_eq!(damage.len(), 1, "{damage:?}");
        assert!(damage[0].contains(pos2(530.0, 16.0)));
        assert!(
            damage[0].height() < 20.0,
            "the shapes after it are not repainted: {damage:?}"
        );
    }

    #[test]
    fn a_label_that_goes_and_a_colour_that_changes_damage_only_where_they_are() {
        let old: Vec<ClippedShape> = (0..40)
            .map(|i| rect_shape(i as f32 * 20.0, 300.0, 10.0, 10.0, Color32::RED))
            .collect();
        let mut new = old.clone();
        new.remove(5);
        new[30] = rect_shape(31.0 * 20.0, 300.0, 10.0, 10.0, Color32::GREEN);
        let damage = changed(&old, &new);
        let covered = |x: f32| damage.iter().any(|r| r.contains(pos2(x, 305.0)));
        assert!(covered(105.0) && covered(625.0), "{damage:?}");
        for k in (0..40).filter(|k| ![5, 31].contains(k)) {
            assert!(
                !covered(k as f32 * 20.0 + 5.0),
                "shape {k} is not repainted: {damage:?}"
            );
        }
    }

    #[test]
    fn a_text_with_the_same_galley_is_the_same_only_where_and_as_it_was() {
        let ctx = egui::Context::default();
        let mut galleys = Vec::new();
        let _ = ctx.run_ui(egui::RawInput::default(), |ui| {
            let font = egui::FontId::proportional(14.0);
            galleys = ["1 May", "1 May", "2 May"]
                .iter()
                .map(|t| {
                    ui.painter()
                        .layout_no_wrap(t.to_string(), font.clone(), Color32::BLACK)
                })
                .collect();
        });
        let text = |at: f32, g: &Arc<egui::Galley>, colour: Color32| ClippedShape {
            clip_rect: Rect::EVERYTHING,
            shape: Shape::galley(pos2(at, 0.0), Arc::clone(g), colour),
            transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
        };
        let black = Color32::BLACK;
        let shown = text(10.0, &galleys[0], black);
        assert!(same(&shown, &text(10.0, &galleys[0], black)));
        assert!(
            same(&shown, &text(10.0, &galleys[1], black)),
            "an equal galley, maybe another Arc"
        );
        assert!(!same(&shown, &text(11.0, &galleys[0], black)), "moved");
        assert!(
            !same(&shown, &text(10.0, &galleys[0], Color32::RED)),
            "recoloured"
        );
        assert!(
            !same(&shown, &text(10.0, &galleys[2], black)),
            "other words"
        );
    }

    /// The shapes (as indices into their frame's colours and places) that cover `p`, in order.
    fn cover(frame: &[ClippedShape], p: egui::Pos2) -> Vec<&Shape> {
        frame
            .iter()
            .filter(|c| c.shape.visual_bounding_rect().contains(p))
            .map(|c| &c.shape)
            .collect()
    }

    proptest::proptest! {
        /// Whatever was inserted, removed, moved or recoloured, a point that the new frame
        /// would paint differently is inside the damage.
        #[test]
        fn every_point_painted_differently_is_in_the_damage(
            start in proptest::collection::vec((0u8..20, 0u8..20, 0u8..4), 0..40),
            edits in proptest::collection::vec((0u8..4, 0usize..64, 0u8..20, 0u8..20, 0u8..4), 0..12),
        ) {
            let colours = [Color32::RED, Color32::BLUE, Color32::GREEN, Color32::BLACK];
            let shape = |x: u8, y: u8, c: u8| {
                rect_shape(f32::from(x) * 10.0, f32::from(y) * 10.0, 25.0, 25.0, colours[usize::from(c)])
            };
            let old: Vec<ClippedShape> = start.iter().map(|&(x, y, c)| shape(x, y, c)).collect();
            let mut new = old.clone();
            for (what, at, x, y, c) in edits {
                let k = if new.is_empty() { 0 } else { at % new.len() };
                match what {
                    0 => new.insert(k.min(new.len()), shape(x, y, c)),
                    1 if !new.is_empty() => {
                        new.remove(k);
                    }
                    _ if !new.is_empty() => new[k] = shape(x, y, c),
                    _ => {}
                }
            }
            let damage = changed(&old, &new);
            let merged = merge(&damage, 1.0);
            for gx in 0..80 {
                for gy in 0..80 {
                    let p = pos2(gx as f32 * 3.0 + 0.5, gy as f32 * 3.0 + 0.5);
                    if cover(&old, p) != cover(&new, p) {
                        proptest::prop_assert!(damage.iter().any(|r| r.contains(p)), "{p:?}");
                        proptest::prop_assert!(merged.iter().any(|r| r.contains(p)), "{p:?}");
                    }
                }
            }
        }
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
