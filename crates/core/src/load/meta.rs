//! `dataset.json`: the dataset's name, time zone and opening instant.

use chrono_tz::Tz;
use serde::Deserialize;

use super::json::Text;
use super::limits::{MAX_ID_CHARS, MAX_LONG_TEXT_CHARS, MAX_NAME_CHARS, MAX_SIDES};
use super::report::{Collector, Scope};
use super::times::parse_time;
use super::{DATASET_FILE, top};
use crate::model::{Meta, Side};

/// Unknown members are errors, because a misspelt member ("timzone") would otherwise be
/// silently ignored and change what the dataset says; `$schema` is allowed for editors.
/// `dataset.json`: the dataset's name, time zone and opening instant (data/FORMAT.md).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a JSON object with `name` and `timezone`"
)]
#[schemars(title = "Truce Atlas dataset.json")]
pub(super) struct RawMeta {
    /// The schema this file follows, for editors.
    #[serde(rename = "$schema", default)]
    #[schemars(with = "Option<String>")]
    _schema: Option<serde::de::IgnoredAny>,
    /// Shown in the title and status bar.
    name: String,
    /// One or two sentences.
    #[serde(default)]
    description: String,
    /// An IANA time zone such as `Asia/Damascus`: every time is shown in it, and local times
    /// typed in the app are read in it.
    timezone: String,
    /// RFC 3339: the instant the app opens on (otherwise the first event).
    #[serde(default)]
    default_instant: Option<String>,
    /// RFC 3339: the last instant the reports speak for (otherwise the end of the local day of
    /// the latest publication).
    #[serde(default)]
    reports_until: Option<String>,
    /// Credits shown in the app.
    #[serde(default)]
    attribution: String,
    /// `truce-atlas/1`; anything else is refused.
    #[serde(default)]
    format: Option<String>,
    /// The groups events' actors belong to, for "what does this side say" filters; events
    /// name theirs in `side`.
    #[serde(default)]
    sides: Vec<RawSide>,
    /// Incident files to read with the dataset: ACLED or UCDP CSV exports, by their names in
    /// the dataset's folder (beside a workbook), e.g. `["acled-syria-2016.csv"]`.
    #[serde(default)]
    incidents: Vec<String>,
}

/// A group of actors, e.g. `{"id": "russia", "name": "Russian officials"}`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Side")]
pub(super) struct RawSide {
    /// Unique among the sides; events refer to it in `side`.
    id: String,
    /// Shown in the filter, e.g. `Russian officials`.
    name: String,
    #[serde(default)]
    description: String,
}

/// `None` when the file cannot give a dataset its time zone.
pub fn read(text: &Text<'_>, c: &mut Collector) -> Option<Meta> {
    let raw: RawMeta = top(text, DATASET_FILE, c)?;
    let mut s = c.scope(DATASET_FILE, String::new(), None);
    check_format(raw.format.as_deref(), &mut s);
    if raw.name.trim().is_empty() {
        s.add("`name`: the dataset name is empty");
    }
    s.limit("name", &raw.name, MAX_NAME_CHARS);
    s.limit("description", &raw.description, MAX_LONG_TEXT_CHARS);
    s.limit("attribution", &raw.attribution, MAX_LONG_TEXT_CHARS);
    let timezone = time_zone(&raw.timezone, &mut s);
    let default_instant = raw
        .default_instant
        .as_deref()
        .and_then(|t| parse_time(t, timezone, "default_instant", &mut s));
    let reports_until = raw
        .reports_until
        .as_deref()
        .and_then(|t| parse_time(t, timezone, "reports_until", &mut s));
    let sides = read_sides(raw.sides, &mut s);
    check_incident_files(&raw.incidents, &mut s);
    Some(Meta {
        incident_files: raw.incidents,
        sides,
        name: raw.name,
        description: raw.description,
        timezone: timezone?,
        default_instant,
        reports_until,
        attribution: raw.attribution,
    })
}

/// The declared sides, each checked (any problem refuses the dataset, naming the side).
fn read_sides(raws: Vec<RawSide>, s: &mut Scope<'_>) -> Vec<Side> {
    if raws.len() > MAX_SIDES {
        s.add(format!(
            "`sides`: {} sides, more than the {MAX_SIDES} this version reads",
            raws.len()
        ));
        return Vec::new();
    }
    let mut seen = std::collections::HashSet::new();
    let mut sides = Vec::with_capacity(raws.len());
    for (i, raw) in raws.into_iter().enumerate() {
        let at = format!("sides[{i}]");
        if raw.id.trim().is_empty() {
            s.add_at(&at, "`id` is empty");
        } else if !seen.insert(raw.id.clone()) {
            s.add_at(&at, format!("`id` \"{}\" is declared twice", raw.id));
        } else if raw.id.contains(',') {
            s.add_at(&at, super::comma_in_id("side", &raw.id));
        }
        if raw.name.trim().is_empty() {
            s.add_at(&at, "`name` is empty: say whose side it is");
        }
        s.limit(&format!("{at}.id"), &raw.id, MAX_ID_CHARS);
        s.limit(&format!("{at}.name"), &raw.name, MAX_NAME_CHARS);
        s.limit(
            &format!("{at}.description"),
            &raw.description,
            MAX_LONG_TEXT_CHARS,
        );
        sides.push(Side {
            id: raw.id,
            name: raw.name,
            description: raw.description,
        });
    }
    sides
}

/// Names of files beside the dataset: no folders, nothing outside it.
fn check_incident_files(names: &[String], s: &mut Scope<'_>) {
    const MAX_FILES: usize = 100;
    if names.len() > MAX_FILES {
        s.add(format!(
            "`incidents`: {} files; the limit is {MAX_FILES}",
            names.len()
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, name) in names.iter().enumerate() {
        let at = format!("incidents[{i}]");
        let plain =
            !name.trim().is_empty() && !name.contains(['/', '\\']) && name != ".." && name != ".";
        if !plain {
            s.add_at(
                &at,
                format!("`incidents`: \"{name}\" is not the name of a file beside the dataset (no folders)"),
            );
        } else if !seen.insert(name.as_str()) {
            s.add_at(&at, format!("`incidents`: \"{name}\" is named twice"));
        }
        s.limit(&at, name, MAX_NAME_CHARS);
    }
}

fn check_format(format: Option<&str>, s: &mut Scope<'_>) {
    if let Some(format) = format
        && format != "truce-atlas/1"
    {
        s.add(format!(
            "`format`: unsupported format \"{format}\"; this version reads \"truce-atlas/1\""
        ));
    }
}

fn time_zone(name: &str, s: &mut Scope<'_>) -> Option<Tz> {
    match name.parse() {
        Ok(tz) => Some(tz),
        Err(_) => {
            s.add(format!(
                "`timezone`: \"{name}\" is not an IANA time zone name such as Asia/Damascus"
            ));
            None
        }
    }
}
