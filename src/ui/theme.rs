//! Design tokens in one place: how each status looks (colour, pattern, word, glyph), the map's
//! palette, text sizes and spacing, as rerun's re_ui keeps them. Status colours are the
//! Okabe-Ito palette, which stays distinct under the common colour-vision deficiencies; every
//! status also has its own pattern and word, so colour is never the only carrier of meaning.

use egui::{Color32, ColorImage, TextureHandle, TextureOptions, TextureWrapMode};
use strum::VariantArray;

use crate::model::Status;

/// A fill pattern laid over a status colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, VariantArray)]
pub enum Pattern {
    Solid,
    Dots,
    Stripes,
    CrossHatch,
}

#[derive(Debug, Clone, Copy)]
pub struct StatusStyle {
    pub fill: Color32,
    /// Darker shade for the pattern and the outline.
    pub ink: Color32,
    pub pattern: Pattern,
    /// The word shown wherever the status is: map labels, legend, lists.
    pub word: &'static str,
    pub glyph: &'static str,
}

pub fn status_style(status: Status) -> StatusStyle {
    let word = status.label();
    match status {
        Status::InEffect => StatusStyle {
            fill: Color32::from_rgb(0x00, 0x9E, 0x73),
            ink: Color32::from_rgb(0x00, 0x5A, 0x42),
            pattern: Pattern::Solid,
            word,
            glyph: "✔",
        },
        Status::Negotiating => StatusStyle {
            fill: Color32::from_rgb(0x56, 0xB4, 0xE9),
            ink: Color32::from_rgb(0x1F, 0x5F, 0x8B),
            pattern: Pattern::Dots,
            word,
            glyph: "…",
        },
        Status::Excluded => StatusStyle {
            fill: Color32::from_rgb(0xE6, 0x9F, 0x00),
            ink: Color32::from_rgb(0x7A, 0x52, 0x00),
            pattern: Pattern::Stripes,
            word,
            glyph: "⛔",
        },
        Status::Collapsed => StatusStyle {
            fill: Color32::from_rgb(0xD5, 0x5E, 0x00),
            ink: Color32::from_rgb(0x6E, 0x2C, 0x00),
            pattern: Pattern::CrossHatch,
            word,
            glyph: "✖",
        },
        Status::Unknown => StatusStyle {
            fill: Color32::from_rgb(0xBB, 0xBB, 0xBB),
            ink: Color32::from_rgb(0x66, 0x66, 0x66),
            pattern: Pattern::Solid,
            word,
            glyph: "?",
        },
    }
}

/// The mark for a contested status, shown beside the word.
pub const CONTESTED_WORD: &str = "contested";
pub const CONTESTED_GLYPH: &str = "⚠";

/// The mark for a status past the last report: only as last reported.
pub const AFTER_REPORTS_GLYPH: &str = "⏱";
/// Opens the "According to: …" notice wherever a filter of sources is on: words, not a sign.
pub const FILTER_WORD: &str = "Filter on.";

/// Colours, in one place. The basemap is light and quiet so the zones carry the colour.
#[derive(Debug, Clone, Copy)]
pub struct Colors {
    pub sea: Color32,
    pub land: Color32,
    /// The country that holds the zones.
    pub focus_land: Color32,
    pub border: Color32,
    pub division: Color32,
    pub map_text: Color32,
    pub country_text: Color32,
    pub label_background: Color32,
    /// Behind city names, the legend, the scale bar and the attribution, over any fill.
    pub halo: Color32,
    pub legend_background: Color32,
    /// Under the contested hatching in the legend.
    pub swatch_background: Color32,
    pub scale_background: Color32,
    pub attribution_background: Color32,
    pub place_dot: Color32,
    pub selected: Color32,
    /// The ring around the map zone that has keyboard focus.
    pub focus_ring: Color32,
    pub hovered: Color32,
    pub cursor: Color32,
    pub cursor_ring: Color32,
    pub contested_ink: Color32,
    /// The dashes laid over anything past the last report, and the line where reports end.
    pub after_reports_ink: Color32,
    pub brand: Color32,
    pub lane_background: Color32,
    pub lane_divider: Color32,
    pub lane_border: Color32,
    pub marker: Color32,
    /// A statement changes no status: its marker is hollow.
    pub marker_statement: Color32,
    /// Not yet reported at the "as known on" date.
    pub marker_unknown: Color32,
    pub marker_outline: Color32,
    /// Incidents on the map and their strip on the lanes: a round mark, never a zone's fill.
    pub incident: Color32,
    /// The ring around an incident mark, so it stands out over any status's fill.
    pub incident_ring: Color32,
}

/// Text sizes in points.
#[derive(Debug, Clone, Copy)]
pub struct TextSizes {
    pub instant: f32,
    pub quote: f32,
    pub zone_name: f32,
    pub zone_status: f32,
    pub capital: f32,
    pub place: f32,
    pub country: f32,
    pub division: f32,
    pub legend_title: f32,
    pub legend_row: f32,
    pub slider_label: f32,
    pub small: f32,
}

/// Widths and spacing in points.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub border_width: f32,
    pub division_width: f32,
    pub zone_outline_width: f32,
    pub selected_outline_width: f32,
    /// One repeat of a pattern.
    pub pattern: f32,
    pub lane_height: f32,
    /// The column of zone names left of the lanes and of the slider's label.
    pub label_column: f32,
    pub side_panel: f32,
    /// The most of the window's width the side panel may take.
    pub side_panel_share: f32,
}

/// All design tokens.
#[derive(Debug, Clone, Copy)]
pub struct Tokens {
    pub colors: Colors,
    pub text: TextSizes,
    pub sizes: Sizes,
    /// How opaque a zone's fill is over the basemap; the pattern is drawn at full strength.
    pub zone_fill_alpha: u8,
    /// One ink for every status's pattern, outline and word, instead of each its own shade.
    pub status_ink: Option<Color32>,
}

impl Tokens {
    /// How a status looks in this theme.
    pub fn status(&self, status: Status) -> StatusStyle {
        let mut style = status_style(status);
        if let Some(ink) = self.status_ink {
            style.ink = ink;
        }
        style
    }
}

/// The standard look.
pub const TOKENS: Tokens = Tokens {
    colors: Colors {
        sea: Color32::from_rgb(0xCF, 0xE0, 0xEA),
        land: Color32::from_rgb(0xEE, 0xEB, 0xE4),
        focus_land: Color32::from_rgb(0xFA, 0xF8, 0xF3),
        border: Color32::from_rgb(0x8C, 0x86, 0x7C),
        division: Color32::from_rgb(0xC4, 0xBC, 0xAE),
        map_text: Color32::from_rgb(0x2B, 0x2B, 0x2B),
        country_text: Color32::from_rgb(0x69, 0x64, 0x5B),
        label_background: Color32::from_rgba_premultiplied(250, 250, 250, 225),
        halo: Color32::from_rgba_premultiplied(150, 150, 150, 150),
        legend_background: Color32::from_rgba_premultiplied(235, 235, 235, 235),
        swatch_background: Color32::WHITE,
        scale_background: Color32::from_rgba_premultiplied(200, 200, 200, 200),
        attribution_background: Color32::from_rgba_premultiplied(210, 210, 210, 210),
        place_dot: Color32::WHITE,
        selected: Color32::from_rgb(0x11, 0x11, 0x11),
        focus_ring: Color32::from_rgb(0x00, 0x5F, 0xCC),
        hovered: Color32::from_rgb(0x44, 0x44, 0x44),
        cursor: Color32::from_rgb(0xC0, 0x1C, 0x28),
        cursor_ring: Color32::WHITE,
        contested_ink: Color32::from_rgb(0x20, 0x20, 0x20),
        after_reports_ink: Color32::from_rgb(0x3A, 0x3A, 0x6A),
        brand: Color32::from_rgb(0x00, 0x6E, 0x50),
        lane_background: Color32::from_gray(235),
        lane_divider: Color32::from_rgba_premultiplied(160, 160, 160, 160),
        lane_border: Color32::from_gray(160),
        marker: Color32::from_gray(30),
        marker_statement: Color32::WHITE,
        marker_unknown: Color32::from_gray(200),
        marker_outline: Color32::WHITE,
        incident: Color32::from_rgb(0x7A, 0x12, 0x1C),
        incident_ring: Color32::WHITE,
    },
    text: TextSizes {
        instant: 16.0,
        quote: 14.5,
        zone_name: 14.0,
        zone_status: 12.0,
        capital: 13.0,
        place: 12.0,
        country: 13.0,
        division: 10.0,
        legend_title: 13.0,
        legend_row: 12.0,
        slider_label: 13.0,
        small: 11.0,
    },
    sizes: Sizes {
        border_width: 1.2,
        division_width: 0.8,
        zone_outline_width: 1.5,
        selected_outline_width: 3.0,
        pattern: 12.0,
        lane_height: 20.0,
        label_column: 150.0,
        side_panel: 390.0,
        side_panel_share: 0.45,
    },
    zone_fill_alpha: 150,
    status_ink: None,
};

/// The high-contrast look: black text, lines and patterns on white; opaque labels and
/// legend; zone fills nearly opaque; thicker borders and outlines. The status colours stay
/// (they are the Okabe-Ito palette), so both themes read the same.
pub const HIGH_CONTRAST: Tokens = Tokens {
    colors: Colors {
        sea: Color32::from_rgb(0xA6, 0xC8, 0xDE),
        land: Color32::from_rgb(0xE4, 0xE4, 0xE4),
        focus_land: Color32::WHITE,
        border: Color32::BLACK,
        division: Color32::from_rgb(0x40, 0x40, 0x40),
        map_text: Color32::BLACK,
        country_text: Color32::from_rgb(0x20, 0x20, 0x20),
        label_background: Color32::WHITE,
        halo: Color32::WHITE,
        legend_background: Color32::WHITE,
        swatch_background: Color32::WHITE,
        scale_background: Color32::WHITE,
        attribution_background: Color32::WHITE,
        place_dot: Color32::WHITE,
        selected: Color32::BLACK,
        focus_ring: Color32::from_rgb(0x00, 0x3C, 0xB4),
        hovered: Color32::BLACK,
        cursor: Color32::from_rgb(0xC0, 0x1C, 0x28),
        cursor_ring: Color32::BLACK,
        contested_ink: Color32::BLACK,
        after_reports_ink: Color32::from_rgb(0x14, 0x14, 0x46),
        brand: Color32::from_rgb(0x00, 0x3D, 0x2C),
        lane_background: Color32::WHITE,
        lane_divider: Color32::BLACK,
        lane_border: Color32::BLACK,
        marker: Color32::BLACK,
        marker_statement: Color32::WHITE,
        marker_unknown: Color32::from_gray(150),
        marker_outline: Color32::BLACK,
        incident: Color32::BLACK,
        incident_ring: Color32::WHITE,
    },
    text: TOKENS.text,
    sizes: Sizes {
        border_width: 1.6,
        division_width: 1.2,
        zone_outline_width: 2.5,
        selected_outline_width: 4.0,
        ..TOKENS.sizes
    },
    zone_fill_alpha: 235,
    status_ink: Some(Color32::BLACK),
};

/// Which of the two looks a window uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Contrast {
    #[default]
    Standard,
    High,
}

impl Contrast {
    pub fn from_high(high: bool) -> Contrast {
        if high {
            Contrast::High
        } else {
            Contrast::Standard
        }
    }

    pub fn tokens(self) -> &'static Tokens {
        match self {
            Contrast::Standard => &TOKENS,
            Contrast::High => &HIGH_CONTRAST,
        }
    }

    /// egui's own widgets in this look.
    pub fn visuals(self) -> egui::Visuals {
        let mut v = egui::Visuals::light();
        if self == Contrast::High {
            let black = Color32::BLACK;
            v.override_text_color = Some(black);
            v.weak_text_color = Some(Color32::from_gray(40));
            v.panel_fill = Color32::WHITE;
            v.window_fill = Color32::WHITE;
            v.extreme_bg_color = Color32::WHITE;
            v.faint_bg_color = Color32::from_gray(235);
            v.window_stroke = egui::Stroke::new(1.5, black);
            v.hyperlink_color = Color32::from_rgb(0x00, 0x2E, 0x8A);
            v.selection.bg_fill = Color32::from_rgb(0x9C, 0xC2, 0xFF);
            v.selection.stroke = egui::Stroke::new(2.0, black);
            let w = &mut v.widgets;
            w.noninteractive.bg_stroke = egui::Stroke::new(1.0, black);
            w.noninteractive.fg_stroke = egui::Stroke::new(1.0, black);
            for state in [&mut w.inactive, &mut w.hovered, &mut w.active, &mut w.open] {
                state.fg_stroke = egui::Stroke::new(1.5, black);
                state.bg_stroke = egui::Stroke::new(1.5, black);
            }
            w.inactive.weak_bg_fill = Color32::WHITE;
            w.inactive.bg_fill = Color32::from_gray(225);
            w.hovered.weak_bg_fill = Color32::from_gray(210);
            w.active.weak_bg_fill = Color32::from_gray(190);
        }
        v
    }
}

fn contrast_key() -> egui::Id {
    egui::Id::unique("truce-atlas-contrast")
}

/// The design tokens of the look this window uses.
pub fn tokens(ctx: &egui::Context) -> &'static Tokens {
    contrast(ctx).tokens()
}

pub fn contrast(ctx: &egui::Context) -> Contrast {
    chosen(ctx).unwrap_or_default()
}

fn chosen(ctx: &egui::Context) -> Option<Contrast> {
    ctx.data(|d| d.get_temp::<Contrast>(contrast_key()))
}

/// Puts the window in a look (egui's widgets and the tokens), if it is not in it already.
/// The app is light only: the look stands whatever theme the system prefers.
pub fn use_contrast(ctx: &egui::Context, wanted: Contrast) {
    if chosen(ctx) != Some(wanted) {
        ctx.data_mut(|d| d.insert_temp(contrast_key(), wanted));
        for theme in [egui::Theme::Light, egui::Theme::Dark] {
            ctx.set_visuals_of(theme, wanted.visuals());
        }
        // This pass was laid out in the old look: run it again rather than show it.
        ctx.request_discard("the look changed");
    }
}

/// Pattern textures, made once per context: white on transparent, tinted by vertex colour.
pub struct Patterns {
    textures: Vec<(Pattern, TextureHandle)>,
    contested: TextureHandle,
    after_reports: TextureHandle,
}

impl Patterns {
    pub fn new(ctx: &egui::Context) -> Patterns {
        let options = TextureOptions {
            wrap_mode: TextureWrapMode::Repeat,
            ..TextureOptions::LINEAR
        };
        let textures = Pattern::VARIANTS
            .iter()
            .map(|&p| {
                (
                    p,
                    ctx.load_texture(format!("pattern-{p:?}"), pattern_image(p), options),
                )
            })
            .collect();
        let contested = ctx.load_texture("pattern-contested", contested_image(), options);
        let after_reports =
            ctx.load_texture("pattern-after-reports", after_reports_image(), options);
        Patterns {
            textures,
            contested,
            after_reports,
        }
    }

    pub fn texture(&self, pattern: Pattern) -> Option<egui::TextureId> {
        if pattern == Pattern::Solid {
            return None;
        }
        self.textures
            .iter()
            .find(|(p, _)| *p == pattern)
            .map(|(_, t)| t.id())
    }

    pub fn contested(&self) -> egui::TextureId {
        self.contested.id()
    }

    /// Laid over whatever lies past the last report: the status there is only as last reported.
    pub fn after_reports(&self) -> egui::TextureId {
        self.after_reports.id()
    }
}

const TEX: usize = 16;

fn image(alpha: impl Fn(usize, usize) -> u8) -> ColorImage {
    let mut pixels = Vec::with_capacity(TEX * TEX);
    for y in 0..TEX {
        for x in 0..TEX {
            pixels.push(Color32::from_white_alpha(alpha(x, y)));
        }
    }
    ColorImage::new([TEX, TEX], pixels)
}

fn pattern_image(pattern: Pattern) -> ColorImage {
    match pattern {
        Pattern::Solid => image(|_, _| 0),
        Pattern::Dots => image(|x, y| {
            let (dx, dy) = (x as f32 - 7.5, y as f32 - 7.5);
            let d = (dx * dx + dy * dy).sqrt();
            (((3.2 - d).clamp(0.0, 1.0)) * 230.0) as u8
        }),
        // Lines at 45°, so that they tile seamlessly: x + y constant modulo the tile.
        Pattern::Stripes => image(|x, y| if (x + y) % TEX < 3 { 220 } else { 0 }),
        Pattern::CrossHatch => image(|x, y| {
            if (x + y) % TEX < 2 || (x + TEX - y) % TEX < 2 {
                220
            } else {
                0
            }
        }),
    }
}

/// Thin back-diagonal hatching: the contested mark laid over any status.
fn contested_image() -> ColorImage {
    image(|x, y| if (x + TEX - y) % 8 < 1 { 200 } else { 0 })
}

/// Short horizontal dashes in a loose grid: "no report covers this", unlike any status pattern.
fn after_reports_image() -> ColorImage {
    image(|x, y| if y % 8 == 3 && x % 8 < 5 { 230 } else { 0 })
}

/// Accessibility checks on colours, in WCAG 2.1's terms.
pub mod contrast {
    use egui::Color32;

    fn channel(c: u8) -> f64 {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }

    /// Relative luminance of an opaque colour.
    pub fn luminance(c: Color32) -> f64 {
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }

    /// The contrast ratio, 1 to 21.
    pub fn ratio(a: Color32, b: Color32) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// `top` (premultiplied, maybe translucent) laid over an opaque `under`.
    pub fn over(top: Color32, under: Color32) -> Color32 {
        let a = f32::from(top.a()) / 255.0;
        let mix = |t: u8, u: u8| (f32::from(t) + f32::from(u) * (1.0 - a)).round().min(255.0) as u8;
        Color32::from_rgb(
            mix(top.r(), under.r()),
            mix(top.g(), under.g()),
            mix(top.b(), under.b()),
        )
    }

    /// How a colour looks with a colour-vision deficiency (Machado, Oliveira and Fernandes
    /// 2009, full severity), applied in linear RGB.
    #[derive(Debug, Clone, Copy)]
    pub enum Deficiency {
        Protanopia,
        Deuteranopia,
        Tritanopia,
    }

    pub fn simulate(c: Color32, d: Deficiency) -> [f64; 3] {
        let m: [[f64; 3]; 3] = match d {
            Deficiency::Protanopia => [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            Deficiency::Deuteranopia => [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
            Deficiency::Tritanopia => [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        };
        let v = [channel(c.r()), channel(c.g()), channel(c.b())];
        let row = |r: [f64; 3]| (r[0] * v[0] + r[1] * v[1] + r[2] * v[2]).clamp(0.0, 1.0);
        [row(m[0]), row(m[1]), row(m[2])]
    }
}

#[cfg(test)]
mod tests {
    use super::contrast::{Deficiency, over, ratio, simulate};
    use super::*;

    /// WCAG 2.1 AA for body text.
    const AA: f64 = 4.5;

    /// WCAG 2.1 AAA for body text: what the high-contrast look reaches.
    const AAA: f64 = 7.0;

    /// Each text colour with what it is drawn over, in a look.
    fn text_pairs(contrast: Contrast) -> Vec<(&'static str, Color32, Color32)> {
        let (tk, visuals) = (contrast.tokens(), contrast.visuals());
        let c = tk.colors;
        let panel = visuals.panel_fill;
        let label = over(c.label_background, c.land);
        let legend = over(c.legend_background, c.land);
        let mut pairs = vec![
            ("map text on a label", c.map_text, label),
            ("map text on land", c.map_text, c.land),
            ("map text on the country in focus", c.map_text, c.focus_land),
            ("country names on land", c.country_text, c.land),
            ("map text on the legend", c.map_text, legend),
            ("brand on the panel", c.brand, panel),
            (
                "as-last-reported words on the panel",
                c.after_reports_ink,
                panel,
            ),
            ("text on the panel", visuals.text_color(), panel),
            ("weak text on the panel", visuals.weak_text_color(), panel),
        ];
        for &s in Status::VARIANTS {
            pairs.push(("a status word on a label", tk.status(s).ink, label));
        }
        pairs
    }

    fn below(contrast: Contrast, floor: f64) -> Vec<String> {
        text_pairs(contrast)
            .iter()
            .map(|(what, fg, bg)| (what, ratio(*fg, *bg)))
            .filter(|(_, r)| *r < floor)
            .map(|(what, r)| format!("{what}: {r:.2}"))
            .collect()
    }

    #[test]
    fn text_colours_reach_wcag_aa_contrast_on_what_they_are_drawn_over() {
        let failing = below(Contrast::Standard, AA);
        assert!(failing.is_empty(), "below {AA}:1: {failing:?}");
    }

    #[test]
    fn the_high_contrast_look_reaches_wcag_aaa_for_every_text() {
        let failing = below(Contrast::High, AAA);
        assert!(failing.is_empty(), "below {AAA}:1: {failing:?}");
    }

    #[test]
    fn the_high_contrast_look_draws_lines_and_patterns_darker_than_the_standard_one() {
        let (std, high) = (TOKENS.colors, HIGH_CONTRAST.colors);
        for (what, a, b) in [
            ("borders", std.border, high.border),
            ("lane borders", std.lane_border, high.lane_border),
            ("contested hatching", std.contested_ink, high.contested_ink),
        ] {
            assert!(
                ratio(b, high.focus_land) > ratio(a, std.focus_land),
                "{what} are no stronger"
            );
        }
        for &s in Status::VARIANTS {
            let ink = HIGH_CONTRAST.status(s).ink;
            assert!(ratio(ink, status_style(s).fill) >= 4.5, "{s:?}'s pattern");
        }
        const {
            assert!(HIGH_CONTRAST.zone_fill_alpha > TOKENS.zone_fill_alpha);
        }
        let (a, b) = (
            HIGH_CONTRAST.sizes.zone_outline_width,
            TOKENS.sizes.zone_outline_width,
        );
        assert!(a > b, "outlines {a} against {b}");
    }

    #[test]
    fn the_status_fills_stay_apart_under_each_colour_vision_deficiency() {
        // Distance in simulated linear RGB; patterns and words tell apart any pair that comes
        // closer (the test below), but the colours alone should not collapse.
        for d in [
            Deficiency::Protanopia,
            Deficiency::Deuteranopia,
            Deficiency::Tritanopia,
        ] {
            for (i, &a) in Status::VARIANTS.iter().enumerate() {
                for &b in &Status::VARIANTS[i + 1..] {
                    let (x, y) = (
                        simulate(status_style(a).fill, d),
                        simulate(status_style(b).fill, d),
                    );
                    let dist =
                        ((x[0] - y[0]).powi(2) + (x[1] - y[1]).powi(2) + (x[2] - y[2]).powi(2))
                            .sqrt();
                    let apart = dist > 0.05 || status_style(a).pattern != status_style(b).pattern;
                    assert!(apart, "{a:?} and {b:?} under {d:?}: {dist:.3}");
                }
            }
        }
    }

    #[test]
    fn every_status_has_its_own_colour_word_and_glyph() {
        let styles: Vec<StatusStyle> = Status::VARIANTS.iter().map(|&s| status_style(s)).collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a.fill, b.fill);
                assert_ne!(a.word, b.word);
                assert_ne!(a.glyph, b.glyph);
            }
        }
    }

    #[test]
    fn statuses_that_share_the_solid_pattern_differ_strongly_in_lightness() {
        // In effect and Unknown are both solid: they must not rely on hue alone.
        let luma = |c: Color32| 0.299 * c.r() as f32 + 0.587 * c.g() as f32 + 0.114 * c.b() as f32;
        let a = status_style(Status::InEffect).fill;
        let b = status_style(Status::Unknown).fill;
        assert!(
            (luma(a) - luma(b)).abs() > 50.0,
            "{} vs {}",
            luma(a),
            luma(b)
        );
    }

    #[test]
    fn the_patterns_are_visible_and_tell_each_other_apart() {
        let images: Vec<ColorImage> = [Pattern::Dots, Pattern::Stripes, Pattern::CrossHatch]
            .into_iter()
            .map(pattern_image)
            .collect();
        for (i, a) in images.iter().enumerate() {
            let coverage = a.pixels.iter().filter(|c| c.a() > 0).count();
            assert!(
                coverage > 10 && coverage < TEX * TEX / 2,
                "pattern {i} covers {coverage} pixels"
            );
            for b in &images[i + 1..] {
                assert_ne!(a.pixels, b.pixels);
            }
        }
    }
}
