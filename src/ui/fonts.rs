//! Fonts beyond egui's Latin, Greek and Cyrillic: a bundled Arabic face, so that a dataset for
//! Syria (or any Arabic-script country) can name its zones, speakers and outlets in Arabic on a
//! machine without Arabic fonts. Other scripts (Chinese, Devanagari…) come from the system's
//! fonts through eframe's `system_fonts` fallback, after this one.

use egui::epaint::text::{FontData, FontInsert, FontPriority, InsertFontFamily};

/// Noto Sans Arabic Regular (SIL Open Font License 1.1, `assets/fonts/OFL.txt`).
const NOTO_SANS_ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");

const NAME: &str = "Noto Sans Arabic";

/// Adds the bundled faces as fallbacks behind egui's own, for both families. Idempotent: egui
/// skips a font it already holds.
pub fn install(ctx: &egui::Context) {
    let families = [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
        .into_iter()
        .map(|family| InsertFontFamily {
            family,
            priority: FontPriority::Lowest,
        })
        .collect();
    ctx.add_font(FontInsert::new(
        NAME,
        FontData::from_static(NOTO_SANS_ARABIC),
        families,
    ));
}
