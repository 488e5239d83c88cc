//! Checks that every quote is an exact excerpt of its source's archived text.
//!
//! "Exact" allows only what copying from a web page changes without changing the words: runs
//! of white space fold to one space, and typographic quote marks and apostrophes fold to their
//! plain forms. Everything else (letters, case, punctuation, dashes, ellipses) must match.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::load::files::read_inside;
use crate::load::limits::MAX_ARCHIVE_BYTES;
use crate::model::Dataset;

/// Folds white space and quote marks as documented in data/FORMAT.md.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            in_space = true;
            continue;
        }
        if in_space && !out.is_empty() {
            out.push(' ');
        }
        in_space = false;
        out.push(match ch {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            other => other,
        });
    }
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What `verify` found.
#[derive(Debug, Default)]
pub struct Report {
    pub quotes_checked: usize,
    pub sources_found: usize,
    pub misses: Vec<String>,
    /// Files in the folder that were not read, and why (a link out of the folder, a device,
    /// too large, not UTF-8 text).
    pub skipped: Vec<String>,
}

/// The archived texts in `dir`, normalized, by sha256 and by file name. Only regular files
/// inside the folder are read (links leading out of it are refused, as in a dataset folder).
fn archive(dir: &Path, report: &mut Report) -> Result<Archive, String> {
    let cannot = |e: std::io::Error| format!("{}: cannot read folder: {e}", dir.display());
    let real = std::fs::canonicalize(dir).map_err(cannot)?;
    let entries = std::fs::read_dir(&real).map_err(cannot)?;
    let mut archive = Archive::default();
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            report.skipped.push(format!(
                "{:?}: the file name is not UTF-8",
                entry.file_name()
            ));
            continue;
        };
        let bytes = match read_inside(&real, &name, MAX_ARCHIVE_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => continue,
            Err(why) => {
                report.skipped.push(format!("{name}: {why}"));
                continue;
            }
        };
        // Archived texts are UTF-8; anything else in the folder is not one of them.
        let Ok(text) = std::str::from_utf8(&bytes) else {
            report.skipped.push(format!("{name}: not UTF-8 text"));
            continue;
        };
        let normalized = normalize(text);
        archive
            .by_hash
            .insert(sha256_hex(&bytes), normalized.clone());
        archive.by_name.insert(name, normalized);
    }
    Ok(archive)
}

#[derive(Default)]
struct Archive {
    by_hash: HashMap<String, String>,
    by_name: HashMap<String, String>,
}

/// Matches each source to a file in `dir` (by sha256 first, then by `archive_file` name) and
/// checks every quote against it.
pub fn verify(ds: &Dataset, dir: &Path) -> Result<Report, String> {
    let mut report = Report::default();
    let Archive { by_hash, by_name } = archive(dir, &mut report)?;
    let mut texts: Vec<Option<&String>> = Vec::new();
    for source in &ds.sources {
        let by_sha = source.sha256.as_ref().and_then(|h| by_hash.get(h));
        let by_file = source.archive_file.as_ref().and_then(|f| by_name.get(f));
        if let (Some(hash), None, Some(file)) = (&source.sha256, by_sha, &source.archive_file)
            && by_file.is_some()
        {
            report.misses.push(format!(
                "source \"{}\": {file} is there but its sha256 is not {hash}; the archived text changed",
                source.id
            ));
        }
        let text = by_sha.or(by_file);
        if text.is_some() {
            report.sources_found += 1;
        } else {
            report.misses.push(format!(
                "source \"{}\" ({}): no archived text in {} (looked for sha256 {} and file {})",
                source.id,
                source.outlet,
                dir.display(),
                source.sha256.as_deref().unwrap_or("(none given)"),
                source.archive_file.as_deref().unwrap_or("(none given)")
            ));
        }
        texts.push(text);
    }

    // Events, then the dataset's incidents and aggregate reports: every quote alike.
    let incidents = ds
        .incidents
        .incidents
        .iter()
        .filter_map(|i| match &i.basis {
            crate::model::incidents::Basis::Cited { citations, .. } => {
                Some((format!("incident \"{}\"", i.id), citations))
            }
            crate::model::incidents::Basis::Row { .. } => None,
        });
    let cited = ds
        .events
        .iter()
        .map(|e| (format!("event \"{}\"", e.id), &e.citations))
        .chain(incidents)
        .chain(
            ds.incidents
                .reports
                .iter()
                .map(|r| (format!("report \"{}\"", r.id), &r.citations)),
        );
    for (record, citations) in cited {
        for (k, cit) in citations.iter().enumerate() {
            report.quotes_checked += 1;
            let Some(text) = texts[cit.source] else {
                continue;
            };
            if !text.contains(&normalize(&cit.quote)) {
                report.misses.push(format!(
                    "{record} citations[{k}]: quote not found in source \"{}\": \"{}\"",
                    ds.sources[cit.source].id, cit.quote
                ));
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_and_curly_quotes_fold_but_words_do_not() {
        assert_eq!(
            normalize("  “We’re\n\tclose,”  he said "),
            "\"We're close,\" he said"
        );
        assert_ne!(normalize("Aleppo—city"), normalize("Aleppo-city"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_archive_folder_is_not_read_and_is_named() {
        let dir = std::env::temp_dir().join(format!("truce-atlas-verify-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::os::unix::fs::symlink("/etc/passwd", dir.join("passwd.txt")).expect("link");
        std::fs::write(dir.join("report.txt"), "The truce held.").expect("write");
        let mut report = Report::default();
        let archive = archive(&dir, &mut report).expect("readable");
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(archive.by_name.len(), 1);
        assert!(archive.by_name.contains_key("report.txt"));
        assert!(
            report
                .skipped
                .iter()
                .any(|s| s.starts_with("passwd.txt: ") && s.contains("outside")),
            "{:?}",
            report.skipped
        );
    }

    #[test]
    fn sha256_of_a_known_string() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
