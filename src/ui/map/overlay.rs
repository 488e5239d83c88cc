//! What sits on top of the map: the legend (top left), the scale bar (bottom left) and the
//! attribution (bottom right): the dataset's, the basemap's and the online tiles' when shown.

use egui::{Align2, FontId, Pos2, Rect, Response, Sense, Shape, Stroke, Ui, pos2, vec2};
use walkers::{MapMemory, Projector};

use super::Frame;
use crate::model::{Status, VariantArray};
use crate::ui::theme::{self, AFTER_REPORTS_GLYPH, CONTESTED_GLYPH, FILTER_WORD, Patterns};

/// The key to the colours and patterns. It claims its room first, so no label covers it.
pub(super) struct Legend<'a> {
    pub patterns: &'a Patterns,
    pub frame: &'a Frame,
    /// "According to: …" while a filter of sources is on: said on the map itself, so that no
    /// one reads (or screenshots) a filtered map as the whole story.
    pub according_to: Option<&'a str>,
    /// The incident row's words ("Incident, 7 days"), while marks are shown.
    pub incidents: Option<&'a str>,
}

impl walkers::Plugin for Legend<'_> {
    fn run(self: Box<Self>, ui: &mut Ui, response: &Response, _: &Projector, _: &MapMemory) {
        let view = response.rect;
        let painter = ui.painter().with_clip_rect(view);
        let rect = legend(&painter, view, self.patterns, self.incidents);
        // The legend is information, not a control; keep the pointer from clicking through it.
        // For a screen reader it is one node that reads the key out.
        let response = ui.interact(rect, ui.scope_id().with("legend"), Sense::hover());
        let incidents = self.incidents;
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Label, true, legend_words(incidents))
        });
        self.frame.occupied.borrow_mut().push(rect);
        if let Some(words) = self.according_to {
            let below = filter_notice(&painter, rect, words);
            let response = ui.interact(below, ui.scope_id().with("according-to"), Sense::hover());
            response.widget_info(|| {
                let label = format!("{FILTER_WORD} {words}");
                egui::WidgetInfo::labeled(egui::Role::Label, true, label)
            });
            self.frame.occupied.borrow_mut().push(below);
        }
    }
}

/// The filter's words in a box under the legend, as wide as it, wrapped.
fn filter_notice(painter: &egui::Painter, legend: Rect, words: &str) -> Rect {
    let tk = theme::tokens(painter.ctx());
    let width = legend.width() - 16.0;
    let galley = painter.layout(
        format!("{FILTER_WORD} {words}"),
        FontId::proportional(tk.text.legend_row),
        tk.colors.map_text,
        width,
    );
    let rect = Rect::from_min_size(
        legend.left_bottom() + vec2(0.0, 6.0),
        vec2(legend.width(), galley.size().y + 12.0),
    );
    painter.rect(
        rect,
        6.0,
        tk.colors.legend_background,
        Stroke::new(2.0, tk.colors.brand),
        egui::StrokeKind::Inside,
    );
    painter.galley(rect.left_top() + vec2(8.0, 6.0), galley, tk.colors.map_text);
    rect
}

/// "Legend: In effect, solid fill; Negotiating, dots; …; contested, fine hatching; …".
fn legend_words(incidents: Option<&str>) -> String {
    let mut parts: Vec<String> = Status::VARIANTS
        .iter()
        .map(|&s| {
            let style = crate::ui::theme::status_style(s);
            let pattern = match style.pattern {
                crate::ui::theme::Pattern::Solid => "solid fill",
                crate::ui::theme::Pattern::Dots => "dots",
                crate::ui::theme::Pattern::Stripes => "stripes",
                crate::ui::theme::Pattern::CrossHatch => "cross-hatching",
            };
            format!("{}, {pattern}", style.word)
        })
        .collect();
    parts.push("contested, fine dark hatching over the status".into());
    parts.push("past the last report, short dashes: only as reported then".into());
    parts.push("approximate outline, dashed".into());
    if let Some(words) = incidents {
        parts.push(format!(
            "{words}: a dark round mark, larger for more deaths, hollow where deaths are unknown; a number where marks crowd"
        ));
    }
    format!("Legend: {}", parts.join("; "))
}

const ROW: f32 = 20.0;

fn legend(
    painter: &egui::Painter,
    view: Rect,
    patterns: &Patterns,
    incidents: Option<&str>,
) -> Rect {
    let tk = theme::tokens(painter.ctx());
    let (colors, text) = (tk.colors, tk.text);
    let rows = Status::VARIANTS.len() + 3 + usize::from(incidents.is_some());
    let rect = Rect::from_min_size(
        view.left_top() + vec2(10.0, 10.0),
        vec2(176.0, ROW * rows as f32 + 30.0),
    );
    painter.rect(
        rect,
        6.0,
        colors.legend_background,
        Stroke::new(1.0, colors.border),
        egui::StrokeKind::Inside,
    );
    painter.text(
        rect.left_top() + vec2(10.0, 8.0),
        Align2::LEFT_TOP,
        "Truce status",
        FontId::proportional(text.legend_title),
        colors.map_text,
    );
    let swatch = |y: f32| Rect::from_min_size(pos2(rect.left() + 10.0, y), vec2(26.0, 14.0));
    let uv = |s: Rect| Rect::from_min_size(Pos2::ZERO, s.size() / tk.sizes.pattern);
    let mut y = rect.top() + 30.0;
    for &status in Status::VARIANTS {
        let style = tk.status(status);
        let s = swatch(y);
        painter.rect_filled(s, 2.0, style.fill.gamma_multiply_u8(tk.zone_fill_alpha));
        if let Some(texture) = patterns.texture(style.pattern) {
            painter.image(texture, s, uv(s), style.ink);
        }
        painter.rect_stroke(
            s,
            2.0,
            Stroke::new(1.0, style.ink),
            egui::StrokeKind::Inside,
        );
        row_text(painter, s, format!("{} {}", style.glyph, style.word));
        y += ROW;
    }
    let s = swatch(y);
    painter.rect_filled(s, 2.0, colors.swatch_background);
    painter.image(patterns.contested(), s, uv(s), colors.contested_ink);
    painter.rect_stroke(
        s,
        2.0,
        Stroke::new(1.0, colors.border),
        egui::StrokeKind::Inside,
    );
    row_text(painter, s, format!("{CONTESTED_GLYPH} Contested"));
    y += ROW;
    let s = swatch(y);
    painter.rect_filled(s, 2.0, colors.swatch_background);
    painter.image(patterns.after_reports(), s, uv(s), colors.after_reports_ink);
    let border = Stroke::new(1.0, colors.border);
    painter.rect_stroke(s, 2.0, border, egui::StrokeKind::Inside);
    row_text(
        painter,
        s,
        format!("{AFTER_REPORTS_GLYPH} After the last report"),
    );
    y += ROW;
    let s = swatch(y);
    painter.extend(Shape::dashed_line(
        &[s.left_center(), s.right_center()],
        Stroke::new(2.0, colors.map_text),
        5.0,
        3.0,
    ));
    row_text(painter, s, "Approximate outline".into());
    if let Some(words) = incidents {
        y += ROW;
        let s = swatch(y);
        let ring = Stroke::new(1.5, colors.incident_ring);
        painter.circle(s.center() - vec2(6.0, 0.0), 4.0, colors.incident, ring);
        painter.circle(s.center() + vec2(6.0, 0.0), 6.5, colors.incident, ring);
        row_text(painter, s, words.to_string());
    }
    rect
}

fn row_text(painter: &egui::Painter, swatch: Rect, text: String) {
    let tk = theme::tokens(painter.ctx());
    painter.text(
        pos2(swatch.right() + 8.0, swatch.center().y),
        Align2::LEFT_CENTER,
        text,
        FontId::proportional(tk.text.legend_row),
        tk.colors.map_text,
    );
}

/// The scale bar and the attribution. Like the legend, they claim their room before any
/// label is placed.
pub(super) struct Footer<'a> {
    /// The built-in basemap's credit, shown while any of it is in view.
    pub basemap: &'a str,
    /// The other lines: the online tiles' credit, or a note on them.
    pub attribution: &'a [String],
    pub frame: &'a Frame,
}

impl walkers::Plugin for Footer<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let view = response.rect;
        let painter = ui.painter().with_clip_rect(view);
        let centre = projector.unproject(view.center().to_vec2());
        let mut occupied = self.frame.occupied.borrow_mut();
        // On a short map the legend (or the filter's notice under it) reaches the bottom-left
        // corner: the scale bar then stands to the right of it, not over it.
        let corner =
            Rect::from_min_max(pos2(view.left(), view.bottom() - 46.0), view.right_bottom());
        let clear_from = occupied
            .rects()
            .iter()
            .filter(|r| r.intersects(corner) && r.left() < view.left() + 40.0)
            .map(|r| r.right())
            .fold(view.left(), f32::max);
        occupied.extend(scale_bar(
            &painter,
            view,
            projector.scale_pixel_per_meter(centre),
            clear_from,
        ));
        let basemap = (self.frame.basemap_shown.get() && !self.basemap.trim().is_empty())
            .then(|| self.basemap.to_string());
        let lines: Vec<String> = basemap
            .into_iter()
            .chain(self.attribution.iter().cloned())
            .collect();
        let taken = attribution(&painter, view, &lines);
        // Each credit is a node a screen reader can read (and a test can find).
        for (k, (rect, line)) in taken.iter().zip(lines.iter().rev()).enumerate() {
            let response = ui.interact(*rect, ui.scope_id().with(("credit", k)), Sense::hover());
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, line));
        }
        occupied.extend(taken);
    }
}

fn scale_bar(
    painter: &egui::Painter,
    view: Rect,
    pixels_per_meter: f32,
    clear_from: f32,
) -> Option<Rect> {
    let tk = theme::tokens(painter.ctx());
    if !(pixels_per_meter.is_finite() && pixels_per_meter > 0.0) {
        return None;
    }
    let colors = tk.colors;
    let target = 120.0 / pixels_per_meter;
    let magnitude = 10f32.powf(target.log10().floor());
    let nice = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|d| *d <= target)
        .unwrap_or(magnitude);
    let width = nice * pixels_per_meter;
    let label = if nice >= 1000.0 {
        format!("{} km", nice / 1000.0)
    } else {
        format!("{nice} m")
    };
    let left = pos2(clear_from + 14.0, view.bottom() - 16.0);
    let right = left + vec2(width, 0.0);
    let stroke = Stroke::new(2.0, colors.map_text);
    let back = Rect::from_min_max(left + vec2(-6.0, -22.0), right + vec2(6.0, 6.0));
    painter.rect_filled(back, 3.0, colors.scale_background);
    painter.line_segment([left, right], stroke);
    painter.line_segment([left, left + vec2(0.0, -6.0)], stroke);
    painter.line_segment([right, right + vec2(0.0, -6.0)], stroke);
    painter.text(
        left + vec2(width / 2.0, -8.0),
        Align2::CENTER_BOTTOM,
        label,
        FontId::proportional(tk.text.small),
        colors.map_text,
    );
    Some(back)
}

/// Right-aligned lines in the bottom-right corner, wrapped to at most half the map's width.
/// Returns the room they take.
fn attribution(painter: &egui::Painter, view: Rect, lines: &[String]) -> Vec<Rect> {
    let tk = theme::tokens(painter.ctx());
    let mut taken = Vec::with_capacity(lines.len());
    let colors = tk.colors;
    let font = FontId::proportional(tk.text.small);
    let wrap = (view.width() * 0.5).max(200.0);
    let mut y = view.bottom() - 4.0;
    for line in lines.iter().rev() {
        let galley = painter.layout(line.clone(), font.clone(), colors.map_text, wrap);
        let at = pos2(view.right() - galley.size().x - 8.0, y - galley.size().y);
        let back = Rect::from_min_size(at, galley.size()).expand(3.0);
        painter.rect_filled(back, 2.0, colors.attribution_background);
        taken.push(back);
        y -= galley.size().y + 6.0;
        painter.galley(at, galley, colors.map_text);
    }
    taken
}
