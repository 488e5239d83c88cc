//! Text helpers every layer may use, below the loader: clipping a long name for a label, and
//! folding text for matching.

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

/// Text folded for matching: lower case, without accents or other combining marks.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        out.extend(c.to_lowercase());
    }
    out
}

/// Text without its accents and other combining marks ("Al Ḩasakah" → "Al Hasakah"): a
/// name the map's fonts can draw when they lack a letter's accented form.
pub fn without_marks(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .nfc()
        .collect()
}

/// Text folded for matching a name typed from memory: as [`fold`], and with punctuation and
/// spaces left out too, so "Donets'k", "Donetsk" and "DONETSK" all read "donetsk".
pub fn fold_loose(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// `text` cut to at most `max` characters, ending in "…" when cut: for labels with no room for
/// a long name. Where a text is clipped, the full text goes in a tooltip or a scrollable box.
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text[end..].chars().nth(1).is_some() => {
            std::borrow::Cow::Owned(format!("{}…", text[..end].trim_end()))
        }
        _ => std::borrow::Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::{clip, fold_loose, without_marks};

    #[test]
    fn a_name_without_its_marks_keeps_its_letters() {
        assert_eq!(without_marks("Al Ḩasakah"), "Al Hasakah");
        assert_eq!(without_marks("Île-de-France"), "Ile-de-France");
        assert_eq!(without_marks("Aleppo"), "Aleppo");
    }

    #[test]
    fn a_name_typed_without_its_apostrophe_accents_or_capitals_still_matches() {
        assert_eq!(fold_loose("Donets'k"), "donetsk");
        assert_eq!(fold_loose("  DONETSK "), "donetsk");
        assert_eq!(fold_loose("Île-de-France"), "iledefrance");
        assert_eq!(fold_loose("Донецька область"), "донецькаобласть");
        assert_eq!(fold_loose("حلب"), "حلب");
    }

    #[test]
    fn a_long_name_is_clipped_with_an_ellipsis_and_a_short_one_is_not() {
        assert_eq!(clip("Aleppo", 6), "Aleppo");
        assert_eq!(clip("Eastern Ghouta", 8), "Eastern…");
        assert_eq!(clip("حلب الشرقية", 4), "حلب…");
        assert_eq!(clip(&"x".repeat(1_000_000), 3), "xx…");
    }
}
