//! Design tokens in one place: how each status looks (colour, pattern, word, glyph), the map's
//! palette, and spacing. Status colours are the Okabe-Ito palette, which stays distinct under the
//! common colour-vision deficiencies; every status also has its own pattern and word, so colour
//! is never the only carrier of meaning.

use egui::{Color32, ColorImage, TextureHandle, TextureOptions, TextureWrapMode};

use crate::model::Status;

/// A fill pattern laid over a status colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Solid,
    Dots,
    Stripes,
    CrossHatch,
}

impl Pattern {
    pub const ALL: [Pattern; 4] = [
        Pattern::Solid,
        Pattern::Dots,
        Pattern::Stripes,
        Pattern::CrossHatch,
    ];
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
    match status {
        Status::InEffect => StatusStyle {
            fill: Color32::from_rgb(0x00, 0x9E, 0x73),
            ink: Color32::from_rgb(0x00, 0x5A, 0x42),
            pattern: Pattern::Solid,
            word: "In effect",
            glyph: "✔",
        },
        Status::Negotiating => StatusStyle {
            fill: Color32::from_rgb(0x56, 0xB4, 0xE9),
            ink: Color32::from_rgb(0x1F, 0x5F, 0x8B),
            pattern: Pattern::Dots,
            word: "Negotiating",
            glyph: "…",
        },
        Status::Excluded => StatusStyle {
            fill: Color32::from_rgb(0xE6, 0x9F, 0x00),
            ink: Color32::from_rgb(0x7A, 0x52, 0x00),
            pattern: Pattern::Stripes,
            word: "Excluded",
            glyph: "⛔",
        },
        Status::Collapsed => StatusStyle {
            fill: Color32::from_rgb(0xD5, 0x5E, 0x00),
            ink: Color32::from_rgb(0x6E, 0x2C, 0x00),
            pattern: Pattern::CrossHatch,
            word: "Collapsed",
            glyph: "✖",
        },
        Status::Unknown => StatusStyle {
            fill: Color32::from_rgb(0xBB, 0xBB, 0xBB),
            ink: Color32::from_rgb(0x66, 0x66, 0x66),
            pattern: Pattern::Solid,
            word: "Unknown",
            glyph: "?",
        },
    }
}

/// The mark for a contested status, shown beside the word.
pub const CONTESTED_WORD: &str = "contested";
pub const CONTESTED_GLYPH: &str = "⚠";
pub const CONTESTED_INK: Color32 = Color32::from_rgb(0x20, 0x20, 0x20);

/// How opaque a zone's fill is over the basemap; the pattern is drawn at full strength.
pub const ZONE_FILL_ALPHA: u8 = 150;

// The basemap, light and quiet so the zones carry the colour.
pub const SEA: Color32 = Color32::from_rgb(0xCF, 0xE0, 0xEA);
pub const LAND: Color32 = Color32::from_rgb(0xEE, 0xEB, 0xE4);
pub const FOCUS_LAND: Color32 = Color32::from_rgb(0xFA, 0xF8, 0xF3);
pub const BORDER: Color32 = Color32::from_rgb(0x8C, 0x86, 0x7C);
pub const DIVISION: Color32 = Color32::from_rgb(0xC4, 0xBC, 0xAE);
pub const MAP_TEXT: Color32 = Color32::from_rgb(0x2B, 0x2B, 0x2B);
pub const COUNTRY_TEXT: Color32 = Color32::from_rgb(0x8A, 0x84, 0x7A);
pub const LABEL_BACKGROUND: Color32 = Color32::from_rgba_premultiplied(250, 250, 250, 225);
pub const SELECTED: Color32 = Color32::from_rgb(0x11, 0x11, 0x11);
pub const HOVERED: Color32 = Color32::from_rgb(0x44, 0x44, 0x44);
pub const CURSOR: Color32 = Color32::from_rgb(0xC0, 0x1C, 0x28);

/// Outline widths in screen points.
pub const BORDER_WIDTH: f32 = 1.2;
pub const DIVISION_WIDTH: f32 = 0.8;
pub const ZONE_OUTLINE_WIDTH: f32 = 1.5;
pub const SELECTED_OUTLINE_WIDTH: f32 = 3.0;

/// The size in points of one repeat of a pattern.
pub const PATTERN_SIZE: f32 = 12.0;

/// Pattern textures, made once per context: white on transparent, tinted by vertex colour.
pub struct Patterns {
    textures: Vec<(Pattern, TextureHandle)>,
    contested: TextureHandle,
}

impl Patterns {
    pub fn new(ctx: &egui::Context) -> Patterns {
        let options = TextureOptions {
            wrap_mode: TextureWrapMode::Repeat,
            ..TextureOptions::LINEAR
        };
        let textures = Pattern::ALL
            .iter()
            .map(|&p| {
                (
                    p,
                    ctx.load_texture(format!("pattern-{p:?}"), pattern_image(p), options),
                )
            })
            .collect();
        let contested = ctx.load_texture("pattern-contested", contested_image(), options);
        Patterns {
            textures,
            contested,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_own_colour_word_and_glyph() {
        let styles: Vec<StatusStyle> = Status::ALL.iter().map(|&s| status_style(s)).collect();
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
