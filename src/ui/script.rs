//! Right-to-left text for a renderer that draws one glyph after another, left to right, with no
//! shaping (egui 0.37): Arabic letters are replaced by their joined presentation forms
//! (ar-reshaper) and each line is put in visual order by the Unicode bidirectional algorithm
//! (unicode-bidi), so "حلب" reads as it should and Latin words and numbers inside it stay
//! left to right. For text drawn on one line (names, titles, labels): a wrapped paragraph would
//! need its lines broken before they are ordered, which egui does not let us do.

use std::borrow::Cow;

/// Whether `c` belongs to a right-to-left script block (Hebrew, Arabic, Syriac, Thaana, NKo,
/// Samaritan, Mandaic, Arabic supplements and presentation forms).
fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// `text` as it must be drawn left to right: unchanged (and not copied) when it holds no
/// right-to-left character.
pub fn visual(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_rtl) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<String> = text.split('\n').map(visual_line).collect();
    Cow::Owned(lines.join("\n"))
}

fn visual_line(line: &str) -> String {
    let shaped = ar_reshaper::reshape_line(line);
    let levels = unicode_bidi::ParagraphBidiInfo::new(&shaped, None).levels;
    // Brackets in a right-to-left run face the other way once the run is reversed (rule L4):
    // unicode-bidi orders but does not mirror.
    let mirrored: String = shaped
        .char_indices()
        .map(|(i, c)| match levels.get(i) {
            Some(level) if level.is_rtl() => mirror(c),
            _ => c,
        })
        .collect();
    let info = unicode_bidi::ParagraphBidiInfo::new(&mirrored, None);
    info.reorder_line(0..mirrored.len()).into_owned()
}

/// The mirrored form of the paired punctuation that names and titles use.
fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_is_left_as_it_is_without_a_copy() {
        assert!(matches!(
            visual("Eastern Ghouta"),
            Cow::Borrowed("Eastern Ghouta")
        ));
    }

    #[test]
    fn an_arabic_word_is_joined_and_drawn_from_right_to_left() {
        // حلب (Aleppo): initial hah, medial lam, final beh, drawn final first.
        assert_eq!(visual("حلب"), "\u{FE90}\u{FEE0}\u{FEA3}");
    }

    #[test]
    fn latin_words_and_numbers_inside_arabic_keep_their_order() {
        let v = visual("حلب Aleppo 2016");
        assert!(v.contains("Aleppo 2016"), "{v}");
        assert!(v.ends_with("\u{FE90}\u{FEE0}\u{FEA3}"), "{v}");
    }

    #[test]
    fn brackets_in_arabic_text_face_the_right_way() {
        // "حلب (Aleppo)": the Latin word is last in reading order, so leftmost when drawn.
        let v = visual("حلب (Aleppo)");
        assert_eq!(v, "(Aleppo) \u{FE90}\u{FEE0}\u{FEA3}");
    }

    #[test]
    fn each_line_is_ordered_on_its_own() {
        assert_eq!(visual("حلب\nAleppo"), "\u{FE90}\u{FEE0}\u{FEA3}\nAleppo");
    }
}
