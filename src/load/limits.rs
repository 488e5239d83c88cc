//! The loader's limits, in one place, as data/FORMAT.md states them.
//!
//! Every limit is sized for real work (a whole war: ten thousand areas, a million events, a
//! report a day) and far below what would let a broken or hostile file exhaust memory or time.
//! A record over a limit is refused with a message that names it and the limit; nothing is
//! truncated or dropped silently.

/// The largest file read: a dataset file, or an archived report in `verify`'s folder.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// The largest archived report `verify` reads; bigger files in that folder are skipped and named.
pub const MAX_ARCHIVE_BYTES: u64 = 64 * 1024 * 1024;

/// Records per file.
pub const MAX_ZONES: usize = 100_000;
pub const MAX_PLACES: usize = 100_000;
pub const MAX_SOURCES: usize = 1_000_000;
pub const MAX_INSTRUMENTS: usize = 100_000;
pub const MAX_EVENTS: usize = 2_000_000;
pub const MAX_CITATIONS_PER_EVENT: usize = 1_000;

/// Positions in one zone, and in all zones together.
pub const MAX_ZONE_VERTICES: usize = 2_000_000;
pub const MAX_TOTAL_VERTICES: usize = 20_000_000;

/// Lengths in characters (Unicode scalar values), not bytes.
pub const MAX_ID_CHARS: usize = 200;
pub const MAX_NAME_CHARS: usize = 300;
pub const MAX_QUOTE_CHARS: usize = 2_000;
pub const MAX_HEADLINE_CHARS: usize = 1_000;
pub const MAX_URL_CHARS: usize = 2_000;
pub const MAX_LONG_TEXT_CHARS: usize = 10_000;

/// A single `duration_hours`: ten years of 366 days.
pub const MAX_DURATION_HOURS: u32 = 24 * 366 * 10;

/// Whether `text` is longer than `max` characters, without counting past the limit.
pub fn too_long(text: &str, max: usize) -> bool {
    // Every character takes at least one byte, so a short byte length settles it at once.
    text.len() > max && text.chars().nth(max).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_count_characters_not_bytes() {
        // "é" is two bytes in UTF-8 but one character.
        assert!(!too_long("éé", 2));
        assert!(too_long("ééé", 2));
        assert!(!too_long("", 0));
        assert!(too_long("a", 0));
    }
}
