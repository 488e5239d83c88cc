//! The loader's limits, in one place, as data/FORMAT.md states them.
//!
//! Every limit is sized for real work (a whole war: ten thousand areas, a million events, a
//! report a day) and far below what would let a broken or hostile file exhaust memory or time.
//! A record over a limit is refused with a message that names it and the limit; nothing is
//! truncated or dropped silently.

use std::sync::atomic::{AtomicU64, Ordering};

/// The largest dataset file read unless the user sets another (`--max-file-size`): far above
/// real data (a war's worth of events is tens of megabytes), below what a laptop can hold.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// The range `--max-file-size` may set: the loader holds a file's bytes while it parses them,
/// so the cap is also a bound on memory.
pub const FILE_CAP_RANGE: std::ops::RangeInclusive<u64> = (1024 * 1024)..=(64 * 1024 * 1024 * 1024);

/// The cap in force for dataset files: a setting of the process, made once from the command
/// line before anything is read.
static FILE_CAP: AtomicU64 = AtomicU64::new(MAX_FILE_BYTES);

pub fn file_cap() -> u64 {
    FILE_CAP.load(Ordering::Relaxed)
}

/// Sets the cap for dataset files (clamped to [`FILE_CAP_RANGE`]).
pub fn set_file_cap(bytes: u64) {
    let bytes = bytes.clamp(*FILE_CAP_RANGE.start(), *FILE_CAP_RANGE.end());
    FILE_CAP.store(bytes, Ordering::Relaxed);
}

/// A size as people write it: `1GiB`, `500MiB`, `2G`, `800M`, `1500000000` (bytes). Binary
/// units either way (`M` and `MB` are MiB), as file managers on Linux count them.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("\"{text}\" is not a size like 2GiB or 500MiB"))?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("\"{text}\": the unit must be B, KiB, MiB or GiB")),
    };
    let bytes = n
        .checked_mul(scale)
        .ok_or_else(|| format!("\"{text}\" is too large"))?;
    if !FILE_CAP_RANGE.contains(&bytes) {
        return Err(format!(
            "\"{text}\": the cap must be between 1 MiB and 64 GiB"
        ));
    }
    Ok(bytes)
}

/// The largest archived report `verify` reads; bigger files in that folder are skipped and named.
pub const MAX_ARCHIVE_BYTES: u64 = 64 * 1024 * 1024;

/// Records per file.
pub const MAX_ZONES: usize = 100_000;
pub const MAX_PLACES: usize = 100_000;
pub const MAX_SOURCES: usize = 1_000_000;
pub const MAX_INSTRUMENTS: usize = 100_000;
pub const MAX_SIDES: usize = 10_000;
pub const MAX_EVENTS: usize = 2_000_000;
pub const MAX_CITATIONS_PER_EVENT: usize = 1_000;
pub const MAX_INCIDENTS: usize = 2_000_000;
pub const MAX_REPORTS: usize = 100_000;
pub const MAX_STORY_STEPS: usize = 500;

/// Positions in one zone, and in all zones together.
pub const MAX_ZONE_VERTICES: usize = 2_000_000;
pub const MAX_TOTAL_VERTICES: usize = 20_000_000;
/// Codes in one zone's `admin_code` (a union of areas).
pub const MAX_ADMIN_CODES: usize = 500;

/// Lengths in characters (Unicode scalar values), not bytes.
pub const MAX_ID_CHARS: usize = 200;
pub const MAX_NAME_CHARS: usize = 300;
pub const MAX_QUOTE_CHARS: usize = 2_000;
pub const MAX_HEADLINE_CHARS: usize = 1_000;
pub const MAX_URL_CHARS: usize = 2_000;
pub const MAX_LONG_TEXT_CHARS: usize = 10_000;
/// A story step's text: a paragraph or two.
pub const MAX_STORY_TEXT_CHARS: usize = 4_000;

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
    fn a_file_size_cap_is_read_in_binary_units_and_kept_in_range() {
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("500 MiB"), Ok(500 << 20));
        assert_eq!(parse_size("800m"), Ok(800 << 20));
        assert_eq!(parse_size("1073741824"), Ok(1 << 30));
        for bad in [
            "",
            "GiB",
            "2TB",
            "-1G",
            "1.5G",
            "1KiB",
            "65GiB",
            "99999999999999999999G",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?} was read");
        }
    }

    #[test]
    fn length_limits_count_characters_not_bytes() {
        // "é" is two bytes in UTF-8 but one character.
        assert!(!too_long("éé", 2));
        assert!(too_long("ééé", 2));
        assert!(!too_long("", 0));
        assert!(too_long("a", 0));
    }
}
