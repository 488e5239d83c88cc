//! `sources.json`: the reports quoted, with their publication dates.

use std::collections::HashSet;

use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::json::Text;
use super::limits::{
    MAX_HEADLINE_CHARS, MAX_LONG_TEXT_CHARS, MAX_NAME_CHARS, MAX_SOURCES, MAX_URL_CHARS,
};
use super::report::{Collector, Scope};
use super::times::parse_published;
use super::{Record, SOURCES_FILE, check_id, parse_record, top, within_count};
use crate::model::{Moment, Precision, Source};

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a JSON object with a `sources` array"
)]
struct Top<'a> {
    #[serde(rename = "$schema", default)]
    _schema: Option<serde::de::IgnoredAny>,
    #[serde(borrow)]
    sources: Vec<&'a RawValue>,
}

/// A report quoted by events.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Source")]
pub(super) struct RawSource {
    /// Unique among the sources; events cite it.
    id: String,
    /// The outlet, e.g. `Middle East Eye (with AFP)`.
    outlet: String,
    /// As published.
    #[serde(default)]
    headline: String,
    /// A date (`2016-05-04`: the first instant of that local day) or an RFC 3339 time.
    published: String,
    /// `minute`, `hour`, `day` (the default for a date) or `approximate`.
    #[serde(default)]
    published_precision: Option<String>,
    /// How the date was read, e.g. inferred from "on Wednesday".
    #[serde(default)]
    published_note: String,
    /// Where it was published: an http or https address.
    #[serde(default)]
    #[schemars(extend("pattern" = "^[Hh][Tt][Tt][Pp][Ss]?://"))]
    url: Option<String>,
    /// SHA-256 of the archived text the quotes were checked against.
    #[serde(default)]
    sha256: Option<String>,
    /// The archived text's file name, used by `verify` when no hash matches.
    #[serde(default)]
    archive_file: Option<String>,
}

impl Record for RawSource {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The sources, and every id the file names (even of broken records), or `None` for the ids
/// when the file as a whole could not be read.
pub fn read(
    text: &Text<'_>,
    tz: Option<Tz>,
    c: &mut Collector,
) -> (Vec<Source>, Option<HashSet<String>>) {
    let Some(top) = top::<Top<'_>>(text, SOURCES_FILE, c) else {
        return (Vec::new(), None);
    };
    if !within_count(top.sources.len(), MAX_SOURCES, "sources", SOURCES_FILE, c) {
        return (Vec::new(), None);
    }
    let mut seen = HashSet::new();
    let mut sources = Vec::with_capacity(top.sources.len());
    for (i, raw) in top.sources.iter().enumerate() {
        let Some((raw, mut s)) =
            parse_record::<RawSource>(text, SOURCES_FILE, "sources", i, raw, c)
        else {
            continue;
        };
        if let Some(source) = source(raw, tz, &mut seen, &mut s) {
            sources.push(source);
        }
    }
    (sources, Some(seen))
}

/// A source's link is opened by the app in the user's browser: only a web address may be one
/// (no `file:`, `javascript:` or other scheme a click would hand to the system).
fn check_url(url: &str, s: &mut Scope<'_>) {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
        Ok(u) => s.add(format!(
            "`url` \"{}\" is not a web address: only http and https links are allowed, not {}:",
            crate::text::clip(url, 80),
            u.scheme()
        )),
        Err(e) => s.add(format!(
            "`url` \"{}\" is not a valid web address ({e})",
            crate::text::clip(url, 80)
        )),
    }
}

fn source(
    raw: RawSource,
    tz: Option<Tz>,
    seen: &mut HashSet<String>,
    s: &mut Scope<'_>,
) -> Option<Source> {
    check_id(&raw.id, seen, "source", s);
    if raw.outlet.trim().is_empty() {
        s.add("`outlet` is empty");
    }
    s.limit("outlet", &raw.outlet, MAX_NAME_CHARS);
    s.limit("headline", &raw.headline, MAX_HEADLINE_CHARS);
    s.limit("published_note", &raw.published_note, MAX_LONG_TEXT_CHARS);
    s.limit("url", raw.url.as_deref().unwrap_or(""), MAX_URL_CHARS);
    if let Some(url) = &raw.url {
        check_url(url, s);
    }
    s.limit(
        "archive_file",
        raw.archive_file.as_deref().unwrap_or(""),
        MAX_NAME_CHARS,
    );
    check_sha256(raw.sha256.as_deref(), s);
    let published = parse_published(&raw.published, tz, s);
    let precision = raw.published_precision.as_deref().map(|p| {
        Precision::parse(p).ok_or_else(|| {
            format!("`published_precision` \"{p}\" is not one of minute, hour, day, approximate")
        })
    });
    let precision = match precision {
        Some(Err(message)) => {
            s.add(message);
            None
        }
        Some(Ok(p)) => Some(p),
        None => None,
    };
    let (time, date_only) = published?;
    if !s.ok() {
        return None;
    }
    let default_precision = if date_only {
        Precision::Day
    } else {
        Precision::Minute
    };
    Some(Source {
        id: raw.id,
        outlet: raw.outlet,
        headline: raw.headline,
        published: Moment {
            time,
            precision: precision.unwrap_or(default_precision),
        },
        published_note: raw.published_note,
        url: raw.url,
        sha256: raw.sha256.map(|h| h.to_ascii_lowercase()),
        archive_file: raw.archive_file,
    })
}

fn check_sha256(hash: Option<&str>, s: &mut Scope<'_>) {
    if let Some(hash) = hash
        && (hash.len() != 64 || !hash.chars().all(|ch| ch.is_ascii_hexdigit()))
    {
        s.add("`sha256` must be 64 hexadecimal digits");
    }
}
