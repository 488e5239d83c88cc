//! Incidents on the map: a round mark per incident of the window of days up to the instant,
//! sized by its deaths (best, else low; unknown: hollow), merged into a count where marks
//! crowd. Drawn over the zones and under the labels; the pointer over a mark says what it is,
//! a click opens its quote or its source's summary.

use egui::{Align2, Color32, FontId, Pos2, Rect, Response, Sense, Ui, pos2, vec2};
use walkers::{MapMemory, Projector};

use super::{Frame, Transform};
use crate::incidents::view::Mark;
use crate::ui::theme;

/// Marks closer than this (points) are drawn as one count.
const CELL: f32 = 40.0;

/// Marks merged where they crowd: one per grid cell of the screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cluster {
    pub at: Pos2,
    pub count: u32,
    /// The sum of the known figures, and whether some mark has none.
    pub deaths: u64,
    pub unknown: bool,
    /// The first mark, for a cluster of one.
    pub first: Mark,
}

impl Cluster {
    fn radius(&self) -> f32 {
        if self.count > 1 {
            let digits = self.count.to_string().len() as f32;
            return (8.0 + 3.0 * digits).min(18.0);
        }
        let d = self.deaths.min(1_000) as f32;
        (4.0 + 2.0 * d.sqrt()).min(16.0)
    }
}

/// The marks in view, merged per cell of a [`CELL`]-point grid, in a stable order.
pub fn clusters(marks: &[Mark], t: &Transform, view: Rect) -> Vec<Cluster> {
    let cols = (view.width() / CELL).ceil().max(1.0) as usize;
    let rows = (view.height() / CELL).ceil().max(1.0) as usize;
    let mut grid: Vec<Option<(f32, f32, Cluster)>> = vec![None; cols * rows];
    for m in marks {
        let p = t.screen([f64::from(m.at[0]), f64::from(m.at[1])]);
        if !view.contains(p) {
            continue;
        }
        let c = ((p.x - view.left()) / CELL) as usize;
        let r = ((p.y - view.top()) / CELL) as usize;
        let Some(cell) = grid.get_mut(r.min(rows - 1) * cols + c.min(cols - 1)) else {
            continue;
        };
        let deaths = u64::from(m.size.unwrap_or(0));
        match cell {
            Some((sx, sy, cluster)) => {
                *sx += p.x;
                *sy += p.y;
                cluster.count += 1;
                cluster.deaths += deaths;
                cluster.unknown |= m.size.is_none();
            }
            None => {
                *cell = Some((
                    p.x,
                    p.y,
                    Cluster {
                        at: p,
                        count: 1,
                        deaths,
                        unknown: m.size.is_none(),
                        first: *m,
                    },
                ));
            }
        }
    }
    grid.into_iter()
        .flatten()
        .map(|(sx, sy, mut c)| {
            c.at = pos2(sx / c.count as f32, sy / c.count as f32);
            c
        })
        .collect()
}

/// Sides of a mark's polygon: round at the sizes drawn.
const SEGMENTS: usize = 16;

/// A filled disc with a one-point soft edge, into `mesh`.
fn push_disc(mesh: &mut egui::epaint::Mesh, at: Pos2, r: f32, color: Color32) {
    use egui::epaint::{Vertex, WHITE_UV};
    let base = mesh.vertices.len() as u32;
    mesh.vertices.push(Vertex {
        pos: at,
        uv: WHITE_UV,
        color,
    });
    for k in 0..SEGMENTS {
        let a = k as f32 / SEGMENTS as f32 * std::f32::consts::TAU;
        let d = vec2(a.cos(), a.sin());
        mesh.vertices.push(Vertex {
            pos: at + d * (r - 0.5),
            uv: WHITE_UV,
            color,
        });
        mesh.vertices.push(Vertex {
            pos: at + d * (r + 0.5),
            uv: WHITE_UV,
            color: Color32::TRANSPARENT,
        });
    }
    let n = SEGMENTS as u32;
    for k in 0..n {
        let (i, j) = (1 + 2 * k, 1 + 2 * ((k + 1) % n));
        mesh.indices.extend([base, base + i, base + j]);
        mesh.indices.extend([base + i, base + i + 1, base + j]);
        mesh.indices.extend([base + j, base + i + 1, base + j + 1]);
    }
}

/// What identifies a drawing of the marks: the marks (their version), the camera, the map's
/// rectangle, the look and the pixel density.
type PictureKey = (u64, Transform, Rect, usize, u32);

/// The marks as last drawn, kept while the marks, camera and look stay: a drag through time
/// keeps the camera, and the marks change only when they are picked again (see
/// `ui::incidents`), so most frames draw the same shapes again without making them.
#[derive(Default)]
pub(super) struct Picture {
    key: Option<PictureKey>,
    clusters: Vec<Cluster>,
    /// One mesh per cluster: a cluster that changes repaints only where it is (see
    /// `ui::damage`), not every mark on the map.
    shapes: Vec<egui::Shape>,
    /// The merged clusters' numbers, laid out each frame: a galley kept across frames would
    /// point into a font atlas egui may have cleared since (it does when the atlas fills).
    /// egui's galley cache hands back the same galley while the atlas stands.
    labels: Vec<(Pos2, String)>,
}

impl Picture {
    fn draw(&mut self, ctx: &egui::Context, marks: &[Mark], key: PictureKey, t: &Transform) {
        if self.key == Some(key) {
            return;
        }
        let view = key.2;
        let tk = theme::tokens(ctx);
        self.clusters = clusters(marks, t, view);
        self.shapes.clear();
        self.labels.clear();
        for c in &self.clusters {
            let r = c.radius();
            let mut mesh = egui::epaint::Mesh::default();
            push_disc(&mut mesh, c.at, r + 1.5, tk.colors.incident_ring);
            push_disc(&mut mesh, c.at, r, tk.colors.incident);
            if c.count == 1 && c.unknown {
                // Deaths unknown: hollow.
                push_disc(&mut mesh, c.at, (r - 2.0).max(1.0), tk.colors.incident_ring);
            }
            self.shapes.push(egui::Shape::mesh(mesh));
            if c.count > 1 {
                self.labels.push((c.at, c.count.to_string()));
            }
        }
        self.key = Some(key);
    }
}

/// The layer's plugin: draws the clusters, finds the one under the pointer and a click on it.
pub(super) struct Plugin<'a> {
    pub marks: &'a [Mark],
    /// Changes whenever `marks` does.
    pub version: u64,
    pub picture: &'a mut Picture,
    pub frame: &'a Frame,
    /// What a screen reader hears of the layer: one line.
    pub words: &'a str,
}

impl<'a> Plugin<'a> {
    pub fn new(
        input: &super::IncidentInput<'a>,
        picture: &'a mut Picture,
        frame: &'a Frame,
    ) -> Self {
        Plugin {
            marks: input.marks,
            version: input.marks_version,
            picture,
            frame,
            words: input.layer_words,
        }
    }
}

impl walkers::Plugin for Plugin<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let view = response.rect;
        let t = Transform::of(projector, view);
        let tk: *const theme::Tokens = theme::tokens(ui.ctx());
        let key = (
            self.version,
            t,
            view,
            tk as usize,
            ui.ctx().pixels_per_point().to_bits(),
        );
        self.picture.draw(ui.ctx(), self.marks, key, &t);
        let painter = ui.painter().with_clip_rect(view);
        painter.extend(self.picture.shapes.iter().cloned());
        let font = FontId::proportional(theme::tokens(ui.ctx()).text.small);
        for (at, count) in &self.picture.labels {
            painter.text(
                *at,
                Align2::CENTER_CENTER,
                count,
                font.clone(),
                Color32::WHITE,
            );
        }
        let found = &self.picture.clusters;
        let under = |p: Pos2| {
            found
                .iter()
                .filter(|c| c.at.distance(p) <= c.radius() + 2.0)
                .min_by(|a, b| a.at.distance(p).total_cmp(&b.at.distance(p)))
                .copied()
        };
        let hovered = response.hover_pos().and_then(under);
        let clicked = (response.clicked() && !response.changed())
            .then(|| response.interact_pointer_pos())
            .flatten()
            .and_then(under);
        *self.frame.incident_hovered.borrow_mut() = hovered;
        *self.frame.incident_clicked.borrow_mut() = clicked;
        // For a screen reader, the layer is one line (the zones' own nodes say their counts).
        if !found.is_empty() {
            let rect = Rect::from_min_size(view.left_bottom() - vec2(0.0, 1.0), vec2(1.0, 1.0));
            let node = ui.interact(rect, ui.scope_id().with("incident-layer"), Sense::hover());
            let words = self.words.to_string();
            node.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Label, true, &words));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(x: f32, y: f32, size: Option<u32>) -> Mark {
        Mark {
            start: 0,
            end: 1,
            at: [x, y],
            size,
            set: 0,
            index: 0,
            cited: false,
        }
    }

    #[test]
    fn marks_that_crowd_merge_into_one_count_and_far_ones_stay_apart() {
        let t = Transform {
            scale: 1000.0,
            offset: [0.0, 0.0],
        };
        let view = Rect::from_min_size(Pos2::ZERO, vec2(300.0, 300.0));
        let marks = [
            mark(0.010, 0.010, Some(3)),
            mark(0.011, 0.011, None),
            mark(0.200, 0.200, Some(1)),
            mark(0.900, 0.900, Some(5)),
        ];
        let found = clusters(&marks, &t, view);
        let counts: Vec<(u32, u64, bool)> = found
            .iter()
            .map(|c| (c.count, c.deaths, c.unknown))
            .collect();
        // The last mark is out of view: not drawn, not counted.
        assert_eq!(counts, [(2, 3, true), (1, 1, false)]);
        assert!(found[0].radius() > found[1].radius() - 8.0);
    }

    #[test]
    fn the_marks_are_drawn_again_only_when_they_or_the_camera_change() {
        let ctx = egui::Context::default();
        let t = Transform {
            scale: 1000.0,
            offset: [0.0, 0.0],
        };
        let view = Rect::from_min_size(Pos2::ZERO, vec2(300.0, 300.0));
        let mut picture = Picture::default();
        let (a, b) = (
            [mark(0.010, 0.010, Some(3)), mark(0.011, 0.011, None)],
            [mark(0.200, 0.200, Some(1)), mark(0.100, 0.100, Some(1))],
        );
        let mut drawn = Vec::new();
        let _ = ctx.run_ui(egui::RawInput::default(), |ui| {
            let ctx = ui.ctx();
            picture.draw(ctx, &a, (1, t, view, 0, 0), &t);
            drawn.push((
                picture.clusters.clone(),
                picture.shapes.len() + picture.labels.len(),
            ));
            // The same version, camera and look: what was drawn stands.
            picture.draw(ctx, &b, (1, t, view, 0, 0), &t);
            drawn.push((
                picture.clusters.clone(),
                picture.shapes.len() + picture.labels.len(),
            ));
            picture.draw(ctx, &b, (2, t, view, 0, 0), &t);
            drawn.push((
                picture.clusters.clone(),
                picture.shapes.len() + picture.labels.len(),
            ));
            let moved = Transform {
                scale: 1000.0,
                offset: [50.0, 0.0],
            };
            picture.draw(ctx, &b, (2, moved, view, 0, 0), &moved);
            drawn.push((
                picture.clusters.clone(),
                picture.shapes.len() + picture.labels.len(),
            ));
        });
        assert_eq!(drawn[0], drawn[1]);
        assert_eq!(drawn[0].0.len(), 1, "the two marks crowd into one count");
        assert_eq!(drawn[0].1, 2, "a mesh for the cluster and its number");
        assert_eq!(
            (drawn[2].0.len(), drawn[2].1),
            (2, 2),
            "a mesh for each mark"
        );
        assert_ne!(drawn[2].0[0].at, drawn[3].0[0].at, "a pan moves the marks");
    }
}
