//! Text helpers every layer may use, below the loader: clipping a long name for a label.

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
    use super::clip;

    #[test]
    fn a_long_name_is_clipped_with_an_ellipsis_and_a_short_one_is_not() {
        assert_eq!(clip("Aleppo", 6), "Aleppo");
        assert_eq!(clip("Eastern Ghouta", 8), "Eastern…");
        assert_eq!(clip("حلب الشرقية", 4), "حلب…");
        assert_eq!(clip(&"x".repeat(1_000_000), 3), "xx…");
    }
}
